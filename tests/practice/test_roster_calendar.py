"""The roster reads each client's own calendar: their today, their last 14 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from backend.extensions import db
from backend.routines.content import load_builtin
from backend.routines.plan.service import starter_routine_ids
from tests.practice.support import link
from tests.support import Api

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def starters(app):
    with app.app_context():
        load_builtin()
        ids = starter_routine_ids()
        db.session.remove()
    assert ids
    return ids


def roster_item(practitioner_api: Api, client_id) -> dict:
    items = practitioner_api.get("/api/v1/clients").get_json()["items"]
    return next(i for i in items if i["id"] == str(client_id))


def test_an_evening_in_los_angeles_is_not_tomorrow(app, make_user, practitioner, starters):
    runner = make_user(timezone="America/Los_Angeles")
    signed_up = datetime.now(UTC)
    evening = datetime(2026, 12, 9, 20, 0, tzinfo=LA)  # already 10 December in UTC
    with time_machine.travel(evening, tick=False):
        runner_api = Api(app.test_client()).login(runner)
        practitioner_api = Api(app.test_client()).login(practitioner)
        link(runner_api, practitioner_api)
        day = signed_up.astimezone(LA).date()
        while day <= evening.date():
            when = datetime.combine(day, datetime.min.time(), tzinfo=LA) + timedelta(hours=19)
            for routine_id in starters:
                body = {"routine_id": str(routine_id), "completed_at": when.isoformat()}
                assert runner_api.post("/api/v1/sessions", body).status_code == 201
            day += timedelta(days=1)
        item = roster_item(practitioner_api, runner.id)
    adherence = item["adherence_14d"]
    assert adherence["planned"] > 0
    assert adherence["done"] == adherence["planned"]
    assert not any(r.startswith("Did ") for r in item["reasons"])


def test_a_client_who_joined_today_is_not_behind(
    app, runner_api, practitioner_api, runner, starters
):
    link(runner_api, practitioner_api)
    item = roster_item(practitioner_api, runner.id)
    assert item["adherence_14d"]["planned"] == 0
    assert item["needs_attention"] is False


def test_today_s_done_routines_count(app, runner_api, practitioner_api, runner, starters):
    link(runner_api, practitioner_api)
    body = {"routine_id": str(starters[0]), "completed_at": datetime.now(UTC).isoformat()}
    assert runner_api.post("/api/v1/sessions", body).status_code == 201
    adherence = roster_item(practitioner_api, runner.id)["adherence_14d"]
    assert adherence == {"planned": 1, "done": 1, "rate": 1.0}


def test_quiet_alert_dates_use_the_client_calendar(app, make_user, practitioner, sql):
    from backend.practice.models import Alert, Consent

    runner = make_user(timezone="America/Los_Angeles")
    runner_api = Api(app.test_client()).login(runner)
    practitioner_api = Api(app.test_client()).login(practitioner)
    link(runner_api, practitioner_api)

    def backdate(session):
        consent = session.scalars(select(Consent)).one()
        consent.granted_at = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)  # 30 Sep in LA
        session.commit()

    sql(backdate)
    from backend.notifications.practice import QUIET_CHECK_HOUR, notice_quiet_runners_at

    # The daily check runs early in the client's morning: 14:00 UTC is 06:00 in Los Angeles.
    assert QUIET_CHECK_HOUR == 6
    assert sql(lambda s: notice_quiet_runners_at(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))) == 1
    message = sql(lambda s: s.scalar(select(Alert.message).where(Alert.kind == "inactive")))
    assert message == "Nothing logged since Wed 30 Sep 2026."
