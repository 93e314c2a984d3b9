from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.auth.mfa import service
from backend.auth.mfa.schemas import (
    CodeIn,
    CredentialIn,
    NewPasskeyIn,
    NewPasskeyOut,
    OptionsOut,
    PasswordIn,
    RecoveryCodesOut,
    RequiredIn,
    TotpSetupOut,
    TwoStepOut,
)
from backend.auth.models import User
from backend.auth.schemas import UserOut
from backend.extensions import limiter

sign_in_blp = Blueprint(
    "two_step_sign_in",
    __name__,
    url_prefix="/api/v1/auth/two-step",
    description="The second step of signing in",
)
settings_blp = Blueprint(
    "two_step",
    __name__,
    url_prefix="/api/v1/me/two-step",
    description="Two-step sign-in for a practitioner's account",
)


def _limit() -> str:
    # The same budget as password guesses: each of these checks a secret.
    return str(current_app.config["RATELIMIT_LOGIN"])


_GONE = "No sign-in is waiting, or it ran out of time or tries"
_limited: list[Callable[..., Any]] = [limiter.limit(_limit, methods=["POST", "PATCH", "DELETE"])]


# The second step (a sign-in waiting for it, no session yet)


@sign_in_blp.route("/code")
class SignInWithCode(MethodView):
    decorators = _limited

    @access("second_step")
    @sign_in_blp.arguments(CodeIn)
    @sign_in_blp.response(200, UserOut)
    @sign_in_blp.alt_response(401, description=_GONE)
    def post(self, data: dict[str, str]) -> User:
        """Finish signing in with an authenticator-app code or a recovery code"""
        return service.sign_in_with_code(data["code"])


@sign_in_blp.route("/passkey/options")
class SignInPasskeyOptions(MethodView):
    decorators = _limited

    @access("second_step")
    @sign_in_blp.response(200, OptionsOut)
    @sign_in_blp.alt_response(401, description="No sign-in is waiting")
    def post(self) -> dict[str, Any]:
        """Get a fresh challenge for navigator.credentials.get()"""
        return {"options": service.sign_in_passkey_options()}


@sign_in_blp.route("/passkey")
class SignInWithPasskey(MethodView):
    decorators = _limited

    @access("second_step")
    @sign_in_blp.arguments(CredentialIn)
    @sign_in_blp.response(200, UserOut)
    @sign_in_blp.alt_response(401, description=_GONE)
    def post(self, data: dict[str, Any]) -> User:
        """Finish signing in with a passkey"""
        return service.sign_in_with_passkey(data["credential"])


# Settings (a signed-in practitioner)


@settings_blp.route("")
class TwoStep(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.response(200, TwoStepOut)
    def get(self) -> dict[str, Any]:
        """Your two-step sign-in methods and whether it is required"""
        return service.overview(current_user)

    @access("practitioner")
    @settings_blp.arguments(RequiredIn)
    @settings_blp.response(200, TwoStepOut)
    def patch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Require two-step sign-in for your account (your practice), or stop requiring it"""
        return service.set_required(current_user, data["required"], data["password"])


@settings_blp.route("/passkeys/options")
class PasskeyOptions(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.arguments(PasswordIn)
    @settings_blp.response(200, OptionsOut)
    def post(self, data: dict[str, str]) -> dict[str, Any]:
        """Get a challenge for navigator.credentials.create() (needs your password)"""
        return {"options": service.passkey_options(current_user, data["password"])}


@settings_blp.route("/passkeys")
class Passkeys(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.arguments(NewPasskeyIn)
    @settings_blp.response(201, NewPasskeyOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add the passkey the browser made; the first method also gets recovery codes"""
        passkey, codes = service.add_passkey(current_user, data["credential"], data.get("name"))
        return {
            "passkey": {
                "id": passkey.id,
                "name": passkey.name,
                "created_at": passkey.created_at,
                "last_used_at": passkey.last_used_at,
            },
            "recovery_codes": codes,
        }


@settings_blp.route("/passkeys/<uuid:passkey_id>")
class PasskeyItem(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.arguments(PasswordIn)
    @settings_blp.response(204)
    def delete(self, data: dict[str, str], passkey_id: uuid.UUID) -> None:
        """Remove a passkey (needs your password)"""
        service.remove_passkey(current_user, passkey_id, data["password"])


@settings_blp.route("/totp/setup")
class TotpSetup(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.arguments(PasswordIn)
    @settings_blp.response(200, TotpSetupOut)
    def post(self, data: dict[str, str]) -> dict[str, str]:
        """Start setting up an authenticator app: its secret and otpauth:// link"""
        return service.totp_setup(current_user, data["password"])


@settings_blp.route("/totp")
class Totp(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.arguments(CodeIn)
    @settings_blp.response(201, RecoveryCodesOut)
    def post(self, data: dict[str, str]) -> dict[str, Any]:
        """Finish setting up the app with a code it shows"""
        return {"recovery_codes": service.totp_confirm(current_user, data["code"])}

    @access("practitioner")
    @settings_blp.arguments(PasswordIn)
    @settings_blp.response(204)
    def delete(self, data: dict[str, str]) -> None:
        """Remove the authenticator app (needs your password)"""
        service.remove_totp(current_user, data["password"])


@settings_blp.route("/recovery-codes")
class RecoveryCodes(MethodView):
    decorators = _limited

    @access("practitioner")
    @settings_blp.arguments(PasswordIn)
    @settings_blp.response(201, RecoveryCodesOut)
    def post(self, data: dict[str, str]) -> dict[str, Any]:
        """Replace your recovery codes with new ones (needs your password)"""
        return {"recovery_codes": service.new_recovery_codes(current_user, data["password"])}
