"""The calendar feed and what reminders and check-ins need from the database."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select

from backend.auth.models import User
from backend.dates import local_today
from backend.db import utcnow
from backend.errors import NotFound
from backend.extensions import db
from backend.reminders.calendar import Planned, feed
from backend.reminders.models import CalendarFeed
from backend.reminders.schedule import RunSeen
from backend.routines import adherence as rules
from backend.routines.models import Assignment, Routine
from backend.routines.plan.service import live_schedules, starter_routine_ids
from backend.runs.models import Run

# The feed covers a week back (so a calendar keeps recent days) and eight weeks ahead.
FEED_DAYS_BACK = 7
FEED_DAYS_AHEAD = 56


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- planned routines ------------------------------------------------------------------


def plans_between(
    runners: Sequence[User], start: date, end: date
) -> dict[uuid.UUID, dict[date, list[uuid.UUID]]]:
    """Per runner, the routine ids planned on each day in [start, end] (two queries)."""
    if not runners:
        return {}
    schedules: dict[uuid.UUID, list[Assignment]] = defaultdict(list)
    for assignment in db.session.scalars(live_schedules([r.id for r in runners], start, end)):
        schedules[assignment.runner_id].append(assignment)
    starter = starter_routine_ids()
    return {r.id: rules.plan_for_range(schedules[r.id], start, end, starter) for r in runners}


# --- calendar feed ---------------------------------------------------------------------


def feed_status(user: User) -> dict[str, Any]:
    record = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    return {
        "active": record is not None,
        "created_at": record.created_at if record else None,
        "last_fetched_at": record.last_fetched_at if record else None,
    }


def issue_feed(user: User) -> tuple[CalendarFeed, str]:
    """A new secret URL token for this runner; any earlier one stops working."""
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    record = CalendarFeed(user_id=user.id, token_hash=_hash(token))
    db.session.add(record)
    db.session.commit()
    return record, token


def revoke_feed(user: User) -> None:
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.commit()


def render_feed(token: str, today_url: str) -> bytes:
    """The iCalendar text behind a secret token; NotFound for any unknown token."""
    row = db.session.execute(
        select(CalendarFeed, User)
        .join(User, User.id == CalendarFeed.user_id)
        .where(CalendarFeed.token_hash == _hash(token), User.role == "runner")
    ).one_or_none()
    if row is None:
        raise NotFound("No such calendar.")
    record, runner = row
    today = local_today(runner)
    start, end = today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
    plan = plans_between([runner], start, end)[runner.id]
    wanted = {rid for ids in plan.values() for rid in ids}
    names = dict(
        db.session.execute(select(Routine.id, Routine.name).where(Routine.id.in_(wanted)))
        .tuples()
        .all()
    )
    items = [
        Planned(day, rid, names[rid]) for day, ids in plan.items() for rid in ids if rid in names
    ]
    now = utcnow()
    # Note the fetch at most hourly, so a polling calendar does not write on every read.
    if record.last_fetched_at is None or now - record.last_fetched_at > timedelta(hours=1):
        record.last_fetched_at = now
        db.session.commit()
    return feed(items, today_url, now)


# --- check-ins -------------------------------------------------------------------------


def runs_for_checkin(
    runner_ids: Sequence[uuid.UUID], since: date
) -> dict[uuid.UUID, list[RunSeen]]:
    """Per runner, the runs on or after `since` as the check-in rule sees them (one query)."""
    rows = db.session.execute(
        select(Run.user_id, Run.id, Run.local_date, Run.started_at, Run.morning_stiffness).where(
            Run.user_id.in_(list(runner_ids)), Run.local_date >= since
        )
    )
    found: dict[uuid.UUID, list[RunSeen]] = defaultdict(list)
    for user_id, run_id, local_date, started_at, morning in rows:
        found[user_id].append(RunSeen(run_id, local_date, started_at, morning is not None))
    return found
