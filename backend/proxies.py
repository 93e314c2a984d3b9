"""Which `X-Forwarded-*` headers to believe: only those a trusted proxy passed on.

Each proxy in the chain appends the address it saw to `X-Forwarded-For` (nginx's
`$proxy_add_x_forwarded_for`); ProxyFix then takes the entry `PROXY_FIX_X_FOR` places from
the end, which no client can forge. A request that does not come from one of
`PROXY_TRUSTED_NETWORKS` (gunicorn reached directly) has its forwarded headers dropped, so
its own address is the one every per-address limit counts.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

_FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_FORWARDED",
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """`"127.0.0.1, 10.0.0.0/8"` (or a list of such) as networks; a bad entry raises ValueError."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


def is_trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyFix:
    """ProxyFix for requests from a trusted proxy; forwarded headers removed for the rest."""

    def __init__(self, app: Any, hops: int, networks: tuple[Network, ...]) -> None:
        self.app = app
        self.networks = networks
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if is_trusted(environ.get("REMOTE_ADDR"), self.networks):
            return self.fixed(environ, start_response)
        for name in _FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)
