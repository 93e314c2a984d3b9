"""A real consumer process, on SQLite storage and on Redis, against real stand-ins.

The app under test queues tasks into the same storage the consumer reads; the consumer
talks to a local push service (which verifies VAPID and decrypts) and an SMTP server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from backend.jobs import init_app
from backend.notifications.models import Delivery, PushSubscription
from backend.notifications.push import generate_keys
from tests.notifications.standins import MailServer, PushService, free_port, wait_for
from tests.support import run_body

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0").ping())
    except Exception:
        return False


class Consumer:
    """`flask jobs worker` in its own process; start, kill -9 and start again."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = self._spawn(out)

    def _spawn(self, out: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "backend", "jobs", "worker", "--workers", "2"],
            cwd=REPO,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(params=["sqlite", "redis"])
def setup(
    request: pytest.FixtureRequest, app: Flask, database_url: str, tmp_path: Path
) -> Iterator[dict[str, Any]]:
    if request.param == "redis" and not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    private, public = generate_keys()
    smtp_port = free_port()
    settings = {
        "JOBS_STORAGE": request.param,
        "JOBS_SQLITE_PATH": str(tmp_path / "jobs.db"),
        "JOBS_NAME": f"limber-test-{uuid.uuid4().hex[:10]}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "JOBS_RETRY_DELAY": "0.5",
        "VAPID_PRIVATE_KEY": private,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_STARTTLS": "false",
    }
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "JOBS_", "VAPID"))},
        **settings,
        "LIMBER_ENV": "testing",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        "JSON_LOGS": "true",
        # The sweeps run every 2 s, not once a minute: a restarted consumer sees a
        # stale task within seconds.
        "JOBS_TICK_SECONDS": "2",
    }
    saved = {k: app.config.get(k) for k in settings}
    app.config.update(
        {k: (float(v) if k == "JOBS_RETRY_DELAY" else v) for k, v in settings.items()}
    )
    init_app(app)  # this process queues into the consumer's storage
    consumer = Consumer(env, tmp_path / "consumer.log")
    with PushService(public) as push:
        try:
            yield {
                "consumer": consumer,
                "push": push,
                "smtp": MailServer(smtp_port),
                "log": tmp_path / "consumer.log",
            }
        finally:
            consumer.stop()
            app.config.update(saved)
            init_app(app)


def _subscribe(api: Any, push: PushService, name: str) -> dict[str, Any]:
    response = api.post("/api/v1/me/push-subscriptions", push.subscribe(name).json())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _subject(raw: bytes) -> str:
    return str(message_from_bytes(raw, policy=policy.default)["Subject"])


def test_a_push_is_signed_and_encrypted_and_the_email_arrives(setup, practitioner_api):
    push, smtp, consumer = setup["push"], setup["smtp"].start(), setup["consumer"]
    try:
        _subscribe(practitioner_api, push, "phone")
        consumer.start()
        assert practitioner_api.post("/api/v1/me/notifications/test").status_code == 202
        (message,) = wait_for(lambda: push.messages("phone"), what="the push")
        assert message["payload"]["title"] == "Limber test notification"
        assert message["payload"]["url"] == "/settings"
        wait_for(lambda: smtp.messages, what="the email")
        assert _subject(smtp.messages[0]) == "Limber test email"
        assert push.refused == []
    finally:
        smtp.stop()


def test_a_subscription_the_push_service_calls_gone_is_removed(setup, practitioner_api, sql):
    push, consumer = setup["push"], setup["consumer"]
    _subscribe(practitioner_api, push, "old")
    kept = _subscribe(practitioner_api, push, "new")
    push.gone.add("old")
    consumer.start()
    practitioner_api.post("/api/v1/me/notifications/test")
    wait_for(lambda: push.messages("new"), what="the push to the live subscription")

    def subscriptions(session: Any) -> list[str]:
        return [str(i) for i in session.scalars(select(PushSubscription.id))]

    wait_for(lambda: sql(subscriptions) == [kept["id"]], what="the gone subscription removed")


def test_with_smtp_down_the_email_is_retried_and_arrives_exactly_once(setup, runner_api, sql):
    smtp, consumer = setup["smtp"], setup["consumer"]
    consumer.start()
    runner_api.post("/api/v1/me/notifications/test")

    def email_attempts(session: Any) -> int:
        return session.scalar(select(Delivery.attempts).where(Delivery.channel == "email")) or 0

    wait_for(lambda: sql(email_attempts) >= 3, what="three failed attempts")
    assert smtp.messages == []
    smtp.start()
    try:
        wait_for(lambda: smtp.messages, what="the email once SMTP is back")

        def status(session: Any) -> str | None:
            return session.scalar(select(Delivery.status).where(Delivery.channel == "email"))

        wait_for(lambda: sql(status) == "sent", what="the delivery marked sent")
        assert len(smtp.messages) == 1
    finally:
        smtp.stop()
    log = setup["log"].read_text()
    assert '"message": "task failed"' in log and '"retries_left"' in log


def test_an_emergency_red_flag_reaches_the_practitioner_within_a_minute(
    setup, runner_api, practitioner_api, runner, linked, sql
):
    push, smtp, consumer = setup["push"], setup["smtp"].start(), setup["consumer"]
    try:
        _subscribe(practitioner_api, push, "practitioner")
        consumer.start()
        response = runner_api.post("/api/v1/runs", run_body(red_flags=["saddle_numbness"]))
        assert response.status_code == 201
        request_id = response.headers["X-Request-ID"]
        (message,) = wait_for(
            lambda: push.messages("practitioner"), timeout=60, what="the practitioner's push"
        )
        assert message["payload"]["title"] == "Emergency warning sign"
        assert message["payload"]["url"].startswith(f"/clients/{runner.id}?alert=")
        assert message["urgency"] == "high"
        wait_for(lambda: smtp.messages, timeout=60, what="the practitioner's email")
        raw = smtp.messages[0].decode()
        assert "saddle" not in raw.lower() and "numb" not in raw.lower()
        # The task's log lines carry the id of the request that saved the run.
        assert request_id in setup["log"].read_text()
    finally:
        smtp.stop()


def test_killing_and_restarting_the_consumer_loses_nothing_and_sends_nothing_twice(
    setup, runner_api, practitioner_api, sql, app, monkeypatch
):
    push, smtp, consumer = setup["push"], setup["smtp"], setup["consumer"]
    # The retry waits 5 s, not 0.5 s: the kill below must find it waiting in the schedule,
    # not taken out of it at that very moment (a task killed in flight is the sweep's case,
    # tested in test_kill_mid_send.py).
    monkeypatch.setitem(app.config, "JOBS_RETRY_DELAY", 5.0)
    _subscribe(practitioner_api, push, "p")
    consumer.start()
    practitioner_api.post("/api/v1/me/notifications/test")
    wait_for(lambda: push.messages("p"), what="the push")

    def between_attempts(session: Any) -> bool:
        rows = dict(session.execute(select(Delivery.channel, Delivery.status)).tuples().all())
        attempts = session.scalar(select(Delivery.attempts).where(Delivery.channel == "email"))
        return rows == {"push": "sent", "email": "pending"} and attempts >= 1

    # SMTP is down: nothing is in flight, and the email's retry waits in the schedule
    # (a task killed halfway is redone by the sweep after JOBS_STALE_AFTER instead).
    wait_for(lambda: sql(between_attempts), what="a failed attempt, its retry scheduled")
    consumer.kill()
    smtp.start()
    try:
        consumer.start()
        wait_for(lambda: smtp.messages, what="the email after the restart")

        def unsent(session: Any) -> int:
            return session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.status != "sent")
            )

        wait_for(lambda: sql(unsent) == 0, what="every delivery sent")
        assert len(smtp.messages) == 1
        assert len(push.messages("p")) == 1
    finally:
        smtp.stop()
