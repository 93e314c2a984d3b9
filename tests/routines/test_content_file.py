"""Checks on the built-in exercise and routine content shipped with Limber.

The content file is data, not code, so these tests guard its shape: the API loader
and the offline front end both rely on it being complete and consistent.
"""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backend.routines import models

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTENT_FILE = REPO_ROOT / "backend" / "routines" / "content" / "builtin.json"
FRONTEND_DIR = REPO_ROOT / "frontend"
ILLUSTRATION_DIR = FRONTEND_DIR / "img" / "exercises"

SVG_NS = "{http://www.w3.org/2000/svg}"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The file must use exactly the values the models accept.
BODY_AREAS = set(models.BODY_AREAS)
SIDES = set(models.SIDES)
DOSE_FIELDS = models.DOSES

EXERCISE_KEYS = {
    "slug",
    "name",
    "summary",
    "instructions",
    "cues",
    "safety",
    "skip_if",
    "illustration",
    "equipment",
    "body_areas",
}
ROUTINE_KEYS = {
    "slug",
    "name",
    "purpose",
    "description",
    "safety",
    "estimated_minutes",
    "starter",
    "steps",
}
STEP_KEYS = {"exercise", "sets", "reps", "seconds", "breaths", "side", "rest_s", "cues"}

REQUIRED_ROUTINES = {
    "coregous-ball-breathing",
    "low-back-release",
    "hip-circles",
    "core-stability",
    "hill-positioning",
}
STARTER_ROUTINES = {"coregous-ball-breathing", "low-back-release", "hip-circles"}

MAX_SVG_BYTES = 3 * 1024


def _load():
    with CONTENT_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


CONTENT = _load()
EXERCISES = CONTENT.get("exercises", [])
ROUTINES = CONTENT.get("routines", [])
EXERCISE_SLUGS = {e.get("slug") for e in EXERCISES}


def _is_int(value):
    # bool is a subclass of int; a JSON true/false is never a valid count.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value, max_len=None):
    if not isinstance(value, str) or not value.strip():
        return False
    return max_len is None or len(value) <= max_len


def _text_list(value, low, high, max_len=None):
    return (
        isinstance(value, list)
        and low <= len(value) <= high
        and all(_is_text(item, max_len) for item in value)
    )


def _ids(items):
    return [item.get("slug", "?") for item in items]


# --- file level -------------------------------------------------------------


def test_file_shape():
    assert set(CONTENT) == {"version", "exercises", "routines"}
    assert CONTENT["version"] == 2
    assert isinstance(EXERCISES, list) and EXERCISES
    assert isinstance(ROUTINES, list) and ROUTINES


def test_file_is_utf8_with_two_space_indent():
    raw = CONTENT_FILE.read_bytes().decode("utf-8")
    assert raw.startswith('{\n  "version": 2,')


def test_exercise_slugs_unique():
    slugs = [e["slug"] for e in EXERCISES]
    assert len(slugs) == len(set(slugs))


def test_routine_slugs_unique():
    slugs = [r["slug"] for r in ROUTINES]
    assert len(slugs) == len(set(slugs))


def test_required_routines_present():
    assert {r["slug"] for r in ROUTINES} >= REQUIRED_ROUTINES


def test_starter_flags_exactly_on_the_three_starters():
    starters = {r["slug"] for r in ROUTINES if r["starter"] is True}
    assert starters == STARTER_ROUTINES
    assert all(isinstance(r["starter"], bool) for r in ROUTINES)


# --- exercises --------------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids(EXERCISES))
def test_exercise_fields(exercise):
    assert set(exercise) == EXERCISE_KEYS
    assert SLUG_RE.match(exercise["slug"])
    assert _is_text(exercise["name"], 80)
    assert _is_text(exercise["summary"], 200)
    assert _text_list(exercise["instructions"], 3, 7, max_len=200)
    assert _text_list(exercise["cues"], 2, 6, max_len=200)
    # Only stop rules here; reasons not to start at all are in skip_if.
    assert _text_list(exercise["safety"], 1, 3, max_len=200)
    assert not any(text.lower().startswith("skip") for text in exercise["safety"])
    assert exercise["skip_if"] == [] or _text_list(exercise["skip_if"], 1, 3, max_len=200)
    assert _is_text(exercise["equipment"], 40)
    areas = exercise["body_areas"]
    assert isinstance(areas, list) and areas
    assert len(areas) == len(set(areas))
    assert set(areas) <= BODY_AREAS


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids(EXERCISES))
def test_illustration_path_matches_slug(exercise):
    assert exercise["illustration"] == f"img/exercises/{exercise['slug']}.svg"


# --- routines ---------------------------------------------------------------


@pytest.mark.parametrize("routine", ROUTINES, ids=_ids(ROUTINES))
def test_routine_fields(routine):
    assert set(routine) == ROUTINE_KEYS
    assert SLUG_RE.match(routine["slug"])
    assert _is_text(routine["name"], 80)
    assert _is_text(routine["purpose"])
    assert _is_text(routine["description"], 120)
    assert _text_list(routine["safety"], 1, 4, max_len=200)
    assert _is_int(routine["estimated_minutes"])
    assert 5 <= routine["estimated_minutes"] <= 12
    assert isinstance(routine["steps"], list)
    assert 2 <= len(routine["steps"]) <= 5


@pytest.mark.parametrize("routine", ROUTINES, ids=_ids(ROUTINES))
def test_routine_steps(routine):
    for index, step in enumerate(routine["steps"]):
        where = f"{routine['slug']} step {index}"
        assert set(step) == STEP_KEYS, where
        assert step["exercise"] in EXERCISE_SLUGS, where
        assert _is_int(step["sets"]) and step["sets"] >= 1, where
        doses = [field for field in DOSE_FIELDS if step[field] is not None]
        assert len(doses) == 1, f"{where}: exactly one of reps/seconds/breaths, got {doses}"
        dose = step[doses[0]]
        assert _is_int(dose) and dose >= 1, where
        assert step["side"] in SIDES, where
        assert _is_int(step["rest_s"]) and step["rest_s"] >= 0, where
        assert isinstance(step["cues"], list), where
        assert all(_is_text(cue, 200) for cue in step["cues"]), where


# --- illustrations ----------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids(EXERCISES))
def test_illustration_file(exercise):
    path = FRONTEND_DIR / exercise["illustration"]
    assert path.is_file(), f"missing {path.relative_to(REPO_ROOT)}"
    raw = path.read_bytes()
    assert len(raw) < MAX_SVG_BYTES
    text = raw.decode("utf-8")

    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 240 160"
    assert root.get("role") == "img"
    assert root.get("width") is None and root.get("height") is None

    title = root.find(f"{SVG_NS}title")
    assert title is not None and (title.text or "").strip()

    tags = {el.tag.split("}")[-1].lower() for el in root.iter()}
    assert "script" not in tags
    assert "<script" not in text.lower()
    assert "style=" not in text
    assert "currentColor" in text
    # Self-contained: no links to other files or the network.
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.endswith("href"), f"{path.name}: {name}={value}"
            assert "url(" not in value or value.startswith("url(#"), f"{path.name}: {value}"


# The player shows this one for practitioners' own exercises, which have no picture.
FALLBACK_ILLUSTRATION = "generic.svg"


def test_no_orphan_illustrations():
    on_disk = {p.name for p in ILLUSTRATION_DIR.glob("*.svg")}
    referenced = {Path(e["illustration"]).name for e in EXERCISES}
    assert on_disk == referenced | {FALLBACK_ILLUSTRATION}
