"""Offline: the app opens with no network, keeps writes, and sends each exactly once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    api_json,
    log_run,
    sign_up,
    unique_email,
    wait_for_service_worker,
    wait_until,
)
from tests.browser.test_runner_flow import follow_routine, open_first_routine

pytestmark = pytest.mark.browser


def warm_up(page: Page) -> None:
    """One online visit under the service worker's control, with every routine read once."""
    wait_for_service_worker(page)
    page.reload()
    page.get_by_role("heading", name="Your routines").wait_for()
    wait_until(
        page,
        "async () => { const c = await caches.open('limber-api-v1'); "
        "const keys = await c.keys(); "
        "return keys.filter(k => /\\/api\\/v1\\/routines\\/[0-9a-f-]{36}$/.test(k.url)).length >= 1; }",
    )
    page.wait_for_load_state("networkidle")


def log_three_runs_and_a_routine(page: Page) -> None:
    for i, (surface, workout) in enumerate(
        [("Road", "Easy"), ("Trail", "Hills"), ("Track", "Tempo")]
    ):
        log_run(
            page,
            distance=f"{5 + i}",
            duration=f"{30 + i}:00",
            surface=surface,
            workout=workout,
            stiffness=2 + i,
        )
        expect(page.get_by_text("Saved on this device")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("3 waiting")
    open_first_routine(page)
    follow_routine(page)
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("4 waiting")


def assert_synced_once(page: Page) -> None:
    expect(page.locator("#outbox-count")).to_have_count(0, timeout=20_000)
    runs = api_json(page, "/api/v1/runs")["items"]
    sessions = api_json(page, "/api/v1/sessions")["items"]
    assert sorted(r["stiffness"] for r in runs) == [2, 3, 4]
    assert len(sessions) == 1
    # A second replay (a fresh start of the app) must not add anything.
    page.reload()
    page.get_by_role("navigation", name="Main").wait_for()
    page.wait_for_load_state("networkidle")
    assert len(api_json(page, "/api/v1/runs")["items"]) == 3
    assert len(api_json(page, "/api/v1/sessions")["items"]) == 1


def test_offline_writes_are_kept_and_sent_once(new_context, base_url):
    ctx = new_context(base_url)
    page = ctx.new_page()
    sign_up(page, "Offline Test", unique_email(), "a long test password 4")
    warm_up(page)

    ctx.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    log_three_runs_and_a_routine(page)

    ctx.set_offline(False)
    assert_synced_once(page)


def test_offline_writes_survive_an_expired_csrf_token(new_context, short_csrf_url):
    ctx = new_context(short_csrf_url)
    # With Background Sync the worker may replay first, with a token of its own; hide it
    # here so the page's stale token is what gets tested.
    ctx.add_init_script(
        "if (self.ServiceWorkerRegistration) Object.defineProperty("
        "ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined });"
    )
    page = ctx.new_page()
    refused: list[str] = []
    page.on(
        "response",
        lambda r: refused.append(r.url) if r.status == 400 and "/api/v1/" in r.url else None,
    )
    sign_up(page, "Csrf Test", unique_email(), "a long test password 5")
    warm_up(page)

    # The page keeps the token it fetched while online; it goes stale while offline.
    ctx.set_offline(True)
    log_three_runs_and_a_routine(page)
    page.wait_for_timeout(4_000)

    ctx.set_offline(False)
    assert_synced_once(page)
    assert refused, "expected the server to refuse the stale CSRF token at least once"
    assert all(re.search(r"/api/v1/(runs|sessions)$", u) for u in refused)
