"""Idempotent creates: a client-made id plus a hash of the request body.

Sending the same id and body again returns the first record; the same id with another
body (or another user's id) is a conflict.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from backend.errors import Conflict
from backend.extensions import db

T = TypeVar("T")


def fingerprint(data: dict[str, Any]) -> str:
    """A stable hash of a write request's content (everything but the id)."""

    def norm(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, date | uuid.UUID):
            return str(value)
        if isinstance(value, list):
            return sorted(norm(v) for v in value)
        return value

    content = {k: norm(v) for k, v in sorted(data.items()) if k != "id"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def earlier_copy(
    model: type[T], ident: uuid.UUID, owner: str, owner_id: uuid.UUID, fp: str, what: str
) -> T | None:
    """The record already stored under `ident`, if it is a retry of this request."""
    existing = db.session.get(model, ident)
    if existing is None:
        return None
    if getattr(existing, owner) != owner_id or getattr(existing, "fingerprint", None) != fp:
        raise Conflict(f"A different {what} was already saved with this id.")
    return existing


def insert_once(record: T, owner: str, what: str) -> tuple[T, bool]:
    """Commit a new record; (record, created). A concurrent retry that won the race wins."""
    db.session.add(record)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        ident, owner_id, fp = (getattr(record, k) for k in ("id", owner, "fingerprint"))
        existing = earlier_copy(type(record), ident, owner, owner_id, fp, what)
        if existing is None:
            raise
        return existing, False
    return record, True


def create_once(
    model: type[T],
    data: dict[str, Any],
    owner: str,
    owner_id: uuid.UUID,
    what: str,
    build: Callable[[uuid.UUID, str], T],
) -> tuple[T, bool]:
    """Store `build(id, fingerprint)` unless this request was already stored; (row, created).

    `data` is the request as sent, with the client's optional `id`; `owner` names the
    column holding `owner_id`, the user the row belongs to.
    """
    fp = fingerprint(data)
    ident = data.get("id") or uuid.uuid4()
    existing = earlier_copy(model, ident, owner, owner_id, fp, what)
    if existing is not None:
        return existing, False
    return insert_once(build(ident, fp), owner, what)
