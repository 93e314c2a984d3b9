"""The due-questionnaire reminder job, minute by minute on a controlled clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from backend.auth.models import User
from backend.extensions import db
from backend.outcomes.models import QuestionnaireResponse
from backend.outcomes.service import due_rounds
from backend.reminders.tasks import send_due_questionnaires
from tests.reminders.test_tasks import set_times, tick_through, told
from tests.support import QueryCounter

# 1 June 2026 in Los Angeles is PDT (UTC-7): 18:00 local is 01:00 UTC the next day.
JOINED = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


def _runner(make_user, **extra):
    with time_machine.travel(JOINED, tick=False):
        return make_user(role="runner", timezone="America/Los_Angeles", **extra)


def _answer_all(sql, runner_id, questionnaires, at):
    def write(s):
        for slug in ("nprs", "psfs"):
            s.add(
                QuestionnaireResponse(
                    runner_id=runner_id,
                    questionnaire_id=uuid.UUID(questionnaires[slug]),
                    answered_at=at,
                    local_date=(at - timedelta(hours=7)).date(),
                    answers=[] if slug == "psfs" else {},
                    score=5.0,
                    fingerprint="t",
                    follows="start",
                )
            )
        s.commit()

    sql(write)


def _keys(sql):
    return [row[0] for row in told(sql, "questionnaire_due")]


class TestQuestionnaireReminders:
    def test_the_baseline_is_reminded_once_at_the_reminder_time(
        self, app, sql, make_user, questionnaires
    ):
        runner = _runner(make_user)
        # From joining through that evening, then the next evening, every minute.
        sent = tick_through(app, JOINED, 10, send_due_questionnaires)
        next_evening = datetime(2026, 6, 3, 0, 0, tzinfo=UTC)
        sent += tick_through(app, next_evening, 2, send_due_questionnaires)
        assert sum(sent) == 1
        [(key, body, url, at)] = told(sql, "questionnaire_due")
        assert key == f"questionnaire:{runner.id}:2026-06-01"
        assert at == datetime(2026, 6, 2, 1, 0, tzinfo=UTC)  # 18:00 PDT on 1 June
        assert url == "/" and "about a minute" in body

    def test_the_next_round_has_its_own_reminder_on_its_own_day(
        self, app, sql, make_user, questionnaires
    ):
        runner = _runner(make_user)
        _answer_all(sql, runner.id, questionnaires, JOINED + timedelta(hours=1))
        set_times(sql, runner.id, reminder_time=time(9, 0))
        # 14 June, the day before the round falls due: nothing all day.
        day_before = datetime(2026, 6, 14, 15, 0, tzinfo=UTC)
        assert sum(tick_through(app, day_before, 3, send_due_questionnaires)) == 0
        # 15 June, two weeks on: one reminder at 09:00 PDT (16:00 UTC), none the day after.
        sent = tick_through(app, day_before + timedelta(hours=24), 3, send_due_questionnaires)
        sent += tick_through(app, day_before + timedelta(hours=48), 3, send_due_questionnaires)
        assert sum(sent) == 1
        assert _keys(sql) == [f"questionnaire:{runner.id}:2026-06-15"]
        assert told(sql, "questionnaire_due")[0][3] == datetime(2026, 6, 15, 16, 0, tzinfo=UTC)

    def test_quiet_hours_hold_it_back_to_their_end(self, app, sql, make_user, questionnaires):
        runner = _runner(make_user)
        set_times(sql, runner.id, quiet_start=time(17, 0), quiet_end=time(20, 30))
        evening = datetime(2026, 6, 2, 0, 30, tzinfo=UTC)  # 17:30 PDT, inside quiet hours
        sent = tick_through(app, evening, 4, send_due_questionnaires)
        assert sum(sent) == 1
        # 20:30 PDT on 1 June is 03:30 UTC on 2 June.
        assert told(sql, "questionnaire_due")[0][3] == datetime(2026, 6, 2, 3, 30, tzinfo=UTC)

    def test_nothing_due_means_no_reminder(self, app, sql, make_user, questionnaires):
        runner = _runner(make_user)
        _answer_all(sql, runner.id, questionnaires, JOINED + timedelta(minutes=5))
        evening = datetime(2026, 6, 2, 0, 30, tzinfo=UTC)
        assert sum(tick_through(app, evening, 2, send_due_questionnaires)) == 0


def test_the_due_rounds_take_a_fixed_number_of_statements(app, make_user, questionnaires):
    # Working out who has a round due reads the same statements for 2 runners and 50.

    def rounds_statements(n):
        for _ in range(n):
            _runner(make_user)
        with app.app_context():
            runners = list(db.session.scalars(select(User).where(User.role == "runner")))
            counter = QueryCounter(db.engine)
            with counter:
                found = due_rounds(runners, datetime(2026, 6, 2, 1, 5, tzinfo=UTC))
            db.session.remove()
        return counter.count, len(found)

    small, two = rounds_statements(2)
    large, fifty = rounds_statements(48)
    assert (two, fifty) == (2, 50)
    assert small == large
