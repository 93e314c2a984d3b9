"""Logs and request ids: every log line and every error names the request it belongs to.

With JSON_LOGS on (production), each line is one JSON object. Request bodies are never
logged, and extra fields whose names suggest a secret or free text are redacted, so
passwords, tokens, cookies and notes stay out of the logs.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from flask import Flask, Response, current_app, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# The proxy sends 32 hex digits; anything odd from outside is replaced, not logged.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
_SECRET_FIELD = re.compile(r"pass|token|secret|cookie|authori|csrf|session|note", re.IGNORECASE)
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Inside a background task: the id of the request (or task) that queued it.
job_request_id: ContextVar[str | None] = ContextVar("job_request_id", default=None)


def register_observability(app: Flask) -> None:
    configure_logging(app.config["JSON_LOGS"], app.config.get("LOG_LEVEL", "INFO"))
    # First of all hooks, so that whatever the others log carries the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _assign_request_id)
    app.after_request(_expose_request_id)


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else job_request_id.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = "[redacted]" if _SECRET_FIELD.search(key) else value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to sys.stderr as it is when the line is written, not when the app was made."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(json_logs: bool, level: str = "INFO") -> None:
    """Send every logger's records to stderr in one format; safe to call again."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    logging.getLogger("backend").setLevel(level.upper())


def _assign_request_id() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _ACCEPTED_ID.fullmatch(incoming) else uuid.uuid4().hex


def _expose_request_id(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    if response.status_code >= 400:
        _add_to_error_envelope(response, request_id)
    return response


def _add_to_error_envelope(response: Response, request_id: str) -> None:
    """Quote the id in the error body, so a user's report leads straight to the log line."""
    if not response.is_json or response.direct_passthrough:
        return
    if "Content-Encoding" in response.headers:
        return
    body = response.get_json(silent=True)
    if isinstance(body, dict) and "code" in body and "status" in body:
        body["request_id"] = request_id
        response.set_data(current_app.json.dumps(body))
