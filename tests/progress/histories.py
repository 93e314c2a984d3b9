"""Made-up runner histories whose true effects are known, for testing the analysis."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from backend.progress.effects import Observation


@dataclass(frozen=True)
class Truth:
    base: float = 4.0
    trend_per_week: float = -0.05
    noise: float = 1.5  # stiffness wanders up to this much either way (uniform)
    effects: dict[tuple[str, str], float] = field(
        default_factory=lambda: {
            ("workout_type", "hills"): 3.0,
            ("surface", "trail"): 2.0,
            ("surface", "track"): -1.0,
        }
    )


WORKOUTS = (("easy", 0.5), ("hills", 0.2), ("tempo", 0.15), ("long", 0.15))
SURFACES = (("road", 0.5), ("trail", 0.2), ("track", 0.18), ("grass", 0.12))


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def history(seed: int, runs: int = 72, truth: Truth | None = None) -> list[Observation]:
    """`runs` runs over about four a week. Hill workouts are mostly on hilly ground, so
    terrain and workout type overlap, as they do for real runners; terrain's own true
    effect is zero unless `truth` says otherwise."""
    truth = truth or Truth()
    rng = random.Random(seed)
    out = []
    for i in range(runs):
        weeks = i / 4
        workout = _pick(rng, WORKOUTS)
        surface = _pick(rng, SURFACES)
        if workout == "hills":
            terrain = "hilly" if rng.random() < 0.7 else "rolling"
        else:
            terrain = rng.choice(("flat", "flat", "flat", "rolling", "hilly"))
        distance = rng.choice(("usual", "usual", "usual", "long", "short"))
        load = "high" if rng.random() < 0.15 else "usual"
        levels = {
            "workout_type": workout,
            "surface": surface,
            "terrain": terrain,
            "distance": distance,
            "weekly_load": load,
        }
        value = truth.base + truth.trend_per_week * weeks
        value += sum(truth.effects.get((f, lvl), 0.0) for f, lvl in levels.items())
        value += rng.uniform(-truth.noise, truth.noise)
        out.append(Observation(float(min(10, max(0, round(value)))), weeks, levels))
    return out
