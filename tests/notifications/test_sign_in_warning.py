"""The owner of an account is emailed when the sign-in brake starts holding it."""

from email import message_from_bytes, policy

from sqlalchemy import select

from backend.notifications.models import Notification
from tests.support import Api


def _warnings(sql, user_id):
    return sql(
        lambda s: s.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.kind == "sign_in_warning"
            )
        ).all()
    )


def test_repeated_wrong_passwords_email_the_owner_once(app, runner, sql, immediate_jobs):
    anyone = Api(app.test_client())
    statuses = [
        anyone.post(
            "/api/v1/auth/login", {"email": runner.email, "password": f"not-it-{n}"}
        ).status_code
        for n in range(8)
    ]
    assert 429 in statuses, "the brake should hold the account"
    (warning,) = _warnings(sql, runner.id)
    assert warning.url == "/settings"
    (mail,) = immediate_jobs.glob("*.eml")
    message = message_from_bytes(mail.read_bytes(), policy=policy.default)
    assert message["To"] == runner.email
    assert message["Subject"] == "Wrong passwords for your Limber account"
    text = message.get_body(("plain",)).get_content()
    assert "not-it-" not in text  # nothing typed at the sign-in form reaches the email


def test_a_few_wrong_passwords_tell_no_one(app, runner, sql, immediate_jobs):
    anyone = Api(app.test_client())
    for n in range(3):
        anyone.post("/api/v1/auth/login", {"email": runner.email, "password": f"nope-{n}"})
    assert _warnings(sql, runner.id) == []
    assert list(immediate_jobs.glob("*.eml")) == []
