"""Routine adherence for many runners at once (placeholder until routines land)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, literal, null, select


def adherence_many(
    runner_ids: list[uuid.UUID], start: date, end: date, today: date
) -> dict[uuid.UUID, dict[str, Any]]:
    return {rid: {"planned": 0, "done": 0, "rate": None, "streak_days": 0} for rid in runner_ids}


def last_session_query() -> Select[Any]:
    """(runner_id, last_at): when each runner last finished a routine."""
    return select(literal(None).label("runner_id"), null().label("last_at")).where(literal(False))


def sessions_for_export(runner_id: uuid.UUID) -> list[Any]:
    return []
