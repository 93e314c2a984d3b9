"""Which routines are due on a day, and how well a runner keeps to them. Plain functions.

Weekdays are numbered as Python's `date.weekday()`: 0 is Monday, 6 is Sunday.

Rules:
- A schedule (an assignment) covers the days from `starts_on` to `ends_on` inclusive
  (`ends_on` None: open-ended) and plans its routine on its weekdays.
- On a day covered by at least one schedule, the plan is exactly what those schedules
  put on that weekday (possibly nothing). On a day no schedule covers, the starter
  programme is planned instead.
- Only planned routines count as done; extra routines are welcome but do not raise the
  rate. Doing a routine twice on one day counts once.
- The streak counts the days, walking back from today, on which every planned routine
  was done. Days with nothing planned neither count nor break it, and an unfinished
  today does not break it either (the day is not over), so the streak ends today or
  yesterday. The first earlier day with something planned and not done ends it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence, Set
from datetime import date, timedelta
from typing import Protocol, TypedDict


class Schedule(Protocol):
    @property
    def routine_id(self) -> uuid.UUID: ...
    @property
    def weekdays(self) -> Sequence[int]: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date | None: ...


class Adherence(TypedDict):
    planned: int
    done: int
    rate: float | None
    streak_days: int


_NOTHING: frozenset[uuid.UUID] = frozenset()


def covers(schedule: Schedule, day: date) -> bool:
    return schedule.starts_on <= day and (schedule.ends_on is None or day <= schedule.ends_on)


def plan_for_day(
    schedules: Iterable[Schedule], day: date, starter: Sequence[uuid.UUID] = ()
) -> list[uuid.UUID]:
    """Routine ids due on `day`, in schedule order, each once."""
    covering = [s for s in schedules if covers(s, day)]
    if not covering:
        return list(dict.fromkeys(starter))
    due = (s.routine_id for s in covering if day.weekday() in s.weekdays)
    return list(dict.fromkeys(due))


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def plan_for_range(
    schedules: Sequence[Schedule], start: date, end: date, starter: Sequence[uuid.UUID] = ()
) -> dict[date, list[uuid.UUID]]:
    """`plan_for_day` for every day of [start, end]; the days no schedule covers (most of a
    long history) get the starter programme without looking at each schedule."""
    plain = list(dict.fromkeys(starter))
    spans = [(s.starts_on, s.ends_on or date.max) for s in schedules]
    plan = {}
    for day in days(start, end):
        if spans and any(a <= day <= b for a, b in spans):
            plan[day] = plan_for_day(schedules, day, starter)
        else:
            plan[day] = plain.copy()
    return plan


def adherence(
    planned_by_day: Mapping[date, Iterable[uuid.UUID]],
    done_by_day: Mapping[date, Set[uuid.UUID]],
    today: date | None = None,
    *,
    streak_from: Mapping[date, Iterable[uuid.UUID]] | None = None,
) -> Adherence:
    """Planned and done counts over `planned_by_day`, the rate, and the current streak.

    `today` defaults to the last day planned. The streak is worked out over
    `streak_from` when given (usually a longer look-back than the reporting range).
    """
    planned = done = 0
    for day, routine_ids in planned_by_day.items():
        due = set(routine_ids)
        planned += len(due)
        if day in done_by_day:
            done += len(due & done_by_day[day])
    rate = round(done / planned, 3) if planned else None
    history = planned_by_day if streak_from is None else streak_from
    if today is None:
        today = max(history, default=date.min)
    return {
        "planned": planned,
        "done": done,
        "rate": rate,
        "streak_days": streak(history, done_by_day, today),
    }


def streak(
    planned_by_day: Mapping[date, Iterable[uuid.UUID]],
    done_by_day: Mapping[date, Set[uuid.UUID]],
    today: date,
) -> int:
    count = 0
    for day in sorted((d for d in planned_by_day if d <= today), reverse=True):
        due = set(planned_by_day[day])
        if not due:
            continue
        if due <= done_by_day.get(day, _NOTHING):
            count += 1
        elif day != today:
            break
    return count
