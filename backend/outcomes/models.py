from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, UTCDateTime, new_uuid, utcnow
from backend.outcomes.schedule import DEFAULT_INTERVAL_WEEKS, MAX_INTERVAL_WEEKS, MIN_INTERVAL_WEEKS


class Questionnaire(Base):
    """One outcome measure: built in, or a practice's own (one it holds a licence for).

    `definition` is the entry from the content file: items or activities, answer
    scales, and the scoring rule. A practice's questionnaire whose practitioner left
    keeps its rows (owner cleared, no longer offered) so earlier answers still read.
    """

    __tablename__ = "questionnaires"
    __table_args__ = (Index("ix_questionnaires_owner_id", "owner_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    content_version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class QuestionnaireResponse(Base):
    """A runner's completed questionnaire, scored when it arrived."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        Index("ix_questionnaire_responses_runner_id_answered_at", "runner_id", "answered_at"),
        Index("ix_questionnaire_responses_questionnaire_id", "questionnaire_id"),
        # One answer per due round: each answer names the one before it ("start" for the
        # first), so two answers to the same round, sent at once, cannot both be stored.
        UniqueConstraint("runner_id", "questionnaire_id", "follows"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    runner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE")
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    # Items: {key: answer}. Activities: [{"name", "rating"}] in the order asked.
    answers: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The id of the runner's previous answer to this questionnaire, or FIRST_ROUND.
    follows: Mapped[str] = mapped_column(String(36))
    # The activity set (patient-specific questionnaires): 1, then one more per restart.
    series: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship(lazy="raise")


FIRST_ROUND = "start"


class QuestionnaireSeries(Base):
    """A fresh set of activities for a patient-specific questionnaire, from `started_at`.

    Set 1 has no row. Each restart adds the next number; answers carry the set they
    belong to, and scores are only ever compared within one set.
    """

    __tablename__ = "questionnaire_series"

    runner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    questionnaire_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class OutcomeSchedule(Base):
    """How often a runner is asked (the practitioner's choice), and any on-demand request."""

    __tablename__ = "outcome_schedules"
    __table_args__ = (
        CheckConstraint(
            f"interval_weeks BETWEEN {MIN_INTERVAL_WEEKS} AND {MAX_INTERVAL_WEEKS}",
            name="interval_weeks",
        ),
    )

    runner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    interval_weeks: Mapped[int] = mapped_column(Integer, default=DEFAULT_INTERVAL_WEEKS)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
