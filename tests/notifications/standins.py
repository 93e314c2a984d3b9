"""Stand-ins for the outside world: a Web Push service and an SMTP server, both real.

The push service checks each request as a real one would (the VAPID JWT signed with
ES256 by the key in `k`, for this origin, not expired) and decrypts the body with the
subscription's private key and auth secret (RFC 8291, aes128gcm), keeping what it read.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from aiosmtpd.controller import Controller
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BrowserSubscription:
    """The keys a browser makes for one push subscription."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def json(self) -> dict[str, Any]:
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }


class PushService:
    def __init__(self, server_public_key: str) -> None:
        self.server_public_key = server_public_key
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.subscriptions: dict[str, BrowserSubscription] = {}
        self.gone: set[str] = set()
        self.received: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def subscribe(self, name: str) -> BrowserSubscription:
        sub = BrowserSubscription(f"{self.origin}/push/{name}")
        self.subscriptions[name] = sub
        return sub

    def __enter__(self) -> PushService:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def messages(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.received if m["name"] == name]

    def check(self, name: str, headers: Any, body: bytes) -> dict[str, Any]:
        """Raise ValueError unless the request is signed and encrypted correctly."""
        scheme, _, params = headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError("no VAPID authorization")
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        if parts["k"] != self.server_public_key:
            raise ValueError("signed by another key")
        signing_input, _, signature = parts["t"].rpartition(".")
        header = json.loads(unb64url(signing_input.split(".")[0]))
        claims = json.loads(unb64url(signing_input.split(".")[1]))
        if header.get("alg") != "ES256":
            raise ValueError("not ES256")
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        try:
            public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise ValueError("bad signature") from exc
        if claims.get("aud") != self.origin:
            raise ValueError(f"audience {claims.get('aud')!r}")
        if not claims.get("sub", "").startswith(("mailto:", "https:")):
            raise ValueError("no subject")
        if not time.time() < claims["exp"] <= time.time() + 24 * 3600:
            raise ValueError("expiry out of range")
        if headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in headers:
            raise ValueError("not an RFC 8291 message")
        sub = self.subscriptions[name]
        plain = http_ece.decrypt(
            body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm"
        )
        return {"name": name, "payload": json.loads(plain), "urgency": headers.get("Urgency")}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if name in service.gone or name not in service.subscriptions:
                    self.send_response(410)
                    self.end_headers()
                    return
                try:
                    message = service.check(name, self.headers, body)
                except (ValueError, KeyError) as exc:
                    service.refused.append(str(exc))
                    self.send_response(401)
                    self.end_headers()
                    return
                with service._lock:
                    service.received.append(message)
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


class MailServer:
    """A real SMTP server (aiosmtpd) that keeps what it receives; start and stop at will."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[bytes] = []
        self._controller: Controller | None = None

    def start(self) -> MailServer:
        server = self

        class Handler:
            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                server.messages.append(envelope.content)
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def wait_for(check: Any, timeout: float = 30.0, what: str = "the condition") -> Any:
    """Poll `check()` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
