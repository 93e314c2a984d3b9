"""Rate limits on login, registration and API writes, answered with the JSON envelope."""

from __future__ import annotations

import pytest

from tests.support import Api, run_body


def _assert_too_many(response, window=60):
    assert response.status_code == 429
    body = response.get_json()
    assert body["code"] == 429 and body["status"] == "Too Many Requests"
    assert body["request_id"] == response.headers["X-Request-ID"]
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= window
    assert f"{retry_after} seconds" in body["message"]


@pytest.fixture
def limited(make_app):
    def make(**limits):
        return make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", **limits)

    return make


class TestLoginLimit:
    def test_it_trips_at_the_configured_count(self, limited, runner):
        api = Api(limited(RATELIMIT_LOGIN="3 per minute").test_client())
        wrong = {"email": runner.email, "password": "not the password"}
        for _ in range(3):
            assert api.post("/api/v1/auth/login", wrong).status_code == 401
        _assert_too_many(api.post("/api/v1/auth/login", wrong))

    def test_it_counts_each_client_behind_the_proxy_apart(self, limited, runner):
        app = limited(RATELIMIT_LOGIN="2 per minute", PROXY_FIX_X_FOR=1)
        api = Api(app.test_client())
        wrong = {"email": runner.email, "password": "not the password"}

        def login(address):
            return api.post("/api/v1/auth/login", wrong, headers={"X-Forwarded-For": address})

        assert [login("203.0.113.1").status_code for _ in range(2)] == [401, 401]
        _assert_too_many(login("203.0.113.1"))
        assert login("203.0.113.2").status_code == 401
        # Only the last hop is trusted: a forged first entry does not reset the count.
        _assert_too_many(login("198.51.100.9, 203.0.113.1"))


class TestRegisterLimit:
    def test_it_trips_at_the_configured_count(self, limited):
        app = limited(RATELIMIT_REGISTER="2 per hour")

        def register(n):
            # A fresh client each time: registering signs in and renews the CSRF token.
            return Api(app.test_client()).post(
                "/api/v1/auth/register",
                {
                    "email": f"new{n}@example.test",
                    "password": "a long enough passphrase",
                    "display_name": "New",
                    "role": "runner",
                },
            )

        assert register(1).status_code == 201
        assert register(2).status_code == 201
        _assert_too_many(register(3), window=3600)


class TestWritesLimit:
    def test_it_counts_api_writes_together_and_not_reads(self, limited, runner):
        app = limited(RATELIMIT_WRITES="4 per minute")
        api = Api(app.test_client()).login(runner)  # the login is the first write
        for _ in range(5):
            assert api.get("/api/v1/runs").status_code == 200
        assert api.post("/api/v1/runs", run_body()).status_code == 201
        run_id = api.post("/api/v1/runs", run_body()).get_json()["id"]
        assert api.delete(f"/api/v1/runs/{run_id}").status_code == 204
        _assert_too_many(api.post("/api/v1/runs", run_body()))
        _assert_too_many(api.patch(f"/api/v1/runs/{run_id}", {"stiffness": 2}))
        assert api.get("/api/v1/runs").status_code == 200

    def test_it_is_off_when_rate_limits_are_off(self, make_app, runner):
        api = Api(make_app(RATELIMIT_WRITES="1 per minute").test_client()).login(runner)
        statuses = [api.post("/api/v1/runs", run_body()).status_code for _ in range(3)]
        assert statuses == [201, 201, 201]


class TestImportLimit:
    def test_it_trips_at_the_configured_count(self, limited, runner):
        import io

        from tests.imports.files import Route, gpx

        api = Api(limited(RATELIMIT_IMPORTS="2 per hour").test_client()).login(runner)

        def send():
            files = {"files": [(io.BytesIO(gpx(Route())), "run.gpx")]}
            return api.post("/api/v1/imports", data=files, content_type="multipart/form-data")

        assert [send().status_code for _ in range(2)] == [202, 202]
        _assert_too_many(send(), window=3600)
