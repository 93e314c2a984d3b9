"""The runner's planned routines as an iCalendar feed (RFC 5545). Plain functions.

Each planned routine is an all-day event on its day, named after the routine and
linking to Today. Nothing else about the runner is in it: no name, no runs, no
stiffness, no practitioner. Event ids are stable (routine and day), so a calendar app
updates events in place when the plan changes instead of duplicating them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import TRANSP, Calendar, Event

PRODUCT_ID = "-//Limber//Planned routines//EN"


@dataclass(frozen=True)
class Planned:
    day: date
    routine_id: uuid.UUID
    name: str


def feed(planned: Iterable[Planned], today_url: str, stamp: datetime) -> bytes:
    calendar = Calendar.new(prodid=PRODUCT_ID, name="Limber routines")
    # Ask calendar apps to check again every few hours (not every app honours this).
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for item in planned:
        calendar.add_component(
            Event.new(
                uid=f"{item.routine_id}-{item.day.isoformat()}@limber",
                stamp=stamp,
                start=item.day,
                end=item.day + timedelta(days=1),
                summary=item.name,
                description=f"Planned in Limber. Open Today to follow it: {today_url}",
                url=today_url,
                transparency=TRANSP.TRANSPARENT,
            )
        )
    return calendar.to_ical()
