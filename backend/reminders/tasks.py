"""The periodic jobs that send routine reminders and the next-morning check-in.

Each runs every minute on the one consumer that holds the schedule. The rules of when
are in `schedule.py`; here they are fed from the database in a fixed number of
statements, and whatever is due goes through `notify()`, whose key (one per runner and
day, one per run) makes a second run of the same minute, a retry or a second worker send
nothing more. Keys already used are looked up first, so an evening of ticks after a
reminder went out costs one read, not one failed insert per minute.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from huey import crontab
from sqlalchemy import select

from backend.auth.models import User
from backend.db import utcnow
from backend.extensions import db
from backend.jobs import periodic
from backend.notifications.models import Notification, NotificationSettings
from backend.notifications.service import notify
from backend.notifications.settings import settings_for_many
from backend.outcomes.service import due_rounds
from backend.reminders import schedule
from backend.reminders.service import plans_between, runs_for_checkin
from backend.routines.models import Routine
from backend.routines.plan.service import sessions_by_runner_day
from backend.runs.models import Run
from backend.runs.morning import RUN_NOUNS


def _quiet(settings: NotificationSettings) -> schedule.QuietHours | None:
    if settings.quiet_start is None or settings.quiet_end is None:
        return None
    return schedule.QuietHours(settings.quiet_start, settings.quiet_end)


def _used_keys(keys: dict[uuid.UUID, list[str]]) -> set[tuple[uuid.UUID, str]]:
    wanted = [k for ks in keys.values() for k in ks]
    if not wanted:
        return set()
    rows = db.session.execute(
        select(Notification.user_id, Notification.key).where(
            Notification.user_id.in_(list(keys)), Notification.key.in_(wanted)
        )
    )
    return {(uid, key) for uid, key in rows}


# --- routine reminders -----------------------------------------------------------------


@periodic(crontab(minute="*"))
def send_reminders() -> None:
    """Each minute: runners whose reminder time has come, with routines still to do."""
    send_due_reminders(utcnow())


def send_due_reminders(now: datetime) -> int:
    runners = list(db.session.scalars(select(User).where(User.role == "runner")))
    if not runners:
        return 0
    settings = settings_for_many(r.id for r in runners)
    today = {r.id: schedule.local_now(now, r.timezone).date() for r in runners}
    # Only those whose send time today has passed need their plan read.
    candidates = [
        r
        for r in runners
        if (
            at := schedule.send_time(
                today[r.id], settings[r.id].reminder_time, r.timezone, _quiet(settings[r.id])
            )
        )
        is not None
        and at <= now
    ]
    keys = {r.id: [f"reminder:{r.id}:{today[r.id].isoformat()}"] for r in candidates}
    used = _used_keys(keys)
    candidates = [r for r in candidates if (r.id, keys[r.id][0]) not in used]
    if not candidates:
        return 0
    first, last = min(today.values()), max(today.values())
    plans = plans_between(candidates, first, last)
    done = sessions_by_runner_day([r.id for r in candidates], first, last)
    due_now: list[tuple[User, schedule.Due, list[uuid.UUID]]] = []
    for r in candidates:
        day = today[r.id]
        planned = plans[r.id].get(day, [])
        finished = done.get(r.id, {}).get(day, set())
        due = schedule.reminder_due(
            now,
            r.timezone,
            settings[r.id].reminder_time,
            _quiet(settings[r.id]),
            planned,
            finished,
            r.id,
        )
        if due is not None:
            due_now.append((r, due, [p for p in planned if p not in finished]))
    names = _routine_names({rid for _, _, left in due_now for rid in left})
    sent = 0
    for runner, due, left in due_now:
        told = notify(
            runner,
            "routine_reminder",
            title="Time for today's routine",
            body=_reminder_body([names[i] for i in left if i in names]),
            url="/",
            key=due.key,
        )
        sent += told is not None
    return sent


def _routine_names(ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Routine.id, Routine.name).where(Routine.id.in_(ids)))
    return dict(rows.tuples().all())


def _reminder_body(names: list[str]) -> str:
    if not names:
        return "A routine is planned for today."
    if len(names) == 1:
        return f"{names[0]} is planned for today."
    more = len(names) - 1
    return f"{names[0]} and {more} more {'is' if more == 1 else 'are'} planned for today."


# --- the next-morning check-in ---------------------------------------------------------


@periodic(crontab(minute="*"))
def send_checkins() -> None:
    """Each minute: yesterday's unanswered runs whose runner's morning time has come."""
    send_due_checkins(utcnow())


def send_due_checkins(now: datetime) -> int:
    # Every time zone's "yesterday" is within two UTC days of today.
    since = now.date() - timedelta(days=2)
    runner_ids = list(
        db.session.scalars(
            select(Run.user_id)
            .where(Run.local_date >= since, Run.morning_stiffness.is_(None))
            .distinct()
        )
    )
    if not runner_ids:
        return 0
    runners = {
        r.id: r
        for r in db.session.scalars(
            select(User).where(User.id.in_(runner_ids), User.role == "runner")
        )
    }
    settings = settings_for_many(runners)
    seen = runs_for_checkin(list(runners), since)
    due: dict[uuid.UUID, list[schedule.Due]] = defaultdict(list)
    for uid, runner in runners.items():
        row = settings[uid]
        due[uid] = schedule.checkins_due(
            now, runner.timezone, row.checkin_time, _quiet(row), seen.get(uid, [])
        )
    used = _used_keys({uid: [d.key for d in ds] for uid, ds in due.items() if ds})
    wanted = [(uid, d) for uid, ds in due.items() for d in ds if (uid, d.key) not in used]
    if not wanted:
        return 0
    run_ids = [uuid.UUID(d.key.split(":", 1)[1]) for _, d in wanted]
    runs = {r.id: r for r in db.session.scalars(select(Run).where(Run.id.in_(run_ids)))}
    sent = 0
    for uid, d in wanted:
        run = runs.get(uuid.UUID(d.key.split(":", 1)[1]))
        if run is None:
            continue
        told = notify(runners[uid], "morning_checkin", key=d.key, **checkin_message(run))
        sent += told is not None
    return sent


def checkin_message(run: Run) -> dict[str, Any]:
    """The check-in as `notify()` takes it. The run id rides in the URL, which the
    service worker reads to store a tapped answer on the right run. An imported run not
    rated yet has no "same as after the run" to offer."""
    what = RUN_NOUNS.get(run.workout_type, "run")
    answer = {"action": "open", "title": "Answer 0 to 10"}
    if run.stiffness is None:
        return {
            "title": "How is your back this morning?",
            "body": f"After yesterday's {what}, how does it feel now?",
            "url": f"/?checkin={run.id}",
            "actions": [answer],
        }
    return {
        "title": "How is your back this morning?",
        "body": f"After yesterday's {what} you noted {run.stiffness}/10. How does it feel now?",
        "url": f"/?checkin={run.id}",
        "actions": [
            {
                "action": f"morning:{run.stiffness}",
                "title": f"Same as after the run ({run.stiffness}/10)",
            },
            answer,
        ],
    }


# --- due questionnaires ----------------------------------------------------------------


QUESTIONNAIRE_TITLE = "Your progress questions are ready"
QUESTIONNAIRE_BODY = "A few short questions on how your back has been — about a minute."


@periodic(crontab(minute="*"))
def send_questionnaire_reminders() -> None:
    """Each minute: runners with a questionnaire round due whose reminder time has come."""
    send_due_questionnaires(utcnow())


def send_due_questionnaires(now: datetime) -> int:
    """One reminder per runner and due round, at the reminder time, never in quiet hours.

    The round is named by the day it fell due, so a round left unanswered for days is
    reminded of once; the next round, weeks later, has its own day and its own reminder.
    """
    runners = list(db.session.scalars(select(User).where(User.role == "runner")))
    if not runners:
        return 0
    settings = settings_for_many(r.id for r in runners)
    ready = []
    for r in runners:
        row = settings[r.id]
        today = schedule.local_now(now, r.timezone).date()
        at = schedule.send_time(today, row.reminder_time, r.timezone, _quiet(row))
        if at is not None and at <= now and schedule.may_send_now(now, r.timezone, _quiet(row)):
            ready.append(r)
    rounds = due_rounds(ready, now)
    keys = {uid: [f"questionnaire:{uid}:{day.isoformat()}"] for uid, day in rounds.items()}
    used = _used_keys(keys)
    sent = 0
    for r in ready:
        if r.id not in keys or (r.id, keys[r.id][0]) in used:
            continue
        told = notify(
            r,
            "questionnaire_due",
            title=QUESTIONNAIRE_TITLE,
            body=QUESTIONNAIRE_BODY,
            url="/",
            key=keys[r.id][0],
        )
        sent += told is not None
    return sent
