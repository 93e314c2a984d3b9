from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, UTCDateTime, new_uuid, utcnow
from backend.runs.models import STIFFNESS_AREAS

SIDES = ("both", "left", "right", "each")
DOSES = ("reps", "seconds", "breaths")
# Exercises name the same parts of the body a runner picks when logging stiffness.
BODY_AREAS = STIFFNESS_AREAS

# A built-in row has a slug and no owner; a practitioner's own row has an owner and no slug.
_BUILTIN_XOR_OWNED = (
    "(owner_id IS NULL AND slug IS NOT NULL) OR (owner_id IS NOT NULL AND slug IS NULL)"
)


class LibraryItem:
    """Columns shared by exercises and routines: built-in (by slug) or a practitioner's own."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    slug: Mapped[str | None] = mapped_column(String(80), unique=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Version of the built-in content file the row was last loaded from.
    content_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def builtin(self) -> bool:
        return self.owner_id is None


class Exercise(LibraryItem, Base):
    __tablename__ = "exercises"
    __table_args__ = (
        Index("ix_exercises_owner_id", "owner_id"),
        CheckConstraint(_BUILTIN_XOR_OWNED, name="builtin_or_owned"),
    )

    name: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[list[str]] = mapped_column(JSON, default=list)
    cues: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Only the signs to stop during the exercise; reasons not to start it are in skip_if.
    safety: Mapped[list[str]] = mapped_column(JSON, default=list)
    skip_if: Mapped[list[str]] = mapped_column(JSON, default=list)
    illustration: Mapped[str | None] = mapped_column(String(200))
    equipment: Mapped[str] = mapped_column(String(40), default="none")
    body_areas: Mapped[list[str]] = mapped_column(JSON, default=list)


class Routine(LibraryItem, Base):
    __tablename__ = "routines"
    __table_args__ = (
        Index("ix_routines_owner_id", "owner_id"),
        CheckConstraint(_BUILTIN_XOR_OWNED, name="builtin_or_owned"),
        CheckConstraint("estimated_minutes > 0", name="estimated_minutes"),
    )

    name: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(String(200), default="")
    safety: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_minutes: Mapped[int] = mapped_column(Integer)
    # Place in the starter programme every runner follows until a practitioner assigns
    # routines; None when the routine is not part of it.
    starter_order: Mapped[int | None] = mapped_column(Integer)

    @property
    def starter(self) -> bool:
        return self.starter_order is not None

    steps: Mapped[list[RoutineStep]] = relationship(
        back_populates="routine",
        order_by="RoutineStep.position",
        cascade="all, delete-orphan",
    )


class RoutineStep(Base):
    __tablename__ = "routine_steps"
    __table_args__ = (
        UniqueConstraint("routine_id", "position"),
        Index("ix_routine_steps_exercise_id", "exercise_id"),
        CheckConstraint(
            " + ".join(f"(CASE WHEN {d} IS NULL THEN 0 ELSE 1 END)" for d in DOSES) + " = 1",
            name="one_dose",
        ),
        CheckConstraint("sets >= 1", name="sets"),
        CheckConstraint("rest_s >= 0", name="rest_s"),
        CheckConstraint(f"side IN ({', '.join(repr(s) for s in SIDES)})", name="side"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    routine_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"))
    # 1-based order within the routine.
    position: Mapped[int] = mapped_column(Integer)
    # No cascade: an exercise in use cannot be deleted.
    exercise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercises.id"))
    sets: Mapped[int] = mapped_column(Integer, default=1)
    reps: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[int | None] = mapped_column(Integer)
    breaths: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8), default="both")
    rest_s: Mapped[int] = mapped_column(Integer, default=0)
    cues: Mapped[list[str]] = mapped_column(JSON, default=list)

    routine: Mapped[Routine] = relationship(back_populates="steps")
    exercise: Mapped[Exercise] = relationship()


class Assignment(Base):
    """A routine a practitioner scheduled for a runner on some weekdays (0 = Monday)."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_runner_id_starts_on", "runner_id", "starts_on"),
        Index("ix_assignments_routine_id", "routine_id"),
        Index("ix_assignments_assigned_by", "assigned_by"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    routine_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routines.id"))
    weekdays: Mapped[list[int]] = mapped_column(JSON)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    assigned_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Deleting an assignment that already ran keeps its past days (for adherence) but
    # hides it from lists; `ends_on` is moved back so it plans nothing from then on.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    routine: Mapped[Routine] = relationship()


class RoutineSession(Base):
    """A routine done by a runner; the client may choose the id so retries are idempotent."""

    __tablename__ = "routine_sessions"
    __table_args__ = (
        Index("ix_routine_sessions_runner_id_local_date", "runner_id", "local_date"),
        Index("ix_routine_sessions_runner_id_completed_at", "runner_id", "completed_at"),
        Index("ix_routine_sessions_routine_id", "routine_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # SET NULL: a practitioner who erases their account takes their own routines with
    # them, but a client's record of having done one stays, under the name it had.
    routine_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("routines.id", ondelete="SET NULL")
    )
    routine_name: Mapped[str] = mapped_column(String(80), default="")
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The runner's calendar day of completion, in their time zone at the time.
    local_date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    routine: Mapped[Routine | None] = relationship()
