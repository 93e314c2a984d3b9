"""Security headers on API and static responses; no-store on personal API responses."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from backend.security import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def _assert_hardened(response):
    headers = response.headers
    assert headers["Content-Security-Policy"] == EXPECTED_CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.fixture
def static_app(make_app, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Limber</title>")
    (tmp_path / "app.3f9a1c2b.js").write_text("export {};")
    return make_app(FRONTEND_DIR=str(tmp_path))


class TestApiResponses:
    def test_it_hardens_a_public_api_response(self, client):
        response = client.get("/api/v1/auth/csrf")
        assert response.status_code == 200
        _assert_hardened(response)

    def test_it_hardens_error_responses(self, client):
        response = client.get("/api/v1/auth/me")
        assert response.status_code == 401
        _assert_hardened(response)

    def test_the_policy_has_no_inline_script_and_no_plugins(self):
        assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert "object-src 'none'" in CONTENT_SECURITY_POLICY

    def test_it_marks_signed_in_api_responses_no_store(self, runner_api):
        response = runner_api.get("/api/v1/auth/me")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert "Cookie" in response.headers["Vary"]

    def test_it_marks_the_login_response_no_store(self, api, runner):
        from tests.support import PASSWORD

        response = api.post("/api/v1/auth/login", {"email": runner.email, "password": PASSWORD})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"

    def test_it_leaves_anonymous_public_responses_cacheable(self, client):
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")

    def test_it_sends_hsts_only_over_https(self, client):
        assert "Strict-Transport-Security" not in client.get("/healthz").headers
        secure = client.get("/healthz", base_url="https://limber.example")
        assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")

    def test_it_trusts_the_scheme_from_one_proxy(self, make_app):
        behind_proxy = make_app(PROXY_FIX_X_FOR=1).test_client()
        response = behind_proxy.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" in response.headers

    def test_it_ignores_forwarded_headers_without_a_proxy(self, client):
        response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" not in response.headers

    def test_the_api_explorer_may_run_only_its_own_inline_script(self, client):
        response = client.get("/api/docs")
        assert response.status_code == 200
        scripts = re.findall(rb"<script>(.*?)</script>", response.data, re.DOTALL)
        assert scripts
        digest = base64.b64encode(hashlib.sha256(scripts[0]).digest()).decode()
        policy = response.headers["Content-Security-Policy"]
        assert f"script-src 'self' 'sha256-{digest}';" in policy
        assert "unsafe-inline" not in policy
        assert policy.replace(f" 'sha256-{digest}'", "") == EXPECTED_CSP


class TestStaticResponses:
    def test_it_hardens_the_app_shell(self, static_app):
        with static_app.test_client().get("/") as response:
            assert response.status_code == 200
            assert b"<title>Limber</title>" in response.data
            _assert_hardened(response)
            assert response.headers["Cache-Control"] == "no-cache"

    def test_it_hardens_app_routes_and_files(self, static_app):
        client = static_app.test_client()
        for path in ("/runs/today", "/app.3f9a1c2b.js"):
            with client.get(path) as response:
                assert response.status_code == 200, path
                _assert_hardened(response)

    def test_it_does_not_mark_static_files_no_store_for_signed_in_users(self, static_app):
        client = static_app.test_client()
        client.set_cookie("limber_session", "anything")
        with client.get("/app.3f9a1c2b.js") as response:
            assert response.status_code == 200
            assert "no-store" not in response.headers.get("Cache-Control", "")
