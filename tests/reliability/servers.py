"""Real servers for the adversarial suite: gunicorn with deploy/gunicorn.conf.py, and
Debian's nginx with deploy/nginx.conf, on loopback ports only.

Loopback has all of 127.0.0.0/8, so each party gets its own address: nginx connects to
gunicorn from 127.0.0.2 (`proxy_bind`), an outer proxy from 127.0.0.3, and test clients
from whatever address they bind, which is how the proxies tell them apart.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.deploy.support import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_ADDR = "127.0.0.2"  # the address the bundled nginx uses towards gunicorn
OUTER_ADDR = "127.0.0.3"  # the address an outer TLS proxy uses towards nginx


def _wait(ready: Any, what: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {seconds} s")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
) -> Answer:
    """One HTTP request from `source` to 127.0.0.1:`port`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = dict(headers or {})
        if data is not None:
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()


def raw(port: int, request: bytes) -> bytes:
    """Send bytes as they are (a malformed request) and read the whole answer."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


class Visitor:
    """A browser at one address: keeps its session cookie and CSRF token."""

    def __init__(self, port: int, source: str, forwarded_for: str | None = None) -> None:
        self.port, self.source, self.forwarded_for = port, source, forwarded_for
        self.cookie = ""
        self.token = ""

    def send(self, method: str, path: str, body: Any = None) -> Answer:
        # Over HTTPS (the outer proxy's set-up) the CSRF check also wants a same-site Referer.
        headers = {"Referer": "https://127.0.0.1/"}
        if self.token:
            headers["X-CSRFToken"] = self.token
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        answer = call(self.port, method, path, body, headers, self.source)
        cookie = answer.headers.get("Set-Cookie", "")
        if cookie.startswith("limber_session="):
            self.cookie = cookie.split(";", 1)[0]
        return answer

    def start(self) -> Visitor:
        self.token = self.send("GET", "/api/v1/auth/csrf").json()["csrf_token"]
        return self

    def login(self, email: str, password: str) -> Answer:
        return self.send("POST", "/api/v1/auth/login", {"email": email, "password": password})


class Gunicorn:
    """gunicorn started the way the web container starts it, bound to loopback."""

    def __init__(self, database_url: str, workers: int = 1, **env: str) -> None:
        self.port = free_port()
        self.workers = workers
        self.dir = Path(tempfile.mkdtemp(prefix="limber-gunicorn-"))
        self.log = self.dir / "gunicorn.log"
        settings = {
            **os.environ,
            "LIMBER_ENV": "testing",
            "DATABASE_URL": database_url,
            "WEB_CONCURRENCY": str(workers),
            "LOG_LEVEL": "warning",
            **env,
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "--config",
                    str(ROOT / "deploy/gunicorn.conf.py"),
                    f"--bind=127.0.0.1:{self.port}",
                ],
                cwd=ROOT,
                env=settings,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait(self._healthy, "gunicorn", self.process)

    def _healthy(self) -> bool:
        """Answering, and every worker asked for has booted (one may answer before the rest)."""
        try:
            answering = call(self.port, "GET", "/healthz").status == 200
        except OSError:
            return False
        # At LOG_LEVEL=warning gunicorn logs no boots; answering is then all there is to see.
        booted = self.logged().count("Booting worker")
        return answering and (booted == 0 or booted >= self.workers)

    def logged(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)


def _site(upstream_port: int, port: int, logs: Path) -> str:
    """deploy/nginx.conf as written, pointed at loopback instead of Docker's network."""
    text = (ROOT / "deploy/nginx.conf").read_text()
    swaps = {
        "listen 80 default_server;": f"listen 127.0.0.1:{port} default_server;",
        "root /srv/limber/frontend;": f"root {ROOT / 'frontend'};",
        "access_log /dev/stdout limber_json;": f"access_log {logs / 'access.log'} limber_json;",
        "set $web http://web:8000;": f"set $web http://127.0.0.1:{upstream_port};",
        "/etc/nginx/snippets/limber-security-headers.conf": str(
            ROOT / "deploy/security-headers.conf"
        ),
        "proxy_http_version 1.1;": f"proxy_http_version 1.1;\n    proxy_bind {NGINX_ADDR};",
    }
    for old, new in swaps.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return re.sub(r"\n\s*resolver [^;]*;", "", text)


def _outer(inner_port: int, port: int) -> str:
    """A TLS-terminating proxy in front (plain HTTP here), written as such proxies are."""
    return f"""
server {{
    listen 127.0.0.1:{port};
    location / {{
        proxy_pass http://127.0.0.1:{inner_port};
        proxy_bind {OUTER_ADDR};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto https;
    }}
}}
"""


class Nginx:
    """Debian's nginx in the foreground, with the bundled site and, if asked, an outer proxy."""

    def __init__(self, upstream_port: int, outer: bool = False) -> None:
        # A port picked free can be taken by another process before nginx binds it (the
        # machine is shared): then start again on fresh ports.
        for attempt in range(3):
            try:
                self._start(upstream_port, outer)
                return
            except RuntimeError:
                if attempt == 2:
                    raise

    def _start(self, upstream_port: int, outer: bool) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="limber-nginx-"))
        self.port = free_port()
        self.outer_port = free_port() if outer else None
        while self.outer_port == self.port:
            self.outer_port = free_port()
        sites = _site(upstream_port, self.port, self.dir)
        if self.outer_port:
            sites += _outer(self.port, self.outer_port)
        (self.dir / "site.conf").write_text(sites)
        temp = "\n".join(
            f"    {kind}_temp_path {self.dir / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.dir / "nginx.conf").write_text(
            f"""
daemon off;
master_process off;
pid {self.dir / "nginx.pid"};
error_log {self.dir / "error.log"} warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
{temp}
    include {self.dir / "site.conf"};
}}
"""
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait(self._ready, "nginx", self.process, seconds=10)
        except RuntimeError:
            self.stop()
            raise

    @property
    def entry(self) -> int:
        """The port a client talks to: the outer proxy's if there is one."""
        return self.outer_port or self.port

    def _ready(self) -> bool:
        try:
            answer = call(self.entry, "GET", "/healthz")
        except (OSError, http.client.HTTPException):
            return False  # not up yet, or someone else's server on that port
        return answer.status == 200 and "X-Request-ID" in answer.headers

    def stop(self) -> None:
        if self.process.poll() is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        self.process.terminate()
        self.process.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)
