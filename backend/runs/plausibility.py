"""Is this a run a person could have done? Plain functions, no Flask.

A running pace between 2:30 and 20:00 min/km (walks: up to 30:00) and a start no more
than a day ahead (a day covers every time zone and a phone clock that is a little off).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

FASTEST_S_PER_KM = 150
SLOWEST_RUN_S_PER_KM = 20 * 60
SLOWEST_WALK_S_PER_KM = 30 * 60
FUTURE_LIMIT = timedelta(days=1)


def pace_text(seconds_per_km: float) -> str:
    total = round(seconds_per_km)
    return f"{total // 60}:{total % 60:02d}"


def _pace_phrase(seconds_per_km: float) -> str:
    if not math.isfinite(seconds_per_km) or seconds_per_km >= 100 * 3600:
        return "more than 100 hours a km"
    return f"{pace_text(seconds_per_km)} min/km"


def problems(
    distance_km: float, duration_s: int, workout_type: str, started_at: datetime, now: datetime
) -> dict[str, list[str]]:
    """Field name -> messages, empty when the run is plausible."""
    found: dict[str, list[str]] = {}
    pace = duration_s / distance_km
    walking = workout_type == "walk"
    slowest = SLOWEST_WALK_S_PER_KM if walking else SLOWEST_RUN_S_PER_KM
    if not FASTEST_S_PER_KM <= pace <= slowest:
        kind = "a walk" if walking else "a run"
        found["duration_s"] = [
            f"That is a pace of {_pace_phrase(pace)}; for {kind} it should be between "
            f"{pace_text(FASTEST_S_PER_KM)} and {pace_text(slowest)} min/km. "
            "Check the distance and the time."
        ]
    if started_at > now + FUTURE_LIMIT:
        found["started_at"] = ["The start time is more than a day ahead; check the date."]
    return found
