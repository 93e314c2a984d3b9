"""Progress for one runner: stiffness over time, by surface and workout type, what
triggers it, weekly load and routine adherence. Every figure is aggregated in SQL and the
number of statements does not grow with the number of runs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from backend.auth.models import User
from backend.db import utcnow
from backend.extensions import db
from backend.progress import stats
from backend.progress.sql import week_start
from backend.routines.service import adherence_for_many
from backend.runs.estimate import LoadModel, weekly_mid
from backend.runs.models import Run
from backend.runs.morning import lingering_sql, lingers_after
from backend.runs.service import body_weight, load_model, local_date_of

DEFAULT_WEEKS = 12


def today_for(user: User) -> date:
    return local_date_of(utcnow(), user.timezone)


def date_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """`to` defaults to today, `from` to twelve weeks before `to`."""
    end = end or today
    return start or end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), end


def progress_for(runner: User, start: date, end: date, today: date) -> dict[str, Any]:
    where = (Run.user_id == runner.id, Run.local_date >= start, Run.local_date <= end)
    daily = db.session.execute(
        select(Run.local_date, func.avg(Run.stiffness), func.count())
        .where(*where)
        .group_by(Run.local_date)
        .order_by(Run.local_date)
    ).all()
    week = week_start(Run.local_date)
    walk_km = func.sum(case((Run.workout_type == "walk", Run.distance_km), else_=0.0))
    weekly = db.session.execute(
        select(week, func.avg(Run.stiffness), func.count(), func.sum(Run.distance_km), walk_km)
        .where(*where)
        .group_by(week)
        .order_by(week)
    ).all()
    by_surface = _grouped(Run.surface, where)
    by_type = _grouped(Run.workout_type, where)

    total_runs = sum(n for _, n, _ in by_surface)
    total_stiffness = sum(s for _, _, s in by_surface)
    heavy_weeks = _heavy_weeks([(w, km) for w, _, _, km, _ in weekly])
    candidates = [stats.FactorStat("workout_type", v, n, s) for v, n, s in by_type]
    candidates += [stats.FactorStat("surface", v, n, s) for v, n, s in by_surface]
    candidates += _long_and_heavy(where, heavy_weeks)

    model = load_model()
    weight = body_weight(runner)
    mornings = _morning_by_day(where)
    return {
        "stiffness": {
            "series": [
                {"date": d, "mean": _r(m), "runs": n, **mornings.get(d, _NO_MORNING)}
                for d, m, n in daily
            ],
            "morning": morning_after_many([runner.id], start, end)[runner.id],
            "weekly": [{"week_start": w, "mean": _r(m), "runs": n} for w, m, n, _, _ in weekly],
            "trend": stats.trend([(w, float(m)) for w, m, _, _, _ in weekly]),
        },
        "by_surface": _by(by_surface, "surface"),
        "by_workout_type": _by(by_type, "workout_type"),
        "triggers": stats.triggers(candidates, total_runs, total_stiffness),
        "load": {
            "weekly": [
                _week_load(w, float(km), float(walk), weight, model) for w, _, _, km, walk in weekly
            ]
        },
        "adherence": adherence_for_many([runner.id], start, end, today)[runner.id],
    }


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
    return [w for w, km in week_km if float(km) >= stats.HIGH_LOAD_FACTOR * typical]


def _long_and_heavy(
    where: tuple[ColumnElement[bool], ...], heavy_weeks: list[date]
) -> list[stats.FactorStat]:
    """Runs of long distance and runs in weeks of high load, in one statement."""
    ranked = (
        select(
            Run.distance_km,
            func.row_number().over(order_by=Run.distance_km).label("rank"),
            func.count().over().label("n"),
        )
        .where(*where)
        .subquery()
    )
    median_km = (
        select(func.avg(ranked.c.distance_km))
        .where(ranked.c.rank.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
        .scalar_subquery()
    )
    is_long = Run.distance_km >= median_km * stats.LONG_RUN_FACTOR
    is_heavy = week_start(Run.local_date).in_(heavy_weeks)
    row = db.session.execute(
        select(
            func.max(median_km),
            func.sum(case((is_long, 1), else_=0)),
            func.sum(case((is_long, Run.stiffness), else_=0)),
            func.sum(case((is_heavy, 1), else_=0)),
            func.sum(case((is_heavy, Run.stiffness), else_=0)),
        ).where(*where)
    ).one()
    median, long_n, long_s, heavy_n, heavy_s = row
    if median is None:
        return []
    long_value = f"{float(median) * stats.LONG_RUN_FACTOR:.1f} km or more"
    heavy_value = f"weeks of {stats.HIGH_LOAD_FACTOR}x the usual steps or more"
    return [
        stats.FactorStat("long_distance", long_value, int(long_n), float(long_s)),
        stats.FactorStat("high_weekly_load", heavy_value, int(heavy_n), float(heavy_s)),
    ]


def _week_load(
    week: date, km: float, walk_km: float, weight: float | None, model: LoadModel
) -> dict[str, Any]:
    run_steps, run_kg = weekly_mid(km - walk_km, "easy", weight, model)
    walk_steps, walk_kg = weekly_mid(walk_km, "walk", weight, model)
    out: dict[str, Any] = {"week_start": week, "steps_mid": round(run_steps + walk_steps)}
    if run_kg is not None and walk_kg is not None:
        out["load_kg_mid"] = round(run_kg + walk_kg)
    return out


def recent_trends(runner_ids: list[uuid.UUID], today: date) -> dict[uuid.UUID, dict[str, Any]]:
    """Each runner's 14-day trend from their daily means, in one statement."""
    rows = db.session.execute(
        select(Run.user_id, Run.local_date, func.avg(Run.stiffness))
        .where(Run.user_id.in_(runner_ids), Run.local_date > today - timedelta(days=14))
        .where(Run.local_date <= today)
        .group_by(Run.user_id, Run.local_date)
    ).all()
    points: dict[uuid.UUID, list[tuple[date, float]]] = {rid: [] for rid in runner_ids}
    for rid, day, mean in rows:
        points[rid].append((day, float(mean)))
    return {rid: stats.trend(p) for rid, p in points.items()}


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
