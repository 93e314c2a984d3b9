from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, new_uuid, utcnow


class CalendarFeed(Base):
    """A runner's private calendar URL. The URL holds a secret token; only its hash is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
