"""Offline straight after the first sign-in: Today, a routine, Progress and the runs
list open with no network, without a second online visit first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, sign_up, unique_email
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_runner_flow import open_first_routine

pytestmark = pytest.mark.browser

# Set by serviceworker.js when the worker says the warm-up asked at sign-in is done.
WARMED = "html[data-warmed]"
CHART_KEPT = """async () => {
  const name = (await caches.keys()).find(n => n.startsWith('limber-shell-'));
  return !!(await (await caches.open(name)).match('/vendor/uplot.esm.js'));
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
    # No reload, no second visit, no waiting for the idle-time fetches: what sign-in
    # asked the worker to keep (the reads and the screens' files) is enough.
    page.locator(WARMED).wait_for(state="attached", timeout=30_000)

    ctx.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    expect(page.locator(".routine-list li").first).to_be_visible()
    expect(page.get_by_text("not been saved on this device")).to_have_count(0)
    assert axe_violations(page) == []

    open_first_routine(page)
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()

    nav(page, "Progress")
    expect(page.get_by_text("No runs in this period yet.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    # The chart library is kept too, for the first run to be drawn offline.
    assert page.evaluate(CHART_KEPT)
    assert axe_violations(page) == []

    nav(page, "Runs")
    expect(page.get_by_role("heading", name="Your runs", level=1)).to_be_visible()
    expect(page.get_by_text("No runs yet. Log your first one")).to_be_visible()
