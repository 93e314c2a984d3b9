"""What keeps a write in the outbox and what removes it (and is shown to the runner)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Route, expect

from tests.browser.conftest import api_json, fill_duration, log_run, sign_up, unique_email

pytestmark = pytest.mark.browser


def answer(status: int, message: str = ""):
    body = json.dumps({"code": status, "status": "test", "message": message})

    def handle(route: Route) -> None:
        if route.request.method == "POST":
            route.fulfill(status=status, content_type="application/json", body=body)
        else:
            route.continue_()

    return handle


def test_5xx_and_429_keep_the_write_a_refusal_removes_it_and_says_why(new_context, base_url):
    # No service worker here: the test answers for the server, request by request.
    ctx = new_context(base_url, service_workers="block")
    page = ctx.new_page()
    sign_up(page, "Outbox Rules", unique_email(), "a long test password 8")
    waiting = page.locator("#outbox-count")

    ctx.route("**/api/v1/runs", answer(503))
    log_run(page, stiffness=4)
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    expect(waiting).to_have_text("1 waiting")

    ctx.unroute("**/api/v1/runs")
    ctx.route("**/api/v1/runs", answer(429, "Too many requests"))
    with page.expect_response(lambda r: r.url.endswith("/api/v1/runs") and r.status == 429):
        waiting.click()
    expect(waiting).to_have_text("1 waiting")

    ctx.unroute("**/api/v1/runs")
    waiting.click()
    expect(waiting).to_have_count(0)
    assert [r["stiffness"] for r in api_json(page, "/api/v1/runs")["items"]] == [4]

    ctx.route("**/api/v1/runs", answer(409, "This id was already used for another run"))
    log_run_refused = page.get_by_text("The run was not saved: This id was already used")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log run").click()
    page.get_by_label("Distance").fill("5")
    fill_duration(page, "30")
    page.get_by_role("group", name="Stiffness").get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save run").click()
    expect(log_run_refused).to_be_visible()
    # Said once, on the form that still holds the answers, not again in a banner.
    expect(page.get_by_text("This id was already used")).to_have_count(1)
    expect(page.get_by_role("alert").filter(has_text="was not accepted")).to_have_count(0)
    expect(waiting).to_have_count(0)
    ctx.unroute("**/api/v1/runs")
    assert len(api_json(page, "/api/v1/runs")["items"]) == 1
