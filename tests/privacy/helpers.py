"""Looking into the database for rows about a user, by walking the table metadata."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, or_, select

from backend.extensions import db
from backend.privacy.service import owner_columns


def rows_about(session: Any, user_id: uuid.UUID) -> dict[str, int]:
    """Per table, how many rows name this user in any column that refers to users.id."""
    counts = {}
    for table in db.metadata.sorted_tables:
        columns = owner_columns(table)
        if table.name == "users":
            columns = [table.c.id]
        if not columns:
            continue
        counts[table.name] = session.scalar(
            select(func.count())
            .select_from(table)
            .where(or_(*(column == user_id for column in columns)))
        )
    return counts


def link(app: Any, runner_id: uuid.UUID, practitioner_id: uuid.UUID) -> None:
    """The runner joins the practitioner with the practitioner's invite code."""
    from backend.auth.models import User
    from backend.practice.service import current_invite, join_practitioner

    with app.app_context():
        practitioner = db.session.get(User, practitioner_id)
        runner = db.session.get(User, runner_id)
        join_practitioner(runner, current_invite(practitioner).code)
        db.session.remove()


def unlink(app: Any, runner_id: uuid.UUID) -> None:
    from backend.auth.models import User
    from backend.practice.service import revoke_practitioner

    with app.app_context():
        revoke_practitioner(db.session.get(User, runner_id))
        db.session.remove()
