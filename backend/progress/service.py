"""Progress for one runner: stiffness over time, by surface and workout type, what
triggers it, weekly load and routine adherence. Every figure is summed in SQL from the
daily rollups (`rollups.py`), except the trigger analysis, which fits one model to the
rated runs read in one statement, and the 14-day trend, which reads the runs of 14 days;
the number of statements does not grow with the number of runs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, func, or_, select

from backend.auth.models import User
from backend.dates import local_today
from backend.extensions import db
from backend.progress import effects, stats
from backend.progress.models import RunRollup
from backend.progress.sql import month_start, week_start
from backend.routines.plan.service import adherence_for_many
from backend.runs.estimate import LoadModel
from backend.runs.models import Run
from backend.runs.morning import lingers_after
from backend.runs.service import load_model

DEFAULT_WEEKS = 12


def date_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """`to` defaults to today, `from` to twelve weeks before `to`."""
    end = end or today
    return start or end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), end


# Longest range shown day by day, and week by week; longer ranges are shown by month.
DAILY_UP_TO_DAYS = 180
WEEKLY_UP_TO_DAYS = 730
# The week-by-week lists (`stiffness.weekly`, `load.weekly`) hold the range's latest weeks
# only: the screens show the last twelve, a report's table the last few months.
WEEKS_LISTED = 26
# The trigger analysis weighs the range's latest rated runs, at most this many: enough to
# tell the factors apart, recent enough to describe the runner as they train now, and a
# bound on the work whatever the length of the history.
TRIGGER_RUNS = 400


def listed_from(start: date, end: date) -> date:
    """The first day of the week-by-week lists: the Monday `WEEKS_LISTED - 1` weeks before
    the week of `end`, or `start` when the range is shorter."""
    return max(start, _monday(end) - timedelta(weeks=WEEKS_LISTED - 1))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def resolution_for(start: date, end: date, asked: str | None = None) -> str:
    """The asked resolution, else one that keeps the series to a few hundred points."""
    if asked:
        return asked
    days = (end - start).days + 1
    if days <= DAILY_UP_TO_DAYS:
        return "day"
    return "week" if days <= WEEKLY_UP_TO_DAYS else "month"


def progress_between(
    runner: User,
    start: date | None,
    end: date | None,
    resolution: str | None = None,
    outcome: str = effects.DEFAULT_OUTCOME,
) -> dict[str, Any]:
    """Progress over the asked range, dated in the runner's own calendar.

    `outcome` is the stiffness the trigger analysis explains (`effects.OUTCOMES`).
    """
    today = local_today(runner)
    first, last = date_range(start, end, today)
    return progress_for(runner, first, last, today, resolution, outcome)


def progress_for(
    runner: User,
    start: date,
    end: date,
    today: date,
    resolution: str | None = None,
    outcome: str = effects.DEFAULT_OUTCOME,
) -> dict[str, Any]:
    """Every figure but the trigger analysis and the 14-day trend comes from the rollups:
    at most one row per day, surface, workout type and terrain, whatever the history."""
    where = (Run.user_id == runner.id, Run.local_date >= start, Run.local_date <= end)
    in_range = {"user_id": runner.id, "start": start, "end": end}
    step = resolution_for(start, end, resolution)
    rated_runs, triggers_from = _rated_runs(where)
    first_listed = listed_from(start, end)
    weighed_from = triggers_from or start
    weighed_monday = _monday(weighed_from)
    # The weeks both the lists and the trigger analysis need, and no older ones.
    weeks_from = max(start, min(first_listed, weighed_monday))
    weekly = db.session.execute(_weekly_statement(), {**in_range, "start": weeks_from}).all()
    rated = [(w, total / n, n) for w, total, n, _ in weekly if n and _as_date(w) >= first_listed]
    covered = [(_as_date(w), km) for w, _, _, km in weekly if _as_date(w) >= weighed_monday]
    observations = _observations(rated_runs, covered, start)
    return {
        "stiffness": {
            "resolution": step,
            "series": _series(in_range, step),
            "morning": morning_after_many([runner.id], start, end)[runner.id],
            "weekly": [{"week_start": w, "mean": _r(m), "runs": n} for w, m, n in rated],
            "trend": recent_trends([runner.id], {runner.id: end})[runner.id],
        },
        "by_surface": _by(_grouped("surface", in_range), "surface"),
        "by_workout_type": _by(_grouped("workout_type", in_range), "workout_type"),
        "triggers": effects.analyse(observations, outcome),
        "triggers_outcome": outcome,
        "triggers_from": triggers_from,
        "load": {"weekly": weekly_load(runner, {**in_range, "start": first_listed})},
        "adherence": adherence_for_many([runner.id], start, end, today)[runner.id],
    }


_WEEK = week_start(RunRollup.local_date)
_BUCKETS = {"day": RunRollup.local_date, "week": _WEEK, "month": month_start(RunRollup.local_date)}
# The statements on the rollups are built once, with the runner and the range as bound
# parameters: building a statement costs more CPU than the database takes to run it.
_IN_RANGE = (
    RunRollup.user_id == bindparam("user_id"),
    RunRollup.local_date >= bindparam("start"),
    RunRollup.local_date <= bindparam("end"),
)


@cache
def _weekly_statement() -> Select[Any]:
    return (
        select(
            _WEEK,
            func.sum(RunRollup.stiffness_sum),
            func.sum(RunRollup.rated),
            func.sum(RunRollup.km),
        )
        .where(*_IN_RANGE)
        .group_by(_WEEK)
        .order_by(_WEEK)
    )


def _series(in_range: dict[str, Any], step: str) -> list[dict[str, Any]]:
    """Mean stiffness per day, week or month with any rated run (one statement)."""
    rows = db.session.execute(_series_statement(step), in_range).all()
    return [
        {
            "date": _as_date(d),
            "mean": _r(total / n),
            "runs": n,
            "morning_mean": _r(m_total / m) if m else None,
            "morning_runs": m or 0,
        }
        for d, total, n, m_total, m in rows
    ]


@cache
def _series_statement(step: str) -> Select[Any]:
    bucket = _BUCKETS[step]
    return (
        select(
            bucket,
            func.sum(RunRollup.stiffness_sum),
            func.sum(RunRollup.rated),
            func.sum(RunRollup.morning_sum),
            func.sum(RunRollup.mornings),
        )
        .where(*_IN_RANGE)
        .group_by(bucket)
        .having(func.sum(RunRollup.rated) > 0)
        .order_by(bucket)
    )


def _rated_runs(where: tuple[ColumnElement[bool], ...]) -> tuple[list[Any], date | None]:
    """The range's latest `TRIGGER_RUNS` runs with either stiffness, oldest first, in one
    statement; and the first day they cover when the limit cut the range short (else
    None)."""
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
        )
        .where(*where, or_(Run.stiffness.is_not(None), Run.morning_stiffness.is_not(None)))
        .order_by(Run.local_date.desc(), Run.started_at.desc())
        .limit(TRIGGER_RUNS + 1)
    ).all()
    weighed = list(reversed(rows[:TRIGGER_RUNS]))
    return weighed, weighed[0].local_date if len(rows) > TRIGGER_RUNS else None


def _observations(
    rows: list[Any], week_km: list[tuple[date, Any]], start: date
) -> list[effects.Observation]:
    """The runs with their factors weighed; a heavy week is judged among `week_km`, the
    weeks the runs cover."""
    median_km = stats.median([float(r.distance_km) for r in rows])
    heavy = set(_heavy_weeks(week_km))
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


def _grouped(name: str, in_range: dict[str, Any]) -> list[tuple[str, int, float]]:
    rows = db.session.execute(_grouped_statement(name), in_range).all()
    return [(value, n, float(total)) for value, n, total in rows]


@cache
def _grouped_statement(name: str) -> Select[Any]:
    column = getattr(RunRollup, name)
    return (
        select(column, func.sum(RunRollup.rated), func.sum(RunRollup.stiffness_sum))
        .where(*_IN_RANGE)
        .group_by(column)
        .having(func.sum(RunRollup.rated) > 0)
        .order_by(column)
    )


def _by(rows: list[tuple[str, int, float]], name: str) -> list[dict[str, Any]]:
    return [{name: v, "runs": n, "mean_stiffness": round(s / n, 2)} for v, n, s in rows]


def _heavy_weeks(week_km: list[tuple[date, Any]]) -> list[date]:
    # Estimated steps are proportional to distance, so distance ranks weeks the same way.
    typical = stats.median([float(km) for _, km in week_km])
    if not typical:
        return []
    return [w for w, km in week_km if float(km) >= effects.HIGH_LOAD_FACTOR * typical]


def weekly_load(runner: User, in_range: dict[str, Any]) -> list[dict[str, Any]]:
    """Estimated steps and load per week from the rollups, each run at its own weight.

    Modelled steps are `a * seconds + b * km` (see `LoadModel.step_terms`), so a week's
    steps and weight-times-steps follow from sums of time and distance. Runs stored
    without a body weight are weighed with the runner's weight of today.
    """
    model = load_model()
    rows = db.session.execute(_load_statement(), in_range).all()
    bw = runner.body_weight
    out = []
    for week_of, unweighed, *values in rows:
        figures: list[float] = []
        for i in range(2):
            secs, km, w_s, w_km, u_s, u_km = (float(v or 0) for v in values[6 * i : 6 * i + 6])
            figures += [secs, km, w_s + (bw or 0.0) * u_s, w_km + (bw or 0.0) * u_km]
        steps = 0.0
        for i, of_walks in enumerate((False, True)):
            per_s, per_km = model.step_terms(of_walks)
            steps += per_s * figures[4 * i] + per_km * figures[4 * i + 1]
        spread = model.step_spread
        item: dict[str, Any] = {
            "week_start": _as_date(week_of),
            "steps_mid": round(steps),
            "steps": {"low": round(steps * (1 - spread)), "high": round(steps * (1 + spread))},
        }
        if not unweighed or bw is not None:
            low, high = _load_range(figures, model)
            item["load_kg"] = {"low": round(low), "high": round(high)}
            item["load_kg_mid"] = round((low + high) / 2)
        out.append(item)
    return out


@cache
def _load_statement() -> Select[Any]:
    walk = RunRollup.workout_type == "walk"

    def total(of_walks: bool, value: Any) -> Any:
        return func.sum(case((walk if of_walks else ~walk, value), else_=0.0))

    week = week_start(RunRollup.local_date)
    sums = [
        total(w, v)
        for w in (False, True)
        for v in (
            RunRollup.seconds,
            RunRollup.km,
            RunRollup.weight_s,
            RunRollup.weight_km,
            RunRollup.unweighed_s,
            RunRollup.unweighed_km,
        )
    ]
    return (
        select(week, func.sum(RunRollup.unweighed), *sums)
        .where(*_IN_RANGE)
        .group_by(week)
        .order_by(week)
    )


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


def morning_after_many(
    runner_ids: list[uuid.UUID], start: date, end: date
) -> dict[uuid.UUID, dict[str, Any]]:
    """Per runner: answered runs, how many passed or lingered, and per workout type (one
    statement). `lingers` marks the workout types with a pattern of lingering mornings."""
    rows = db.session.execute(
        select(
            RunRollup.user_id,
            RunRollup.workout_type,
            func.sum(RunRollup.mornings),
            func.sum(RunRollup.lingering),
        )
        .where(
            RunRollup.user_id.in_(runner_ids),
            RunRollup.local_date >= start,
            RunRollup.local_date <= end,
            RunRollup.mornings > 0,
        )
        .group_by(RunRollup.user_id, RunRollup.workout_type)
        .order_by(RunRollup.user_id, RunRollup.workout_type)
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
