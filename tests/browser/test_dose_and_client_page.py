"""The player follows the dose, the runner's record reads right, the client page and chart.

Each test runs at phone and laptop sizes (the practitioner's also at tablet size) and
checks axe in light and dark mode on the screens it visits. Timers run on Playwright's
controlled clock, never on sleeps.
"""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    COACH,
    PHONE,
    PRACTITIONER_SIZES,
    RUNNER_SIZES,
    log_run,
    shoot,
    sign_in,
    sign_up,
    unique_email,
)
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

# Counts beeps and buzzes instead of making them.
SOUND_SPY = """
window.__beeps = 0; window.__buzzes = 0;
navigator.vibrate = () => { window.__buzzes += 1; return true; };
class FakeAudio {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createOscillator() {
    return { frequency: {}, connect: (n) => n, start: () => { window.__beeps += 1; }, stop() {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n) => n };
  }
  close() {}
}
window.AudioContext = FakeAudio;
"""


def no_axe_violations(page: Page) -> None:
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = axe_violations(page)
        if problems:
            found[scheme] = problems
    page.emulate_media(color_scheme="light")
    assert not found, found


def count_breaths(page: Page, n: int) -> None:
    button = page.get_by_role("button", name="Count a breath")
    for _ in range(n):
        button.click()


def phase(page: Page):
    return page.locator(".phase-label")


def new_runner(new_context, base_url, size, **kw) -> Page:
    context = new_context(base_url, size, bypass_csp=True, **kw)
    context.add_init_script(SOUND_SPY)
    page = context.new_page()
    sign_up(page, "Dee Dose", unique_email(), "a long test password 18")
    # The controlled clock from here on: the routine's timers move only with run_for
    # (and with real time, which is seconds here against the minutes run_for adds).
    page.clock.install()
    page.reload()
    page.get_by_role("heading", name="Your routines").wait_for()
    return page


@RUNNER_SIZES
def test_the_player_follows_sets_sides_and_rest(new_context, base_url, size):
    page = new_runner(new_context, base_url, size)
    page.get_by_role("link", name="Start: Coregous ball breathing").click()
    # Reasons to skip come before starting, apart from the stop rules.
    skip = page.locator(".notice", has=page.get_by_role("heading", name="Skip an exercise if"))
    expect(skip).to_contain_text("You are pregnant.")
    shoot(page, "routine-intro")
    no_axe_violations(page)
    page.get_by_role("button", name="Start", exact=True).click()

    # "2 sets · 8 breaths": 8, a rest with its own timer, then 8 more.
    expect(phase(page)).to_have_text("Set 1 of 2")
    expect(page.locator(".step")).not_to_contain_text("pregnant")
    count_breaths(page, 8)
    expect(phase(page)).to_have_text("Rest before set 2 of 2")
    expect(page.get_by_role("timer")).to_have_text("0:20")
    shoot(page, "routine-rest")
    assert page.evaluate("window.__beeps") == 1 and page.evaluate("window.__buzzes") == 1
    page.clock.run_for(10_000)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^0:(10|0\d)$"))
    page.clock.run_for(10_000)
    expect(phase(page)).to_have_text("Set 2 of 2")
    count_breaths(page, 8)
    expect(phase(page)).to_have_text("Step done")

    # "8 breaths each side": left, then right. With sound off it only vibrates.
    page.get_by_role("button", name="Next").click()
    expect(phase(page)).to_have_text("Left side")
    stop = page.locator(".step .notice-warn")
    expect(stop.get_by_role("heading", name="Stop if")).to_be_visible()
    expect(stop).not_to_contain_text("pregnant")
    page.get_by_role("button", name="Sound").click()
    expect(page.get_by_role("button", name="Sound")).to_have_attribute("aria-pressed", "false")
    beeps = page.evaluate("window.__beeps")
    count_breaths(page, 8)
    expect(phase(page)).to_have_text("Right side")
    assert page.evaluate("window.__beeps") == beeps
    count_breaths(page, 8)
    expect(phase(page)).to_have_text("Step done")
    no_axe_violations(page)

    # One minute of knee rocks on the timer, then finish.
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Start timer").click()
    page.clock.run_for(60_000)
    expect(phase(page)).to_have_text("Step done")
    page.get_by_role("button", name="Finish").click()
    page.get_by_role("button", name="Mark done").click()
    # Point 5: right after finishing, today's count and what the streak needs.
    expect(page.get_by_text("1 of 3 done today")).to_be_visible()
    expect(page.get_by_text("2 routines to go today")).to_be_visible()
    shoot(page, "routine-done")
    no_axe_violations(page)
    page.get_by_role("link", name="Back to Today").click()
    expect(page.locator(".routine-card.is-done")).to_have_count(1)


@RUNNER_SIZES
def test_75_seconds_each_side_runs_left_then_right(new_context, base_url, size):
    page = new_runner(new_context, base_url, size)
    page.get_by_role("link", name="Start: Low-back release with a ball").click()
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".dose")).to_have_text("75 s · each side · rest 15 s")
    expect(phase(page)).to_have_text("Left side")
    page.get_by_role("button", name="Start timer").click()
    page.clock.run_for(75_000)
    # The right side starts by itself: nobody on the floor should need to reach the phone.
    expect(phase(page)).to_have_text("Right side")
    page.clock.run_for(30_000)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^0:(45|4[0-4]|[0-3]\d)$"))
    page.clock.run_for(45_000)
    expect(phase(page)).to_have_text("Step done")
    assert page.evaluate("window.__beeps") == 3  # one at the switch, two at the end


def brightest(page: Page, png: bytes) -> int:
    """The highest channel value among a screenshot's pixels (0-255)."""
    b64 = base64.b64encode(png).decode()
    return page.evaluate(
        """async (b64) => {
          const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
          const bmp = await createImageBitmap(blob);
          const c = new OffscreenCanvas(bmp.width, bmp.height);
          const g = c.getContext('2d');
          g.drawImage(bmp, 0, 0);
          const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
          let max = 0;
          for (let i = 0; i < d.length; i += 4) max = Math.max(max, d[i], d[i + 1], d[i + 2]);
          return max;
        }""",
        b64,
    )


@RUNNER_SIZES
def test_dark_mode_shows_the_drawings(new_context, base_url, size):
    page = new_runner(new_context, base_url, size, color_scheme="dark")
    page.get_by_role("link", name="Start: Hip circles").click()
    page.get_by_role("button", name="Start", exact=True).click()
    drawing = page.locator("img.illustration")
    expect(drawing).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.illustration').complete")
    # The background is near-black (#1f2b28); the lines must be light on it.
    assert brightest(page, drawing.screenshot()) > 200
    shoot(page, "routine-step-dark")


def join(coach: Page, runner: Page) -> None:
    coach.goto("/invite")
    code = coach.locator(".invite-code").inner_text().strip()
    runner.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    runner.get_by_label("Invite code", exact=True).fill(code)
    runner.get_by_role("button", name="Join").click()
    expect(runner.get_by_text("You share your runs and routines with")).to_be_visible()


@PRACTITIONER_SIZES
def test_one_visit_is_one_entry_and_a_revoked_client_reads_plainly(new_context, base_url, size):
    coach = new_context(base_url, size, bypass_csp=True).new_page()
    sign_in(coach, *COACH)
    runner = new_context(base_url, PHONE, bypass_csp=True).new_page()
    name = f"Vic Visit {unique_email()[7:12]}"
    sign_up(runner, name, unique_email(), "a long test password 19")
    log_run(runner, stiffness=4)
    join(coach, runner)

    coach.goto("/clients")
    coach.get_by_role("link", name=name).click()
    expect(coach.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(coach.locator("figure.chart canvas")).to_be_visible()
    coach.get_by_role("link", name="Progress report").click()
    expect(coach.locator("figure.chart canvas")).to_be_visible()

    runner.reload()
    log = runner.locator(".access-log li")
    expect(log).to_have_count(1)
    expect(log).to_contain_text("your runs")
    expect(log).to_contain_text("your progress")
    expect(log).to_contain_text("your summary in their client list")
    log.scroll_into_view_if_needed()
    shoot(runner, "settings-access-log")
    no_axe_violations(runner)

    client_page = coach.url.replace("/report", "")
    runner.once("dialog", lambda d: d.accept())
    runner.get_by_role("button", name="Stop sharing").click()
    expect(runner.get_by_role("button", name="Join")).to_be_visible()
    coach.goto(client_page)
    expect(coach.get_by_role("heading", name="No longer shared with you")).to_be_visible()
    expect(coach.get_by_text("Something went wrong")).to_have_count(0)
    shoot(coach, "client-not-shared")
    no_axe_violations(coach)


@PRACTITIONER_SIZES
def test_the_roster_searches_and_filters(new_context, base_url, size):
    coach = new_context(base_url, size, bypass_csp=True).new_page()
    sign_in(coach, *COACH)
    # Other tests leave clients who need attention; one calm client makes the filter bite.
    coach.goto("/invite")
    code = coach.locator(".invite-code").inner_text().strip()
    calm = new_context(base_url, PHONE).new_page()
    sign_up(calm, "Cal Calm", unique_email(), "a long test password 21", invite_code=code)
    log_run(calm, stiffness=1)
    coach.goto("/clients")
    cards = coach.locator(".client-card")
    cards.first.wait_for()
    total = cards.count()
    assert total >= 2
    first = cards.first.get_by_role("heading").inner_text()
    coach.get_by_label("Search clients").fill(first.split()[0].lower())
    expect(cards.first).to_contain_text(first)
    assert cards.count() < total
    coach.get_by_label("Search clients").fill("nobody by this name")
    expect(coach.get_by_text("No client matches.")).to_be_visible()
    coach.get_by_label("Search clients").fill("")
    expect(cards).to_have_count(total)
    coach.get_by_role("button", name=re.compile(r"^Needs attention")).click()
    flagged = coach.locator(".client-card.needs-attention")
    expect(cards).to_have_count(flagged.count())
    assert 0 < flagged.count() < total
    expect(coach.get_by_role("status").filter(has_text="Showing")).to_be_visible()
    shoot(coach, "clients-needing-attention")
    no_axe_violations(coach)


@PRACTITIONER_SIZES
def test_the_chart_tells_each_run_on_hover_tap_and_keys(new_context, base_url, size):
    context = new_context(base_url, size, bypass_csp=True, has_touch=size is PHONE)
    runner = context.new_page()
    sign_up(runner, "Cy Chart", unique_email(), "a long test password 20")
    log_run(runner, surface="Track", workout="Easy", stiffness=2)
    log_run(
        runner, surface="Grass", workout="Easy", stiffness=5, flags=("Pain shooting down a leg",)
    )
    runner.goto("/progress")
    plot = runner.locator(".plot")
    runner.locator("figure.chart canvas").wait_for()
    detail = runner.locator(".chart-detail")
    expect(detail).to_contain_text("Hover over a mark")

    box = runner.locator(".plot .u-over").bounding_box()
    assert box
    left = (box["x"] + 2, box["y"] + box["height"] / 2)
    if size is PHONE:
        runner.touchscreen.tap(*left)
    else:
        runner.mouse.move(*left)
    # Both runs are logged moments apart, so which one sits under the edge is not fixed.
    expect(detail).to_contain_text(re.compile(r"Easy on (track|grass)"))
    expect(detail).not_to_contain_text("Hover over a mark")

    plot.focus()
    runner.keyboard.press("Home")
    expect(detail).to_contain_text("Easy on track")
    expect(detail).to_contain_text("stiffness 2/10")
    runner.keyboard.press("ArrowRight")
    expect(detail).to_contain_text("Easy on grass")
    expect(detail).to_contain_text("warning signs: Pain shooting down a leg")

    # Every surface has a shape of its own, and red-flag runs are ringed.
    runner.get_by_role("button", name="Surface").click()
    swatches = runner.locator(".chart-legend[aria-label=Key] .swatch")
    classes = swatches.evaluate_all("els => els.map(e => e.className)")
    assert len(classes) == len(set(classes)) == 3, classes
    expect(runner.get_by_text("Red ring: a warning sign was reported")).to_be_visible()
    # A chart without questionnaire lines has no line key, and says nothing in its place.
    expect(runner.locator("figure.chart")).not_to_contain_text("null")
    runner.keyboard.press("End")
    runner.locator("figure.chart").scroll_into_view_if_needed()
    shoot(runner, "progress-chart-detail")
    no_axe_violations(runner)
