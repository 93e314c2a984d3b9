from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask

from backend.jobs import huey


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def browser_keys() -> tuple[ec.EllipticCurvePrivateKey, dict[str, str]]:
    """A subscription's key pair and auth secret, as a browser would make them."""
    import os

    private = ec.generate_private_key(ec.SECP256R1())
    point = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return private, {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}


def subscription(endpoint: str = "https://push.example.test/send/abc123") -> dict[str, Any]:
    _, keys = browser_keys()
    return {"endpoint": endpoint, "expirationTime": None, "keys": keys}


@pytest.fixture
def immediate_jobs(app: Flask, tmp_path: Any) -> Iterator[Any]:
    """Tasks run as they are queued, in the caller's thread; mail goes to a folder."""
    mail = tmp_path / "mail"
    old = app.config["MAIL_DIR"]
    app.config["MAIL_DIR"] = str(mail)
    huey.immediate = True
    try:
        yield mail
    finally:
        huey.immediate = False
        app.config["MAIL_DIR"] = old


@pytest.fixture
def linked(runner_api: Any, practitioner_api: Any) -> None:
    """The `runner` consents to the `practitioner`."""
    from tests.practice.support import link

    link(runner_api, practitioner_api)
