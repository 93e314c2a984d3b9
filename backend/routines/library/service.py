"""The exercise and routine library: who sees which item, and changing one's own.

Built-in items have no owner and everyone sees them; a practitioner's own items are seen
by that practitioner and by the runners who consent to them now.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import selectinload

from backend.auth.models import User
from backend.consent import current_practitioner
from backend.db import utcnow
from backend.errors import Conflict, Forbidden, NotFound, field_error
from backend.extensions import db
from backend.pagination import paginate
from backend.routines.models import (
    DOSES,
    Assignment,
    Exercise,
    Routine,
    RoutineSession,
    RoutineStep,
)

Owned = TypeVar("Owned", Exercise, Routine)

WITH_STEPS = selectinload(Routine.steps).selectinload(RoutineStep.exercise)


def visible(model: type[Owned], user: User) -> ColumnElement[bool]:
    """Built-ins, plus a practitioner's own items or a runner's practitioner's items."""
    if user.role == "practitioner":
        return or_(model.owner_id.is_(None), model.owner_id == user.id)
    return or_(model.owner_id.is_(None), model.owner_id == current_practitioner(user.id))


def get_visible(model: type[Owned], user: User, ident: uuid.UUID, options: Sequence[Any]) -> Owned:
    found = db.session.scalar(
        select(model).where(model.id == ident, visible(model, user)).options(*options)
    )
    if found is None:
        raise NotFound(f"No such {model.__name__.lower()}.")
    return found


def _get_own(model: type[Owned], user: User, ident: uuid.UUID, options: Sequence[Any]) -> Owned:
    found = get_visible(model, user, ident, options)
    if found.owner_id is None:
        raise Forbidden(f"Built-in {model.__tablename__} cannot be changed.")
    return found


def list_exercises(user: User, limit: int, cursor: str | None) -> tuple[list[Exercise], str | None]:
    stmt = select(Exercise).where(visible(Exercise, user))
    return paginate(stmt, Exercise.created_at, Exercise.id, limit, cursor, db.session)


def get_exercise(user: User, exercise_id: uuid.UUID) -> Exercise:
    return get_visible(Exercise, user, exercise_id, ())


def create_exercise(user: User, data: dict[str, Any]) -> Exercise:
    exercise = Exercise(owner_id=user.id, cues=[], safety=[], body_areas=[], equipment="none")
    _apply(exercise, data)
    db.session.add(exercise)
    db.session.commit()
    return exercise


def update_exercise(user: User, exercise_id: uuid.UUID, changes: dict[str, Any]) -> Exercise:
    exercise = _get_own(Exercise, user, exercise_id, ())
    _apply(exercise, changes)
    db.session.commit()
    return exercise


def delete_exercise(user: User, exercise_id: uuid.UUID) -> None:
    exercise = _get_own(Exercise, user, exercise_id, ())
    if db.session.scalar(select(exists().where(RoutineStep.exercise_id == exercise.id))):
        raise Conflict("A routine uses this exercise; take it out of the routine first.")
    db.session.delete(exercise)
    db.session.commit()


def _apply(target: Any, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key == "body_areas":
            value = sorted(set(value))
        setattr(target, key, value)


def list_routines(user: User, limit: int, cursor: str | None) -> tuple[list[Routine], str | None]:
    stmt = select(Routine).where(visible(Routine, user)).options(WITH_STEPS)
    return paginate(stmt, Routine.created_at, Routine.id, limit, cursor, db.session)


def get_routine(user: User, routine_id: uuid.UUID) -> Routine:
    return get_visible(Routine, user, routine_id, (WITH_STEPS,))


def create_routine(user: User, data: dict[str, Any]) -> Routine:
    data = dict(data)
    steps = data.pop("steps")
    exercises = _step_exercises(user, steps)
    routine = Routine(owner_id=user.id, description="", safety=[])
    _apply(routine, data)
    set_steps(routine, steps, exercises)
    db.session.add(routine)
    db.session.commit()
    return get_routine(user, routine.id)


def update_routine(user: User, routine_id: uuid.UUID, changes: dict[str, Any]) -> Routine:
    routine = _get_own(Routine, user, routine_id, (WITH_STEPS,))
    changes = dict(changes)
    steps = changes.pop("steps", None)
    _apply(routine, changes)
    if steps is not None:
        set_steps(routine, steps, _step_exercises(user, steps))
        routine.updated_at = utcnow()  # steps live in their own table
    db.session.commit()
    return get_routine(user, routine.id)


def delete_routine(user: User, routine_id: uuid.UUID) -> None:
    routine = _get_own(Routine, user, routine_id, ())
    used = select(
        or_(
            exists().where(Assignment.routine_id == routine.id),
            exists().where(RoutineSession.routine_id == routine.id),
        )
    )
    if db.session.scalar(used):
        raise Conflict(
            "This routine has been assigned or done, so it stays for the record; "
            "end its assignments instead."
        )
    db.session.delete(routine)
    db.session.commit()


def _step_exercises(user: User, steps: list[dict[str, Any]]) -> dict[uuid.UUID, Exercise]:
    """The exercises the steps name; any the user cannot see is a field error."""
    wanted = {s["exercise_id"] for s in steps}
    found = {
        e.id: e
        for e in db.session.scalars(
            select(Exercise).where(Exercise.id.in_(wanted), visible(Exercise, user))
        )
    }
    missing = {
        str(i): {"exercise_id": ["No such exercise."]}
        for i, s in enumerate(steps)
        if s["exercise_id"] not in found
    }
    if missing:
        raise field_error("steps", missing)
    return found


def step_values(step: dict[str, Any], exercise: Exercise) -> dict[str, Any]:
    values = {
        "exercise_id": exercise.id,
        "sets": step.get("sets", 1),
        "side": step.get("side", "both"),
        "rest_s": step.get("rest_s", 0),
        "cues": list(step.get("cues") or []),
    }
    values.update({dose: step.get(dose) for dose in DOSES})
    return values


def set_steps(
    routine: Routine, steps: list[dict[str, Any]], exercises: dict[Any, Exercise]
) -> bool:
    """Make the routine's steps match `steps`, changing rows in place; True if anything did.

    Rows keep their position, so a re-saved routine never holds two steps at one place.
    `exercises` maps each step's `exercise_id` (or, for built-in content, slug) to its row.
    """
    changed = False
    for index, step in enumerate(steps):
        exercise = exercises[step["exercise_id"]]
        values = step_values(step, exercise)
        if index < len(routine.steps):
            row = routine.steps[index]
            for key, value in values.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
                    changed = True
            row.exercise = exercise
        else:
            routine.steps.append(RoutineStep(position=index + 1, exercise=exercise, **values))
            changed = True
    if len(routine.steps) > len(steps):
        del routine.steps[len(steps) :]
        changed = True
    return changed
