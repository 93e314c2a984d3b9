from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select

from backend.extensions import db
from backend.outcomes.content import load_questionnaires
from backend.outcomes.models import Questionnaire, QuestionnaireResponse


@pytest.fixture
def questionnaires(app: Flask) -> dict[str, str]:
    """The built-in questionnaires, loaded: slug → id."""
    with app.app_context():
        load_questionnaires()
        ids = {q.slug: str(q.id) for q in db.session.scalars(select(Questionnaire))}
        db.session.remove()
    return ids


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def psfs_body(qid: str, ratings: tuple[int, ...] = (3, 5, 4), days_ago: float = 0, **extra: Any):
    names = ("run 10 km", "hill repeats", "sit through a work meeting", "tie shoes", "lift a bag")
    return {
        "id": str(uuid.uuid4()),
        "questionnaire_id": qid,
        "answered_at": ago(days_ago),
        "activities": [{"name": n, "rating": r} for n, r in zip(names, ratings, strict=False)],
        **extra,
    }


def nprs_body(qid: str, now: int = 5, best: int = 3, worst: int = 7, days_ago: float = 0):
    return {
        "id": str(uuid.uuid4()),
        "questionnaire_id": qid,
        "answered_at": ago(days_ago),
        "answers": {"now": now, "best": best, "worst": worst},
    }


@pytest.fixture
def store_responses(sql: Any) -> Callable[..., None]:
    """Insert scored responses straight into the table: (questionnaire id, days ago, score)."""

    def store(runner_id: uuid.UUID, rows: list[tuple[str, int, float]]) -> None:
        now = datetime.now(UTC)
        values = [
            {
                "id": uuid.uuid4(),
                "runner_id": runner_id,
                "questionnaire_id": uuid.UUID(qid),
                "answered_at": now - timedelta(days=days),
                "local_date": (now - timedelta(days=days)).date(),
                "answers": {},
                "score": score,
                "fingerprint": "test",
                "follows": str(uuid.uuid4()),
                "created_at": now,
            }
            for qid, days, score in rows
        ]

        def write(session: Any) -> None:
            session.execute(insert(QuestionnaireResponse), values)
            session.commit()

        sql(write)

    return store
