"""Creating, changing and reading runs; estimates and advice are added on the way out."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from backend.auth.models import User
from backend.db import utcnow
from backend.errors import NotFound
from backend.extensions import db
from backend.idempotency import create_once
from backend.pagination import paginate
from backend.runs.estimate import LoadModel, Range, estimate_load, steps_from_cadence
from backend.runs.models import Run
from backend.runs.signals import run_saved
from backend.runs.triage import advice, triage_level


def load_model() -> LoadModel:
    cfg = current_app.config
    return LoadModel(
        steps_per_mile=Range(*cfg["LOAD_STEPS_PER_MILE"]),
        run_bw=Range(*cfg["LOAD_RUN_BW"]),
        walk_bw=Range(*cfg["LOAD_WALK_BW"]),
    )


def local_date_of(instant: datetime, timezone: str) -> date:
    return instant.astimezone(ZoneInfo(timezone)).date()


def local_day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day starts and ends."""
    tz = ZoneInfo(timezone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day, time.max, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def _apply(run: Run, data: dict[str, Any], user: User) -> None:
    for key, value in data.items():
        if key != "id":
            setattr(run, key, sorted(set(value)) if isinstance(value, list) else value)
    run.local_date = local_date_of(run.started_at, user.timezone)
    run.advice_level = triage_level(run.red_flags or [])


def create_run(user: User, data: dict[str, Any]) -> tuple[Run, bool]:
    """Store a run; (run, created). A retry with the same id and body returns the first."""

    def build(ident: uuid.UUID, fp: str) -> Run:
        run = Run(
            id=ident,
            user_id=user.id,
            fingerprint=fp,
            started_at=utcnow(),
            stiffness_areas=[],
            red_flags=[],
            notes="",
        )
        _apply(run, data, user)
        return run

    run, created = create_once(Run, data, "user_id", user.id, "run", build)
    if created:
        run_saved.send(None, run=run, created=True)
    return run, created


def get_run(user: User, run_id: uuid.UUID) -> Run:
    run = db.session.scalar(select(Run).where(Run.id == run_id, Run.user_id == user.id))
    if run is None:
        raise NotFound("No such run.")
    return run


def update_run(user: User, run_id: uuid.UUID, changes: dict[str, Any]) -> Run:
    run = get_run(user, run_id)
    _apply(run, changes, user)
    db.session.commit()
    run_saved.send(None, run=run, created=False)
    return run


def delete_run(user: User, run_id: uuid.UUID) -> None:
    run = get_run(user, run_id)
    db.session.delete(run)
    db.session.commit()


def list_runs(
    user_id: uuid.UUID,
    start: date | None,
    end: date | None,
    limit: int,
    cursor: str | None,
    awaiting_stiffness: bool = False,
) -> tuple[list[Run], str | None]:
    stmt = select(Run).where(Run.user_id == user_id)
    if start is not None:
        stmt = stmt.where(Run.local_date >= start)
    if end is not None:
        stmt = stmt.where(Run.local_date <= end)
    if awaiting_stiffness:
        stmt = stmt.where(Run.stiffness.is_(None))
    return paginate(stmt, Run.started_at, Run.id, limit, cursor, db.session)


def runs_page(user: User, args: dict[str, Any]) -> dict[str, Any]:
    """A page of this user's runs as the API shows them (`RunQueryArgs` in)."""
    runs, cursor = list_runs(
        user.id,
        args["from_"],
        args["to"],
        args["limit"],
        args["cursor"],
    )
    model, weight = load_model(), body_weight(user)
    return {"items": [present(r, weight, model) for r in runs], "next_cursor": cursor}


def present(
    run: Run, body_weight_kg: float | None, model: LoadModel | None = None
) -> dict[str, Any]:
    """The run as the API shows it, with its load estimate and advice."""
    return {
        "id": run.id,
        "started_at": run.started_at,
        "local_date": run.local_date,
        "distance_km": run.distance_km,
        "duration_s": run.duration_s,
        "surface": run.surface,
        "workout_type": run.workout_type,
        "stiffness": run.stiffness,
        "stiffness_areas": run.stiffness_areas or [],
        "red_flags": run.red_flags or [],
        "notes": run.notes or "",
        **imported_figures(run),
        "estimate": estimate_load(
            run.distance_km,
            run.workout_type,
            body_weight_kg,
            model or load_model(),
            steps=recorded_steps(run),
        ),
        "advice": advice(run.red_flags or []),
        "created_at": run.created_at,
        "updated_at": run.updated_at,
    }


IMPORTED_FIGURES = (
    "source",
    "title",
    "utc_offset_min",
    "moving_s",
    "elapsed_s",
    "elevation_gain_m",
    "elevation_loss_m",
    "avg_cadence_spm",
    "terrain",
    "uphill_share",
    "downhill_share",
)


def imported_figures(run: Run) -> dict[str, Any]:
    """What a watch or app file told about the run (None where it did not)."""
    return {name: getattr(run, name) for name in IMPORTED_FIGURES} | {
        "source": run.source or "typed"
    }


def recorded_steps(run: Run) -> Range | None:
    if run.avg_cadence_spm and (run.moving_s or run.duration_s):
        return steps_from_cadence(run.avg_cadence_spm, run.moving_s or run.duration_s)
    return None


AWAITING_LIMIT = 50


def awaiting_stiffness(user: User) -> dict[str, Any]:
    """Imported runs still waiting for the runner's stiffness, newest first."""
    runs, _ = list_runs(user.id, None, None, AWAITING_LIMIT, None, awaiting_stiffness=True)
    model, weight = load_model(), body_weight(user)
    return {"items": [present(r, weight, model) for r in runs]}


def body_weight(user: User) -> float | None:
    return float(user.body_weight_kg) if user.body_weight_kg is not None else None
