"""A conversation is one runner and practitioner link: its messages hang off the consent."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, UTCDateTime, utcnow
from backend.routines.models import Assignment, Routine, RoutineSession
from backend.runs.models import Run

AUTHORS = ("runner", "practitioner")
MAX_LENGTH = 4000


class Message(Base):
    """One message in the conversation of one consent (a link between runner and practitioner).

    The thread is the consent: a revoke closes it, a new link opens a new one. The text
    is stored exactly as written; it is only ever shown as text.
    """

    __tablename__ = "messages"
    __table_args__ = (
        # A page of a thread, newest first, and `since=` polling: one index range.
        Index("ix_messages_consent_id_created_at", "consent_id", "created_at", "id"),
        # Unread counts for the tab bar and the roster.
        Index("ix_messages_runner_id_read_at", "runner_id", "read_at"),
        Index("ix_messages_practitioner_id_read_at", "practitioner_id", "read_at"),
        Index("ix_messages_run_id", "run_id"),
        Index("ix_messages_session_id", "session_id"),
        Index("ix_messages_routine_id", "routine_id"),
        Index("ix_messages_assignment_id", "assignment_id"),
        Index("ix_messages_sender_id", "sender_id"),
    )

    # Made by the client, so a message sent again from the outbox is stored once.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consents.id", ondelete="CASCADE"))
    # The runner's record: erasing the runner removes the conversation.
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A practitioner who erases their account leaves the runner's thread to the runner,
    # closed (their name stays on the consent).
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    sender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    # "About this run" / "about this routine session" (the runner's own).
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="SET NULL")
    )
    # A practitioner's routine suggestion, and the assignment made when the runner accepts.
    routine_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("routines.id", ondelete="SET NULL")
    )
    weekdays: Mapped[list[int] | None] = mapped_column(JSON)
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Read receipt: when the other party first saw it.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[Run | None] = relationship()
    session: Mapped[RoutineSession | None] = relationship()
    routine: Mapped[Routine | None] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
