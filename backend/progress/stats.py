"""Trend and trigger statistics on already-aggregated figures. Plain functions, no Flask.

Trend: the least-squares slope of mean stiffness against time in weeks. Higher stiffness
is worse, so a slope of +0.25 points a week or more is "worsening", -0.25 or less is
"improving", anything in between is "steady". Fewer than two points: steady, slope 0.

What triggers stiffness is weighed in `effects.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

TREND_THRESHOLD = 0.25  # stiffness points per week


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
