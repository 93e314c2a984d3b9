"""The Huey instance, its storage, the task decorators and how failures are kept."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.consumer import Consumer, Scheduler
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from backend.observability import current_request_id, job_request_id

log = logging.getLogger(__name__)

# Consumers share a tick marker per tick; markers older than this many ticks are removed.
_TICK_KEEP = 30
_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - huey keeps naive UTC times


class LimberHuey(Huey):
    """Huey whose periodic schedule fires once per tick across all consumers.

    A tick is `tick_seconds` long (JOBS_TICK_SECONDS, a minute unless a test shortens
    it). Every consumer's scheduler asks for the periodic tasks due at each tick; only
    the one that first writes that tick's marker into the shared storage gets them, so
    however many workers run, each periodic task is enqueued once per tick.
    """

    tick_seconds = 60

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        if timestamp is None:
            timestamp = self._get_timestamp()
        due = super().read_periodic(timestamp)
        if not due:
            return due
        tick = int((timestamp - _EPOCH).total_seconds()) // self.tick_seconds
        if not self.storage.put_if_empty(self._tick_key(tick), b"1"):
            return []
        self.storage.delete_data(self._tick_key(tick - _TICK_KEEP))
        return due

    def _tick_key(self, tick: int) -> str:
        return f"periodic-tick:{self.tick_seconds}:{tick}"

    def create_consumer(self, **options: Any) -> Consumer:
        """A consumer whose scheduler looks for periodic work once per tick."""

        class TickScheduler(Scheduler):
            periodic_task_seconds = self.tick_seconds

        class TickConsumer(Consumer):
            scheduler_class = TickScheduler

        return TickConsumer(self, **options)


huey = LimberHuey("limber", results=False, utc=True, storage_class=MemoryStorage)
_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Point the queue at the storage the settings name (see docs/jobs.md)."""
    global _app
    _app = app
    storage, options = storage_for(app.config)
    huey.name = app.config["JOBS_NAME"]
    huey.tick_seconds = app.config["JOBS_TICK_SECONDS"]
    huey.storage_class = storage
    huey.storage_kwargs = options
    huey._immediate = False
    huey.storage = huey.create_storage()
    if app.config["JOBS_IMMEDIATE"]:
        huey.immediate = True


def storage_for(config: Any) -> tuple[type[Any], dict[str, Any]]:
    kind = config.get("JOBS_STORAGE") or ("redis" if config.get("REDIS_URL") else "sqlite")
    if kind == "redis":
        if not config.get("REDIS_URL"):
            raise RuntimeError("JOBS_STORAGE=redis needs REDIS_URL.")
        return RedisStorage, {"url": config["REDIS_URL"]}
    if kind == "sqlite":
        path = Path(config["JOBS_SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage, {"filename": str(path)}
    if kind == "memory":
        return MemoryStorage, {}
    raise RuntimeError(f"Unknown JOBS_STORAGE {kind!r}; use sqlite, redis or memory.")


def bound_app() -> Flask:
    if _app is None:
        raise RuntimeError("backend.jobs.init_app(app) was not called")
    return _app


def _runner(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, task: Any = None, request_id: str | None = None, **kwargs: Any) -> Any:
        rid = request_id or f"job-{uuid.uuid4().hex[:16]}"
        token = job_request_id.set(rid)
        started = time.monotonic()
        fields = {"task": name, "task_id": getattr(task, "id", None), "request_id": rid}
        # Run immediately (tests, JOBS_IMMEDIATE), a task belongs to the app that queued it;
        # in a consumer there is no app context and the bound app serves.
        app = current_app._get_current_object() if has_app_context() else bound_app()  # type: ignore[attr-defined]
        try:
            with app.app_context():
                log.info("task started", extra=fields)
                try:
                    result = fn(*args, **kwargs)
                except Exception as exc:
                    retries_left = getattr(task, "retries", 0) or 0
                    log.warning(
                        "task failed",
                        extra=fields | {"retries_left": retries_left, "error": _short(exc)},
                    )
                    if retries_left == 0:
                        _record_failure(name, task, args, exc, rid)
                    raise
                log.info(
                    "task done",
                    extra=fields | {"ms": round((time.monotonic() - started) * 1000)},
                )
                return result
        finally:
            job_request_id.reset(token)

    return run


def job(
    *, retries: int | None = None, retry_backoff: float = 2.0, name: str | None = None
) -> Callable[[Callable[..., Any]], Any]:
    """Register a task; `retries` defaults to the JOBS_RETRIES setting at enqueue time."""

    def wrap(fn: Callable[..., Any]) -> Any:
        task_name = name or f"{fn.__module__}.{fn.__name__}"
        wrapper = huey.task(
            retries=retries or 0,
            retry_backoff=retry_backoff,
            context=True,
            name=task_name,
        )(_runner(fn, task_name))
        wrapper.default_retries = retries
        return wrapper

    return wrap


def periodic(
    schedule: Callable[[datetime], bool], *, name: str | None = None
) -> Callable[[Callable[..., Any]], Any]:
    """Register a periodic task (a huey `crontab`); it runs on the next tick if it fails."""

    def wrap(fn: Callable[..., Any]) -> Any:
        task_name = name or f"{fn.__module__}.{fn.__name__}"
        return huey.periodic_task(schedule, context=True, name=task_name)(_runner(fn, task_name))

    return wrap


def enqueue(task: Any, *args: Any, delay: float | None = None, **kwargs: Any) -> Any:
    """Queue `task`, carrying the current request id; call it after the commit it reads."""
    config = current_app.config if has_app_context() else bound_app().config
    retries = getattr(task, "default_retries", None)
    options: dict[str, Any] = {
        "request_id": current_request_id(),
        "retries": config["JOBS_RETRIES"] if retries is None else retries,
        "retry_delay": config["JOBS_RETRY_DELAY"],
    }
    if delay is not None:
        options["delay"] = delay
    return task(*args, **kwargs, **options)


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _record_failure(
    name: str, task: Any, args: tuple[Any, ...], exc: BaseException, request_id: str
) -> None:
    from backend.extensions import db
    from backend.jobs.models import JobFailure

    try:
        db.session.rollback()
        db.session.add(
            JobFailure(
                task=name[:120],
                task_id=str(getattr(task, "id", "") or "")[:64],
                arguments=", ".join(str(a) for a in args)[:300],
                error=_short(exc),
                request_id=request_id[:128],
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not record the failure of %s", name)
