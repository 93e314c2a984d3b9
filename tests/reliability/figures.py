"""Figures the adversarial suite collects, kept in a JSON file across pytest runs.

`make reliability` runs the suite on SQLite and on PostgreSQL with RELIABILITY_FIGURES
pointing at one file; each run adds its counts, and `summary.py` prints the line.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

# Counts that must be zero for the run to be green.
MUST_BE_ZERO = ("5xx", "rows_lost", "duplicates")
FIELDS = ("bad_inputs", "cases", "5xx", "503", "matrix_passed", "matrix_total")
FIELDS += ("rows_lost", "duplicates", "hardening_passed", "hardening_total")


class Figures:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter({name: 0 for name in FIELDS})

    def add(self, name: str, amount: int = 1) -> None:
        if name not in FIELDS:
            raise KeyError(f"unknown figure {name!r}")
        self.counts[name] += amount

    def save(self) -> None:
        target = os.environ.get("RELIABILITY_FIGURES")
        if not target:
            return
        path = Path(target)
        total: Counter[str] = Counter()
        if path.exists():
            total.update(json.loads(path.read_text()))
        total.update(self.counts)
        path.write_text(json.dumps(dict(total), sort_keys=True))


figures = Figures()
