"""A long history: when the trigger analysis weighed only the latest runs, Progress says
from when. The API side (which runs, `triggers_from`) is tested in
tests/progress/test_long_ranges.py; here the demo runner's real answer is passed through
with `triggers_from` set, as the API sends it for a history of more than 400 rated runs."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Route, expect

from tests.browser.conftest import RUNNER, SIZES_AND_SCHEMES, sign_in

pytestmark = pytest.mark.browser


def _weighed_since(day: str):
    def handle(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["triggers_from"] = day
        route.fulfill(response=response, body=json.dumps(body))

    return handle


@SIZES_AND_SCHEMES
def test_progress_says_the_triggers_come_from_the_latest_runs(
    new_context, base_url, viewport, scheme
):
    # No service worker, so every read of progress passes the page's own route.
    ctx = new_context(base_url, viewport, color_scheme=scheme, service_workers="block")
    page = ctx.new_page()
    page.route("**/api/v1/progress?*", _weighed_since("2025-03-04"))
    sign_in(page, *RUNNER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    triggers = page.get_by_role("region", name="What seems to bring it on")
    # The date is written the browser's way: "4 March 2025" or "March 4, 2025".
    since = re.compile(r"Worked out from your latest runs, since (4 March|March 4,) 2025")
    hint = triggers.get_by_text(since)
    expect(hint).to_be_visible()
    # The next-morning switch keeps saying so.
    with page.expect_response(lambda r: "outcome=next_morning" in r.url):
        triggers.get_by_role("button", name="The next morning").click()
    expect(triggers.locator(".triggers-body")).not_to_have_attribute("aria-busy", "true")
    expect(hint).to_be_visible()
