"""The built-in exercises and routines, loaded from `builtin.json` next to this file.

Loading is keyed by slug, so it can run any number of times: rows that match the file
stay untouched, edited entries update their rows in place, new entries are added.
Built-ins that left the file are kept, since assignments and sessions may point at them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.extensions import db
from backend.routines.library.service import set_steps
from backend.routines.models import Exercise, Routine

CONTENT_FILE = Path(__file__).with_name("builtin.json")

_EXERCISE_FIELDS = (
    "name",
    "summary",
    "instructions",
    "cues",
    "safety",
    "illustration",
    "equipment",
    "body_areas",
)
_ROUTINE_FIELDS = ("name", "purpose", "description", "safety", "estimated_minutes")


def load_builtin(path: Path | None = None) -> dict[str, Any]:
    """Create or refresh the built-in content; counts of what was created and updated."""
    content = json.loads((path or CONTENT_FILE).read_text(encoding="utf-8"))
    version = int(content["version"])
    exercise_counts = _counts()
    routine_counts = _counts()

    exercises = {
        e.slug: e for e in db.session.scalars(select(Exercise).where(Exercise.owner_id.is_(None)))
    }
    for item in content["exercises"]:
        values = {key: item[key] for key in _EXERCISE_FIELDS}
        values["content_version"] = version
        exercise = exercises.get(item["slug"])
        if exercise is None:
            exercise = exercises[item["slug"]] = Exercise(slug=item["slug"], **values)
            db.session.add(exercise)
            exercise_counts["created"] += 1
        else:
            exercise_counts[_update(exercise, values)] += 1
    db.session.flush()

    routines = {
        r.slug: r
        for r in db.session.scalars(
            select(Routine).where(Routine.owner_id.is_(None)).options(selectinload(Routine.steps))
        )
    }
    starters = [r["slug"] for r in content["routines"] if r["starter"]]
    for item in content["routines"]:
        values = {key: item[key] for key in _ROUTINE_FIELDS}
        values["content_version"] = version
        values["starter_order"] = starters.index(item["slug"]) if item["starter"] else None
        steps = [{**step, "exercise_id": step["exercise"]} for step in item["steps"]]
        routine = routines.get(item["slug"])
        if routine is None:
            routine = Routine(slug=item["slug"], **values)
            set_steps(routine, steps, exercises)
            db.session.add(routine)
            routine_counts["created"] += 1
        else:
            outcome = _update(routine, values)
            if set_steps(routine, steps, exercises):
                outcome = "updated"
            routine_counts[outcome] += 1
    db.session.commit()
    return {"version": version, "exercises": exercise_counts, "routines": routine_counts}


def _counts() -> dict[str, int]:
    return {"created": 0, "updated": 0, "unchanged": 0}


def _update(row: Any, values: dict[str, Any]) -> str:
    """Set what differs; "updated" only when the content itself changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = changed or key != "content_version"
    return "updated" if changed else "unchanged"
