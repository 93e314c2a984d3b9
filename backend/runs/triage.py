"""Red-flag triage: which answers mean get help, and how soon. Plain functions, no Flask."""

from __future__ import annotations

from collections.abc import Iterable

EMERGENCY = frozenset({"saddle_numbness", "bladder_bowel_change", "both_legs"})
URGENT = frozenset({"fever", "weight_loss", "night_pain"})
SEE_PROFESSIONAL = frozenset({"sharp_pain", "shooting_pain_leg", "leg_numbness", "leg_weakness"})
RED_FLAGS = (
    "sharp_pain",
    "shooting_pain_leg",
    "leg_numbness",
    "leg_weakness",
    "both_legs",
    "saddle_numbness",
    "bladder_bowel_change",
    "fever",
    "weight_loss",
    "night_pain",
)
LEVELS = ("none", "see_professional", "urgent", "emergency")

MESSAGES = {
    "none": (
        "No warning signs. Stiffness after a run is usually your body guarding, not damage; "
        "your routines help it settle."
    ),
    "see_professional": (
        "Sharp pain, pain running down a leg, or numbness or weakness in a leg should be "
        "looked at. Book an assessment with a physical therapist, athletic trainer or "
        "orthopaedic doctor in the next few days, and hold off hard sessions until then."
    ),
    "urgent": (
        "Back pain together with fever, weight loss you can't explain, or pain that wakes "
        "you at night needs a doctor today or tomorrow. Don't run until you have been seen."
    ),
    "emergency": (
        "Get emergency care now. Numbness around the groin or buttocks, a new change in "
        "bladder or bowel control, or symptoms in both legs can mean a nerve is being "
        "squeezed, and it needs attention straight away. Call your local emergency number "
        "or go to the nearest emergency department."
    ),
}


def triage_level(flags: Iterable[str]) -> str:
    given = set(flags)
    if given & EMERGENCY:
        return "emergency"
    if given & URGENT:
        return "urgent"
    if given & SEE_PROFESSIONAL:
        return "see_professional"
    return "none"


def advice(flags: Iterable[str]) -> dict[str, str]:
    level = triage_level(flags)
    return {"level": level, "message": MESSAGES[level]}
