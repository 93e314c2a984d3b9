"""Passing or lingering: what the next-morning answer says about a run. Plain functions.

A change on a 0-10 pain rating matters when it is at least 2 points or 30 % (the
minimal clinically important difference reported for the numeric pain rating scale,
Farrar et al. 2001, and for low-back pain, Childs et al. 2005). Read against that:

- passing: by the next morning the stiffness has fallen by a change that matters, or
  is down to 0-1 (barely felt);
- lingering: it is still at least 2 and has not fallen by a change that matters.

The floor of 2 is Limber's own choice, so that "1 after, 1 the next morning" is not
called lingering. A run without a morning answer is neither.
"""

from __future__ import annotations

from typing import Literal

Course = Literal["passing", "lingering"]

MEANINGFUL_POINTS = 2
MEANINGFUL_SHARE = 0.3
FELT = 2


def meaningful_drop(after_run: int, morning: int) -> bool:
    drop = after_run - morning
    return drop >= MEANINGFUL_POINTS or (after_run > 0 and drop >= MEANINGFUL_SHARE * after_run)


def course(after_run: int, morning: int | None) -> Course | None:
    """How the stiffness of one run went by the next morning, or None without an answer."""
    if morning is None:
        return None
    if morning < FELT or meaningful_drop(after_run, morning):
        return "passing"
    return "lingering"
