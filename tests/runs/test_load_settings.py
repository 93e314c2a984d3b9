"""The load multipliers and the step model are settings, read from the environment."""

from __future__ import annotations

import pytest

from backend import create_app
from backend.config import ConfigError, load_config
from backend.runs.estimate import Cadence, Range
from tests.support import run_body


def test_the_environment_sets_the_load_model():
    env = {
        "LOAD_RUN_BW": "2.5,3",
        "LOAD_WALK_BW": "1.1,1.3",
        "LOAD_RUN_CADENCE": "150,1.5",
        "LOAD_WALK_CADENCE": "60,9",
        "LOAD_STEP_SPREAD": "0.1",
    }
    settings = load_config("testing", env)
    assert settings["LOAD_RUN_BW"] == (2.5, 3.0)
    assert settings["LOAD_WALK_BW"] == (1.1, 1.3)
    assert settings["LOAD_RUN_CADENCE"] == (150.0, 1.5)
    assert settings["LOAD_WALK_CADENCE"] == (60.0, 9.0)
    assert settings["LOAD_STEP_SPREAD"] == 0.1


@pytest.mark.parametrize("value", ["3", "4,3", "a,b", "0,2"])
def test_a_bad_multiplier_is_refused_at_start(value):
    with pytest.raises((ConfigError, ValueError)):
        load_config("testing", {"LOAD_RUN_BW": value})


def test_runs_use_the_configured_model(monkeypatch):
    monkeypatch.setenv("LOAD_RUN_BW", "2.5,3")
    monkeypatch.setenv("LOAD_RUN_CADENCE", "180,0")
    monkeypatch.setenv("LOAD_STEP_SPREAD", "0")
    app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        from backend.runs.service import load_model

        model = load_model()
    assert model.run_bw == Range(2.5, 3.0)
    assert model.run_cadence == Cadence(180.0, 0.0)


def test_the_api_reports_figures_from_the_settings(app, runner_api, monkeypatch):
    monkeypatch.setitem(app.config, "LOAD_RUN_BW", (2.0, 2.0))
    monkeypatch.setitem(app.config, "LOAD_RUN_CADENCE", (170.0, 0.0))
    monkeypatch.setitem(app.config, "LOAD_STEP_SPREAD", 0.0)
    runner_api.patch("/api/v1/me", {"body_weight_kg": 70})
    est = runner_api.post("/api/v1/runs", run_body(duration_s=3000)).get_json()["estimate"]
    assert est["steps"] == {"low": 8500, "high": 8500}
    assert est["force_per_step_kg"] == {"low": 140, "high": 140}
