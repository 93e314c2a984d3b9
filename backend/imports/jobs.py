"""Where import jobs run: a task on the job engine (docs/jobs.md), keyed by the import.

`enqueue_import` hands an import to the queue after the commit that stored it (or, with
IMPORTS_RUN = "inline", does the job before the response: tests and the benchmark). The
upload waits in IMPORTS_SPOOL_DIR, a directory the web process and every worker reach.

The task is idempotent. A worker first claims the import with one conditional UPDATE
(queued, or running with a heartbeat older than IMPORTS_STALE_AFTER); a second copy of
the task finds it claimed and stops. While it works the heartbeat moves with every file.
A worker killed mid-import leaves a stale heartbeat; `sweep_imports` queues the import
again and the next worker resumes it after the last file recorded, so nothing is
imported twice. After IMPORTS_MAX_ATTEMPTS claims it is reported failed, never stuck.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import select

from backend.db import utcnow
from backend.extensions import db
from backend.imports.models import Import
from backend.jobs import enqueue, job, periodic

log = logging.getLogger(__name__)


@job()
def import_upload(import_id: str) -> None:
    """Do (or resume) one import's job; a second copy of the task does nothing."""
    from backend.imports.service import process_import

    process_import(uuid.UUID(import_id))


def enqueue_import(import_id: uuid.UUID) -> None:
    if current_app.config["IMPORTS_RUN"] == "inline":
        from backend.imports.service import process_import

        process_import(import_id)
        return
    try:
        enqueue(import_upload, str(import_id))
    except Exception:
        # Stored and queued: the sweep hands it to a worker once the queue answers.
        log.exception("could not queue import %s", import_id)


@periodic(crontab(minute="*"))
def sweep_imports() -> None:
    """Queue again imports a lost worker or an unreachable queue left behind."""
    stale = utcnow() - timedelta(seconds=current_app.config["IMPORTS_STALE_AFTER"])
    ids = list(
        db.session.scalars(
            select(Import.id)
            .where(
                ((Import.status == "queued") & (Import.created_at < stale))
                | (
                    (Import.status == "running")
                    & (Import.heartbeat_at.is_(None) | (Import.heartbeat_at < stale))
                )
            )
            .limit(100)
        )
    )
    for ident in ids:
        enqueue(import_upload, str(ident))
    if ids:
        log.info("queued %d stale imports again", len(ids))
