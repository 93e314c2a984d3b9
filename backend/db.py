"""Declarative base, column types and database connection settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, Uuid, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

# Named constraints: SQLite batch migrations can only alter what has a name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


class random_uuid(FunctionElement[uuid.UUID]):
    """A new random (version 4) UUID made by the database, for INSERT ... SELECT."""

    type = Uuid()
    inherit_cache = True
    name = "random_uuid"


@compiles(random_uuid, "postgresql")
def _random_uuid_postgresql(element: random_uuid, compiler: Any, **kw: Any) -> str:
    return "gen_random_uuid()"


@compiles(random_uuid, "sqlite")
def _random_uuid_sqlite(element: random_uuid, compiler: Any, **kw: Any) -> str:
    # 32 hex digits, as SQLAlchemy stores a UUID there, with the version 4 and variant bits.
    def digits(n: int) -> str:
        return f"substr(lower(hex(randomblob({(n + 1) // 2}))), 1, {n})"

    variant = "substr('89ab', 1 + abs(random()) % 4, 1)"
    return f"({digits(12)} || '4' || {digits(3)} || {variant} || {digits(15)})"


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; SQLite gets it back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Limber stores aware UTC instants only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_sqlite_pragmas() -> None:
    if not event.contains(Engine, "connect", _sqlite_on_connect):
        event.listen(Engine, "connect", _sqlite_on_connect)
