import uuid

from sqlalchemy import func, select

from backend.extensions import db
from backend.routines.content import load_builtin
from backend.runs.models import Run
from tests.privacy.helpers import link, practice_history, rows_about
from tests.support import PASSWORD, Api, run_body


def load_builtin_content(app):
    with app.app_context():
        load_builtin()
        db.session.remove()


def _erase(api, password=PASSWORD):
    return api.delete("/api/v1/me", {"password": password})


def _everything_about(sql, user_id):
    return {name: n for name, n in sql(lambda s: rows_about(s, user_id)).items() if n}


class TestEraseAccount:
    def test_it_needs_the_password(self, runner_api, runner, sql):
        runner_api.post("/api/v1/runs", run_body())
        response = _erase(runner_api, "not my password")
        assert response.status_code == 422
        assert "password" in response.get_json()["errors"]["json"]
        assert _everything_about(sql, runner.id)["runs"] == 1
        assert runner_api.get("/api/v1/auth/me").status_code == 200

    def test_it_refuses_a_missing_password(self, runner_api):
        response = runner_api.delete("/api/v1/me", {})
        assert response.status_code == 422
        assert "password" in response.get_json()["errors"]["json"]

    def test_it_leaves_no_row_about_a_runner(self, app, runner_api, runner, practitioner, sql):
        runner_api.post("/api/v1/runs", run_body())
        link(app, runner.id, practitioner.id)
        Api(app.test_client()).login(runner)  # a second device
        assert len(_everything_about(sql, runner.id)) >= 4
        assert _erase(runner_api).status_code == 204
        assert _everything_about(sql, runner.id) == {}
        # The practitioner keeps their own account and invite.
        assert _everything_about(sql, practitioner.id) == {"users": 1, "practice_invites": 1}

    def test_it_leaves_no_row_about_a_practitioner(
        self, app, practitioner_api, practitioner, runner, sql
    ):
        link(app, runner.id, practitioner.id)
        runner_api = Api(app.test_client()).login(runner)
        runner_api.post("/api/v1/runs", run_body())
        assert _erase(practitioner_api).status_code == 204
        assert _everything_about(sql, practitioner.id) == {}
        # Their clients keep their own data and the consent history, now ended; only the
        # link to the practitioner goes.
        left = _everything_about(sql, runner.id)
        assert left.get("runs") == 1 and left.get("consents") == 1
        assert runner_api.get("/api/v1/auth/me").get_json()["practitioner"] is None

    def test_a_runner_with_a_practice_history_leaves_nothing_behind(
        self, app, runner_api, practitioner_api, runner, practitioner, sql
    ):
        practice_history(app, runner_api, practitioner_api, runner)
        before = _everything_about(sql, runner.id)
        practice = {"consents", "alerts", "client_notes", "access_visits", "assignments"}
        assert practice | {"runs", "routine_sessions", "auth_sessions"} <= set(before)
        assert _erase(runner_api).status_code == 204
        assert _everything_about(sql, runner.id) == {}
        assert _everything_about(sql, practitioner.id) == {
            "users": 1,
            "practice_invites": 1,
            "auth_sessions": 1,
        }

    def test_a_practitioner_with_clients_leaves_nothing_behind(
        self, app, runner_api, practitioner_api, runner, practitioner, sql
    ):
        practice_history(app, runner_api, practitioner_api, runner)
        assert _erase(practitioner_api).status_code == 204
        assert _everything_about(sql, practitioner.id) == {}
        # The runner keeps their runs, the built-in routine they did, and the trail of who
        # saw their data; what the practitioner wrote or was told goes with them.
        left = _everything_about(sql, runner.id)
        assert left == {
            "users": 1,
            "auth_sessions": 1,
            "runs": 1,
            "run_rollups": 1,
            "routine_sessions": 1,
            "consents": 2,
            "access_visits": 1,
        }

    def test_every_device_is_signed_out(self, app, runner_api, runner):
        other_device = Api(app.test_client()).login(runner)
        assert _erase(runner_api).status_code == 204
        assert runner_api.get("/api/v1/auth/me").status_code == 401
        assert other_device.get("/api/v1/auth/me").status_code == 401

    def test_a_late_offline_write_gets_401_and_stores_nothing(self, app, runner_api, runner, sql):
        phone = Api(app.test_client()).login(runner)
        token = phone.csrf()
        assert _erase(runner_api).status_code == 204
        response = phone.client.post(
            "/api/v1/runs", json=run_body(), headers={"X-CSRFToken": token}
        )
        assert response.status_code == 401
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Run))) == 0
        assert _everything_about(sql, runner.id) == {}

    def test_the_email_can_sign_up_again_from_scratch(self, app, runner_api, runner, sql):
        runner_api.post("/api/v1/runs", run_body())
        assert _erase(runner_api).status_code == 204
        again = Api(app.test_client())
        body = {
            "email": runner.email,
            "password": "a fresh start at last",
            "display_name": "Back again",
            "role": "runner",
        }
        response = again.post("/api/v1/auth/register", body)
        assert response.status_code == 201
        assert response.get_json()["id"] != str(runner.id)
        assert again.get("/api/v1/runs").get_json()["items"] == []

    def test_it_needs_a_signed_in_user(self, client, sql):
        response = client.delete("/api/v1/me", json={"password": PASSWORD})
        assert response.status_code == 401


class TestEraseAPractitionerWhoseRoutineWasDone:
    def test_the_client_keeps_the_session_under_the_routine_s_name(
        self, app, runner_api, practitioner_api, runner, practitioner, sql
    ):
        load_builtin_content(app)
        link(app, runner.id, practitioner.id)
        exercise_id = runner_api.get("/api/v1/exercises").get_json()["items"][0]["id"]
        routine = practitioner_api.post(
            "/api/v1/routines",
            {
                "name": "After hills",
                "purpose": "Settle the back after a hill session.",
                "estimated_minutes": 6,
                "steps": [{"exercise_id": exercise_id, "sets": 1, "reps": 8}],
            },
        )
        assert routine.status_code == 201, routine.get_json()
        session = runner_api.post(
            "/api/v1/sessions",
            {
                "id": str(uuid.uuid4()),
                "routine_id": routine.get_json()["id"],
                "completed_at": "2026-11-20T08:00:00+00:00",
            },
        )
        assert session.status_code == 201, session.get_json()
        assert _erase(practitioner_api).status_code == 204
        items = runner_api.get("/api/v1/sessions").get_json()["items"]
        assert [(i["routine_id"], i["routine_name"]) for i in items] == [(None, "After hills")]
        assert runner_api.get(f"/api/v1/routines/{routine.get_json()['id']}").status_code == 404
