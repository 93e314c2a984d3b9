"""The trigger analysis, checked on made-up histories whose true effects are known."""

from backend.progress import effects
from backend.progress.effects import Observation, analyse
from tests.progress.histories import Truth, history

SEEDS = range(200)


def _by_level(found):
    return {(r["factor"], r["value"]): r for r in found}


class TestRecovery:
    def test_it_recovers_each_set_effect_within_three_quarters_of_a_point(self):
        truth = Truth()
        checked = misses = 0
        errors: dict[tuple[str, str], list[float]] = {key: [] for key in truth.effects}
        for seed in SEEDS:
            found = _by_level(analyse(history(seed, truth=truth)))
            for key, true in truth.effects.items():
                row = found[key]
                if row["runs"] < 8:
                    continue
                checked += 1
                error = row["effect"] - true
                errors[key].append(error)
                misses += abs(error) > 0.75
        assert checked >= 0.9 * len(SEEDS) * len(truth.effects)
        # Noise of +/-1.5 on about ten runs leaves an occasional history off by more;
        # at least 95 % of the estimates must land within 0.75 of the truth.
        assert misses <= 0.05 * checked, (misses, checked)
        for key, errs in errors.items():
            assert abs(sum(errs) / len(errs)) < 0.25, key  # no systematic lean

    def test_it_separates_hills_from_the_hilly_ground_they_are_run_on(self):
        # Hill workouts are mostly hilly; only the workout carries the true effect.
        found = [_by_level(analyse(history(seed))) for seed in range(40)]
        hilly = sum(f[("terrain", "hilly")]["effect"] for f in found) / len(found)
        hills = sum(f[("workout_type", "hills")]["effect"] for f in found) / len(found)
        assert abs(hilly) < 0.4
        assert hills > 2.5

    def test_it_finds_a_terrain_effect_beside_the_workout_type(self):
        truth = Truth(effects={("terrain", "hilly"): 2.0, ("workout_type", "hills"): 0.0})
        found = [_by_level(analyse(history(seed, truth=truth))) for seed in range(40)]
        hilly = sum(f[("terrain", "hilly")]["effect"] for f in found) / len(found)
        hills = sum(f[("workout_type", "hills")]["effect"] for f in found) / len(found)
        assert abs(hilly - 2.0) < 0.4
        assert abs(hills) < 0.4


class TestFalseAlarms:
    def test_it_rarely_calls_an_effect_of_zero_clear(self):
        truth = Truth()
        zero = clear = 0
        for seed in SEEDS:
            for row in analyse(history(seed, truth=truth)):
                if (row["factor"], row["value"]) in truth.effects or row["effect"] is None:
                    continue
                zero += 1
                clear += row["label"] in ("clearly_more", "clearly_less")
        assert zero > 1000
        assert clear <= 0.05 * zero, (clear, zero)

    def test_it_sees_no_clear_effect_in_pure_noise(self):
        truth = Truth(effects={}, trend_per_week=0.0)
        rates = []
        for seed in SEEDS:
            found = analyse(history(seed, truth=truth))
            rates.append(any(r["label"].startswith("clearly") for r in found))
        # Over about fifteen levels at once a history may show one by chance, rarely.
        assert sum(rates) <= 0.15 * len(SEEDS)


class TestNotEnoughRuns:
    def test_it_labels_a_level_below_three_runs(self):
        runs = history(1)
        runs += [
            Observation(9.0, 18.0, {"surface": "sand", "workout_type": "easy"}),
            Observation(9.0, 18.2, {"surface": "sand", "workout_type": "easy"}),
        ]
        sand = _by_level(analyse(runs))[("surface", "sand")]
        assert sand["runs"] == 2
        assert sand["label"] == "not_enough_runs"
        assert sand["label_text"] == "not enough runs yet"
        assert sand["effect"] is None and sand["low"] is None
        assert sand["mean_stiffness"] == 9.0

    def test_it_estimates_from_three_runs(self):
        runs = history(1)
        runs += [
            Observation(9.0, 18.0 + i / 10, {"surface": "sand", "workout_type": "easy"})
            for i in range(3)
        ]
        sand = _by_level(analyse(runs))[("surface", "sand")]
        assert sand["label"] != "not_enough_runs"
        assert sand["effect"] is not None

    def test_a_short_history_says_not_enough_for_every_level(self):
        runs = history(2, runs=effects.MIN_TOTAL_RUNS - 1)
        found = analyse(runs)
        assert found
        assert {r["label"] for r in found} == {"not_enough_runs"}

    def test_nothing_to_say_without_runs(self):
        assert analyse([]) == []


class TestShape:
    def test_the_interval_holds_the_estimate_and_the_clearest_come_first(self):
        found = analyse(history(3))
        order = list(effects.LABELS)
        ranks = [order.index(r["label"]) for r in found]
        assert ranks == sorted(ranks)
        for r in found:
            if r["effect"] is not None:
                assert r["low"] <= r["effect"] <= r["high"]

    def test_it_falls_back_to_the_most_common_level_as_reference(self):
        runs = [
            Observation(float(3 + (i % 3 == 0)), i / 4, {"surface": "grass"}) for i in range(12)
        ]
        runs += [Observation(6.0, i / 4, {"surface": "trail"}) for i in range(4)]
        trail = _by_level(analyse(runs))[("surface", "trail")]
        assert trail["reference"] == "grass"

    def test_t_quantiles_are_close_to_the_tables(self):
        assert abs(effects.t_quantile(0.975, 10) - 2.228) < 0.01
        assert abs(effects.t_quantile(0.975, 30) - 2.042) < 0.005
        assert abs(effects.t_quantile(0.9, 5) - 1.476) < 0.01
