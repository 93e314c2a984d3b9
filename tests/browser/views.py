"""Walks every view of the app, for the accessibility, layout and screenshot tests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page

from tests.browser.conftest import COACH, RUNNER, log_run, sign_in


def hilly_gpx(days_ago: int = 1, hill_m: float = 20.0, name: str = "hill-run.gpx") -> dict:
    from tests.imports.files import Route, gpx

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
    data = gpx(Route(km=5, hill_m=hill_m, start=start))
    return {"name": name, "mimeType": "application/gpx+xml", "buffer": data}


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.locator("#view .loading").first.wait_for(state="detached", timeout=10_000)
    # Two animation frames: whatever the view drew last (the chart's canvas) is painted.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def anonymous_views(page: Page) -> Iterator[str]:
    page.goto("/signin")
    page.get_by_role("button", name="Sign in").wait_for()
    yield "signin"
    page.goto("/signup")
    page.get_by_role("button", name="Create account").wait_for()
    yield "signup"


def runner_views(page: Page) -> Iterator[str]:
    sign_in(page, *RUNNER)
    page.goto("/")
    page.get_by_role("heading", name="Your routines").wait_for()
    _settle(page)
    yield "today"
    routines = json.loads(page.request.get("/api/v1/routines").text())["items"]
    page.goto(f"/routines/{routines[0]['id']}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("heading", name="Step 1 of").wait_for()
    yield "routine-step"
    page.goto("/log")
    page.get_by_role("button", name="Save run").wait_for()
    yield "log-run"
    page.get_by_role("button", name="Save run").click()
    page.locator(".form-summary .notice").wait_for()
    yield "log-run-errors"
    log_run(
        page,
        distance="6",
        duration="36:00",
        surface="Trail",
        workout="Hills",
        stiffness=6,
        flags=("Pain shooting down a leg",),
    )
    yield "run-saved"
    page.get_by_role("link", name="Ask your practitioner about this run").click()
    page.get_by_label("Message to your practitioner").wait_for()
    page.get_by_text("About this run:").wait_for()
    _settle(page)
    yield "messages"
    page.goto("/progress")
    page.locator("figure.chart canvas").wait_for()
    _settle(page)
    yield "progress"
    page.goto("/runs")
    page.locator(".run-item").first.wait_for()
    _settle(page)
    yield "runs"
    page.locator(".run-item a").first.click()
    page.get_by_role("link", name="Edit run").wait_for()
    _settle(page)
    yield "run"
    page.get_by_role("link", name="Edit run").click()
    page.get_by_role("button", name="Save changes").wait_for()
    yield "run-edit"
    page.goto("/settings")
    page.get_by_role("heading", name="Signed-in devices").wait_for()
    _settle(page)
    yield "settings"
    page.goto("/settings/import")
    page.get_by_role("button", name="Import").wait_for()
    page.set_input_files("#import-files", files=[hilly_gpx()])
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Done:").wait_for()
    _settle(page)
    yield "import"
    page.goto("/")
    page.get_by_role("heading", name=re.compile("imported run")).wait_for()
    _settle(page)
    yield "today-imported"


def practitioner_views(page: Page) -> Iterator[str]:
    sign_in(page, *COACH)
    page.goto("/clients")
    page.locator(".client-card").first.wait_for()
    _settle(page)
    yield "clients"
    clients = json.loads(page.request.get("/api/v1/clients").text())["items"]
    client_id = clients[0]["id"]
    page.goto(f"/clients/{client_id}")
    page.locator("figure.chart canvas").wait_for()
    _settle(page)
    yield "client"
    page.goto(f"/clients/{client_id}/report")
    page.locator("figure.chart canvas").wait_for()
    _settle(page)
    yield "report"
    page.goto("/library")
    page.get_by_role("heading", name="Routines").wait_for()
    _settle(page)
    yield "library"
    page.get_by_role("button", name="New routine").click()
    page.get_by_role("button", name="Add a step").click()
    yield "library-new-routine"
    page.goto("/invite")
    page.locator(".invite-code").wait_for()
    yield "invite"


ALL: list[tuple[str, Callable[[Page], Iterator[str]]]] = [
    ("anonymous", anonymous_views),
    ("runner", runner_views),
    ("practitioner", practitioner_views),
]
