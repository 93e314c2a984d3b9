"""deploy/gunicorn.conf.py: workers, timeouts, graceful shutdown, JSON access lines."""

from __future__ import annotations

import json
import runpy
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.config import Config

from tests.deploy.support import REPO

CONFIG = REPO / "deploy/gunicorn.conf.py"


def _settings(monkeypatch, **env: str) -> dict[str, Any]:
    for name in ("WEB_CONCURRENCY", "WEB_TIMEOUT", "WEB_GRACEFUL_TIMEOUT", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


class TestWorkers:
    @pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (4, 9), (32, 12)])
    def test_it_sizes_workers_from_the_cpu_count(self, monkeypatch, cpus, workers):
        assert _settings(monkeypatch)["default_workers"](cpus) == workers

    def test_it_uses_the_cpus_of_this_machine_by_default(self, monkeypatch):
        settings = _settings(monkeypatch)
        assert settings["workers"] == settings["default_workers"](settings["available_cpus"]())

    def test_web_concurrency_overrides_the_count(self, monkeypatch):
        assert _settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3

    def test_an_empty_web_concurrency_means_the_default(self, monkeypatch):
        settings = _settings(monkeypatch, WEB_CONCURRENCY="")
        assert settings["workers"] == settings["default_workers"](settings["available_cpus"]())


class TestTimeouts:
    def test_it_has_timeouts_and_a_graceful_shutdown(self, monkeypatch):
        settings = _settings(monkeypatch)
        assert settings["timeout"] == 30
        assert settings["graceful_timeout"] == 30
        assert settings["keepalive"] == 5
        assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0

    def test_the_environment_can_change_them(self, monkeypatch):
        settings = _settings(monkeypatch, WEB_TIMEOUT="60", WEB_GRACEFUL_TIMEOUT="20", PORT="9000")
        assert (settings["timeout"], settings["graceful_timeout"]) == (60, 20)
        assert settings["bind"] == ["0.0.0.0:9000"]

    def test_it_serves_the_app_factory(self, monkeypatch):
        assert _settings(monkeypatch)["wsgi_app"] == "backend:create_app()"


class TestAccessLog:
    def test_it_writes_one_json_object_without_the_query_string(self, monkeypatch):
        logger_class = _settings(monkeypatch)["logger_class"]
        cfg = Config()
        cfg.set("accesslog", "-")
        logger = logger_class(cfg)
        lines: list[str] = []
        monkeypatch.setattr(logger.access_log, "info", lines.append)
        response = SimpleNamespace(
            headers=[("Content-Type", "application/json"), ("X-Request-ID", "abc123abc123")],
            status_code=201,
            sent=57,
        )
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/me/practitioner",
            "QUERY_STRING": "code=SECRET-INVITE",
            "REMOTE_ADDR": "203.0.113.7",
            "HTTP_USER_AGENT": "phone",
            "HTTP_COOKIE": "limber_session=secret-cookie",
        }
        logger.access(response, None, environ, timedelta(milliseconds=12.34))
        assert len(lines) == 1
        entry = json.loads(lines[0])
        assert entry["request_id"] == "abc123abc123"
        assert entry["method"] == "POST" and entry["path"] == "/api/v1/me/practitioner"
        assert entry["status"] == 201 and entry["bytes"] == 57
        assert entry["duration_ms"] == 12.3
        assert entry["remote_addr"] == "203.0.113.7"
        assert "SECRET-INVITE" not in lines[0] and "secret-cookie" not in lines[0]
