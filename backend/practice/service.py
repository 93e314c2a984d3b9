"""Invites and consent: who may see whose data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from backend.auth.models import User
from backend.consent import (
    consenting_client,
    in_force,
    invite_expired,
    invite_expiry,
    join_with_code,
    new_code,
    practitioner_for,
)
from backend.db import utcnow
from backend.errors import NotFound
from backend.extensions import db
from backend.pagination import paginate
from backend.practice.models import AccessLog, ClientNote, Consent, PracticeInvite
from backend.routines.models import RoutineSession
from backend.runs.models import Run


def _fresh_code(invite: PracticeInvite) -> None:
    now = utcnow()
    invite.code = new_code()
    invite.created_at = now
    invite.expires_at = invite_expiry(now, int(current_app.config["INVITE_TTL_DAYS"]))


def current_invite(practitioner: User) -> PracticeInvite:
    """The practitioner's code; a new one once the old one has expired."""
    invite = db.session.get(PracticeInvite, practitioner.id)
    if invite is None:
        invite = PracticeInvite(practitioner_id=practitioner.id)
        _fresh_code(invite)
        db.session.add(invite)
        db.session.commit()
    elif invite_expired(invite, utcnow()):
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


def join(runner: User, code: str) -> tuple[dict[str, Any], int]:
    """Share the runner's data with the practice owning `code`: the consent for
    `ConsentOut`, and 201 when it is new or 200 when they already shared with that practice."""
    consent, created = join_with_code(runner, code)
    body = {"practitioner": practitioner_for(runner.id), "granted_at": consent.granted_at}
    return body, 201 if created else 200


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


def linked_since(practitioner_id: uuid.UUID, client_id: uuid.UUID) -> datetime:
    granted = db.session.scalar(
        select(Consent.granted_at).where(in_force(client_id, practitioner_id))
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
    timezone: str
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
            User.timezone,
            Consent.granted_at,
            latest_run(Run.started_at),
            latest_run(Run.stiffness),
            last_session,
        ).join(Consent, in_force(User.id, practitioner_id))
    ).all()
    return [ClientActivity(*row) for row in rows]
