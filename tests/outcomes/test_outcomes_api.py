"""The questionnaire routes: offered, due, answered (idempotent, validated), and read back."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, select

from backend.outcomes.content import load_questionnaires
from backend.outcomes.models import OutcomeSchedule, QuestionnaireResponse
from backend.practice.models import AccessRead
from tests.outcomes.conftest import ago, nprs_body, psfs_body
from tests.practice.support import link, statements

CUSTOM_FILE = Path(__file__).with_name("licensed_example.json")


def _responses(sql):
    return sql(lambda s: s.scalar(select(func.count()).select_from(QuestionnaireResponse)))


def _due(api):
    response = api.get("/api/v1/me/questionnaires/due")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _slugs(data):
    return [i["questionnaire"]["slug"] for i in data["items"]]


class TestListQuestionnaires:
    def test_it_lists_the_built_ins_with_their_scoring(self, runner_api, questionnaires):
        items = runner_api.get("/api/v1/questionnaires").get_json()["items"]
        assert [q["slug"] for q in items] == ["nprs", "psfs", "groc"]
        psfs = items[1]
        assert psfs["scoring"]["mic_points"] == 2 and psfs["activity_count"] == {"min": 3, "max": 5}
        assert "Stratford" in psfs["source"]

    def test_a_practices_own_questionnaire_reaches_only_its_clients(
        self, app, runner_api, practitioner_api, practitioner, make_user, questionnaires
    ):
        with app.app_context():
            load_questionnaires(CUSTOM_FILE, practitioner.id)
        assert "back-index" not in [
            q["slug"] for q in runner_api.get("/api/v1/questionnaires").get_json()["items"]
        ]
        link(runner_api, practitioner_api)
        slugs = [q["slug"] for q in runner_api.get("/api/v1/questionnaires").get_json()["items"]]
        assert slugs[-1] == "back-index"
        mine = practitioner_api.get("/api/v1/questionnaires").get_json()["items"]
        assert "back-index" in [q["slug"] for q in mine]


class TestDue:
    def test_a_new_runner_is_asked_for_a_baseline(self, runner_api, questionnaires):
        data = _due(runner_api)
        assert _slugs(data) == ["nprs", "psfs"]
        assert data["items"][1]["named_activities"] is None
        assert data["schedule"]["interval_weeks"] == 2
        assert data["schedule"]["next_due_on"] == data["date"]

    def test_nothing_is_due_right_after_answering(self, runner_api, questionnaires):
        assert (
            runner_api.post(
                "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"])
            ).status_code
            == 201
        )
        assert _slugs(_due(runner_api)) == ["nprs"]

    def test_two_weeks_on_the_same_activities_are_asked_again(self, runner_api, questionnaires):
        runner_api.post(
            "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], days_ago=14)
        )
        runner_api.post(
            "/api/v1/questionnaire-responses", nprs_body(questionnaires["nprs"], days_ago=14)
        )
        data = _due(runner_api)
        assert _slugs(data) == ["nprs", "psfs", "groc"]
        assert data["items"][1]["named_activities"] == [
            "run 10 km",
            "hill repeats",
            "sit through a work meeting",
        ]


class TestAnswer:
    def test_it_scores_and_is_idempotent(self, runner_api, questionnaires, sql):
        body = psfs_body(questionnaires["psfs"], ratings=(2, 3, 3, 6, 7))
        first = runner_api.post("/api/v1/questionnaire-responses", body)
        assert first.status_code == 201, first.get_json()
        assert first.get_json()["score"] == 4.2
        again = runner_api.post("/api/v1/questionnaire-responses", body)
        assert again.status_code == 200 and again.get_json() == first.get_json()
        other = {**body, "activities": body["activities"][:3]}
        assert runner_api.post("/api/v1/questionnaire-responses", other).status_code == 409
        assert _responses(sql) == 1

    def test_it_scores_the_nprs_composite(self, runner_api, questionnaires):
        body = nprs_body(questionnaires["nprs"], now=4, best=2, worst=7)
        assert (
            runner_api.post("/api/v1/questionnaire-responses", body).get_json()["score"] == 4.3333
        )

    def test_a_missing_item_is_named(self, runner_api, questionnaires, sql):
        body = nprs_body(questionnaires["nprs"])
        del body["answers"]["worst"]
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 422
        assert list(response.get_json()["errors"]["json"]["answers"]) == ["worst"]
        assert _responses(sql) == 0

    def test_an_out_of_range_item_is_named(self, runner_api, questionnaires, sql):
        body = nprs_body(questionnaires["nprs"], best=11)
        errors = runner_api.post("/api/v1/questionnaire-responses", body).get_json()["errors"]
        assert "0 to 10" in errors["json"]["answers"]["best"][0]
        body = psfs_body(questionnaires["psfs"], ratings=(3, -1, 4))
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 422
        assert (
            "hill repeats" in response.get_json()["errors"]["json"]["activities"]["1"]["rating"][0]
        )
        assert _responses(sql) == 0

    def test_a_wrong_type_is_named_by_the_schema(self, runner_api, questionnaires):
        body = nprs_body(questionnaires["nprs"])
        body["answers"]["now"] = "five"
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 422
        assert "now" in response.get_json()["errors"]["json"]["answers"]

    def test_answers_for_an_activities_questionnaire_are_refused(self, runner_api, questionnaires):
        body = nprs_body(questionnaires["psfs"])
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 422
        assert "activities" in response.get_json()["errors"]["json"]

    def test_two_activities_are_too_few(self, runner_api, questionnaires, sql):
        body = psfs_body(questionnaires["psfs"], ratings=(3, 4))
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 422
        assert _responses(sql) == 0

    def test_a_questionnaire_not_due_is_a_conflict(self, runner_api, questionnaires, sql):
        runner_api.post(
            "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], days_ago=1)
        )
        response = runner_api.post(
            "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"])
        )
        assert response.status_code == 409
        assert "not due" in response.get_json()["message"]
        groc = {
            "questionnaire_id": questionnaires["groc"],
            "answered_at": ago(0),
            "answers": {"change": 3},
        }
        assert runner_api.post("/api/v1/questionnaire-responses", groc).status_code == 409
        assert _responses(sql) == 1

    def test_an_unknown_or_other_practices_questionnaire_is_not_found(
        self, app, runner_api, make_user, questionnaires, sql
    ):
        stranger = make_user(role="practitioner")
        with app.app_context():
            load_questionnaires(CUSTOM_FILE, stranger.id)
        for qid in (str(uuid.uuid4()), _custom_id(app)):
            body = {"questionnaire_id": qid, "answered_at": ago(0), "answers": {"q1": 1}}
            response = runner_api.post("/api/v1/questionnaire-responses", body)
            assert response.status_code == 404, response.get_json()
        assert _responses(sql) == 0

    def test_a_time_ahead_of_now_is_refused(self, runner_api, questionnaires, sql):
        body = psfs_body(questionnaires["psfs"], days_ago=-1)
        response = runner_api.post("/api/v1/questionnaire-responses", body)
        assert response.status_code == 422
        assert "answered_at" in response.get_json()["errors"]["json"]
        assert _responses(sql) == 0

    def test_a_practitioner_cannot_answer(self, practitioner_api, questionnaires):
        body = psfs_body(questionnaires["psfs"])
        assert practitioner_api.post("/api/v1/questionnaire-responses", body).status_code == 403


def _custom_id(app):
    from backend.extensions import db
    from backend.outcomes.models import Questionnaire

    with app.app_context():
        qid = db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == "back-index"))
        db.session.remove()
    return str(qid)


class TestMyOutcomes:
    def test_psfs_two_points_up_after_two_weeks_is_meaningful_improvement(
        self, runner_api, questionnaires
    ):
        runner_api.post(
            "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], (3, 5, 4), 14)
        )
        later = runner_api.post(
            "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], (5, 7, 6))
        )
        assert later.status_code == 201, later.get_json()
        data = runner_api.get("/api/v1/me/outcomes").get_json()
        (psfs,) = data["instruments"]
        assert [p["score"] for p in psfs["responses"]] == [4, 6]
        assert psfs["change"] == 2 and psfs["judgement"] == "meaningful_improvement"
        assert psfs["baseline"]["judgement"] is None
        assert psfs["latest"]["answers"][0] == {"name": "run 10 km", "rating": 5}

    def test_nprs_thirty_percent_down_is_meaningful_improvement(self, runner_api, questionnaires):
        runner_api.post(
            "/api/v1/questionnaire-responses", nprs_body(questionnaires["nprs"], 3, 3, 3, 14)
        )
        runner_api.post(
            "/api/v1/questionnaire-responses", nprs_body(questionnaires["nprs"], 2, 2, 2)
        )
        (nprs,) = runner_api.get("/api/v1/me/outcomes").get_json()["instruments"]
        assert nprs["change"] == -1 and nprs["judgement"] == "meaningful_improvement"

    def test_it_is_empty_before_any_answer(self, runner_api, questionnaires):
        data = runner_api.get("/api/v1/me/outcomes").get_json()
        assert data["instruments"] == []


class TestClientOutcomes:
    def test_it_needs_consent_and_logs_the_read(
        self, app, runner, runner_api, practitioner_api, questionnaires, sql
    ):
        path = f"/api/v1/clients/{runner.id}/outcomes"
        assert practitioner_api.get(path).status_code == 404
        link(runner_api, practitioner_api)
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"]))
        response = practitioner_api.get(path)
        assert response.status_code == 200
        assert response.get_json()["instruments"][0]["latest"]["score"] == 4
        whats = sql(lambda s: list(s.scalars(select(AccessRead.what))))
        assert whats == ["outcomes"]
        runner_api.delete("/api/v1/me/practitioner")
        assert practitioner_api.get(path).status_code == 404

    def test_statements_are_the_same_for_2_and_50_responses(
        self, app, runner, runner_api, practitioner_api, questionnaires, store_responses
    ):
        link(runner_api, practitioner_api)
        ids = [questionnaires["psfs"], questionnaires["nprs"]]
        store_responses(runner.id, [(ids[i % 2], 100 - i, 4.0) for i in range(2)])
        paths = [f"/api/v1/clients/{runner.id}/outcomes", "/api/v1/clients"]
        small = [statements(app, practitioner_api, p) for p in paths]
        small.append(statements(app, runner_api, "/api/v1/me/outcomes"))
        small.append(statements(app, runner_api, "/api/v1/me/questionnaires/due"))
        store_responses(runner.id, [(ids[i % 2], 90 - i, 3.0 + i % 5) for i in range(48)])
        large = [statements(app, practitioner_api, p) for p in paths]
        large.append(statements(app, runner_api, "/api/v1/me/outcomes"))
        large.append(statements(app, runner_api, "/api/v1/me/questionnaires/due"))
        assert small == large
        data = practitioner_api.get(paths[0]).get_json()
        assert sum(len(i["responses"]) for i in data["instruments"]) == 50


class TestRoster:
    def test_it_flags_a_meaningful_worsening(
        self, runner, runner_api, practitioner_api, questionnaires, store_responses
    ):
        link(runner_api, practitioner_api)
        (item,) = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert not any("worsening" in r for r in item["reasons"])
        store_responses(
            runner.id, [(questionnaires["psfs"], 20, 6.0), (questionnaires["psfs"], 3, 3.6667)]
        )
        (item,) = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert "Meaningful worsening on PSFS since the first answers" in item["reasons"]
        assert item["needs_attention"]

    def test_an_improvement_is_no_reason(
        self, runner, runner_api, practitioner_api, questionnaires, store_responses
    ):
        link(runner_api, practitioner_api)
        store_responses(
            runner.id, [(questionnaires["nprs"], 20, 6.0), (questionnaires["nprs"], 3, 2.0)]
        )
        (item,) = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert not any("worsening" in r for r in item["reasons"])


class TestSchedule:
    def test_the_practitioner_sets_the_interval_and_asks_now(
        self, runner, runner_api, practitioner_api, questionnaires, sql
    ):
        path = f"/api/v1/clients/{runner.id}/outcome-schedule"
        assert practitioner_api.patch(path, {"interval_weeks": 4}).status_code == 404
        link(runner_api, practitioner_api)
        runner_api.post(
            "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], days_ago=15)
        )
        runner_api.post(
            "/api/v1/questionnaire-responses", nprs_body(questionnaires["nprs"], days_ago=15)
        )
        assert _slugs(_due(runner_api)) == ["nprs", "psfs", "groc"]
        response = practitioner_api.patch(path, {"interval_weeks": 4})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["interval_weeks"] == 4
        assert _slugs(_due(runner_api)) == []
        response = practitioner_api.patch(path, {"ask_now": True})
        assert response.get_json()["requested_at"] is not None
        assert _slugs(_due(runner_api)) == ["nprs", "psfs", "groc"]
        assert (
            runner_api.post(
                "/api/v1/questionnaire-responses", psfs_body(questionnaires["psfs"], (6, 6, 6))
            ).status_code
            == 201
        )
        assert _slugs(_due(runner_api)) == ["nprs", "groc"]
        rows = sql(lambda s: [(r.interval_weeks) for r in s.scalars(select(OutcomeSchedule))])
        assert rows == [4]

    def test_it_refuses_a_bad_interval(self, runner, runner_api, practitioner_api, sql):
        link(runner_api, practitioner_api)
        path = f"/api/v1/clients/{runner.id}/outcome-schedule"
        for body in ({"interval_weeks": 0}, {"interval_weeks": 27}, {}, {"interval_weeks": "2"}):
            response = practitioner_api.patch(path, body)
            assert response.status_code == 422, body
        assert sql(lambda s: s.scalar(select(func.count()).select_from(OutcomeSchedule))) == 0
