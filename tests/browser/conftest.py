"""Browser tests: the real app in a subprocess, driven by Debian's Chromium.

Every test here is marked `browser`. A missing Chromium is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).absolute().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RUNNER = ("runner@demo.limber.test", "limber-demo-runner")
COACH = ("coach@demo.limber.test", "limber-demo-coach")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# A runner's screens at both sizes; the second form also switches light and dark.
RUNNER_SIZES = pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390x844", "1280x800"])
SIZES_AND_SCHEMES = pytest.mark.parametrize(
    "viewport, scheme", [(PHONE, "light"), (LAPTOP, "dark")], ids=["390x844-light", "1280x800-dark"]
)
# The practitioner works on a laptop or a tablet as often as on a phone.
TABLET = {"width": 820, "height": 1180}
PRACTITIONER_SIZES = pytest.mark.parametrize(
    "size", [PHONE, LAPTOP, TABLET], ids=["390x844", "1280x800", "820x1180"]
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


# Every live server and browser context a test opened, so a failure can say what the
# pages showed and what the servers logged, not only which wait ran out.
_SERVERS: list[LiveServer] = []
_CONTEXTS: list[BrowserContext] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed and _CONTEXTS:
        report.sections.append(("what the browser showed", _pages_state()))
        report.sections.append(("what the servers logged last", _servers_tail()))


def _pages_state() -> str:
    lines = []
    for ctx in _CONTEXTS:
        for page in ctx.pages:
            try:
                text = page.evaluate("() => document.body ? document.body.innerText : ''")
            except Exception as exc:  # a closed page is worth a line too
                text = f"(unreadable: {exc})"
            lines.append(f"--- {page.url}\n{text[:2000]}")
    return "\n".join(lines) or "(no page open)"


def _servers_tail(lines: int = 25) -> str:
    out = []
    for server in _SERVERS:
        server.log.flush()
        logged = Path(server.log.name).read_text(errors="replace").splitlines()
        out.append(f"--- {server.url}\n" + "\n".join(logged[-lines:]))
    return "\n".join(out)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`flask run` on a fresh SQLite database with built-in routines and demo accounts."""

    def __init__(
        self,
        workdir: Path,
        extra_env: dict[str, str] | None = None,
        root: Path = ROOT,
        port: int | None = None,
    ) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / 'b.db'}",
            # Tests sign in many times from one address; the limiter has its own tests.
            "RATELIMIT_ENABLED": "false",
            # Background tasks stay in this process's memory; the push key is its own.
            "JOBS_STORAGE": "memory",
            # No consumer runs beside this server, so imports are done in the request.
            "IMPORTS_RUN": "inline",
            "VAPID_KEY_FILE": str(workdir / "vapid_private.pem"),
            **(extra_env or {}),
        }
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (workdir / "server.log").open("w")
        for command in (["db", "upgrade"], ["seed"], ["demo"]):
            self._flask(command)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "backend", "run", "--port", str(self.port)],
            cwd=self.root,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()
        _SERVERS.append(self)

    def _flask(self, args: list[str]) -> None:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "backend", *args],
            cwd=self.root,
            env=self.env,
            check=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def _wait(self) -> None:
        deadline = time.monotonic() + 120  # generous: the machine may be busy
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as res:  # noqa: S310
                    if res.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app did not answer /healthz within 120 s")

    def stop(self) -> None:
        _SERVERS.remove(self)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = LiveServer(tmp_path_factory.mktemp("browser-app"))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second app with the demo accounts exactly as `make run` seeds them, for the
    first-load measurements: no other test writes to it, so what they weigh is fixed."""
    server = LiveServer(tmp_path_factory.mktemp("browser-app-seeded"))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def short_csrf_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second app whose CSRF tokens expire after 3 seconds."""
    server = LiveServer(tmp_path_factory.mktemp("browser-app-csrf"), {"WTF_CSRF_TIME_LIMIT": "3"})
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts that fail the test on a page error or a CSP violation."""
    made: list[BrowserContext] = []
    problems: list[str] = []

    def make(base: str, viewport: dict[str, int] | None = None, **kw: Any) -> BrowserContext:
        ctx = browser.new_context(base_url=base, viewport=viewport or PHONE, **kw)
        ctx.set_default_timeout(15_000)

        def watch(page: Page) -> None:
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "console",
                lambda m: problems.append(f"console: {m.text}")
                if "Content Security Policy" in m.text or "Refused to" in m.text
                else None,
            )

        ctx.on("page", watch)
        made.append(ctx)
        _CONTEXTS.append(ctx)
        return ctx

    yield make
    for ctx in made:
        _CONTEXTS.remove(ctx)
        ctx.close()
    assert not problems, problems


def unique_email(prefix: str = "runner") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.test"


def shoot(page: Page, name: str) -> None:
    """The docs' screenshot of this screen (docs/screenshots/), taken at phone size only."""
    if page.viewport_size == PHONE:
        page.screenshot(path=str(ROOT / "docs" / "screenshots" / f"{name}.png"))


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").wait_for()


def sign_in_over_api(ctx: BrowserContext, email: str, password: str) -> None:
    """Sign a context in through the API, so its first page load is the app's very first."""
    csrf = ctx.request.get("/api/v1/auth/csrf").json()["csrf_token"]
    res = ctx.request.post(
        "/api/v1/auth/login",
        data={"email": email, "password": password},
        headers={"X-CSRFToken": csrf},
    )
    assert res.ok, res.text()


def sign_up(
    page: Page,
    name: str,
    email: str,
    password: str,
    *,
    role: str = "runner",
    invite_code: str | None = None,
) -> None:
    page.goto("/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if role == "practitioner":
        page.get_by_text("A coach or therapist").click()
    if invite_code:
        page.get_by_label("Invite code (optional)").fill(invite_code)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("navigation", name="Main").wait_for()


def api_json(page: Page, path: str) -> Any:
    """GET an API path with the page's cookies (bypassing the service worker)."""
    res = page.request.get(path)
    assert res.ok, f"GET {path}: {res.status} {res.text()[:300]}"
    return json.loads(res.text())


def log_run(
    page: Page,
    *,
    distance: str = "5",
    duration: str = "30:00",
    surface: str = "Road",
    workout: str = "Easy",
    stiffness: int = 3,
    flags: tuple[str, ...] = (),
) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log run").click()
    page.get_by_label("Distance").fill(distance)
    fill_duration(page, duration)
    page.get_by_role("group", name="Surface").get_by_text(surface, exact=True).click()
    page.get_by_role("group", name="Workout").get_by_text(workout, exact=True).click()
    page.get_by_role("group", name="Stiffness").get_by_text(str(stiffness), exact=True).click()
    for flag in flags:
        page.get_by_label(flag).check()
    page.get_by_role("button", name="Save run").click()
    saved = page.get_by_role("heading", name="Run saved")
    refused = page.locator(".form-summary .notice")
    saved.or_(refused).first.wait_for()
    assert saved.is_visible(), f"the run was not saved: {refused.inner_text()}"


def sw_list(name: str) -> list[str]:
    """One of the file lists the service worker's generated block holds (PRECACHE, LATER)."""
    text = (ROOT / "frontend" / "sw.js").read_text(encoding="utf-8")
    found = re.search(rf"const {name} = (\[[^\]]*\]);", text)
    assert found, f"sw.js has no {name} list"
    return list(json.loads(found.group(1)))


def fill_duration(page: Page, text: str) -> None:
    """Types "32:15" or "1:05:30" the way a phone's number pad can: one field each."""
    parts = [p.strip() for p in text.split(":")]
    hours, minutes, seconds = {1: ["", parts[0], ""], 2: ["", *parts], 3: parts}[len(parts)]
    group = page.get_by_role("group", name="Duration")
    group.get_by_label("Hours").fill(hours)
    group.get_by_label("Minutes").fill(minutes)
    group.get_by_label("Seconds").fill(seconds)


def wait_until(page: Page, script: str, arg: Any = None, timeout_ms: float = 30_000) -> Any:
    """Polls a page function, async or not, until it returns a truthy value or the deadline
    passes. (Playwright's wait_for_function takes a returned promise as truthy at once, so
    a check that awaits the Cache API or the service worker must come here.)"""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms:.0f} ms: {script.strip()[:120]}")
        page.wait_for_timeout(200)


def wait_for_service_worker(page: Page) -> None:
    """The worker controls the page and has kept every file, so any screen opens offline
    (the first screens' files come at install, the rest once the page is idle)."""
    wait_until(
        page,
        "async () => { const r = await navigator.serviceWorker.ready; "
        "return !!r.active && !!navigator.serviceWorker.controller; }",
    )
    wait_until(
        page,
        """async (urls) => {
            const names = (await caches.keys()).filter((n) => n.startsWith("limber-shell-"));
            for (const name of names) {
                const cache = await caches.open(name);
                const found = await Promise.all(urls.map((u) => cache.match(u)));
                if (found.every(Boolean)) return true;
            }
            return false;
        }""",
        sw_list("PRECACHE") + sw_list("LATER"),
    )
