"""Conditional GETs: an ETag from a per-user data version, and 304 when it still holds.

Every ORM write of a row that names a user (`user_id`, `runner_id`, `practitioner_id`, or
the user row itself) bumps that user's `users.data_version` in the same flush, so a
screen built from those rows changes its tag whenever its content can change. Rows that
no screen shows (sign-in sessions, the access log, jobs) do not bump it. A statement that
writes such rows outside the ORM must call `bump()` itself.

    @conditional(today_scope)      # outside @blp.arguments / @blp.response
    def get(self, ...): ...

The view's tag is computed before it runs, from the version the signed-in user's row
already carries (no extra statement) plus what else the view depends on (the runner's
local date, the query string); when the request's `If-None-Match` names it, the answer
is `304 Not Modified` and the view never runs.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Response, make_response, request
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from backend.auth.models import User

CACHE_CONTROL = "private, no-cache"
# Bumped with a release that changes what a conditional response looks like.
FORMAT = "1"
_OWNER_COLUMNS = ("user_id", "runner_id", "practitioner_id")
# Tables whose rows no conditional screen shows.
_SILENT_TABLES = frozenset(
    {
        "auth_sessions",
        "login_brakes",
        "two_step_challenges",
        "access_logs",
        "job_failures",
        "notification_deliveries",
        "run_rollups",
    }
)

F = TypeVar("F", bound=Callable[..., Any])


def owners(obj: Any) -> set[uuid.UUID]:
    table = getattr(obj, "__tablename__", None)
    if table is None or table in _SILENT_TABLES:
        return set()
    if isinstance(obj, User):
        return {obj.id} if obj.id is not None else set()
    found = set()
    for name in _OWNER_COLUMNS:
        value = getattr(obj, name, None)
        if isinstance(value, uuid.UUID):
            found.add(value)
    return found


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    touched: set[uuid.UUID] = set()
    for obj in session.new:
        if not isinstance(obj, User):  # a new user starts at version 0
            touched |= owners(obj)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            touched |= owners(obj)
    for obj in session.deleted:
        touched |= owners(obj)
    if touched:
        bump(session, touched)


def bump(session: Session, user_ids: Iterable[uuid.UUID]) -> None:
    """Mark these users' data as changed (in the session's current transaction)."""
    ids = sorted(set(user_ids), key=str)  # a fixed order: two writers never deadlock
    if not ids:
        return
    session.connection().execute(
        update(User.__table__)
        .where(User.__table__.c.id.in_(ids))
        .values(data_version=User.__table__.c.data_version + 1)
    )


def install() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def tag_for(*parts: Any) -> str:
    digest = hashlib.blake2b(
        "|".join(str(p) for p in (FORMAT, *parts)).encode(), digest_size=12
    ).hexdigest()
    return f'"{digest}"'


def _matches(tag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    offered = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag in offered or "*" in offered


def conditional(scope: Callable[[], Iterable[Any]]) -> Callable[[F], F]:
    """Answer 304 when `scope()`'s parts (plus path and query) still give the asked tag."""

    def wrap(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            tag = tag_for(request.path, request.query_string.decode("latin-1"), *scope())
            if _matches(tag):
                response = Response(status=304)
            else:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
            response.headers["ETag"] = tag
            response.headers["Cache-Control"] = CACHE_CONTROL
            return response

        return wrapper  # type: ignore[return-value]

    return wrap
