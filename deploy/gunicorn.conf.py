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

from gunicorn import glogging

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
        if not self.cfg.accesslog:
            return
        headers = {name.lower(): value for name, value in resp.headers}
        # The path without its query string: a query may carry an invite code or a token.
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "type": "access",
            "request_id": headers.get("x-request-id"),
            "remote_addr": environ.get("REMOTE_ADDR"),  # the client's, once ProxyFix ran
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": resp.status_code,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "pid": os.getpid(),  # which worker: ties a request to a worker timeout or crash
        }
        self.access_log.info(json.dumps(entry))


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
# Recycle workers now and then so that slow memory growth never builds up.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a container's /tmp may sit on a slow overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = JsonLogger
proc_name = "limber-web"
