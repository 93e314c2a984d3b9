"""Request ids on responses, error bodies and log lines; JSON logs without secrets."""

from __future__ import annotations

import json
import logging
import re

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.extensions import db
from backend.observability import JsonFormatter, RequestIdFilter
from tests.support import Api, run_body

_HEX_ID = re.compile(r"[0-9a-f]{32}")


class TestRequestId:
    def test_it_gives_every_response_an_id(self, client):
        first = client.get("/healthz").headers["X-Request-ID"]
        second = client.get("/healthz").headers["X-Request-ID"]
        assert _HEX_ID.fullmatch(first) and _HEX_ID.fullmatch(second)
        assert first != second

    def test_it_quotes_the_id_in_error_envelopes(self, client):
        response = client.get("/api/v1/auth/me")
        assert response.status_code == 401
        assert response.get_json()["request_id"] == response.headers["X-Request-ID"]

    def test_it_quotes_the_id_in_validation_errors(self, runner_api):
        response = runner_api.post("/api/v1/runs", {"stiffness": "high"})
        body = response.get_json()
        assert response.status_code == 422 and "stiffness" in body["errors"]["json"]
        assert body["request_id"] == response.headers["X-Request-ID"]

    def test_it_keeps_the_id_the_proxy_sent(self, client):
        proxy_id = "0123456789abcdef0123456789abcdef"
        response = client.get("/api/v1/nothing", headers={"X-Request-ID": proxy_id})
        assert response.headers["X-Request-ID"] == proxy_id
        assert response.get_json()["request_id"] == proxy_id

    def test_it_replaces_an_id_that_could_forge_log_lines(self, client):
        for forged in ('abc", "level": "INFO', "short", "x" * 200):
            response = client.get("/healthz", headers={"X-Request-ID": forged})
            assert _HEX_ID.fullmatch(response.headers["X-Request-ID"]), forged

    def test_it_leaves_successful_bodies_alone(self, runner_api):
        response = runner_api.post("/api/v1/runs", run_body())
        assert response.status_code == 201
        assert "request_id" not in response.get_json()


class TestJsonLogs:
    def test_a_crash_logs_one_json_line_with_the_request_id_and_no_secrets(
        self, make_app, runner, monkeypatch, capsys
    ):
        from backend.runs import service

        app = make_app(JSON_LOGS=True)
        api = Api(app.test_client()).login(runner)
        capsys.readouterr()

        def explode(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(service, "create_run", explode)
        secret_note = "my private note about my back"
        response = api.post("/api/v1/runs", run_body(notes=secret_note))
        assert response.status_code == 500
        request_id = response.get_json()["request_id"]
        assert request_id == response.headers["X-Request-ID"]

        err = capsys.readouterr().err
        lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
        crash = [line for line in lines if line["level"] == "ERROR"]
        assert len(crash) == 1
        assert crash[0]["request_id"] == request_id
        assert "RuntimeError: boom" in crash[0]["exception"]
        assert secret_note not in err
        assert "correct horse" not in err
        assert api.client.get_cookie("limber_session").value not in err

    def test_the_formatter_redacts_fields_that_may_hold_secrets(self):
        record = logging.LogRecord("backend.x", logging.INFO, __file__, 1, "hi %s", ("you",), None)
        record.password = "hunter2"
        record.csrf_token = "abc"
        record.notes = "free text"
        record.user_id = "42"
        RequestIdFilter().filter(record)
        entry = json.loads(JsonFormatter().format(record))
        assert entry["message"] == "hi you"
        assert entry["level"] == "INFO" and entry["logger"] == "backend.x"
        assert entry["request_id"] == "-"  # outside a request
        assert entry["password"] == entry["csrf_token"] == entry["notes"] == "[redacted]"
        assert entry["user_id"] == "42"

    def test_the_formatter_tags_lines_inside_a_request(self, app: Flask):
        with app.test_request_context("/", headers={"X-Request-ID": "req-0123456789"}):
            app.preprocess_request()
            record = logging.LogRecord("backend", logging.WARNING, __file__, 1, "x", None, None)
            RequestIdFilter().filter(record)
            assert json.loads(JsonFormatter().format(record))["request_id"] == "req-0123456789"


class TestDatabaseErrors:
    def test_they_never_show_the_values_sent(self, app: Flask):
        with app.app_context():
            try:
                db.session.execute(
                    text("INSERT INTO no_such_table (notes) VALUES (:notes)"),
                    {"notes": "private words"},
                )
            except DBAPIError as exc:
                message = str(exc)
            finally:
                db.session.rollback()
                db.session.remove()
        assert "no_such_table" in message
        assert "private words" not in message

    def test_the_pool_checks_connections_before_use(self, app: Flask):
        with app.app_context():
            assert db.engine.pool._pre_ping is True
