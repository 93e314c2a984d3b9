"""The runner's own record: the runs list, a run, its edit and its deletion, online and
offline, at phone and laptop sizes, with axe in light and dark mode."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    PHONE,
    SIZES_AND_SCHEMES,
    api_json,
    fill_duration,
    log_run,
    sign_up,
    unique_email,
    wait_for_service_worker,
)
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser


def open_runs(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Runs").click()
    page.get_by_role("heading", name="Your runs", level=1).wait_for()


def no_axe_problems(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


@SIZES_AND_SCHEMES
def test_list_detail_edit_and_delete(new_context, base_url, viewport, scheme):
    ctx = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme)
    page = ctx.new_page()
    sign_up(page, "Record Keeper", unique_email(), "a long test password 18")
    log_run(page, distance="5", duration="30:00", surface="Road", stiffness=3)
    log_run(page, distance="8", duration="48:00", surface="Trail", workout="Long", stiffness=5)

    open_runs(page)
    items = page.locator(".run-item")
    expect(items).to_have_count(2)
    # Both were logged in the same minute; the order is the pagination test's business.
    expect(items.filter(has_text="5.00 km · 30:00 · Road, easy")).to_have_count(1)
    no_axe_problems(page)

    items.filter(has_text="8.00 km").get_by_role("link").click()
    page.get_by_role("heading", name=re.compile("^Run of")).wait_for()
    expect(page.get_by_text("Estimated load")).to_be_visible()
    expect(page.get_by_role("heading", name="No warning signs")).to_be_visible()
    expect(page.get_by_text("6:00 min/km")).to_be_visible()
    no_axe_problems(page)

    page.get_by_role("link", name="Edit run").click()
    page.get_by_role("heading", name="Edit run").wait_for()
    # The same form as logging, filled with the run.
    expect(page.get_by_label("Distance")).to_have_value("8")
    expect(page.get_by_role("group", name="Duration").get_by_label("Minutes")).to_have_value("48")
    page.get_by_label("Distance").fill("0")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".form-summary")
    expect(summary).to_contain_text("Some answers need a look")
    expect(summary.get_by_role("button", name="Distance")).to_be_visible()
    expect(page.get_by_text("Enter how far you ran, e.g. 5 or 5.2.")).to_have_count(1)
    no_axe_problems(page)
    page.get_by_label("Distance").fill("9")
    page.get_by_role("group", name="Stiffness").get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    runs = api_json(page, "/api/v1/runs")["items"]
    assert sorted((r["distance_km"], r["stiffness"]) for r in runs) == [(5.0, 3), (9.0, 6)]

    page.get_by_role("button", name="Delete run").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    no_axe_problems(page)
    page.get_by_role("button", name="Keep it").click()
    assert len(api_json(page, "/api/v1/runs")["items"]) == 2
    page.get_by_role("button", name="Delete run").click()
    page.get_by_role("button", name="Yes, delete it").click()
    page.get_by_role("heading", name="Your runs", level=1).wait_for()
    expect(page.get_by_text("Run deleted.")).to_be_visible()
    expect(page.locator(".run-item")).to_have_count(1)
    assert [r["distance_km"] for r in api_json(page, "/api/v1/runs")["items"]] == [5.0]


def test_the_list_pages_with_the_api_cursor(new_context, base_url):
    page = new_context(base_url, PHONE).new_page()
    sign_up(page, "Many Runs", unique_email(), "a long test password 19")
    bodies = [
        {
            "started_at": f"2026-10-{i + 1:02d}T07:00:00Z",
            "distance_km": 5 + i / 10,
            "duration_s": 1800,
            "surface": "road",
            "workout_type": "easy",
            "stiffness": 2,
        }
        for i in range(22)
    ]
    # Through the app's own api.js: its session and CSRF token.
    page.evaluate(
        "async (bodies) => { const { api } = await import('/js/api.js');"
        " for (const b of bodies) await api.post('/runs', b); }",
        bodies,
    )
    page.goto("/runs")
    expect(page.locator(".run-item")).to_have_count(20)
    expect(page.locator(".run-item").first).to_contain_text("7.10 km")
    page.get_by_role("button", name="Show older runs").click()
    expect(page.locator(".run-item")).to_have_count(22)
    expect(page.locator(".run-item").last).to_contain_text("5.00 km")
    expect(page.get_by_role("button", name="Show older runs")).to_be_hidden()


@SIZES_AND_SCHEMES
def test_offline_edit_and_delete_go_through_the_outbox_once(
    new_context, base_url, viewport, scheme
):
    ctx = new_context(base_url, viewport, color_scheme=scheme)
    page = ctx.new_page()
    sign_up(page, "Offline Record", unique_email(), "a long test password 20")
    wait_for_service_worker(page)
    log_run(page, distance="5", duration="30:00", stiffness=3)
    log_run(page, distance="6", duration="36:00", stiffness=4)
    open_runs(page)
    # Both runs and their pages are kept on the device once seen.
    for i in range(2):
        page.locator(".run-item").nth(i).get_by_role("link").click()
        page.get_by_role("heading", name=re.compile("^Run of")).wait_for()
        page.go_back()
        page.get_by_role("heading", name="Your runs", level=1).wait_for()
    page.wait_for_load_state("networkidle")
    ids = [r["id"] for r in api_json(page, "/api/v1/runs")["items"]]

    ctx.set_offline(True)
    page.reload()
    open_runs(page)
    expect(page.locator(".run-item")).to_have_count(2)
    page.locator(".run-item").first.get_by_role("link").click()
    page.get_by_role("link", name="Edit run").click()
    page.get_by_role("group", name="Stiffness").get_by_text("7", exact=True).click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved on this device")).to_be_visible()
    expect(page.get_by_text("7/10")).to_be_visible()
    # A second change while still offline: both are kept, sent in order.
    page.get_by_role("link", name="Edit run").click()
    fill_duration(page, "1:00:00")
    page.get_by_label("Distance").fill("10")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved on this device")).to_be_visible()
    page.get_by_role("link", name="All runs").click()
    page.locator(".run-item").nth(1).get_by_role("link").click()
    page.get_by_role("button", name="Delete run").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text("Deletion saved on this device")).to_be_visible()
    expect(page.locator(".run-item")).to_have_count(1)
    expect(page.locator("#outbox-count")).to_have_text("3 waiting")

    ctx.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_count(0, timeout=20_000)
    runs = api_json(page, "/api/v1/runs")["items"]
    assert [(r["id"], r["distance_km"], r["duration_s"], r["stiffness"]) for r in runs] == [
        (ids[0], 10.0, 3600, 7)
    ]
    # A replay of the same deletion (a second device, a lost answer) is not an error.
    page.evaluate(
        """async (id) => {
          const outbox = await import('/js/outbox.js');
          await outbox.enqueue('run-delete', `/runs/${id}`, undefined, (await outbox.currentUser()),
            { run_id: id }, { method: 'DELETE', id: `delete:${id}` });
          await outbox.flush();
        }""",
        ids[1],
    )
    expect(page.locator("#outbox-count")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="was not accepted")).to_have_count(0)


@SIZES_AND_SCHEMES
def test_a_refused_edit_is_shown(new_context, base_url, viewport, scheme):
    ctx = new_context(base_url, viewport, color_scheme=scheme)
    page = ctx.new_page()
    sign_up(page, "Refused Edit", unique_email(), "a long test password 21")
    log_run(page, distance="5", duration="30:00", stiffness=3)
    open_runs(page)
    page.locator(".run-item").first.get_by_role("link").click()
    page.get_by_role("link", name="Edit run").click()
    page.get_by_role("group", name="Stiffness").get_by_text("2", exact=True).click()
    ctx.route(
        re.compile(r".*/api/v1/runs/[0-9a-f-]{36}$"),
        lambda route: route.fulfill(
            status=422,
            content_type="application/json",
            body='{"code": 422, "status": "Unprocessable Entity", "message": "This run can no longer be changed."}',
        )
        if route.request.method == "PATCH"
        else route.continue_(),
    )
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".form-summary")
    expect(summary).to_have_text("The changes were not saved: This run can no longer be changed.")
    expect(page.get_by_text("This run can no longer be changed.")).to_have_count(1)
