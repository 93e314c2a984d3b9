"""Form errors in plain words: each next to its field, a summary above the form naming
those fields, nothing said twice, and a refusal that names no field still says why."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import COACH, LAPTOP, PHONE, sign_in
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

SIZES = pytest.mark.parametrize(
    "viewport, scheme", [(PHONE, "light"), (LAPTOP, "dark")], ids=["390x844-light", "1280x800-dark"]
)


def field_error(page: Page, label: str):
    """The error shown inside the field's own box (the label's parent)."""
    return page.locator(".field", has=page.get_by_label(label, exact=True)).locator(".field-error")


@SIZES
def test_sign_up_errors_sit_by_their_fields_once_and_in_a_summary(
    new_context, base_url, viewport, scheme
):
    page = new_context(base_url, viewport, color_scheme=scheme, bypass_csp=True).new_page()
    page.goto("/signup")
    page.get_by_label("Email", exact=True).fill("not an address")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".form-summary")
    expect(summary).to_contain_text("The account was not created. Some answers need a look:")
    expect(field_error(page, "Your name")).to_have_text("Enter your name (up to 80 characters).")
    expect(field_error(page, "Email")).to_have_text("Enter an email address like name@example.com.")
    expect(field_error(page, "Password")).to_contain_text("Use a password of 8 to")
    # The summary names the fields; the words themselves are said once, by each field.
    expect(summary.get_by_role("button")).to_have_text(["Your name", "Email", "Password"])
    body = page.locator("main").inner_text()
    assert body.count("Enter your name") == 1, body
    assert "Length must be" not in body and "Missing data" not in body
    expect(page.get_by_label("Your name", exact=True)).to_be_focused()
    email = page.get_by_label("Email", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    # Read out with the field: its accessible description is the message.
    expect(email).to_have_accessible_description("Enter an email address like name@example.com.")
    summary.get_by_role("button", name="Password").click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    assert not axe_violations(page)

    # Put right, the errors go: the next refusal shows only what is still wrong.
    page.get_by_label("Your name", exact=True).fill("Fay Fields")
    page.get_by_role("button", name="Create account").click()
    expect(summary.get_by_role("button")).to_have_text(["Email", "Password"])
    expect(field_error(page, "Your name")).to_have_count(0)
    expect(page.get_by_label("Your name", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Password", exact=True)).to_have_accessible_description(
        re.compile(r"^At least 8 characters\..* Use a password of 8 to")
    )


@SIZES
def test_a_refusal_naming_no_field_still_says_why(new_context, base_url, viewport, scheme):
    page = new_context(base_url, viewport, color_scheme=scheme, bypass_csp=True).new_page()
    # A 422 whose body names no field, as a proxy or an older server might send.
    page.route(
        "**/api/v1/auth/register",
        lambda route: route.fulfill(
            status=422,
            content_type="application/json",
            body=json.dumps(
                {
                    "code": 422,
                    "status": "Unprocessable Entity",
                    "message": "Sign-ups are paused for a moment. Try again soon.",
                }
            ),
        ),
    )
    page.goto("/signup")
    page.get_by_label("Your name", exact=True).fill("Gil Gap")
    page.get_by_label("Email", exact=True).fill("gil@example.com")
    page.get_by_label("Password", exact=True).fill("a long test password 20")
    page.get_by_role("button", name="Create account").click()
    summary = page.locator(".form-summary")
    expect(summary).to_contain_text(
        "The account was not created: Sign-ups are paused for a moment. Try again soon."
    )
    expect(page.locator(".field-error")).to_have_count(0)
    expect(summary).to_be_focused()
    assert not axe_violations(page)


@SIZES
def test_the_library_editor_speaks_the_same_way(new_context, base_url, viewport, scheme):
    page = new_context(base_url, viewport, color_scheme=scheme, bypass_csp=True).new_page()
    sign_in(page, *COACH)
    page.goto("/library")
    page.get_by_role("button", name="New routine").click()
    form = page.locator("form", has=page.get_by_role("heading", name="New routine"))
    summary = form.locator(".form-summary")
    form.get_by_role("button", name="Save routine").click()
    expect(summary).to_contain_text("Not saved: Add at least one step.")

    form.get_by_role("button", name="Add a step").click()
    form.get_by_role("button", name="Save routine").click()
    expect(summary).to_contain_text("Not saved. Some answers need a look:")
    expect(summary.get_by_role("button")).to_have_text(["Name", "Purpose", "Minutes"])
    expect(field_error(page, "Name")).to_have_text("Give it a name (up to 80 characters).")
    expect(field_error(page, "Minutes")).to_have_text("This is needed.")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    assert "Missing data" not in form.inner_text()
    assert not axe_violations(page)
