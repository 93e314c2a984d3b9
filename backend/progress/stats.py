"""Trend and trigger statistics on already-aggregated figures. Plain functions, no Flask.

Trend: the least-squares slope of mean stiffness against time in weeks. Higher stiffness
is worse, so a slope of +0.25 points a week or more is "worsening", -0.25 or less is
"improving", anything in between is "steady". Fewer than two points: steady, slope 0.

Triggers: a factor (a workout type, a surface, long runs, weeks of high load) is listed
when it covers at least three runs, at least one run falls outside it, and its mean
stiffness is at least one point above the baseline, the mean of the runner's other runs.
Strongest (largest gap over the baseline) first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

TREND_THRESHOLD = 0.25  # stiffness points per week
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


def direction(slope_per_week: float, threshold: float = TREND_THRESHOLD) -> str:
    if slope_per_week >= threshold:
        return "worsening"
    if slope_per_week <= -threshold:
        return "improving"
    return "steady"


def trend(points: Sequence[tuple[date, float]]) -> dict[str, float | str]:
    """Trend of (day, mean stiffness) points, x measured in weeks from the first."""
    if not points:
        return {"slope_per_week": 0.0, "direction": "steady"}
    first = min(day for day, _ in points)
    slope = least_squares_slope([((day - first).days / 7, value) for day, value in points])
    return {"slope_per_week": round(slope, 2), "direction": direction(slope)}


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
