"""Creating, changing and reading runs; estimates and advice are added on the way out."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from backend.auth.models import User
from backend.dates import local_date_of
from backend.db import utcnow
from backend.errors import Conflict, NotFound, Unprocessable, field_error
from backend.extensions import db
from backend.idempotency import create_once
from backend.pagination import paginate
from backend.runs import plausibility
from backend.runs.estimate import Cadence, LoadModel, Range, estimate_load
from backend.runs.models import Run
from backend.runs.morning import course
from backend.runs.signals import run_deleted, run_saved
from backend.runs.triage import advice, triage_level


def load_model() -> LoadModel:
    cfg = current_app.config
    return LoadModel(
        run_cadence=Cadence(*cfg["LOAD_RUN_CADENCE"]),
        walk_cadence=Cadence(*cfg["LOAD_WALK_CADENCE"]),
        step_spread=float(cfg["LOAD_STEP_SPREAD"]),
        run_bw=Range(*cfg["LOAD_RUN_BW"]),
        walk_bw=Range(*cfg["LOAD_WALK_BW"]),
    )


def _apply(run: Run, data: dict[str, Any], user: User) -> None:
    for key, value in data.items():
        if key == "morning_stiffness":
            _correct_morning(run, value)
        elif key != "id":
            setattr(run, key, sorted(set(value)) if isinstance(value, list) else value)
    problems = plausibility.problems(
        run.distance_km, run.duration_s, run.workout_type, run.started_at, utcnow()
    )
    if problems:
        db.session.rollback()
        raise Unprocessable(errors={"json": problems})
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
            # Figures for this run keep the weight of the day, whatever it is later.
            body_weight_kg=user.body_weight_kg,
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
        raise field_error(
            "morning_at",
            "Must be after the run started and not in the future.",
            "The answer must be given after the run and not in the future.",
        )
    run.morning_stiffness, run.morning_at = value, at
    db.session.commit()
    return run, True


def delete_run(user: User, run_id: uuid.UUID) -> None:
    run = get_run(user, run_id)
    db.session.delete(run)
    db.session.commit()
    run_deleted.send(None, user_id=user.id, run_id=run_id)


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
    runs, cursor = list_runs(user.id, args["from_"], args["to"], args["limit"], args["cursor"])
    model = load_model()
    return {"items": [present(r, user, model) for r in runs], "next_cursor": cursor}


def weight_for(run: Run, user: User) -> float | None:
    """The body weight this run's figures use: the one recorded with it, else today's."""
    return float(run.body_weight_kg) if run.body_weight_kg is not None else user.body_weight


def present(run: Run, user: User, model: LoadModel | None = None) -> dict[str, Any]:
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
        "body_weight_kg": weight_for(run, user),
        "morning_stiffness": run.morning_stiffness,
        "morning_at": run.morning_at,
        "morning_course": (
            course(run.stiffness, run.morning_stiffness) if run.stiffness is not None else None
        ),
        **imported_figures(run),
        "estimate": estimate_load(
            run.distance_km,
            run.moving_s or run.duration_s,  # a watch's moving time, where it gave one
            run.workout_type,
            weight_for(run, user),
            model or load_model(),
            cadence_spm=run.avg_cadence_spm,
        ),
        "advice": advice(run.red_flags or [])
        | {"emergency_number": current_app.config["EMERGENCY_NUMBER"] or None},
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


AWAITING_LIMIT = 50


def awaiting_stiffness(user: User) -> dict[str, Any]:
    """Imported runs still waiting for the runner's stiffness, newest first."""
    runs, _ = list_runs(user.id, None, None, AWAITING_LIMIT, None, awaiting_stiffness=True)
    model = load_model()
    return {"items": [present(r, user, model) for r in runs]}
