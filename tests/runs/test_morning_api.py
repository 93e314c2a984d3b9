"""PUT /api/v1/runs/{id}/morning: the next-morning answer, stored once."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.runs.models import Run
from tests.support import Api, run_body


def new_run(api: Api, **overrides) -> dict:
    response = api.post("/api/v1/runs", run_body(stiffness=6, **overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored(sql, run_id: str) -> tuple:
    return sql(
        lambda s: s.execute(
            select(Run.morning_stiffness, Run.morning_at).where(Run.id == uuid.UUID(run_id))
        ).one()
    )


class TestAnswerMorning:
    def test_it_stores_the_answer_once_and_a_retry_is_200(self, runner_api, sql):
        run = new_run(runner_api)
        assert run["morning_stiffness"] is None and run["morning_course"] is None
        url = f"/api/v1/runs/{run['id']}/morning"
        first = runner_api.put(url, {"morning_stiffness": 5})
        assert first.status_code == 201, first.get_json()
        body = first.get_json()
        assert body["morning_stiffness"] == 5
        assert body["morning_course"] == "lingering"  # 6 after the run, 5 the next morning
        again = runner_api.put(url, {"morning_stiffness": 5})
        assert again.status_code == 200
        assert again.get_json()["morning_at"] == body["morning_at"]
        assert stored(sql, run["id"])[0] == 5

    def test_a_different_answer_after_it_is_set_is_409_and_keeps_the_first(self, runner_api, sql):
        run = new_run(runner_api)
        url = f"/api/v1/runs/{run['id']}/morning"
        runner_api.put(url, {"morning_stiffness": 2})
        response = runner_api.put(url, {"morning_stiffness": 7})
        assert response.status_code == 409
        assert "morning_stiffness" in response.get_json()["errors"]["json"]
        assert stored(sql, run["id"])[0] == 2

    def test_an_outbox_replay_keeps_its_own_answer_time(self, runner_api):
        run = new_run(runner_api, started_at="2026-11-20T07:30:00+00:00")
        response = runner_api.put(
            f"/api/v1/runs/{run['id']}/morning",
            {"morning_stiffness": 1, "morning_at": "2026-11-21T08:05:00+13:00"},
        )
        assert response.status_code == 201
        assert response.get_json()["morning_at"] == "2026-11-20T19:05:00+00:00"
        assert response.get_json()["morning_course"] == "passing"

    def test_out_of_range_and_bad_types_are_422_naming_the_field(self, runner_api, sql):
        run = new_run(runner_api)
        url = f"/api/v1/runs/{run['id']}/morning"
        for bad in (-1, 11, 4.5, "3", None, True):
            response = runner_api.put(url, {"morning_stiffness": bad})
            assert response.status_code == 422, bad
            assert "morning_stiffness" in response.get_json()["errors"]["json"], bad
        missing = runner_api.put(url, {})
        assert missing.status_code == 422
        assert "morning_stiffness" in missing.get_json()["errors"]["json"]
        extra = runner_api.put(url, {"morning_stiffness": 3, "colour": "red"})
        assert extra.status_code == 422
        assert stored(sql, run["id"]) == (None, None)

    def test_an_answer_before_the_run_or_in_the_future_is_422(self, runner_api, sql):
        run = new_run(runner_api, started_at="2026-11-20T07:30:00+00:00")
        url = f"/api/v1/runs/{run['id']}/morning"
        for at in ("2026-11-20T07:00:00+00:00", "2999-01-01T00:00:00+00:00", "2026-11-21T08:00"):
            response = runner_api.put(url, {"morning_stiffness": 3, "morning_at": at})
            assert response.status_code == 422, at
            assert "morning_at" in response.get_json()["errors"]["json"], at
        assert stored(sql, run["id"]) == (None, None)

    def test_another_runner_s_run_is_404(self, app, runner_api, make_user):
        run = new_run(runner_api)
        other = make_user(role="runner")
        other_api = Api(app.test_client())
        other_api.login(other)
        response = other_api.put(f"/api/v1/runs/{run['id']}/morning", {"morning_stiffness": 3})
        assert response.status_code == 404

    def test_a_practitioner_gets_403_and_anonymous_401(self, api, practitioner_api, runner_api):
        run = new_run(runner_api)
        url = f"/api/v1/runs/{run['id']}/morning"
        assert practitioner_api.put(url, {"morning_stiffness": 3}).status_code == 403
        assert api.put(url, {"morning_stiffness": 3}).status_code == 401


class TestCorrectMorning:
    def test_patch_changes_the_answer_and_keeps_its_time(self, runner_api):
        run = new_run(runner_api)
        first = runner_api.put(f"/api/v1/runs/{run['id']}/morning", {"morning_stiffness": 5})
        patched = runner_api.patch(f"/api/v1/runs/{run['id']}", {"morning_stiffness": 2})
        assert patched.status_code == 200
        assert patched.get_json()["morning_stiffness"] == 2
        assert patched.get_json()["morning_at"] == first.get_json()["morning_at"]

    def test_patch_null_clears_it_so_it_can_be_answered_again(self, runner_api):
        run = new_run(runner_api)
        url = f"/api/v1/runs/{run['id']}/morning"
        runner_api.put(url, {"morning_stiffness": 5})
        cleared = runner_api.patch(f"/api/v1/runs/{run['id']}", {"morning_stiffness": None})
        assert cleared.get_json()["morning_at"] is None
        assert runner_api.put(url, {"morning_stiffness": 4}).status_code == 201

    def test_patch_out_of_range_is_422(self, runner_api, sql):
        run = new_run(runner_api)
        response = runner_api.patch(f"/api/v1/runs/{run['id']}", {"morning_stiffness": 12})
        assert response.status_code == 422
        assert "morning_stiffness" in response.get_json()["errors"]["json"]
        assert stored(sql, run["id"]) == (None, None)
