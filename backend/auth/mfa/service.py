"""Two-step sign-in: ceremonies, factors and the sign-in that waits for its second step.

A password that matches an account with a second factor does not start a session. It
leaves only a pointer to a server-side `sign_in` challenge in the signed cookie; the
session (the `sid` every other route needs) starts when the second step succeeds.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from cryptography.fernet import Fernet, InvalidToken
from flask import Response, current_app, jsonify, session
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from backend.auth import passwords
from backend.auth import service as auth_service
from backend.auth.mfa import rules
from backend.auth.mfa.models import (
    Passkey,
    RecoveryCode,
    TotpFactor,
    TwoStepChallenge,
    TwoStepSetting,
)
from backend.auth.models import AuthSession, User
from backend.db import utcnow
from backend.errors import Conflict, DomainError, NotFound, field_error
from backend.extensions import db

PENDING_KEY = "two_step"
# What a malformed or forged credential can make the WebAuthn parser raise.
_BAD_CREDENTIAL = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError, IndexError)


class SignInAgain(DomainError):
    """The sign-in waiting for its second step is gone: start again with the password."""

    status = 401


def now() -> datetime:
    return utcnow()


# Keys and configuration


def _master_key() -> str:
    cfg = current_app.config
    return str(cfg.get("TWO_STEP_KEY") or cfg["SECRET_KEY"])


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(rules.derive_key(_master_key(), "totp")))


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None  # written under another key: this factor cannot be checked


def _recovery_key() -> bytes:
    return rules.derive_key(_master_key(), "recovery")


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origins: list[str]


def relying_party() -> RelyingParty | None:
    cfg = current_app.config
    rp_id, origin = cfg.get("WEBAUTHN_RP_ID"), cfg.get("WEBAUTHN_ORIGIN")
    if not rp_id or not origin:
        return None
    origins = [o.strip() for o in str(origin).split(",") if o.strip()]
    return RelyingParty(str(rp_id), str(cfg.get("WEBAUTHN_RP_NAME") or "Limber"), origins)


def _require_rp() -> RelyingParty:
    rp = relying_party()
    if rp is None:
        raise Conflict("Passkeys are not set up on this server. Use an authenticator app.")
    return rp


def _timeout_ms() -> int:
    return int(current_app.config["TWO_STEP_ENROL_TTL"].total_seconds() * 1000)


# Factors


def factor_count(user_id: uuid.UUID) -> int:
    passkeys = select(func.count()).select_from(Passkey).where(Passkey.user_id == user_id)
    apps = select(func.count()).select_from(TotpFactor).where(TotpFactor.user_id == user_id)
    return int(db.session.scalar(select(passkeys.scalar_subquery() + apps.scalar_subquery())) or 0)


def is_required(user_id: uuid.UUID) -> bool:
    setting = db.session.get(TwoStepSetting, user_id)
    return bool(setting and setting.required)


def overview(user: User) -> dict[str, Any]:
    passkeys = list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
        )
    )
    app = db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))
    left = db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    return {
        "required": is_required(user.id),
        "passkeys_available": relying_party() is not None,
        "passkeys": [
            {"id": p.id, "name": p.name, "created_at": p.created_at, "last_used_at": p.last_used_at}
            for p in passkeys
        ],
        "authenticator_app": {"created_at": app.created_at} if app else None,
        "recovery_codes_left": int(left or 0),
    }


def check_password(user: User, password: str) -> None:
    if not passwords.verify(auth_service.hasher(), user.password_hash, password):
        raise field_error("password", "This is not your password.")


def _replace_recovery_codes(user_id: uuid.UUID) -> list[str]:
    codes = rules.new_recovery_codes()
    key = _recovery_key()
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    db.session.add_all(
        RecoveryCode(user_id=user_id, code_hash=rules.recovery_code_hash(key, code))
        for code in codes
    )
    return codes


def _codes_after_first_factor(user_id: uuid.UUID, had_factors: bool) -> list[str]:
    """Fresh recovery codes when the first factor arrives; none otherwise."""
    return [] if had_factors else _replace_recovery_codes(user_id)


def _after_removal(user_id: uuid.UUID) -> None:
    if factor_count(user_id) == 0:
        # Recovery codes only stand in for a factor; with none left they would be a bypass.
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def _ensure_can_remove(user: User) -> None:
    if not rules.can_remove_factor(is_required(user.id), factor_count(user.id) - 1):
        raise Conflict(
            "Two-step sign-in is required for this account, so its last method stays. "
            "Add another method first, or stop requiring it."
        )


def new_recovery_codes(user: User, password: str) -> list[str]:
    check_password(user, password)
    if factor_count(user.id) == 0:
        raise Conflict("Set up a passkey or an authenticator app first.")
    codes = _replace_recovery_codes(user.id)
    db.session.commit()
    return codes


def set_required(user: User, required: bool, password: str) -> dict[str, Any]:
    check_password(user, password)
    if required and not rules.can_require(factor_count(user.id)):
        raise Conflict("Set up a passkey or an authenticator app before requiring it.")
    setting = db.session.get(TwoStepSetting, user.id)
    if setting is None:
        setting = TwoStepSetting(user_id=user.id, required=False)
        db.session.add(setting)
    turned_on = required and not setting.required
    setting.required = required
    setting.updated_at = now()
    if turned_on:
        # No device signed in before the rule may keep going without it.
        keep = auth_service.current_session_id()
        stmt = delete(AuthSession).where(AuthSession.user_id == user.id)
        if keep is not None:
            stmt = stmt.where(AuthSession.id != keep)
        db.session.execute(stmt)
    db.session.commit()
    return overview(user)


# Enrolment ceremonies (challenge per user and purpose; a new one replaces the old)


def _new_challenge(user_id: uuid.UUID, purpose: str, **values: Any) -> TwoStepChallenge:
    db.session.execute(
        delete(TwoStepChallenge).where(
            TwoStepChallenge.user_id == user_id, TwoStepChallenge.purpose == purpose
        )
    )
    row = TwoStepChallenge(
        user_id=user_id,
        purpose=purpose,
        expires_at=rules.expiry(now(), current_app.config["TWO_STEP_ENROL_TTL"]),
        **values,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _live_challenge(user_id: uuid.UUID, purpose: str) -> TwoStepChallenge:
    row = db.session.scalar(
        select(TwoStepChallenge).where(
            TwoStepChallenge.user_id == user_id, TwoStepChallenge.purpose == purpose
        )
    )
    if row is None:
        raise Conflict("This set-up has expired. Start again.")
    if rules.challenge_problem(rules.ChallengeState(row.expires_at, row.attempts), now()):
        db.session.delete(row)
        db.session.commit()
        raise Conflict("This set-up has expired. Start again.")
    return row


def _consume(row: TwoStepChallenge) -> None:
    """Delete a challenge; only the first of two racing requests gets to use it."""
    result = db.session.execute(delete(TwoStepChallenge).where(TwoStepChallenge.id == row.id))
    if not result.rowcount:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict("This step was already used. Start again.")


def passkey_options(user: User, password: str) -> dict[str, Any]:
    rp = _require_rp()
    check_password(user, password)
    challenge = secrets.token_bytes(32)
    existing = db.session.scalars(select(Passkey.credential_id).where(Passkey.user_id == user.id))
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=user.id.bytes,
        user_name=user.email,
        user_display_name=user.display_name,
        challenge=challenge,
        timeout=_timeout_ms(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in existing],
    )
    _new_challenge(user.id, "passkey", challenge_secret=challenge)
    return dict(json.loads(options_to_json(options)))


def add_passkey(
    user: User, credential: dict[str, Any], name: str | None
) -> tuple[Passkey, list[str]]:
    rp = _require_rp()
    row = _live_challenge(user.id, "passkey")
    challenge = row.challenge_secret
    _consume(row)
    db.session.commit()  # used, whatever the outcome below
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge or b"",
            expected_rp_id=rp.id,
            expected_origin=rp.origins,
        )
    except _BAD_CREDENTIAL as exc:
        raise field_error("credential", "This passkey could not be checked. Try again.") from exc
    had_factors = factor_count(user.id) > 0
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=(name or "").strip() or f"Passkey added {now():%d %b %Y}",
    )
    db.session.add(passkey)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("This passkey is already added.") from exc
    codes = _codes_after_first_factor(user.id, had_factors)
    db.session.commit()
    return passkey, codes


def remove_passkey(user: User, passkey_id: uuid.UUID, password: str) -> None:
    check_password(user, password)
    passkey = db.session.scalar(
        select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user.id)
    )
    if passkey is None:
        raise NotFound("No such passkey.")
    _ensure_can_remove(user)
    db.session.delete(passkey)
    db.session.flush()
    _after_removal(user.id)
    db.session.commit()


def totp_setup(user: User, password: str) -> dict[str, str]:
    check_password(user, password)
    if db.session.scalar(select(TotpFactor.id).where(TotpFactor.user_id == user.id)):
        raise Conflict("An authenticator app is already set up. Remove it first to use another.")
    secret = rules.new_totp_secret()
    _new_challenge(user.id, "totp", totp_secret=_encrypt(secret))
    issuer = str(current_app.config.get("WEBAUTHN_RP_NAME") or "Limber")
    return {"secret": secret, "otpauth_uri": rules.totp_uri(secret, user.email, issuer)}


def totp_confirm(user: User, code: str) -> list[str]:
    row = _live_challenge(user.id, "totp")
    secret = _decrypt(row.totp_secret or "")
    step = rules.totp_step(secret, code, now(), 0) if secret else None
    if step is None:
        _count_failure(row)
        db.session.commit()
        raise field_error("code", "That code didn't work. Check the app and try again.")
    _consume(row)
    had_factors = factor_count(user.id) > 0
    db.session.add(TotpFactor(user_id=user.id, secret=row.totp_secret, last_step=step))
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("An authenticator app is already set up.") from exc
    codes = _codes_after_first_factor(user.id, had_factors)
    db.session.commit()
    return codes


def remove_totp(user: User, password: str) -> None:
    check_password(user, password)
    factor = db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))
    if factor is None:
        raise NotFound("No authenticator app is set up.")
    _ensure_can_remove(user)
    db.session.delete(factor)
    db.session.flush()
    _after_removal(user.id)
    db.session.commit()


# Sign-in: the hook in the login route, and the second step


def second_step_needed(user: User) -> bool:
    return factor_count(user.id) > 0


def _methods(user_id: uuid.UUID) -> list[str]:
    methods = []
    if relying_party() is not None and db.session.scalar(
        select(Passkey.id).where(Passkey.user_id == user_id).limit(1)
    ):
        methods.append("passkey")
    if db.session.scalar(select(TotpFactor.id).where(TotpFactor.user_id == user_id)):
        methods.append("authenticator_app")
    methods.append("recovery_code")
    return methods


def begin_sign_in(user: User, remember: bool) -> Response:
    """Password accepted: hold the sign-in until the second step, with no session yet."""
    lifetime = current_app.config["TWO_STEP_SIGN_IN_TTL"]
    # Held sign-ins older than one lifetime count for nothing any more.
    db.session.execute(
        delete(TwoStepChallenge).where(
            TwoStepChallenge.user_id == user.id,
            TwoStepChallenge.purpose == "sign_in",
            TwoStepChallenge.created_at < now() - lifetime,
        )
    )
    row = TwoStepChallenge(
        user_id=user.id,
        purpose="sign_in",
        remember=remember,
        expires_at=rules.expiry(now(), lifetime),
    )
    db.session.add(row)
    db.session.commit()
    session.clear()  # whatever session this browser had is not carried over
    session[PENDING_KEY] = str(row.id)
    response = jsonify(
        {"second_step": True, "methods": _methods(user.id), "expires_at": row.expires_at}
    )
    response.status_code = 202
    return response


def has_pending_sign_in() -> bool:
    return bool(session.get(PENDING_KEY))


_SIGN_IN_AGAIN = {
    "missing": "Sign in with your password first.",
    "expired": "That took too long. Sign in with your password again.",
    "too_many_tries": "Too many tries. Sign in with your password again.",
}


def _pending() -> TwoStepChallenge:
    row = None
    try:
        row_id = uuid.UUID(str(session.get(PENDING_KEY)))
    except ValueError:
        row_id = None
    if row_id is not None:
        row = db.session.get(TwoStepChallenge, row_id)
        if row is not None and row.purpose != "sign_in":
            row = None
    state = rules.ChallengeState(row.expires_at, row.attempts) if row else None
    problem = rules.challenge_problem(state, now())
    if row is not None and problem is None:
        return row
    if row is not None and problem == "expired":
        db.session.delete(row)
        db.session.commit()
    # A spent sign-in stays until it expires: its failures count for the account.
    session.pop(PENDING_KEY, None)
    raise SignInAgain(_SIGN_IN_AGAIN[problem or "missing"])


def _count_failure(row: TwoStepChallenge) -> None:
    db.session.execute(
        update(TwoStepChallenge)
        .where(TwoStepChallenge.id == row.id)
        .values(attempts=TwoStepChallenge.attempts + 1)
    )


def _refuse(row: TwoStepChallenge, field: str, message: str) -> NoReturn:
    _count_failure(row)
    db.session.commit()
    db.session.refresh(row)
    if row.attempts >= rules.MAX_SIGN_IN_TRIES:
        session.pop(PENDING_KEY, None)
        raise SignInAgain(_SIGN_IN_AGAIN["too_many_tries"])
    raise field_error(field, message)


def _finish(row: TwoStepChallenge) -> User:
    user = db.session.get(User, row.user_id)
    remember = row.remember
    _consume(row)
    session.pop(PENDING_KEY, None)
    if user is None:  # erased while signing in
        db.session.commit()
        raise SignInAgain(_SIGN_IN_AGAIN["missing"])
    auth_service.start_session(user, remember=remember)  # commits the consumed challenge too
    return user


def _use_totp(user_id: uuid.UUID, code: str) -> bool:
    factor = db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user_id))
    if factor is None:
        return False
    secret = _decrypt(factor.secret)
    step = rules.totp_step(secret, code, now(), factor.last_step) if secret else None
    if step is None:
        return False
    # Compare and set: of two requests racing with one code, only one moves the step on.
    result = db.session.execute(
        update(TotpFactor)
        .where(TotpFactor.id == factor.id, TotpFactor.last_step < step)
        .values(last_step=step)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _use_recovery_code(user_id: uuid.UUID, code: str) -> bool:
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == rules.recovery_code_hash(_recovery_key(), code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


class TooManyCodes(DomainError):
    status = 429


def _recent_failures(user_id: uuid.UUID) -> int:
    since = now() - current_app.config["TWO_STEP_SIGN_IN_TTL"]
    total = db.session.scalar(
        select(func.coalesce(func.sum(TwoStepChallenge.attempts), 0)).where(
            TwoStepChallenge.user_id == user_id,
            TwoStepChallenge.purpose == "sign_in",
            TwoStepChallenge.created_at > since,
        )
    )
    return int(total or 0)


def sign_in_with_code(code: str) -> User:
    row = _pending()
    if not rules.account_code_tries_left(_recent_failures(row.user_id)):
        # A passkey still works: it cannot be guessed, so the owner is not locked out.
        raise TooManyCodes(
            "Too many wrong codes for this account. Wait a few minutes, or use a passkey."
        )
    typed = rules.normalise_code(code)
    used = False
    if rules.looks_like_totp(typed):
        used = _use_totp(row.user_id, typed)
    elif rules.looks_like_recovery_code(typed):
        used = _use_recovery_code(row.user_id, typed)
    if not used:
        db.session.rollback()
        _refuse(row, "code", "That code didn't work. Check it and try again.")
    return _finish(row)


def sign_in_passkey_options() -> dict[str, Any]:
    rp = _require_rp()
    row = _pending()
    credentials = list(
        db.session.scalars(select(Passkey.credential_id).where(Passkey.user_id == row.user_id))
    )
    if not credentials:
        raise Conflict("No passkey is set up for this account. Use a code instead.")
    challenge = secrets.token_bytes(32)
    row.challenge_secret = challenge
    db.session.commit()
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=_timeout_ms(),
        allow_credentials=[PublicKeyCredentialDescriptor(id=c) for c in credentials],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return dict(json.loads(options_to_json(options)))


def sign_in_with_passkey(credential: dict[str, Any]) -> User:
    rp = _require_rp()
    row = _pending()
    challenge = row.challenge_secret
    failure = "This passkey could not be checked. Try again or use a code."
    if challenge is None:
        _refuse(row, "credential", "Ask for a passkey first.")
    expected: bytes = challenge
    # A challenge answers one try, whatever its outcome.
    taken = db.session.execute(
        update(TwoStepChallenge)
        .where(TwoStepChallenge.id == row.id, TwoStepChallenge.challenge_secret == challenge)
        .values(challenge_secret=None)
    )
    db.session.commit()
    if not taken.rowcount:  # type: ignore[attr-defined]
        _refuse(row, "credential", failure)
    try:
        raw_id = base64url_to_bytes(str(credential.get("rawId") or credential.get("id") or ""))
    except _BAD_CREDENTIAL:
        raw_id = b""
    passkey = db.session.scalar(
        select(Passkey).where(Passkey.user_id == row.user_id, Passkey.credential_id == raw_id)
    )
    if passkey is None:
        _refuse(row, "credential", failure)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=expected,
            expected_rp_id=rp.id,
            expected_origin=rp.origins,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except _BAD_CREDENTIAL:
        _refuse(row, "credential", failure)
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now()
    return _finish(row)
