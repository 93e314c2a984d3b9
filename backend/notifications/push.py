"""Web Push with VAPID (pywebpush): encrypts the payload for one subscription and posts it."""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

log = logging.getLogger(__name__)

_EXT = "limber_vapid"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_keys() -> tuple[str, str]:
    """A new VAPID pair: (private key as base64url raw, public key as base64url point)."""
    vapid = Vapid02()
    vapid.generate_keys()
    return _private_raw(vapid), public_key_of(vapid)


def _private_raw(vapid: Vapid02) -> str:
    return b64url(vapid.private_key.private_numbers().private_value.to_bytes(32, "big"))


def public_key_of(vapid: Vapid02) -> str:
    raw = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return b64url(raw)


def vapid_key(app: Any = None) -> Vapid02 | None:
    """The server's VAPID key: VAPID_PRIVATE_KEY, else the key file (made on first use
    outside production). None when neither is set: push is then off."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if _EXT in app.extensions:
        return app.extensions[_EXT]
    key = _load(app.config)
    app.extensions[_EXT] = key
    return key


def _load(config: Any) -> Vapid02 | None:
    configured = (config.get("VAPID_PRIVATE_KEY") or "").strip()
    if configured:
        if configured.startswith("-----BEGIN"):
            return Vapid02.from_pem(configured.encode())
        return Vapid02.from_raw(configured.encode())
    path_text = config.get("VAPID_KEY_FILE") or ""
    if not path_text:
        return None
    path = Path(path_text)
    if path.is_file():
        return Vapid02.from_file(str(path))
    if config.get("LIMBER_ENV") == "production":
        log.warning("no VAPID key configured: push notifications are off")
        return None
    vapid = Vapid02()
    vapid.generate_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(vapid.private_pem())
    log.info("created a VAPID key for push notifications at %s", path)
    return vapid


def public_key(app: Any = None) -> str | None:
    key = vapid_key(app)
    return public_key_of(key) if key is not None else None


def endpoint_problem(endpoint: str, allow_loopback: bool) -> str | None:
    """Why a push endpoint is refused, or None: https only (loopback http under testing)."""
    parts = urlsplit(endpoint)
    if not parts.hostname:
        return "Give the full endpoint URL."
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and allow_loopback and _is_loopback(parts.hostname):
        return None
    return "Push endpoints must use https."


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send(
    subscription: Any, payload: dict[str, Any], *, ttl: int, urgency: str, topic: str | None = None
) -> str:
    """Post one encrypted message; 'sent', or 'gone' when the service forgot the subscription.

    `topic` (RFC 8030, at most 32 URL-safe characters) lets the push service replace a
    message with the same topic it has not delivered yet: a resend replaces, not adds.
    """
    key = vapid_key()
    if key is None:
        raise RuntimeError("push is off: no VAPID key configured")
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=key,
            vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]},
            ttl=ttl,
            headers={"Urgency": urgency, **({"Topic": topic} if topic else {})},
            timeout=10,
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            return "gone"
        raise RuntimeError(f"push service answered {status}") from None
    return "sent"
