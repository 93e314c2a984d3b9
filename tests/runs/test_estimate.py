import pytest

from backend.runs.estimate import (
    KM_PER_MILE,
    LB_PER_KG,
    Cadence,
    LoadModel,
    Range,
    estimate_load,
    estimate_steps,
    relative_change,
)

THREE_MILES_KM = 3 * KM_PER_MILE


def minutes_per_mile(minutes: float, miles: float = 3) -> int:
    return round(minutes * 60 * miles)


class TestEstimateSteps:
    def test_it_puts_three_miles_at_8_min_a_mile_near_4000_steps(self):
        steps = estimate_steps(THREE_MILES_KM, minutes_per_mile(8))
        assert steps.mid == pytest.approx(4000, rel=0.05)

    def test_it_puts_three_miles_at_11_min_a_mile_near_5500_steps(self):
        steps = estimate_steps(THREE_MILES_KM, minutes_per_mile(11))
        assert steps.mid == pytest.approx(5500, rel=0.07)

    def test_it_matches_about_1300_and_1900_steps_a_mile_at_8_and_12_minutes(self):
        assert estimate_steps(KM_PER_MILE, 8 * 60).mid == pytest.approx(1300, rel=0.05)
        assert estimate_steps(KM_PER_MILE, 12 * 60).mid == pytest.approx(1900, rel=0.05)

    def test_fast_running_takes_fewer_steps_per_kilometre(self):
        # At 3:00 min/km the stride is long: about 555 steps a km, not a jogger's 1,000.
        steps = estimate_steps(10, 30 * 60)
        assert steps.mid / 10 == pytest.approx(555, rel=0.05)
        assert steps.mid < estimate_steps(10, 60 * 60).mid * 0.7

    def test_walks_take_a_walking_cadence(self):
        # 5 km at 12:00 min/km: an hour at about 110 steps a minute.
        walk = estimate_steps(5, 3600, walking=True)
        assert walk.mid == pytest.approx(6600, rel=0.01)
        assert walk.mid < estimate_steps(5, 3600).mid

    def test_a_recorded_cadence_replaces_the_model(self):
        steps = estimate_steps(10, 3000, cadence_spm=180)
        assert steps.mid == pytest.approx(9000)
        assert steps.high - steps.low == pytest.approx(9000 * 0.04)

    def test_it_gives_a_range_around_the_model(self):
        steps = estimate_steps(5, 1800)
        assert steps.low == pytest.approx(steps.mid * 0.94)
        assert steps.high == pytest.approx(steps.mid * 1.06)

    def test_it_takes_the_cadence_line_from_the_model(self):
        model = LoadModel(run_cadence=Cadence(180, 0), step_spread=0)
        assert estimate_steps(5, 1800, model=model) == Range(5400, 5400)


class TestEstimateLoad:
    def test_it_gives_a_200_lb_runner_600_to_800_lb_per_step(self):
        est = estimate_load(THREE_MILES_KM, 1800, "easy", 200 / LB_PER_KG)
        per_step = est["force_per_step_kg"]
        assert per_step["low"] * LB_PER_KG == pytest.approx(600, abs=2)
        assert per_step["high"] * LB_PER_KG == pytest.approx(800, abs=2)

    def test_it_gives_a_150_lb_runner_450_to_600_lb_per_step(self):
        per_step = estimate_load(5.0, 1500, "tempo", 150 / LB_PER_KG)["force_per_step_kg"]
        assert per_step["low"] * LB_PER_KG == pytest.approx(450, abs=2)
        assert per_step["high"] * LB_PER_KG == pytest.approx(600, abs=2)

    def test_it_uses_walking_multipliers_for_walks(self):
        est = estimate_load(3.0, 2400, "walk", 70)
        assert est["force_per_step_bw"] == {"low": 1.0, "high": 1.5}
        assert est["force_per_step_kg"] == {"low": 70, "high": 105}

    def test_it_multiplies_steps_by_force_for_total_load(self):
        est = estimate_load(THREE_MILES_KM, 1800, "easy", 100)
        assert est["total_load_kg"]["low"] == pytest.approx(est["steps"]["low"] * 300, rel=1e-3)
        assert est["total_load_kg"]["high"] == pytest.approx(est["steps"]["high"] * 400, rel=1e-3)

    def test_it_leaves_out_kilograms_without_a_body_weight(self):
        est = estimate_load(10, 3000, "easy", None)
        assert set(est) == {"steps", "force_per_step_bw"}

    def test_it_takes_multipliers_from_the_model(self):
        model = LoadModel(run_bw=Range(2.5, 3.0))
        est = estimate_load(10, 3000, "long", 80, model)
        assert est["force_per_step_bw"] == {"low": 2.5, "high": 3.0}
        assert est["force_per_step_kg"] == {"low": 200, "high": 240}


class TestRelativeChange:
    def test_it_gives_whole_per_cent(self):
        assert relative_change(120, 100) == 20
        assert relative_change(75, 100) == -25

    def test_it_has_nothing_to_compare_without_a_usual_figure(self):
        assert relative_change(120, None) is None
        assert relative_change(120, 0) is None
