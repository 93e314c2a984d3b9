from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, new_uuid, utcnow


class JobFailure(Base):
    """A task that gave up after its last retry; listed by `flask jobs failed`."""

    __tablename__ = "job_failures"
    __table_args__ = (Index("ix_job_failures_failed_at", "failed_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    task: Mapped[str] = mapped_column(String(120))
    task_id: Mapped[str] = mapped_column(String(64))
    # Task arguments are ids only, never content; still cut short.
    arguments: Mapped[str] = mapped_column(String(300))
    error: Mapped[str] = mapped_column(String(300))
    request_id: Mapped[str | None] = mapped_column(String(128))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
