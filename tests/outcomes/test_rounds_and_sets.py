"""One answer per due round (a constraint, a 409), and fresh PSFS activity sets."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from backend.outcomes.models import QuestionnaireResponse
from tests.outcomes.conftest import ago, psfs_body
from tests.practice.support import link

NEW = ("run a half marathon", "carry the shopping", "sit through a film")


def _count(sql):
    return sql(lambda s: s.scalar(select(func.count()).select_from(QuestionnaireResponse)))


def _new_set_body(qid, ratings=(4, 6, 5), days_ago=0.0):
    body = psfs_body(qid, days_ago=days_ago)
    body["activities"] = [{"name": n, "rating": r} for n, r in zip(NEW, ratings, strict=True)]
    return body


class TestOneAnswerPerRound:
    def test_two_answers_with_other_ids_at_the_same_instant_store_one(
        self, runner_api, questionnaires, sql
    ):
        first = psfs_body(questionnaires["psfs"])
        second = {**first, "id": str(uuid.uuid4()), "activities": first["activities"][::-1]}
        assert runner_api.post("/api/v1/questionnaire-responses", first).status_code == 201
        response = runner_api.post("/api/v1/questionnaire-responses", second)
        assert response.status_code == 409, response.get_json()
        assert "already answered" in response.get_json()["message"]
        assert _count(sql) == 1

    def test_each_answer_names_the_one_before_it(self, runner_api, questionnaires, sql):
        qid = questionnaires["psfs"]
        first = psfs_body(qid, days_ago=14)
        runner_api.post("/api/v1/questionnaire-responses", first)
        assert runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid)).status_code == 201
        rows = sql(
            lambda s: s.execute(
                select(QuestionnaireResponse.id, QuestionnaireResponse.follows).order_by(
                    QuestionnaireResponse.answered_at
                )
            ).all()
        )
        assert [r.follows for r in rows] == ["start", first["id"]]


class TestRestartWithNewActivities:
    def test_the_runner_restarts_and_the_sets_are_kept_apart(self, runner_api, questionnaires, sql):
        qid = questionnaires["psfs"]
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid, (2, 2, 2), days_ago=15))
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid, (5, 5, 5), days_ago=1))
        restarted = runner_api.post(f"/api/v1/me/questionnaires/{qid}/restart", {})
        assert restarted.status_code == 200, restarted.get_json()
        assert restarted.get_json()["series"] == 2
        # A second tap before answering does not skip a set.
        again = runner_api.post(f"/api/v1/me/questionnaires/{qid}/restart", {})
        assert again.get_json()["series"] == 2

        due = runner_api.get("/api/v1/me/questionnaires/due").get_json()
        [psfs] = [i for i in due["items"] if i["questionnaire"]["slug"] == "psfs"]
        assert psfs["named_activities"] is None and psfs["series"] == 2

        answered = runner_api.post("/api/v1/questionnaire-responses", _new_set_body(qid, (1, 1, 1)))
        assert answered.status_code == 201, answered.get_json()
        due = runner_api.get("/api/v1/me/questionnaires/due").get_json()
        assert "psfs" not in [i["questionnaire"]["slug"] for i in due["items"]]

        outcomes = runner_api.get("/api/v1/me/outcomes").get_json()["instruments"]
        psfs_sets = [i for i in outcomes if i["questionnaire"]["slug"] == "psfs"]
        assert [(i["series"], i["current"]) for i in psfs_sets] == [(1, False), (2, True)]
        old, new = psfs_sets
        assert [p["score"] for p in old["responses"]] == [2.0, 5.0]
        assert old["judgement"] == "meaningful_improvement"
        # The new set's 1.0 is its own baseline, never compared with the old set's 5.0.
        assert [p["score"] for p in new["responses"]] == [1.0]
        assert new["change"] is None and new["judgement"] is None
        assert _count(sql) == 3

    def test_the_new_set_is_asked_again_with_its_own_activities(self, runner_api, questionnaires):
        qid = questionnaires["psfs"]
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid, days_ago=29))
        runner_api.post(f"/api/v1/me/questionnaires/{qid}/restart", {})
        runner_api.post("/api/v1/questionnaire-responses", _new_set_body(qid, days_ago=0))
        # The old activities are refused for the new set once it has been named.
        with_old = psfs_body(qid)
        restart_due = runner_api.post("/api/v1/questionnaire-responses", with_old)
        assert restart_due.status_code in (409, 422)

    def test_a_restart_before_any_answer_changes_nothing(self, runner_api, questionnaires):
        qid = questionnaires["psfs"]
        response = runner_api.post(f"/api/v1/me/questionnaires/{qid}/restart", {})
        assert response.status_code == 200
        assert response.get_json() == {"questionnaire_id": qid, "series": 1, "started_at": None}

    def test_a_questionnaire_of_items_cannot_be_restarted(self, runner_api, questionnaires):
        qid = questionnaires["nprs"]
        assert runner_api.post(f"/api/v1/me/questionnaires/{qid}/restart", {}).status_code == 409
        missing = uuid.uuid4()
        assert (
            runner_api.post(f"/api/v1/me/questionnaires/{missing}/restart", {}).status_code == 404
        )

    def test_the_practitioner_restarts_for_a_consenting_client_only(
        self, runner, runner_api, practitioner_api, make_user, questionnaires
    ):
        qid = questionnaires["psfs"]
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid, days_ago=3))
        path = f"/api/v1/clients/{runner.id}/questionnaires/{qid}/restart"
        assert practitioner_api.post(path, {}).status_code == 404
        link(runner_api, practitioner_api)
        response = practitioner_api.post(path, {})
        assert response.status_code == 200 and response.get_json()["series"] == 2
        due = runner_api.get("/api/v1/me/questionnaires/due").get_json()
        assert "psfs" in [i["questionnaire"]["slug"] for i in due["items"]]
        sets = practitioner_api.get(f"/api/v1/clients/{runner.id}/outcomes").get_json()
        psfs = [i for i in sets["instruments"] if i["questionnaire"]["slug"] == "psfs"]
        assert [i["series"] for i in psfs] == [1]

    def test_a_worsening_in_an_old_set_does_not_flag_the_roster(
        self, runner, runner_api, practitioner_api, questionnaires
    ):
        qid = questionnaires["psfs"]
        link(runner_api, practitioner_api)
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid, (8, 8, 8), days_ago=20))
        runner_api.post("/api/v1/questionnaire-responses", psfs_body(qid, (2, 2, 2), days_ago=3))
        [item] = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert any("worsening on PSFS" in r for r in item["reasons"])
        runner_api.post(f"/api/v1/me/questionnaires/{qid}/restart", {})
        runner_api.post("/api/v1/questionnaire-responses", _new_set_body(qid, days_ago=0))
        [item] = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert not any("worsening" in r for r in item["reasons"])


def test_answered_at_is_kept_as_sent(runner_api, questionnaires):
    body = psfs_body(questionnaires["psfs"], days_ago=0.5)
    body["answered_at"] = ago(0.5)
    assert runner_api.post("/api/v1/questionnaire-responses", body).status_code == 201
