"""The private calendar feed: a secret, rotatable, revocable address of the planned routines."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from backend.reminders.models import CalendarFeed
from tests.support import Api, run_body


def feed_path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


class TestIssueFeed:
    def test_it_starts_off(self, runner_api):
        body = runner_api.get("/api/v1/me/calendar-feed").get_json()
        assert body == {"active": False, "created_at": None, "last_fetched_at": None}

    def test_it_gives_a_secret_address_once_and_keeps_only_its_hash(self, runner_api, sql):
        response = runner_api.post("/api/v1/me/calendar-feed")
        assert response.status_code == 201
        body = response.get_json()
        assert body["url"].startswith("http://localhost/api/v1/calendar/")
        assert body["webcal_url"].startswith("webcal://localhost/api/v1/calendar/")
        token = body["url"].rsplit("/", 1)[1].removesuffix(".ics")
        assert len(token) >= 40
        stored = sql(lambda s: s.scalars(select(CalendarFeed.token_hash)).all())
        assert stored == [hashlib.sha256(token.encode()).hexdigest()]
        status = runner_api.get("/api/v1/me/calendar-feed").get_json()
        assert status["active"] is True
        assert token not in str(status)

    def test_practitioners_have_no_feed(self, practitioner_api):
        assert practitioner_api.post("/api/v1/me/calendar-feed").status_code == 403


class TestReadFeed:
    def test_it_lists_planned_routines_as_all_day_events_and_nothing_else(
        self, api, runner_api, builtin
    ):
        runner_api.post("/api/v1/runs", run_body(notes="secret note", stiffness=7))
        url = runner_api.post("/api/v1/me/calendar-feed").get_json()["url"]
        response = api.get(feed_path(url))  # no session: the token is the key
        assert response.status_code == 200
        assert response.content_type == "text/calendar; charset=utf-8"
        assert "private" in response.headers["Cache-Control"]
        text = response.get_data(as_text=True)
        assert "secret note" not in text
        assert "@example.test" not in text
        calendar = Calendar.from_ical(response.data)
        events = calendar.walk("VEVENT")
        today = runner_api.get("/api/v1/today").get_json()
        names_today = {item["routine"]["name"] for item in today["items"]}
        on_today = {
            str(e["SUMMARY"])
            for e in events
            if e.decoded("DTSTART") == date.fromisoformat(today["date"])
        }
        assert names_today and on_today == names_today
        days = {e.decoded("DTSTART") for e in events}
        first, last = min(days), max(days)
        assert last - first == timedelta(days=63)
        assert all(isinstance(e.decoded("DTSTART"), date) for e in events)
        assert len({str(e["UID"]) for e in events}) == len(events)

    def test_it_follows_the_practitioner_s_schedule(
        self, api, runner, runner_api, practitioner_api, practitioner, link, builtin
    ):
        link(runner, practitioner)
        routine = builtin["routines"]["hip-circles"]
        made = practitioner_api.post(
            f"/api/v1/clients/{runner.id}/assignments",
            {"routine_id": str(routine), "weekdays": [0, 3], "starts_on": "2020-01-06"},
        )
        assert made.status_code == 201, made.get_json()
        url = runner_api.post("/api/v1/me/calendar-feed").get_json()["url"]
        events = Calendar.from_ical(api.get(feed_path(url)).data).walk("VEVENT")
        assert events
        assert {e.decoded("DTSTART").weekday() for e in events} == {0, 3}
        assert {str(e["SUMMARY"]) for e in events} == {"Hip circles"}

    def test_rotating_stops_the_old_address(self, api, runner_api):
        old = runner_api.post("/api/v1/me/calendar-feed").get_json()["url"]
        new = runner_api.post("/api/v1/me/calendar-feed").get_json()["url"]
        assert old != new
        assert api.get(feed_path(old)).status_code == 404
        assert api.get(feed_path(new)).status_code == 200

    def test_revoking_stops_it(self, api, runner_api):
        url = runner_api.post("/api/v1/me/calendar-feed").get_json()["url"]
        assert runner_api.delete("/api/v1/me/calendar-feed").status_code == 204
        response = api.get(feed_path(url))
        assert response.status_code == 404
        assert response.get_json()["code"] == 404
        assert runner_api.get("/api/v1/me/calendar-feed").get_json()["active"] is False

    def test_an_unknown_token_is_404(self, api):
        assert api.get("/api/v1/calendar/not-a-real-token.ics").status_code == 404

    def test_it_notes_when_it_was_last_read(self, app, runner_api):
        url = runner_api.post("/api/v1/me/calendar-feed").get_json()["url"]
        Api(app.test_client()).get(feed_path(url))
        assert runner_api.get("/api/v1/me/calendar-feed").get_json()["last_fetched_at"]
