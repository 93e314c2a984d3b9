"""deploy/start-web.sh for real: migrate a fresh PostgreSQL database, serve with gunicorn.

The database sits behind a TCP forwarder that the test stops and starts, so "the database
is unreachable" never touches the PostgreSQL server other test runs share.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy.engine import make_url

from tests.deploy.support import REPO, Reply, TcpForwarder, call, free_port, reachable
from tests.support import temporary_database

pytestmark = pytest.mark.slow

PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
VENV_BIN = os.path.dirname(sys.executable)
LOGIN_LIMIT = 5


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    database: str  # a URL that reaches the database directly
    forwarder: TcpForwarder
    key_prefix: str
    stdout: Path
    stderr: Path

    def get(self, path: str, **kwargs) -> Reply:
        return call(self.port, "GET", path, **kwargs)

    def access_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.read_text().splitlines() if line]


def _require(name: str, host: str, port: int) -> None:
    if not reachable(host, port):
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(f"{name} is not running on {host}:{port}")
        pytest.skip(f"{name} is not running on {host}:{port}")


def _wait_until_up(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(server.stderr.read_text())
        booted = server.stderr.read_text().count("Booting worker")
        if booted == 2 and reachable("127.0.0.1", server.port):
            return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start:\n" + server.stderr.read_text())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    pg = make_url(PG_URL)
    _require("PostgreSQL", pg.host or "127.0.0.1", pg.port or 5432)
    _require("Redis", "127.0.0.1", 6379)
    with temporary_database(PG_URL, tmp_path_factory) as database:
        forwarder = TcpForwarder(pg.port or 5432, pg.host or "127.0.0.1").start()
        through_forwarder = (
            make_url(database)
            .set(drivername="postgresql", host="127.0.0.1", port=forwarder.port)
            .render_as_string(hide_password=False)
        )
        port = free_port()
        key_prefix = f"limber-test-{uuid.uuid4().hex[:8]}"
        logs = tmp_path_factory.mktemp("gunicorn")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("RATELIMIT_", "WEB_"))},
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "LIMBER_ENV": "production",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "DATABASE_URL": through_forwarder,
            "REDIS_URL": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": key_prefix,
            "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
            "PROXY_FIX_X_FOR": "0",
            "JSON_LOGS": "true",
        }
        stdout, stderr = logs / "stdout.log", logs / "stderr.log"
        with stdout.open("wb") as out, stderr.open("wb") as err:
            process = subprocess.Popen(
                ["sh", "deploy/start-web.sh", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=err,
            )
        made = Server(port, process, database, forwarder, key_prefix, stdout, stderr)
        try:
            _wait_until_up(made)
            yield made
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            forwarder.stop()
            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(f"*{key_prefix}*"))
            if keys:
                client.delete(*keys)
            client.close()


class TestStartScript:
    def test_it_migrated_the_empty_database(self, server):
        url = make_url(server.database).set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False)) as conn:
            tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables")}
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert {"users", "runs", "auth_sessions"} <= tables
        assert version is not None

    def test_it_serves_with_two_workers(self, server):
        booted = [
            json.loads(line)
            for line in server.stderr.read_text().splitlines()
            if line.startswith("{") and "Booting worker" in line
        ]
        assert len(booted) == 2
        assert all(line["level"] == "INFO" for line in booted)

    def test_it_is_ready(self, server):
        assert server.get("/healthz").status == 200
        ready = server.get("/readyz")
        assert ready.status == 200
        assert ready.json() == {"status": "ok", "details": {"failed_jobs": 0}}


class TestDatabaseOutage:
    def test_readyz_answers_503_while_the_database_is_unreachable_and_200_after(self, server):
        assert server.get("/readyz").status == 200
        server.forwarder.stop()
        try:
            during = [server.get("/readyz") for _ in range(6)]
            assert [r.status for r in during] == [503] * 6
            assert all(r.headers.get("retry-after") for r in during)
            assert during[0].json()["request_id"] == during[0].headers["x-request-id"]
            assert server.get("/healthz").status == 200  # the process itself is fine
        finally:
            server.forwarder.start()
        deadline = time.monotonic() + 15
        statuses = []
        while time.monotonic() < deadline:
            statuses.append(server.get("/readyz").status)
            if statuses[-1] == 200:
                break
            time.sleep(0.3)
        assert statuses[-1] == 200
        assert 500 not in statuses
        # Every worker has dropped its dead connections, not just the one that answered.
        assert [server.get("/readyz").status for _ in range(6)] == [200] * 6


class TestLoginLimitAcrossWorkers:
    def test_the_limit_is_shared_by_both_workers_through_redis(self, server):
        csrf = server.get("/api/v1/auth/csrf")
        cookie = "; ".join(f"{k}={v}" for k, v in csrf.cookies.items())
        headers = {"X-CSRFToken": csrf.json()["csrf_token"], "Cookie": cookie}
        wrong = {"email": "nobody@example.test", "password": "never-logged-secret-42"}

        def login(_: int) -> Reply:
            return call(server.port, "POST", "/api/v1/auth/login", wrong, headers)

        # Concurrent, so that while one worker hashes a password the other takes a request.
        with ThreadPoolExecutor(max_workers=LOGIN_LIMIT) as pool:
            allowed = list(pool.map(login, range(LOGIN_LIMIT)))
        assert [r.status for r in allowed] == [401] * LOGIN_LIMIT
        refused = login(0)
        assert refused.status == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["code"] == 429

        ids = {r.headers["x-request-id"] for r in [*allowed, refused]}
        served_by = {
            line["pid"]
            for line in server.access_lines()
            if line["path"] == "/api/v1/auth/login" and line["request_id"] in ids
        }
        assert len(served_by) == 2, "both workers should have answered logins"
        counters = redis.Redis.from_url(REDIS_URL)
        try:
            assert list(counters.scan_iter(f"*{server.key_prefix}*"))
        finally:
            counters.close()

    def test_no_password_reaches_the_logs(self, server):
        logs = server.stdout.read_text() + server.stderr.read_text()
        assert "never-logged-secret-42" not in logs
        assert "nobody@example.test" not in logs


class TestAccessLog:
    def test_every_line_is_json_with_the_request_id(self, server):
        reply = server.get("/healthz?token=abc")
        time.sleep(0.2)
        lines = server.access_lines()
        assert all(line["type"] == "access" for line in lines)
        mine = [line for line in lines if line["request_id"] == reply.headers["x-request-id"]]
        assert len(mine) == 1
        assert mine[0]["path"] == "/healthz" and mine[0]["status"] == 200
        assert "token=abc" not in server.stdout.read_text()


class TestShutdown:
    def test_sigterm_stops_gunicorn_gracefully(self, server):
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=40) == 0
        assert "Shutting down" in server.stderr.read_text()
