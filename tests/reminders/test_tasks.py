"""The reminder and check-in jobs against the database, minute by minute on a controlled clock."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from backend.db import utcnow
from backend.notifications.models import Notification, NotificationSettings
from backend.reminders.tasks import send_due_checkins, send_due_reminders
from backend.routines.models import RoutineSession
from tests.practice.support import store_runs


def told(sql, kind: str) -> list[tuple[str, str, str, datetime]]:
    return sql(
        lambda s: s.execute(
            select(Notification.key, Notification.body, Notification.url, Notification.created_at)
            .where(Notification.kind == kind)
            .order_by(Notification.created_at)
        ).all()
    )


def set_times(sql, user_id, **values) -> None:
    def write(s):
        s.add(NotificationSettings(user_id=user_id, channels={}, **values))
        s.commit()

    sql(write)


def tick_through(app, start: datetime, hours: float, fn) -> list[int]:
    """Call `fn(now)` once a minute, as the periodic job would, on a travelling clock."""
    sent = []
    with time_machine.travel(start, tick=False) as traveller:
        end = start + timedelta(hours=hours)
        while utcnow() < end:
            with app.app_context():
                sent.append(fn(utcnow()))
            traveller.shift(timedelta(minutes=1))
    return sent


class TestReminderJob:
    def test_one_reminder_at_the_runner_s_time_in_auckland(self, app, sql, make_user, builtin):
        runner = make_user(role="runner", timezone="Pacific/Auckland")
        set_times(sql, runner.id, reminder_time=time(18, 30))
        # 4 April 2026 in Auckland (NZDT, UTC+13): 18:30 local is 05:30 UTC.
        sent = tick_through(app, datetime(2026, 4, 4, 4, 0, tzinfo=UTC), 3, send_due_reminders)
        assert sum(sent) == 1
        rows = told(sql, "routine_reminder")
        assert [r[0] for r in rows] == [f"reminder:{runner.id}:2026-04-04"]
        assert rows[0][3] == datetime(2026, 4, 4, 5, 30, tzinfo=UTC)
        assert "planned for today" in rows[0][1]
        assert rows[0][2] == "/"

    def test_done_means_no_reminder(self, app, sql, make_user, builtin):
        runner = make_user(role="runner", timezone="America/Los_Angeles")
        set_times(sql, runner.id, reminder_time=time(7, 0))
        day = date(2026, 3, 9)  # the day after the clocks went forward

        def done_all(s):
            for slug in ("coregous-ball-breathing", "low-back-release", "hip-circles"):
                rid = builtin["routines"][slug]
                s.add(
                    RoutineSession(
                        id=uuid.uuid4(),
                        runner_id=runner.id,
                        routine_id=rid,
                        routine_name=slug,
                        completed_at=datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
                        local_date=day,
                        fingerprint="t",
                    )
                )
            s.commit()

        sql(done_all)
        # 07:00 PDT on 9 March is 14:00 UTC.
        sent = tick_through(app, datetime(2026, 3, 9, 13, 30, tzinfo=UTC), 1, send_due_reminders)
        assert sum(sent) == 0
        assert told(sql, "routine_reminder") == []

    def test_quiet_hours_move_it_and_a_second_pass_sends_nothing(
        self, app, sql, make_user, builtin
    ):
        runner = make_user(role="runner", timezone="UTC")
        set_times(
            sql,
            runner.id,
            reminder_time=time(6, 0),
            quiet_start=time(22, 0),
            quiet_end=time(7, 15),
        )
        start = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
        assert sum(tick_through(app, start, 3, send_due_reminders)) == 1
        assert told(sql, "routine_reminder")[0][3] == datetime(2026, 6, 1, 7, 15, tzinfo=UTC)
        assert sum(tick_through(app, start, 3, send_due_reminders)) == 0


class TestCheckInJob:
    def test_the_morning_after_a_run_once_in_los_angeles(self, app, sql, make_user):
        runner = make_user(role="runner", timezone="America/Los_Angeles")
        set_times(sql, runner.id, checkin_time=time(7, 30))
        # A run on Saturday 31 October; clocks go back early on Sunday 1 November.
        store_runs(
            sql,
            runner.id,
            [{"day": date(2026, 10, 31), "workout_type": "hills", "stiffness": 6}],
        )
        # 07:30 PST on 1 November is 15:30 UTC.
        sent = tick_through(app, datetime(2026, 11, 1, 14, 0, tzinfo=UTC), 3, send_due_checkins)
        assert sum(sent) == 1
        [(key, body, url, at)] = told(sql, "morning_checkin")
        assert key.startswith("checkin:")
        run_id = key.split(":", 1)[1]
        assert url == f"/?checkin={run_id}"
        assert "hill workout" in body and "6/10" in body
        assert at == datetime(2026, 11, 1, 15, 30, tzinfo=UTC)
        actions = sql(lambda s: s.scalar(select(Notification.actions)))
        assert actions[0] == {"action": "morning:6", "title": "Same as after the run (6/10)"}

    def test_an_imported_run_not_rated_yet_is_asked_about_without_a_score(
        self, app, sql, make_user
    ):
        runner = make_user(role="runner", timezone="UTC")
        set_times(sql, runner.id, checkin_time=time(7, 0))
        store_runs(sql, runner.id, [{"day": date(2026, 6, 1), "stiffness": None}])
        sent = tick_through(app, datetime(2026, 6, 2, 6, 0, tzinfo=UTC), 3, send_due_checkins)
        assert sum(sent) == 1
        [(_, body, _, _)] = told(sql, "morning_checkin")
        assert body == "After yesterday's easy run, how does it feel now?"
        actions = sql(lambda s: s.scalar(select(Notification.actions)))
        assert actions == [{"action": "open", "title": "Answer 0 to 10"}]

    def test_no_run_or_an_answered_run_means_no_check_in(self, app, sql, make_user):
        runner = make_user(role="runner", timezone="UTC")
        store_runs(
            sql,
            runner.id,
            [{"day": date(2026, 6, 1), "stiffness": 4, "morning_stiffness": 2}],
        )
        sent = tick_through(app, datetime(2026, 6, 2, 7, 0, tzinfo=UTC), 3, send_due_checkins)
        assert sum(sent) == 0
        other = make_user(role="runner", timezone="UTC")
        assert other  # a runner with no runs at all is not asked either
        assert told(sql, "morning_checkin") == []
