"""Invite, a runner joins, roster, client detail, assign a routine, the runner sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import COACH, LAPTOP, log_run, sign_in, sign_up, unique_email

pytestmark = pytest.mark.browser


def test_practitioner_invites_reviews_and_assigns(new_context, base_url):
    coach = new_context(base_url, LAPTOP).new_page()
    sign_in(coach, *COACH)
    expect(coach.get_by_role("heading", name="Clients", level=1)).to_be_visible()
    coach.get_by_role("navigation", name="Main").get_by_role("link", name="Invite").click()
    code = coach.locator(".invite-code").inner_text().strip()
    assert code
    link = coach.get_by_label("Invite link").input_value()
    assert code.replace(" ", "") in link  # shown in groups of four, sent without spaces

    runner = new_context(base_url).new_page()
    sign_up(runner, "Jamie Joiner", unique_email(), "a long test password 6", invite_code=code)
    for stiffness in (7, 6):
        log_run(runner, surface="Trail", workout="Hills", stiffness=stiffness)
    for stiffness in (2, 1):
        log_run(runner, surface="Road", workout="Easy", stiffness=stiffness)

    coach.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    client_link = coach.get_by_role("link", name="Jamie Joiner")
    expect(client_link).to_be_visible()
    client_link.click()
    expect(coach.get_by_role("heading", name="Jamie Joiner", level=1)).to_be_visible()
    expect(coach.locator("figure.chart canvas")).to_be_visible()
    expect(coach.get_by_role("heading", name="What seems to bring it on")).to_be_visible()
    expect(coach.get_by_role("cell", name="Hills").first).to_be_attached()

    coach.get_by_role("region", name="Assigned routines").get_by_label(
        "Routine", exact=True
    ).select_option(label="Hip circles")
    coach.get_by_role("button", name="Assign").click()
    assigned = coach.get_by_role("region", name="Assigned routines")
    expect(assigned.locator("li strong", has_text="Hip circles")).to_be_visible()

    coach.get_by_role("link", name="Progress report").click()
    expect(coach.get_by_role("heading", name="Progress report: Jamie Joiner")).to_be_visible()

    runner.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(runner.get_by_role("heading", name="Hip circles")).to_be_visible()


def test_runner_can_revoke_access(new_context, base_url):
    coach = new_context(base_url, LAPTOP).new_page()
    sign_in(coach, *COACH)
    coach.goto("/invite")
    code = coach.locator(".invite-code").inner_text().strip()

    runner = new_context(base_url).new_page()
    sign_up(runner, "Riley Revoker", unique_email(), "a long test password 7")
    runner.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    runner.get_by_label("Invite code", exact=True).fill(code)
    runner.get_by_role("button", name="Join").click()
    expect(runner.get_by_text("You share your runs and routines with")).to_be_visible()

    coach.goto("/clients")
    expect(coach.get_by_role("link", name="Riley Revoker")).to_be_visible()

    runner.once("dialog", lambda d: d.accept())
    runner.get_by_role("button", name="Stop sharing").click()
    expect(runner.get_by_role("button", name="Join")).to_be_visible()
    coach.reload()
    expect(coach.get_by_role("heading", name="Clients", level=1)).to_be_visible()
    coach.wait_for_load_state("networkidle")
    expect(coach.get_by_role("link", name="Riley Revoker")).to_have_count(0)
