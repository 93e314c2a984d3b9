"""Fixtures for routines: the built-in content, linked clients, bodies for writes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from backend.extensions import db
from backend.practice.models import Consent
from backend.routines.content import load_builtin
from backend.routines.models import Exercise, Routine
from tests.support import Api, QueryCounter

LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def builtin(app: Flask) -> dict[str, dict[str, uuid.UUID]]:
    """Load the built-in content; ids of exercises and routines by slug."""
    from sqlalchemy import select

    with app.app_context():
        load_builtin()
        exercises = dict(db.session.execute(select(Exercise.slug, Exercise.id)).tuples().all())
        routines = dict(db.session.execute(select(Routine.slug, Routine.id)).tuples().all())
        db.session.remove()
    return {"exercises": exercises, "routines": routines}  # type: ignore[dict-item]


@pytest.fixture
def link(sql: Any) -> Callable[[Any, Any], None]:
    """Make a runner consent to a practitioner."""

    def make(runner: Any, practitioner: Any) -> None:
        def add(session: Any) -> None:
            session.add(Consent(runner_id=runner.id, practitioner_id=practitioner.id))
            session.commit()

        sql(add)

    return make


@pytest.fixture
def login(app: Flask) -> Callable[[Any], Api]:
    return lambda user: Api(app.test_client()).login(user)


@pytest.fixture
def client_runner(make_user: Any, practitioner: Any, link: Any) -> Any:
    """A runner (signed up long ago) who consents to the `practitioner` fixture."""
    runner = make_user(role="runner", created_at=LONG_AGO)
    link(runner, practitioner)
    return runner


@pytest.fixture
def count_queries(app: Flask) -> Callable[[Callable[[], Any]], tuple[int, Any]]:
    """Run `fn` and return (number of SQL statements, its result)."""
    with app.app_context():
        engine = db.engine

    def count(fn: Callable[[], Any]) -> tuple[int, Any]:
        with QueryCounter(engine) as counter:
            result = fn()
        return counter.count, result

    return count


def exercise_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Wall sit with breathing",
        "summary": "Hold a wall sit while breathing low and slow.",
        "instructions": ["Lean on a wall.", "Slide down until knees are bent.", "Breathe."],
        "cues": ["Ribs down."],
        "safety": ["Stop if your knees hurt."],
        "equipment": "wall",
        "body_areas": ["quads", "low_back"],
    }
    body.update(overrides)
    return body


def routine_body(exercise_ids: list[Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "After hills",
        "purpose": "Settle the low back after a hill session.",
        "description": "Short and easy.",
        "safety": ["Stop if anything is sharp."],
        "estimated_minutes": 7,
        "steps": [
            {"exercise_id": str(ident), "sets": 2, "reps": 8, "side": "each", "rest_s": 20}
            for ident in exercise_ids
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def make_routines(sql: Any) -> Callable[..., list[uuid.UUID]]:
    """Store `n` routines of `steps` steps each for `owner` straight in the database."""
    from backend.routines.models import RoutineStep

    def make(owner: Any, n: int, steps: int = 5) -> list[uuid.UUID]:
        def add(session: Any) -> list[uuid.UUID]:
            made = []
            for i in range(n):
                routine = Routine(
                    owner_id=owner.id, name=f"Routine {i}", purpose="Test", estimated_minutes=5
                )
                for position in range(1, steps + 1):
                    exercise = Exercise(
                        owner_id=owner.id, name=f"Exercise {i}.{position}", summary="Test"
                    )
                    routine.steps.append(
                        RoutineStep(position=position, exercise=exercise, reps=position)
                    )
                session.add(routine)
                made.append(routine)
            session.commit()
            return [r.id for r in made]

        return sql(add)  # type: ignore[no-any-return]

    return make
