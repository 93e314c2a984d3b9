"""Concurrency and faults against gunicorn with four workers, on SQLite and PostgreSQL.

The PostgreSQL outage is made with a TCP forwarder between gunicorn and the server, which
is stopped and started again; the shared server itself is never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from backend.runs.models import Run
from tests.deploy.support import TcpForwarder, free_port
from tests.reliability.conftest import count_response
from tests.reliability.figures import figures
from tests.support import PASSWORD, run_body

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


class Gunicorn:
    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LIMBER_ENV": "testing", "DATABASE_URL": database_url}
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--workers=4",
                "--threads=4",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
                "backend:create_app()",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 120  # importing the app in four workers on a busy machine
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        # Four workers finishing gracefully can take many seconds on a busy machine.
        self.process.terminate()
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def signed_in(self, email: str) -> requests.Session:
        session = requests.Session()
        token = session.get(f"{self.url}/api/v1/auth/csrf").json()["csrf_token"]
        session.headers["X-CSRFToken"] = token
        response = session.post(
            f"{self.url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        token = session.get(f"{self.url}/api/v1/auth/csrf").json()["csrf_token"]
        session.headers["X-CSRFToken"] = token
        return session


@pytest.fixture
def server(app, database_url) -> Iterator[Gunicorn]:
    gunicorn = Gunicorn(database_url)
    yield gunicorn
    gunicorn.stop()


def _record(response: requests.Response) -> requests.Response:
    count_response(response.status_code)
    return response


def _stored_ids(sql: Any, user_id: uuid.UUID) -> list[str]:
    return sql(lambda s: [str(i) for i in s.scalars(select(Run.id).where(Run.user_id == user_id))])


class TestTheSameCreateInParallel:
    def test_it_stores_one_row_and_never_fails(self, server, runner, sql) -> None:
        session = server.signed_in(runner.email)
        body = run_body(id=str(uuid.uuid4()))

        def create(_: int) -> int:
            return _record(session.post(f"{server.url}/api/v1/runs", json=body)).status_code

        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(create, range(50)))
        rows = sql(lambda s: s.scalar(select(func.count()).select_from(Run)))
        figures.add("duplicates", max(0, rows - 1))
        assert rows == 1
        assert statuses.count(201) == 1
        assert set(statuses) <= {200, 201}


class TestTheSameMessageInParallel:
    def test_fifty_identical_posts_store_one_message(
        self, app, server, runner, practitioner, sql
    ) -> None:
        from backend.messages.models import Message
        from backend.notifications.models import Notification
        from tests.privacy.helpers import link

        link(app, runner.id, practitioner.id)
        session = server.signed_in(runner.email)
        body = {"id": str(uuid.uuid4()), "body": "Sent from the outbox, maybe twice"}

        def send(_: int) -> int:
            url = f"{server.url}/api/v1/me/messages"
            return _record(session.post(url, json=body)).status_code

        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(send, range(50)))
        rows = sql(lambda s: s.scalar(select(func.count()).select_from(Message)))
        told = sql(lambda s: s.scalar(select(func.count()).select_from(Notification)))
        figures.add("duplicates", max(0, rows - 1))
        assert (rows, told) == (1, 1)
        assert statuses.count(201) == 1
        assert set(statuses) <= {200, 201}, statuses


class TestManyWritersAtOnce:
    def test_each_writer_waits_or_gets_503_with_retry_after(self, server, runner, sql) -> None:
        session = server.signed_in(runner.email)

        def create(_: int) -> tuple[str, requests.Response]:
            body = run_body(id=str(uuid.uuid4()))
            return body["id"], _record(session.post(f"{server.url}/api/v1/runs", json=body))

        with ThreadPoolExecutor(max_workers=40) as pool:
            results = list(pool.map(create, range(200)))
        for _, response in results:
            assert response.status_code in (201, 503), response.text
            if response.status_code == 503:
                assert response.headers["Retry-After"]
        acknowledged = {i for i, r in results if r.status_code == 201}
        stored = _stored_ids(sql, runner.id)
        figures.add("rows_lost", len(acknowledged - set(stored)))
        figures.add("duplicates", len(stored) - len(set(stored)))
        assert acknowledged <= set(stored)
        assert len(acknowledged) > 0


def _until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class TestPostgresGoesAway:
    def test_it_answers_503_then_recovers_and_loses_no_acknowledged_write(
        self, app, database_url, runner, sql
    ) -> None:
        from sqlalchemy.engine import make_url

        url = make_url(database_url)
        if not url.drivername.startswith("postgresql"):
            pytest.skip("a PostgreSQL outage needs TEST_DATABASE_URL")
        proxy = TcpForwarder(url.port or 5432, url.host or "127.0.0.1").start()
        server = Gunicorn(
            url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        )
        try:
            session = server.signed_in(runner.email)
            results: list[tuple[str, int, str]] = []
            phase = ["before"]
            stop = threading.Event()

            def write() -> None:
                while not stop.is_set():
                    body = run_body(id=str(uuid.uuid4()))
                    try:
                        response = session.post(f"{server.url}/api/v1/runs", json=body, timeout=20)
                    except requests.RequestException:
                        continue
                    _record(response)
                    if response.status_code == 503:
                        assert response.headers.get("Retry-After")
                    results.append((body["id"], response.status_code, phase[0]))
                    time.sleep(0.02)

            def seen(status: int, in_phase: str, at_least: int = 1) -> Callable[[], bool]:
                return lambda: (
                    sum(1 for _, s, p in list(results) if s == status and p == in_phase) >= at_least
                )

            writers = [threading.Thread(target=write) for _ in range(4)]
            for w in writers:
                w.start()
            try:
                _until(seen(201, "before", 3), "writes to succeed")
                phase[0] = "down"
                proxy.stop()  # open connections drop and new ones are refused
                _until(seen(503, "down", 3), "503s while the database is away")
                phase[0] = "after"
                proxy.start()
                _until(seen(201, "after", 5), "writes to succeed again")
            finally:
                stop.set()
            for w in writers:
                w.join(timeout=30)
        finally:
            server.stop()
            proxy.stop()

        statuses = {status for _, status, _ in results}
        assert statuses <= {201, 503}, statuses
        assert 503 in {s for _, s, p in results if p == "down"}
        assert 201 in {s for _, s, p in results if p == "after"}  # recovered by itself
        acknowledged = {i for i, s, _ in results if s == 201}
        stored = set(_stored_ids(sql, runner.id))
        figures.add("rows_lost", len(acknowledged - stored))
        assert acknowledged <= stored
