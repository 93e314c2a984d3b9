"""Conditional reads end to end: api.js sends If-None-Match, a 304 reuses the kept body,
the service worker revalidates its own copy, and offline reading still works.

The server is the app itself, on a database of its own (the test counts its requests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import RUNNER, LiveServer, log_run, sign_in, wait_for_service_worker

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def etag_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = LiveServer(tmp_path_factory.mktemp("browser-etag"))
    yield server.url
    server.stop()


def reads(path: str) -> Callable[[Response], bool]:
    def match(res: Response) -> bool:
        return res.request.method == "GET" and res.url.split("?")[0].endswith(path)

    return match


is_today = reads("/api/v1/today")
# Today also lists the latest runs; a new run changes that answer (not Today's plan).
is_runs = reads("/api/v1/runs")


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_an_unchanged_today_is_a_304_and_the_view_still_draws(new_context, etag_url):
    page = new_context(etag_url).new_page()
    sign_in(page, *RUNNER)
    wait_for_service_worker(page)

    # In the page: the second read of Today sends the tag and reuses the kept body.
    nav(page, "Log run")
    expect(page.get_by_role("button", name="Save run")).to_be_visible()
    with page.expect_response(is_today) as first:
        nav(page, "Today")
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    assert first.value.status in (200, 304)
    nav(page, "Progress")
    page.locator("figure.chart canvas").wait_for()
    with page.expect_response(is_today) as again:
        nav(page, "Today")
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    assert again.value.request.headers.get("if-none-match"), "no If-None-Match sent"
    assert again.value.status == 304

    # A new page has nothing in memory: the worker asks with its kept tag and answers
    # the 304 with the body it kept, as a 200.
    with page.expect_response(is_today) as reloaded:
        page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    assert not reloaded.value.request.headers.get("if-none-match")
    assert reloaded.value.status == 200
    assert reloaded.value.headers.get("x-limber-cache") == "revalidated"


def test_a_write_brings_a_fresh_today_and_offline_still_reads(new_context, etag_url):
    page = new_context(etag_url).new_page()
    sign_in(page, *RUNNER)
    wait_for_service_worker(page)
    with page.expect_response(is_today):
        page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    log_run(page, distance="7.5")
    with page.expect_response(is_runs) as after:
        nav(page, "Today")
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    assert after.value.status == 200
    assert after.value.headers.get("x-limber-cache") is None

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
    expect(page.get_by_text("Offline")).to_be_visible()
