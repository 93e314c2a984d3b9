"""Progress for one runner: stiffness over time, by surface and workout type, what
triggers it, weekly load and routine adherence. Every figure is aggregated in SQL, except
the trigger analysis, which fits one model to the rated runs read in one statement; the
number of statements does not grow with the number of runs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, case, cast, func, or_, select

from backend.auth.models import User
from backend.dates import local_today
from backend.extensions import db
from backend.progress import effects, stats
from backend.progress.sql import week_start
from backend.routines.plan.service import adherence_for_many
from backend.runs.estimate import LoadModel
from backend.runs.models import Run
from backend.runs.morning import lingering_sql, lingers_after
from backend.runs.service import load_model

DEFAULT_WEEKS = 12


def date_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """`to` defaults to today, `from` to twelve weeks before `to`."""
    end = end or today
    return start or end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), end


def progress_between(
    runner: User,
    start: date | None,
    end: date | None,
    outcome: str = effects.DEFAULT_OUTCOME,
) -> dict[str, Any]:
    """Progress over the asked range, dated in the runner's own calendar.

    `outcome` is the stiffness the trigger analysis explains (`effects.OUTCOMES`).
    """
    today = local_today(runner)
    first, last = date_range(start, end, today)
    return progress_for(runner, first, last, today, outcome)


def progress_for(
    runner: User, start: date, end: date, today: date, outcome: str = effects.DEFAULT_OUTCOME
) -> dict[str, Any]:
    where = (Run.user_id == runner.id, Run.local_date >= start, Run.local_date <= end)
    # Runs still waiting for the runner's stiffness (imported) count for load only.
    scored = (*where, Run.stiffness.is_not(None))
    daily = db.session.execute(
        select(Run.local_date, func.avg(Run.stiffness), func.count())
        .where(*scored)
        .group_by(Run.local_date)
        .order_by(Run.local_date)
    ).all()
    week = week_start(Run.local_date)
    weekly = db.session.execute(
        select(
            week,
            func.avg(Run.stiffness),
            func.count(Run.stiffness),
            func.sum(Run.distance_km),
        )
        .where(*where)
        .group_by(week)
        .order_by(week)
    ).all()
    by_surface = _grouped(Run.surface, scored)
    by_type = _grouped(Run.workout_type, scored)
    rated = [(w, m, n) for w, m, n, _ in weekly if n]

    mornings = _morning_by_day(where)
    return {
        "stiffness": {
            "series": [
                {"date": d, "mean": _r(m), "runs": n, **mornings.get(d, _NO_MORNING)}
                for d, m, n in daily
            ],
            "morning": morning_after_many([runner.id], start, end)[runner.id],
            "weekly": [{"week_start": w, "mean": _r(m), "runs": n} for w, m, n in rated],
            "trend": recent_trends([runner.id], {runner.id: end})[runner.id],
        },
        "by_surface": _by(by_surface, "surface"),
        "by_workout_type": _by(by_type, "workout_type"),
        "triggers": effects.analyse(_observations(where, weekly, start), outcome),
        "triggers_outcome": outcome,
        "load": {"weekly": weekly_load(runner, where)},
        "adherence": adherence_for_many([runner.id], start, end, today)[runner.id],
    }


def _observations(
    where: tuple[ColumnElement[bool], ...], weekly: Any, start: date
) -> list[effects.Observation]:
    """One row per run with either stiffness, in one statement, with the factors weighed."""
    rows = db.session.execute(
        select(
            Run.local_date,
            Run.stiffness,
            Run.surface,
            Run.workout_type,
            Run.terrain,
            Run.distance_km,
            week_start(Run.local_date),
            Run.morning_stiffness,
        ).where(*where, or_(Run.stiffness.is_not(None), Run.morning_stiffness.is_not(None)))
    ).all()
    median_km = stats.median([float(r.distance_km) for r in rows])
    heavy = set(_heavy_weeks([(w, km) for w, _, _, km in weekly]))
    return [
        effects.Observation(
            stiffness=None if stiffness is None else float(stiffness),
            morning=None if morning is None else float(morning),
            weeks=(day - start).days / 7,
            levels={
                "surface": surface,
                "workout_type": workout,
                "terrain": terrain,
                "distance": effects.distance_band(float(km), median_km),
                "weekly_load": "high" if _as_date(wk) in heavy else "usual",
            },
        )
        for day, stiffness, surface, workout, terrain, km, wk, morning in rows
    ]


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _r(value: Any) -> float:
    return round(float(value), 2)


def _grouped(column: Any, where: tuple[ColumnElement[bool], ...]) -> list[tuple[str, int, float]]:
    rows = db.session.execute(
        select(column, func.count(), func.sum(Run.stiffness))
        .where(*where)
        .group_by(column)
        .order_by(column)
    ).all()
    return [(value, n, float(total)) for value, n, total in rows]


def _by(rows: list[tuple[str, int, float]], name: str) -> list[dict[str, Any]]:
    return [{name: v, "runs": n, "mean_stiffness": round(s / n, 2)} for v, n, s in rows]


def _heavy_weeks(week_km: list[tuple[date, Any]]) -> list[date]:
    # Estimated steps are proportional to distance, so distance ranks weeks the same way.
    typical = stats.median([float(km) for _, km in week_km])
    if not typical:
        return []
    return [w for w, km in week_km if float(km) >= effects.HIGH_LOAD_FACTOR * typical]


def weekly_load(runner: User, where: tuple[ColumnElement[bool], ...]) -> list[dict[str, Any]]:
    """Estimated steps and load per week, summed in SQL, each run at its own weight.

    Modelled steps are `a * seconds + b * km` (see `LoadModel.step_terms`), so a week's
    steps and weight-times-steps follow from sums of time and distance.
    """
    model = load_model()
    weight = func.coalesce(cast(Run.body_weight_kg, Float), runner.body_weight)
    walk = Run.workout_type == "walk"

    def total(of_walks: bool, value: Any) -> Any:
        return func.sum(case((walk if of_walks else ~walk, value), else_=0.0))

    week = week_start(Run.local_date)
    sums = [
        total(w, v)
        for w in (False, True)
        for v in (
            Run.duration_s,
            Run.distance_km,
            weight * Run.duration_s,
            weight * Run.distance_km,
        )
    ]
    rows = db.session.execute(
        select(week, func.sum(case((weight.is_(None), 1), else_=0)), *sums)
        .where(*where)
        .group_by(week)
        .order_by(week)
    ).all()
    out = []
    for week_of, unweighed, *values in rows:
        steps = 0.0
        for i, of_walks in enumerate((False, True)):
            per_s, per_km = model.step_terms(of_walks)
            secs, km = (float(v or 0) for v in values[4 * i : 4 * i + 2])
            steps += per_s * secs + per_km * km
        spread = model.step_spread
        item: dict[str, Any] = {
            "week_start": week_of,
            "steps_mid": round(steps),
            "steps": {"low": round(steps * (1 - spread)), "high": round(steps * (1 + spread))},
        }
        if not unweighed:
            low, high = _load_range(values, model)
            item["load_kg"] = {"low": round(low), "high": round(high)}
            item["load_kg_mid"] = round((low + high) / 2)
        out.append(item)
    return out


def _load_range(values: list[Any], model: LoadModel) -> tuple[float, float]:
    low = high = 0.0
    for i, of_walks in enumerate((False, True)):
        per_s, per_km = model.step_terms(of_walks)
        w_secs, w_km = (float(v or 0) for v in values[4 * i + 2 : 4 * i + 4])
        bw = model.walk_bw if of_walks else model.run_bw
        weighed_steps = per_s * w_secs + per_km * w_km
        low += weighed_steps * (1 - model.step_spread) * bw.low
        high += weighed_steps * (1 + model.step_spread) * bw.high
    return low, high


def recent_trends(
    runner_ids: list[uuid.UUID], todays: dict[uuid.UUID, date]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Each runner's trend over the 14 days up to their own today, in one statement."""
    if not runner_ids:
        return {}
    window = timedelta(days=stats.TREND_WINDOW_DAYS)
    rows = db.session.execute(
        select(Run.user_id, Run.started_at, Run.local_date, Run.stiffness).where(
            Run.user_id.in_(runner_ids),
            Run.stiffness.is_not(None),
            Run.local_date > min(todays.values()) - window,
            Run.local_date <= max(todays.values()),
        )
    ).all()
    runs: dict[uuid.UUID, list[tuple[Any, date, int | None]]] = {rid: [] for rid in runner_ids}
    for rid, at, day, stiffness in rows:
        if todays[rid] - window < day <= todays[rid]:
            runs[rid].append((at, day, stiffness))
    return {rid: stats.trend(r) for rid, r in runs.items()}


# --- the next morning (additive: see backend/runs/morning.py for the rules) -------------

_NO_MORNING: dict[str, Any] = {"morning_mean": None, "morning_runs": 0}


def _morning_by_day(where: tuple[ColumnElement[bool], ...]) -> dict[date, dict[str, Any]]:
    """The mean next-morning stiffness per run day, for days with an answer (one statement)."""
    rows = db.session.execute(
        select(Run.local_date, func.avg(Run.morning_stiffness), func.count(Run.morning_stiffness))
        .where(*where, Run.morning_stiffness.is_not(None))
        .group_by(Run.local_date)
    ).all()
    return {d: {"morning_mean": _r(m), "morning_runs": n} for d, m, n in rows}


def morning_after_many(
    runner_ids: list[uuid.UUID], start: date, end: date
) -> dict[uuid.UUID, dict[str, Any]]:
    """Per runner: answered runs, how many passed or lingered, and per workout type (one
    statement). `lingers` marks the workout types with a pattern of lingering mornings."""
    lingered = func.sum(case((lingering_sql(Run.stiffness, Run.morning_stiffness), 1), else_=0))
    rows = db.session.execute(
        select(Run.user_id, Run.workout_type, func.count(Run.morning_stiffness), lingered)
        .where(
            Run.user_id.in_(runner_ids),
            Run.local_date >= start,
            Run.local_date <= end,
            Run.morning_stiffness.is_not(None),
        )
        .group_by(Run.user_id, Run.workout_type)
        .order_by(Run.user_id, Run.workout_type)
    ).all()
    result: dict[uuid.UUID, dict[str, Any]] = {
        rid: {"answered": 0, "passing": 0, "lingering": 0, "by_workout_type": []}
        for rid in runner_ids
    }
    for rid, workout_type, answered, lingering in rows:
        summary = result[rid]
        lingering = int(lingering or 0)
        summary["answered"] += answered
        summary["lingering"] += lingering
        summary["passing"] += answered - lingering
        summary["by_workout_type"].append(
            {
                "workout_type": workout_type,
                "answered": answered,
                "lingering": lingering,
                "lingers": lingers_after(answered, lingering),
            }
        )
    return result
