"""The browser suite waits on what it checks: no async predicate in wait_for_function,
which Playwright takes as true at once (the promise it returns is truthy)."""

from __future__ import annotations

import re
from pathlib import Path

BROWSER_TESTS = Path(__file__).parents[1] / "browser"
ASYNC_WAIT = re.compile(r"wait_for_function\(\s*(?:f?[\"']{1,3})\s*async\b")


def test_no_async_predicate_goes_to_wait_for_function() -> None:
    found = []
    for path in sorted(BROWSER_TESTS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in ASYNC_WAIT.finditer(text):
            found.append(f"{path.name}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not found, f"use conftest.wait_until for async checks: {found}"


def test_the_check_would_see_one() -> None:
    sample = 'page.wait_for_function(\n    """async () => true"""\n)'
    assert ASYNC_WAIT.search(sample)
