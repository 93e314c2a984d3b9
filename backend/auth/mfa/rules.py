"""The rules of two-step sign-in as plain functions (no Flask, no database)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

# Recovery codes: ten of them, ten characters each from 31 unambiguous symbols
# (no 0/o, 1/l/i), so about 49 bits per code.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_COUNT = 10
RECOVERY_LENGTH = 10
TOTP_DIGITS = 6
TOTP_PERIOD = 30
# One step either side of now: a phone clock a little off still works.
TOTP_WINDOW = 1
MAX_SIGN_IN_TRIES = 5
# Wrong codes for one account across all its held sign-ins within one sign-in lifetime:
# someone who has the password cannot restart the sign-in to get more guesses.
MAX_ACCOUNT_CODE_TRIES = 10


def derive_key(master: str | bytes, purpose: str) -> bytes:
    """A separate 32-byte key per use, so one key never serves two purposes."""
    raw = master.encode() if isinstance(master, str) else master
    return hmac.new(raw, f"limber two-step {purpose}".encode(), hashlib.sha256).digest()


def new_recovery_codes(count: int = RECOVERY_COUNT) -> list[str]:
    codes = []
    for _ in range(count):
        text = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{text[:5]}-{text[5:]}")
    return codes


def normalise_code(text: str) -> str:
    """What the person typed, without spaces, hyphens or capitals."""
    return "".join(ch for ch in text.lower() if ch not in " -\t")


def looks_like_totp(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def looks_like_recovery_code(code: str) -> bool:
    return len(code) == RECOVERY_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code)


def recovery_code_hash(key: bytes, code: str) -> str:
    """Keyed hash of a normalised recovery code: a stolen table alone cannot be checked."""
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD).provisioning_uri(
        name=account, issuer_name=issuer
    )


def totp_step(secret: str, code: str, now: datetime, last_step: int) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than `last_step`.

    A code already accepted (its step is not after `last_step`) is refused, so a code
    seen over someone's shoulder cannot be used again within its 30 seconds.
    """
    code = normalise_code(code)
    if not looks_like_totp(code):
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD)
    current = totp.timecode(now)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@dataclass(frozen=True)
class ChallengeState:
    expires_at: datetime
    attempts: int


def challenge_problem(state: ChallengeState | None, now: datetime) -> str | None:
    """Why a ceremony can no longer go on, or None while it can."""
    if state is None:
        return "missing"
    if now >= state.expires_at:
        return "expired"
    if state.attempts >= MAX_SIGN_IN_TRIES:
        return "too_many_tries"
    return None


def account_code_tries_left(recent_failures: int) -> bool:
    return recent_failures < MAX_ACCOUNT_CODE_TRIES


def expiry(now: datetime, lifetime: timedelta) -> datetime:
    return now + lifetime


def can_require(factor_count: int) -> bool:
    """Requiring two-step sign-in needs a second step to sign in with."""
    return factor_count > 0


def can_remove_factor(required: bool, factors_left_after: int) -> bool:
    """While it is required, the last factor stays (or the owner could not sign in)."""
    return not required or factors_left_after > 0
