"""Runner asks about a run, the practitioner sees it in context and answers, the runner
sees the badge and the reply. Message text is only ever text in the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    COACH,
    LAPTOP,
    PHONE,
    ROOT,
    log_run,
    sign_in,
    sign_up,
    unique_email,
)
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "screenshots"
HOSTILE = (
    '<img src=x onerror="window.__pwned = 1"> does this hurt? '
    "javascript:window.__pwned=2 and https://example.test/stretch?x=1."
)


def _nav(page: Page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def _no_script_ran(page: Page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    thread = page.locator(".thread")
    assert thread.locator("img").count() == 0
    hrefs = thread.locator("a").evaluate_all("els => els.map(a => [a.href, a.rel, a.target])")
    for href, rel, target in hrefs:
        assert href.startswith(("http://", "https://")), href
        assert rel == "noopener noreferrer" and target == "_blank"


def _axe_both_schemes(page: Page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    page.emulate_media(color_scheme="light")


def test_runner_asks_practitioner_answers_runner_sees_badge(new_context, base_url):
    coach = new_context(base_url, LAPTOP, bypass_csp=True).new_page()
    sign_in(coach, *COACH)
    coach.goto("/invite")
    code = coach.locator(".invite-code").inner_text().strip()

    runner = new_context(base_url, PHONE, bypass_csp=True).new_page()
    sign_up(runner, "Morgan Messenger", unique_email(), "a long test password 9", invite_code=code)
    log_run(runner, surface="Trail", workout="Hills", stiffness=6)
    runner.get_by_role("link", name="Ask your practitioner about this run").click()
    expect(runner.get_by_role("heading", name="Messages", level=1)).to_be_visible()
    expect(runner.get_by_text("About this run:")).to_be_visible()
    # The composer says where warning signs go, with the emergency advice.
    note = runner.get_by_role("note")
    expect(note.get_by_role("link", name="run log")).to_have_attribute("href", "/log")
    expect(note).to_contain_text("emergency")
    runner.get_by_label("Message to your practitioner").fill(HOSTILE)
    runner.get_by_role("button", name="Send").click()
    sent = runner.locator(".thread .msg-mine .msg-text")
    expect(sent).to_have_text(HOSTILE)
    _no_script_ran(runner)
    link = runner.locator(".thread a", has_text="https://example.test/stretch?x=1")
    expect(link).to_have_attribute("href", "https://example.test/stretch?x=1")
    _axe_both_schemes(runner)
    runner.set_viewport_size(LAPTOP)
    _axe_both_schemes(runner)
    runner.set_viewport_size(PHONE)
    # Away from the thread: an open thread would read the reply as it arrives.
    _nav(runner, "Today").click()

    # The practitioner: an unread count on the roster, the run inline on the client page.
    coach.goto("/clients")
    card = coach.locator(".client-card", has=coach.get_by_role("link", name="Morgan Messenger"))
    expect(card.get_by_text("1 unread message")).to_be_visible()
    expect(_nav(coach, re.compile("Clients")).locator(".nav-count")).to_have_text(
        re.compile(r"\d+")
    )
    coach.get_by_role("button", name=re.compile("Waiting for a reply first")).click()
    first = coach.locator(".roster > li").first
    expect(first).to_contain_text("Morgan Messenger")
    coach.get_by_role("link", name="Morgan Messenger").click()
    messages = coach.get_by_role("region", name="Messages")
    expect(messages.locator(".msg-text")).to_have_text(HOSTILE)
    expect(messages.get_by_text("About this run:")).to_be_visible()
    expect(messages.get_by_text("Stiffness after: 6/10")).to_be_visible()
    expect(messages.get_by_text(re.compile("Estimated steps: about .*an estimate"))).to_be_visible()
    _no_script_ran(coach)
    coach.get_by_label("Reply to Morgan Messenger").fill(
        "Keep going, gently.\nStop if it turns sharp."
    )
    messages.locator("summary", has_text="Suggest a routine").click()
    messages.get_by_label("Routine", exact=True).select_option(label="Hip circles")
    for day in ("Tue", "Wed", "Fri", "Sat", "Sun"):  # Mon and Thu are ticked already
        messages.locator("label", has_text=day).click()
    messages.get_by_role("button", name="Send").click()
    expect(messages.locator(".msg-mine .msg-text")).to_have_text(
        "Keep going, gently.\nStop if it turns sharp."
    )
    _axe_both_schemes(coach)
    coach.set_viewport_size(PHONE)
    _axe_both_schemes(coach)
    coach.set_viewport_size(LAPTOP)
    coach.screenshot(path=str(SHOTS / "client-messages-laptop.png"), full_page=True)

    # The runner: the badge on the tab bar, then the reply; reading it clears the badge.
    runner.goto("/")
    expect(_nav(runner, re.compile("Messages")).locator(".nav-count")).to_have_text("1")
    _nav(runner, re.compile("Messages")).click()
    reply = runner.locator(".thread .msg:not(.msg-mine)")
    expect(reply.locator(".msg-text")).to_have_text("Keep going, gently.\nStop if it turns sharp.")
    expect(runner.locator(".thread .msg-mine .msg-meta")).to_contain_text("Read")
    reply.get_by_role("button", name="Add to my routines").click()
    expect(reply.get_by_text("Added to the plan.")).to_be_visible()
    expect(_nav(runner, re.compile("Messages")).locator(".nav-count")).to_have_count(0)
    runner.screenshot(path=str(SHOTS / "messages-thread.png"), full_page=True)
    _nav(runner, "Today").click()
    expect(runner.get_by_role("heading", name="Hip circles")).to_be_visible()


def test_a_message_written_offline_is_sent_once(new_context, base_url):
    from tests.browser.conftest import api_json, wait_for_service_worker

    coach = new_context(base_url, LAPTOP).new_page()
    sign_in(coach, *COACH)
    coach.goto("/invite")
    code = coach.locator(".invite-code").inner_text().strip()
    ctx = new_context(base_url, PHONE)
    runner = ctx.new_page()
    sign_up(runner, "Oli Offline", unique_email(), "a long test password 10", invite_code=code)
    runner.goto("/messages")
    wait_for_service_worker(runner)
    runner.reload()
    expect(runner.get_by_label("Message to your practitioner")).to_be_visible()
    ctx.set_offline(True)
    runner.get_by_label("Message to your practitioner").fill("Written on the train")
    runner.get_by_role("button", name="Send").click()
    waiting = runner.locator(".thread .msg-meta", has_text="Waiting to send")
    expect(waiting).to_be_visible()
    # Read offline: the thread comes from the device's copy.
    runner.reload()
    expect(runner.get_by_text("Written on the train")).to_be_visible()
    ctx.set_offline(False)
    runner.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(waiting).to_have_count(0)
    items = api_json(runner, "/api/v1/me/messages")["items"]
    assert [m["body"] for m in items] == ["Written on the train"]
    runner.evaluate("() => window.dispatchEvent(new Event('online'))")
    runner.wait_for_load_state("networkidle")
    assert len(api_json(runner, "/api/v1/me/messages")["items"]) == 1
