"""Offline straight after the first sign-in: Today, a routine, Progress and the runs
list open with no network, without a second online visit first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, sign_up, unique_email, wait_for_service_worker
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_runner_flow import open_first_routine

pytestmark = pytest.mark.browser

WARMED = """async () => {
  const api = await caches.open('limber-api-v1');
  const urls = (await api.keys()).map(k => new URL(k.url).pathname + new URL(k.url).search);
  const names = await caches.keys();
  const shell = await caches.open(names.find(n => n.startsWith('limber-shell-')));
  return urls.some(u => u.startsWith('/api/v1/today?')) &&
    urls.some(u => u.startsWith('/api/v1/progress?')) &&
    urls.some(u => /^\\/api\\/v1\\/routines\\/[0-9a-f-]{36}$/.test(u)) &&
    !!(await shell.match('/vendor/uplot.esm.js'));
}"""


KEYS = """async () => {
  const api = await caches.open('limber-api-v1');
  return JSON.stringify({keys: (await api.keys()).map(k => k.url), names: await caches.keys(),
    user: localStorage.length, tz: Intl.DateTimeFormat().resolvedOptions().timeZone, now: new Date().toString()});
}"""


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


@pytest.mark.parametrize(
    "viewport, scheme", [(PHONE, "light"), (LAPTOP, "dark")], ids=["390x844-light", "1280x800-dark"]
)
def test_the_first_screens_open_offline_right_after_signing_up(
    new_context, base_url, viewport, scheme
):
    ctx = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme)
    page = ctx.new_page()
    sign_up(page, "First Visit", unique_email(), "a long test password 22")
    wait_for_service_worker(page)
    # No reload, no second visit: what sign-in asked the worker to keep is enough.
    page.wait_for_function(WARMED, polling=200, timeout=20_000)

    ctx.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    try:
        expect(page.locator(".routine-list li").first).to_be_visible()
    except AssertionError:
        print(page.evaluate(KEYS))
        raise
    expect(page.get_by_text("not been saved on this device")).to_have_count(0)
    assert axe_violations(page) == []

    try:
        open_first_routine(page)
    except Exception:
        page.screenshot(path="/tmp/rec18/fail.png")
        print(page.locator("#view").inner_html()[:3000])
        raise
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()

    nav(page, "Progress")
    expect(page.locator("figure.chart canvas")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert axe_violations(page) == []

    nav(page, "Runs")
    expect(page.get_by_text("No runs yet")).to_be_visible()
