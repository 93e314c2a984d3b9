"""Who may call each practitioner route: only the allowed cells succeed; every other cell
gets 401, 403 or 404 with no data, and nothing in the database changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.messages.models import Message
from backend.outcomes.content import load_questionnaires
from backend.outcomes.models import OutcomeSchedule, QuestionnaireResponse
from backend.practice.models import AccessLog, Alert, ClientNote, Consent, PracticeInvite
from backend.routines.models import Assignment
from tests.practice.support import link
from tests.support import PASSWORD, Api, run_body

ACTORS = ("anonymous", "runner_a", "runner_b", "consenting", "unlinked", "revoked")
PRACTITIONERS = {"consenting", "unlinked", "revoked"}


@dataclass
class World:
    apis: dict[str, Api]
    runner_a: Any
    alert_id: str
    old_alert_id: str
    routine_id: str
    assignment_id: str
    psfs_id: str = ""
    message_id: str = ""
    suggestion_id: str = ""

    def fill(self, template: Any) -> Any:
        values = {
            "a": self.runner_a.id,
            "alert": self.alert_id,
            "old_alert": self.old_alert_id,
            "routine": self.routine_id,
            "assignment": self.assignment_id,
            "psfs": self.psfs_id,
            "message": self.message_id,
            "suggestion": self.suggestion_id,
        }
        if isinstance(template, str):
            return template.format(**values)
        if isinstance(template, dict):
            return {k: self.fill(v) for k, v in template.items()}
        return template


@pytest.fixture
def world(app, make_user, routine_id) -> World:
    users = {
        "runner_a": make_user(role="runner"),
        "runner_b": make_user(role="runner"),
        "consenting": make_user(role="practitioner"),
        "unlinked": make_user(role="practitioner"),
        "revoked": make_user(role="practitioner"),
    }
    apis = {name: Api(app.test_client()).login(user) for name, user in users.items()}
    apis["anonymous"] = Api(app.test_client())
    a = apis["runner_a"]
    link(a, apis["revoked"])
    a.post("/api/v1/runs", run_body(red_flags=["fever"]))
    a.post("/api/v1/me/messages", {"body": "to the practitioner who will be revoked"})
    old_alert = apis["revoked"].get("/api/v1/alerts").get_json()["items"][0]["id"]
    a.delete("/api/v1/me/practitioner")
    link(a, apis["consenting"])
    a.post("/api/v1/runs", run_body(red_flags=["sharp_pain"], stiffness=5))
    alert = apis["consenting"].get("/api/v1/alerts").get_json()["items"][0]["id"]
    apis["consenting"].post(f"/api/v1/clients/{users['runner_a'].id}/notes", {"body": "first"})
    assignment = apis["consenting"].post(
        f"/api/v1/clients/{users['runner_a'].id}/assignments",
        {"routine_id": str(routine_id), "weekdays": [0, 3], "starts_on": "2026-11-02"},
    )
    assert assignment.status_code == 201, assignment.get_json()
    link(apis["runner_b"], apis["unlinked"])
    with app.app_context():
        load_questionnaires()
    psfs = apis["runner_a"].get("/api/v1/questionnaires").get_json()["items"][1]["id"]
    message = a.post("/api/v1/me/messages", {"body": "a question"}).get_json()["id"]
    suggestion = (
        apis["consenting"]
        .post(
            f"/api/v1/clients/{users['runner_a'].id}/messages",
            {"body": "try this", "suggestion": {"routine_id": str(routine_id), "weekdays": [1]}},
        )
        .get_json()["id"]
    )
    return World(
        apis,
        users["runner_a"],
        alert,
        old_alert,
        str(routine_id),
        assignment.get_json()["id"],
        psfs,
        message,
        suggestion,
    )


def snapshot(sql) -> dict[str, Any]:
    def take(s):
        return {
            "notes": s.scalar(select(func.count()).select_from(ClientNote)),
            "acked": s.scalar(
                select(func.count()).select_from(Alert).where(Alert.acknowledged_at.is_not(None))
            ),
            "consents": sorted(
                (str(c.runner_id), str(c.practitioner_id), c.revoked_at is None)
                for c in s.scalars(select(Consent))
            ),
            "invites": sorted(s.scalars(select(PracticeInvite.code))),
            "reads": s.scalar(select(func.count()).select_from(AccessLog)),
            "assignments": sorted(
                (str(a.id), tuple(a.weekdays), a.deleted_at is None)
                for a in s.scalars(select(Assignment))
            ),
            "answers": s.scalar(select(func.count()).select_from(QuestionnaireResponse)),
            "messages": sorted(
                (str(m.id), m.body, m.read_at is None, m.accepted_at is None)
                for m in s.scalars(select(Message))
            ),
            "schedules": sorted(
                (str(o.runner_id), o.interval_weeks) for o in s.scalars(select(OutcomeSchedule))
            ),
        }

    return sql(take)


# (method, path, body, who succeeds)
CLIENT_ROUTES = [
    ("GET", "/api/v1/clients/{a}", None),
    ("GET", "/api/v1/clients/{a}/runs", None),
    ("GET", "/api/v1/clients/{a}/sessions", None),
    ("GET", "/api/v1/clients/{a}/progress", None),
    ("GET", "/api/v1/clients/{a}/alerts?status=all", None),
    ("GET", "/api/v1/clients/{a}/notes", None),
    ("POST", "/api/v1/clients/{a}/notes", {"body": "a note"}),
    ("GET", "/api/v1/clients/{a}/export.csv", None),
    ("POST", "/api/v1/alerts/{alert}/ack", None),
    ("GET", "/api/v1/clients/{a}/assignments", None),
    (
        "POST",
        "/api/v1/clients/{a}/assignments",
        {"routine_id": "{routine}", "weekdays": [1], "starts_on": "2026-12-01"},
    ),
    ("PATCH", "/api/v1/assignments/{assignment}", {"weekdays": [2]}),
    ("DELETE", "/api/v1/assignments/{assignment}", None),
    ("GET", "/api/v1/clients/{a}/outcomes", None),
    ("PATCH", "/api/v1/clients/{a}/outcome-schedule", {"interval_weeks": 4}),
    ("GET", "/api/v1/clients/{a}/messages", None),
    ("POST", "/api/v1/clients/{a}/messages", {"body": "an answer"}),
    ("POST", "/api/v1/clients/{a}/messages/{message}/read", None),
]
# Runner A's own message routes: runner B finds nothing there (404).
A_ONLY = {"/api/v1/me/messages/{message}/read", "/api/v1/me/messages/{suggestion}/accept"}
PSFS_ANSWER = {
    "questionnaire_id": "{psfs}",
    "answered_at": datetime.now(UTC).isoformat(),
    "activities": [{"name": n, "rating": 4} for n in ("run", "hills", "sit")],
}
# Runners only, whatever the path looks like.
RUNNER_ROUTES = {"/api/v1/questionnaire-responses"}
CASES = [(m, p, b, {"consenting"}) for m, p, b in CLIENT_ROUTES] + [
    ("POST", "/api/v1/alerts/{old_alert}/ack", None, set()),
    ("GET", "/api/v1/clients", None, PRACTITIONERS),
    ("GET", "/api/v1/alerts?status=all", None, PRACTITIONERS),
    ("GET", "/api/v1/practice/invite", None, PRACTITIONERS),
    ("POST", "/api/v1/practice/invite", None, PRACTITIONERS),
    ("GET", "/api/v1/me/access-log", None, {"runner_a", "runner_b"}),
    ("GET", "/api/v1/me/calendar-feed", None, {"runner_a", "runner_b"}),
    ("POST", "/api/v1/me/calendar-feed", None, {"runner_a", "runner_b"}),
    ("DELETE", "/api/v1/me/calendar-feed", None, {"runner_a", "runner_b"}),
    ("DELETE", "/api/v1/me/practitioner", None, {"runner_a", "runner_b"}),
    ("POST", "/api/v1/me/practitioner", {"invite_code": "NOSUCHCODE"}, set()),
    ("GET", "/api/v1/me/two-step", None, PRACTITIONERS),
    ("POST", "/api/v1/me/two-step/totp/setup", {"password": PASSWORD}, PRACTITIONERS),
    ("GET", "/api/v1/questionnaires", None, set(ACTORS) - {"anonymous"}),
    ("GET", "/api/v1/me/questionnaires/due", None, {"runner_a", "runner_b"}),
    ("GET", "/api/v1/me/outcomes", None, {"runner_a", "runner_b"}),
    ("POST", "/api/v1/questionnaire-responses", PSFS_ANSWER, {"runner_a", "runner_b"}),
    ("GET", "/api/v1/me/messages", None, {"runner_a", "runner_b"}),
    ("POST", "/api/v1/me/messages", {"body": "hello"}, {"runner_a", "runner_b"}),
    ("POST", "/api/v1/me/messages/{message}/read", None, {"runner_a"}),
    ("POST", "/api/v1/me/messages/{suggestion}/accept", None, {"runner_a"}),
    ("GET", "/api/v1/me/unread", None, set(ACTORS) - {"anonymous"}),
    ("GET", "/api/v1/practice/conversations", None, PRACTITIONERS),
]


def _send(api: Api, method: str, path: str, body: Any) -> Any:
    if method == "GET":
        return api.get(path)
    send = {"POST": api.post, "PATCH": api.patch, "DELETE": api.delete}[method]
    return send(path) if body is None else send(path, body)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES]
)
def test_access_matrix(world, sql, actor, method, path, body, allowed):
    url = world.fill(path)
    before = snapshot(sql)
    response = _send(world.apis[actor], method, url, world.fill(body))
    text = response.get_data(as_text=True)
    if actor in allowed:
        assert 200 <= response.status_code < 300, (response.status_code, text)
        lists = ("/api/v1/clients", "/api/v1/alerts?status=all", "/api/v1/practice/conversations")
        if url in lists and actor != "consenting":
            # Their own (empty) lists: nothing about runner A.
            assert str(world.runner_a.id) not in text
        if "messages" in url and actor not in ("runner_a", "consenting"):
            assert "a question" not in text and world.message_id not in text
        return
    expected = 401 if actor == "anonymous" else (404 if actor in PRACTITIONERS else 403)
    if (
        path.startswith("/api/v1/me/")
        or path in ("/api/v1/clients", "/api/v1/alerts?status=all")
        or path in RUNNER_ROUTES
    ):
        expected = 401 if actor == "anonymous" else 403
    if path in A_ONLY and actor == "runner_b":
        expected = 404  # not theirs: the same answer as no such message
    if path == "/api/v1/me/practitioner" and method == "POST" and actor.startswith("runner"):
        expected = 422  # a well-formed request with a code no practice uses
    assert response.status_code == expected, (response.status_code, text)
    assert set(response.get_json()) <= {"code", "status", "message", "errors", "request_id"}
    assert snapshot(sql) == before
