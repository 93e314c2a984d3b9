"""Import files from Settings, watch the progress, rate the runs on Today, and see the
terrain in the runs table and in the triggers on Progress."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_up, unique_email, wait_for_service_worker
from tests.browser.views import hilly_gpx

pytestmark = pytest.mark.browser


def test_runner_imports_rates_and_sees_terrain(new_context, base_url):
    page = new_context(base_url).new_page()
    sign_up(page, "Robin Import", unique_email(), "a long test password 1")
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    wait_for_service_worker(page)  # so its first activation cannot reload the page mid-way

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Import runs").click()
    expect(page.get_by_text("The GPS track itself is not stored.", exact=False)).to_be_visible()
    page.wait_for_load_state("networkidle")  # the view is settled before files are chosen
    files = [hilly_gpx(days_ago=2 * i + 1, name=f"hills-{i}.gpx") for i in range(4)]
    files += [hilly_gpx(days_ago=2 * i + 2, hill_m=0.0, name=f"flat-{i}.gpx") for i in range(4)]
    page.set_input_files("#import-files", files=files)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Done: 8 runs imported")).to_be_visible(timeout=30_000)
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_have_attribute("value", "8")
    expect(page.locator(".import-file .badge", has_text="Imported")).to_have_count(8)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    prompt = page.get_by_role("heading", name="8 imported runs: how did your back feel?")
    expect(prompt).to_be_visible()
    for left in range(8, 0, -1):
        item = page.locator(".imported-run").first
        label = item.locator("label").inner_text()
        item.get_by_role("combobox").select_option("7" if "hilly" in label else "2")
        item.get_by_role("button", name="Save").click()
        expect(page.locator(".imported-run")).to_have_count(left - 1)
    expect(prompt).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    triggers = page.locator("ul.triggers")
    expect(triggers).to_contain_text(re.compile(r"Runs on hilly ground: (clearly|possibly) more"))
    expect(triggers).to_contain_text("4 runs")
    expect(page.locator("table.runs")).to_contain_text("Hilly ·")

    # A run's own page shows the ground its track was read as.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Runs").click()
    hilly = page.locator(".run-item").filter(has_text="7/10").first
    hilly.get_by_role("link").click()
    terrain = page.locator("dl.facts dt:text-is('Terrain') + dd")
    expect(terrain).to_have_text(re.compile(r"^Hilly · \d+ m/km, \d+ % uphill$"))
