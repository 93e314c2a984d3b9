"""Assignments: a practitioner schedules routines for a consenting client."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.auth.models import User
from backend.dates import local_today
from backend.practice.service import revoke_practitioner
from backend.routines.models import Assignment
from tests.routines.conftest import exercise_body, routine_body

ASSIGNMENT_KEYS = {
    "id",
    "runner_id",
    "routine_id",
    "routine",
    "weekdays",
    "starts_on",
    "ends_on",
    "assigned_by",
    "created_at",
    "updated_at",
}


@pytest.fixture
def url(client_runner):
    return f"/api/v1/clients/{client_runner.id}/assignments"


@pytest.fixture
def body(builtin):
    return {
        "routine_id": str(builtin["routines"]["core-stability"]),
        "weekdays": [4, 0, 2],
        "starts_on": "2026-11-16",
        "ends_on": "2026-12-13",
    }


@pytest.fixture
def assignment(practitioner_api, url, body):
    response = practitioner_api.post(url, body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


class TestCreateAssignment:
    def test_it_assigns_a_routine_to_a_consenting_client(
        self, assignment, client_runner, practitioner
    ):
        assert set(assignment) == ASSIGNMENT_KEYS
        assert assignment["weekdays"] == [0, 2, 4]
        assert assignment["runner_id"] == str(client_runner.id)
        assert assignment["assigned_by"] == str(practitioner.id)
        assert assignment["routine"]["slug"] == "core-stability"
        assert (assignment["starts_on"], assignment["ends_on"]) == ("2026-11-16", "2026-12-13")

    def test_it_assigns_my_own_routine(self, practitioner_api, url, body):
        exercise = practitioner_api.post("/api/v1/exercises", exercise_body()).get_json()
        routine = practitioner_api.post("/api/v1/routines", routine_body([exercise["id"]]))
        response = practitioner_api.post(url, {**body, "routine_id": routine.get_json()["id"]})
        assert response.status_code == 201

    def test_a_runner_without_consent_is_404(self, practitioner_api, runner, body):
        response = practitioner_api.post(f"/api/v1/clients/{runner.id}/assignments", body)
        assert response.status_code == 404

    def test_another_practitioners_routine_is_rejected(
        self, practitioner_api, url, body, login, make_user, builtin
    ):
        other = login(make_user(role="practitioner"))
        routine = other.post("/api/v1/routines", routine_body([builtin["exercises"]["bird-dog"]]))
        response = practitioner_api.post(url, {**body, "routine_id": routine.get_json()["id"]})
        assert response.status_code == 422
        assert "routine_id" in response.get_json()["errors"]["json"]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"weekdays": []}, "weekdays"),
            ({"weekdays": [1, 1]}, "weekdays"),
            ({"weekdays": [7]}, "weekdays"),
            ({"ends_on": "2026-11-15"}, "ends_on"),
            ({"starts_on": None}, "starts_on"),
        ],
    )
    def test_it_rejects_a_bad_schedule(self, practitioner_api, url, body, change, field):
        response = practitioner_api.post(url, {**body, **change})
        assert response.status_code == 422
        assert field in response.get_json()["errors"]["json"]

    def test_a_runner_cannot_assign(self, login, client_runner, url, body):
        assert login(client_runner).post(url, body).status_code == 403


class TestListAssignments:
    def test_it_lists_my_assignments_for_the_client(self, practitioner_api, url, assignment, body):
        second = practitioner_api.post(url, {**body, "weekdays": [5]}).get_json()
        items = practitioner_api.get(url).get_json()["items"]
        assert [a["id"] for a in items] == [second["id"], assignment["id"]]

    def test_another_practitioner_gets_404(self, url, assignment, login, make_user):
        other = login(make_user(role="practitioner"))
        assert other.get(url).status_code == 404

    def test_it_is_404_once_consent_is_revoked(
        self, practitioner_api, url, assignment, sql, client_runner
    ):
        sql(lambda s: revoke_practitioner(s.get(User, client_runner.id)))
        assert practitioner_api.get(url).status_code == 404


class TestChangeAssignment:
    def test_it_changes_the_schedule(self, practitioner_api, assignment, url):
        path = f"/api/v1/assignments/{assignment['id']}"
        response = practitioner_api.patch(path, {"weekdays": [6, 1], "ends_on": None})
        changed = response.get_json()
        assert response.status_code == 200
        assert (changed["weekdays"], changed["ends_on"]) == ([1, 6], None)
        assert practitioner_api.get(url).get_json()["items"][0]["weekdays"] == [1, 6]

    def test_it_rejects_an_end_before_the_stored_start(self, practitioner_api, assignment):
        path = f"/api/v1/assignments/{assignment['id']}"
        response = practitioner_api.patch(path, {"ends_on": "2026-11-01"})
        assert response.status_code == 422
        assert "ends_on" in response.get_json()["errors"]["json"]

    def test_only_the_assigning_practitioner_may_change_it(self, assignment, login, make_user):
        other = login(make_user(role="practitioner"))
        path = f"/api/v1/assignments/{assignment['id']}"
        assert other.patch(path, {"weekdays": [1]}).status_code == 404
        assert other.delete(path).status_code == 404

    def test_it_is_404_once_consent_is_revoked(
        self, practitioner_api, assignment, sql, client_runner
    ):
        sql(lambda s: revoke_practitioner(s.get(User, client_runner.id)))
        path = f"/api/v1/assignments/{assignment['id']}"
        assert practitioner_api.patch(path, {"weekdays": [1]}).status_code == 404
        assert practitioner_api.delete(path).status_code == 404

    def test_a_runner_cannot_change_it(self, login, client_runner, assignment):
        path = f"/api/v1/assignments/{assignment['id']}"
        assert login(client_runner).patch(path, {"weekdays": [1]}).status_code == 403


class TestDeleteAssignment:
    def test_a_future_assignment_is_removed(self, practitioner_api, url, body, sql):
        future = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
        made = practitioner_api.post(url, {**body, "starts_on": future, "ends_on": None}).get_json()
        assert practitioner_api.delete(f"/api/v1/assignments/{made['id']}").status_code == 204
        assert sql(lambda s: s.scalar(select(Assignment.id))) is None
        assert practitioner_api.get(url).get_json()["items"] == []

    def test_a_started_assignment_keeps_its_past_days(
        self, practitioner_api, url, body, sql, client_runner, login
    ):
        today = sql(lambda s: local_today(s.get(User, client_runner.id)))
        start = today - timedelta(days=10)
        made = practitioner_api.post(
            url,
            {**body, "weekdays": list(range(7)), "starts_on": start.isoformat(), "ends_on": None},
        ).get_json()
        assert practitioner_api.delete(f"/api/v1/assignments/{made['id']}").status_code == 204
        assert practitioner_api.get(url).get_json()["items"] == []
        kept = sql(lambda s: s.scalars(select(Assignment)).one())
        assert kept.ends_on == today - timedelta(days=1)
        runner_api = login(client_runner)
        past = runner_api.get(f"/api/v1/today?date={start}").get_json()
        now = runner_api.get(f"/api/v1/today?date={today}").get_json()
        assert [i["routine"]["slug"] for i in past["items"]] == ["core-stability"]
        assert now["starter"] is True
