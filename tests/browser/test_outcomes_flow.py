"""Outcome questionnaires end to end, with the browser's clock controlled.

A runner who just joined answers the PSFS "two weeks ago", answers it again today, and
reads "meaningful improvement"; their practitioner sees both scores on the client page
and in the printable report. axe runs on each new screen, light and dark.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    COACH,
    LAPTOP,
    PHONE,
    api_json,
    sign_in,
    sign_up,
    unique_email,
    wait_for_service_worker,
)
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

FIRST = (("run 10 km", 3), ("hill repeats", 5), ("sit through a work meeting", 4))
LATER = (7, 9, 6)  # mean 4 → 7.33: up 3.3 points


def _answer_psfs_first_time(page: Page) -> None:
    page.get_by_role("link", name="Answer: Activities you find hard").click()
    page.get_by_role("heading", name="Activities you find hard").wait_for()
    for i, (name, rating) in enumerate(FIRST, start=1):
        page.get_by_label(f"Activity {i}", exact=True).fill(name)
        group = page.get_by_role("group", name=f"How well can you do activity {i} today?")
        group.get_by_text(str(rating), exact=True).click()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("Your score is 4.")).to_be_visible()


def _check_axe(page: Page, where: str, found: dict[str, list[str]]) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = axe_violations(page)
        if problems:
            found[f"{where} ({scheme})"] = problems
    page.emulate_media(color_scheme="light")


def test_runner_improves_on_the_psfs_and_the_practitioner_sees_it(new_context, base_url):
    problems: dict[str, list[str]] = {}
    now = datetime.now(UTC)
    coach = new_context(base_url, LAPTOP, bypass_csp=True).new_page()
    sign_in(coach, *COACH)
    coach.goto("/invite")
    code = coach.locator(".invite-code").inner_text().strip()

    runner_ctx = new_context(base_url, PHONE, bypass_csp=True)
    runner_ctx.clock.set_fixed_time(now - timedelta(days=14))
    runner = runner_ctx.new_page()
    sign_up(runner, "Pat Progress", unique_email(), "a long test password 13", invite_code=code)
    runner.goto("/")
    expect(runner.get_by_role("heading", name="How are things going?")).to_be_visible()
    _answer_psfs_first_time(runner)

    # Two weeks later the same activities come back to be rated again.
    runner_ctx.clock.set_fixed_time(now)
    runner.goto("/")
    runner.get_by_role("link", name="Answer: Activities you find hard").click()
    for (name, _), rating in zip(FIRST, LATER, strict=True):
        group = runner.get_by_role("group", name=f"How well can you do this today: {name}?")
        group.get_by_text(str(rating), exact=True).click()
    _check_axe(runner, "questionnaire follow-up", problems)
    runner.get_by_role("button", name="Save answers").click()
    expect(runner.get_by_text("Your score is 7.3.")).to_be_visible()

    runner.goto("/progress")
    outcomes = runner.get_by_role("region", name="How you are doing")
    expect(outcomes.get_by_text("meaningful improvement").first).to_be_visible()
    expect(outcomes.get_by_text("From 4 on")).to_be_visible()
    _check_axe(runner, "progress", problems)

    coach.goto("/clients")
    coach.get_by_role("link", name="Pat Progress").click()
    scores = coach.get_by_role("region", name="Questionnaire scores", exact=True)
    expect(scores.get_by_role("cell", name="4", exact=True)).to_be_visible()
    expect(scores.get_by_role("cell", name="7.3", exact=True)).to_be_visible()
    expect(scores.get_by_role("cell", name="meaningful improvement", exact=True)).to_be_visible()
    weekly = coach.get_by_role("region", name="Scores, runs and routines by week")
    expect(weekly.get_by_role("cell", name="4 (first)")).to_be_visible()
    _check_axe(coach, "client page", problems)

    coach.get_by_role("link", name="Progress report").click()
    coach.emulate_media(media="print")
    report = coach.get_by_role("region", name="Questionnaire scores", exact=True)
    expect(report.get_by_role("cell", name="4", exact=True)).to_be_visible()
    expect(report.get_by_role("cell", name="7.3", exact=True)).to_be_visible()
    coach.emulate_media(media="screen")
    _check_axe(coach, "report", problems)

    # With runs in the period, the scores are drawn on the stiffness chart's time axis.
    coach.goto("/clients")
    coach.get_by_role("link", name="Alex Moreno").click()
    lines = coach.get_by_role("list", name="Lines")
    expect(lines.get_by_text("PSFS score (0–10, higher is better)")).to_be_visible()
    expect(lines.get_by_text("NPRS score (0–10, lower is better)")).to_be_visible()
    assert not problems, problems


def test_a_questionnaire_answered_offline_is_sent_once(new_context, base_url):
    ctx = new_context(base_url)
    page = ctx.new_page()
    sign_up(page, "Offline Answers", unique_email(), "a long test password 14")
    wait_for_service_worker(page)
    page.reload()
    page.get_by_role("link", name="Answer: Activities you find hard").click()
    page.get_by_role("button", name="Save answers").wait_for()
    page.wait_for_load_state("networkidle")

    ctx.set_offline(True)
    page.reload()
    page.get_by_role("heading", name="Activities you find hard").wait_for()
    for i, (name, rating) in enumerate(FIRST, start=1):
        page.get_by_label(f"Activity {i}", exact=True).fill(name)
        group = page.get_by_role("group", name=f"How well can you do activity {i} today?")
        group.get_by_text(str(rating), exact=True).click()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1 waiting")

    ctx.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_count(0, timeout=20_000)
    (psfs,) = api_json(page, "/api/v1/me/outcomes")["instruments"]
    assert [p["score"] for p in psfs["responses"]] == [4]
    page.reload()
    page.get_by_role("navigation", name="Main").wait_for()
    page.wait_for_load_state("networkidle")
    (psfs,) = api_json(page, "/api/v1/me/outcomes")["instruments"]
    assert len(psfs["responses"]) == 1


NEW_SET = ("run a half marathon", "carry the shopping", "sit through a film")


def test_the_runner_starts_the_psfs_again_and_chooses_the_morning_triggers(new_context, base_url):
    import re

    problems: dict[str, list[str]] = {}
    now = datetime.now(UTC)
    ctx = new_context(base_url, PHONE, bypass_csp=True)
    ctx.clock.set_fixed_time(now - timedelta(days=14))
    page = ctx.new_page()
    sign_up(page, "Robin Restart", unique_email(), "a long test password 13")
    page.goto("/")
    _answer_psfs_first_time(page)

    ctx.clock.set_fixed_time(now)
    page.goto("/progress")
    outcomes = page.get_by_role("region", name="How you are doing")
    outcomes.get_by_role("button", name="Start again with new activities").click()
    expect(outcomes.get_by_text("these scores stay as their own series")).to_be_visible()

    # Today asks for the PSFS again, with the activities to be named afresh.
    page.goto("/")
    page.get_by_role("link", name="Answer: Activities you find hard").click()
    for i, name in enumerate(NEW_SET, start=1):
        page.get_by_label(f"Activity {i}", exact=True).fill(name)
        group = page.get_by_role("group", name=f"How well can you do activity {i} today?")
        group.get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Your score is 6.")).to_be_visible()

    page.goto("/progress")
    outcomes = page.get_by_role("region", name="How you are doing")
    expect(outcomes.get_by_role("heading", name=re.compile(r"activity set 1$"))).to_be_visible()
    current = outcomes.get_by_role("heading", name=re.compile(r"activity set 2 \(now\)$"))
    expect(current).to_be_visible()
    expect(
        outcomes.get_by_text("Activities: run a half marathon, carry the shopping")
    ).to_be_visible()

    # The triggers can be measured on the next-morning answers instead.
    triggers = page.get_by_role("region", name="What seems to bring it on")
    morning = triggers.get_by_role("button", name="The next morning")
    expect(morning).to_have_attribute("aria-pressed", "false")
    morning.click()
    expect(morning).to_have_attribute("aria-pressed", "true")
    expect(triggers.get_by_text("How is your back this morning?", exact=False)).to_be_visible()
    _check_axe(page, "progress with two PSFS sets and morning triggers", problems)
    assert not problems, problems


def test_the_practitioner_reads_the_morning_triggers_of_a_client(new_context, base_url):
    problems: dict[str, list[str]] = {}
    coach = new_context(base_url, LAPTOP, bypass_csp=True).new_page()
    sign_in(coach, *COACH)
    coach.goto("/clients")
    coach.get_by_role("link", name="Alex Moreno").click()
    triggers = coach.get_by_role("region", name="What seems to bring it on")
    after = triggers.get_by_role("button", name="Right after the run")
    expect(after).to_have_attribute("aria-pressed", "true")
    with coach.expect_response(lambda r: "outcome=next_morning" in r.url) as answer:
        triggers.get_by_role("button", name="The next morning").click()
    assert answer.value.status == 200
    expect(triggers.get_by_text("next-morning answers", exact=False)).to_be_visible()
    expect(triggers.get_by_role("button", name="The next morning")).to_have_attribute(
        "aria-pressed", "true"
    )
    scores = coach.get_by_role("region", name="Questionnaire scores", exact=True)
    expect(scores.get_by_role("button", name="Start again with new activities")).to_be_visible()
    _check_axe(coach, "client page with morning triggers", problems)
    assert not problems, problems
