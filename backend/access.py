"""Deny by default: every view states who may call it, checked before it runs.

    @access("public")        anyone
    @access("user")          any signed-in user
    @access("runner")        signed-in runners only
    @access("practitioner")  signed-in practitioners only
    @access("second_step")   not signed in, but the password was right and a second
                             factor is awaited (the view checks that sign-in is alive)

Put it on a view function, on a MethodView class, or on one of its methods.
A view with no rule answers 403 whoever asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from flask_login import current_user

from backend.errors import envelope

RULES = ("public", "user", "runner", "practitioner", "second_step")
# Views registered by extensions rather than by Limber itself.
_EXTENSION_PUBLIC = ("api-docs.", "static")

F = TypeVar("F", bound=Callable[..., Any])


def access(rule: str) -> Callable[[F], F]:
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")

    def mark(target: F) -> F:
        target._access = rule  # type: ignore[attr-defined]
        return target

    return mark


def rule_for(view: Callable[..., Any], method: str) -> str | None:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return getattr(handler, "_access", None) or getattr(view_class, "_access", None)
    return getattr(view, "_access", None)


def _enforce() -> Any:
    if request.routing_exception is not None:
        raise request.routing_exception  # 404 or 405 before any other check
    if request.method == "OPTIONS":
        return None  # Flask answers these itself
    if request.endpoint is None or request.endpoint.startswith(_EXTENSION_PUBLIC):
        return None
    view = current_app.view_functions[request.endpoint]
    rule = rule_for(view, request.method)
    if rule is None:
        return envelope(403, "This route has no access rule.")
    if rule == "public":
        return None
    if rule == "second_step":
        from backend.auth.mfa.service import has_pending_sign_in

        if has_pending_sign_in():
            return None
        return envelope(401, "Sign in with your password first.")
    if not current_user.is_authenticated:
        return envelope(401, "Sign in first.")
    if rule in ("runner", "practitioner"):
        if current_user.role != rule:
            return envelope(403, f"Only a {rule} can do this.")
        g.side = rule  # the side of the runner-practitioner exchange this request serves
    return None


def register_access_control(app: Flask) -> None:
    app.before_request(_enforce)
