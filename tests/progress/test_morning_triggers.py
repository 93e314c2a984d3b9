"""Triggers computed on the next-morning stiffness: what makes stiffness linger."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from backend.progress import effects
from tests.practice.support import link, store_runs
from tests.progress.test_progress_api import today


def lingering_hills(seed: int, runs: int = 48) -> list[dict]:
    """Hills raise only the morning value (+3); right after, hills and easy runs match."""
    rng = random.Random(seed)
    start = today() - timedelta(days=runs + 1)
    out = []
    for i in range(runs):
        hills = i % 3 == 0
        after = 4 + rng.choice((-1, 0, 1))
        morning = 2 + (3 if hills else 0) + rng.choice((-1, 0, 1))
        out.append(
            {
                "day": start + timedelta(days=i),
                "workout_type": "hills" if hills else "easy",
                "stiffness": after,
                "morning_stiffness": morning,
            }
        )
    # Runs never answered the next morning count only for the after-run model.
    for i in range(4):
        out.append({"day": start + timedelta(days=i), "workout_type": "tempo", "stiffness": 4})
    return out


def _hills(triggers):
    [row] = [t for t in triggers if t["factor"] == "workout_type" and t["value"] == "hills"]
    return row


class TestTheModel:
    def test_only_the_morning_model_sees_the_hill_effect(self):
        obs = []
        rng = random.Random(3)
        for i in range(48):
            hills = i % 3 == 0
            levels = {"workout_type": "hills" if hills else "easy"}
            after = 4.0 + rng.choice((-1, 0, 1))
            morning = 2.0 + (3 if hills else 0) + rng.choice((-1, 0, 1))
            obs.append(effects.Observation(after, i / 4, levels, morning=morning))
        after = _hills(effects.analyse(obs))
        morning = _hills(effects.analyse(obs, "next_morning"))
        assert after["label"] == "no_difference" and abs(after["effect"]) < 0.75
        assert morning["label"] == "clearly_more" and abs(morning["effect"] - 3) < 0.75

    def test_runs_without_a_morning_answer_are_left_out(self):
        obs = [effects.Observation(5.0, i / 4, {"workout_type": "hills"}) for i in range(10)]
        assert effects.analyse(obs, "next_morning") == []
        with pytest.raises(ValueError):
            effects.analyse(obs, "sometime")


class TestTheRoutes:
    def test_the_runner_asks_for_the_morning_outcome(self, runner_api, runner, sql):
        store_runs(sql, runner.id, lingering_hills(1))
        after = runner_api.get("/api/v1/progress").get_json()
        assert after["triggers_outcome"] == "after_run"
        assert _hills(after["triggers"])["label"] == "no_difference"
        morning = runner_api.get("/api/v1/progress?outcome=next_morning").get_json()
        assert morning["triggers_outcome"] == "next_morning"
        hills = _hills(morning["triggers"])
        assert hills["label"] == "clearly_more", hills
        assert abs(hills["effect"] - 3) < 0.75
        # The tempo runs had no morning answer: absent from the morning model.
        assert not [t for t in morning["triggers"] if t["value"] == "tempo"]
        # Everything but the triggers is the same either way.
        assert {k: v for k, v in after.items() if not k.startswith("triggers")} == {
            k: v for k, v in morning.items() if not k.startswith("triggers")
        }

    def test_the_practitioner_asks_for_it_too(self, runner_api, practitioner_api, runner, sql):
        link(runner_api, practitioner_api)
        store_runs(sql, runner.id, lingering_hills(2))
        path = f"/api/v1/clients/{runner.id}/progress?outcome=next_morning"
        body = practitioner_api.get(path).get_json()
        assert body["triggers_outcome"] == "next_morning"
        assert _hills(body["triggers"])["label"] == "clearly_more"

    @pytest.mark.parametrize("value", ["morning", "", "AFTER_RUN"])
    def test_an_unknown_outcome_is_a_422_naming_it(self, runner_api, value):
        response = runner_api.get(f"/api/v1/progress?outcome={value}")
        assert response.status_code == 422
        assert "outcome" in response.get_json()["errors"]["query"]

    def test_the_practitioner_route_validates_it(self, runner_api, practitioner_api, runner):
        link(runner_api, practitioner_api)
        response = practitioner_api.get(f"/api/v1/clients/{runner.id}/progress?outcome=x")
        assert response.status_code == 422
        assert "outcome" in response.get_json()["errors"]["query"]
