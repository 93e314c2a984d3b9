"""Creating, changing and reading runs; estimates and advice are added on the way out."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import current_app, g
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
from backend.runs.signals import run_deleted, run_saved
from backend.runs.triage import advice, triage_level


def load_model() -> LoadModel:
    """The configured load model, built once per request (every run dumped asks for it)."""
    model: LoadModel | None = g.get("load_model")
    if model is None:
        cfg = current_app.config
        model = g.load_model = LoadModel(
            run_cadence=Cadence(*cfg["LOAD_RUN_CADENCE"]),
            walk_cadence=Cadence(*cfg["LOAD_WALK_CADENCE"]),
            step_spread=float(cfg["LOAD_STEP_SPREAD"]),
            run_bw=Range(*cfg["LOAD_RUN_BW"]),
            walk_bw=Range(*cfg["LOAD_WALK_BW"]),
        )
    return model


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
    """A page of this user's runs (`RunQueryArgs` in); `RunOut` dumps each."""
    runs, cursor = list_runs(user.id, args["from_"], args["to"], args["limit"], args["cursor"])
    return {"items": runs, "next_cursor": cursor}


def estimate_for(run: Run) -> dict[str, Any]:
    """The run's load estimate, from a watch's moving time where it gave one."""
    return estimate_load(
        run.distance_km,
        run.moving_s or run.duration_s,
        run.workout_type,
        run.figures_weight_kg,
        load_model(),
        cadence_spm=run.avg_cadence_spm,
    )


def advice_for(run: Run) -> dict[str, Any]:
    """What to do about the warning signs ticked with the run, and whom to call."""
    return advice(run.red_flags) | {
        "emergency_number": current_app.config["EMERGENCY_NUMBER"] or None
    }


AWAITING_LIMIT = 50


def awaiting_stiffness(user: User) -> dict[str, Any]:
    """Imported runs still waiting for the runner's stiffness, newest first."""
    runs, _ = list_runs(user.id, None, None, AWAITING_LIMIT, None, awaiting_stiffness=True)
    return {"items": runs}
