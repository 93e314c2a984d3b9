"""`notify()`: one entry point that tells a user something on the channels they chose.

The notification row is written first, under a unique (user, key): a key that was used
before sends nothing, on any channel. Each channel then gets a delivery row and a
background task; a task claims its delivery before sending, so a retry, a lost worker's
replay or a second worker never sends it twice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from backend.auth.models import User
from backend.db import new_uuid, utcnow
from backend.errors import NotFound
from backend.extensions import db
from backend.jobs import enqueue, job, periodic
from backend.notifications import email, push
from backend.notifications.models import (
    ALL_KINDS,
    QUIET_HOURS_KINDS,
    TEST_KIND,
    Delivery,
    Notification,
    PushSubscription,
)
from backend.notifications.rules import quiet_now
from backend.notifications.settings import channels_on, settings_for
from backend.pagination import paginate

log = logging.getLogger(__name__)

# Push TTL (seconds): how long a push service keeps trying to reach an offline device.
PUSH_TTL = {"client_alert": 24 * 3600, "alert_digest": 12 * 3600}
DEFAULT_PUSH_TTL = 4 * 3600


def notify(
    user: User | uuid.UUID,
    kind: str,
    *,
    title: str,
    body: str,
    url: str,
    key: str,
    actions: list[dict[str, str]] | None = None,
) -> Notification | None:
    """Tell `user` once per `key`; returns the new notification, or None if already told.

    Commits. `title` and `body` go to push and the in-app list; an email only ever says
    the fixed line for its kind and links to `url` (see docs/notifications.md).
    """
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    user_id = user.id if isinstance(user, User) else user
    settings = settings_for(user_id)
    on = channels_on(settings, kind)
    if kind in QUIET_HOURS_KINDS and settings.quiet_start is not None:
        person = user if isinstance(user, User) else db.session.get(User, user_id)
        timezone = person.timezone if person is not None else None
        if quiet_now(utcnow(), timezone, settings.quiet_start, settings.quiet_end):
            # Nothing buzzes or lands in the inbox now; the in-app list and badge keep it.
            on = {**on, "push": False, "email": False}
    row = {
        "id": new_uuid(),
        "user_id": user_id,
        "kind": kind,
        "key": key[:120],
        "title": title[:120],
        "body": body[:300],
        "url": url[:300],
        "actions": actions or [],
        "in_app": on["in_app"],
        "created_at": utcnow(),
        "read_at": None,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Notification)
        .values(row)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(Notification.id)
    )
    if db.session.execute(stmt).scalar() is None:
        db.session.rollback()
        return None
    deliveries: list[Delivery] = []
    if on["push"]:
        subscriptions = db.session.scalars(
            select(PushSubscription.id).where(PushSubscription.user_id == user_id)
        )
        deliveries += [
            Delivery(notification_id=row["id"], channel="push", subscription_id=sid)
            for sid in subscriptions
        ]
    if on["email"]:
        deliveries.append(Delivery(notification_id=row["id"], channel="email"))
    db.session.add_all(deliveries)
    db.session.commit()
    for delivery in deliveries:
        _queue(delivery.id)
    return db.session.get(Notification, row["id"])


def _queue(delivery_id: uuid.UUID) -> None:
    try:
        enqueue(deliver, str(delivery_id))
    except Exception:
        # Stored and pending: the sweep queues it again once the queue answers.
        log.exception("could not queue delivery %s", delivery_id)


@job()
def deliver(delivery_id: str) -> None:
    """Send one delivery, once. Raising makes the engine retry it with backoff."""
    ident = uuid.UUID(delivery_id)
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["JOBS_STALE_AFTER"])
    claimed = db.session.execute(
        update(Delivery)
        .where(
            Delivery.id == ident,
            or_(
                Delivery.status == "pending",
                and_(Delivery.status == "sending", Delivery.updated_at < stale),
            ),
        )
        .values(status="sending", attempts=Delivery.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return  # sent, given up, or in another worker's hands
    delivery = db.session.get(Delivery, ident)
    if delivery is None:
        return
    notification = db.session.get(Notification, delivery.notification_id)
    user = db.session.get(User, notification.user_id) if notification else None
    if notification is None or user is None:
        return
    try:
        outcome = _send(delivery, notification, user)
    except Exception as exc:
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
        delivery.updated_at = utcnow()
        given_up = delivery.attempts > current_app.config["JOBS_RETRIES"]
        delivery.status = "failed" if given_up else "pending"
        db.session.commit()
        raise
    if outcome == "gone":
        # The push service no longer knows this subscription: forget it (and its deliveries).
        db.session.execute(
            delete(PushSubscription).where(PushSubscription.id == delivery.subscription_id)
        )
        db.session.commit()
        log.info("push subscription removed: the push service answered it is gone")
        return
    delivery.status = "sent"
    delivery.sent_at = delivery.updated_at = utcnow()
    db.session.commit()


def _send(delivery: Delivery, notification: Notification, user: User) -> str:
    if delivery.channel == "email":
        email.send(email.compose(user, notification))
        return "sent"
    subscription = db.session.get(PushSubscription, delivery.subscription_id)
    if subscription is None:
        return "gone"
    return push.send(
        subscription,
        push_payload(notification),
        ttl=PUSH_TTL.get(notification.kind, DEFAULT_PUSH_TTL),
        urgency="high" if notification.kind == "client_alert" else "normal",
        topic=delivery.id.hex,  # the same on every attempt of this delivery
    )


def push_payload(notification: Notification) -> dict[str, Any]:
    """What the service worker receives (see frontend/sw.js `push`)."""
    return {
        "id": str(notification.id),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "tag": notification.kind,
        "actions": notification.actions or [],
    }


@periodic(lambda moment: True)
def sweep_deliveries() -> None:
    """Queue again the deliveries a lost worker or an unreachable queue left behind."""
    stale = utcnow() - timedelta(seconds=current_app.config["JOBS_STALE_AFTER"])
    ids = list(
        db.session.scalars(
            select(Delivery.id)
            .where(Delivery.status.in_(("pending", "sending")), Delivery.updated_at < stale)
            .limit(500)
        )
    )
    for ident in ids:
        _queue(ident)
    if ids:
        log.info("queued %d stale deliveries again", len(ids))


def list_notifications(
    user_id: uuid.UUID, limit: int, cursor: str | None
) -> tuple[list[Notification], str | None, int]:
    stmt = select(Notification).where(Notification.user_id == user_id, Notification.in_app)
    items, next_cursor = paginate(
        stmt, Notification.created_at, Notification.id, limit, cursor, db.session
    )
    return items, next_cursor, unread_count(user_id)


def unread_count(user_id: uuid.UUID) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                Notification.user_id == user_id, Notification.in_app, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(user_id: uuid.UUID, notification_id: uuid.UUID | None = None) -> int:
    """Mark one (or, without an id, every) unread notification read; returns unread left."""
    stmt = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        exists = db.session.scalar(
            select(Notification.id).where(
                Notification.id == notification_id, Notification.user_id == user_id
            )
        )
        if exists is None:
            raise NotFound("No such notification.")
        stmt = stmt.where(Notification.id == notification_id)
    db.session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return unread_count(user_id)


def send_test(user: User) -> Notification | None:
    """A test on every channel; each tap makes a new one (the key is fresh)."""
    return notify(
        user,
        TEST_KIND,
        title="Limber test notification",
        body="Notifications reach you here.",
        url="/settings",
        key=f"test:{uuid.uuid4()}",
    )
