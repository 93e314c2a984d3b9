"""Invites and consent: who may see whose data."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from backend.auth.models import User
from backend.db import new_uuid, utcnow
from backend.errors import Conflict, NotFound, Unprocessable
from backend.extensions import db
from backend.pagination import paginate
from backend.practice.models import AccessLog, ClientNote, Consent, PracticeInvite
from backend.routines.models import RoutineSession
from backend.runs.models import Run

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
# 31 symbols ** 16 is about 2 ** 79: far beyond guessing, even at the write limit.
CODE_LENGTH = 16


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invite_expiry(now: datetime, ttl_days: int) -> datetime | None:
    """When a code made now stops working; None when codes do not expire."""
    return now + timedelta(days=ttl_days) if ttl_days > 0 else None


def _expired(invite: PracticeInvite, now: datetime) -> bool:
    return invite.expires_at is not None and invite.expires_at <= now


def _fresh_code(invite: PracticeInvite) -> None:
    now = utcnow()
    invite.code = new_code()
    invite.created_at = now
    invite.expires_at = invite_expiry(now, int(current_app.config["INVITE_TTL_DAYS"]))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def current_invite(practitioner: User) -> PracticeInvite:
    """The practitioner's code; a new one once the old one has expired."""
    invite = db.session.get(PracticeInvite, practitioner.id)
    if invite is None:
        invite = PracticeInvite(practitioner_id=practitioner.id)
        _fresh_code(invite)
        db.session.add(invite)
        db.session.commit()
    elif _expired(invite, utcnow()):
        _fresh_code(invite)
        db.session.commit()
    return invite


def rotate_invite(practitioner: User) -> PracticeInvite:
    invite = db.session.get(PracticeInvite, practitioner.id)
    if invite is None:
        return current_invite(practitioner)
    _fresh_code(invite)
    db.session.commit()
    return invite


def practitioner_for(runner_id: uuid.UUID) -> User | None:
    """The practitioner this runner currently consents to, if any."""
    return db.session.scalar(
        select(User)
        .join(Consent, Consent.practitioner_id == User.id)
        .where(Consent.runner_id == runner_id, Consent.revoked_at.is_(None))
    )


def join_practitioner(runner: User, code: str, *, commit: bool = True) -> Consent:
    invite = db.session.scalar(
        select(PracticeInvite).where(PracticeInvite.code == normalise_code(code))
    )
    if invite is None:
        raise Unprocessable(errors={"json": {"invite_code": ["No practice uses this code."]}})
    if _expired(invite, utcnow()):
        message = "This code has expired; ask your practitioner for a new one."
        raise Unprocessable(errors={"json": {"invite_code": [message]}})
    current = practitioner_for(runner.id)
    if current is not None:
        if current.id == invite.practitioner_id:
            return db.session.scalars(
                select(Consent).where(Consent.runner_id == runner.id, Consent.revoked_at.is_(None))
            ).one()
        raise Conflict("You already share your data with a practitioner; revoke that first.")
    consent = Consent(runner_id=runner.id, practitioner_id=invite.practitioner_id)
    db.session.add(consent)
    if commit:
        try:
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict("You already share your data with a practitioner.") from exc
    return consent


def revoke_practitioner(runner: User) -> bool:
    result = db.session.execute(
        update(Consent)
        .where(Consent.runner_id == runner.id, Consent.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end_practice(practitioner_id: uuid.UUID, name: str) -> None:
    """Before a practitioner's account is erased: end every consent given to them and
    write their name into their clients' consent history and access log, which stay."""
    now = utcnow()
    db.session.execute(
        update(Consent)
        .where(Consent.practitioner_id == practitioner_id, Consent.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    for model in (Consent, AccessLog):
        db.session.execute(
            update(model)
            .where(model.practitioner_id == practitioner_id)
            .values(practitioner_name=name)
        )


def consent_in_force(runner_id: Any, practitioner_id: Any) -> ColumnElement[bool]:
    """Join or filter condition: this runner consents to this practitioner right now."""
    return and_(
        Consent.runner_id == runner_id,
        Consent.practitioner_id == practitioner_id,
        Consent.revoked_at.is_(None),
    )


def consenting_runner_ids(practitioner_id: Any) -> Select[tuple[uuid.UUID]]:
    """The ids of the runners who consent to this practitioner right now."""
    return select(Consent.runner_id).where(
        Consent.practitioner_id == practitioner_id, Consent.revoked_at.is_(None)
    )


def consenting_clients_query(practitioner_id: uuid.UUID) -> Select[tuple[User]]:
    """Runners who consent to this practitioner right now (a select of User)."""
    return select(User).join(Consent, consent_in_force(User.id, practitioner_id))


def consenting_client(practitioner_id: uuid.UUID, client_id: uuid.UUID) -> User:
    """The client, only while they consent; anything else is 404, never 403."""
    client = db.session.scalar(
        consenting_clients_query(practitioner_id).where(User.id == client_id)
    )
    if client is None:
        raise NotFound("No such client.")
    return client


def record_access(practitioner_id: uuid.UUID, runner_ids: list[uuid.UUID], what: str) -> None:
    """Log a practitioner's read of these runners' data, in one INSERT, and commit."""
    if runner_ids:
        now = utcnow()
        # executemany keeps the statement cached, however many clients are listed
        db.session.execute(
            insert(AccessLog),
            [
                {"id": new_uuid(), "practitioner_id": practitioner_id, "runner_id": rid}
                | {"what": what, "at": now}
                for rid in runner_ids
            ],
        )
    db.session.commit()


def client_for_read(practitioner: User, client_id: uuid.UUID, what: str) -> User:
    """The consenting client, with the read logged for them to see."""
    client = consenting_client(practitioner.id, client_id)
    record_access(practitioner.id, [client.id], what)
    return client


def linked_since(practitioner_id: uuid.UUID, client_id: uuid.UUID) -> datetime:
    granted = db.session.scalar(
        select(Consent.granted_at).where(consent_in_force(client_id, practitioner_id))
    )
    if granted is None:
        raise NotFound("No such client.")
    return granted


def add_note(practitioner: User, client_id: uuid.UUID, body: str) -> ClientNote:
    consenting_client(practitioner.id, client_id)
    note = ClientNote(practitioner_id=practitioner.id, runner_id=client_id, body=body.strip())
    db.session.add(note)
    db.session.commit()
    return note


def list_notes(
    practitioner: User, client_id: uuid.UUID, limit: int, cursor: str | None
) -> tuple[list[ClientNote], str | None]:
    consenting_client(practitioner.id, client_id)
    stmt = select(ClientNote).where(
        ClientNote.practitioner_id == practitioner.id, ClientNote.runner_id == client_id
    )
    return paginate(stmt, ClientNote.created_at, ClientNote.id, limit, cursor, db.session)


def list_access_log(
    runner: User, limit: int, cursor: str | None
) -> tuple[list[AccessLog], str | None]:
    stmt = (
        select(AccessLog)
        .where(AccessLog.runner_id == runner.id)
        .options(joinedload(AccessLog.practitioner))
    )
    return paginate(stmt, AccessLog.at, AccessLog.id, limit, cursor, db.session)


@dataclass(frozen=True)
class ClientActivity:
    """A consenting client and when they last did anything."""

    id: uuid.UUID
    display_name: str
    email: str
    linked_since: datetime
    last_run_at: datetime | None
    latest_stiffness: int | None
    last_session_at: datetime | None

    @property
    def last_active(self) -> datetime:
        times = (self.linked_since, self.last_run_at, self.last_session_at)
        return max(t for t in times if t is not None)


def client_activity(practitioner_id: uuid.UUID) -> list[ClientActivity]:
    """Each consenting client with their latest run and routine, in one statement."""

    # Correlated subqueries walk the (user_id, started_at) index backwards and stop at
    # the first row, so the cost follows the number of clients, not of runs.
    def latest_run(column: Any) -> Any:
        return (
            select(column)
            .where(Run.user_id == User.id)
            .order_by(Run.started_at.desc(), Run.id.desc())
            .limit(1)
            .correlate(User)
            .scalar_subquery()
        )

    last_session = (
        select(func.max(RoutineSession.completed_at))
        .where(RoutineSession.runner_id == User.id)
        .correlate(User)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            User.id,
            User.display_name,
            User.email,
            Consent.granted_at,
            latest_run(Run.started_at),
            latest_run(Run.stiffness),
            last_session,
        ).join(Consent, consent_in_force(User.id, practitioner_id))
    ).all()
    return [ClientActivity(*row) for row in rows]
