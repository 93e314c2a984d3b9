"""Creating, changing and reading runs; estimates and advice are added on the way out."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from backend.auth.models import User
from backend.dates import local_date_of
from backend.db import utcnow
from backend.errors import NotFound, Unprocessable
from backend.extensions import db
from backend.idempotency import create_once
from backend.pagination import paginate
from backend.runs import plausibility
from backend.runs.estimate import Cadence, LoadModel, Range, estimate_load
from backend.runs.models import Run
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
        if key != "id":
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


def delete_run(user: User, run_id: uuid.UUID) -> None:
    run = get_run(user, run_id)
    db.session.delete(run)
    db.session.commit()
    run_deleted.send(None, user_id=user.id, run_id=run_id)


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
        "estimate": estimate_load(
            run.distance_km,
            run.duration_s,
            run.workout_type,
            weight_for(run, user),
            model or load_model(),
        ),
        "advice": advice(run.red_flags or [])
        | {"emergency_number": current_app.config["EMERGENCY_NUMBER"] or None},
        "created_at": run.created_at,
        "updated_at": run.updated_at,
    }
