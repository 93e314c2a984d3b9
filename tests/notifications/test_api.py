"""The notification settings, push subscriptions and in-app list over HTTP."""

import pytest
from sqlalchemy import func, select

from backend.notifications.models import NotificationSettings, PushSubscription
from backend.notifications.service import notify
from tests.notifications.conftest import subscription

SETTINGS = "/api/v1/me/notification-settings"
SUBS = "/api/v1/me/push-subscriptions"


class TestSettings:
    def test_the_defaults(self, runner_api):
        body = runner_api.get(SETTINGS).get_json()
        assert body["timezone"] == "UTC"
        assert body["reminder_time"] == "18:00"
        assert body["checkin_time"] == "08:00"
        assert body["quiet_hours"] is None
        assert body["channels"]["routine_reminder"] == {
            "push": True,
            "email": False,
            "in_app": True,
        }

    def test_a_patch_changes_only_what_it_names(self, runner_api):
        r = runner_api.patch(
            SETTINGS,
            {
                "reminder_time": "07:15",
                "quiet_hours": {"start": "22:00", "end": "07:00"},
                "channels": {"routine_reminder": {"email": True}},
            },
        )
        assert r.status_code == 200, r.get_json()
        body = runner_api.get(SETTINGS).get_json()
        assert body["reminder_time"] == "07:15"
        assert body["checkin_time"] == "08:00"
        assert body["quiet_hours"] == {"start": "22:00", "end": "07:00"}
        assert body["channels"]["routine_reminder"] == {"push": True, "email": True, "in_app": True}
        runner_api.patch(SETTINGS, {"quiet_hours": None})
        assert runner_api.get(SETTINGS).get_json()["quiet_hours"] is None

    @pytest.mark.parametrize(
        "patch, field",
        [
            ({"reminder_time": "7pm"}, "reminder_time"),
            ({"reminder_time": "25:00"}, "reminder_time"),
            ({"digest_time": 800}, "digest_time"),
            ({"quiet_hours": {"start": "22:00"}}, "quiet_hours"),
            ({"quiet_hours": {"start": "22:00", "end": "late"}}, "quiet_hours"),
            ({"quiet_hours": {"start": "22:00", "end": "22:00"}}, "quiet_hours"),
            ({"channels": {"weather": {"push": True}}}, "channels"),
            ({"channels": {"routine_reminder": {"sms": True}}}, "channels"),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
        self, runner_api, sql, patch, field
    ):
        runner_api.patch(SETTINGS, {"reminder_time": "06:45"})
        before = runner_api.get(SETTINGS).get_json()
        r = runner_api.patch(SETTINGS, {**patch, "checkin_time": "09:00"})
        assert r.status_code == 422
        assert field in r.get_json()["errors"]["json"]
        assert runner_api.get(SETTINGS).get_json() == before

    def test_it_needs_a_signed_in_user(self, client):
        assert client.get(SETTINGS).status_code == 401

    def test_settings_are_each_users_own(self, runner_api, practitioner_api, sql):
        runner_api.patch(SETTINGS, {"reminder_time": "05:00"})
        assert practitioner_api.get(SETTINGS).get_json()["reminder_time"] == "18:00"
        assert sql(lambda s: s.scalar(select(func.count()).select_from(NotificationSettings))) == 1


class TestPushSubscriptions:
    def test_subscribe_and_unsubscribe(self, runner_api, sql):
        r = runner_api.post(SUBS, subscription())
        assert r.status_code == 201, r.get_json()
        sid = r.get_json()["id"]
        assert runner_api.delete(f"{SUBS}/{sid}").status_code == 204
        assert runner_api.delete(f"{SUBS}/{sid}").status_code == 404

    def test_the_same_browser_subscribing_again_keeps_one_row(self, runner_api, sql):
        first = runner_api.post(SUBS, subscription()).get_json()["id"]
        again = runner_api.post(SUBS, subscription()).get_json()["id"]
        assert first == again
        assert sql(lambda s: s.scalar(select(func.count()).select_from(PushSubscription))) == 1

    def test_nobody_else_can_remove_it(self, runner_api, practitioner_api):
        sid = runner_api.post(SUBS, subscription()).get_json()["id"]
        assert practitioner_api.delete(f"{SUBS}/{sid}").status_code == 404
        assert runner_api.delete(f"{SUBS}/{sid}").status_code == 204

    @pytest.mark.parametrize(
        "mutate, field",
        [
            (lambda b: b.update(endpoint="http://push.example.test/x1234567"), "endpoint"),
            (lambda b: b.update(endpoint="ftp://push.example.test/x1234567"), "endpoint"),
            (lambda b: b.update(endpoint="not a url at all"), "endpoint"),
            (lambda b: b.pop("keys"), "keys"),
            (lambda b: b["keys"].update(p256dh="A" * 87), "keys"),
            (lambda b: b["keys"].update(auth="short"), "keys"),
            (lambda b: b["keys"].update(auth="!" * 22), "keys"),
            (lambda b: b.update(extra=1), "extra"),
        ],
    )
    def test_a_malformed_subscription_is_a_422_naming_the_field(
        self, runner_api, sql, mutate, field
    ):
        body = subscription()
        mutate(body)
        r = runner_api.post(SUBS, body)
        assert r.status_code == 422
        assert field in r.get_json()["errors"]["json"]
        assert sql(lambda s: s.scalar(select(func.count()).select_from(PushSubscription))) == 0

    def test_loopback_http_is_allowed_only_under_testing(self, runner_api, app):
        loopback = subscription("http://127.0.0.1:9/push/abc")
        assert runner_api.post(SUBS, loopback).status_code == 201
        app.testing = False
        try:
            r = runner_api.post(SUBS, subscription("http://127.0.0.1:9/push/def"))
        finally:
            app.testing = True
        assert r.status_code == 422


class TestInApp:
    def test_list_badge_and_mark_read(self, runner_api, runner, sql, practitioner_api):
        for n in range(3):
            sql(
                lambda s, n=n: notify(
                    runner.id, "routine_reminder", title=f"T{n}", body="b", url="/", key=f"r{n}"
                )
            )
        page = runner_api.get("/api/v1/me/notifications?limit=2").get_json()
        assert [i["title"] for i in page["items"]] == ["T2", "T1"]
        assert page["unread"] == 3 and page["next_cursor"]
        one = page["items"][0]["id"]
        assert practitioner_api.post(f"/api/v1/me/notifications/{one}/read").status_code == 404
        assert runner_api.post(f"/api/v1/me/notifications/{one}/read").get_json() == {"unread": 2}
        assert runner_api.post("/api/v1/me/notifications/read").get_json() == {"unread": 0}
        assert practitioner_api.get("/api/v1/me/notifications").get_json()["items"] == []

    def test_send_me_a_test_notification(self, runner_api, immediate_jobs):
        r = runner_api.post("/api/v1/me/notifications/test")
        assert r.status_code == 202
        assert r.get_json()["channels"] == ["in_app", "email"]
        items = runner_api.get("/api/v1/me/notifications").get_json()["items"]
        assert items[0]["title"] == "Limber test notification"
        assert len(list(immediate_jobs.glob("*.eml"))) == 1
