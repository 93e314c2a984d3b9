from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, new_uuid, utcnow

ROLES = ("runner", "practitioner")
UNITS = ("metric", "imperial")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('runner', 'practitioner')", name="role"),
        CheckConstraint("units IN ('metric', 'imperial')", name="units"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    units: Mapped[str] = mapped_column(String(10), default="metric")
    body_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every write of what this user's screens show (backend/conditional.py).
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def body_weight(self) -> float | None:
        """Body weight in kg as a plain number, or None when not given."""
        return float(self.body_weight_kg) if self.body_weight_kg is not None else None

    # Flask-Login protocol
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return str(self.id)


class AuthSession(Base):
    """A signed-in device. The cookie holds a secret token; only its hash is stored."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("ix_auth_sessions_user_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginBrake(Base):
    """Wrong passwords in a row for one email address, known account or not.

    The key is a hash of the normalised address, so a guessed address leaves no trace of
    itself; a successful sign-in deletes the row.
    """

    __tablename__ = "login_brakes"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
