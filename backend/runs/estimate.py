"""Estimated steps and impact for a run. Plain functions, no Flask.

Steps come from the pace: minutes on the move times cadence (steps a minute), and
cadence is modelled as a straight line in speed, one for running and one for walking.

- Running: cadence = 135 + 2.5 x speed in km/h. Calibrated on the practitioner's figures:
  a 3-mile run takes about 4,000 steps at 8:00 min/mile and about 5,500 at 11:00 (the
  model gives 3,960 and 5,180), roughly 1,300 steps a mile at 8:00 and 1,900 at 12:00
  (model: 1,320 and 1,860). Runners reach higher speeds mostly by lengthening the
  stride and only a little by quickening the cadence (Cavanagh and Kram 1989, Med Sci
  Sports Exerc 21:467), so fast running takes far fewer steps per kilometre: about 555
  at 3:00 min/km.
- Walking: cadence = 70 + 8 x speed in km/h, about 110 steps a minute at 5 km/h; adults
  walk at about 100 steps a minute at a moderate pace (Tudor-Locke et al. 2019, Int J
  Behav Nutr Phys Act 16:8, the CADENCE-Adults study).
- People differ in stride: the result is the modelled figure plus or minus 6 %. A
  cadence recorded by a watch replaces the model, give or take 2 %.

Impact per step as a multiple of body weight: running about 3-4x, walking 1-1.5x (the
practitioner's figures). Force-plate studies put running nearer 2.5-3x, so every
coefficient comes from configuration and every result is a range.
"""

from __future__ import annotations

from dataclasses import dataclass

KM_PER_MILE = 1.609344
LB_PER_KG = 2.2046226218
RECORDED_CADENCE_SPREAD = 0.02


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
class Cadence:
    """Steps a minute as a straight line in speed: `base + per_kmh * km/h`."""

    base: float
    per_kmh: float

    def at(self, speed_kmh: float) -> float:
        return self.base + self.per_kmh * speed_kmh


@dataclass(frozen=True)
class LoadModel:
    run_cadence: Cadence = Cadence(135.0, 2.5)
    walk_cadence: Cadence = Cadence(70.0, 8.0)
    step_spread: float = 0.06  # share either side of the modelled step count
    run_bw: Range = Range(3.0, 4.0)
    walk_bw: Range = Range(1.0, 1.5)

    def cadence(self, walking: bool) -> Cadence:
        return self.walk_cadence if walking else self.run_cadence

    def step_terms(self, walking: bool) -> tuple[float, float]:
        """Modelled steps as `a * seconds + b * km`, so sums can be taken in SQL.

        minutes x (base + k x km/h) = base/60 x seconds + 60 k x km.
        """
        c = self.cadence(walking)
        return c.base / 60, 60 * c.per_kmh


DEFAULT_MODEL = LoadModel()


def is_walk(workout_type: str) -> bool:
    return workout_type == "walk"


def speed_kmh(distance_km: float, duration_s: float) -> float:
    return distance_km / (duration_s / 3600)


def estimate_steps(
    distance_km: float,
    duration_s: float,
    *,
    walking: bool = False,
    cadence_spm: float | None = None,
    model: LoadModel = DEFAULT_MODEL,
) -> Range:
    """Steps for a run of this distance and time; a recorded cadence wins over the model."""
    minutes = duration_s / 60
    if cadence_spm:
        return _around(minutes * cadence_spm, RECORDED_CADENCE_SPREAD)
    cadence = model.cadence(walking).at(speed_kmh(distance_km, duration_s))
    return _around(minutes * cadence, model.step_spread)


def _around(value: float, share: float) -> Range:
    return Range(value * (1 - share), value * (1 + share))


def force_multiplier(workout_type: str, model: LoadModel = DEFAULT_MODEL) -> Range:
    return model.walk_bw if is_walk(workout_type) else model.run_bw


def estimate_load(
    distance_km: float,
    duration_s: float,
    workout_type: str,
    body_weight_kg: float | None,
    model: LoadModel = DEFAULT_MODEL,
    cadence_spm: float | None = None,
) -> dict[str, dict[str, float | int]]:
    steps = estimate_steps(
        distance_km,
        duration_s,
        walking=is_walk(workout_type),
        cadence_spm=cadence_spm,
        model=model,
    )
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


def load_units(steps_mid: float, workout_type: str, model: LoadModel = DEFAULT_MODEL) -> float:
    """A weight-free measure of a run's load: midpoint steps x midpoint multiplier."""
    return steps_mid * force_multiplier(workout_type, model).mid


def relative_change(value: float, usual: float | None) -> int | None:
    """Whole per cent by which `value` differs from `usual` (None when nothing to compare)."""
    if not usual:
        return None
    return round((value / usual - 1) * 100)
