"""Trend and trigger statistics on already-aggregated figures. Plain functions, no Flask.

Trend (one definition for the runner, the roster, the client page and the alert): the
runs of the last 14 days, oldest first, runs without a stiffness answer left out. With at
least 4 runs on at least 3 different days, the mean stiffness of the last third of the
runs is compared with the mean of the first third: 1.5 points higher or more is
"worsening", 1.5 points lower or more is "improving", anything in between "steady". With
fewer runs there is not enough to tell: "steady", with `enough_data` false. The
least-squares slope in points a week is reported alongside, for information only.

Triggers: a factor (a workout type, a surface, long runs, weeks of high load) is listed
when it covers at least three runs, at least one run falls outside it, and its mean
stiffness is at least one point above the baseline, the mean of the runner's other runs.
Strongest (largest gap over the baseline) first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

TREND_WINDOW_DAYS = 14
TREND_MIN_RUNS = 4
TREND_MIN_DAYS = 3
TREND_CHANGE = 1.5  # stiffness points between the first and the last third of the runs
TRIGGER_MIN_RUNS = 3
TRIGGER_MARGIN = 1.0  # stiffness points above the baseline
LONG_RUN_FACTOR = 1.5  # times the runner's median run distance
HIGH_LOAD_FACTOR = 1.3  # times the runner's median weekly steps


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


@dataclass(frozen=True)
class FactorStat:
    """Runs under one factor: how many and the sum of their stiffness scores."""

    factor: str
    value: str
    runs: int
    stiffness_sum: float


def triggers(
    candidates: Sequence[FactorStat], total_runs: int, total_stiffness: float
) -> list[dict[str, float | int | str]]:
    """The factors whose runs average clearly stiffer than the runner's other runs."""
    found = []
    for c in candidates:
        others = total_runs - c.runs
        if c.runs < TRIGGER_MIN_RUNS or others < 1:
            continue
        mean = c.stiffness_sum / c.runs
        baseline = (total_stiffness - c.stiffness_sum) / others
        if mean >= baseline + TRIGGER_MARGIN:
            found.append((mean - baseline, c.runs, c, mean, baseline))
    found.sort(key=lambda f: (-f[0], -f[1], f[2].factor, f[2].value))
    return [
        {
            "factor": c.factor,
            "value": c.value,
            "mean_stiffness": round(mean, 2),
            "baseline": round(baseline, 2),
            "runs": c.runs,
        }
        for _, _, c, mean, baseline in found
    ]
