"""Print the one-line reliability summary; exit 1 if a must-be-zero figure is not zero.

python -m tests.reliability.summary FIGURES.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.reliability.figures import MUST_BE_ZERO


def line(counts: dict[str, int]) -> str:
    return (
        f"reliability: bad_inputs={counts.get('bad_inputs', 0)}"
        f" cases={counts.get('cases', 0)}"
        f" 5xx={counts.get('5xx', 0)}"
        f" 503={counts.get('503', 0)}"
        f" matrix={counts.get('matrix_passed', 0)}/{counts.get('matrix_total', 0)}"
        f" hardening={counts.get('hardening_passed', 0)}/{counts.get('hardening_total', 0)}"
        f" rows_lost={counts.get('rows_lost', 0)}"
        f" duplicates={counts.get('duplicates', 0)}"
    )


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    if not path.exists():
        print("reliability: no figures were recorded", file=sys.stderr)
        return 1
    counts = json.loads(path.read_text())
    print(line(counts))
    bad = [name for name in MUST_BE_ZERO if counts.get(name, 0)]
    incomplete = counts.get("matrix_passed", 0) != counts.get("matrix_total", 0)
    incomplete |= counts.get("hardening_passed", 0) != counts.get("hardening_total", 0)
    if bad or incomplete or not counts.get("matrix_total") or not counts.get("cases"):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
