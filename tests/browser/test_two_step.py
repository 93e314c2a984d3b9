"""Two-step sign-in in the browser: a real passkey ceremony with Chromium's virtual
authenticator, and the authenticator-app and recovery-code path, checked with axe."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, LiveServer, api_json, sign_up, unique_email
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a long walk on the track"
# ctap2 over the internal transport, with resident keys and user verification: a passkey
# built into the device, like a phone's or laptop's.
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@pytest.fixture(scope="module")
def loopback_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served as http://localhost:PORT, the origin its passkeys are bound to.

    WebAuthn needs a domain as relying-party id (an IP address is refused), and
    localhost is a secure context without TLS.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    origin = f"http://localhost:{port}"
    server = LiveServer(
        tmp_path_factory.mktemp("browser-two-step"),
        {"WEBAUTHN_RP_ID": "localhost", "WEBAUTHN_ORIGIN": origin},
        port=port,
    )
    yield origin
    server.stop()


def virtual_authenticator(page: Page) -> tuple[Any, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return cdp, made["authenticatorId"]


def new_practitioner(page: Page) -> str:
    email = unique_email("coach")
    sign_up(page, "Dana Coach", email, PASSWORD, role="practitioner")
    return email


def open_two_step(page: Page) -> Any:
    page.goto("/settings")
    card = page.get_by_role("region", name="Two-step sign-in")
    card.get_by_label("Your password").fill(PASSWORD)
    return card


def sign_out(page: Page) -> None:
    page.goto("/settings")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("heading", name="Sign in").wait_for()


def password_step(page: Page, email: str) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="One more step").wait_for()


def assert_no_axe_violations(page: Page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, (where, problems)


def test_a_passkey_made_in_settings_signs_in_after_the_password(new_context, loopback_url):
    page = new_context(loopback_url, LAPTOP, bypass_csp=True).new_page()
    cdp, authenticator = virtual_authenticator(page)
    email = new_practitioner(page)

    card = open_two_step(page)
    card.get_by_role("button", name="Add a passkey").click()
    codes = page.locator(".code-list li")
    expect(codes).to_have_count(10)
    assert_no_axe_violations(page, "recovery codes after the first passkey")
    page.get_by_role("button", name="I've saved them").click()
    expect(page.get_by_text("Passkey added. Two-step sign-in is on.")).to_be_visible()
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    assert stored["credentials"][0]["isResidentCredential"] is True
    assert stored["credentials"][0]["rpId"] == "localhost"

    sign_out(page)
    password_step(page, email)
    # Halfway there: the password alone opens nothing.
    held = page.request.get("/api/v1/auth/me")
    assert held.status == 401
    assert_no_axe_violations(page, "second step with a passkey")
    page.get_by_role("button", name="Use your passkey").click()
    page.get_by_role("navigation", name="Main").wait_for()
    assert api_json(page, "/api/v1/auth/me")["email"] == email
    after = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert after["credentials"][0]["signCount"] >= 1
    overview = api_json(page, "/api/v1/me/two-step")
    assert overview["passkeys"][0]["last_used_at"] is not None


@pytest.mark.parametrize(
    "viewport, scheme",
    [(PHONE, "light"), (LAPTOP, "light"), (PHONE, "dark"), (LAPTOP, "dark")],
    ids=["390x844", "1280x800", "390x844-dark", "1280x800-dark"],
)
def test_an_authenticator_app_and_a_recovery_code(new_context, base_url, viewport, scheme):
    # axe is injected by the test, so the page's CSP must let it in.
    page = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme).new_page()
    email = new_practitioner(page)
    card = open_two_step(page)
    assert_no_axe_violations(page, "settings, two-step off")
    card.get_by_role("button", name="Set up an authenticator app").click()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    assert_no_axe_violations(page, "authenticator app set-up")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on", exact=True).click()
    expect(page.locator(".code-list li")).to_have_count(10)
    recovery = page.locator(".code-list li").first.inner_text()
    page.get_by_role("button", name="I've saved them").click()
    expect(page.get_by_text("Authenticator app added. Two-step sign-in is on.")).to_be_visible()
    assert_no_axe_violations(page, "settings, two-step on")

    sign_out(page)
    password_step(page, email)
    assert_no_axe_violations(page, "second step with a code")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("didn't work")
    page.get_by_label("Code", exact=True).fill(recovery)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("navigation", name="Main").wait_for()
    assert api_json(page, "/api/v1/me/two-step")["recovery_codes_left"] == 9
