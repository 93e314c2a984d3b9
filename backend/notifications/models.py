from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, new_uuid, utcnow

# What Limber may tell someone about, and on which channels unless they choose otherwise.
NOTIFICATION_KINDS = (
    "routine_reminder",
    "morning_checkin",
    "questionnaire_due",
    "client_alert",
    "alert_digest",
    "sign_in_warning",
    "message",
)
CHANNELS = ("push", "email", "in_app")
DEFAULT_CHANNELS: dict[str, dict[str, bool]] = {
    "routine_reminder": {"push": True, "email": False, "in_app": True},
    "morning_checkin": {"push": True, "email": False, "in_app": True},
    "questionnaire_due": {"push": True, "email": False, "in_app": True},
    "client_alert": {"push": True, "email": True, "in_app": True},
    "alert_digest": {"push": False, "email": True, "in_app": True},
    "sign_in_warning": {"push": False, "email": True, "in_app": True},
    "message": {"push": True, "email": False, "in_app": True},
}
# Kinds whose push and email wait out the user's quiet hours (kept in-app, in the badge).
QUIET_HOURS_KINDS = ("message",)
# The test notification goes out on every channel, whatever the settings say.
TEST_KIND = "test"
ALL_KINDS = (*NOTIFICATION_KINDS, TEST_KIND)

DEFAULT_REMINDER_TIME = time(18, 0)
DEFAULT_CHECKIN_TIME = time(8, 0)
DEFAULT_DIGEST_TIME = time(8, 0)


class NotificationSettings(Base):
    """One user's choices; a user without a row has the defaults.

    Times are wall-clock times in the user's timezone (`users.timezone`). Quiet hours
    run from `quiet_start` to `quiet_end` and may cross midnight; both or neither set.
    """

    __tablename__ = "notification_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Only the choices that differ from DEFAULT_CHANNELS: {kind: {channel: bool}}.
    channels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reminder_time: Mapped[time] = mapped_column(Time, default=DEFAULT_REMINDER_TIME)
    checkin_time: Mapped[time] = mapped_column(Time, default=DEFAULT_CHECKIN_TIME)
    digest_time: Mapped[time] = mapped_column(Time, default=DEFAULT_DIGEST_TIME)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    # The alerts a digest has covered: those created up to this instant.
    digest_through: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Notification(Base):
    """One thing told to one user: the in-app list entry and the key that stops repeats."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The key names the event (an alert, a day's reminder): it is told once, ever.
        UniqueConstraint("user_id", "key"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300))
    actions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "dropped")


class Delivery(Base):
    """One notification on one channel (per push subscription): claimed, then sent once."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        Index("ix_notification_deliveries_status_updated_at", "status", "updated_at"),
        Index("ix_notification_deliveries_notification_id", "notification_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(10))
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PushSubscription(Base):
    """A browser's Web Push subscription (the endpoint and its encryption keys)."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (Index("ix_push_subscriptions_user_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
