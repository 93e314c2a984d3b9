"""The routine log: idempotent writes, visibility, listing by local date."""

import uuid

from sqlalchemy import func, select

from backend.routines.models import RoutineSession
from tests.routines.conftest import routine_body

SESSION_KEYS = {
    "id",
    "routine_id",
    "routine_name",
    "completed_at",
    "local_date",
    "notes",
    "created_at",
}


def session_body(routine_id, **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "routine_id": str(routine_id),
        "completed_at": "2026-11-20T07:45:00+01:00",
        "notes": "Felt looser afterwards.",
    }
    body.update(overrides)
    return body


def stored_sessions(sql):
    return sql(lambda s: s.scalar(select(func.count()).select_from(RoutineSession)))


class TestLogSession:
    def test_it_logs_a_routine_as_done(self, runner_api, builtin):
        body = session_body(builtin["routines"]["hip-circles"])
        response = runner_api.post("/api/v1/sessions", body)
        saved = response.get_json()
        assert response.status_code == 201
        assert set(saved) == SESSION_KEYS
        assert saved["id"] == body["id"]
        assert saved["routine_name"] == "Hip circles"
        assert saved["completed_at"] == "2026-11-20T06:45:00+00:00"
        assert saved["local_date"] == "2026-11-20"

    def test_the_same_session_twice_is_one_row(self, runner_api, builtin, sql):
        body = session_body(builtin["routines"]["hip-circles"])
        first = runner_api.post("/api/v1/sessions", body)
        again = runner_api.post("/api/v1/sessions", body)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.get_json() == first.get_json()
        assert stored_sessions(sql) == 1

    def test_the_same_id_with_another_body_is_a_conflict(self, runner_api, builtin, sql):
        body = session_body(builtin["routines"]["hip-circles"])
        runner_api.post("/api/v1/sessions", body)
        response = runner_api.post("/api/v1/sessions", {**body, "notes": "Different"})
        assert response.status_code == 409
        assert stored_sessions(sql) == 1

    def test_another_runners_id_is_a_conflict(self, runner_api, builtin, make_user, login):
        body = session_body(builtin["routines"]["hip-circles"])
        runner_api.post("/api/v1/sessions", body)
        other = login(make_user(role="runner"))
        assert other.post("/api/v1/sessions", body).status_code == 409

    def test_it_makes_an_id_when_none_is_sent(self, runner_api, builtin):
        body = session_body(builtin["routines"]["hip-circles"])
        del body["id"], body["notes"]
        saved = runner_api.post("/api/v1/sessions", body).get_json()
        assert uuid.UUID(saved["id"]) and saved["notes"] == ""

    def test_a_routine_the_runner_cannot_see_is_404(
        self, runner_api, builtin, practitioner_api, sql
    ):
        custom = practitioner_api.post(
            "/api/v1/routines", routine_body([builtin["exercises"]["bird-dog"]])
        ).get_json()
        for routine_id in (custom["id"], uuid.uuid4()):
            response = runner_api.post("/api/v1/sessions", session_body(routine_id))
            assert response.status_code == 404
        assert stored_sessions(sql) == 0

    def test_it_needs_a_time_with_an_offset(self, runner_api, builtin):
        body = session_body(builtin["routines"]["hip-circles"], completed_at="2026-11-20T07:45:00")
        response = runner_api.post("/api/v1/sessions", body)
        assert response.status_code == 422
        assert "completed_at" in response.get_json()["errors"]["json"]

    def test_it_is_for_runners_only(self, practitioner_api, builtin):
        body = session_body(builtin["routines"]["hip-circles"])
        assert practitioner_api.post("/api/v1/sessions", body).status_code == 403


class TestListSessions:
    def test_it_lists_my_sessions_newest_first_within_dates(
        self, runner_api, builtin, make_user, login
    ):
        routine = builtin["routines"]["low-back-release"]
        for day in ("18", "19", "20", "21"):
            body = session_body(routine, completed_at=f"2026-11-{day}T09:00:00+00:00")
            assert runner_api.post("/api/v1/sessions", body).status_code == 201
        login(make_user(role="runner")).post("/api/v1/sessions", session_body(routine))
        body = runner_api.get("/api/v1/sessions?from=2026-11-19&to=2026-11-20").get_json()
        assert [s["local_date"] for s in body["items"]] == ["2026-11-20", "2026-11-19"]
        assert body["next_cursor"] is None
        everything = runner_api.get("/api/v1/sessions").get_json()["items"]
        assert len(everything) == 4

    def test_it_pages(self, runner_api, builtin):
        routine = builtin["routines"]["low-back-release"]
        for hour in range(5):
            body = session_body(routine, completed_at=f"2026-11-20T0{hour}:00:00+00:00")
            runner_api.post("/api/v1/sessions", body)
        first = runner_api.get("/api/v1/sessions?limit=3").get_json()
        rest = runner_api.get(f"/api/v1/sessions?limit=3&cursor={first['next_cursor']}").get_json()
        assert [len(first["items"]), len(rest["items"])] == [3, 2]
        assert rest["next_cursor"] is None
