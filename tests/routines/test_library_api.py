"""Exercises and routines: the built-in library, practitioners' own items, visibility."""

import json
import uuid

import pytest
from sqlalchemy import func, select

from backend.routines.content import CONTENT_FILE
from backend.routines.models import RoutineStep
from tests.routines.conftest import exercise_body, routine_body

STEP_KEYS = {"position", "sets", "reps", "seconds", "breaths", "side", "rest_s", "cues", "exercise"}
EXERCISE_KEYS = {
    "id",
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
    "builtin",
    "owner_id",
    "created_at",
    "updated_at",
}


def builtin_steps():
    content = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    return sum(len(r["steps"]) for r in content["routines"])


@pytest.fixture
def own_exercise(practitioner_api):
    response = practitioner_api.post("/api/v1/exercises", exercise_body())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def own_routine(practitioner_api, builtin, own_exercise):
    ids = [own_exercise["id"], builtin["exercises"]["dead-bug"]]
    response = practitioner_api.post("/api/v1/routines", routine_body(ids))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


class TestListExercises:
    def test_it_lists_the_built_in_library(self, runner_api, builtin):
        body = runner_api.get("/api/v1/exercises?limit=100").get_json()
        assert {e["slug"] for e in body["items"]} == set(builtin["exercises"])
        assert all(e["builtin"] and e["owner_id"] is None for e in body["items"])
        assert set(body["items"][0]) == EXERCISE_KEYS

    def test_it_needs_a_signed_in_user(self, api):
        assert api.get("/api/v1/exercises").status_code == 401

    def test_it_shows_a_runner_their_practitioners_own_exercises_only(
        self, builtin, practitioner_api, own_exercise, client_runner, login, make_user
    ):
        other = login(make_user(role="practitioner"))
        assert other.post("/api/v1/exercises", exercise_body(name="Hidden")).status_code == 201
        body = login(client_runner).get("/api/v1/exercises?limit=100").get_json()
        custom = [e for e in body["items"] if not e["builtin"]]
        assert [e["id"] for e in custom] == [own_exercise["id"]]

    def test_it_pages_through_the_library(self, runner_api, builtin):
        first = runner_api.get("/api/v1/exercises?limit=10").get_json()
        second = runner_api.get(f"/api/v1/exercises?limit=10&cursor={first['next_cursor']}")
        ids = [e["id"] for e in first["items"] + second.get_json()["items"]]
        assert len(ids) == len(set(ids)) == len(builtin["exercises"])


class TestGetExercise:
    def test_it_returns_one_exercise(self, runner_api, builtin):
        ident = builtin["exercises"]["bird-dog"]
        body = runner_api.get(f"/api/v1/exercises/{ident}").get_json()
        assert body["slug"] == "bird-dog"
        assert body["illustration"] == "img/exercises/bird-dog.svg"

    def test_it_hides_another_practitioners_exercise(self, own_exercise, login, make_user):
        other = login(make_user(role="practitioner"))
        assert other.get(f"/api/v1/exercises/{own_exercise['id']}").status_code == 404

    def test_it_hides_a_practitioners_exercise_from_a_runner_without_consent(
        self, own_exercise, runner_api
    ):
        assert runner_api.get(f"/api/v1/exercises/{own_exercise['id']}").status_code == 404


class TestCreateExercise:
    def test_it_creates_an_exercise_owned_by_the_practitioner(self, practitioner_api, practitioner):
        response = practitioner_api.post("/api/v1/exercises", exercise_body())
        body = response.get_json()
        assert response.status_code == 201
        assert body["owner_id"] == str(practitioner.id)
        assert body["builtin"] is False and body["slug"] is None
        assert body["body_areas"] == ["low_back", "quads"]

    def test_a_runner_cannot_create_one(self, runner_api):
        assert runner_api.post("/api/v1/exercises", exercise_body()).status_code == 403

    def test_it_rejects_a_bad_body(self, practitioner_api):
        response = practitioner_api.post(
            "/api/v1/exercises", exercise_body(instructions=[], body_areas=["elbow"], slug="x")
        )
        errors = response.get_json()["errors"]["json"]
        assert response.status_code == 422
        assert {"instructions", "body_areas", "slug"} <= set(errors)


class TestChangeExercise:
    def test_it_changes_my_exercise(self, practitioner_api, own_exercise):
        path = f"/api/v1/exercises/{own_exercise['id']}"
        response = practitioner_api.patch(path, {"instructions": ["Only this."]})
        assert response.status_code == 200
        assert practitioner_api.get(path).get_json()["instructions"] == ["Only this."]

    def test_a_built_in_is_read_only(self, practitioner_api, builtin):
        path = f"/api/v1/exercises/{builtin['exercises']['bird-dog']}"
        assert practitioner_api.patch(path, {"name": "Mine now"}).status_code == 403
        assert practitioner_api.delete(path).status_code == 403
        assert practitioner_api.get(path).get_json()["name"] != "Mine now"

    def test_a_runner_cannot_change_one(self, runner_api, builtin):
        path = f"/api/v1/exercises/{builtin['exercises']['bird-dog']}"
        assert runner_api.patch(path, {"name": "x"}).status_code == 403
        assert runner_api.delete(path).status_code == 403

    def test_another_practitioner_gets_404(self, own_exercise, login, make_user):
        other = login(make_user(role="practitioner"))
        path = f"/api/v1/exercises/{own_exercise['id']}"
        assert other.patch(path, {"name": "x"}).status_code == 404
        assert other.delete(path).status_code == 404

    def test_an_empty_change_is_rejected(self, practitioner_api, own_exercise):
        path = f"/api/v1/exercises/{own_exercise['id']}"
        assert practitioner_api.patch(path, {}).status_code == 422


class TestDeleteExercise:
    def test_it_deletes_an_unused_exercise(self, practitioner_api, own_exercise):
        path = f"/api/v1/exercises/{own_exercise['id']}"
        assert practitioner_api.delete(path).status_code == 204
        assert practitioner_api.get(path).status_code == 404

    def test_it_keeps_an_exercise_a_routine_uses(self, practitioner_api, own_routine):
        ident = own_routine["steps"][0]["exercise"]["id"]
        response = practitioner_api.delete(f"/api/v1/exercises/{ident}")
        assert response.status_code == 409
        assert practitioner_api.get(f"/api/v1/exercises/{ident}").status_code == 200


class TestListRoutines:
    def test_it_lists_built_in_routines_with_ordered_steps(self, runner_api, builtin):
        body = runner_api.get("/api/v1/routines").get_json()
        by_slug = {r["slug"]: r for r in body["items"]}
        assert set(by_slug) == set(builtin["routines"])
        breathing = by_slug["coregous-ball-breathing"]
        assert breathing["starter"] is True and breathing["builtin"] is True
        assert [s["position"] for s in breathing["steps"]] == [1, 2, 3]
        first = breathing["steps"][0]
        assert set(first) == STEP_KEYS
        assert first["exercise"]["slug"] == "coregous-supine-breathing"
        assert (first["sets"], first["breaths"], first["reps"], first["seconds"]) == (
            2,
            8,
            None,
            None,
        )
        assert by_slug["core-stability"]["starter"] is False

    def test_it_hides_other_practitioners_routines(self, own_routine, login, make_user):
        other = login(make_user(role="practitioner"))
        ids = [r["id"] for r in other.get("/api/v1/routines").get_json()["items"]]
        assert own_routine["id"] not in ids


class TestGetRoutine:
    def test_it_returns_my_routine(self, practitioner_api, own_routine):
        body = practitioner_api.get(f"/api/v1/routines/{own_routine['id']}").get_json()
        assert body["name"] == "After hills"
        assert [s["exercise"]["name"] for s in body["steps"]] == [
            "Wall sit with breathing",
            "Dead bug",
        ]

    def test_another_practitioner_cannot_see_it(self, own_routine, login, make_user):
        other = login(make_user(role="practitioner"))
        assert other.get(f"/api/v1/routines/{own_routine['id']}").status_code == 404

    def test_a_consenting_client_can_see_it(self, own_routine, client_runner, login):
        response = login(client_runner).get(f"/api/v1/routines/{own_routine['id']}")
        assert response.status_code == 200

    def test_an_unknown_id_is_404(self, runner_api):
        assert runner_api.get(f"/api/v1/routines/{uuid.uuid4()}").status_code == 404


class TestCreateRoutine:
    def test_it_stores_steps_in_order_with_their_doses(self, practitioner_api, builtin):
        ex = builtin["exercises"]
        body = routine_body([])
        body["steps"] = [
            {"exercise_id": str(ex["knee-rocks"]), "seconds": 45},
            {"exercise_id": str(ex["bird-dog"]), "sets": 2, "reps": 6, "side": "each"},
            {"exercise_id": str(ex["coregous-supine-breathing"]), "breaths": 10},
        ]
        response = practitioner_api.post("/api/v1/routines", body)
        steps = response.get_json()["steps"]
        assert response.status_code == 201
        assert [s["exercise"]["slug"] for s in steps] == [
            "knee-rocks",
            "bird-dog",
            "coregous-supine-breathing",
        ]
        assert [(s["reps"], s["seconds"], s["breaths"]) for s in steps] == [
            (None, 45, None),
            (6, None, None),
            (None, None, 10),
        ]
        assert steps[0]["sets"] == 1 and steps[0]["side"] == "both"

    def test_a_step_needs_exactly_one_dose(self, practitioner_api, builtin):
        ident = str(builtin["exercises"]["bird-dog"])
        for step in ({"exercise_id": ident}, {"exercise_id": ident, "reps": 5, "seconds": 5}):
            response = practitioner_api.post("/api/v1/routines", routine_body([], steps=[step]))
            assert response.status_code == 422
            assert "steps" in response.get_json()["errors"]["json"]

    def test_it_rejects_an_exercise_i_cannot_see(self, practitioner_api, login, make_user):
        other = login(make_user(role="practitioner"))
        hidden = other.post("/api/v1/exercises", exercise_body()).get_json()["id"]
        response = practitioner_api.post("/api/v1/routines", routine_body([hidden]))
        assert response.status_code == 422
        assert response.get_json()["errors"]["json"]["steps"]["0"]["exercise_id"]

    def test_a_runner_cannot_create_one(self, runner_api, builtin):
        body = routine_body([builtin["exercises"]["bird-dog"]])
        assert runner_api.post("/api/v1/routines", body).status_code == 403


class TestChangeRoutine:
    def test_it_replaces_the_steps(self, practitioner_api, own_routine, builtin, sql):
        path = f"/api/v1/routines/{own_routine['id']}"
        steps = [{"exercise_id": str(builtin["exercises"]["glute-bridge"]), "reps": 12}]
        body = practitioner_api.patch(path, {"steps": steps, "name": "Shorter"}).get_json()
        assert body["name"] == "Shorter"
        assert [(s["position"], s["exercise"]["slug"], s["reps"]) for s in body["steps"]] == [
            (1, "glute-bridge", 12)
        ]
        stored = sql(lambda s: s.scalar(select(func.count()).select_from(RoutineStep)))
        assert stored == builtin_steps() + 1

    def test_a_built_in_is_read_only(self, practitioner_api, builtin):
        path = f"/api/v1/routines/{builtin['routines']['hip-circles']}"
        assert practitioner_api.patch(path, {"name": "Mine"}).status_code == 403
        assert practitioner_api.delete(path).status_code == 403

    def test_a_runner_cannot_change_one(self, runner_api, builtin):
        path = f"/api/v1/routines/{builtin['routines']['hip-circles']}"
        assert runner_api.patch(path, {"name": "Mine"}).status_code == 403
        assert runner_api.delete(path).status_code == 403

    def test_another_practitioner_gets_404(self, own_routine, login, make_user):
        other = login(make_user(role="practitioner"))
        path = f"/api/v1/routines/{own_routine['id']}"
        assert other.patch(path, {"name": "x"}).status_code == 404
        assert other.delete(path).status_code == 404


class TestDeleteRoutine:
    def test_it_deletes_an_unused_routine(self, practitioner_api, own_routine):
        path = f"/api/v1/routines/{own_routine['id']}"
        assert practitioner_api.delete(path).status_code == 204
        assert practitioner_api.get(path).status_code == 404

    def test_it_keeps_an_assigned_routine(self, practitioner_api, own_routine, client_runner):
        assignment = {"routine_id": own_routine["id"], "weekdays": [0], "starts_on": "2026-11-16"}
        url = f"/api/v1/clients/{client_runner.id}/assignments"
        assert practitioner_api.post(url, assignment).status_code == 201
        assert practitioner_api.delete(f"/api/v1/routines/{own_routine['id']}").status_code == 409
