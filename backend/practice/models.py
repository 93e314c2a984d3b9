from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.auth.models import User
from backend.db import Base, UTCDateTime, new_uuid, utcnow


class PracticeInvite(Base):
    """A practitioner's current invite code; rotating it replaces the code."""

    __tablename__ = "practice_invites"

    practitioner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None: the code works until it is replaced.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Consent(Base):
    """A runner's explicit, timestamped consent for one practitioner to see their data."""

    __tablename__ = "consents"
    __table_args__ = (
        # One active practitioner per runner.
        Index(
            "uq_consents_active_runner",
            "runner_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        Index("ix_consents_practitioner_id", "practitioner_id", "revoked_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The runner's history outlives a practitioner who erases their account: the link is
    # cleared and the name they had is kept in practitioner_name.
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    practitioner_name: Mapped[str | None] = mapped_column(String(80))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


ALERT_KINDS = ("red_flag", "high_stiffness", "worsening", "inactive")
# Most serious first; red flags use the run's advice tier, the rest are warnings.
ALERT_LEVELS = ("emergency", "urgent", "see_professional", "warning")


class Alert(Base):
    """Something a practitioner should look at; open until they acknowledge it."""

    __tablename__ = "alerts"
    __table_args__ = (
        # The key says what the alert is about (a run, a week, a quiet spell), so the same
        # event never raises a second alert, even after the first was acknowledged.
        UniqueConstraint("practitioner_id", "runner_id", "key"),
        Index("ix_alerts_practitioner_id_created_at", "practitioner_id", "created_at"),
        Index("ix_alerts_runner_id", "runner_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # An alert is a clinical record: it outlives the run it is about, keeping the run's
    # date and flags as they were.
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    run_date: Mapped[date | None] = mapped_column(Date)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(80))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when what raised it no longer holds (a trend that eased); it leaves the open list.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    runner: Mapped[User] = relationship(foreign_keys=[runner_id])


class ClientNote(Base):
    """A practitioner's private note about a client; the client never sees it."""

    __tablename__ = "client_notes"
    __table_args__ = (
        Index(
            "ix_client_notes_practitioner_id_runner_id",
            "practitioner_id",
            "runner_id",
            "created_at",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessVisit(Base):
    """One practitioner visit to a runner's data, shown to the runner as one entry.

    Reads by the same practitioner within `consent.VISIT_WINDOW` of the last one extend
    the open visit; what was read is the set of `AccessRead` rows under it.
    """

    __tablename__ = "access_visits"
    __table_args__ = (
        Index("ix_access_visits_runner_id_started_at", "runner_id", "started_at"),
        # At most one open visit per practitioner and runner: concurrent reads upsert it.
        Index(
            "uq_access_visits_open",
            "practitioner_id",
            "runner_id",
            unique=True,
            sqlite_where=text("is_open"),
            postgresql_where=text("is_open"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    # Kept for the runner when the practitioner erases their account (see Consent).
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    practitioner_name: Mapped[str | None] = mapped_column(String(80))
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # True while later reads may still join this visit; closed once the window passed.
    is_open: Mapped[bool] = mapped_column(default=True)

    practitioner: Mapped[User | None] = relationship(foreign_keys=[practitioner_id])
    reads: Mapped[list[AccessRead]] = relationship(
        order_by=lambda: (AccessRead.first_at, AccessRead.what),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def shown_practitioner(self) -> dict[str, Any]:
        """Who the runner is shown: the practitioner, or the name they had before erasing."""
        who = self.practitioner
        if who is not None:
            return {"id": who.id, "display_name": who.display_name}
        return {"id": None, "display_name": self.practitioner_name or "A former practitioner"}


class AccessRead(Base):
    """One kind of data read during a visit ("runs", "progress", ...), once per visit."""

    __tablename__ = "access_reads"

    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("access_visits.id", ondelete="CASCADE"), primary_key=True
    )
    what: Mapped[str] = mapped_column(String(20), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
