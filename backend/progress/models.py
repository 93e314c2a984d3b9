"""Per-runner daily aggregates of runs, kept in step with every run write (rollups.py)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base

# The terrain of runs without one (typed runs, files without a track): a key cannot be null.
NO_TERRAIN = ""


class RunRollup(Base):
    """One runner's runs of one local day with one surface, workout type and terrain.

    Sums rather than means, so that adding or taking away one run is a delta. The load
    sums are split by whether the run recorded its own body weight: runs without one are
    weighed with the runner's weight at read time, as the per-run figures are.
    """

    __tablename__ = "run_rollups"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    surface: Mapped[str] = mapped_column(String(16), primary_key=True)
    workout_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    terrain: Mapped[str] = mapped_column(String(8), primary_key=True)
    runs: Mapped[int] = mapped_column(Integer)
    rated: Mapped[int] = mapped_column(Integer)  # runs with a stiffness answer
    stiffness_sum: Mapped[int] = mapped_column(Integer)
    km: Mapped[float] = mapped_column(Float)
    seconds: Mapped[int] = mapped_column(Integer)
    # Runs without a recorded body weight, and their time and distance.
    unweighed: Mapped[int] = mapped_column(Integer)
    unweighed_km: Mapped[float] = mapped_column(Float)
    unweighed_s: Mapped[int] = mapped_column(Integer)
    # Recorded weight times distance and times seconds, over the weighed runs.
    weight_km: Mapped[float] = mapped_column(Float)
    weight_s: Mapped[float] = mapped_column(Float)
    # Next-morning answers: how many, their sum, and how many of them lingered.
    mornings: Mapped[int] = mapped_column(Integer)
    morning_sum: Mapped[int] = mapped_column(Integer)
    lingering: Mapped[int] = mapped_column(Integer)
