"""The practitioner is told: at once for emergency and urgent red flags, else a digest."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select, update

from backend.db import utcnow
from backend.notifications.models import Notification, NotificationSettings
from backend.notifications.practice import send_due_digests
from backend.practice.models import Alert
from tests.support import run_body


def _told(sql, kind):
    return sql(lambda s: list(s.scalars(select(Notification).where(Notification.kind == kind))))


class TestAtOnce:
    def test_an_emergency_red_flag_tells_the_practitioner(
        self, runner_api, practitioner_api, linked, sql, immediate_jobs
    ):
        runner_api.post("/api/v1/runs", run_body(red_flags=["saddle_numbness"]))
        (told,) = _told(sql, "client_alert")
        assert told.title == "Emergency warning sign"
        assert "saddle" not in told.body.lower()
        assert len(list(immediate_jobs.glob("*.eml"))) == 1
        badge = practitioner_api.get("/api/v1/me/notifications").get_json()["unread"]
        assert badge == 1

    def test_saving_the_same_run_again_tells_no_one_twice(
        self, runner_api, linked, sql, immediate_jobs
    ):
        body = run_body(id="6f1b1d0e-0000-4000-8000-000000000001", red_flags=["both_legs"])
        runner_api.post("/api/v1/runs", body)
        runner_api.post("/api/v1/runs", body)
        runner_api.patch(f"/api/v1/runs/{body['id']}", {"notes": "again"})
        assert len(_told(sql, "client_alert")) == 1

    def test_a_lesser_red_flag_waits_for_the_digest(self, runner_api, linked, sql, immediate_jobs):
        runner_api.post("/api/v1/runs", run_body(red_flags=["sharp_pain"]))
        assert _told(sql, "client_alert") == []

    def test_no_one_is_told_without_consent(self, runner_api, sql, immediate_jobs):
        runner_api.post("/api/v1/runs", run_body(red_flags=["saddle_numbness"]))
        assert _told(sql, "client_alert") == []


class TestDigest:
    def _raised_at(self, sql, moment):
        def backdate(s):
            s.execute(update(Alert).values(created_at=moment))
            s.commit()

        sql(backdate)

    def test_the_digest_goes_out_at_the_chosen_local_time_once_a_day(
        self, runner_api, practitioner_api, practitioner, linked, sql
    ):
        # Auckland, digest at 07:30 local; alerts raised before the digest time.
        practitioner_api.patch("/api/v1/me", {"timezone": "Pacific/Auckland"})
        practitioner_api.patch("/api/v1/me/notification-settings", {"digest_time": "07:30"})
        runner_api.post("/api/v1/runs", run_body(stiffness=8, red_flags=["sharp_pain"]))
        auckland = ZoneInfo("Pacific/Auckland")
        tomorrow = datetime.now(auckland).date() + timedelta(days=1)
        local = datetime.combine(tomorrow, time(7, 29), tzinfo=auckland)
        self._raised_at(sql, local - timedelta(hours=2))
        with time_machine.travel(local, tick=False) as clock:
            assert sql(lambda s: send_due_digests(utcnow())) == 0
            clock.shift(timedelta(minutes=1))
            assert sql(lambda s: send_due_digests(utcnow())) == 1
            clock.shift(timedelta(hours=5))
            assert sql(lambda s: send_due_digests(utcnow())) == 0
        (digest,) = _told(sql, "alert_digest")
        assert digest.body == "2 new alerts about your clients."
        through = sql(lambda s: s.get(NotificationSettings, practitioner.id).digest_through)
        assert through is not None

    def test_no_new_alerts_no_digest(self, practitioner_api, practitioner, linked, sql):
        with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=UTC), tick=False):
            assert sql(lambda s: send_due_digests(utcnow())) == 0
        assert _told(sql, "alert_digest") == []
