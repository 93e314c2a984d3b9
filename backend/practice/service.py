"""Invites and consent: who may see whose data."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError

from backend.auth.models import User
from backend.db import utcnow
from backend.errors import Conflict, NotFound, Unprocessable
from backend.extensions import db
from backend.practice.models import Consent, PracticeInvite

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def current_invite(practitioner: User) -> PracticeInvite:
    invite = db.session.get(PracticeInvite, practitioner.id)
    if invite is None:
        invite = PracticeInvite(practitioner_id=practitioner.id, code=new_code())
        db.session.add(invite)
        db.session.commit()
    return invite


def rotate_invite(practitioner: User) -> PracticeInvite:
    invite = db.session.get(PracticeInvite, practitioner.id)
    if invite is None:
        return current_invite(practitioner)
    invite.code = new_code()
    invite.created_at = utcnow()
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


def consenting_clients_query(practitioner_id: uuid.UUID) -> Select[tuple[User]]:
    """Runners who consent to this practitioner right now (a select of User)."""
    return (
        select(User)
        .join(Consent, Consent.runner_id == User.id)
        .where(Consent.practitioner_id == practitioner_id, Consent.revoked_at.is_(None))
    )


def consenting_client(practitioner_id: uuid.UUID, client_id: uuid.UUID) -> User:
    """The client, only while they consent; anything else is 404, never 403."""
    client = db.session.scalar(
        consenting_clients_query(practitioner_id).where(User.id == client_id)
    )
    if client is None:
        raise NotFound("No such client.")
    return client
