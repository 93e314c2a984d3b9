"""Estimated steps and load for a run. Plain functions, no Flask.

Figures: a mile takes roughly 1,333-1,833 steps (4,000-5,500 for 3 miles, by speed and
stride); each running step puts about 3-4x body weight through the body, a walking step
1-1.5x. Force-plate studies put running nearer 2.5-3x, so the multipliers come from
configuration and the result is always a range.
"""

from __future__ import annotations

from dataclasses import dataclass

KM_PER_MILE = 1.609344
LB_PER_KG = 2.2046226218


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def scaled(self, factor: float) -> Range:
        return Range(self.low * factor, self.high * factor)

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def as_dict(self, digits: int = 0) -> dict[str, float | int]:
        if digits == 0:
            return {"low": round(self.low), "high": round(self.high)}
        return {"low": round(self.low, digits), "high": round(self.high, digits)}


@dataclass(frozen=True)
class LoadModel:
    steps_per_mile: Range = Range(1333, 1833)
    run_bw: Range = Range(3.0, 4.0)
    walk_bw: Range = Range(1.0, 1.5)


DEFAULT_MODEL = LoadModel()


def estimate_steps(distance_km: float, model: LoadModel = DEFAULT_MODEL) -> Range:
    miles = distance_km / KM_PER_MILE
    return model.steps_per_mile.scaled(miles)


def steps_from_cadence(cadence_spm: float, moving_s: float) -> Range:
    """Steps counted from the recorded cadence: average steps per minute times the time
    moving, give or take 3 % for how the device averages."""
    steps = cadence_spm * moving_s / 60
    return Range(steps * 0.97, steps * 1.03)


def force_multiplier(workout_type: str, model: LoadModel = DEFAULT_MODEL) -> Range:
    return model.walk_bw if workout_type == "walk" else model.run_bw


def estimate_load(
    distance_km: float,
    workout_type: str,
    body_weight_kg: float | None,
    model: LoadModel = DEFAULT_MODEL,
    steps: Range | None = None,
) -> dict[str, dict[str, float | int]]:
    """`steps`: a count from the run's recorded cadence, used instead of the pace model."""
    steps = steps or estimate_steps(distance_km, model)
    bw = force_multiplier(workout_type, model)
    result: dict[str, dict[str, float | int]] = {
        "steps": steps.as_dict(),
        "force_per_step_bw": bw.as_dict(digits=2),
    }
    if body_weight_kg:
        per_step = bw.scaled(body_weight_kg)
        result["force_per_step_kg"] = per_step.as_dict()
        result["total_load_kg"] = Range(
            steps.low * per_step.low, steps.high * per_step.high
        ).as_dict()
    return result


def weekly_mid(
    distance_km: float,
    workout_type: str,
    body_weight_kg: float | None,
    model: LoadModel = DEFAULT_MODEL,
) -> tuple[float, float | None]:
    """Midpoint steps and kg for one run, for weekly load totals."""
    steps = estimate_steps(distance_km, model)
    if not body_weight_kg:
        return steps.mid, None
    per_step = force_multiplier(workout_type, model).scaled(body_weight_kg)
    return steps.mid, (steps.low * per_step.low + steps.high * per_step.high) / 2
