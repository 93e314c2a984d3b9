"""`flask jobs worker` runs a consumer; `flask jobs failed` lists tasks that gave up."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select

from backend.extensions import db
from backend.jobs.engine import huey, init_app
from backend.jobs.models import JobFailure

jobs_cli = AppGroup("jobs", help="Background jobs.")
HEARTBEAT_EVERY = 15


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Do not take part in the periodic schedule (it still runs once per tick anywhere).",
)
@click.option(
    "--heartbeat",
    type=click.Path(dir_okay=False),
    default=None,
    help="File touched while the consumer runs and its storage answers (for healthchecks).",
)
def worker(workers: int, no_periodic: bool, heartbeat: str | None) -> None:
    """Run a consumer until Ctrl-C or SIGTERM (tasks in flight finish first)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    init_app(app)
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=not no_periodic,
        initial_delay=0.1,
        max_delay=1.0,
        backoff=1.15,
    )
    if heartbeat:
        _start_heartbeat(Path(heartbeat))
    storage = type(huey.storage).__name__
    click.echo(f"jobs consumer: {workers} worker(s), storage {storage}, queue {huey.name!r}")
    consumer.run()


def _start_heartbeat(path: Path) -> None:
    def beat() -> None:
        while True:
            try:
                huey.storage.queue_size()  # the storage answers
                path.touch()
            except Exception:  # noqa: S110 - a missed beat is what the healthcheck sees
                pass
            time.sleep(HEARTBEAT_EVERY)

    threading.Thread(target=beat, name="heartbeat", daemon=True).start()


@jobs_cli.command("failed")
@click.option("--clear", is_flag=True, help="Forget the listed failures.")
def failed(clear: bool) -> None:
    """List the tasks that failed after their last retry, newest first."""
    rows = list(db.session.scalars(select(JobFailure).order_by(JobFailure.failed_at.desc())))
    if not rows:
        click.echo("No failed tasks.")
        return
    for row in rows:
        click.echo(
            f"{row.failed_at:%Y-%m-%d %H:%M:%S}Z  {row.task}  ({row.arguments})  "
            f"request {row.request_id or '-'}  {row.error}"
        )
    if clear:
        db.session.execute(delete(JobFailure))
        db.session.commit()
        click.echo(f"Cleared {len(rows)}.")
