"""Sign up, log a run, follow a routine step by step, see it in Today and Progress."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_json, log_run, sign_up, unique_email

pytestmark = pytest.mark.browser


def open_first_routine(page: Page) -> str:
    """Open a routine from Today: the first one due, or else any from the full list."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    page.get_by_role("heading", name="Your routines").wait_for()
    start = page.get_by_role("link", name=re.compile(r"^Start: "))
    page.wait_for_load_state("networkidle")
    if start.count():
        name = start.first.get_attribute("aria-label").removeprefix("Start: ")
        start.first.click()
    else:
        page.get_by_text("All routines").click()
        link = page.locator(".more-routines a").first
        name = link.inner_text()
        link.click()
    page.get_by_role("heading", level=1, name=name).wait_for()
    return name


def follow_routine(page: Page) -> None:
    page.get_by_role("button", name="Start", exact=True).click()
    for _ in range(20):
        expect(page.get_by_role("heading", name=re.compile(r"^Step \d+ of \d+"))).to_be_visible()
        finish = page.get_by_role("button", name="Finish")
        if finish.count():
            finish.click()
            break
        page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("heading", name="Routine done")).to_be_visible()


def test_runner_signs_up_logs_a_run_follows_a_routine_and_sees_progress(new_context, base_url):
    page = new_context(base_url).new_page()
    sign_up(page, "Robin Test", unique_email(), "a long test password 1")
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()

    log_run(
        page,
        distance="8",
        duration="48:00",
        surface="Trail",
        workout="Hills",
        stiffness=7,
        flags=("Pain shooting down a leg",),
    )
    expect(page.get_by_role("heading", name="Estimated load")).to_be_visible()
    expect(page.get_by_text(re.compile(r"about [\d,]+–[\d,]+"))).to_be_visible()
    expect(page.get_by_role("heading", name="Time to get it assessed")).to_be_visible()

    name = open_first_routine(page)
    follow_routine(page)
    page.get_by_role("link", name="Back to Today").click()
    page.get_by_role("heading", name="Your routines").wait_for()
    if page.get_by_role("listitem").filter(has_text=name).count():
        expect(
            page.get_by_role("listitem").filter(has_text=name).get_by_text("Done")
        ).to_be_visible()
    sessions = api_json(page, "/api/v1/sessions")["items"]
    assert len(sessions) == 1

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    chart = page.locator("figure.chart")
    expect(chart.locator("canvas")).to_be_visible()
    chart.get_by_text("Show as a table").click()
    expect(chart.get_by_role("cell", name="Hills")).to_be_visible()
    expect(chart.get_by_role("cell", name="7", exact=True)).to_be_visible()


def test_emergency_flags_show_emergency_advice_first(new_context, base_url):
    page = new_context(base_url).new_page()
    sign_up(page, "Flag Test", unique_email(), "a long test password 2")
    log_run(page, flags=("Numbness around the groin, buttocks or inner thighs",))
    advice = page.get_by_role("alert").filter(has_text="Get emergency care now")
    expect(advice).to_be_visible()
    box = advice.bounding_box()
    saved = page.get_by_role("heading", name="Run saved").bounding_box()
    assert box and saved and box["y"] < saved["y"]
    # Help comes first; no load figures and no invitation to train.
    expect(page.get_by_role("heading", name="Estimated load")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to today's routine")).to_have_count(0)


def test_units_follow_settings(new_context, base_url):
    page = new_context(base_url).new_page()
    sign_up(page, "Miles Test", unique_email(), "a long test password 3")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_text("Miles, lb").click()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.get_by_role("radio", name="Miles, lb")).to_be_checked()
    log_run(page, distance="3.1")
    run = api_json(page, "/api/v1/runs")["items"][0]
    assert run["distance_km"] == pytest.approx(4.989, abs=0.01)
