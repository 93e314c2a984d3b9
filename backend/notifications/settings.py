"""A user's notification choices, merged over the defaults."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from backend.auth.models import User
from backend.extensions import db
from backend.notifications.models import (
    ALL_KINDS,
    CHANNELS,
    DEFAULT_CHANNELS,
    DEFAULT_CHECKIN_TIME,
    DEFAULT_DIGEST_TIME,
    DEFAULT_REMINDER_TIME,
    NOTIFICATION_KINDS,
    TEST_KIND,
    NotificationSettings,
)


def settings_for(user_id: uuid.UUID) -> NotificationSettings:
    """The stored row, or an unsaved one holding the defaults."""
    row = db.session.get(NotificationSettings, user_id)
    return row if row is not None else _defaults(user_id)


def settings_for_many(user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, NotificationSettings]:
    ids = list(user_ids)
    rows = {
        s.user_id: s
        for s in db.session.scalars(
            select(NotificationSettings).where(NotificationSettings.user_id.in_(ids))
        )
    }
    return {uid: rows.get(uid) or _defaults(uid) for uid in ids}


def _defaults(user_id: uuid.UUID) -> NotificationSettings:
    return NotificationSettings(
        user_id=user_id,
        channels={},
        reminder_time=DEFAULT_REMINDER_TIME,
        checkin_time=DEFAULT_CHECKIN_TIME,
        digest_time=DEFAULT_DIGEST_TIME,
        quiet_start=None,
        quiet_end=None,
    )


def channel_choices(settings: NotificationSettings) -> dict[str, dict[str, bool]]:
    chosen = settings.channels or {}
    return {
        kind: {
            ch: bool(chosen.get(kind, {}).get(ch, DEFAULT_CHANNELS[kind][ch])) for ch in CHANNELS
        }
        for kind in NOTIFICATION_KINDS
    }


def channels_on(settings: NotificationSettings, kind: str) -> dict[str, bool]:
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if kind == TEST_KIND:
        return dict.fromkeys(CHANNELS, True)
    return channel_choices(settings)[kind]


def update_settings(user: User, changes: dict[str, Any]) -> NotificationSettings:
    """Apply a validated PATCH; one commit, nothing stored if validation failed earlier."""
    row = db.session.get(NotificationSettings, user.id)
    if row is None:
        row = _defaults(user.id)
        db.session.add(row)
    if "channels" in changes:
        merged = {k: dict(v) for k, v in (row.channels or {}).items()}
        for kind, choice in changes["channels"].items():
            merged.setdefault(kind, {}).update(choice)
        row.channels = merged
    for name in ("reminder_time", "checkin_time", "digest_time"):
        if name in changes:
            setattr(row, name, changes[name])
    if "quiet_hours" in changes:
        quiet = changes["quiet_hours"]
        row.quiet_start = quiet["start"] if quiet else None
        row.quiet_end = quiet["end"] if quiet else None
    db.session.commit()
    return row


def unsubscribe(user_id: uuid.UUID, kind: str) -> None:
    """Turn email off for one kind (the link at the foot of every email)."""
    user = db.session.get(User, user_id)
    if user is None or kind not in NOTIFICATION_KINDS:
        return
    update_settings(user, {"channels": {kind: {"email": False}}})
