from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask.views import MethodView
from flask_login import current_user, logout_user
from flask_smorest import Blueprint

from backend.access import access
from backend.extensions import limiter
from backend.privacy import service
from backend.privacy.schemas import AccountDeleteIn, ExportOut

blp = Blueprint(
    "privacy", __name__, url_prefix="/api/v1/me", description="Your data: export and erasure"
)


def _password_limit() -> str:
    # Erasure checks a password, so it gets the same brake as signing in.
    return str(current_app.config["RATELIMIT_LOGIN"])


@blp.route("/export")
class Export(MethodView):
    @access("user")
    @blp.response(200, ExportOut)
    def get(self) -> Any:
        """Download everything Limber holds about you, as JSON"""
        name = f"limber-export-{current_user.id}.json"
        headers = {
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        }
        return service.export(current_user), 200, headers


@blp.route("")
class Account(MethodView):
    decorators = [limiter.limit(_password_limit, methods=["DELETE"])]

    @access("user")
    @blp.arguments(AccountDeleteIn)
    @blp.response(204)
    def delete(self, data: dict[str, str]) -> None:
        """Erase your account and everything about you; every device is signed out"""
        service.check_password(current_user, data["password"])
        service.erase(current_user)
        logout_user()
        session.clear()
