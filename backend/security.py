"""Response hardening: security headers on every response, rate limits answered as JSON."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Request
from flask_limiter.errors import RateLimitExceeded

from backend.errors import UNSAFE_METHODS, envelope

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Nothing in Limber needs these; saying so stops an injected script from asking for them.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": the CSRF check over HTTPS compares the Referer with the host.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}

# Built once: each response gets the ones its view did not set itself.
_HEADER_PAIRS = tuple((name, name.lower(), value) for name, value in SECURITY_HEADERS.items())

_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)

# Paths served without the session: the probes, and the front end's files (everything
# outside /api/). They never read the signed cookie, so it is neither checked nor sent.
_SESSIONLESS_PATHS = frozenset({"/healthz", "/readyz"})


def needs_session(path: str) -> bool:
    return path.startswith("/api/") and path not in _SESSIONLESS_PATHS


class SessionOnlyWhereUsed(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left closed on requests that cannot use it.

    A closed (null) session is never saved, so those responses carry no `Set-Cookie` and
    no `Vary: Cookie`, and the cookie's signature is not checked on the way in.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not needs_session(request.path):
            return self.make_null_session(app)
        return super().open_session(app, request)


def register_security(app: Flask) -> None:
    app.session_interface = SessionOnlyWhereUsed()
    app.after_request(_add_security_headers)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)


def _add_security_headers(response: Response) -> Response:
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    for name, lowered, value in _HEADER_PAIRS:
        if lowered not in present:
            headers.add(name, value)
    if request.endpoint and request.endpoint.startswith("api-docs."):
        response.headers["Content-Security-Policy"] = _policy_allowing_inline_scripts(response)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if request.path.startswith("/api/") and _is_personal(response):
        # Personal data must not stay in a shared cache. A response with an ETag from the
        # user's data version (backend/conditional.py) may stay in the browser's own
        # cache, revalidated on every use; anything else is not stored at all.
        if "ETag" not in response.headers or response.headers.get("Cache-Control") is None:
            response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response


def _is_personal(response: Response) -> bool:
    """The request came with a session, or the response starts one."""
    user = g.get("_login_user")  # already loaded; loading it here could fail with the database
    if user is not None and user.is_authenticated:
        return True
    cookie = current_app.config["SESSION_COOKIE_NAME"]
    return cookie in request.cookies or "Set-Cookie" in response.headers


def _policy_allowing_inline_scripts(response: Response) -> str:
    """The API explorer page boots with an inline script: allow exactly that script."""
    if response.mimetype != "text/html" or response.direct_passthrough:
        return CONTENT_SECURITY_POLICY
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(response.get_data())
    ]
    if not hashes:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' " + " ".join(hashes), 1
    )


# Rate limits. The login and registration limits sit on their views; this one counts every
# API write from one address together, so a script cannot flood the database.


def limit_only_writes(app: Flask) -> None:
    """Every limit sits on an API write: other requests skip the limiter's hook entirely
    (it would otherwise look up the view's limits on each of them, then exempt it)."""
    hooks = app.before_request_funcs.setdefault(None, [])
    for i, hook in enumerate(hooks):
        if getattr(hook, "__name__", "") == "_check_request_limit":
            hooks[i] = _writes_only(hook)


def _writes_only(check: Callable[[], Any]) -> Callable[[], None]:
    def check_writes() -> None:
        if not is_not_an_api_write():
            check()

    return check_writes


def writes_limit() -> str:
    return str(current_app.config["RATELIMIT_WRITES"])


def is_not_an_api_write() -> bool:
    return request.method not in UNSAFE_METHODS or not request.path.startswith("/api/")


def rate_limits_off() -> bool:
    # One Limiter object serves every app built in a process; each app's own switch decides.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _too_many_requests(exc: RateLimitExceeded) -> Response:
    from backend.extensions import limiter

    seconds = 60
    current = limiter.current_limit
    if current is not None:
        seconds = max(1, int(current.reset_at - time.time()))
    log.warning("rate limit %s reached on %s %s", exc.limit.limit, request.method, request.path)
    return envelope(
        429,
        f"Too many requests. Try again in {seconds} seconds.",
        None,
        {"Retry-After": str(seconds)},
    )
