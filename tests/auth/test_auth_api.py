from sqlalchemy import func, select

from backend.auth.models import AuthSession, User
from tests.support import PASSWORD, Api

REGISTER = {
    "email": "Ada@Example.test",
    "password": "stride-and-breathe",
    "display_name": "Ada",
    "role": "runner",
}


class TestCsrf:
    def test_it_hands_out_a_token(self, client):
        body = client.get("/api/v1/auth/csrf").get_json()
        assert len(body["csrf_token"]) > 20

    def test_it_refuses_an_unsafe_request_without_the_token(self, client, sql):
        response = client.post("/api/v1/auth/register", json=REGISTER)
        assert response.status_code == 400
        assert "CSRF" in response.get_json()["message"]
        assert sql(lambda s: s.scalar(select(func.count()).select_from(User))) == 0

    def test_it_refuses_login_without_the_token(self, client, runner):
        response = client.post(
            "/api/v1/auth/login", json={"email": runner.email, "password": PASSWORD}
        )
        assert response.status_code == 400


class TestRegister:
    def test_it_creates_a_runner_and_signs_them_in(self, api):
        response = api.post("/api/v1/auth/register", REGISTER)
        assert response.status_code == 201
        body = response.get_json()
        assert body["email"] == "ada@example.test"
        assert body["role"] == "runner"
        assert body["practitioner"] is None
        assert "password" not in body and "password_hash" not in body
        assert api.get("/api/v1/auth/me").status_code == 200

    def test_it_stores_an_argon2id_hash(self, api, sql):
        api.post("/api/v1/auth/register", REGISTER)
        stored = sql(lambda s: s.scalar(select(User.password_hash)))
        assert stored.startswith("$argon2id$")

    def test_it_refuses_a_duplicate_email(self, api):
        api.post("/api/v1/auth/register", REGISTER)
        again = Api(api.client.application.test_client())
        response = again.post("/api/v1/auth/register", {**REGISTER, "email": "ADA@example.test"})
        assert response.status_code == 409

    def test_it_refuses_short_and_common_passwords(self, api):
        for password in ("short", "password123", "aaaaaaaaaa"):
            response = api.post("/api/v1/auth/register", {**REGISTER, "password": password})
            assert response.status_code == 422, password
            assert "password" in response.get_json()["errors"]["json"]

    def test_it_allows_a_64_character_passphrase(self, api):
        response = api.post(
            "/api/v1/auth/register", {**REGISTER, "password": ("ridge-trail-" * 6)[:64]}
        )
        assert response.status_code == 201

    def test_it_rejects_unknown_fields_and_bad_roles(self, api):
        response = api.post("/api/v1/auth/register", {**REGISTER, "is_admin": True})
        assert response.status_code == 422
        assert "is_admin" in response.get_json()["errors"]["json"]
        response = api.post("/api/v1/auth/register", {**REGISTER, "role": "admin"})
        assert response.status_code == 422

    def test_it_cannot_set_the_id(self, api):
        response = api.post(
            "/api/v1/auth/register", {**REGISTER, "id": "00000000-0000-0000-0000-000000000001"}
        )
        assert response.status_code == 422


class TestLogin:
    def test_it_signs_in_with_the_right_password(self, api, runner):
        response = api.post("/api/v1/auth/login", {"email": runner.email, "password": PASSWORD})
        assert response.status_code == 200
        assert response.get_json()["id"] == str(runner.id)

    def test_it_does_not_say_whether_the_email_exists(self, api, runner):
        wrong_password = api.post(
            "/api/v1/auth/login", {"email": runner.email, "password": "not-the-password"}
        )
        no_account = api.post(
            "/api/v1/auth/login", {"email": "nobody@example.test", "password": "not-the-password"}
        )
        assert wrong_password.status_code == no_account.status_code == 401
        wrong_body, no_account_body = wrong_password.get_json(), no_account.get_json()
        assert wrong_body.pop("request_id") != no_account_body.pop("request_id")
        assert wrong_body == no_account_body

    def test_it_records_a_server_side_session(self, api, runner, sql):
        api.login(runner)
        assert sql(lambda s: s.scalar(select(func.count()).select_from(AuthSession))) == 1


class TestLogout:
    def test_a_cookie_replayed_after_logout_gets_401(self, app, api, runner, sql):
        api.login(runner)
        cookie = api.client.get_cookie("limber_session").value
        assert api.post("/api/v1/auth/logout").status_code == 204
        thief = app.test_client()
        thief.set_cookie("limber_session", cookie)
        assert thief.get("/api/v1/auth/me").status_code == 401
        assert sql(lambda s: s.scalar(select(func.count()).select_from(AuthSession))) == 0

    def test_anonymous_logout_is_401(self, api):
        assert api.post("/api/v1/auth/logout").status_code == 401


class TestMe:
    def test_anonymous_gets_401(self, client):
        response = client.get("/api/v1/auth/me")
        assert response.status_code == 401
        assert response.get_json()["code"] == 401

    def test_it_updates_the_profile(self, runner_api):
        response = runner_api.patch(
            "/api/v1/me",
            {
                "display_name": "Runs a Lot",
                "units": "imperial",
                "body_weight_kg": 72.5,
                "timezone": "Pacific/Auckland",
            },
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert (body["units"], body["body_weight_kg"], body["timezone"]) == (
            "imperial",
            72.5,
            "Pacific/Auckland",
        )

    def test_it_rejects_a_bad_timezone_and_weight(self, runner_api):
        response = runner_api.patch("/api/v1/me", {"timezone": "Mars/Olympus", "body_weight_kg": 2})
        assert response.status_code == 422
        assert set(response.get_json()["errors"]["json"]) == {"timezone", "body_weight_kg"}

    def test_it_cannot_change_role_or_email(self, runner_api):
        for field, value in (("role", "practitioner"), ("email", "x@example.test")):
            assert runner_api.patch("/api/v1/me", {field: value}).status_code == 422
        assert runner_api.get("/api/v1/auth/me").get_json()["role"] == "runner"
