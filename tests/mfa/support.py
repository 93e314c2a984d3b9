"""Helpers for two-step sign-in tests: enrol an authenticator app, sign in with a code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyotp

from tests.support import PASSWORD, Api


def step_start(now: datetime) -> datetime:
    """Five seconds into a 30-second code step, a minute or so after `now`.

    Ahead of the real clock, never behind it: cookies signed before the clock is moved
    would otherwise look as if they came from the future, and be refused.
    """
    ahead = int((now + timedelta(seconds=60)).timestamp())
    return datetime.fromtimestamp(ahead - ahead % 30 + 5, UTC)


def enrol_app(api: Api, at: datetime) -> tuple[pyotp.TOTP, list[str]]:
    """Set up an authenticator app at `at` (the test controls the clock)."""
    setup = api.post("/api/v1/me/two-step/totp/setup", {"password": PASSWORD})
    assert setup.status_code == 200, setup.get_json()
    body = setup.get_json()
    query = parse_qs(urlparse(body["otpauth_uri"]).query)
    assert query["secret"] == [body["secret"]]
    totp = pyotp.TOTP(body["secret"])
    done = api.post("/api/v1/me/two-step/totp", {"code": totp.at(at)})
    assert done.status_code == 201, done.get_json()
    return totp, done.get_json()["recovery_codes"]


def password_step(api: Api, user: Any, remember: bool = False) -> Any:
    body = {"email": user.email, "password": PASSWORD, "remember": remember}
    response = api.post("/api/v1/auth/login", body)
    api.csrf(refresh=True)  # the session was renewed, as at every sign-in
    return response


def add_passkey_row(app: Any, user_id: Any) -> None:
    """A stored passkey for `user_id`, without a ceremony (for tests of who may remove it).

    The user's sessions signed in before it was added stay valid, as a real enrolment's.
    """
    import secrets

    from backend.auth.mfa.models import Passkey
    from backend.extensions import db

    with app.app_context():
        db.session.add(
            Passkey(
                user_id=user_id,
                credential_id=secrets.token_bytes(16),
                public_key=b"not a real key",
                name="Test passkey",
            )
        )
        db.session.commit()
        db.session.remove()
