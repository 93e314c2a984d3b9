"""Every list endpoint sends the same number of SQL statements however much data there is."""

from datetime import UTC, datetime, timedelta

import pytest

SMALL, LARGE = 3, 30


@pytest.fixture
def measure(count_queries):
    def run(api, path):
        count, response = count_queries(lambda: api.get(path))
        assert response.status_code == 200, response.get_json()
        return count, len(response.get_json()["items"])

    return run


def _sessions(api, routine_ids, n):
    start = datetime(2026, 11, 1, 7, tzinfo=UTC)
    for i in range(n):
        body = {
            "routine_id": str(routine_ids[i % len(routine_ids)]),
            "completed_at": (start + timedelta(hours=5 * i)).isoformat(),
        }
        assert api.post("/api/v1/sessions", body).status_code == 201


class TestListQueryCounts:
    def test_exercises(self, practitioner, practitioner_api, make_routines, measure):
        make_routines(practitioner, 1, steps=SMALL)
        small, seen_small = measure(practitioner_api, "/api/v1/exercises?limit=100")
        make_routines(practitioner, 1, steps=LARGE - SMALL)
        large, seen_large = measure(practitioner_api, "/api/v1/exercises?limit=100")
        assert (seen_small, seen_large) == (SMALL, LARGE)
        assert small == large

    def test_routines(self, practitioner, practitioner_api, make_routines, measure):
        make_routines(practitioner, SMALL)
        small, seen_small = measure(practitioner_api, "/api/v1/routines?limit=100")
        make_routines(practitioner, LARGE - SMALL)
        large, seen_large = measure(practitioner_api, "/api/v1/routines?limit=100")
        assert (seen_small, seen_large) == (SMALL, LARGE)
        assert small == large

    def test_routines_for_a_client(
        self, practitioner, client_runner, login, make_routines, measure
    ):
        runner_api = login(client_runner)
        make_routines(practitioner, SMALL)
        small, _ = measure(runner_api, "/api/v1/routines?limit=100")
        make_routines(practitioner, LARGE - SMALL)
        large, seen = measure(runner_api, "/api/v1/routines?limit=100")
        assert seen == LARGE
        assert small == large

    def test_today(
        self, practitioner, practitioner_api, client_runner, login, make_routines, measure
    ):
        runner_api = login(client_runner)
        url = f"/api/v1/clients/{client_runner.id}/assignments"

        def assign(ids):
            for ident in ids:
                body = {"routine_id": str(ident), "weekdays": [0], "starts_on": "2026-11-01"}
                assert practitioner_api.post(url, body).status_code == 201

        assign(make_routines(practitioner, SMALL))
        small, seen_small = measure(runner_api, "/api/v1/today?date=2026-11-16")
        assign(make_routines(practitioner, LARGE - SMALL))
        large, seen_large = measure(runner_api, "/api/v1/today?date=2026-11-16")
        assert (seen_small, seen_large) == (SMALL, LARGE)
        assert small == large

    def test_sessions(self, practitioner, client_runner, login, make_routines, measure):
        runner_api = login(client_runner)
        ids = make_routines(practitioner, 5)
        _sessions(runner_api, ids, SMALL)
        small, _ = measure(runner_api, "/api/v1/sessions?limit=100")
        _sessions(runner_api, ids, LARGE)
        large, seen = measure(runner_api, "/api/v1/sessions?limit=100")
        assert seen == SMALL + LARGE
        assert small == large

    def test_assignments(
        self, practitioner, practitioner_api, client_runner, make_routines, measure
    ):
        url = f"/api/v1/clients/{client_runner.id}/assignments"
        ids = make_routines(practitioner, LARGE)

        def assign(chosen):
            for ident in chosen:
                body = {"routine_id": str(ident), "weekdays": [1, 3], "starts_on": "2026-11-01"}
                assert practitioner_api.post(url, body).status_code == 201

        assign(ids[:SMALL])
        small, _ = measure(practitioner_api, f"{url}?limit=100")
        assign(ids[SMALL:])
        large, seen = measure(practitioner_api, f"{url}?limit=100")
        assert seen == LARGE
        assert small == large
