"""Screenshots of every view at 390×844 (and the practitioner's at 1280×800) for the docs."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LAPTOP, PHONE, ROOT
from tests.browser.views import ALL

pytestmark = pytest.mark.browser

OUT = ROOT / "docs" / "screenshots"


@pytest.mark.parametrize("who, walk", ALL, ids=[name for name, _ in ALL])
def test_screenshots(new_context, base_url, who, walk):
    OUT.mkdir(parents=True, exist_ok=True)
    page = new_context(base_url, PHONE).new_page()
    for view in walk(page):
        page.screenshot(path=str(OUT / f"{view}.png"))
    if who == "practitioner":
        wide = new_context(base_url, LAPTOP).new_page()
        for view in walk(wide):
            if view in {"clients", "client", "report"}:
                wide.screenshot(path=str(OUT / f"{view}-laptop.png"), full_page=True)
