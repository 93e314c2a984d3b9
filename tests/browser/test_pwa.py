"""Installability, first-load weight, service worker shell and precache list."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ROOT,
    RUNNER,
    sign_in_over_api,
    wait_for_service_worker,
)

pytestmark = pytest.mark.browser

BUDGET = 60 * 1024


def test_installability_errors_are_empty(playwright, base_url, tmp_path):
    ctx = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        base_url=base_url,
        viewport=PHONE,
    )
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto("/signin")
        wait_for_service_worker(page)
        cdp = ctx.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest.get("errors") == []
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
    finally:
        ctx.close()


def test_first_load_of_today_is_at_most_60_kb(browser, seeded_url, record_property):
    ctx = browser.new_context(base_url=seeded_url, viewport=PHONE)
    try:
        sign_in_over_api(ctx, *RUNNER)
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        urls: dict[str, str] = {}
        encodings: dict[str, str] = {}
        sizes: dict[str, int] = {}

        def on_response(e):
            urls[e["requestId"]] = e["response"]["url"]
            headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
            encodings[e["requestId"]] = headers.get("content-encoding", "")

        cdp.on("Network.responseReceived", on_response)
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        page.goto("/")
        expect(page.get_by_role("heading", name="Your routines")).to_be_visible()
        page.wait_for_load_state("networkidle")
        total = sum(sizes.values())
        loaded = sorted(urls.values())
        record_property("first_load_bytes", total)
        print(
            f"\nfirst load of Today: {total} bytes ({total / 1024:.1f} KB) in {len(sizes)} responses"
        )
        for k, u in sorted(urls.items(), key=lambda kv: kv[1]):
            print(f"  {sizes.get(k, 0):>7} {encodings.get(k) or '-':>5} {u}")
        assert not any("uplot" in u for u in loaded), loaded
        static = [k for k, u in urls.items() if u.endswith((".js", ".css"))]
        compressed = {"gzip", "br", "zstd", "deflate"}
        assert static and all(encodings.get(k) in compressed for k in static), (
            "JS and CSS should be compressed"
        )
        assert total <= BUDGET, f"{total} bytes: {loaded}"
    finally:
        ctx.close()


def test_the_app_shell_opens_offline_on_any_route(new_context, base_url):
    from tests.browser.conftest import sign_in

    ctx = new_context(base_url)
    page = ctx.new_page()
    sign_in(page, *RUNNER)
    wait_for_service_worker(page)
    page.goto("/progress")
    page.locator("figure.chart canvas").wait_for()
    ctx.set_offline(True)
    page.goto("/log")
    expect(page.get_by_role("button", name="Save run")).to_be_visible()
    expect(page.get_by_text("Offline")).to_be_visible()
    page.goto("/progress")
    expect(page.locator("figure.chart canvas")).to_be_visible()


def test_auth_responses_are_never_cached(new_context, base_url):
    from tests.browser.conftest import sign_in

    page = new_context(base_url).new_page()
    sign_in(page, *RUNNER)
    wait_for_service_worker(page)
    page.reload()
    page.get_by_role("heading", name="Your routines").wait_for()
    page.wait_for_load_state("networkidle")
    cached = page.evaluate(
        "async () => { const c = await caches.open('limber-api-v1'); "
        "return (await c.keys()).map(k => new URL(k.url).pathname); }"
    )
    assert cached, "API reads should be cached for offline use"
    assert not [p for p in cached if p.startswith("/api/v1/auth/")]


def test_precache_list_is_current():
    node = shutil.which("node")
    assert node, "node is needed to check frontend/sw.js"
    out = subprocess.run(
        [node, "frontend/tools/precache.mjs", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_a_new_version_waits_for_the_user_then_takes_over(new_context, tmp_path):
    from tests.browser.conftest import LiveServer, sign_in

    # A private copy of the app, so the test can ship a "new version" of sw.js.
    root = tmp_path / "app"
    for part in ("backend", "migrations", "frontend"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    server = LiveServer(tmp_path, root=root)
    try:
        ctx = new_context(server.url)
        page = ctx.new_page()
        sign_in(page, *RUNNER)
        wait_for_service_worker(page)
        sw = root / "frontend" / "sw.js"
        sw.write_text(sw.read_text(encoding="utf-8") + "\n// the next version\n", encoding="utf-8")
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        expect(page.get_by_text("A new version of Limber is ready.")).to_be_visible()
        # Until the user says so, the page keeps the worker it started with.
        assert page.evaluate(
            "async () => !!(await navigator.serviceWorker.getRegistration()).waiting"
        )
        with page.expect_event("load"):
            page.get_by_role("button", name="Update now").click()
        expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
        expect(page.get_by_text("A new version of Limber is ready.")).to_have_count(0)
        assert page.evaluate(
            "async () => !(await navigator.serviceWorker.getRegistration()).waiting"
        )
        assert page.evaluate("() => !!navigator.serviceWorker.controller")
    finally:
        server.stop()
