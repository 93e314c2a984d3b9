"""Scoring and judging questionnaires: pure functions over a questionnaire's definition.

A definition is the JSON of one entry in the content file (see docs/outcomes.md):
`format` is "items" (fixed questions) or "activities" (the runner names what to rate),
and `scoring` says how the answers become one number and what change matters.
Sums and means are worked in exact fractions, so 2.0 points is never 1.9999.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

METHODS = ("sum", "mean", "percentage")
DIRECTIONS = ("higher_better", "lower_better")
JUDGEMENTS = ("meaningful_improvement", "no_meaningful_change", "meaningful_worsening")
PLACES = 4  # stored scores keep four decimals


@dataclass(frozen=True)
class Scale:
    low: int
    high: int

    def contains(self, value: Any) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )


def item_scales(definition: Mapping[str, Any]) -> dict[str, tuple[Scale, bool]]:
    """Per item key: its answer scale and whether it is scored reversed."""
    return {
        item["key"]: (Scale(item["min"], item["max"]), bool(item.get("reversed", False)))
        for item in definition.get("items", [])
    }


def activity_scale(definition: Mapping[str, Any]) -> Scale:
    scale = definition["activity_scale"]
    return Scale(scale["min"], scale["max"])


def check_items(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Errors per item key: missing, unknown, or off the item's scale. Empty when fine."""
    errors: dict[str, list[str]] = {}
    scales = item_scales(definition)
    for key, (scale, _) in scales.items():
        if key not in answers or answers[key] is None:
            errors[key] = ["Answer this question."]
        elif not scale.contains(answers[key]):
            errors[key] = [f"Give a whole number from {scale.low} to {scale.high}."]
    for key in answers:
        if key not in scales:
            errors[key] = ["This questionnaire has no such question."]
    return errors


def check_activities(
    definition: Mapping[str, Any],
    activities: Sequence[Mapping[str, Any]],
    named_before: Sequence[str] | None,
) -> dict[str, Any]:
    """Errors for a patient-specific answer; `named_before` are the baseline's activities."""
    count = definition["activity_count"]
    scale = activity_scale(definition)
    names = [str(a.get("name", "")).strip() for a in activities]
    if named_before is None:
        if not count["min"] <= len(activities) <= count["max"]:
            return {"_schema": [f"Name {count['min']} to {count['max']} activities."]}
        if len({n.casefold() for n in names}) != len(names):
            return {"_schema": ["Name each activity once."]}
    elif sorted(names) != sorted(named_before):
        return {"_schema": ["Rate the same activities you named the first time."]}
    errors: dict[str, Any] = {}
    for index, (name, activity) in enumerate(zip(names, activities, strict=True)):
        if not name:
            errors[str(index)] = {"name": ["Name the activity."]}
        elif not scale.contains(activity.get("rating")):
            errors[str(index)] = {
                "rating": [f"Rate {name!r} with a whole number from {scale.low} to {scale.high}."]
            }
    return errors


def exact_score(definition: Mapping[str, Any], values: Mapping[str, int]) -> Fraction:
    """The score of complete, valid answers, as an exact fraction.

    `values` maps item keys (or activity names) to answers. Reversed items count as
    (low + high - answer), so a higher number always means the same thing before summing.
    """
    scoring = definition["scoring"]
    method = scoring["method"]
    if definition["format"] == "activities":
        scale = activity_scale(definition)
        scored = [(Fraction(v), scale) for v in values.values()]
    else:
        scales = item_scales(definition)
        scored = []
        for key, (scale, reversed_) in scales.items():
            value = values[key]
            scored.append((Fraction(scale.low + scale.high - value if reversed_ else value), scale))
    if not scored:
        raise ValueError("nothing to score")
    total = sum((v for v, _ in scored), Fraction(0))
    if method == "sum":
        return total
    if method == "mean":
        return total / len(scored)
    if method == "percentage":
        low = sum(s.low for _, s in scored)
        high = sum(s.high for _, s in scored)
        return (total - low) / (high - low) * 100
    raise ValueError(f"unknown scoring method {method!r}")


def score(definition: Mapping[str, Any], values: Mapping[str, int]) -> float:
    return round(float(exact_score(definition, values)), PLACES)


def judge(scoring: Mapping[str, Any], baseline: float | None, current: float | None) -> str | None:
    """Change from baseline against the instrument's minimal important change.

    Improvement: a change in the better direction of at least `mic_points`, or, when
    `mic_percent` is set and the baseline is not zero, of at least that share of the
    baseline. The percentage rule is only used for improvement: it was set for pain
    relief, and a small rise from a low baseline (1 to 1.5 is 50 %) is no worsening.
    Worsening: a change in the worse direction of at least `mic_points`.
    None when the instrument has no minimal important change, or no baseline yet.
    """
    points = scoring.get("mic_points")
    if points is None or baseline is None or current is None:
        return None
    sign = 1 if scoring["direction"] == "higher_better" else -1
    gain = Fraction(str(current)) - Fraction(str(baseline))
    gain *= sign
    limit = Fraction(str(points))
    if gain >= limit:
        return "meaningful_improvement"
    percent = scoring.get("mic_percent")
    if (
        percent is not None
        and baseline != 0
        and gain > 0
        and gain / abs(Fraction(str(baseline))) * 100 >= Fraction(str(percent))
    ):
        return "meaningful_improvement"
    if -gain >= limit:
        return "meaningful_worsening"
    return "no_meaningful_change"


def check_definition(definition: Mapping[str, Any]) -> list[str]:
    """Problems with a questionnaire's content entry (empty when it can be loaded)."""
    problems = []
    for key in ("slug", "name", "kind", "format", "scoring", "source"):
        if key not in definition:
            problems.append(f"missing {key!r}")
    if problems:
        return problems
    scoring = definition["scoring"]
    if scoring.get("method") not in METHODS:
        problems.append(f"scoring.method must be one of {', '.join(METHODS)}")
    if scoring.get("direction") not in DIRECTIONS:
        problems.append(f"scoring.direction must be one of {', '.join(DIRECTIONS)}")
    for key in ("mic_points", "mic_percent"):
        value = scoring.get(key)
        if value is not None and (not isinstance(value, int | float) or value <= 0):
            problems.append(f"scoring.{key} must be a positive number or null")
    if definition["format"] == "items":
        items = definition.get("items") or []
        if not items:
            problems.append("an items questionnaire needs at least one item")
        keys = [item.get("key") for item in items]
        if len(set(keys)) != len(keys) or not all(isinstance(k, str) and k for k in keys):
            problems.append("each item needs its own non-empty key")
        for item in items:
            low, high = item.get("min"), item.get("max")
            if not (isinstance(low, int) and isinstance(high, int) and low < high):
                problems.append(f"item {item.get('key')!r} needs whole-number min < max")
    elif definition["format"] == "activities":
        count = definition.get("activity_count") or {}
        scale = definition.get("activity_scale") or {}
        if not (isinstance(count.get("min"), int) and 1 <= count["min"] <= count.get("max", 0)):
            problems.append("activity_count needs 1 <= min <= max")
        if not (
            isinstance(scale.get("min"), int) and scale["min"] < scale.get("max", scale["min"])
        ):
            problems.append("activity_scale needs whole-number min < max")
        if scoring.get("method") == "sum":
            problems.append("activities are scored by mean or percentage, not sum")
    else:
        problems.append("format must be 'items' or 'activities'")
    if definition["kind"] not in ("cycle", "follow_up"):
        problems.append("kind must be 'cycle' or 'follow_up'")
    return problems
