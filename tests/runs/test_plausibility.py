from datetime import UTC, datetime, timedelta

import pytest

from backend.runs.plausibility import pace_text, problems
from tests.support import run_body

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


class TestPlausibility:
    @pytest.mark.parametrize(
        ("km", "seconds", "kind"),
        [(10, 1500, "easy"), (10, 12000, "easy"), (5, 9000, "walk"), (10, 3000, "race")],
    )
    def test_it_accepts_paces_a_person_can_keep(self, km, seconds, kind):
        assert problems(km, seconds, kind, NOW, NOW) == {}

    @pytest.mark.parametrize(
        ("km", "seconds", "kind"),
        [(10, 1490, "easy"), (10, 12010, "easy"), (5, 9010, "walk"), (42, 600, "race")],
    )
    def test_it_refuses_paces_outside_the_range(self, km, seconds, kind):
        found = problems(km, seconds, kind, NOW, NOW)
        assert list(found) == ["duration_s"]
        assert "min/km" in found["duration_s"][0]

    def test_it_refuses_a_start_more_than_a_day_ahead(self):
        assert problems(10, 3000, "easy", NOW + timedelta(hours=23), NOW) == {}
        found = problems(10, 3000, "easy", NOW + timedelta(hours=25), NOW)
        assert list(found) == ["started_at"]

    def test_it_writes_paces_as_minutes_and_seconds(self):
        assert pace_text(150) == "2:30"
        assert pace_text(1805) == "30:05"

    def test_it_copes_with_a_vanishing_distance(self):
        found = problems(1e-300, 3600, "easy", NOW, NOW)
        assert found["duration_s"][0].startswith("That is a pace of more than 100 hours a km;")


class TestPlausibilityThroughTheApi:
    def test_an_impossible_pace_is_a_422_on_the_duration(self, runner_api):
        response = runner_api.post("/api/v1/runs", run_body(distance_km=20, duration_s=1200))
        assert response.status_code == 422
        assert "1:00 min/km" in response.get_json()["errors"]["json"]["duration_s"][0]

    def test_a_start_in_the_future_is_a_422(self, runner_api):
        later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        response = runner_api.post("/api/v1/runs", run_body(started_at=later))
        assert response.status_code == 422
        assert "started_at" in response.get_json()["errors"]["json"]

    def test_a_change_that_makes_the_run_impossible_is_refused_and_nothing_is_lost(
        self, runner_api
    ):
        run = runner_api.post("/api/v1/runs", run_body()).get_json()
        response = runner_api.patch(f"/api/v1/runs/{run['id']}", {"duration_s": 60})
        assert response.status_code == 422
        assert "duration_s" in response.get_json()["errors"]["json"]
        assert runner_api.get(f"/api/v1/runs/{run['id']}").get_json()["duration_s"] == 2700

    def test_a_slow_walk_is_fine_but_not_as_a_run(self, runner_api):
        walk = run_body(distance_km=4, duration_s=4 * 25 * 60, workout_type="walk")
        assert runner_api.post("/api/v1/runs", walk).status_code == 201
        run = run_body(distance_km=4, duration_s=4 * 25 * 60, workout_type="easy")
        assert runner_api.post("/api/v1/runs", run).status_code == 422
