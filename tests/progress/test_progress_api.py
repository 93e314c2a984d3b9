from datetime import UTC, datetime, timedelta

import pytest

from backend.runs.estimate import estimate_steps
from tests.practice.support import statements, store_runs


def today():
    return datetime.now(UTC).date()


def monday(day):
    return day - timedelta(days=day.weekday())


class TestProgress:
    def test_it_has_the_documented_shape_when_empty(self, runner_api):
        body = runner_api.get("/api/v1/progress").get_json()
        assert body == {
            "stiffness": {
                "resolution": "day",
                "series": [],
                "morning": {"answered": 0, "passing": 0, "lingering": 0, "by_workout_type": []},
                "weekly": [],
                "trend": {
                    "direction": "steady",
                    "change": 0.0,
                    "slope_per_week": 0.0,
                    "runs": 0,
                    "days": 0,
                    "window_days": 14,
                    "enough_data": False,
                },
            },
            "by_surface": [],
            "by_workout_type": [],
            "triggers": [],
            "load": {"weekly": []},
            "adherence": body["adherence"],
            "triggers_outcome": "after_run",
            "triggers_from": None,
        }
        assert set(body["adherence"]) == {"planned", "done", "rate", "streak_days"}

    def test_it_lists_hills_first_when_hill_runs_are_stiffer(self, runner_api, runner, sql):
        start = monday(today()) - timedelta(weeks=2)
        # Alternate days, so the time trend cannot stand in for the workout type.
        runs = [
            {"day": start + timedelta(days=2 * i), "workout_type": "hills", "stiffness": 7}
            for i in range(4)
        ] + [
            {"day": start + timedelta(days=2 * i + 1), "workout_type": "easy", "stiffness": 2}
            for i in range(4)
        ]
        store_runs(sql, runner.id, runs)
        triggers = runner_api.get("/api/v1/progress").get_json()["triggers"]
        first = triggers[0]
        assert (first["factor"], first["value"], first["reference"]) == (
            "workout_type",
            "hills",
            "easy",
        )
        assert (first["runs"], first["reference_runs"], first["mean_stiffness"]) == (4, 4, 7.0)
        assert first["low"] < first["effect"] < first["high"]
        assert 4.0 <= first["effect"] <= 5.0  # the raw gap is 5, gently pulled towards 0
        assert first["label"] == "clearly_more"
        assert first["label_text"] == "clearly more stiffness"

    def test_it_labels_a_single_hill_run_rather_than_hiding_it(self, runner_api, runner, sql):
        start = monday(today()) - timedelta(weeks=2)
        runs = [{"day": start, "workout_type": "hills", "stiffness": 7}] + [
            {"day": start + timedelta(days=1 + i), "stiffness": 2} for i in range(4)
        ]
        store_runs(sql, runner.id, runs)
        triggers = runner_api.get("/api/v1/progress").get_json()["triggers"]
        hills = next(t for t in triggers if t["value"] == "hills")
        assert hills["runs"] == 1
        assert hills["label"] == "not_enough_runs"
        assert hills["effect"] is None

    def test_it_finds_long_runs_and_heavy_weeks(self, runner_api, runner, sql):
        start = monday(today()) - timedelta(weeks=4)
        runs = []
        for week in range(4):
            for day in range(3):
                runs.append({"day": start + timedelta(weeks=week, days=day), "stiffness": 2})
        for day in range(3):  # one heavy week of long, stiff runs
            runs.append(
                {"day": start + timedelta(days=3 + day), "distance_km": 20.0, "stiffness": 6}
            )
        store_runs(sql, runner.id, runs)
        triggers = runner_api.get("/api/v1/progress").get_json()["triggers"]
        factors = {(t["factor"], t["value"]): t for t in triggers}
        long_runs = factors[("distance", "long")]
        assert (long_runs["runs"], long_runs["mean_stiffness"]) == (3, 6.0)
        heavy = factors[("weekly_load", "high")]
        assert (heavy["runs"], heavy["mean_stiffness"]) == (6, 4.0)
        # The heavy week is stiff only because of its long runs: weighed together, the
        # long runs carry the difference.
        assert long_runs["label"] == "clearly_more"
        assert long_runs["effect"] > heavy["effect"]

    def test_it_groups_by_day_week_surface_and_type(self, runner_api, runner, sql):
        week = monday(today()) - timedelta(weeks=1)
        store_runs(
            sql,
            runner.id,
            [
                {"day": week, "stiffness": 2, "surface": "track"},
                {"day": week, "stiffness": 4, "surface": "trail", "workout_type": "hills"},
                {"day": week + timedelta(days=6), "stiffness": 6, "surface": "trail"},
            ],
        )
        body = runner_api.get("/api/v1/progress").get_json()
        assert body["stiffness"]["series"] == [
            {
                "date": week.isoformat(),
                "mean": 3.0,
                "runs": 2,
                "morning_mean": None,
                "morning_runs": 0,
            },
            {
                "date": (week + timedelta(days=6)).isoformat(),
                "mean": 6.0,
                "runs": 1,
                "morning_mean": None,
                "morning_runs": 0,
            },
        ]
        assert body["stiffness"]["weekly"] == [
            {"week_start": week.isoformat(), "mean": 4.0, "runs": 3}
        ]
        assert body["by_surface"] == [
            {"surface": "track", "runs": 1, "mean_stiffness": 2.0},
            {"surface": "trail", "runs": 2, "mean_stiffness": 5.0},
        ] or body["by_surface"] == [
            {"surface": "trail", "runs": 2, "mean_stiffness": 5.0},
            {"surface": "track", "runs": 1, "mean_stiffness": 2.0},
        ]
        assert {r["workout_type"]: r["runs"] for r in body["by_workout_type"]} == {
            "easy": 2,
            "hills": 1,
        }

    def test_it_reports_a_worsening_trend(self, runner_api, runner, sql):
        store_runs(
            sql,
            runner.id,
            [{"day": today() - timedelta(days=12 - 3 * i), "stiffness": 2 + i} for i in range(5)],
        )
        trend = runner_api.get("/api/v1/progress").get_json()["stiffness"]["trend"]
        assert trend["direction"] == "worsening"
        assert trend["change"] == 4.0
        assert trend["slope_per_week"] == pytest.approx(7 / 3, abs=0.01)

    def test_it_estimates_weekly_load_with_body_weight(self, runner_api, runner, sql):
        runner_api.patch("/api/v1/me", {"body_weight_kg": 80})
        week = monday(today()) - timedelta(weeks=1)
        store_runs(
            sql,
            runner.id,
            [
                {"day": week, "stiffness": 2, "distance_km": 1.609344},
                {"day": week, "stiffness": 2, "distance_km": 1.609344, "workout_type": "walk"},
            ],
        )
        load = runner_api.get("/api/v1/progress").get_json()["load"]["weekly"]
        # Each run and walk takes 2,700 s; steps follow the pace, walks their own cadence.
        run = estimate_steps(1.609344, 2700)
        walk = estimate_steps(1.609344, 2700, walking=True)
        assert load[0]["steps_mid"] == round(run.mid + walk.mid)
        low = (run.low * 3.0 + walk.low * 1.0) * 80
        high = (run.high * 4.0 + walk.high * 1.5) * 80
        assert load[0]["load_kg"] == {"low": round(low), "high": round(high)}
        assert load[0]["load_kg_mid"] == round((low + high) / 2)

    def test_it_keeps_to_the_date_range(self, runner_api, runner, sql):
        store_runs(
            sql,
            runner.id,
            [
                {"day": today() - timedelta(days=200), "stiffness": 9},
                {"day": today(), "stiffness": 1},
            ],
        )
        default = runner_api.get("/api/v1/progress").get_json()
        assert [p["mean"] for p in default["stiffness"]["series"]] == [1.0]
        start = (today() - timedelta(days=365)).isoformat()
        wide = runner_api.get(f"/api/v1/progress?from={start}").get_json()
        assert len(wide["stiffness"]["series"]) == 2

    def test_it_rejects_a_range_that_ends_before_it_starts(self, runner_api):
        response = runner_api.get("/api/v1/progress?from=2026-05-02&to=2026-05-01")
        assert response.status_code == 422
        assert "from" in response.get_json()["errors"]["query"]

    def test_it_rejects_dates_out_of_any_sensible_range(self, runner_api):
        response = runner_api.get("/api/v1/progress?to=0001-01-02")
        assert response.status_code == 422
        assert "to" in response.get_json()["errors"]["query"]

    def test_it_is_for_runners_only(self, practitioner_api):
        assert practitioner_api.get("/api/v1/progress").status_code == 403

    def test_it_issues_the_same_statements_for_100_and_10000_runs(
        self, app, runner_api, runner, sql
    ):
        def count_for(n: int) -> int:
            start = today() - timedelta(days=83)
            runs = [
                {
                    "day": start + timedelta(days=i % 84),
                    "stiffness": i % 11,
                    "surface": ("road", "trail", "track")[i % 3],
                    "workout_type": ("easy", "hills", "long", "tempo")[i % 4],
                    "distance_km": 5.0 + i % 13,
                }
                for i in range(n)
            ]
            store_runs(sql, runner.id, runs)
            return statements(app, runner_api, "/api/v1/progress")

        small = count_for(100)
        large = count_for(9900)  # 10,000 in all
        assert small == large
