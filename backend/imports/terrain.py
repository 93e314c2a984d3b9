"""Figures derived from a recorded track. Plain functions, no Flask.

Only what is computed here leaves the parser: the track itself is dropped.

Elevation is noisy (a GPS altitude wanders by metres when standing still), so gain and
loss are read after smoothing:

1. resample the elevation onto a grid every 10 m of distance (linear interpolation), so
   the result does not depend on how often the device recorded a point;
2. average each grid point with its neighbours over 50 m (a centred moving mean of five
   points);
3. find the turning points, where the direction changes by more than 2 m (hysteresis),
   and add up the climbs and descents between them, so a wobble back and forth of less
   than 2 m adds nothing while a real climb counts in full.

Terrain class, from the smoothed gain per kilometre: under 10 m/km is flat, 10 to 25 m/km
is rolling, 25 m/km or more is hilly. Uphill and downhill share: the part of the distance
whose smoothed grade is above +3 % or below -3 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GRID_M = 10.0
SMOOTH_POINTS = 5
HYSTERESIS_M = 2.0
FLAT_BELOW = 10.0  # m gained per km
HILLY_FROM = 25.0
GRADE = 0.03
MIN_ELEVATION_COVERAGE = 0.8  # share of points that must carry an elevation
MOVING_SPEED = 0.5  # m/s: slower than this between two points is standing still


@dataclass(frozen=True)
class Climb:
    gain_m: float
    loss_m: float
    terrain: str
    uphill_share: float
    downhill_share: float


def terrain_class(gain_per_km: float) -> str:
    if gain_per_km < FLAT_BELOW:
        return "flat"
    if gain_per_km < HILLY_FROM:
        return "rolling"
    return "hilly"


def _hysteresis(values: np.ndarray) -> tuple[float, float]:
    """Gain and loss between turning points; a turn counts once it exceeds the threshold."""
    anchor = extreme = float(values[0])
    trend = 0  # +1 climbing, -1 descending, 0 not known yet
    gain = loss = 0.0
    for raw in values[1:]:
        x = float(raw)
        if trend == 0:
            if abs(x - anchor) >= HYSTERESIS_M:
                trend, extreme = (1 if x > anchor else -1), x
        elif trend == 1:
            if x > extreme:
                extreme = x
            elif extreme - x >= HYSTERESIS_M:
                gain += extreme - anchor
                anchor, extreme, trend = extreme, x, -1
        elif x < extreme:
            extreme = x
        elif x - extreme >= HYSTERESIS_M:
            loss += anchor - extreme
            anchor, extreme, trend = extreme, x, 1
    if trend == 1:
        gain += extreme - anchor
    elif trend == -1:
        loss += anchor - extreme
    return gain, loss


def climb(distance_m: Sequence[float], elevation_m: Sequence[float | None]) -> Climb | None:
    """Gain, loss and terrain of a track: cumulative distance and elevation per point.

    None when too few points carry an elevation or the track is too short to tell.
    """
    pairs = [(d, e) for d, e in zip(distance_m, elevation_m, strict=True) if e is not None]
    if len(distance_m) < 2 or len(pairs) < MIN_ELEVATION_COVERAGE * len(distance_m):
        return None
    dist = np.array([d for d, _ in pairs], dtype=float)
    ele = np.array([e for _, e in pairs], dtype=float)
    order = np.argsort(dist, kind="stable")
    dist, ele = dist[order], ele[order]
    total = float(dist[-1] - dist[0])
    if total < 2 * GRID_M or not np.all(np.isfinite(ele)):
        return None
    grid = np.arange(dist[0], dist[-1] + GRID_M / 2, GRID_M)
    resampled = np.interp(grid, dist, ele)
    if len(resampled) >= SMOOTH_POINTS:
        pad = SMOOTH_POINTS // 2
        padded = np.pad(resampled, pad, mode="edge")
        smooth = np.convolve(padded, np.ones(SMOOTH_POINTS) / SMOOTH_POINTS, mode="valid")
    else:
        smooth = resampled
    gain, loss = _hysteresis(smooth)
    grades = np.diff(smooth) / GRID_M
    steps = max(len(grades), 1)
    return Climb(
        gain_m=round(gain, 1),
        loss_m=round(loss, 1),
        terrain=terrain_class(gain / (total / 1000)),
        uphill_share=round(float(np.sum(grades > GRADE)) / steps, 3),
        downhill_share=round(float(np.sum(grades < -GRADE)) / steps, 3),
    )


def moving_seconds(times_s: Sequence[float], distance_m: Sequence[float]) -> float:
    """Time spent moving: the intervals between points covered faster than a slow walk."""
    moving = 0.0
    for i in range(1, len(times_s)):
        dt = times_s[i] - times_s[i - 1]
        if dt <= 0:
            continue
        if (distance_m[i] - distance_m[i - 1]) / dt >= MOVING_SPEED:
            moving += dt
    return moving
