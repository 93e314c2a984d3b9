"""Progress for one runner: stiffness over time, by surface and workout type, what
triggers it, weekly load and routine adherence. Every figure is aggregated in SQL, except
the trigger analysis, which fits one model to the rated runs read in one statement; the
number of statements does not grow with the number of runs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from backend.auth.models import User
from backend.db import utcnow
from backend.extensions import db
from backend.progress import effects, stats
from backend.progress.sql import week_start
from backend.routines.service import adherence_for_many
from backend.runs.estimate import LoadModel, weekly_mid
from backend.runs.models import Run
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
    # Runs still waiting for the runner's stiffness (imported) count for load only.
    scored = (*where, Run.stiffness.is_not(None))
    daily = db.session.execute(
        select(Run.local_date, func.avg(Run.stiffness), func.count())
        .where(*scored)
        .group_by(Run.local_date)
        .order_by(Run.local_date)
    ).all()
    week = week_start(Run.local_date)
    walk_km = func.sum(case((Run.workout_type == "walk", Run.distance_km), else_=0.0))
    weekly = db.session.execute(
        select(
            week,
            func.avg(Run.stiffness),
            func.count(Run.stiffness),
            func.sum(Run.distance_km),
            walk_km,
        )
        .where(*where)
        .group_by(week)
        .order_by(week)
    ).all()
    by_surface = _grouped(Run.surface, scored)
    by_type = _grouped(Run.workout_type, scored)
    rated = [(w, m, n) for w, m, n, _, _ in weekly if n]

    model = load_model()
    weight = body_weight(runner)
    return {
        "stiffness": {
            "series": [{"date": d, "mean": _r(m), "runs": n} for d, m, n in daily],
            "weekly": [{"week_start": w, "mean": _r(m), "runs": n} for w, m, n in rated],
            "trend": stats.trend([(w, float(m)) for w, m, _ in rated]),
        },
        "by_surface": _by(by_surface, "surface"),
        "by_workout_type": _by(by_type, "workout_type"),
        "triggers": effects.analyse(_observations(scored, weekly, start)),
        "load": {
            "weekly": [
                _week_load(w, float(km), float(walk), weight, model) for w, _, _, km, walk in weekly
            ]
        },
        "adherence": adherence_for_many([runner.id], start, end, today)[runner.id],
    }


def _observations(
    scored: tuple[ColumnElement[bool], ...], weekly: Any, start: date
) -> list[effects.Observation]:
    """One row per rated run, in one statement, with the factors the analysis weighs."""
    rows = db.session.execute(
        select(
            Run.local_date,
            Run.stiffness,
            Run.surface,
            Run.workout_type,
            Run.terrain,
            Run.distance_km,
            week_start(Run.local_date),
        ).where(*scored)
    ).all()
    median_km = stats.median([float(r.distance_km) for r in rows])
    heavy = set(_heavy_weeks([(w, km) for w, _, _, km, _ in weekly]))
    return [
        effects.Observation(
            stiffness=float(stiffness),
            weeks=(day - start).days / 7,
            levels={
                "surface": surface,
                "workout_type": workout,
                "terrain": terrain,
                "distance": effects.distance_band(float(km), median_km),
                "weekly_load": "high" if _as_date(wk) in heavy else "usual",
            },
        )
        for day, stiffness, surface, workout, terrain, km, wk in rows
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
        .where(Run.stiffness.is_not(None))
        .where(Run.local_date <= today)
        .group_by(Run.user_id, Run.local_date)
    ).all()
    points: dict[uuid.UUID, list[tuple[date, float]]] = {rid: [] for rid in runner_ids}
    for rid, day, mean in rows:
        points[rid].append((day, float(mean)))
    return {rid: stats.trend(p) for rid, p in points.items()}
