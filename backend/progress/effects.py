"""What goes with more stiffness, each factor weighed together with the others.

Plain functions, no Flask; numpy for the linear algebra.

The model. Every run's stiffness is written as a sum: a typical run's stiffness, plus
one amount for its surface, one for its workout type, one for its terrain, one for its
distance band, one for a week of high load, plus a steady drift over time. The amounts
are found together by least squares, so runs on trails that were also hill runs do not
make trails look worse than they are: each amount is what is left once the others are
accounted for. Each amount is measured against a reference level (road, easy, flat, a
usual distance, a usual week) or, when the runner has too few of those, against their
most common level.

With few runs an amount is unsteady, so every amount is pulled gently towards zero (ridge
regression, as if each level had `PRIOR_RUNS` extra runs showing no difference). The
interval around each amount is the 95 % range of the estimate given the scatter of the
runner's scores (t distribution with the model's remaining degrees of freedom).

The outcome. By default the model explains the stiffness noted right after each run.
With the `next_morning` outcome it explains the answer to "How is your back this
morning?" instead, on the runs that have one: what makes stiffness linger rather than
what brings it on. The factors, the penalty and the labels are the same.

Labels: "clearly more stiffness" when the whole 95 % interval lies above zero and the
amount is at least one point; "possibly more stiffness" when an 80 % interval lies above
zero and the amount is at least half a point (and the same for less); "no difference
seen" otherwise; "not enough runs yet" for a level with fewer than `MIN_RUNS` runs or when
the whole history is too short to separate the factors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FACTORS = ("surface", "workout_type", "terrain", "distance", "weekly_load")
# Which stiffness a model explains: right after the run, or the next morning.
OUTCOMES = ("after_run", "next_morning")
DEFAULT_OUTCOME = "after_run"
REFERENCE = {
    "surface": "road",
    "workout_type": "easy",
    "terrain": "flat",
    "distance": "usual",
    "weekly_load": "usual",
}
UNKNOWN = "unknown"  # e.g. no track to read terrain from: fitted, never reported
MIN_RUNS = 3
MIN_TOTAL_RUNS = 6
PRIOR_RUNS = 0.25  # ridge penalty, in runs' worth of "no difference"
CLEAR_EFFECT = 1.0
POSSIBLE_EFFECT = 0.5
LONG_FACTOR = 1.5  # times the runner's median distance
SHORT_FACTOR = 0.75
HIGH_LOAD_FACTOR = 1.3  # times the runner's median weekly distance

LABELS = {
    "clearly_more": "clearly more stiffness",
    "possibly_more": "possibly more stiffness",
    "no_difference": "no difference seen",
    "possibly_less": "possibly less stiffness",
    "clearly_less": "clearly less stiffness",
    "not_enough_runs": "not enough runs yet",
}
_ORDER = list(LABELS)


@dataclass(frozen=True)
class Observation:
    stiffness: float | None  # right after the run (None: not given)
    weeks: float  # time since some fixed day, in weeks
    levels: dict[str, str]  # factor -> level; missing or None means unknown
    morning: float | None = None  # the next morning (None: not answered)

    def outcome(self, outcome: str) -> float | None:
        return self.morning if outcome == "next_morning" else self.stiffness


def distance_band(distance_km: float, median_km: float | None) -> str:
    if not median_km:
        return "usual"
    if distance_km >= LONG_FACTOR * median_km:
        return "long"
    if distance_km < SHORT_FACTOR * median_km:
        return "short"
    return "usual"


def t_quantile(p: float, df: float) -> float:
    """Upper quantile of Student's t (Cornish-Fisher expansion; close for df >= 3)."""
    z = _normal_quantile(p)
    if df <= 0 or math.isinf(df):
        return z
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


def _normal_quantile(p: float) -> float:
    # Acklam's rational approximation, accurate to about 1e-9.
    a = (
        -39.69683028665376,
        220.9460984245205,
        -275.9285104469687,
        138.3577518672690,
        -30.66479806614716,
        2.506628274631000,
    )
    b = (
        -54.47609879822406,
        161.5858368580409,
        -155.6989798598866,
        66.80131188771972,
        -13.28068155288572,
    )
    c = (
        -0.007784894002430293,
        -0.3223964580411365,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    )
    d = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    if p < 0.02425:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    if p > 1 - 0.02425:
        return -_normal_quantile(1 - p)
    q = p - 0.5
    r = q * q
    return (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )


def _reference(factor: str, counts: dict[str, int]) -> str | None:
    known = {lvl: n for lvl, n in counts.items() if lvl != UNKNOWN}
    if not known:
        return None
    preferred = REFERENCE[factor]
    if known.get(preferred, 0) >= MIN_RUNS:
        return preferred
    return max(sorted(known), key=lambda lvl: known[lvl])


def _label(effect: float, se: float, df: float) -> str:
    wide, narrow = t_quantile(0.975, df) * se, t_quantile(0.9, df) * se
    if effect - wide > 0 and effect >= CLEAR_EFFECT:
        return "clearly_more"
    if effect + wide < 0 and effect <= -CLEAR_EFFECT:
        return "clearly_less"
    if effect - narrow > 0 and effect >= POSSIBLE_EFFECT:
        return "possibly_more"
    if effect + narrow < 0 and effect <= -POSSIBLE_EFFECT:
        return "possibly_less"
    return "no_difference"


def analyse(
    observations: Sequence[Observation], outcome: str = DEFAULT_OUTCOME
) -> list[dict[str, object]]:
    """Every factor level but the references: its amount, 95 % interval, label and runs.

    `outcome` picks the stiffness explained (`OUTCOMES`); runs without it are left out.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    observations = [
        Observation(float(value), o.weeks, o.levels)
        for o in observations
        if (value := o.outcome(outcome)) is not None
    ]
    n = len(observations)
    counts: dict[str, dict[str, int]] = {f: {} for f in FACTORS}
    sums: dict[str, dict[str, float]] = {f: {} for f in FACTORS}
    for obs in observations:
        for f in FACTORS:
            lvl = obs.levels.get(f) or UNKNOWN
            counts[f][lvl] = counts[f].get(lvl, 0) + 1
            sums[f][lvl] = sums[f].get(lvl, 0.0) + float(obs.stiffness or 0.0)
    refs = {f: _reference(f, counts[f]) for f in FACTORS}
    columns = [
        (f, lvl)
        for f in FACTORS
        for lvl in sorted(counts[f])
        if refs[f] is not None and lvl != refs[f]
    ]
    fitted = _fit(observations, columns) if n >= MIN_TOTAL_RUNS else None
    out: list[dict[str, object]] = []
    for i, (f, lvl) in enumerate(columns):
        if lvl == UNKNOWN:
            continue
        runs = counts[f][lvl]
        row: dict[str, object] = {
            "factor": f,
            "value": lvl,
            "reference": refs[f],
            "runs": runs,
            "reference_runs": counts[f][refs[f]],  # type: ignore[index]
            "mean_stiffness": round(sums[f][lvl] / runs, 2),
            "effect": None,
            "low": None,
            "high": None,
            "label": "not_enough_runs",
        }
        if fitted is not None and runs >= MIN_RUNS and counts[f][refs[f]] >= MIN_RUNS:  # type: ignore[index]
            beta, se, df = fitted
            effect, spread = float(beta[i + 2]), float(se[i + 2])
            half = t_quantile(0.975, df) * spread
            row.update(
                effect=round(effect, 2),
                low=round(effect - half, 2),
                high=round(effect + half, 2),
                label=_label(effect, spread, df),
            )
        row["label_text"] = LABELS[str(row["label"])]
        out.append(row)
    out.sort(
        key=lambda r: (
            _ORDER.index(str(r["label"])),
            -(r["effect"] if isinstance(r["effect"], float) else 0.0),
            -int(r["runs"]),  # type: ignore[call-overload]
            str(r["factor"]),
            str(r["value"]),
        )
    )
    return out


def _fit(
    observations: Sequence[Observation], columns: list[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Ridge fit: (coefficients, standard errors, residual degrees of freedom)."""
    n = len(observations)
    weeks = np.array([o.weeks for o in observations], dtype=float)
    spread = float(weeks.max() - weeks.min())
    trend = (weeks - weeks.mean()) if spread > 0 else np.zeros(n)
    X = np.zeros((n, 2 + len(columns)))
    X[:, 0] = 1.0
    X[:, 1] = trend
    index = {col: j + 2 for j, col in enumerate(columns)}
    for i, obs in enumerate(observations):
        for f in FACTORS:
            j = index.get((f, obs.levels.get(f) or UNKNOWN))
            if j is not None:
                X[i, j] = 1.0
    y = np.array([float(o.stiffness or 0.0) for o in observations], dtype=float)
    penalty = np.full(X.shape[1], PRIOR_RUNS)
    penalty[0] = 0.0  # the typical run and the drift are not pulled towards zero
    penalty[1] = 0.0 if spread > 0 else 1.0
    gram = X.T @ X
    A = gram + np.diag(penalty)
    try:
        A_inv = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        return None
    beta = A_inv @ (X.T @ y)
    # trace(X inv(A) X^T) equals trace(inv(A) X^T X): the same figure, no n-by-n matrix.
    hat_trace = float(np.sum(A_inv * gram.T))
    df = n - hat_trace
    if df < 2:
        return None
    residual = y - X @ beta
    sigma2 = float(residual @ residual) / df
    se = np.sqrt(np.maximum(np.diag(A_inv) * sigma2, 0.0))
    return beta, se, df
