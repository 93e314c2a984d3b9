"""`GET /api/v1/auth/session`: the app's start-up question, answered 200 either way."""

from __future__ import annotations

from tests.mfa.support import add_passkey_row
from tests.support import PASSWORD


class TestSessionState:
    def test_signed_out_is_a_200_without_a_user(self, client):
        response = client.get("/api/v1/auth/session")
        assert response.status_code == 200
        assert response.get_json() == {"signed_in": False, "user": None, "csrf_token": None}
        assert "Set-Cookie" not in response.headers  # no token, so no session started

    def test_signed_in_carries_the_same_user_as_me(self, runner_api):
        state = runner_api.get("/api/v1/auth/session").get_json()
        me = runner_api.get("/api/v1/auth/me").get_json()
        token = state.pop("csrf_token")
        assert state == {"signed_in": True, "user": me}
        assert isinstance(token, str) and token

    def test_its_token_is_good_for_a_write(self, runner_api):
        # A browser that has only asked /auth/session can write with the token it got.
        token = runner_api.get("/api/v1/auth/session").get_json()["csrf_token"]
        response = runner_api.client.patch(
            "/api/v1/me", json={"display_name": "Sam"}, headers={"X-CSRFToken": token}
        )
        assert response.status_code == 200, response.get_json()
        refused = runner_api.client.patch("/api/v1/me", json={"display_name": "Sam"})
        assert refused.status_code == 400

    def test_it_is_signed_out_again_after_logout(self, runner_api):
        assert runner_api.post("/api/v1/auth/logout").status_code == 204
        assert runner_api.get("/api/v1/auth/session").get_json()["signed_in"] is False

    def test_me_keeps_its_401_for_api_clients(self, client):
        assert client.get("/api/v1/auth/me").status_code == 401

    def test_a_half_finished_two_step_sign_in_is_signed_out(self, app, api, runner):
        add_passkey_row(app, runner.id)
        response = api.post("/api/v1/auth/login", {"email": runner.email, "password": PASSWORD})
        assert response.status_code == 202
        assert api.get("/api/v1/auth/session").get_json()["signed_in"] is False
