"""Consent: which practitioner a runner shares their data with, right now.

Every feature that shows a runner's data to a practitioner, or a practitioner's content
to a runner, asks here, inside its own query. Joining a practice with an invite code also
lives here, because both registration and the practice feature do it.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from blinker import Namespace
from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    Uuid,
    and_,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from backend.auth.models import User
from backend.db import UTCDateTime, random_uuid, utcnow
from backend.errors import Conflict, NotFound, field_error
from backend.extensions import db
from backend.practice.models import AccessRead, AccessVisit, Consent, PracticeInvite

_signals = Namespace()

# Sent after a new consent is committed: sender=None, runner_id=UUID, practitioner_id=UUID.
consent_granted = _signals.signal("consent-granted")

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
# 31 symbols ** 16 is about 2 ** 79: far beyond guessing, even at the write limit.
CODE_LENGTH = 16

# Reads by one practitioner of one runner this close together are one visit in the log.
VISIT_WINDOW = timedelta(minutes=30)


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invite_expiry(now: datetime, ttl_days: int) -> datetime | None:
    """When a code made now stops working; None when codes do not expire."""
    return now + timedelta(days=ttl_days) if ttl_days > 0 else None


def invite_expired(invite: PracticeInvite, now: datetime) -> bool:
    return invite.expires_at is not None and invite.expires_at <= now


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def in_force(runner: Any, practitioner: Any) -> ColumnElement[bool]:
    """Join or filter condition: this runner consents to this practitioner right now."""
    return and_(
        Consent.runner_id == runner,
        Consent.practitioner_id == practitioner,
        Consent.revoked_at.is_(None),
    )


def join_in_force(stmt: Select[Any], runner: Any, practitioner: Any) -> Select[Any]:
    """Keep only the rows whose runner consents to their practitioner right now."""
    return stmt.join(Consent, in_force(runner, practitioner))


def current_practitioner(runner: Any) -> ScalarSelect[uuid.UUID | None]:
    """Subquery: the id of the practitioner this runner consents to now (none: NULL)."""
    return (
        select(Consent.practitioner_id)
        .where(Consent.runner_id == runner, Consent.revoked_at.is_(None))
        .scalar_subquery()
    )


def consenting_runner_ids(practitioner_id: Any) -> Select[tuple[uuid.UUID]]:
    """The ids of the runners who consent to this practitioner right now."""
    return select(Consent.runner_id).where(
        Consent.practitioner_id == practitioner_id, Consent.revoked_at.is_(None)
    )


def practitioners_of(runner_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Runner id -> the practitioner each consents to now, for those who consent, at once."""
    if not runner_ids:
        return {}
    rows = db.session.execute(
        select(Consent.runner_id, Consent.practitioner_id).where(
            Consent.runner_id.in_(runner_ids), Consent.revoked_at.is_(None)
        )
    )
    return {runner: practitioner for runner, practitioner in rows if practitioner is not None}


def practitioner_for(runner_id: uuid.UUID) -> User | None:
    """The practitioner this runner currently consents to, if any."""
    return db.session.scalar(select(User).where(User.id == current_practitioner(runner_id)))


def consenting_clients_query(practitioner_id: uuid.UUID) -> Select[tuple[User]]:
    """Runners who consent to this practitioner right now (a select of User)."""
    return join_in_force(select(User), User.id, practitioner_id)


def consenting_client(practitioner_id: uuid.UUID, client_id: uuid.UUID) -> User:
    """The client, only while they consent; anything else is 404, never 403."""
    client = db.session.scalar(
        consenting_clients_query(practitioner_id).where(User.id == client_id)
    )
    if client is None:
        raise NotFound("No such client.")
    return client


def join_with_code(runner: User, code: str, *, commit: bool = True) -> tuple[Consent, bool]:
    """Share the runner's data with the practice owning this code; (consent, created).

    With `commit=False` the caller commits, then calls `announce` for a created consent.
    """
    invite = db.session.scalar(
        select(PracticeInvite).where(PracticeInvite.code == normalise_code(code))
    )
    if invite is None:
        raise field_error("invite_code", "No practice uses this code.")
    if invite_expired(invite, utcnow()):
        message = "This code has expired; ask your practitioner for a new one."
        raise field_error("invite_code", message)
    current = db.session.scalar(
        select(Consent).where(Consent.runner_id == runner.id, Consent.revoked_at.is_(None))
    )
    if current is not None:
        if current.practitioner_id == invite.practitioner_id:
            return current, False
        raise Conflict("You already share your data with a practitioner; revoke that first.")
    consent = Consent(runner_id=runner.id, practitioner_id=invite.practitioner_id)
    db.session.add(consent)
    if commit:
        try:
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict("You already share your data with a practitioner.") from exc
        announce(consent)
    return consent, True


def announce(consent: Consent) -> None:
    """Tell other features about a consent that has just been committed."""
    consent_granted.send(None, runner_id=consent.runner_id, practitioner_id=consent.practitioner_id)


def record_access(practitioner_id: uuid.UUID, runner_ids: list[uuid.UUID], what: str) -> None:
    """Log a practitioner's read of these runners' data as part of a visit, and commit.

    A read within VISIT_WINDOW of the practitioner's last read of the same runner joins
    that visit; otherwise a new visit starts. Three statements whether one runner is
    read or hundreds: close the stale visits, upsert the open ones (one INSERT ... SELECT
    ... ON CONFLICT), add `what` to each open visit (one INSERT ... SELECT).
    """
    ids = list(dict.fromkeys(runner_ids))
    if ids:
        now = utcnow()
        mine = and_(AccessVisit.practitioner_id == practitioner_id, AccessVisit.runner_id.in_(ids))
        db.session.execute(
            update(AccessVisit)
            .where(mine, AccessVisit.is_open, AccessVisit.last_seen_at <= now - VISIT_WINDOW)
            .values(is_open=False)
            .execution_options(synchronize_session=False)
        )
        # The new visits come from a SELECT, not a VALUES row per runner: the statement
        # is built and sent the same way for one runner or hundreds.
        opened = literal(now, UTCDateTime())
        new_visits = select(
            random_uuid(), literal(practitioner_id, Uuid()), User.id, opened, opened, true()
        ).where(User.id.in_(ids))
        upsert = _dialect_insert(AccessVisit).from_select(
            ["id", "practitioner_id", "runner_id", "started_at", "last_seen_at", "is_open"],
            new_visits,
        )
        db.session.execute(
            upsert.on_conflict_do_update(
                index_elements=[AccessVisit.practitioner_id, AccessVisit.runner_id],
                index_where=text("is_open"),
                set_={"last_seen_at": upsert.excluded.last_seen_at},
            )
        )
        visits = select(AccessVisit.id, literal(what), literal(now, UTCDateTime())).where(
            mine, AccessVisit.is_open
        )
        db.session.execute(
            _dialect_insert(AccessRead)
            .from_select(["visit_id", "what", "first_at"], visits)
            .on_conflict_do_nothing()
        )
    db.session.commit()


def _dialect_insert(model: Any) -> Any:
    """INSERT with ON CONFLICT for the database in use (PostgreSQL or SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def client_for_read(practitioner: User, client_id: uuid.UUID, what: str) -> User:
    """The consenting client, with the read logged for them to see."""
    client = consenting_client(practitioner.id, client_id)
    record_access(practitioner.id, [client.id], what)
    return client
