"""Today's plan: the starter programme, weekday schedules, dates and time zones."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.auth.models import User
from backend.practice.service import revoke_practitioner
from tests.routines.conftest import LONG_AGO

STARTER_SLUGS = ["coregous-ball-breathing", "low-back-release", "hip-circles"]
MONDAY = date(2026, 11, 16)


def slugs(body):
    return [item["routine"]["slug"] for item in body["items"]]


@pytest.fixture
def assign(practitioner_api, client_runner, builtin):
    def make(slug, weekdays, starts_on, ends_on=None):
        body = {
            "routine_id": str(builtin["routines"][slug]),
            "weekdays": weekdays,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        }
        url = f"/api/v1/clients/{client_runner.id}/assignments"
        response = practitioner_api.post(url, body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


class TestToday:
    def test_a_new_runner_gets_the_starter_programme(self, runner_api, builtin):
        body = runner_api.get("/api/v1/today?date=2026-11-20").get_json()
        assert body["date"] == "2026-11-20"
        assert body["starter"] is True
        assert slugs(body) == STARTER_SLUGS
        assert [(i["done"], i["session_id"]) for i in body["items"]] == [(False, None)] * 3
        assert body["items"][0]["routine"]["steps"][0]["exercise"]["name"]

    def test_a_logged_session_marks_its_routine_done(self, runner_api, builtin):
        routine_id = str(builtin["routines"]["low-back-release"])
        session = runner_api.post(
            "/api/v1/sessions",
            {"routine_id": routine_id, "completed_at": "2026-11-20T18:00:00+00:00"},
        ).get_json()
        items = runner_api.get("/api/v1/today?date=2026-11-20").get_json()["items"]
        done = {i["routine"]["slug"]: (i["done"], i["session_id"]) for i in items}
        assert done["low-back-release"] == (True, session["id"])
        assert done["hip-circles"] == (False, None)
        other_day = runner_api.get("/api/v1/today?date=2026-11-21").get_json()["items"]
        assert not any(i["done"] for i in other_day)

    def test_it_defaults_to_the_runners_own_today(self, make_user, login, builtin):
        runner = make_user(role="runner", timezone="Pacific/Kiritimati")
        body = login(runner).get("/api/v1/today").get_json()
        assert body["date"] == datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()

    def test_it_follows_weekday_schedules_across_a_week(self, client_runner, login, assign):
        assign("core-stability", [0, 2, 4], MONDAY, MONDAY + timedelta(days=6))
        assign("hill-positioning", [2, 5], MONDAY, MONDAY + timedelta(days=6))
        api = login(client_runner)
        week = {}
        for offset in range(-1, 8):
            day = MONDAY + timedelta(days=offset)
            week[day.isoformat()] = slugs(api.get(f"/api/v1/today?date={day}").get_json())
        assert week == {
            "2026-11-15": STARTER_SLUGS,  # before the schedule starts
            "2026-11-16": ["core-stability"],
            "2026-11-17": [],
            "2026-11-18": ["core-stability", "hill-positioning"],
            "2026-11-19": [],
            "2026-11-20": ["core-stability"],
            "2026-11-21": ["hill-positioning"],
            "2026-11-22": [],
            "2026-11-23": STARTER_SLUGS,  # after it ends
        }

    def test_an_assignment_starting_later_keeps_the_starter_until_then(
        self, client_runner, login, assign
    ):
        assign("core-stability", list(range(7)), MONDAY + timedelta(days=3))
        api = login(client_runner)
        before = api.get(f"/api/v1/today?date={MONDAY}").get_json()
        after = api.get(f"/api/v1/today?date={MONDAY + timedelta(days=3)}").get_json()
        assert (before["starter"], slugs(before)) == (True, STARTER_SLUGS)
        assert (after["starter"], slugs(after)) == (False, ["core-stability"])

    def test_revoking_consent_brings_back_the_starter(self, client_runner, login, assign, sql):
        assign("core-stability", list(range(7)), MONDAY)
        api = login(client_runner)
        assert slugs(api.get(f"/api/v1/today?date={MONDAY}").get_json()) == ["core-stability"]
        sql(lambda s: revoke_practitioner(s.get(User, client_runner.id)))
        body = api.get(f"/api/v1/today?date={MONDAY}").get_json()
        assert (body["starter"], slugs(body)) == (True, STARTER_SLUGS)

    def test_a_session_counts_for_the_runners_local_day_ahead_of_utc(
        self, make_user, login, builtin
    ):
        runner = make_user(role="runner", timezone="Pacific/Auckland", created_at=LONG_AGO)
        api = login(runner)
        routine_id = str(builtin["routines"]["hip-circles"])
        body = {"routine_id": routine_id, "completed_at": "2026-11-20T20:00:00Z"}
        session = api.post("/api/v1/sessions", body).get_json()
        assert session["local_date"] == "2026-11-21"
        done = lambda day: {  # noqa: E731
            i["routine"]["slug"]: i["done"]
            for i in api.get(f"/api/v1/today?date={day}").get_json()["items"]
        }
        assert done("2026-11-21")["hip-circles"] is True
        assert done("2026-11-20")["hip-circles"] is False

    def test_a_schedule_uses_the_local_weekday_ahead_of_utc(
        self, make_user, login, practitioner_api, practitioner, link, builtin
    ):
        runner = make_user(role="runner", timezone="Pacific/Auckland", created_at=LONG_AGO)
        link(runner, practitioner)
        saturday = MONDAY + timedelta(days=5)
        body = {
            "routine_id": str(builtin["routines"]["hill-positioning"]),
            "weekdays": [saturday.weekday()],
            "starts_on": MONDAY.isoformat(),
        }
        url = f"/api/v1/clients/{runner.id}/assignments"
        assert practitioner_api.post(url, body).status_code == 201
        api = login(runner)
        # Friday 20:00 UTC is already Saturday morning in Auckland.
        api.post(
            "/api/v1/sessions",
            {"routine_id": body["routine_id"], "completed_at": "2026-11-20T20:00:00Z"},
        )
        items = api.get(f"/api/v1/today?date={saturday}").get_json()["items"]
        assert [(i["routine"]["slug"], i["done"]) for i in items] == [("hill-positioning", True)]

    def test_it_is_for_runners_only(self, practitioner_api):
        assert practitioner_api.get("/api/v1/today").status_code == 403

    def test_it_rejects_a_bad_date(self, runner_api):
        response = runner_api.get("/api/v1/today?date=2026-13-01")
        assert response.status_code == 422
        assert "date" in response.get_json()["errors"]["query"]
