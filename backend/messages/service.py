"""Messages between a runner and their practitioner: one thread per consent.

Rules: a runner writes in the thread of the consent in force and can still read the
threads of links that ended; a practitioner reads and writes only while the client
consents (the same `consent.py` rule as every /clients route), and each read is in the
client's access log.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import joinedload

from backend.auth.models import User
from backend.consent import in_force, record_access
from backend.dates import local_today
from backend.db import utcnow
from backend.errors import Conflict, NotFound, field_error
from backend.extensions import db
from backend.idempotency import create_once
from backend.messages.models import Message
from backend.notifications.models import Notification
from backend.notifications.service import notify
from backend.pagination import decode_cursor, encode_cursor, paginate
from backend.practice.models import Consent
from backend.routines.models import Assignment, Routine, RoutineSession
from backend.runs.models import Run

log = logging.getLogger(__name__)

ACCESS_WHAT = "messages"
# The run's runner too, for the body weight its estimate uses: still one statement.
_ATTACHMENTS = (
    joinedload(Message.run).joinedload(Run.runner),
    joinedload(Message.session),
    joinedload(Message.routine),
)


# --- whose thread ---------------------------------------------------------------------------


def runner_thread(runner: User, thread_id: uuid.UUID | None = None) -> Consent | None:
    """The runner's thread: the one asked for, else the link in force, else the last one."""
    stmt = select(Consent).where(Consent.runner_id == runner.id)
    if thread_id is not None:
        consent = db.session.scalar(stmt.where(Consent.id == thread_id))
        if consent is None:
            raise NotFound("No such conversation.")
        return consent
    return db.session.scalar(
        stmt.order_by(Consent.revoked_at.is_not(None), Consent.granted_at.desc()).limit(1)
    )


def practitioner_thread(practitioner: User, client_id: uuid.UUID) -> Consent:
    """The thread with a client who consents now; anything else is 404, never 403."""
    consent = db.session.scalar(select(Consent).where(in_force(client_id, practitioner.id)))
    if consent is None:
        raise NotFound("No such client.")
    return consent


def thread_out(consent: Consent | None, role: str) -> dict[str, Any] | None:
    if consent is None:
        return None
    open_ = consent.revoked_at is None and consent.practitioner_id is not None
    return {
        "id": consent.id,
        "open": open_,
        "started_at": consent.granted_at,
        "ended_at": consent.revoked_at,
        "practitioner_name": None if role == "practitioner" else _practitioner_name(consent),
    }


def _practitioner_name(consent: Consent) -> str | None:
    if consent.practitioner_id is None:
        return consent.practitioner_name
    user = db.session.get(User, consent.practitioner_id)
    return user.display_name if user is not None else consent.practitioner_name


# --- reading ----------------------------------------------------------------------------------


def page(
    consent: Consent, limit: int, cursor: str | None, since: str | None
) -> tuple[list[Message], str | None]:
    """A page of the thread in one statement, attachments joined in.

    Without `since`: newest first, `cursor` going back in time. With `since` (a position
    handed out as `newest`): the messages after it, oldest first, for polling.
    """
    stmt = select(Message).where(Message.consent_id == consent.id).options(*_ATTACHMENTS)
    if since is None:
        return paginate(stmt, Message.created_at, Message.id, limit, cursor, db.session)
    when, ident = decode_cursor(since)
    stmt = stmt.where(
        or_(Message.created_at > when, and_(Message.created_at == when, Message.id > ident))
    )
    rows = list(
        db.session.scalars(stmt.order_by(Message.created_at, Message.id).limit(limit)).unique()
    )
    return rows, None


def newest_position(items: list[Message], since: str | None) -> str | None:
    """Where the next `since=` poll starts: after the newest message seen so far."""
    if not items:
        return since
    last = max(items, key=lambda m: (m.created_at, m.id))
    return encode_cursor(last.created_at, last.id)


def log_read(practitioner: User, client_id: uuid.UUID) -> None:
    record_access(practitioner.id, [client_id], ACCESS_WHAT)


def unread_counts(user: User) -> dict[str, int]:
    """The tab bar's badges in one statement: unread messages and other notifications."""
    if user.role == "practitioner":
        messages = (
            select(func.count())
            .select_from(Message)
            .join(
                Consent,
                and_(Consent.id == Message.consent_id, in_force(Message.runner_id, user.id)),
            )
            .where(
                Message.practitioner_id == user.id,
                Message.author == "runner",
                Message.read_at.is_(None),
            )
        )
    else:
        messages = select(func.count()).where(
            Message.runner_id == user.id,
            Message.author == "practitioner",
            Message.read_at.is_(None),
        )
    notifications = select(func.count()).where(
        Notification.user_id == user.id,
        Notification.in_app,
        Notification.read_at.is_(None),
        Notification.kind != "message",  # counted as messages, not twice
    )
    row = db.session.execute(
        select(messages.scalar_subquery(), notifications.scalar_subquery())
    ).one()
    return {"messages": int(row[0] or 0), "notifications": int(row[1] or 0)}


def conversations(practitioner: User) -> list[dict[str, Any]]:
    """Per consenting client with messages: unread, last message, and since when they wait.

    A client waits for a reply from their first message after the practitioner's last one.
    One statement; the roster sorts by `waiting_since`.
    """
    last_reply = (
        select(Message.consent_id, func.max(Message.created_at).label("at"))
        .where(Message.practitioner_id == practitioner.id, Message.author == "practitioner")
        .group_by(Message.consent_id)
        .subquery()
    )
    from_runner = Message.author == "runner"
    after_reply = or_(last_reply.c.at.is_(None), Message.created_at > last_reply.c.at)
    rows = db.session.execute(
        select(
            Message.runner_id,
            func.sum(case((and_(from_runner, Message.read_at.is_(None)), 1), else_=0)),
            func.max(Message.created_at),
            func.min(case((and_(from_runner, after_reply), Message.created_at))),
        )
        .join(
            Consent,
            and_(Consent.id == Message.consent_id, in_force(Message.runner_id, practitioner.id)),
        )
        .outerjoin(last_reply, last_reply.c.consent_id == Message.consent_id)
        .where(Message.practitioner_id == practitioner.id)
        .group_by(Message.runner_id)
    ).all()
    items = [
        {
            "client_id": runner_id,
            "unread": int(unread or 0),
            "last_message_at": last_at,
            "waiting_since": waiting,
        }
        for runner_id, unread, last_at, waiting in rows
    ]
    record_access(practitioner.id, [i["client_id"] for i in items], ACCESS_WHAT)
    return items


# --- writing ----------------------------------------------------------------------------------


def send_as_runner(runner: User, data: dict[str, Any]) -> tuple[Message, bool]:
    consent = runner_thread(runner)
    if consent is None:
        raise Conflict("Link with a practitioner first; then you can write to them.")
    if consent.revoked_at is not None or consent.practitioner_id is None:
        raise Conflict("This conversation ended with the link; it can be read, not written to.")
    fields: dict[str, Any] = {}
    if data.get("run_id") is not None:
        if (
            db.session.scalar(
                select(Run.id).where(Run.id == data["run_id"], Run.user_id == runner.id)
            )
            is None
        ):
            raise field_error("run_id", "No such run.")
        fields["run_id"] = data["run_id"]
    if data.get("session_id") is not None:
        if (
            db.session.scalar(
                select(RoutineSession.id).where(
                    RoutineSession.id == data["session_id"], RoutineSession.runner_id == runner.id
                )
            )
            is None
        ):
            raise field_error("session_id", "No such routine session.")
        fields["session_id"] = data["session_id"]
    return _store(consent, runner, "runner", data, fields)


def send_as_practitioner(
    practitioner: User, consent: Consent, data: dict[str, Any]
) -> tuple[Message, bool]:
    fields: dict[str, Any] = {}
    suggestion = data.get("suggestion")
    if suggestion is not None:
        routine = db.session.scalar(
            select(Routine.id).where(
                Routine.id == suggestion["routine_id"],
                or_(Routine.owner_id.is_(None), Routine.owner_id == practitioner.id),
            )
        )
        if routine is None:
            raise field_error("suggestion", {"routine_id": ["No such routine."]})
        fields["routine_id"] = suggestion["routine_id"]
        fields["weekdays"] = sorted(set(suggestion["weekdays"]))
    return _store(consent, practitioner, "practitioner", data, fields)


def _store(
    consent: Consent, sender: User, author: str, data: dict[str, Any], fields: dict[str, Any]
) -> tuple[Message, bool]:
    def build(ident: uuid.UUID, fp: str) -> Message:
        return Message(
            id=ident,
            consent_id=consent.id,
            runner_id=consent.runner_id,
            practitioner_id=consent.practitioner_id,
            sender_id=sender.id,
            author=author,
            body=data["body"],
            fingerprint=fp,
            created_at=utcnow(),
            **fields,
        )

    request = {k: v for k, v in data.items() if k != "suggestion"}
    if data.get("suggestion") is not None:  # flat, so the fingerprint can hash it
        request["routine_id"] = data["suggestion"]["routine_id"]
        request["weekdays"] = data["suggestion"]["weekdays"]
    message, created = create_once(Message, request, "sender_id", sender.id, "message", build)
    if created:
        _tell_the_other(message)
    return message, created


def _tell_the_other(message: Message) -> None:
    """A notification without the text: only that there is a new message, and where."""
    if message.author == "runner":
        if message.practitioner_id is None:
            return
        user_id = message.practitioner_id
        title, url = "New message from a client", f"/clients/{message.runner_id}#messages"
    else:
        user_id = message.runner_id
        title, url = "New message from your practitioner", "/messages"
    try:
        notify(
            user_id,
            "message",
            title=title,
            body="You have a new message. Open Limber to read it.",
            url=url,
            key=f"message:{message.id}",
        )
    except Exception:
        # The message is stored and counted in the badge whatever happens here.
        db.session.rollback()
        log.exception("could not notify about message %s", message.id)


def mark_read(consent: Consent, reader: str, message_id: uuid.UUID, user: User) -> int:
    """The reader has seen the thread up to this message (of either side): every message
    the other side wrote until then is marked read. Returns the reader's unread count."""
    other = "practitioner" if reader == "runner" else "runner"
    target = db.session.scalar(
        select(Message).where(Message.id == message_id, Message.consent_id == consent.id)
    )
    if target is None:
        raise NotFound("No such message.")
    now = utcnow()
    db.session.execute(
        update(Message)
        .where(
            Message.consent_id == consent.id,
            Message.author == other,
            Message.read_at.is_(None),
            Message.created_at <= target.created_at,
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    # The in-app notifications about messages are read with them.
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.kind == "message",
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return unread_counts(user)["messages"]


def accept_suggestion(runner: User, message_id: uuid.UUID) -> Message:
    """Turn a practitioner's routine suggestion into an assignment, once."""
    message = db.session.scalar(
        select(Message)
        .join(Consent, Consent.id == Message.consent_id)
        .where(Message.id == message_id, Message.runner_id == runner.id)
    )
    if message is None or message.author != "practitioner" or message.routine_id is None:
        raise NotFound("No such suggestion.")
    if message.accepted_at is not None:
        return message
    consent = db.session.get(Consent, message.consent_id)
    if consent is None or consent.revoked_at is not None or message.practitioner_id is None:
        raise Conflict("This suggestion came from a link that has ended.")
    now = utcnow()
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.accepted_at.is_(None))
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()  # a second tap won the race: its assignment stands
        db.session.refresh(message)
        return message
    assignment = Assignment(
        runner_id=runner.id,
        routine_id=message.routine_id,
        weekdays=list(message.weekdays or range(7)),
        starts_on=local_today(runner),
        assigned_by=message.practitioner_id,
    )
    db.session.add(assignment)
    db.session.flush()
    message.assignment_id = assignment.id
    message.accepted_at = now
    db.session.commit()
    return message


def runner_mark_read(runner: User, message_id: uuid.UUID) -> int:
    """The runner reads in any of their threads, also one whose link has ended."""
    consent_id = db.session.scalar(
        select(Message.consent_id).where(Message.id == message_id, Message.runner_id == runner.id)
    )
    if consent_id is None:
        raise NotFound("No such message.")
    consent = runner_thread(runner, consent_id)
    if consent is None:
        raise NotFound("No such message.")
    return mark_read(consent, "runner", message_id, runner)
