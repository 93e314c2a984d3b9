"""Render the app icons (PNG) from the SVG sources with Chromium.

Run: python3 frontend/tools/icons.py   (needs playwright and /usr/bin/chromium)
The PNGs are committed; run this again only when an icon SVG changes.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "img" / "icons"
TARGETS = [
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("source/maskable.svg", "maskable-512.png", 512),
    ("source/maskable.svg", "maskable-192.png", 192),
]


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for source, out, size in TARGETS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = (ICONS / source).read_text(encoding="utf-8")
            page.set_content(
                "<html><body style='margin:0;background:transparent'>"
                f"<div style='width:{size}px;height:{size}px'>{svg}</div></body></html>"
            )
            page.locator("svg").evaluate(
                f"s => {{ s.setAttribute('width', {size}); s.setAttribute('height', {size}); }}"
            )
            page.screenshot(path=str(ICONS / out), omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size})
            page.close()
            print(f"wrote {out}")
        browser.close()


if __name__ == "__main__":
    main()
