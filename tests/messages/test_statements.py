"""A page of a thread costs the same statements for 10 messages or 1,000."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from backend.extensions import db
from backend.messages.models import Message
from backend.practice.models import Consent
from tests.support import QueryCounter, run_body


def fill(app, runner_id, n, run_id):
    """n messages straight into the thread, every tenth about a run."""
    with app.app_context():
        consent = db.session.scalar(select(Consent).where(Consent.runner_id == runner_id))
        start = datetime(2026, 11, 1, tzinfo=UTC)
        rows = [
            {
                "id": uuid.uuid4(),
                "consent_id": consent.id,
                "runner_id": runner_id,
                "practitioner_id": consent.practitioner_id,
                "sender_id": runner_id if i % 2 else consent.practitioner_id,
                "author": "runner" if i % 2 else "practitioner",
                "body": f"message {i}",
                "run_id": run_id if i % 10 == 0 else None,
                "fingerprint": "x" * 64,
                "created_at": start + timedelta(minutes=i),
            }
            for i in range(n)
        ]
        db.session.execute(insert(Message), rows)
        db.session.commit()
        db.session.remove()


def counted(app, api, path):
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return counter.count, len(response.get_json()["items"])


@pytest.mark.parametrize("side", ["runner", "practitioner"])
def test_statements_do_not_grow_with_the_thread(
    app, runner, runner_api, practitioner_api, linked, side
):
    run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
    api = runner_api if side == "runner" else practitioner_api
    path = "/api/v1/me/messages" if side == "runner" else f"/api/v1/clients/{runner.id}/messages"
    fill(app, runner.id, 10, uuid.UUID(run_id))
    small, seen_small = counted(app, api, f"{path}?limit=50")
    fill(app, runner.id, 990, uuid.UUID(run_id))
    large, seen_large = counted(app, api, f"{path}?limit=50")
    assert (seen_small, seen_large) == (10, 50)
    assert small == large
    since, _ = counted(app, api, f"{path}?limit=50&since=" + _first_position(api, path))
    assert since == large


def _first_position(api, path):
    return api.get(f"{path}?limit=1").get_json()["newest"]


def test_a_page_of_50_is_one_query_plus_auth(app, runner, runner_api, practitioner_api, linked):
    """The page is one statement, whatever the thread holds; the rest is auth and the thread."""
    run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
    fill(app, runner.id, 1000, uuid.UUID(run_id))
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def keep(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert runner_api.get("/api/v1/me/messages?limit=50").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    on_messages = [s for s in statements if "FROM messages" in s]
    assert len(on_messages) == 1, on_messages
    # The signed-in session, the thread (the consent check), the page, the practitioner's name.
    assert len(statements) == 4, statements
