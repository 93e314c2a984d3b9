"""Conditional reads end to end: api.js sends If-None-Match, a 304 reuses the kept body,
the service worker revalidates its own copy, and offline reading still works.

The server is the app with real ETags where it sends them and, for the endpoints the
contract names, a stand-in ETag otherwise (tests/browser/etag_app.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import RUNNER, LiveServer, log_run, sign_in, wait_for_service_worker

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def etag_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = LiveServer(tmp_path_factory.mktemp("browser-etag"), app="tests.browser.etag_app")
    yield server.url
    server.stop()


@dataclass
class Seen:
    status: int
    sent_tag: str | None
    cache: str | None


def watch_today(page: Page) -> list[Seen]:
    seen: list[Seen] = []

    def on_response(res: Response) -> None:
        if res.url.split("?")[0].endswith("/api/v1/today") and res.request.method == "GET":
            seen.append(
                Seen(
                    res.status,
                    res.request.headers.get("if-none-match"),
                    res.headers.get("x-limber-cache"),
                )
            )

    page.on("response", on_response)
    return seen


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_an_unchanged_today_is_a_304_and_the_view_still_draws(new_context, etag_url):
    page = new_context(etag_url).new_page()
    sign_in(page, *RUNNER)
    wait_for_service_worker(page)
    seen = watch_today(page)

    # In the page: the second read of Today sends the tag and reuses the kept body.
    nav(page, "Progress")
    page.locator("figure.chart canvas").wait_for()
    nav(page, "Today")
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    nav(page, "Log run")
    expect(page.get_by_role("button", name="Save run")).to_be_visible()
    nav(page, "Today")
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    conditional = [s for s in seen if s.sent_tag]
    assert conditional, f"no If-None-Match sent: {seen}"
    assert conditional[-1].status == 304, seen

    # A new page has nothing in memory: the worker asks with its kept tag and answers
    # the 304 with the body it kept, as a 200.
    seen.clear()
    page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    assert seen and seen[-1].status == 200 and seen[-1].cache == "revalidated", seen


def test_a_write_brings_a_fresh_today_and_offline_still_reads(new_context, etag_url):
    page = new_context(etag_url).new_page()
    sign_in(page, *RUNNER)
    wait_for_service_worker(page)
    page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    seen = watch_today(page)
    log_run(page, distance="7.5")
    nav(page, "Today")
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    assert seen and seen[-1].status == 200 and seen[-1].cache is None, seen

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    expect(page.get_by_text("Offline")).to_be_visible()
