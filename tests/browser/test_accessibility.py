"""axe-core on every view at phone and laptop sizes; layout checks at 360 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.views import ALL

pytestmark = pytest.mark.browser

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          });
          return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ` +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }"""
    )
    return list(result)


@pytest.mark.parametrize(
    "viewport, scheme",
    [(PHONE, "light"), (LAPTOP, "light"), (PHONE, "dark")],
    ids=["390x844", "1280x800", "390x844-dark"],
)
@pytest.mark.parametrize("who, walk", ALL, ids=[name for name, _ in ALL])
def test_axe_finds_no_violations(new_context, base_url, viewport, scheme, who, walk):
    # axe's script is injected by the test, so the page's own CSP must not block it.
    page = new_context(base_url, viewport, bypass_csp=True, color_scheme=scheme).new_page()
    found = {}
    seen = []
    for view in walk(page):
        seen.append(view)
        problems = axe_violations(page)
        if problems:
            found[view] = problems
    assert seen
    assert not found, found


OVERFLOW_JS = """() => document.documentElement.scrollWidth - window.innerWidth"""

SMALL_TARGETS_JS = """() => {
  const sel = 'button, .btn, select, input:not([type=checkbox]):not([type=radio]), textarea, ' +
              '.chip label, .navlink, summary';
  return [...document.querySelectorAll(sel)]
    .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden'))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.height < 43.5 || r.width < 43.5))
    .map(([el, r]) => `${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || el.name || '').slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
}"""


# A tab's label on one line, inside its own tab (six tabs share a phone's width).
CRAMPED_TABS_JS = """() => [...document.querySelectorAll('.navlink')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el, el.querySelector(':scope > span:not(.navicon):not(.nav-count)')])
  .filter(([el, label]) => label && (label.getClientRects().length > 1 ||
    label.getBoundingClientRect().width > el.clientWidth))
  .map(([, label]) => label.innerText.trim())"""


@pytest.mark.parametrize("who, walk", ALL, ids=[name for name, _ in ALL])
def test_no_horizontal_scroll_at_360_and_44px_targets(new_context, base_url, who, walk):
    page = new_context(base_url, {"width": 360, "height": 740}).new_page()
    overflow = {}
    small = {}
    for view in walk(page):
        extra = page.evaluate(OVERFLOW_JS)
        if extra > 0:
            overflow[view] = extra
        targets = page.evaluate(SMALL_TARGETS_JS)
        if targets:
            small[view] = targets
        cramped = page.evaluate(CRAMPED_TABS_JS)
        if cramped:
            small[view] = [
                *small.get(view, []),
                *(f"tab label {t!r} does not fit" for t in cramped),
            ]
    assert not overflow, f"horizontal scroll (px too wide): {overflow}"
    assert not small, f"touch targets under 44 px: {small}"


def test_dark_mode_follows_the_system(new_context, base_url):
    page = new_context(base_url, PHONE, color_scheme="dark", bypass_csp=True).new_page()
    page.goto("/signin")
    page.get_by_role("button", name="Sign in").wait_for()
    bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(14, 21, 20)"
    assert axe_violations(page) == []


def test_keyboard_alone_can_sign_in(new_context, base_url):
    from tests.browser.conftest import RUNNER

    page = new_context(base_url).new_page()
    page.goto("/signin")
    page.get_by_role("button", name="Sign in").wait_for()
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "email":
            break
    page.keyboard.type(RUNNER[0])
    page.keyboard.press("Tab")
    page.keyboard.type(RUNNER[1])
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Today", level=1).wait_for()
