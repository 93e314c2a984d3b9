"""Form errors in plain words: each next to its field, a summary above the form naming
those fields, nothing said twice, and a refusal that names no field still says why."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    COACH,
    PRACTITIONER_SIZES,
    SIZES_AND_SCHEMES,
    api_json,
    shoot,
    sign_in,
    sign_up,
    unique_email,
)
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser
SIZES = SIZES_AND_SCHEMES


def field_error(page: Page, label: str):
    """The error shown inside the field's own box (the label's parent)."""
    return page.locator(".field", has=page.get_by_label(label, exact=True)).locator(".field-error")


def said_once(page: Page, text: str) -> None:
    body = page.locator("main").inner_text()
    assert body.count(text) == 1, body


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


@SIZES
def test_every_settings_form_speaks_the_same_way(new_context, base_url, viewport, scheme):
    page = new_context(base_url, viewport, color_scheme=scheme, bypass_csp=True).new_page()
    sign_up(page, "Sam Settings", unique_email(), "a long test password 31")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()

    # Quiet hours with no end: said by the fieldset, named in the summary.
    notices = page.get_by_role("region", name="Notifications")
    notices.get_by_label("Quiet from").fill("22:00")
    notices.get_by_role("button", name="Save notification settings").click()
    summary = notices.locator(".form-summary")
    expect(summary).to_have_text(re.compile("^Some answers need a look:"))
    expect(summary.get_by_role("button")).to_have_text(["Quiet hours (no reminders)"])
    quiet_error = notices.locator("fieldset.quiet-hours > .field-error")
    expect(quiet_error).to_have_text("Give quiet hours a start and an end.")
    expect(page.get_by_label("Quiet from")).to_be_focused()
    shoot(page, "settings-errors")
    assert not axe_violations(page)
    # The server's answer nests the message under quiet_hours.end; it reads the same way.
    notices.get_by_label("Quiet until").fill("22:00")
    notices.get_by_role("button", name="Save notification settings").click()
    expect(summary).to_contain_text("Not saved. Some answers need a look:")
    expect(quiet_error).to_have_text("Quiet hours need an end different from their start.")
    notices.get_by_label("Quiet until").fill("06:30")
    notices.get_by_role("button", name="Save notification settings").click()
    expect(summary).to_have_text("Notification settings saved.")
    expect(quiet_error).to_have_count(0)

    # An invite code: none typed, then a wrong one; each said by the field, once.
    join = page.locator("form", has=page.get_by_label("Invite code", exact=True))
    join.get_by_role("button", name="Join").click()
    expect(field_error(page, "Invite code")).to_have_text(
        "Enter the code your practitioner gave you."
    )
    page.get_by_label("Invite code", exact=True).fill("WRONG-CODE-0000")
    join.get_by_role("button", name="Join").click()
    expect(join.locator(".form-summary")).to_contain_text("Not joined. Some answers need a look:")
    expect(field_error(page, "Invite code")).to_have_text(
        "That code didn't work. Check it with your practitioner."
    )
    said_once(page, "That code didn't work")

    # A wrong current password stays by that field; the summary names it.
    pw = page.locator("form", has=page.get_by_role("heading", name="Change password"))
    pw.get_by_label("Current password").fill("not the password at all")
    pw.get_by_label("New password").fill("another long password 32")
    pw.get_by_role("button", name="Change password").click()
    expect(pw.locator(".form-summary")).to_contain_text("The password was not changed.")
    expect(pw.locator(".form-summary").get_by_role("button")).to_have_text(["Current password"])
    expect(field_error(page, "Current password")).to_have_text("This is not your password.")
    said_once(page, "This is not your password.")
    expect(pw.get_by_label("Current password")).to_be_focused()
    assert not axe_violations(page)


@SIZES
def test_the_two_step_card_keeps_a_wrong_password_by_its_field(
    new_context, base_url, viewport, scheme
):
    page = new_context(base_url, viewport, color_scheme=scheme, bypass_csp=True).new_page()
    sign_up(
        page, "Pat Forms", unique_email("coach"), "a long test password 33", role="practitioner"
    )
    page.goto("/settings")
    card = page.get_by_role("region", name="Two-step sign-in")
    card.get_by_label("Your password").fill("not the password at all")
    card.get_by_role("button", name="Set up an authenticator app").click()
    expect(card.locator(".form-summary")).to_contain_text("Not changed. Some answers need a look:")
    expect(field_error(page, "Your password")).to_have_text("This is not your password.")
    said_once(page, "This is not your password.")
    expect(card.get_by_label("Your password")).to_be_focused()
    assert not axe_violations(page)


@PRACTITIONER_SIZES
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_client_page_forms_speak_the_same_way(new_context, base_url, size, scheme):
    page = new_context(base_url, size, color_scheme=scheme, bypass_csp=True).new_page()
    sign_in(page, *COACH)
    client_id = api_json(page, "/api/v1/clients")["items"][0]["id"]
    page.goto(f"/clients/{client_id}")

    # No day picked: said beside the days, named above the form.
    assign = page.get_by_role("region", name="Assigned routines")
    days = assign.get_by_role("group", name="On these days")
    expect(days.get_by_role("checkbox")).to_have_count(7)
    for box in days.get_by_role("checkbox").all():
        box.focus()  # by keyboard: on a phone the chips can sit under the bottom bar
        page.keyboard.press("Space")
        expect(box).not_to_be_checked()
    assign.get_by_role("button", name="Assign").click()
    expect(assign.locator(".form-summary").get_by_role("button")).to_have_text(["On these days"])
    expect(days.locator(".field-error")).to_have_text("Pick at least one day.")

    # An empty note is refused in the same words as everywhere else.
    notes = page.get_by_role("region", name="Private notes")
    notes.get_by_role("button", name="Save note").click()
    expect(field_error(page, "New note")).to_have_text("Write the note first.")
    expect(page.get_by_label("New note")).to_be_focused()

    # And an empty reply.
    messages = page.locator("#messages")
    messages.get_by_role("button", name="Send").click()
    expect(messages.locator(".field-error")).to_have_text("Write something first.")
    said_once(page, "Write something first.")
    assert not axe_violations(page)
