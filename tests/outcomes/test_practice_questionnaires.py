"""A practice's own (licensed) questionnaire: loaded by command, offered to its clients."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from backend.outcomes.models import Questionnaire
from tests.outcomes.conftest import ago
from tests.practice.support import link
from tests.support import PASSWORD

CUSTOM_FILE = Path(__file__).with_name("licensed_example.json")


def _load(app, email, path=CUSTOM_FILE):
    return app.test_cli_runner().invoke(
        args=["load-questionnaires", str(path), "--practitioner", email]
    )


class TestLoadCommand:
    def test_it_loads_once_and_then_leaves_it_unchanged(self, app, practitioner, sql):
        first = _load(app, practitioner.email)
        assert first.exit_code == 0, first.output
        assert "'created': 1" in first.output
        again = _load(app, practitioner.email)
        assert "'unchanged': 1" in again.output
        owners = sql(lambda s: [q.owner_id for q in s.scalars(select(Questionnaire))])
        assert owners == [practitioner.id]

    def test_it_refuses_a_runner_and_a_broken_file(self, app, runner, practitioner, tmp_path, sql):
        assert _load(app, runner.email).exit_code != 0
        broken = json.loads(CUSTOM_FILE.read_text())
        broken["questionnaires"][0]["scoring"]["method"] = "median"
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(broken))
        result = _load(app, practitioner.email, path)
        assert result.exit_code != 0 and "scoring.method" in result.output
        assert sql(lambda s: s.scalars(select(Questionnaire)).all()) == []

    def test_another_practice_cannot_take_the_slug(self, app, practitioner, make_user):
        assert _load(app, practitioner.email).exit_code == 0
        other = make_user(role="practitioner")
        result = _load(app, other.email)
        assert result.exit_code != 0 and "belongs to another" in result.output


class TestAnsweringIt:
    def test_it_is_scored_by_percentage_with_reversed_items(
        self, app, practitioner, runner_api, practitioner_api, questionnaires
    ):
        _load(app, practitioner.email)
        link(runner_api, practitioner_api)
        items = runner_api.get("/api/v1/questionnaires").get_json()["items"]
        custom = next(q for q in items if q["slug"] == "back-index")
        assert [i["reversed"] for i in custom["items"]] == [False, True, False, False, True]
        body = {
            "questionnaire_id": custom["id"],
            "answered_at": ago(0),
            "answers": {"q1": 4, "q2": 1, "q3": 2, "q4": 0, "q5": 5},
        }
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["score"] == 40.0

    def test_answers_outlive_the_practitioner(
        self, app, practitioner, runner, runner_api, practitioner_api, questionnaires
    ):
        _load(app, practitioner.email)
        link(runner_api, practitioner_api)
        items = runner_api.get("/api/v1/questionnaires").get_json()["items"]
        custom = next(q for q in items if q["slug"] == "back-index")
        body = {
            "questionnaire_id": custom["id"],
            "answered_at": ago(0),
            "answers": {"q1": 1, "q2": 5, "q3": 0, "q4": 0, "q5": 5},
        }
        assert runner_api.post("/api/v1/questionnaire-responses", body).status_code == 201
        assert practitioner_api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
        slugs = [q["slug"] for q in runner_api.get("/api/v1/questionnaires").get_json()["items"]]
        assert "back-index" not in slugs
        outcomes = runner_api.get("/api/v1/me/outcomes").get_json()["instruments"]
        assert [(i["questionnaire"]["slug"], i["latest"]["score"]) for i in outcomes] == [
            ("back-index", 4.0)
        ]
