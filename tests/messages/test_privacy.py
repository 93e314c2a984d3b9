"""Messages are in the runner's export and go with an erasure, on either side."""

from __future__ import annotations

from sqlalchemy import select

from backend.messages.models import Message
from tests.messages.conftest import write
from tests.support import PASSWORD

MINE = "/api/v1/me/messages"


def _exported(api):
    response = api.get("/api/v1/me/export")
    assert response.status_code == 200
    return response.get_json()["tables"].get("messages", [])


def test_the_runner_exports_both_sides_of_every_thread(
    runner, runner_api, practitioner_api, linked
):
    write(runner_api, MINE, "question")
    write(practitioner_api, f"/api/v1/clients/{runner.id}/messages", "answer")
    runner_api.delete("/api/v1/me/practitioner")
    rows = _exported(runner_api)
    assert sorted(r["body"] for r in rows) == ["answer", "question"]
    assert all("fingerprint" not in r for r in rows)


def test_the_practitioner_exports_a_thread_only_while_the_client_consents(
    runner, runner_api, practitioner_api, linked
):
    write(runner_api, MINE, "question")
    write(practitioner_api, f"/api/v1/clients/{runner.id}/messages", "answer")
    assert len(_exported(practitioner_api)) == 2
    runner_api.delete("/api/v1/me/practitioner")
    assert _exported(practitioner_api) == []


def test_erasing_the_runner_removes_the_conversation(
    runner, runner_api, practitioner_api, linked, sql
):
    write(runner_api, MINE, "question")
    write(practitioner_api, f"/api/v1/clients/{runner.id}/messages", "answer")
    assert runner_api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    assert sql(lambda s: s.scalars(select(Message)).all()) == []


def test_a_practitioner_who_leaves_leaves_the_thread_to_the_runner_closed(
    runner, practitioner, runner_api, practitioner_api, linked, sql
):
    write(runner_api, MINE, "question")
    write(practitioner_api, f"/api/v1/clients/{runner.id}/messages", "answer")
    assert practitioner_api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    rows = sql(lambda s: [(m.practitioner_id, m.sender_id) for m in s.scalars(select(Message))])
    assert len(rows) == 2 and all(p is None for p, _ in rows)
    assert practitioner.id not in {sender for _, sender in rows}
    page = runner_api.get(MINE).get_json()
    assert page["thread"]["open"] is False
    assert sorted(m["body"] for m in page["items"]) == ["answer", "question"]
    assert runner_api.post(MINE, {"body": "still there?"}).status_code == 409
