"""gunicorn settings for the web container.

    gunicorn --config deploy/gunicorn.conf.py        (the app is backend:create_app())

Environment: PORT (8000), WEB_CONCURRENCY (workers; default from the CPU count),
WEB_TIMEOUT (30 s), WEB_GRACEFUL_TIMEOUT (30 s), LOG_LEVEL (info), JSON_LOGS.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from gunicorn import glogging, util

from backend.observability import JsonFormatter, RequestIdFilter


def default_workers(cpus: int) -> int:
    """Two per CPU plus one, as gunicorn advises, kept within what one PostgreSQL serves well."""
    return max(2, min(2 * cpus + 1, 12))


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours a container's CPU set
    except AttributeError:
        return os.cpu_count() or 1


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if not value else value.lower() in {"1", "true", "yes"}


class JsonLogger(glogging.Logger):
    """Access lines as JSON objects; gunicorn's own lines as JSON too when JSON_LOGS is on."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if _flag("JSON_LOGS", os.environ.get("LIMBER_ENV") == "production"):
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())
                handler.addFilter(RequestIdFilter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        # A log line must never take the worker down: gunicorn calls this while answering
        # a request it refused itself, where the response is only partly made.
        try:
            self._access(resp, req, environ, request_time)
        except Exception:  # noqa: BLE001 - logging is best effort, serving is not
            self.error_log.warning("could not write an access line", exc_info=True)

    def _access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.cfg.accesslog:
            return
        headers = {str(name).lower(): value for name, value in getattr(resp, "headers", [])}
        # The path without its query string: a query may carry an invite code or a token.
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "type": "access",
            "request_id": headers.get("x-request-id"),
            "remote_addr": environ.get("REMOTE_ADDR"),  # the client's, once ProxyFix ran
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": response_status(resp),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "pid": os.getpid(),  # which worker: ties a request to a worker timeout or crash
        }
        self.access_log.info(json.dumps(entry))


def response_status(resp: Any) -> int | None:
    """The status code: gunicorn's own error responses carry only the `status` line."""
    code = getattr(resp, "status_code", None)
    if isinstance(code, int):
        return code
    status = str(getattr(resp, "status", "") or "").split(None, 1)
    return int(status[0]) if status and status[0].isdigit() else None


def json_error(status_int: int, reason: str, mesg: str) -> bytes:
    """A full HTTP response for a request gunicorn refuses before the app sees it."""
    body = json.dumps({"code": status_int, "status": reason, "message": mesg or reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Content-Type-Options: nosniff\r\n\r\n"
    )
    return head.encode("latin-1") + body


def _write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    util.write_nonblock(sock, json_error(status_int, reason, mesg))


def post_worker_init(worker: Any) -> None:
    """Answer malformed requests (two Content-Length headers, an over-long request line)
    with the same JSON envelope as the app, instead of gunicorn's HTML page.

    gunicorn has no setting for the body of these answers; every release from 19 to 27
    writes them through `util.write_error(sock, status, reason, message)`, so that one
    function is replaced in each worker. If a release drops it, the HTML page stays.
    """
    if callable(getattr(util, "write_error", None)) and hasattr(util, "write_nonblock"):
        util.write_error = _write_json_error


def post_fork(server: Any, worker: Any) -> None:
    """In a worker forked from the preloaded app: drop what the master's app holds.

    SQLAlchemy's pool must not hand a worker a connection opened by its parent (two
    processes on one socket), so each engine forgets the inherited pool without closing
    the parent's connections. Huey's SQLite storage reopens its file on first use; its
    Redis storage and the limiter's Redis client check the process id themselves.
    """
    app = getattr(server.app, "callable", None)
    if app is None or not hasattr(app, "app_context"):
        return  # not preloaded: the worker loads its own app after the fork
    from backend.extensions import db
    from backend.jobs import huey

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
    huey.storage.close()


def on_starting(server: Any) -> None:
    """Refuse to start with unsafe settings, before any worker forks."""
    from backend.config import load_config

    # A ConfigError is a RuntimeError: gunicorn prints "Error: <message>" and exits with 1.
    load_config()


wsgi_app = "backend:create_app()"
bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers(available_cpus()))
worker_class = "sync"  # the proxy buffers slow clients, so a worker is never held by one
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# On SIGTERM (docker stop) workers finish the requests they hold, for up to this long.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# The app is imported once, in the master, and each worker is a fork of it: a worker
# (re)starts in milliseconds instead of importing everything again, and the workers share
# the imported code's memory. A new release needs a restart, not a HUP (docs/deploy.md).
preload_app = _flag("WEB_PRELOAD", True)
# Recycle workers now and then so that slow memory growth never builds up. Workers that
# start together would also reach the limit together: a jitter of half the limit spreads
# their restarts over thousands of requests, and a preloaded restart is only a fork.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "4000"))
max_requests_jitter = max_requests // 2
# Heartbeat files in memory: a container's /tmp may sit on a slow overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = JsonLogger
proc_name = "limber-web"
