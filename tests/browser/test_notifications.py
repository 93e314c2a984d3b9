"""Settings → Notifications in Chromium: permission only after a tap, then subscribe.

The push service cannot be reached from here, so only `PushManager.subscribe` (the step
that would call it) is replaced; the server side of push is tested with a real push
service stand-in in tests/notifications/test_consumer.py.
"""

import json

from playwright.sync_api import expect

from tests.browser.conftest import sign_up, unique_email, wait_for_service_worker
from tests.notifications.conftest import browser_keys

STUB = """
(() => {
  const keys = %s;
  let current = null;
  window.__permissionAsked = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => { window.__permissionAsked += 1; return ask(...args); };
  const fake = {
    endpoint: "https://push.example.test/send/browser-test",
    expirationTime: null,
    toJSON() { return { endpoint: this.endpoint, expirationTime: null, keys }; },
    async unsubscribe() { current = null; return true; },
  };
  PushManager.prototype.subscribe = async function (options) {
    if (!options.userVisibleOnly || !(options.applicationServerKey instanceof Uint8Array)
        || options.applicationServerKey.length !== 65) throw new Error("bad subscribe options");
    current = fake;
    return fake;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


def test_turning_notifications_on_subscribes_and_a_test_reaches_every_channel(
    new_context, base_url
):
    context = new_context(base_url)
    context.grant_permissions(["notifications"])
    _, keys = browser_keys()
    context.add_init_script(script=STUB % json.dumps(keys))
    page = context.new_page()
    sign_up(page, "Push Test", unique_email(), "a long test password 4")
    wait_for_service_worker(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    section = page.get_by_role("region", name="Notifications")
    expect(section.get_by_text("remind you of today's routine")).to_be_visible()
    assert page.evaluate("window.__permissionAsked") == 0  # nothing asked before the tap
    section.get_by_role("button", name="Turn on notifications").click()
    expect(section.get_by_text("Notifications are on for this device.")).to_be_visible()
    assert page.evaluate("window.__permissionAsked") == 1
    section.get_by_role("button", name="Send me a test notification").click()
    expect(section.get_by_text("Test sent to this device, email, the list below.")).to_be_visible()
    expect(section.get_by_role("link", name="Limber test notification")).to_be_visible()
    section.get_by_role("button", name="Turn off on this device").click()
    expect(section.get_by_role("button", name="Turn on notifications")).to_be_visible()


def test_notification_times_are_saved_and_bad_ones_refused(new_context, base_url):
    page = new_context(base_url).new_page()
    sign_up(page, "Times Test", unique_email(), "a long test password 5")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    section = page.get_by_role("region", name="Notifications")
    section.get_by_label("Reminder time").fill("07:45")
    section.get_by_label("Quiet from").fill("22:00")
    section.get_by_role("button", name="Save notification settings").click()
    # Quiet hours need both ends: the form says so and nothing is saved.
    expect(section.get_by_role("alert")).to_be_visible()
    section.get_by_label("Quiet until").fill("06:30")
    section.get_by_role("group", name="Routine reminders").get_by_text("Email").click()
    section.get_by_role("button", name="Save notification settings").click()
    expect(section.get_by_text("Notification settings saved.")).to_be_visible()
    saved = json.loads(page.request.get("/api/v1/me/notification-settings").text())
    assert saved["reminder_time"] == "07:45"
    assert saved["quiet_hours"] == {"start": "22:00", "end": "06:30"}
    assert saved["channels"]["routine_reminder"]["email"] is True
