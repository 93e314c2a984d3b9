"""Export and erasure of everything held about one user.

Both walk the table metadata instead of naming tables, so a feature that adds a table
with a foreign key to `users.id` is covered without touching this module. A row is
"about" a user when one of its foreign keys points at them, or when it has no owner of
its own and hangs off such a row (the steps of a routine they wrote, say).

A row about a runner (it has a `runner_id`) is the runner's data. It goes into the export
of anyone else it names (the practitioner an alert went to, who wrote a note or made an
assignment) only while the runner consents to them: the same rule as every /clients
route, so an export never shows what the API itself would refuse.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, Table, and_, delete, or_, select, update

from backend.auth import passwords
from backend.auth.models import User
from backend.auth.service import hasher
from backend.db import utcnow
from backend.errors import field_error
from backend.extensions import db

EXPORT_FORMAT = "limber-export/1"
# Credentials and derived secrets stay out of exports whatever table they are in.
_SECRET = re.compile(r"(^|_)(hash|secret|token|fingerprint)$")
# The column naming whose data a row is.
SUBJECT = "runner_id"


def is_secret(column_name: str) -> bool:
    return bool(_SECRET.search(column_name))


def _users() -> Table:
    return User.__table__  # type: ignore[return-value]


def _points_at_users(fk: ForeignKey) -> bool:
    return fk.column.table is _users() and fk.column.name == "id"


def owner_columns(table: Table) -> list[Any]:
    """The columns of `table` that hold a user id."""
    return [fk.parent for fk in table.foreign_keys if _points_at_users(fk)]


def user_tables() -> list[tuple[Table, list[Any]]]:
    """Every table other than users with a foreign key to users.id, and those columns."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = owner_columns(table)
        if table is not _users() and columns:
            found.append((table, columns))
    return found


def _owner_condition(table: Table, owners: list[Any], user_id: uuid.UUID) -> ColumnElement[bool]:
    from backend.consent import consenting_runner_ids

    subject = table.c.get(SUBJECT)
    if subject is None or subject not in owners:
        return or_(*(column == user_id for column in owners))
    others = [column == user_id for column in owners if column is not subject]
    if not others:
        return subject == user_id
    shared = subject.in_(consenting_runner_ids(user_id))
    return or_(subject == user_id, and_(or_(*others), shared))


def _export_conditions(user_id: uuid.UUID) -> dict[Table, ColumnElement[bool]]:
    """Per table, which rows belong in this user's export (parents before children)."""
    conditions: dict[Table, ColumnElement[bool]] = {}
    for table in db.metadata.sorted_tables:
        if table is _users():
            continue
        owners = owner_columns(table)
        if owners:
            conditions[table] = _owner_condition(table, owners, user_id)
            continue
        # No owner of its own: it belongs with the rows it hangs off.
        links = [
            fk.parent.in_(select(fk.column).where(conditions[fk.column.table]))
            for fk in table.foreign_keys
            if fk.column.table in conditions
        ]
        if links:
            conditions[table] = or_(*links)
    return conditions


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _rows(table: Table, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
    columns = [c for c in table.columns if not is_secret(c.name)]
    order = list(table.primary_key.columns)
    result = db.session.execute(select(*columns).where(condition).order_by(*order))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def export(user: User) -> dict[str, Any]:
    """Everything held about `user`, one query per table, grouped by table name."""
    users = _users()
    tables: dict[str, list[dict[str, Any]]] = {
        users.name: _rows(users, users.c.id == user.id),
    }
    for table, condition in _export_conditions(user.id).items():
        tables[table.name] = _rows(table, condition)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow(),
        "user_id": user.id,
        "tables": tables,
    }


def _erase_plan(
    user_id: uuid.UUID,
) -> list[tuple[Table, ColumnElement[bool] | None, list[tuple[Any, ColumnElement[bool]]]]]:
    """Per table (children first): rows to delete, and columns to clear and where.

    A reference to the user, or to a row being deleted, takes that row with it unless
    the schema says ON DELETE SET NULL: then the row is someone else's and only loses
    the reference (an alert acknowledged by a practitioner who leaves, say).
    """
    doomed: dict[Table, ColumnElement[bool]] = {}
    plan = []
    for table in db.metadata.sorted_tables:
        if table is _users():
            continue
        deletes: list[ColumnElement[bool]] = []
        clears: list[tuple[Any, ColumnElement[bool]]] = []
        for fk in table.foreign_keys:
            parent = fk.column.table
            if _points_at_users(fk):
                hit: ColumnElement[bool] = fk.parent == user_id
            elif parent in doomed and parent is not table:
                hit = fk.parent.in_(select(fk.column).where(doomed[parent]))
            else:
                continue
            if (fk.ondelete or "").upper() == "SET NULL":
                clears.append((fk.parent, hit))
            else:
                deletes.append(hit)
        if deletes:
            doomed[table] = or_(*deletes)
        if deletes or clears:
            plan.append((table, doomed.get(table), clears))
    plan.reverse()
    return plan


def check_password(user: User, password: str) -> None:
    if not passwords.verify(hasher(), user.password_hash, password):
        raise field_error("password", "This is not your password.")


def erase(user: User) -> None:
    """Remove the user and every row about them, in one transaction."""
    users = _users()
    # Lock the account first so a write racing the erasure waits, then fails cleanly.
    db.session.execute(select(users.c.id).where(users.c.id == user.id).with_for_update())
    if user.role == "practitioner":
        from backend.practice.service import end_practice

        end_practice(user.id, user.display_name)
    for table, deletes, clears in _erase_plan(user.id):
        for column, condition in clears:
            db.session.execute(update(table).where(condition).values({column.name: None}))
        if deletes is not None:
            db.session.execute(delete(table).where(deletes))
    db.session.execute(delete(users).where(users.c.id == user.id))
    db.session.commit()
    db.session.expunge_all()
