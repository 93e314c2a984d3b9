"""The next-morning check-in card on Today, and pushes shown by the service worker."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    RUNNER_SIZES,
    api_json,
    sign_up,
    unique_email,
    wait_for_service_worker,
)
from tests.browser.views import hilly_gpx

pytestmark = pytest.mark.browser


POST_JS = """async ([path, body]) => {
  const csrf = await fetch('/api/v1/auth/csrf', { credentials: 'same-origin', cache: 'no-store' });
  const token = (await csrf.json()).csrf_token;
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}"""


def post_json(page: Page, path: str, body: dict) -> dict:
    """POST from inside the page, so the request uses exactly the page's session."""
    page.wait_for_load_state("networkidle")
    res = page.evaluate(POST_JS, [path, body])
    assert 200 <= res["status"] < 300, res
    return res["body"]


def run_yesterday(page: Page) -> dict:
    zone = ZoneInfo(api_json(page, "/api/v1/auth/me")["timezone"])
    yesterday = datetime.now(zone).date() - timedelta(days=1)
    started = datetime.combine(yesterday, datetime.min.time(), tzinfo=zone) + timedelta(hours=18)
    return post_json(
        page,
        "/api/v1/runs",
        {
            "started_at": started.isoformat(),
            "distance_km": 8,
            "duration_s": 2700,
            "surface": "trail",
            "workout_type": "hills",
            "stiffness": 6,
        },
    )


def the_run(page: Page, run_id: str) -> dict:
    return api_json(page, f"/api/v1/runs/{run_id}")


def answer(page: Page, value: int) -> None:
    card = page.locator("form.morning-card")
    card.get_by_role("group", name="Stiffness this morning").get_by_text(
        str(value), exact=True
    ).click()
    card.get_by_role("button", name="Save").click()


def test_the_check_in_card_stores_the_answer_once(new_context, base_url):
    page = new_context(base_url).new_page()
    sign_up(page, "Morning Test", unique_email(), "a long test password 5")
    run = run_yesterday(page)
    page.reload()
    card = page.locator("form.morning-card")
    expect(card.get_by_role("heading", name="How is your back this morning?")).to_be_visible()
    expect(card).to_contain_text("6/10")
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_role("alert")).to_contain_text("Pick how stiff")
    assert the_run(page, run["id"])["morning_stiffness"] is None
    answer(page, 5)
    expect(card.get_by_text("Saved: 5/10 this morning.")).to_be_visible()
    expect(card).to_contain_text("Still there this morning")
    stored = the_run(page, run["id"])
    assert stored["morning_stiffness"] == 5
    page.reload()
    page.get_by_role("heading", name="Your routines").wait_for()
    page.wait_for_load_state("networkidle")
    expect(page.locator("form.morning-card")).to_have_count(0)
    assert the_run(page, run["id"])["morning_at"] == stored["morning_at"]


@RUNNER_SIZES
def test_an_imported_run_not_rated_yet_is_asked_about_without_a_score(new_context, base_url, size):
    page = new_context(base_url, size).new_page()
    sign_up(page, "Morning Import", unique_email(), "a long test password 7")
    page.goto("/settings/import")
    page.get_by_role("button", name="Import").wait_for()
    page.set_input_files("#import-files", files=[hilly_gpx(days_ago=1)])
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Done: 1 run imported")).to_be_visible(timeout=30_000)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    card = page.locator("form.morning-card")
    expect(card.get_by_role("heading", name="How is your back this morning?")).to_be_visible()
    # No after-run score to quote: the card says which run and asks, nothing more.
    expect(card).to_contain_text(re.compile(r"After yesterday's [\d.]+ km run\."))
    expect(card).not_to_contain_text("null")
    expect(card).not_to_contain_text("noted")
    answer(page, 3)
    expect(card.get_by_text("Saved: 3/10 this morning.")).to_be_visible()
    [run] = api_json(page, "/api/v1/runs")["items"]
    assert (run["stiffness"], run["morning_stiffness"]) == (None, 3)


def test_the_check_in_card_works_offline_and_is_sent_once(new_context, base_url):
    ctx = new_context(base_url)
    page = ctx.new_page()
    sign_up(page, "Offline Morning", unique_email(), "a long test password 6")
    run = run_yesterday(page)
    wait_for_service_worker(page)
    page.reload()
    expect(page.locator("form.morning-card")).to_have_count(1)
    page.wait_for_load_state("networkidle")

    ctx.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="How is your back this morning?")).to_be_visible()
    answer(page, 2)
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1 waiting")
    # Reopened offline, the answer waiting to be sent is not asked for again.
    page.reload()
    page.get_by_role("heading", name="Your routines").wait_for()
    expect(page.locator("form.morning-card")).to_have_count(0)

    ctx.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_count(0, timeout=20_000)
    stored = the_run(page, run["id"])
    assert stored["morning_stiffness"] == 2
    assert stored["morning_course"] == "passing"
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("form.morning-card")).to_have_count(0)
    assert the_run(page, run["id"])["morning_at"] == stored["morning_at"]


NOTIFICATIONS_JS = """async () => {
  const reg = await navigator.serviceWorker.ready;
  return (await reg.getNotifications()).map(n => ({
    title: n.title, body: n.body, tag: n.tag, data: n.data,
    actions: (n.actions || []).map(a => a.action),
  }));
}"""


def notifications(page: Page, count: int, deadline_s: float = 10) -> list[dict]:
    """Poll until `count` notifications are showing (or the deadline passes)."""
    end = time.monotonic() + deadline_s
    found: list[dict] = []
    while time.monotonic() < end:
        found = page.evaluate(NOTIFICATIONS_JS)
        if len(found) == count:
            return found
        page.wait_for_timeout(100)
    return found


def test_a_push_shows_a_notification_and_a_newer_one_replaces_it(new_context, base_url):
    ctx = new_context(base_url)
    ctx.grant_permissions(["notifications"], origin=base_url)
    page = ctx.new_page()
    sign_up(page, "Push Test", unique_email(), "a long test password 7")
    wait_for_service_worker(page)

    cdp = ctx.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    end = time.monotonic() + 10
    while not registrations and time.monotonic() < end:
        page.wait_for_timeout(100)
    live = [r for r in registrations if not r["isDeleted"] and r["scopeURL"].startswith(base_url)]
    assert live, registrations
    registration_id = live[0]["registrationId"]

    def push(payload: dict) -> None:
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": base_url, "registrationId": registration_id, "data": json.dumps(payload)},
        )

    push(
        {
            "title": "Time for your routine",
            "body": "Hip circles is waiting.",
            "url": "/",
            "tag": "reminder",
            "kind": "reminder",
        }
    )
    shown = notifications(page, 1)
    assert [(n["title"], n["body"], n["tag"]) for n in shown] == [
        ("Time for your routine", "Hip circles is waiting.", "reminder")
    ]
    assert shown[0]["data"]["url"] == "/"

    push(
        {
            "title": "Time for your routine",
            "body": "Two routines are waiting.",
            "url": "/",
            "tag": "reminder",
            "kind": "reminder",
        }
    )
    end = time.monotonic() + 10
    while (
        time.monotonic() < end and notifications(page, 1)[0]["body"] != "Two routines are waiting."
    ):
        page.wait_for_timeout(100)
    shown = notifications(page, 1)
    assert [n["body"] for n in shown] == ["Two routines are waiting."]

    run_id = "00000000-0000-4000-8000-000000000001"
    push(
        {
            "id": "n-1",
            "title": "How is your back this morning?",
            "body": "After yesterday's hill workout you noted 6/10.",
            "url": f"/?checkin={run_id}",
            "tag": "morning_checkin",
            "kind": "morning_checkin",
            "actions": [
                {"action": "morning:6", "title": "Same as after the run (6/10)"},
                {"action": "open", "title": "Answer 0 to 10"},
            ],
        }
    )
    shown = {n["tag"]: n for n in notifications(page, 2)}
    assert set(shown) == {"reminder", "morning_checkin"}
    checkin = shown["morning_checkin"]
    assert checkin["data"]["run_id"] == run_id
    assert checkin["data"]["url"] == f"/?checkin={run_id}"
    max_actions = page.evaluate("() => Notification.maxActions")
    if max_actions >= 11:
        assert checkin["actions"] == [f"morning:{n}" for n in range(11)]
    else:
        assert checkin["actions"] == ["morning:6", "open"][:max_actions]

    # A link to another site is never followed: the data keeps an in-app path.
    push(
        {"title": "x", "body": "y", "url": "https://evil.example/", "tag": "other", "kind": "info"}
    )
    shown = {n["tag"]: n for n in notifications(page, 3)}
    assert shown["other"]["data"]["url"] == "/"
