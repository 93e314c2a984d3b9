"""A past run's figures use the body weight of the day it was logged."""

from datetime import UTC, datetime, timedelta

from tests.support import run_body


def test_a_later_weight_change_leaves_past_runs_alone(runner_api):
    runner_api.patch("/api/v1/me", {"body_weight_kg": 80})
    run = runner_api.post("/api/v1/runs", run_body()).get_json()
    assert run["body_weight_kg"] == 80
    runner_api.patch("/api/v1/me", {"body_weight_kg": 60})
    again = runner_api.get(f"/api/v1/runs/{run['id']}").get_json()
    assert again["estimate"]["force_per_step_kg"] == run["estimate"]["force_per_step_kg"]
    assert again["estimate"]["force_per_step_kg"] == {"low": 240, "high": 320}
    fresh = runner_api.post("/api/v1/runs", run_body()).get_json()
    assert fresh["estimate"]["force_per_step_kg"] == {"low": 180, "high": 240}


def test_weekly_load_weighs_each_run_at_its_own_weight(runner_api):
    when = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    runner_api.patch("/api/v1/me", {"body_weight_kg": 80})
    runner_api.post("/api/v1/runs", run_body(started_at=when))
    before = runner_api.get("/api/v1/progress").get_json()["load"]["weekly"][-1]
    runner_api.patch("/api/v1/me", {"body_weight_kg": 40})
    after = runner_api.get("/api/v1/progress").get_json()["load"]["weekly"][-1]
    assert after["load_kg"] == before["load_kg"]


def test_a_run_logged_without_a_weight_uses_the_one_given_later(runner_api):
    run = runner_api.post("/api/v1/runs", run_body()).get_json()
    assert "force_per_step_kg" not in run["estimate"]
    runner_api.patch("/api/v1/me", {"body_weight_kg": 50})
    again = runner_api.get(f"/api/v1/runs/{run['id']}").get_json()
    assert again["estimate"]["force_per_step_kg"] == {"low": 150, "high": 200}
