"""Trend and trigger statistics on already-aggregated figures. Plain functions, no Flask.

Trend (one definition for the runner, the roster, the client page and the alert): the
runs of the last 14 days, oldest first, runs without a stiffness answer left out. With at
least 4 runs on at least 3 different days, the mean stiffness of the last third of the
runs is compared with the mean of the first third: 1.5 points higher or more is
"worsening", 1.5 points lower or more is "improving", anything in between "steady". With
fewer runs there is not enough to tell: "steady", with `enough_data` false. The
least-squares slope in points a week is reported alongside, for information only.

What triggers stiffness is weighed in `effects.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

TREND_WINDOW_DAYS = 14
TREND_MIN_RUNS = 4
TREND_MIN_DAYS = 3
TREND_CHANGE = 1.5  # stiffness points between the first and the last third of the runs


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def least_squares_slope(points: Sequence[tuple[float, float]]) -> float:
    """Slope of the best straight line through (x, y) points; 0 with too few to tell."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def trend(runs: Sequence[tuple[datetime, date, int | None]]) -> dict[str, Any]:
    """Trend of the window's runs, each (started at, local day, stiffness or None)."""
    rated = sorted((at, day, s) for at, day, s in runs if s is not None)
    n = len(rated)
    days = len({day for _, day, _ in rated})
    enough = n >= TREND_MIN_RUNS and days >= TREND_MIN_DAYS
    change = 0.0
    if enough:
        third = max(1, n // 3)
        first = sum(s for _, _, s in rated[:third]) / third
        last = sum(s for _, _, s in rated[-third:]) / third
        change = last - first
    slope = 0.0
    if rated:
        start = rated[0][0]
        slope = least_squares_slope(
            [((at - start).total_seconds() / (7 * 86400), float(s)) for at, _, s in rated]
        )
    if enough and change >= TREND_CHANGE:
        direction = "worsening"
    elif enough and change <= -TREND_CHANGE:
        direction = "improving"
    else:
        direction = "steady"
    return {
        "direction": direction,
        "change": round(change, 2),
        "slope_per_week": round(slope, 2),
        "runs": n,
        "days": days,
        "window_days": TREND_WINDOW_DAYS,
        "enough_data": enough,
    }
