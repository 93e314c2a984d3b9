"""notify(): once per key, on the channels the user chose."""

from email import message_from_bytes, policy

from sqlalchemy import func, select

from backend.notifications.models import Delivery, Notification
from backend.notifications.service import notify
from tests.notifications.conftest import subscription


def _notify(sql, user_id, key="k1", kind="routine_reminder"):
    return sql(
        lambda s: notify(user_id, kind, title="Routine", body="Today's routine", url="/", key=key)
    )


def _count(sql, model):
    return sql(lambda s: s.scalar(select(func.count()).select_from(model)))


class TestOncePerKey:
    def test_the_same_key_is_told_once(self, sql, runner):
        assert _notify(sql, runner.id) is not None
        assert _notify(sql, runner.id) is None
        assert _count(sql, Notification) == 1

    def test_another_user_may_have_the_same_key(self, sql, runner, practitioner):
        assert _notify(sql, runner.id) is not None
        assert _notify(sql, practitioner.id) is not None

    def test_a_repeat_makes_no_delivery(self, sql, runner_api, runner):
        runner_api.post("/api/v1/me/push-subscriptions", subscription())
        _notify(sql, runner.id)
        _notify(sql, runner.id)
        assert _count(sql, Delivery) == 1  # one push; email is off for reminders


class TestChannels:
    def test_the_defaults_for_a_client_alert_are_push_email_and_in_app(
        self, sql, practitioner_api, practitioner
    ):
        practitioner_api.post("/api/v1/me/push-subscriptions", subscription())
        _notify(sql, practitioner.id, kind="client_alert")
        channels = sql(lambda s: sorted(s.scalars(select(Delivery.channel))))
        assert channels == ["email", "push"]
        assert practitioner_api.get("/api/v1/me/notifications").get_json()["unread"] == 1

    def test_a_channel_turned_off_is_not_used(self, sql, practitioner_api, practitioner):
        practitioner_api.patch(
            "/api/v1/me/notification-settings",
            {"channels": {"client_alert": {"email": False, "in_app": False}}},
        )
        _notify(sql, practitioner.id, kind="client_alert")
        assert _count(sql, Delivery) == 0
        assert practitioner_api.get("/api/v1/me/notifications").get_json()["items"] == []


class TestEmailDelivery:
    def test_the_email_says_the_fixed_line_and_nothing_of_the_body(
        self, sql, practitioner, immediate_jobs
    ):
        sql(
            lambda s: notify(
                practitioner.id,
                "client_alert",
                title="Emergency warning sign",
                body="saddle numbness after the hill run",
                url="/clients/x",
                key="alert:1",
            )
        )
        files = list(immediate_jobs.glob("*.eml"))
        assert len(files) == 1
        message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "emergency or urgent warning sign — open Limber" in text
        assert "saddle" not in text + html and "hill" not in text + html
        assert "http://127.0.0.1:5000/clients/x" in text
        assert "/api/v1/unsubscribe/" in text and message["List-Unsubscribe"]
        assert sql(lambda s: s.scalar(select(Delivery.status))) == "sent"

    def test_the_unsubscribe_link_turns_that_kind_of_email_off(
        self, sql, practitioner, practitioner_api, client, immediate_jobs
    ):
        _notify(sql, practitioner.id, kind="client_alert")
        message = message_from_bytes(
            next(immediate_jobs.glob("*.eml")).read_bytes(), policy=policy.default
        )
        link = message["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:5000", "")
        page = client.get(link)
        assert page.status_code == 200 and b"<form" in page.data
        assert client.post(link).status_code == 200  # one click, no CSRF token or session
        channels = practitioner_api.get("/api/v1/me/notification-settings").get_json()["channels"]
        assert channels["client_alert"]["email"] is False
        assert channels["alert_digest"]["email"] is True

    def test_a_forged_unsubscribe_token_changes_nothing(self, client, practitioner_api):
        assert client.post("/api/v1/unsubscribe/not-a-token").status_code == 404
        channels = practitioner_api.get("/api/v1/me/notification-settings").get_json()["channels"]
        assert channels["client_alert"]["email"] is True
