"""Two-step sign-in through the API: enrolment, the held sign-in, codes and the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from backend.auth.mfa.models import RecoveryCode, TotpFactor
from backend.auth.models import AuthSession
from tests.mfa.support import enrol_app, password_step, step_start
from tests.support import PASSWORD, Api


@dataclass
class Clock:
    start: datetime
    traveller: Any

    def shift(self, delta: timedelta) -> None:
        self.traveller.shift(delta)


@pytest.fixture
def clock():
    start = step_start(datetime.now(UTC))
    with time_machine.travel(start, tick=False) as traveller:
        yield Clock(start, traveller)


@pytest.fixture
def enrolled(app, practitioner, clock):
    """A practitioner with an authenticator app, and a fresh browser to sign in from."""
    api = Api(app.test_client()).login(practitioner)
    totp, codes = enrol_app(api, clock.start)
    clock.shift(timedelta(seconds=30))  # the enrolment code's step is spent
    return totp, codes


def fresh(app) -> Api:
    return Api(app.test_client())


class TestSetUpAnAuthenticatorApp:
    def test_it_needs_the_password(self, practitioner_api):
        response = practitioner_api.post(
            "/api/v1/me/two-step/totp/setup", {"password": "not my password"}
        )
        assert response.status_code == 422
        assert "password" in response.get_json()["errors"]["json"]

    def test_a_wrong_code_does_not_set_it_up(self, practitioner_api, clock):
        practitioner_api.post("/api/v1/me/two-step/totp/setup", {"password": PASSWORD})
        response = practitioner_api.post("/api/v1/me/two-step/totp", {"code": "000000"})
        assert response.status_code == 422
        assert "code" in response.get_json()["errors"]["json"]
        overview = practitioner_api.get("/api/v1/me/two-step").get_json()
        assert overview["authenticator_app"] is None

    def test_the_right_code_sets_it_up_with_ten_recovery_codes(self, practitioner_api, clock):
        _, codes = enrol_app(practitioner_api, clock.start)
        assert len(codes) == 10
        overview = practitioner_api.get("/api/v1/me/two-step").get_json()
        assert overview["authenticator_app"] is not None
        assert overview["recovery_codes_left"] == 10
        assert overview["required"] is False

    def test_the_set_up_expires(self, practitioner_api, clock):
        import pyotp

        secret = practitioner_api.post(
            "/api/v1/me/two-step/totp/setup", {"password": PASSWORD}
        ).get_json()["secret"]
        clock.shift(timedelta(minutes=5, seconds=1))
        code = pyotp.TOTP(secret).now()
        response = practitioner_api.post("/api/v1/me/two-step/totp", {"code": code})
        assert response.status_code == 409

    def test_a_second_app_is_refused_until_the_first_is_removed(self, practitioner_api, clock):
        enrol_app(practitioner_api, clock.start)
        again = practitioner_api.post("/api/v1/me/two-step/totp/setup", {"password": PASSWORD})
        assert again.status_code == 409

    def test_secrets_and_codes_are_not_stored_in_plain(self, practitioner_api, sql, clock):
        totp, codes = enrol_app(practitioner_api, clock.start)
        stored = sql(lambda s: s.scalars(select(TotpFactor.secret)).all())
        hashes = sql(lambda s: s.scalars(select(RecoveryCode.code_hash)).all())
        assert len(stored) == 1 and totp.secret not in stored[0]
        assert len(hashes) == 10
        plain = {c.replace("-", "") for c in codes}
        assert not plain & set(hashes) and not set(codes) & set(hashes)

    def test_the_export_leaves_the_secrets_out(self, practitioner_api, clock):
        totp, _ = enrol_app(practitioner_api, clock.start)
        text = practitioner_api.get("/api/v1/me/export").get_data(as_text=True)
        assert totp.secret not in text
        assert "code_hash" not in text and '"secret"' not in text

    def test_a_runner_cannot_use_it(self, runner_api):
        response = runner_api.post("/api/v1/me/two-step/totp/setup", {"password": PASSWORD})
        assert response.status_code == 403


class TestSignInHeldForTheSecondStep:
    def test_the_password_alone_gives_no_access(self, app, practitioner, enrolled):
        api = fresh(app)
        response = password_step(api, practitioner)
        assert response.status_code == 202
        body = response.get_json()
        assert body["second_step"] is True
        assert body["methods"] == ["authenticator_app", "recovery_code"]
        for path in ("/api/v1/auth/me", "/api/v1/clients", "/api/v1/me/two-step"):
            assert api.get(path).status_code == 401, path
        assert api.post("/api/v1/auth/logout").status_code == 401

    def test_no_session_is_created_before_the_second_step(self, app, sql, practitioner, enrolled):
        before = sql(lambda s: s.scalar(select(func.count()).select_from(AuthSession)))
        password_step(fresh(app), practitioner)
        assert sql(lambda s: s.scalar(select(func.count()).select_from(AuthSession))) == before

    def test_the_app_code_finishes_signing_in(self, app, practitioner, enrolled):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        response = api.post("/api/v1/auth/two-step/code", {"code": totp.now()})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["email"] == practitioner.email
        assert api.get("/api/v1/auth/me").status_code == 200
        assert api.get("/api/v1/clients").status_code == 200

    def test_an_app_code_works_once(self, app, practitioner, enrolled, clock):
        totp, _ = enrolled
        code = totp.now()
        first = fresh(app)
        password_step(first, practitioner)
        assert first.post("/api/v1/auth/two-step/code", {"code": code}).status_code == 200
        second = fresh(app)
        password_step(second, practitioner)
        assert second.post("/api/v1/auth/two-step/code", {"code": code}).status_code == 422
        clock.shift(timedelta(seconds=30))
        assert second.post("/api/v1/auth/two-step/code", {"code": totp.now()}).status_code == 200

    def test_a_recovery_code_works_once(self, app, practitioner, enrolled):
        _, codes = enrolled
        first = fresh(app)
        password_step(first, practitioner)
        typed = codes[3].upper().replace("-", " ")
        assert first.post("/api/v1/auth/two-step/code", {"code": typed}).status_code == 200
        assert first.get("/api/v1/me/two-step").get_json()["recovery_codes_left"] == 9
        second = fresh(app)
        password_step(second, practitioner)
        assert second.post("/api/v1/auth/two-step/code", {"code": codes[3]}).status_code == 422

    def test_five_wrong_codes_end_the_sign_in(self, app, sql, practitioner, enrolled):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        answers = [
            api.post("/api/v1/auth/two-step/code", {"code": "000000"}).status_code for _ in range(5)
        ]
        assert answers == [422, 422, 422, 422, 401]
        response = api.post("/api/v1/auth/two-step/code", {"code": totp.now()})
        assert response.status_code == 401
        assert api.get("/api/v1/auth/me").status_code == 401

    def test_starting_again_does_not_give_more_guesses(self, app, practitioner, enrolled, clock):
        totp, _ = enrolled
        answers = []
        for _ in range(3):
            api = fresh(app)
            password_step(api, practitioner)
            for _ in range(4):
                answers.append(api.post("/api/v1/auth/two-step/code", {"code": "000000"}))
        assert [r.status_code for r in answers] == [422] * 10 + [429] * 2
        # Even the right code waits, until the held sign-ins of that burst have lapsed.
        assert api.post("/api/v1/auth/two-step/code", {"code": totp.now()}).status_code == 429
        clock.shift(timedelta(minutes=5))
        later = fresh(app)
        password_step(later, practitioner)
        assert later.post("/api/v1/auth/two-step/code", {"code": totp.now()}).status_code == 200

    def test_an_old_cookie_does_not_bring_the_tries_back(self, app, practitioner, enrolled):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        held = api.client.get_cookie("limber_session").value
        for _ in range(5):
            api.post("/api/v1/auth/two-step/code", {"code": "000000"})
        api.client.set_cookie("limber_session", held)
        assert api.post("/api/v1/auth/two-step/code", {"code": totp.now()}).status_code == 401

    def test_the_held_sign_in_expires_after_five_minutes(self, app, practitioner, enrolled, clock):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        clock.shift(timedelta(minutes=5))
        response = api.post("/api/v1/auth/two-step/code", {"code": totp.now()})
        assert response.status_code == 401
        assert "password again" in response.get_json()["message"]

    def test_a_used_sign_in_cannot_be_replayed(self, app, practitioner, enrolled, clock):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        held = api.client.get_cookie("limber_session").value
        assert api.post("/api/v1/auth/two-step/code", {"code": totp.now()}).status_code == 200
        clock.shift(timedelta(seconds=30))
        other = fresh(app)
        other.client.set_cookie("limber_session", held)
        response = other.post("/api/v1/auth/two-step/code", {"code": totp.now()})
        assert response.status_code == 401
        assert other.get("/api/v1/auth/me").status_code == 401

    def test_the_second_step_needs_a_csrf_token(self, app, practitioner, enrolled):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        response = api.client.post("/api/v1/auth/two-step/code", json={"code": totp.now()})
        assert response.status_code == 400
        assert "CSRF" in response.get_json()["message"]

    def test_without_a_password_first_there_is_nothing_to_finish(self, app, enrolled):
        totp, _ = enrolled
        response = fresh(app).post("/api/v1/auth/two-step/code", {"code": totp.now()})
        assert response.status_code == 401

    def test_a_wrong_password_never_reaches_the_second_step(self, app, practitioner, enrolled):
        api = fresh(app)
        body = {"email": practitioner.email, "password": "wrong password here"}
        assert api.post("/api/v1/auth/login", body).status_code == 401
        assert api.post("/api/v1/auth/two-step/code", {"code": "123456"}).status_code == 401

    def test_remember_me_is_kept_through_the_second_step(self, app, practitioner, enrolled):
        totp, _ = enrolled
        api = fresh(app)
        password_step(api, practitioner, remember=True)
        api.post("/api/v1/auth/two-step/code", {"code": totp.now()})
        assert api.client.get_cookie("limber_session").expires is not None

    def test_a_practitioner_without_a_factor_signs_in_as_before(self, app, practitioner):
        assert password_step(fresh(app), practitioner).status_code == 200

    def test_no_passkey_means_no_passkey_challenge(self, app, practitioner, enrolled):
        api = fresh(app)
        password_step(api, practitioner)
        assert api.post("/api/v1/auth/two-step/passkey/options").status_code == 409


class TestRequireTwoStep:
    def test_it_cannot_be_required_without_a_factor(self, practitioner_api):
        body = {"required": True, "password": PASSWORD}
        assert practitioner_api.patch("/api/v1/me/two-step", body).status_code == 409

    def test_requiring_it_needs_the_password(self, practitioner_api, clock):
        enrol_app(practitioner_api, clock.start)
        body = {"required": True, "password": "not my password"}
        assert practitioner_api.patch("/api/v1/me/two-step", body).status_code == 422
        assert practitioner_api.get("/api/v1/me/two-step").get_json()["required"] is False

    def test_requiring_it_signs_out_the_other_devices(self, app, practitioner, clock):
        laptop = Api(app.test_client()).login(practitioner)
        phone = Api(app.test_client()).login(practitioner)
        enrol_app(laptop, clock.start)
        response = laptop.patch("/api/v1/me/two-step", {"required": True, "password": PASSWORD})
        assert response.status_code == 200 and response.get_json()["required"] is True
        assert phone.get("/api/v1/auth/me").status_code == 401
        assert laptop.get("/api/v1/auth/me").status_code == 200

    def test_the_last_method_stays_while_required(self, practitioner_api, clock):
        enrol_app(practitioner_api, clock.start)
        practitioner_api.patch("/api/v1/me/two-step", {"required": True, "password": PASSWORD})
        remove = practitioner_api.delete("/api/v1/me/two-step/totp", {"password": PASSWORD})
        assert remove.status_code == 409
        practitioner_api.patch("/api/v1/me/two-step", {"required": False, "password": PASSWORD})
        remove = practitioner_api.delete("/api/v1/me/two-step/totp", {"password": PASSWORD})
        assert remove.status_code == 204


class TestRemoveAndReplace:
    def test_removing_needs_the_password(self, practitioner_api, clock):
        enrol_app(practitioner_api, clock.start)
        response = practitioner_api.delete("/api/v1/me/two-step/totp", {"password": "nope nope"})
        assert response.status_code == 422
        assert practitioner_api.get("/api/v1/me/two-step").get_json()["authenticator_app"]

    def test_removing_the_last_method_ends_the_second_step_and_the_codes(
        self, app, practitioner, practitioner_api, sql, clock
    ):
        enrol_app(practitioner_api, clock.start)
        assert (
            practitioner_api.delete("/api/v1/me/two-step/totp", {"password": PASSWORD}).status_code
            == 204
        )
        assert sql(lambda s: s.scalar(select(func.count()).select_from(RecoveryCode))) == 0
        assert password_step(fresh(app), practitioner).status_code == 200

    def test_new_recovery_codes_replace_the_old(self, app, practitioner, enrolled):
        _, old = enrolled
        api = fresh(app)
        password_step(api, practitioner)
        api.post("/api/v1/auth/two-step/code", {"code": old[0]})
        api.csrf(refresh=True)
        response = api.post("/api/v1/me/two-step/recovery-codes", {"password": PASSWORD})
        assert response.status_code == 201
        new = response.get_json()["recovery_codes"]
        assert len(new) == 10 and not set(new) & set(old)
        other = fresh(app)
        password_step(other, practitioner)
        assert other.post("/api/v1/auth/two-step/code", {"code": old[1]}).status_code == 422
        assert other.post("/api/v1/auth/two-step/code", {"code": new[1]}).status_code == 200

    def test_recovery_codes_need_a_method_first(self, practitioner_api):
        response = practitioner_api.post(
            "/api/v1/me/two-step/recovery-codes", {"password": PASSWORD}
        )
        assert response.status_code == 409


class TestPasskeyCeremonies:
    def test_the_options_name_the_configured_relying_party(self, practitioner_api, practitioner):
        response = practitioner_api.post(
            "/api/v1/me/two-step/passkeys/options", {"password": PASSWORD}
        )
        assert response.status_code == 200
        options = response.get_json()["options"]
        assert options["rp"] == {"id": "localhost", "name": "Limber"}
        assert options["user"]["name"] == practitioner.email
        assert len(options["challenge"]) >= 43  # 32 random bytes, base64url

    def test_each_request_gets_a_new_challenge(self, practitioner_api):
        def challenge():
            return practitioner_api.post(
                "/api/v1/me/two-step/passkeys/options", {"password": PASSWORD}
            ).get_json()["options"]["challenge"]

        assert challenge() != challenge()

    def test_a_forged_credential_is_refused_and_spends_the_challenge(self, practitioner_api):
        practitioner_api.post("/api/v1/me/two-step/passkeys/options", {"password": PASSWORD})
        forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
        first = practitioner_api.post("/api/v1/me/two-step/passkeys", {"credential": forged})
        assert first.status_code == 422
        assert "credential" in first.get_json()["errors"]["json"]
        again = practitioner_api.post("/api/v1/me/two-step/passkeys", {"credential": forged})
        assert again.status_code == 409
        assert practitioner_api.get("/api/v1/me/two-step").get_json()["passkeys"] == []

    def test_without_configuration_passkeys_are_off(self, make_app_for_two_step, practitioner):
        app = make_app_for_two_step(WEBAUTHN_RP_ID=None)
        api = Api(app.test_client()).login(practitioner)
        assert api.get("/api/v1/me/two-step").get_json()["passkeys_available"] is False
        response = api.post("/api/v1/me/two-step/passkeys/options", {"password": PASSWORD})
        assert response.status_code == 409

    def test_removing_someone_else_s_passkey_is_404(self, practitioner_api):
        import uuid

        path = f"/api/v1/me/two-step/passkeys/{uuid.uuid4()}"
        assert practitioner_api.delete(path, {"password": PASSWORD}).status_code == 404


class TestRateLimits:
    def test_code_guesses_share_the_login_limit(self, make_app_for_two_step, practitioner, clock):
        app = make_app_for_two_step(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            RATELIMIT_LOGIN="3 per minute",
        )
        enrol_app(Api(app.test_client()).login(practitioner), clock.start)
        api = Api(app.test_client())
        password_step(api, practitioner)
        answers = [
            api.post("/api/v1/auth/two-step/code", {"code": "000000"}).status_code for _ in range(4)
        ]
        assert answers == [422, 422, 422, 429]
