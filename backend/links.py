"""Absolute links to Limber, for invites, calendar feeds and notifications.

They start at PUBLIC_URL, never at the request's Host header, which anyone can set.
Without the setting, development uses the address it serves on (from the request, or the
address `make run` serves on when there is no request, as in a job) and production gives
links relative to the site.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request

DEVELOPMENT_ADDRESS = "http://127.0.0.1:5000"


def public_url() -> str:
    configured = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured or current_app.config["LIMBER_ENV"] == "production":
        return configured
    return request.host_url.rstrip("/") if has_request_context() else DEVELOPMENT_ADDRESS


def absolute(path: str) -> str:
    """`path` made absolute; a link that already is one is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return public_url() + "/" + path.lstrip("/")
