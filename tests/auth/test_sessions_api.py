"""Signed-in devices: listing, signing one out, password change, lifetimes."""

from datetime import timedelta

from sqlalchemy import func, select, update

from backend.auth.models import AuthSession
from backend.db import utcnow
from tests.support import PASSWORD, Api

NEW_PASSWORD = "a fresh stride 2027"


def device(app, user, agent):
    api = Api(app.test_client())
    api.client.environ_base["HTTP_USER_AGENT"] = agent
    return api.login(user)


class TestListSessions:
    def test_it_lists_my_devices_and_marks_this_one(self, app, runner):
        phone = device(app, runner, "Phone browser")
        device(app, runner, "Laptop browser")
        items = phone.get("/api/v1/auth/sessions").get_json()["items"]
        assert sorted(i["device"] for i in items) == ["Laptop browser", "Phone browser"]
        assert [i["device"] for i in items if i["current"]] == ["Phone browser"]

    def test_it_shows_no_one_else_s_devices(self, app, runner, make_user):
        device(app, make_user(), "Someone else")
        mine = device(app, runner, "Mine")
        assert [i["device"] for i in mine.get("/api/v1/auth/sessions").get_json()["items"]] == [
            "Mine"
        ]

    def test_anonymous_gets_401(self, client):
        assert client.get("/api/v1/auth/sessions").status_code == 401


class TestSignADeviceOut:
    def test_the_other_device_is_signed_out_at_once(self, app, runner):
        phone = device(app, runner, "Phone browser")
        laptop = device(app, runner, "Laptop browser")
        items = phone.get("/api/v1/auth/sessions").get_json()["items"]
        laptop_id = next(i["id"] for i in items if i["device"] == "Laptop browser")
        assert phone.delete(f"/api/v1/auth/sessions/{laptop_id}").status_code == 204
        assert laptop.get("/api/v1/auth/me").status_code == 401
        assert phone.get("/api/v1/auth/me").status_code == 200

    def test_another_user_s_session_is_404_and_stays(self, app, runner, make_user):
        other = device(app, make_user(), "Other")
        other_id = other.get("/api/v1/auth/sessions").get_json()["items"][0]["id"]
        mine = device(app, runner, "Mine")
        assert mine.delete(f"/api/v1/auth/sessions/{other_id}").status_code == 404
        assert other.get("/api/v1/auth/me").status_code == 200


class TestChangePassword:
    def test_it_signs_out_every_other_device(self, app, runner):
        phone = device(app, runner, "Phone browser")
        laptop = device(app, runner, "Laptop browser")
        response = phone.post(
            "/api/v1/auth/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 204
        assert laptop.get("/api/v1/auth/me").status_code == 401
        assert phone.get("/api/v1/auth/me").status_code == 200
        fresh = Api(app.test_client())
        assert fresh.login(runner, NEW_PASSWORD).get("/api/v1/auth/me").status_code == 200

    def test_a_wrong_current_password_changes_nothing(self, app, runner):
        phone = device(app, runner, "Phone browser")
        laptop = device(app, runner, "Laptop browser")
        response = phone.post(
            "/api/v1/auth/password",
            {"current_password": "not it at all", "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 422
        assert "current_password" in response.get_json()["errors"]["json"]
        assert laptop.get("/api/v1/auth/me").status_code == 200

    def test_a_weak_new_password_is_refused(self, runner_api):
        response = runner_api.post(
            "/api/v1/auth/password", {"current_password": PASSWORD, "new_password": "password1"}
        )
        assert response.status_code == 422
        assert "new_password" in response.get_json()["errors"]["json"]


class TestLifetimes:
    def _age(self, sql, **changes):
        def run(s):
            s.execute(update(AuthSession).values(**changes))
            s.commit()

        sql(run)

    def test_a_session_idle_too_long_ends(self, app, runner_api, sql):
        idle = app.config["AUTH_SESSION_IDLE"]
        self._age(sql, last_seen_at=utcnow() - idle - timedelta(minutes=1))
        assert runner_api.get("/api/v1/auth/me").status_code == 401
        assert sql(lambda s: s.scalar(select(func.count()).select_from(AuthSession))) == 0

    def test_a_session_past_its_absolute_lifetime_ends_even_if_used(self, app, runner_api, sql):
        absolute = app.config["AUTH_SESSION_ABSOLUTE"]
        self._age(sql, created_at=utcnow() - absolute - timedelta(minutes=1), last_seen_at=utcnow())
        assert runner_api.get("/api/v1/auth/me").status_code == 401

    def test_a_session_in_use_stays_alive(self, app, runner_api, sql):
        self._age(
            sql,
            created_at=utcnow() - timedelta(days=20),
            last_seen_at=utcnow() - timedelta(days=10),
        )
        assert runner_api.get("/api/v1/auth/me").status_code == 200
