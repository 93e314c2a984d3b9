"""Statements as the database receives them (each executemany row counted) do not grow
with the length of a runner's history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from backend.extensions import db
from bench.sqlcount import ServerStatements
from tests.practice.support import store_runs

SCREENS = [
    "/api/v1/progress",
    "/api/v1/progress?from=2000-01-01",
    "/api/v1/today",
    "/api/v1/runs?limit=50",
]


def _history(n: int, offset: int) -> list[dict[str, Any]]:
    start = datetime.now(UTC).date() - timedelta(days=3000)
    return [
        {
            "day": start + timedelta(days=(i + offset) % 3000),
            "stiffness": i % 11,
            "surface": ("road", "trail", "track")[i % 3],
            "workout_type": ("easy", "hills", "long", "tempo")[i % 4],
            "distance_km": 5.0 + i % 13,
            "morning_stiffness": (i % 7) if i % 2 else None,
        }
        for i in range(n)
    ]


def _statements(app: Any, api: Any, path: str) -> int:
    with app.app_context():
        counter = ServerStatements(db.engine)
    api.get(path)  # the first read after a write may refresh the session's last-seen time
    with counter:
        response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return counter.count


@pytest.mark.parametrize("path", SCREENS)
def test_the_same_statements_for_100_and_10000_runs(
    app: Any, runner_api: Any, runner: Any, sql: Any, path: str
) -> None:
    store_runs(sql, runner.id, _history(100, 0))
    small = _statements(app, runner_api, path)
    store_runs(sql, runner.id, _history(9900, 100))
    large = _statements(app, runner_api, path)
    assert small == large


def test_the_server_log_counts_what_the_server_ran(app: Any) -> None:
    """The PostgreSQL count is the server's: BEGIN and COMMIT too, and each executemany row."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server: its count is taken at the driver")
    rows = [{"x": i} for i in range(5)]
    with ServerStatements(engine) as counter, engine.begin() as conn:
        conn.execute(text("CREATE TEMPORARY TABLE counted (x integer)"))
        conn.execute(text("INSERT INTO counted (x) VALUES (:x)"), rows)
        conn.execute(text("SELECT count(*) FROM counted"))
    assert counter.count == 1 + 1 + 5 + 1 + 1  # BEGIN, CREATE, 5 inserts, SELECT, COMMIT
    with ServerStatements(engine) as idle:
        pass
    assert idle.count == 0
