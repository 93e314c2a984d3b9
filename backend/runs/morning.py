"""Passing or lingering: what the next-morning answer says about a run.

A change on a 0-10 pain rating matters when it is at least 2 points or 30 % (the
minimal clinically important difference reported for the numeric pain rating scale,
Farrar et al. 2001, and for low-back pain, Childs et al. 2005). Read against that:

- passing: by the next morning the stiffness has fallen by a change that matters, or
  is down to 0-1 (barely felt);
- lingering: it is still at least 2 and has not fallen by a change that matters.

The floor of 2 is Limber's own choice, so that "1 after, 1 the next morning" is not
called lingering. A run without a morning answer is neither.

Across runs, a workout type "leaves stiffness to the next morning" when, in the window
looked at, at least 2 answered runs of that type lingered and they are at least half of
its answered runs (also Limber's own threshold: one bad morning is not a pattern).

The same rule is written twice, once in Python and once as a SQL expression for
aggregates; a test checks that both agree on every pair of values.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import and_, not_, or_

Course = Literal["passing", "lingering"]

MEANINGFUL_POINTS = 2
MEANINGFUL_PERCENT = 30
FELT = 2
PATTERN_MIN_RUNS = 2

WORKOUT_LABELS = {
    "easy": "easy runs",
    "long": "long runs",
    "tempo": "tempo runs",
    "intervals": "intervals",
    "hills": "hills",
    "race": "races",
    "walk": "walks",
    "other": "other runs",
}

# One run of each workout type, as a sentence names it.
RUN_NOUNS = {
    "easy": "easy run",
    "long": "long run",
    "tempo": "tempo run",
    "intervals": "interval session",
    "hills": "hill workout",
    "race": "race",
    "walk": "walk",
    "other": "run",
}


def meaningful_drop(after_run: int, morning: int) -> bool:
    drop = after_run - morning
    # Whole numbers only: 100 * drop >= 30 * after avoids 0.3 * 10 != 3 in floats.
    return drop >= MEANINGFUL_POINTS or (
        after_run > 0 and drop > 0 and 100 * drop >= MEANINGFUL_PERCENT * after_run
    )


def course(after_run: int, morning: int | None) -> Course | None:
    """How the stiffness of one run went by the next morning, or None without an answer."""
    if morning is None:
        return None
    if morning < FELT or meaningful_drop(after_run, morning):
        return "passing"
    return "lingering"


def lingering_sql(after_run: Any, morning: Any) -> Any:
    """The `lingering` test as a SQL boolean over two integer columns."""
    drop = after_run - morning
    meaningful = or_(
        drop >= MEANINGFUL_POINTS,
        and_(after_run > 0, drop > 0, 100 * drop >= MEANINGFUL_PERCENT * after_run),
    )
    return and_(morning.is_not(None), morning >= FELT, not_(meaningful))


def lingers_after(answered: int, lingering: int) -> bool:
    """Whether a workout type's next mornings show a pattern of lingering stiffness."""
    return lingering >= PATTERN_MIN_RUNS and 2 * lingering >= answered


def still_stiff_phrase(workout_type: str) -> str:
    return f"Still stiff the morning after {WORKOUT_LABELS.get(workout_type, 'runs')}"
