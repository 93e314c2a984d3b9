"""When Limber may nudge a runner. Plain functions of a clock reading; no Flask.

Every instant in and out is timezone-aware; local times are wall-clock times in the
runner's IANA time zone.

Reminder (one per local day):
- Due at the runner's reminder time on a local day with at least one routine planned
  and not yet done. Nothing planned, or everything planned done: no reminder.
- A wall-clock time that does not exist that day (the hour skipped when clocks go
  forward) is read with the offset in force before the change, so it lands just after
  the jump (02:30 on a spring-forward night in Los Angeles is sent at 03:30 PDT). A time
  that happens twice (clocks go back) means its first occurrence.
- Quiet hours hold a reminder back: a due time inside them moves to the end of the
  quiet hours, if that is still the same local day; otherwise there is none that day.
  Nothing is ever due while the clock is inside quiet hours.
- It is due only on its own local day: a reminder not sent by midnight is dropped,
  never sent the next day.
- Its key is the runner and the local date, so however often the check runs, and
  however many workers run it, it is sent once.

Morning check-in (one per run):
- Asked the morning after a run: on the day after the run's local date, from the
  runner's morning time until that day ends, same DST and quiet-hour rules.
- Only for a run that has no morning answer yet; keyed by the run, so once per run.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    """A daily span of wall-clock time; `start > end` wraps past midnight. Equal: none."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class Due:
    """A nudge that is due: when, for which local day, and its idempotency key."""

    key: str
    local_date: date
    at: datetime  # UTC


@dataclass(frozen=True)
class RunSeen:
    """What the check-in rule needs to know about a run."""

    id: uuid.UUID
    local_date: date
    started_at: datetime
    answered: bool


def local_instant(day: date, at: time, timezone: str) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `timezone` (DST rules above)."""
    tz = ZoneInfo(timezone)
    naive = datetime.combine(day, at.replace(tzinfo=None))
    # fold=0 picks the earlier reading for a repeated hour and the pre-change offset for
    # a skipped one; converting to UTC and back normalises the skipped case.
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def local_now(now: datetime, timezone: str) -> datetime:
    return now.astimezone(ZoneInfo(timezone))


def send_time(day: date, at: time, timezone: str, quiet: QuietHours | None) -> datetime | None:
    """When a nudge meant for wall-clock `at` on `day` may go out, or None for not that day."""
    planned = local_instant(day, at, timezone)
    wall = planned.astimezone(ZoneInfo(timezone))
    if quiet is None or not quiet.contains(wall.time().replace(tzinfo=None)):
        return planned
    end = local_instant(day, quiet.end, timezone)
    if end <= planned or end.astimezone(ZoneInfo(timezone)).date() != day:
        return None  # the quiet hours run past midnight: nothing more that day
    return end


def may_send_now(now: datetime, timezone: str, quiet: QuietHours | None) -> bool:
    wall = local_now(now, timezone).time().replace(tzinfo=None)
    return quiet is None or not quiet.contains(wall)


def reminder_due(
    now: datetime,
    timezone: str,
    reminder_at: time,
    quiet: QuietHours | None,
    planned: Collection[uuid.UUID],
    done: Collection[uuid.UUID],
    user_id: uuid.UUID,
) -> Due | None:
    """Today's routine reminder, if one is due at `now`.

    `planned` and `done` are the routine ids planned and done on the runner's local today.
    """
    today = local_now(now, timezone).date()
    if not set(planned) - set(done):
        return None
    at = send_time(today, reminder_at, timezone, quiet)
    if at is None or now < at or not may_send_now(now, timezone, quiet):
        return None
    return Due(key=f"reminder:{user_id}:{today.isoformat()}", local_date=today, at=at)


def checkins_due(
    now: datetime,
    timezone: str,
    morning_at: time,
    quiet: QuietHours | None,
    runs: Iterable[RunSeen],
) -> list[Due]:
    """The morning check-ins due at `now`: yesterday's unanswered runs, latest first."""
    today = local_now(now, timezone).date()
    if not may_send_now(now, timezone, quiet):
        return []
    at = send_time(today, morning_at, timezone, quiet)
    if at is None or now < at:
        return []
    yesterday = today - timedelta(days=1)
    found = [r for r in runs if r.local_date == yesterday and not r.answered]
    found.sort(key=lambda r: r.started_at, reverse=True)
    return [Due(key=f"checkin:{r.id}", local_date=today, at=at) for r in found]


def parse_clock(value: str) -> time:
    """`HH:MM` (24-hour) as a time; ValueError otherwise."""
    hours, sep, minutes = value.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError("Use HH:MM, 24-hour.")
    return time(int(hours), int(minutes))
