"""Scores where the practitioner reads them: the CSV export, and the demo practice."""

from __future__ import annotations

import csv
import io

from backend import demo
from backend.extensions import db
from tests.outcomes.conftest import nprs_body, psfs_body
from tests.practice.support import link
from tests.support import Api


class TestCsvExport:
    def test_every_score_is_a_row_with_its_date_and_change(
        self, runner, runner_api, practitioner_api, questionnaires
    ):
        link(runner_api, practitioner_api)
        post = runner_api.post
        post("/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], (3, 5, 4), 14))
        post("/api/v1/questionnaire-responses", nprs_body(questionnaires["nprs"], 6, 4, 8, 14))
        post("/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], (5, 7, 6)))
        text = practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv").get_data(
            as_text=True
        )
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["record"] == "questionnaire"]
        assert [(r["questionnaire"], r["score"], r["change_from_first"]) for r in rows] == [
            ("PSFS", "4.0", ""),
            ("NPRS", "6.0", ""),
            ("PSFS", "6.0", "2.0"),
        ]
        assert rows[2]["judgement"] == "meaningful improvement"
        assert all(r["local_date"] and r["at_utc"] for r in rows)


class TestDemoOutcomes:
    def test_the_stories_show_in_the_scores_and_the_roster(self, app):
        with app.app_context():
            assert demo.create_demo() is True
            db.session.remove()
        coach = Api(app.test_client()).login(demo.PRACTITIONER, demo.PRACTITIONER.password)
        roster = coach.get("/api/v1/clients").get_json()["items"]
        by_name = {i["display_name"]: i for i in roster}
        flagged = by_name[demo.FLAGGED.display_name]
        assert any(r.startswith("Meaningful worsening on NPRS, PSFS") for r in flagged["reasons"])
        improving = by_name[demo.RUNNER.display_name]
        outcomes = coach.get(f"/api/v1/clients/{improving['id']}/outcomes").get_json()
        judged = {i["questionnaire"]["slug"]: i["judgement"] for i in outcomes["instruments"]}
        assert judged == {
            "nprs": "meaningful_improvement",
            "psfs": "meaningful_improvement",
            "groc": None,
        }
        runner = Api(app.test_client()).login(demo.RUNNER, demo.RUNNER.password)
        assert runner.get("/api/v1/me/questionnaires/due").get_json()["items"] == []
