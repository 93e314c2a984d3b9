"""When to tell someone: wall-clock rules in the user's own timezone. No Flask here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The first digest covers the day before it.
DIGEST_LOOKBACK = timedelta(days=1)


def zone(name: str | None) -> ZoneInfo:
    """The user's zone; an unknown name falls back to UTC rather than failing a job."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(now: datetime, tz_name: str | None) -> datetime:
    if now.tzinfo is None:
        raise ValueError("an aware instant is needed")
    return now.astimezone(zone(tz_name))


def parse_clock(text: str) -> time:
    """'HH:MM' (24-hour) to a time; ValueError for anything else."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise ValueError("use HH:MM, 24-hour")
    hours, minutes = text[:2], text[3:]
    if not (hours.isdigit() and minutes.isdigit()):
        raise ValueError("use HH:MM, 24-hour")
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise ValueError("use HH:MM, 24-hour")
    return time(h, m)


def format_clock(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Whether a wall-clock time falls in [start, end); the span may cross midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def quiet_now(now: datetime, tz_name: str | None, start: time | None, end: time | None) -> bool:
    local = local_now(now, tz_name)
    return in_quiet_hours(local.time().replace(second=0, microsecond=0), start, end)


def local_date_of(moment: datetime, tz_name: str | None) -> date:
    return local_now(moment, tz_name).date()


def digest_due(
    now: datetime, tz_name: str | None, digest_time: time, last_digest: datetime | None
) -> bool:
    """The day's digest is due from the chosen wall-clock time, once per local day."""
    local = local_now(now, tz_name)
    if local.time() < digest_time:
        return False
    return last_digest is None or local_date_of(last_digest, tz_name) < local.date()


def digest_window_start(now: datetime, last_digest: datetime | None) -> datetime:
    """Alerts created after this instant (and up to now) belong in this digest."""
    if last_digest is None:
        return now.astimezone(UTC) - DIGEST_LOOKBACK
    return last_digest.astimezone(UTC)


def local_hour_is(now: datetime, tz_name: str | None, hour: int) -> bool:
    return local_now(now, tz_name).hour == hour
