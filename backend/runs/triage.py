"""Red-flag triage: which answers mean get help, and how soon. Plain functions, no Flask."""

from __future__ import annotations

from collections.abc import Iterable

EMERGENCY = frozenset({"saddle_numbness", "bladder_bowel_change", "both_legs"})
URGENT = frozenset({"fever", "weight_loss", "night_pain", "leg_weakness_worsening"})
SEE_PROFESSIONAL = frozenset({"sharp_pain", "shooting_pain_leg", "leg_numbness", "leg_weakness"})
RED_FLAGS = (
    "sharp_pain",
    "shooting_pain_leg",
    "leg_numbness",
    "leg_weakness",
    "leg_weakness_worsening",
    "both_legs",
    "saddle_numbness",
    "bladder_bowel_change",
    "fever",
    "weight_loss",
    "night_pain",
)
LEVELS = ("none", "see_professional", "urgent", "emergency")

# The questions as the runner reads them in the app; practitioners see the same words.
RED_FLAG_LABELS = {
    "saddle_numbness": "Numbness around the groin, buttocks or inner thighs",
    "bladder_bowel_change": "New trouble controlling or passing urine or stools",
    "both_legs": "Numbness, tingling or weakness in both legs (not muscle soreness)",
    "fever": "Fever or feeling unwell with the back pain",
    "weight_loss": "Weight loss you can't explain",
    "night_pain": "Pain that wakes you at night or doesn't ease with rest",
    "leg_weakness_worsening": "Leg weakness that is getting worse (a foot that drags or catches)",
    "sharp_pain": "Sharp pain (not just tightness)",
    "shooting_pain_leg": "Pain shooting down a leg",
    "leg_numbness": "Numbness or tingling in a leg",
    "leg_weakness": "A leg feels weak",
}

# Said with every piece of advice that is not itself the emergency one.
SAFETY_NET = (
    "Get emergency care at once if numbness reaches the groin, buttocks or inner thighs, "
    "if bladder or bowel control changes, or if symptoms appear in both legs."
)

MESSAGES = {
    "none": (
        "No warning signs. Stiffness after a run is usually your body guarding, not damage; "
        "your routines help it settle. If it has not settled in a few days, or keeps "
        "getting worse, ask your practitioner or a physical therapist to take a look."
    ),
    "see_professional": (
        "Sharp pain, pain running down a leg, or numbness or weakness in a leg should be "
        "looked at. Book an assessment with a physical therapist, athletic trainer or "
        "orthopaedic doctor in the next few days, and hold off hard sessions until then. "
        + SAFETY_NET
    ),
    "urgent": (
        "Back pain together with fever, weight loss you can't explain, pain that wakes you "
        "at night, or leg weakness that is getting worse needs a doctor today or tomorrow. "
        "Don't run until you have been seen. " + SAFETY_NET
    ),
    "emergency": (
        "Get emergency care now. Numbness around the groin or buttocks, a new change in "
        "bladder or bowel control, or symptoms in both legs can mean a nerve is being "
        "squeezed, and it needs attention straight away. Call your local emergency number "
        "or go to the nearest emergency department."
    ),
}


def flag_label(flag: str) -> str:
    return RED_FLAG_LABELS.get(flag, flag.replace("_", " "))


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
