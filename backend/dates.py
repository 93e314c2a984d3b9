"""Calendar days as the user lives them: every "today" and "which day" is in their time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from backend.db import utcnow


class HasTimezone(Protocol):
    @property
    def timezone(self) -> str: ...


def local_date_of(instant: datetime, timezone: str) -> date:
    """The calendar day an instant falls on in this time zone."""
    return instant.astimezone(ZoneInfo(timezone)).date()


def local_today(user: HasTimezone, now: datetime | None = None) -> date:
    """Today's date where this user is."""
    return local_date_of(now or utcnow(), user.timezone)


def day_text(day: date) -> str:
    """A date as people read it: "Thu 26 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"
