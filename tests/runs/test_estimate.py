import pytest

from backend.runs.estimate import KM_PER_MILE, LB_PER_KG, LoadModel, Range, estimate_load

THREE_MILES_KM = 3 * KM_PER_MILE


class TestEstimateLoad:
    def test_it_puts_three_miles_at_about_4000_to_5500_steps(self):
        est = estimate_load(THREE_MILES_KM, "easy", None)
        assert 3950 <= est["steps"]["low"] <= 4050
        assert 5450 <= est["steps"]["high"] <= 5550

    def test_it_gives_a_200_lb_runner_600_to_800_lb_per_step(self):
        est = estimate_load(THREE_MILES_KM, "easy", 200 / LB_PER_KG)
        per_step = est["force_per_step_kg"]
        assert per_step["low"] * LB_PER_KG == pytest.approx(600, abs=2)
        assert per_step["high"] * LB_PER_KG == pytest.approx(800, abs=2)

    def test_it_gives_a_150_lb_runner_450_to_600_lb_per_step(self):
        per_step = estimate_load(5.0, "tempo", 150 / LB_PER_KG)["force_per_step_kg"]
        assert per_step["low"] * LB_PER_KG == pytest.approx(450, abs=2)
        assert per_step["high"] * LB_PER_KG == pytest.approx(600, abs=2)

    def test_it_uses_walking_multipliers_for_walks(self):
        est = estimate_load(3.0, "walk", 70)
        assert est["force_per_step_bw"] == {"low": 1.0, "high": 1.5}
        assert est["force_per_step_kg"] == {"low": 70, "high": 105}

    def test_it_multiplies_steps_by_force_for_total_load(self):
        est = estimate_load(THREE_MILES_KM, "easy", 100)
        assert est["total_load_kg"]["low"] == pytest.approx(est["steps"]["low"] * 300, rel=1e-3)
        assert est["total_load_kg"]["high"] == pytest.approx(est["steps"]["high"] * 400, rel=1e-3)

    def test_it_leaves_out_kilograms_without_a_body_weight(self):
        est = estimate_load(10, "easy", None)
        assert set(est) == {"steps", "force_per_step_bw"}

    def test_it_takes_multipliers_from_the_model(self):
        model = LoadModel(run_bw=Range(2.5, 3.0))
        est = estimate_load(10, "long", 80, model)
        assert est["force_per_step_bw"] == {"low": 2.5, "high": 3.0}
        assert est["force_per_step_kg"] == {"low": 200, "high": 240}
