"""Creating, changing and reading runs; estimates and advice are added on the way out."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from backend.auth.models import User
from backend.db import utcnow
from backend.errors import Conflict, NotFound, Unprocessable
from backend.extensions import db
from backend.idempotency import create_once
from backend.pagination import paginate
from backend.runs.estimate import LoadModel, Range, estimate_load
from backend.runs.models import Run
from backend.runs.morning import course
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
        if key == "morning_stiffness":
            _correct_morning(run, value)
        elif key != "id":
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


# Slack for a phone clock that runs a little fast.
_CLOCK_SLACK = timedelta(minutes=5)


def _correct_morning(run: Run, value: int | None) -> None:
    """PATCH rule: a new value replaces the answer (its time kept); null clears it."""
    if value is None:
        run.morning_stiffness, run.morning_at = None, None
        return
    run.morning_stiffness = value
    run.morning_at = run.morning_at or utcnow()


def answer_morning(user: User, run_id: uuid.UUID, data: dict[str, Any]) -> tuple[Run, bool]:
    """Store the next-morning answer once; (run, stored now).

    The same answer again is a retry and changes nothing; a different one once an
    answer is stored is a conflict (a correction goes through PATCH on the run).
    """
    run = get_run(user, run_id)
    value = data["morning_stiffness"]
    if run.morning_stiffness is not None:
        if run.morning_stiffness == value:
            return run, False
        raise Conflict(
            "This run already has a morning answer; change it by editing the run.",
            errors={"json": {"morning_stiffness": ["Already answered for this run."]}},
        )
    now = utcnow()
    at = data.get("morning_at") or now
    if at < run.started_at or at > now + _CLOCK_SLACK:
        raise Unprocessable(
            "The answer must be given after the run and not in the future.",
            errors={
                "json": {"morning_at": ["Must be after the run started and not in the future."]}
            },
        )
    run.morning_stiffness, run.morning_at = value, at
    db.session.commit()
    return run, True


def delete_run(user: User, run_id: uuid.UUID) -> None:
    run = get_run(user, run_id)
    db.session.delete(run)
    db.session.commit()


def list_runs(
    user_id: uuid.UUID, start: date | None, end: date | None, limit: int, cursor: str | None
) -> tuple[list[Run], str | None]:
    stmt = select(Run).where(Run.user_id == user_id)
    if start is not None:
        stmt = stmt.where(Run.local_date >= start)
    if end is not None:
        stmt = stmt.where(Run.local_date <= end)
    return paginate(stmt, Run.started_at, Run.id, limit, cursor, db.session)


def runs_page(user: User, args: dict[str, Any]) -> dict[str, Any]:
    """A page of this user's runs as the API shows them (`RunQueryArgs` in)."""
    runs, cursor = list_runs(user.id, args["from_"], args["to"], args["limit"], args["cursor"])
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
        "morning_stiffness": run.morning_stiffness,
        "morning_at": run.morning_at,
        "morning_course": course(run.stiffness, run.morning_stiffness),
        "estimate": estimate_load(
            run.distance_km, run.workout_type, body_weight_kg, model or load_model()
        ),
        "advice": advice(run.red_flags or []),
        "created_at": run.created_at,
        "updated_at": run.updated_at,
    }


def body_weight(user: User) -> float | None:
    return float(user.body_weight_kg) if user.body_weight_kg is not None else None
