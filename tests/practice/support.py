"""Helpers for practice and progress tests: linking, and many runs stored at once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from backend.extensions import db
from backend.runs.models import Run
from bench.sqlcount import ServerStatements
from tests.support import Api


def link(runner_api: Api, practitioner_api: Api) -> dict[str, Any]:
    """The runner joins the practitioner with their invite code."""
    code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
    response = runner_api.post("/api/v1/me/practitioner", {"invite_code": code})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def store_runs(sql: Any, user_id: uuid.UUID, runs: list[dict[str, Any]]) -> None:
    """Insert runs straight into the table (fast, no signals): each needs a `day`."""
    rows = []
    for run in runs:
        day: date = run["day"]
        rows.append(
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "started_at": datetime.combine(day, time(7, 0), tzinfo=UTC),
                "local_date": day,
                "distance_km": run.get("distance_km", 8.0),
                "duration_s": run.get("duration_s", 2700),
                "surface": run.get("surface", "road"),
                "workout_type": run.get("workout_type", "easy"),
                "stiffness": run["stiffness"],
                "stiffness_areas": [],
                "red_flags": run.get("red_flags", []),
                "advice_level": run.get("advice_level", "none"),
                "notes": run.get("notes", ""),
                "morning_stiffness": run.get("morning_stiffness"),
                "morning_at": (
                    datetime.combine(day, time(7, 0), tzinfo=UTC) + timedelta(days=1)
                    if run.get("morning_stiffness") is not None
                    else None
                ),
                "fingerprint": "test",
                "created_at": datetime.now(UTC),
                "updated_at": datetime.now(UTC),
            }
        )

    def write(session: Any) -> None:
        session.execute(insert(Run), rows)
        session.commit()

    sql(write)


def days_back(today: date, n: int) -> date:
    return today - timedelta(days=n)


def statements(app: Any, api: Api, path: str) -> int:
    """How many SQL statements one successful GET sends, as the server counts them."""
    with app.app_context():
        counter = ServerStatements(db.engine)
    with counter:
        response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return counter.count
