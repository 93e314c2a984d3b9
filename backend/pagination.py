"""Keyset pagination shared by every list endpoint."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from backend.schemas import BaseSchema, OutSchema

MAX_LIMIT = 100
CURSOR_MAX_LENGTH = 200


def _issued_cursor(value: str) -> None:
    try:
        decode_cursor(value)
    except ValueError as exc:
        raise ValidationError("This cursor is not one the API gave out.") from exc


class PageArgs(BaseSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    # A query string cannot carry null: absent means None, and the spec must not say nullable.
    # Opaque to clients, so one the server never issued is invalid input like any other (422).
    cursor = fields.String(
        load_default=None,
        allow_none=False,
        validate=[validate.Length(max=CURSOR_MAX_LENGTH), _issued_cursor],
    )


def page_schema(item_schema: type[BaseSchema], name: str) -> type[BaseSchema]:
    """A `{items, next_cursor}` envelope schema around `item_schema`."""
    return type(
        name,
        (OutSchema,),
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
    )


def page(items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    """The body a `page_schema` dumps: one page of rows and the cursor to the next."""
    return {"items": items, "next_cursor": next_cursor}


def encode_cursor(when: datetime, ident: Any) -> str:
    raw = json.dumps([when.isoformat(), str(ident)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The position a cursor names; ValueError for anything `encode_cursor` did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, ident = json.loads(raw)
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError("a cursor holds an aware instant")
        # Converting here, not in the query, keeps an out-of-range year a clean refusal.
        return moment.astimezone(UTC), uuid.UUID(ident)
    except (ValueError, TypeError, OverflowError, binascii.Error) as exc:
        raise ValueError("not a cursor this API gave out") from exc


def paginate(
    stmt: Select[Any],
    time_col: InstrumentedAttribute[Any],
    id_col: InstrumentedAttribute[Any],
    limit: int,
    cursor: str | None,
    session: Any,
) -> tuple[list[Any], str | None]:
    """Newest first by (time, id); one query, one extra row to know if more exist."""
    if cursor:
        when, ident = decode_cursor(cursor)
        stmt = stmt.where(or_(time_col < when, and_(time_col == when, id_col < ident)))
    stmt = stmt.order_by(time_col.desc(), id_col.desc()).limit(limit + 1)
    rows = list(session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, time_col.key), getattr(last, id_col.key))
    return rows, next_cursor
