from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf

from backend.access import access
from backend.auth import service
from backend.auth.mfa import service as two_step
from backend.auth.mfa.schemas import PendingOut
from backend.auth.models import User
from backend.auth.schemas import (
    CsrfOut,
    LoginIn,
    PasswordChangeIn,
    ProfilePatch,
    RegisterIn,
    SessionList,
    SessionStateOut,
    UserOut,
)
from backend.errors import NotFound, Unauthorized
from backend.extensions import limiter

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and sessions")
me_blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="Your own account")


def _login_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _register_limit() -> str:
    return str(current_app.config["RATELIMIT_REGISTER"])


@blp.route("/csrf")
class Csrf(MethodView):
    @access("public")
    @blp.response(200, CsrfOut)
    def get(self) -> dict[str, str]:
        """Get a CSRF token to send as X-CSRFToken on unsafe requests"""
        return {"csrf_token": generate_csrf()}


@blp.route("/register")
class Register(MethodView):
    decorators = [limiter.limit(_register_limit, methods=["POST"])]

    @access("public")
    @blp.arguments(RegisterIn)
    @blp.response(201, UserOut)
    def post(self, data: dict[str, Any]) -> User:
        """Create an account and sign in"""
        user = service.register(data)
        service.start_session(user, remember=True)
        return user


@blp.route("/login")
class Login(MethodView):
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    @access("public")
    @blp.arguments(LoginIn)
    @blp.response(200, UserOut)
    @blp.alt_response(401, description="Wrong email or password")
    @blp.alt_response(202, schema=PendingOut, description="Password right; second step needed")
    @blp.alt_response(429, description="Too many tries from this address or for this account")
    def post(self, data: dict[str, Any]) -> Any:
        """Sign in"""
        user = service.authenticate(data["email"], data["password"])
        if user is None:
            raise Unauthorized("Wrong email or password.")
        if two_step.second_step_needed(user):  # no session until the second factor
            return two_step.begin_sign_in(user, remember=data["remember"])
        service.start_session(user, remember=data["remember"])
        return user


@blp.route("/logout")
class Logout(MethodView):
    @access("user")
    @blp.response(204)
    def post(self) -> None:
        """Sign out and end this session on the server"""
        service.end_session()


@blp.route("/me")
class Me(MethodView):
    @access("user")
    @blp.response(200, UserOut)
    def get(self) -> dict[str, Any]:
        """The signed-in user"""
        return current_user


@blp.route("/session")
class SessionState(MethodView):
    @access("public")
    @blp.response(200, SessionStateOut)
    def get(self) -> dict[str, Any]:
        """Whether this browser is signed in, and as whom (200 either way, unlike /auth/me)"""
        if not current_user.is_authenticated:
            # No token for a signed-out browser: making one would start a session cookie.
            return {"signed_in": False, "user": None, "csrf_token": None}
        # The token too, so the app's first screen needs no second request for it.
        return {"signed_in": True, "user": current_user, "csrf_token": generate_csrf()}


@blp.route("/sessions")
class Sessions(MethodView):
    @access("user")
    @blp.response(200, SessionList)
    def get(self) -> dict[str, Any]:
        """Signed-in devices"""
        current = service.current_session_id()
        return {
            "items": [
                {
                    "id": s.id,
                    "device": s.device,
                    "created_at": s.created_at,
                    "last_seen_at": s.last_seen_at,
                    "current": s.id == current,
                }
                for s in service.list_sessions(current_user)
            ]
        }


@blp.route("/sessions/<uuid:session_id>")
class SessionItem(MethodView):
    @access("user")
    @blp.response(204)
    def delete(self, session_id: uuid.UUID) -> None:
        """Sign one device out"""
        if not service.revoke_session(current_user, session_id):
            raise NotFound("No such session.")


@blp.route("/password")
class Password(MethodView):
    # It checks the current password, so it gets the sign-in limit as well.
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    @access("user")
    @blp.arguments(PasswordChangeIn)
    @blp.response(204)
    def post(self, data: dict[str, str]) -> None:
        """Change password; every other device is signed out"""
        service.change_password(current_user, data["current_password"], data["new_password"])


@me_blp.route("")
class Profile(MethodView):
    @access("user")
    @me_blp.arguments(ProfilePatch)
    @me_blp.response(200, UserOut)
    def patch(self, changes: dict[str, Any]) -> User:
        """Update display name, units, body weight or time zone"""
        return service.update_profile(current_user, changes)
