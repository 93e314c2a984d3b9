"""Domain errors and the one JSON error envelope: {code, status, message?, errors?}."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, UnsupportedMediaType

log = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class DomainError(Exception):
    """Raised by services; mapped to an HTTP status in one place."""

    status = 400

    def __init__(self, message: str | None = None, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unprocessable(DomainError):
    status = 422


class Unauthorized(DomainError):
    status = 401


def field_error(
    field: str, problems: str | list[str] | dict[str, Any], message: str | None = None
) -> Unprocessable:
    """The 422 naming one body field: `raise field_error("ends_on", "...")`.

    `problems` is a message, a list of them, or the errors of a nested list or object;
    `message` an optional sentence for the whole answer.
    """
    given = [problems] if isinstance(problems, str) else problems
    return Unprocessable(message, errors={"json": {field: given}})


class _TryAgainLater(DomainError):
    """An answer that tells the client how many seconds to wait (`Retry-After`)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class TooManyAttempts(_TryAgainLater):
    status = 429


class ServiceUnavailable(_TryAgainLater):
    status = 503


def envelope(
    status: int,
    message: str | None = None,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"code": status, "status": HTTPStatus(status).phrase}
    if message:
        body["message"] = message
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _handle_domain_error(exc: DomainError) -> Response:
    return envelope(exc.status, exc.message, exc.errors, getattr(exc, "headers", None))


def _handle_csrf_error(exc: CSRFError) -> Response:
    return envelope(400, f"CSRF check failed: {exc.description}")


def _handle_unexpected(exc: Exception) -> Response:
    from backend.extensions import db

    if isinstance(exc, HTTPException):  # routed here only when no other handler matched
        return envelope(exc.code or 500, exc.description)
    try:
        db.session.rollback()
    except DBAPIError as lost:
        if not _is_database_unavailable(lost):
            raise
        # The connection died under us; SQLAlchemy has invalidated it already.
    if _is_database_unavailable(exc):
        log.warning("database unavailable: %s", type(exc).__name__)
        return envelope(
            503, "The service is briefly unavailable; try again.", None, {"Retry-After": "2"}
        )
    log.exception("unhandled error on %s %s", request.method, request.path)
    return envelope(500, "Something went wrong on our side.")


def _release_session(exc: BaseException | None) -> None:
    """End the request's session; a connection lost by now must not turn into a 500.

    Closing rolls back whatever the response still read after a commit. If the database
    went away in between, that rollback fails on a connection SQLAlchemy then discards;
    the answer already made (a 201 for a committed write, say) is still the right one.
    """
    from backend.extensions import db

    try:
        db.session.remove()
    except DBAPIError as lost:
        if not _is_database_unavailable(lost):
            raise
        log.warning("database connection lost while ending a request")
        db.session.registry.clear()


def _is_database_unavailable(exc: Exception) -> bool:
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _handle_method_not_allowed(exc: MethodNotAllowed) -> Response:
    allowed = ", ".join(sorted(exc.valid_methods or ()))
    return envelope(405, "This method is not allowed here.", None, {"Allow": allowed})


def _takes_files() -> bool:
    """Views that take file uploads say so with `takes_files = True` on their class."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(getattr(view, "view_class", None), "takes_files", False))


def _require_json_body() -> Response | None:
    """Unsafe requests that carry a body must send it as JSON, and JSON that decodes;
    views that take files accept multipart uploads instead."""
    if request.method not in UNSAFE_METHODS:
        return None
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
    if has_body and request.mimetype == "multipart/form-data" and _takes_files():
        return None
    if has_body and not request.is_json:
        raise UnsupportedMediaType("Send the request body as application/json.")
    if has_body:
        # Decoded once here, where any failure is the client's: nesting deep enough to
        # exhaust the stack, or an integer longer than Python converts, is a 400 too.
        from backend.schemas import decode_json_body

        problem = decode_json_body(request.get_data(cache=True))
        if problem:
            return envelope(400, problem)
    return None


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(MethodNotAllowed, _handle_method_not_allowed)
    app.register_error_handler(Exception, _handle_unexpected)
    app.before_request(_require_json_body)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first.
    app.teardown_appcontext(_release_session)
