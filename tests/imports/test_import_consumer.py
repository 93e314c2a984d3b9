"""Imports on the job engine: a real consumer process takes the upload from the shared
spool, reports progress, and resumes an import whose worker was killed half-way."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from backend.imports.models import Import
from backend.jobs import init_app
from backend.runs.models import Run
from tests.imports.files import strava_archive
from tests.notifications.standins import wait_for
from tests.notifications.test_consumer import Consumer, _redis_up

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "redis"])
def consumer(
    request: pytest.FixtureRequest, app: Flask, database_url: str, tmp_path: Path
) -> Iterator[Consumer]:
    if request.param == "redis" and not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings = {
        "JOBS_STORAGE": request.param,
        "JOBS_SQLITE_PATH": str(tmp_path / "jobs.db"),
        "JOBS_NAME": f"limber-test-{uuid.uuid4().hex[:10]}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "IMPORTS_RUN": "queue",
        "IMPORTS_SPOOL_DIR": str(tmp_path / "spool"),  # both processes reach it
        "IMPORTS_STALE_AFTER": "2",
    }
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("JOBS_", "IMPORTS_"))},
        **settings,
        "LIMBER_ENV": "testing",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        # The sweeps run every 2 s, not once a minute: a restarted consumer sees a
        # stale task within seconds.
        "JOBS_TICK_SECONDS": "2",
    }
    saved = {k: app.config.get(k) for k in settings}
    app.config.update(
        {k: (int(v) if k == "IMPORTS_STALE_AFTER" else v) for k, v in settings.items()}
    )
    init_app(app)  # this process queues into the consumer's storage
    worker = Consumer(env, tmp_path / "consumer.log")
    try:
        yield worker
    finally:
        worker.stop()
        app.config.update(saved)
        init_app(app)


def _upload(api: Any, activities: int) -> dict[str, Any]:
    data = strava_archive(activities)
    response = api.post(
        "/api/v1/imports",
        data={"files": [(io.BytesIO(data), "export.zip")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def _progress(api: Any, ident: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/imports/{ident}")
    assert response.status_code == 200
    return response.get_json()


def test_a_consumer_imports_an_archive_from_the_shared_spool(consumer, runner_api, sql):
    started = _upload(runner_api, 6)
    assert started["status"] == "queued"  # nothing runs in the web process
    consumer.start()
    done = wait_for(
        lambda: (p := _progress(runner_api, started["id"]))["status"] in ("done", "failed") and p,
        timeout=120,
        what="the import",
    )
    assert done["status"] == "done", done
    assert (done["total"], done["processed"], done["counts"]) == (6, 6, {"imported": 6})
    assert sql(lambda s: s.scalar(select(func.count()).select_from(Run))) == 6
    # The spool is cleared once the job has read it.
    assert not any(Path(consumer.env["IMPORTS_SPOOL_DIR"]).iterdir())


def test_an_import_whose_worker_was_killed_is_resumed_and_nothing_is_doubled(
    consumer, runner_api, sql
):
    total = 120
    started = _upload(runner_api, total)
    consumer.start()
    halfway = wait_for(
        lambda: 0 < (p := _progress(runner_api, started["id"]))["processed"] < total * 0.8 and p,
        timeout=120,
        what="the import to be under way",
    )
    consumer.kill()  # SIGKILL: the import is left "running" with its heartbeat stopping
    stalled = _progress(runner_api, started["id"])
    assert stalled["status"] == "running"
    assert stalled["processed"] >= halfway["processed"]
    consumer.start()  # the next tick's sweep sees the stale heartbeat and queues it again
    done = wait_for(
        lambda: (p := _progress(runner_api, started["id"]))["status"] in ("done", "failed") and p,
        timeout=150,
        what="the resumed import",
    )
    assert done["status"] == "done", done
    assert done["processed"] == total and done["counts"] == {"imported": total}
    assert sql(lambda s: s.scalar(select(func.count()).select_from(Run))) == total
    attempts = sql(lambda s: s.scalar(select(Import.attempts)))
    assert attempts == 2
