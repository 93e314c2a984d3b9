"""Where import jobs run: the one seam between the request and the worker.

`enqueue_import` hands an import to a worker. Today the worker is a small thread pool in
the app process (or the request itself, with IMPORTS_RUN = "inline"); with a job queue
the body becomes one call that enqueues `process_import` there instead.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

from backend.extensions import db

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()
WORKERS = 1  # one import at a time per process keeps memory bounded


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="limber-import")
        return _pool


def run_import(app: Flask, import_id: uuid.UUID) -> None:
    """The job itself, in its own app context (what a queue worker would call)."""
    from backend.imports.service import process_import

    with app.app_context():
        try:
            process_import(import_id)
        finally:
            db.session.remove()


def enqueue_import(import_id: uuid.UUID) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["IMPORTS_RUN"] == "inline":
        from backend.imports.service import process_import

        process_import(import_id)
        return
    _executor().submit(run_import, app, import_id)
