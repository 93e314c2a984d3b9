"""Loading the built-in content: idempotent, and edits update rows in place."""

import json

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.routines.content import CONTENT_FILE, load_builtin
from backend.routines.models import Exercise, Routine, RoutineStep

CONTENT = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))


def counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Exercise, Routine, RoutineStep)
    )


@pytest.fixture
def load(app):
    def run(path=None):
        with app.app_context():
            try:
                return load_builtin(path)
            finally:
                db.session.remove()

    return run


@pytest.fixture
def edited(tmp_path):
    def write(change):
        content = json.loads(json.dumps(CONTENT))
        change(content)
        path = tmp_path / "builtin.json"
        path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


class TestLoadBuiltin:
    def test_it_creates_every_exercise_routine_and_step(self, load, sql):
        result = load()
        assert result["exercises"]["created"] == len(CONTENT["exercises"])
        assert result["routines"]["created"] == len(CONTENT["routines"])
        steps = sum(len(r["steps"]) for r in CONTENT["routines"])
        assert sql(counts) == (len(CONTENT["exercises"]), len(CONTENT["routines"]), steps)
        assert sql(lambda s: set(s.scalars(select(Exercise.content_version)))) == {
            CONTENT["version"]
        }

    def test_loading_twice_changes_nothing(self, load, sql):
        load()
        before = sql(counts)
        again = load()
        assert sql(counts) == before
        assert again["exercises"] == {
            "created": 0,
            "updated": 0,
            "unchanged": len(CONTENT["exercises"]),
        }
        assert again["routines"]["unchanged"] == len(CONTENT["routines"])

    def test_a_changed_instruction_updates_the_row(self, load, sql, edited):
        load()
        slug = CONTENT["exercises"][0]["slug"]
        before = sql(counts)

        def change(content):
            content["exercises"][0]["instructions"][1] = "Rest the ball under your sacrum."

        result = load(edited(change))
        assert result["exercises"]["updated"] == 1
        stored = sql(lambda s: s.scalar(select(Exercise).where(Exercise.slug == slug)).instructions)
        assert stored[1] == "Rest the ball under your sacrum."
        assert sql(counts) == before

    def test_changed_steps_are_updated_in_place(self, load, sql, edited):
        load()
        routine = CONTENT["routines"][1]

        def change(content):
            steps = content["routines"][1]["steps"]
            steps[0]["seconds"] += 15
            steps.pop()

        result = load(edited(change))
        assert result["routines"]["updated"] == 1
        stored = sql(
            lambda s: [
                (step.position, step.seconds)
                for step in s.scalar(select(Routine).where(Routine.slug == routine["slug"])).steps
            ]
        )
        expected = [(1, routine["steps"][0]["seconds"] + 15)] + [
            (i + 1, step["seconds"]) for i, step in enumerate(routine["steps"][1:-1], start=1)
        ]
        assert stored == expected

    def test_the_starter_programme_follows_the_file(self, load, sql):
        load()
        starters = sql(
            lambda s: list(
                s.scalars(
                    select(Routine.slug)
                    .where(Routine.starter_order.is_not(None))
                    .order_by(Routine.starter_order)
                )
            )
        )
        assert starters == [r["slug"] for r in CONTENT["routines"] if r["starter"]]


class TestSeedCommand:
    def test_it_loads_the_content_and_can_run_again(self, app, sql):
        runner = app.test_cli_runner()
        first = runner.invoke(args=["seed"])
        second = runner.invoke(args=["seed"])
        assert first.exit_code == second.exit_code == 0
        assert "'created': 5" in first.output
        assert sql(counts)[1] == len(CONTENT["routines"])
