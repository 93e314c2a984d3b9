"""Accounts and server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError

from backend.auth import brake, passwords
from backend.auth.models import AuthSession, LoginBrake, User
from backend.auth.signals import login_brake_engaged
from backend.consent import announce, join_with_code
from backend.db import utcnow
from backend.errors import Conflict, TooManyAttempts, Unprocessable, field_error
from backend.extensions import db

SESSION_KEY = "sid"
# Writing last_seen on every request would turn each read into a write.
_LAST_SEEN_EVERY = timedelta(minutes=5)


def hasher() -> PasswordHasher:
    cached = current_app.extensions.get("limber_hasher")
    if cached is None:
        cfg = current_app.config
        cached = passwords.make_hasher(
            cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"]
        )
        current_app.extensions["limber_hasher"] = cached
    return cached


def _dummy_hash() -> str:
    cached = current_app.extensions.get("limber_dummy_hash")
    if cached is None:
        cached = hasher().hash(secrets.token_urlsafe(16))
        current_app.extensions["limber_dummy_hash"] = cached
    return cached


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_policy(password: str, email: str, field: str = "password") -> None:
    problems = passwords.password_problems(password, email)
    if problems:
        raise field_error(field, problems)


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def register(data: dict[str, Any]) -> User:
    email = normalise_email(data["email"])
    check_password_policy(data["password"], email)
    user = User(
        email=email,
        password_hash=hasher().hash(data["password"]),
        display_name=data["display_name"].strip(),
        role=data["role"],
        units=data.get("units") or "metric",
        timezone=data.get("timezone") or "UTC",
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("An account with this email already exists.") from exc
    consent = None
    if data.get("invite_code"):
        if user.role != "runner":
            db.session.rollback()
            raise field_error("invite_code", "Only runners join a practitioner.")
        try:
            consent, _ = join_with_code(user, data["invite_code"], commit=False)
        except Unprocessable:
            db.session.rollback()
            raise
    db.session.commit()
    if consent is not None:
        announce(consent)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None. Same work whether or not the email exists."""
    hold_back(email)
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        passwords.verify(hasher(), _dummy_hash(), password)
        count_failure(email)
        return None
    if not passwords.verify(hasher(), user.password_hash, password):
        count_failure(email, user)
        return None
    forget_failures(email)
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
        db.session.commit()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, remember: bool) -> AuthSession:
    token = secrets.token_urlsafe(32)
    record = AuthSession(
        user_id=user.id,
        token_hash=_token_hash(token),
        device=(request.user_agent.string or "unknown device")[:200],
    )
    db.session.add(record)
    db.session.commit()
    session.clear()
    session[SESSION_KEY] = token
    session.permanent = remember
    login_user(user, remember=False)
    g.auth_session = record
    return record


def end_session() -> None:
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(AuthSession).where(AuthSession.token_hash == _token_hash(token)))
        db.session.commit()
    logout_user()
    session.clear()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user only while the session record is alive."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    try:
        uid = uuid.UUID(user_id)
    except ValueError:
        return None
    row = db.session.execute(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == _token_hash(token), User.id == uid)
    ).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    if not session_alive(record, now):
        db.session.delete(record)
        db.session.commit()
        return None
    if now - record.last_seen_at > _LAST_SEEN_EVERY:
        record.last_seen_at = now
        db.session.commit()
    g.auth_session = record
    return user


def session_alive(record: AuthSession, now: datetime) -> bool:
    cfg = current_app.config
    return (
        now - record.created_at < cfg["AUTH_SESSION_ABSOLUTE"]
        and now - record.last_seen_at < cfg["AUTH_SESSION_IDLE"]
    )


def current_session_id() -> uuid.UUID | None:
    record = g.get("auth_session")
    return record.id if record is not None else None


def list_sessions(user: User) -> list[AuthSession]:
    return list(
        db.session.scalars(
            select(AuthSession)
            .where(AuthSession.user_id == user.id)
            .order_by(AuthSession.last_seen_at.desc())
        )
    )


def revoke_session(user: User, session_id: uuid.UUID) -> bool:
    result = db.session.execute(
        delete(AuthSession).where(AuthSession.id == session_id, AuthSession.user_id == user.id)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def change_password(user: User, current_password: str, new_password: str) -> None:
    # The same brake as signing in: a stolen session must not guess faster than a login.
    hold_back(user.email)
    if not passwords.verify(hasher(), user.password_hash, current_password):
        count_failure(user.email, user)
        raise field_error("current_password", "This is not your password.")
    forget_failures(user.email)
    check_password_policy(new_password, user.email, field="new_password")
    user.password_hash = hasher().hash(new_password)
    keep = g.get("auth_session")
    stmt = delete(AuthSession).where(AuthSession.user_id == user.id)
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep.id)
        # This device stays signed in, under a new token: one copied before is worthless.
        token = secrets.token_urlsafe(32)
        keep.token_hash = _token_hash(token)
        session[SESSION_KEY] = token
    db.session.execute(stmt)
    db.session.commit()


def update_profile(user: User, changes: dict[str, Any]) -> User:
    for key, value in changes.items():
        setattr(user, key, value.strip() if key == "display_name" else value)
    db.session.commit()
    return user


# The per-account sign-in brake (backend/auth/brake.py has the rule). Counted per email
# address whether or not an account has it, so the answers tell nothing about accounts.


def _brake_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def hold_back(email: str) -> None:
    """Refuse the try (429) while this address is braked."""
    blocked_until = db.session.scalar(
        select(LoginBrake.blocked_until).where(LoginBrake.key_hash == _brake_key(email))
    )
    now = utcnow()
    if blocked_until is not None and blocked_until > now:
        seconds = max(1, int((blocked_until - now).total_seconds() + 0.999))
        raise TooManyAttempts(
            f"Too many wrong passwords for this account. Try again in {seconds} seconds.",
            seconds,
        )


def count_failure(email: str, user: User | None = None) -> None:
    """One more wrong password for this address; brakes it once it has had enough."""
    cfg = current_app.config
    key, now = _brake_key(email), utcnow()
    stale = LoginBrake.last_failed_at < now - brake.FORGET_AFTER
    bump = (
        update(LoginBrake)
        .where(LoginBrake.key_hash == key)
        .values(
            failures=case((stale, 1), else_=LoginBrake.failures + 1),
            last_failed_at=now,
        )
        .returning(LoginBrake.failures)
    )
    failures = db.session.scalar(bump)
    if failures is None:
        try:
            with db.session.begin_nested():
                db.session.add(LoginBrake(key_hash=key, failures=1, last_failed_at=now))
            failures = 1
        except IntegrityError:  # a parallel try made the row first
            failures = db.session.scalar(bump) or 1
    wait = brake.wait_seconds(failures, cfg["LOGIN_BRAKE_FREE"], cfg["LOGIN_BRAKE_MAX_S"])
    if wait:
        db.session.execute(
            update(LoginBrake)
            .where(LoginBrake.key_hash == key)
            .values(blocked_until=now + timedelta(seconds=wait))
        )
    db.session.commit()
    if user is not None and brake.should_tell_owner(failures, cfg["LOGIN_BRAKE_FREE"]):
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        login_brake_engaged.send(app, user=user, failures=failures)


def forget_failures(email: str) -> None:
    """A right password clears the count (committed with the rest of the sign-in)."""
    db.session.execute(delete(LoginBrake).where(LoginBrake.key_hash == _brake_key(email)))
