"""The emergency, urgent and other advice screens, on a phone and a laptop, light and dark."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import fill_duration, log_run, sign_up, unique_email
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots" / "warnings"
SAFETY_NET = "Get emergency care at once if numbness reaches the groin"
SIZES = [(PHONE, "light"), (LAPTOP, "light"), (PHONE, "dark"), (LAPTOP, "dark")]
IDS = ["390x844", "1280x800", "390x844-dark", "1280x800-dark"]


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("viewport", "scheme"), SIZES, ids=IDS)
def test_the_emergency_screen_puts_the_call_first(new_context, base_url, viewport, scheme):
    context = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme, locale="en-GB")
    page = context.new_page()
    sign_up(page, "Emma Gency", unique_email(), "a long test password 3")
    log_run(page, flags=("Numbness around the groin, buttocks or inner thighs",))
    call = page.get_by_role("link", name="Call 999")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:999"
    # The call is on screen without scrolling, above everything else of the result.
    box = call.bounding_box()
    assert box and box["y"] + box["height"] <= viewport["height"]
    expect(page.get_by_role("heading", name="Estimated load")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to today's routine")).to_have_count(0)
    expect(page.get_by_role("link", name="Log another run")).to_have_count(0)
    shot(page, f"emergency-{'-'.join(map(str, viewport.values()))}-{scheme}")
    assert axe_violations(page) == []


def test_without_a_known_region_it_says_your_local_emergency_number(new_context, base_url):
    page = new_context(base_url, PHONE, locale="en").new_page()
    sign_up(page, "No Region", unique_email(), "a long test password 4")
    log_run(page, flags=("Numbness, tingling or weakness in both legs (not muscle soreness)",))
    expect(page.get_by_text("Call your local emergency number now.")).to_be_visible()
    expect(page.locator("a[href^='tel:']")).to_have_count(0)


@pytest.mark.parametrize(("viewport", "scheme"), SIZES, ids=IDS)
def test_the_urgent_screen_does_not_invite_training(new_context, base_url, viewport, scheme):
    context = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme, locale="en-US")
    page = context.new_page()
    sign_up(page, "Ursula Gent", unique_email(), "a long test password 5")
    log_run(page, flags=("Leg weakness that is getting worse (a foot that drags or catches)",))
    card = page.get_by_role("status").filter(has_text="See a doctor today or tomorrow")
    expect(card).to_be_visible()
    expect(card).to_contain_text(SAFETY_NET)
    expect(card.get_by_role("link", name="call 911")).to_be_visible()
    expect(page.get_by_role("heading", name="Estimated load")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to today's routine")).to_have_count(0)
    expect(page.get_by_role("link", name="Log another run")).to_have_count(0)
    shot(page, f"urgent-{'-'.join(map(str, viewport.values()))}-{scheme}")
    assert axe_violations(page) == []


@pytest.mark.parametrize(("viewport", "scheme"), SIZES, ids=IDS)
def test_see_a_professional_and_none_carry_their_safety_net(
    new_context, base_url, viewport, scheme
):
    page = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme).new_page()
    sign_up(page, "Sam Soon", unique_email(), "a long test password 6")
    log_run(page, flags=("Sharp pain (not just tightness)",))
    expect(page.get_by_role("status").filter(has_text="Time to get it assessed")).to_contain_text(
        SAFETY_NET
    )
    expect(page.get_by_text("does not diagnose and is not medical advice")).to_have_count(1)
    shot(page, f"see-professional-{'-'.join(map(str, viewport.values()))}-{scheme}")
    assert axe_violations(page) == []
    log_run(page)
    expect(page.get_by_text(re.compile("has not settled in a few days"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Load through your low back"))).to_have_count(0)
    expect(page.get_by_text("Impact per step")).to_be_visible()
    shot(page, f"none-{'-'.join(map(str, viewport.values()))}-{scheme}")
    assert axe_violations(page) == []


def test_the_form_refuses_an_impossible_pace_before_sending(new_context, base_url):
    page = new_context(base_url, PHONE).new_page()
    sign_up(page, "Pace Check", unique_email(), "a long test password 7")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log run").click()
    page.get_by_label("Distance").fill("20")
    fill_duration(page, "20:00")
    page.get_by_role("group", name="Surface").get_by_text("Road", exact=True).click()
    page.get_by_role("group", name="Workout").get_by_text("Easy", exact=True).click()
    page.get_by_role("group", name="Stiffness").get_by_text("3", exact=True).click()
    page.get_by_role("button", name="Save run").click()
    expect(page.get_by_text(re.compile(r"That is a pace of 1:00 min/km"))).to_be_visible()
    expect(page.get_by_role("heading", name="Run saved")).to_have_count(0)


def test_a_runner_east_of_utc_sees_today_s_run_in_progress(new_context, base_url):
    # At 12:00 UTC it is already tomorrow in Kiritimati (UTC+14).
    noon_utc = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    context = new_context(base_url, PHONE, timezone_id="Pacific/Kiritimati")
    page = context.new_page()
    page.clock.set_fixed_time(noon_utc)
    sign_up(page, "East Runner", unique_email(), "a long test password 8")
    me = page.request.get("/api/v1/auth/me").json()
    assert me["timezone"] == "Pacific/Kiritimati"
    log_run(page, distance="6", stiffness=4)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    chart = page.locator("figure.chart")
    chart.get_by_text("Show as a table").click()
    expect(chart.get_by_role("cell", name="4", exact=True)).to_be_visible()
