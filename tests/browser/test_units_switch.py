"""Switching units converts what the weight field holds before it is saved, and the
runs list and a run's page then speak miles."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SIZES_AND_SCHEMES, api_json, log_run, sign_up, unique_email

pytestmark = pytest.mark.browser


@SIZES_AND_SCHEMES
def test_the_weight_field_follows_the_units_chosen(new_context, base_url, viewport, scheme):
    page = new_context(base_url, viewport, color_scheme=scheme).new_page()
    sign_up(page, "Units Switch", unique_email(), "a long test password 23")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    weight = page.get_by_label("Body weight (optional)")
    weight.fill("72.6")
    page.get_by_text("Miles, lb").click()
    expect(weight).to_have_value("160.1")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    assert api_json(page, "/api/v1/auth/me")["body_weight_kg"] == 72.6

    log_run(page, distance="3.1", duration="27:00")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Runs").click()
    expect(page.locator(".run-item").first).to_contain_text("3.10 mi")
    page.locator(".run-item a").first.click()
    expect(page.get_by_text("8:43 min/mile")).to_be_visible()
