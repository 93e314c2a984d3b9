from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, UTCDateTime, utcnow
from backend.runs.morning import Course, course

if TYPE_CHECKING:
    from backend.auth.models import User

# Values with the words the app shows for them; `make vocab` copies these into
# frontend/js/vocab.js, so the form and the offline advice read the same source.
SURFACE_LABELS = {
    "track": "Track",
    "road": "Road",
    "treadmill": "Treadmill",
    "trail": "Trail",
    "grass": "Grass",
    "woodchip": "Woodchip",
    "sand": "Sand",
    "other": "Other",
}
WORKOUT_TYPE_LABELS = {
    "easy": "Easy",
    "long": "Long",
    "tempo": "Tempo",
    "intervals": "Intervals",
    "hills": "Hills",
    "race": "Race",
    "walk": "Walk",
    "other": "Other",
}
STIFFNESS_AREA_LABELS = {
    "low_back": "Low back",
    "mid_back": "Mid back",
    "upper_back": "Upper back",
    "neck": "Neck",
    "hips": "Hips",
    "glutes": "Glutes",
    "hamstrings": "Hamstrings",
    "quads": "Quads",
    "calves": "Calves",
    "other": "Somewhere else",
}
SURFACES = tuple(SURFACE_LABELS)
WORKOUT_TYPES = tuple(WORKOUT_TYPE_LABELS)
TERRAINS = ("flat", "rolling", "hilly")
SOURCES = ("typed", "file")
STIFFNESS_AREAS = tuple(STIFFNESS_AREA_LABELS)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_user_id_started_at", "user_id", "started_at"),
        Index("ix_runs_user_id_local_date", "user_id", "local_date"),
        CheckConstraint("stiffness BETWEEN 0 AND 10", name="stiffness"),
        CheckConstraint("morning_stiffness BETWEEN 0 AND 10", name="morning_stiffness"),
        CheckConstraint("distance_km > 0 AND distance_km <= 300", name="distance"),
        CheckConstraint("duration_s > 0", name="duration"),
        CheckConstraint(_in("surface", SURFACES), name="surface"),
        CheckConstraint(_in("workout_type", WORKOUT_TYPES), name="workout_type"),
        CheckConstraint(_in("terrain", TERRAINS), name="terrain"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        # One run per imported file: the same file twice is a duplicate.
        Index("uq_runs_user_id_source_hash", "user_id", "source_hash", unique=True),
    )

    # The client may choose the id (a UUID made offline) so retries are idempotent.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The runner's calendar day of the run, in their time zone at the time.
    local_date: Mapped[date] = mapped_column(Date)
    distance_km: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(String(16))
    workout_type: Mapped[str] = mapped_column(String(16))
    # None until the runner answers: an imported run arrives without it.
    stiffness: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stiffness_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    red_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    advice_level: Mapped[str] = mapped_column(String(20), default="none")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The runner's body weight when the run was logged, so its figures never change later.
    body_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    # The next-morning check-in: stiffness 0-10 the morning after, and when it was given.
    morning_stiffness: Mapped[int | None] = mapped_column(Integer)
    morning_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Figures read from a watch or app file; the GPS track itself is never stored.
    source: Mapped[str] = mapped_column(String(8), default="typed", server_default="typed")
    source_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str | None] = mapped_column(String(120), nullable=True)
    utc_offset_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    moving_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    elapsed_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    elevation_loss_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float, nullable=True)
    terrain: Mapped[str | None] = mapped_column(String(8), nullable=True)
    uphill_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    downhill_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Hash of the create request, to tell a retry from a different run with the same id.
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The runner, read from the session's identity map wherever a run is shown (the
    # runner, or the consenting client, is loaded already): no statement of its own.
    runner: Mapped[User] = relationship(viewonly=True)

    @property
    def figures_weight_kg(self) -> float | None:
        """The body weight this run's figures use: the one logged with it, else today's."""
        if self.body_weight_kg is not None:
            return float(self.body_weight_kg)
        return self.runner.body_weight

    @property
    def morning_course(self) -> Course | None:
        """Whether the stiffness eased by the next morning (None until both are known)."""
        return (
            course(self.stiffness, self.morning_stiffness) if self.stiffness is not None else None
        )
