"""Questionnaires from content files: the built-in ones in `builtin.json` next to this
file, and a practice's own (licensed) ones from a file in the same format.

Loading is keyed by slug and can run any number of times: unchanged entries stay as
they are, edited ones are updated in place, new ones are added. Questionnaires that
left the file are kept, since answers point at them.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from backend.extensions import db
from backend.outcomes.models import Questionnaire
from backend.outcomes.scoring import check_definition

CONTENT_FILE = Path(__file__).with_name("builtin.json")


class ContentError(ValueError):
    """The content file cannot be loaded as it is."""


def read_content(path: Path) -> dict[str, Any]:
    content = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for entry in content.get("questionnaires", []):
        problems += [f"{entry.get('slug', '?')}: {p}" for p in check_definition(entry)]
    if "version" not in content or not content.get("questionnaires"):
        problems.append("the file needs a version and at least one questionnaire")
    if problems:
        raise ContentError("; ".join(problems))
    return content


def load_questionnaires(
    path: Path | None = None, owner_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """Create or refresh questionnaires; built in without an owner, else the practice's own."""
    content = read_content(path or CONTENT_FILE)
    version = int(content["version"])
    entries = content["questionnaires"]
    existing = {
        q.slug: q
        for q in db.session.scalars(
            select(Questionnaire).where(Questionnaire.slug.in_([e["slug"] for e in entries]))
        )
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for position, entry in enumerate(entries):
        row = existing.get(entry["slug"])
        values = {
            "name": entry["name"],
            "kind": entry["kind"],
            "position": position,
            "content_version": version,
            "definition": entry,
        }
        if row is None:
            db.session.add(
                Questionnaire(
                    slug=entry["slug"], builtin=owner_id is None, owner_id=owner_id, **values
                )
            )
            counts["created"] += 1
            continue
        if row.builtin != (owner_id is None) or (owner_id is not None and row.owner_id != owner_id):
            db.session.rollback()
            raise ContentError(f"{entry['slug']}: this slug belongs to another questionnaire")
        changed = any(getattr(row, k) != v for k, v in values.items() if k != "content_version")
        for key, value in values.items():
            setattr(row, key, value)
        counts["updated" if changed else "unchanged"] += 1
    db.session.commit()
    return {"version": version, "questionnaires": counts}
