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
from typing import Any, TypeVar, cast

from flask import Response, make_response, request
from sqlalchemy import Table, event, update
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
        "access_visits",
        "access_reads",
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
    users = cast(Table, User.__table__)
    session.connection().execute(
        update(users).where(users.c.id.in_(ids)).values(data_version=users.c.data_version + 1)
    )


def install() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def tag_for(*parts: Any) -> str:
    """A weak tag: the same content may go out compressed or not."""
    digest = hashlib.blake2b(
        "|".join(str(p) for p in (FORMAT, *parts)).encode(), digest_size=12
    ).hexdigest()
    return f'W/"{digest}"'


def _opaque(tag: str) -> str:
    # W/"abc", "abc" and "abc:gzip" (a compressor's suffix) all name the same content.
    return tag.strip().removeprefix("W/").strip('"').split(":", 1)[0]


def _matches(tag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    offered = {_opaque(t) for t in header.split(",")}
    return _opaque(tag) in offered or "*" in offered


def conditional(
    scope: Callable[[], Iterable[Any]], on_not_modified: Callable[[], None] | None = None
) -> Callable[[F], F]:
    """Answer 304 when `scope()`'s parts (plus path and query) still give the asked tag.

    `on_not_modified` runs before a 304 for what the view must do even when the content
    has not changed (the roster's entry in each client's access log).
    """

    def wrap(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            tag = tag_for(request.path, request.query_string.decode("latin-1"), *scope())
            if _matches(tag):
                if on_not_modified is not None:
                    on_not_modified()
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


# What each conditional screen depends on besides its path and query string.


def _user_version() -> int:
    from flask_login import current_user

    return int(current_user.data_version or 0)


def runner_scope() -> tuple[Any, ...]:
    """A runner's own screen: their data version and their calendar day (for "today")."""
    from flask_login import current_user

    from backend.dates import local_today

    return current_user.id, _user_version(), local_today(current_user)


def runner_hour_scope() -> tuple[Any, ...]:
    """As `runner_scope`, and the hour: what is due can change in the course of a day."""
    from backend.db import utcnow

    return (*runner_scope(), utcnow().strftime("%Y-%m-%dT%H"))


def roster_scope() -> tuple[Any, ...]:
    """The practitioner's version, and their consenting clients' (one statement).

    Versions only grow, so their sum moves with any client's write; a client who joins
    or leaves changes the consent row, which bumps the practitioner's own version. The
    hour: "nothing logged for N days" moves with the clock.
    """
    from flask_login import current_user
    from sqlalchemy import func, select

    from backend.db import utcnow
    from backend.extensions import db
    from backend.practice.models import Consent

    row = db.session.execute(
        select(func.count(), func.coalesce(func.sum(User.data_version), 0))
        .select_from(Consent)
        .join(User, User.id == Consent.runner_id)
        .where(Consent.practitioner_id == current_user.id, Consent.revoked_at.is_(None))
    ).one()
    return current_user.id, _user_version(), row[0], row[1], utcnow().strftime("%Y-%m-%dT%H")
