"""The cheap request: probes and the front end's files never touch the session cookie."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import PASSWORD

PATHS = ["/healthz", "/readyz", "/", "/manifest.webmanifest", "/js/app.js", "/sw.js", "/today"]


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_requests_get_no_cookie(client: Any, path: str) -> None:
    with client.get(path) as response:
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")


@pytest.mark.parametrize("path", PATHS)
def test_signed_in_requests_leave_the_cookie_alone(api: Any, runner: Any, path: str) -> None:
    signed_in = api.post(
        "/api/v1/auth/login", {"email": runner.email, "password": PASSWORD, "remember": True}
    )
    assert signed_in.status_code == 200
    with api.get(path) as response:
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")


def test_a_remembered_session_is_not_signed_again_on_each_response(api: Any, runner: Any) -> None:
    api.post("/api/v1/auth/login", {"email": runner.email, "password": PASSWORD, "remember": True})
    api.csrf(refresh=True)
    for path in ("/api/v1/auth/me", "/api/v1/runs", "/api/v1/today"):
        response = api.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path


def test_security_headers_still_on_every_response(client: Any) -> None:
    for path in ("/healthz", "/", "/api/v1/nothing-here"):
        with client.get(path) as response:
            headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers.get_all("X-Frame-Options") == ["DENY"]
        assert "default-src 'self'" in headers["Content-Security-Policy"]
