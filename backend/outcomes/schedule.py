"""When each questionnaire is due: pure rules over dates, no database.

Questionnaires marked "cycle" are asked at the start (the runner's first day in the
app or with their practitioner, whichever comes first: the first time they open it)
and then again once `interval_weeks` have passed since the runner last answered that
one. Those marked "follow_up" (the global rating of change) ride along with the cycle
from the second time on. A practitioner can ask for a round on demand: every cycle
questionnaire not answered since that request is due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DEFAULT_INTERVAL_WEEKS = 2
MIN_INTERVAL_WEEKS = 1
MAX_INTERVAL_WEEKS = 26
KINDS = ("cycle", "follow_up")


@dataclass(frozen=True)
class Last:
    """The latest answer to one questionnaire: the runner's calendar day and the instant."""

    on: date
    at: datetime


def is_due(
    kind: str,
    last: Last | None,
    started: Last | None,
    interval_weeks: int,
    requested_at: datetime | None,
    day: date,
    now: datetime,
) -> bool:
    """Whether a questionnaire of this kind is due on `day`.

    `started` is the runner's first answer to any cycle questionnaire (their baseline),
    None before it; `requested_at` a practitioner's on-demand request. A follow-up never
    answered runs on the baseline's clock, so it first falls due one interval after it.
    """
    if kind == "follow_up":
        if started is None or started.on >= day:
            return False
        last = last or started
    if last is None:
        return True
    if last.on + timedelta(weeks=interval_weeks) <= day:
        return True
    return requested_at is not None and last.at < requested_at <= now


def due_slugs(
    kinds: Mapping[str, str],
    last: Mapping[str, Last],
    interval_weeks: int,
    requested_at: datetime | None,
    day: date,
    now: datetime,
    first: Mapping[str, Last] | None = None,
) -> list[str]:
    """The slugs due on `day`, in the order of `kinds`.

    `last` and `first` hold each questionnaire's latest and earliest answer (`first`
    defaults to `last`, right when each was answered once).
    """
    first = last if first is None else first
    firsts = [first[s] for s, k in kinds.items() if k == "cycle" and s in first]
    started = min(firsts, key=lambda x: x.at) if firsts else None
    return [
        slug
        for slug, kind in kinds.items()
        if is_due(kind, last.get(slug), started, interval_weeks, requested_at, day, now)
    ]


def next_due_on(
    kinds: Mapping[str, str], last: Mapping[str, Last], interval_weeks: int, day: date
) -> date:
    """The first day on or after `day` when a cycle questionnaire falls due."""
    days = [
        max(day, last[slug].on + timedelta(weeks=interval_weeks)) if slug in last else day
        for slug, kind in kinds.items()
        if kind == "cycle"
    ]
    return min(days) if days else day


def series_with_change(
    points: Sequence[tuple[date, float]],
) -> list[tuple[date, float, float | None]]:
    """Each (day, score) with its change from the first one (None for the first)."""
    if not points:
        return []
    base = points[0][1]
    return [(d, s, None if i == 0 else round(s - base, 4)) for i, (d, s) in enumerate(points)]
