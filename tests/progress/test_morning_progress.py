"""Progress and the roster tell passing from lingering stiffness the morning after."""

from __future__ import annotations

from datetime import timedelta

from tests.practice.support import store_runs
from tests.progress.test_progress_api import today


def hills_and_easy(day):
    return [
        # Hills: stiff after, still stiff the next morning (lingering), twice.
        {"day": day, "workout_type": "hills", "stiffness": 6, "morning_stiffness": 6},
        {
            "day": day + timedelta(days=2),
            "workout_type": "hills",
            "stiffness": 5,
            "morning_stiffness": 4,
        },
        # Easy: stiff after, settled by morning (passing).
        {
            "day": day + timedelta(days=1),
            "workout_type": "easy",
            "stiffness": 5,
            "morning_stiffness": 1,
        },
        # Not answered: in neither count.
        {"day": day + timedelta(days=3), "workout_type": "easy", "stiffness": 3},
    ]


class TestProgressMornings:
    def test_the_series_carries_both_values_and_the_summary_counts(self, runner_api, runner, sql):
        start = today() - timedelta(days=6)
        store_runs(sql, runner.id, hills_and_easy(start))
        body = runner_api.get("/api/v1/progress").get_json()
        series = {p["date"]: p for p in body["stiffness"]["series"]}
        first = series[start.isoformat()]
        assert (first["mean"], first["morning_mean"], first["morning_runs"]) == (6.0, 6.0, 1)
        unanswered = series[(start + timedelta(days=3)).isoformat()]
        assert (unanswered["morning_mean"], unanswered["morning_runs"]) == (None, 0)
        morning = body["stiffness"]["morning"]
        assert (morning["answered"], morning["passing"], morning["lingering"]) == (3, 1, 2)
        by_type = {w["workout_type"]: w for w in morning["by_workout_type"]}
        assert by_type["hills"] == {
            "workout_type": "hills",
            "answered": 2,
            "lingering": 2,
            "lingers": True,
        }
        assert by_type["easy"]["lingers"] is False

    def test_a_runner_sees_only_their_own_mornings(self, app, runner_api, make_user, sql):
        other = make_user(role="runner")
        store_runs(sql, other.id, hills_and_easy(today() - timedelta(days=6)))
        body = runner_api.get("/api/v1/progress").get_json()
        assert body["stiffness"]["morning"]["answered"] == 0


class TestRosterSaysStillStiff:
    def test_it_names_the_workout_type_that_lingers(self, practitioner_api, runner, linked, sql):
        store_runs(sql, runner.id, hills_and_easy(today() - timedelta(days=6)))
        item = practitioner_api.get("/api/v1/clients").get_json()["items"][0]
        assert "Still stiff the morning after hills" in item["reasons"]
        assert not any("easy" in r for r in item["reasons"])
        assert item["needs_attention"] is True

    def test_one_lingering_morning_is_not_a_pattern(self, practitioner_api, runner, linked, sql):
        store_runs(
            sql,
            runner.id,
            [
                {
                    "day": today() - timedelta(days=1),
                    "workout_type": "hills",
                    "stiffness": 3,
                    "morning_stiffness": 3,
                }
            ],
        )
        item = practitioner_api.get("/api/v1/clients").get_json()["items"][0]
        assert not any("morning" in r for r in item["reasons"])

    def test_the_client_page_progress_has_the_mornings(self, practitioner_api, runner, linked, sql):
        store_runs(sql, runner.id, hills_and_easy(today() - timedelta(days=6)))
        body = practitioner_api.get(f"/api/v1/clients/{runner.id}/progress").get_json()
        assert body["stiffness"]["morning"]["lingering"] == 2

    def test_mornings_older_than_six_weeks_do_not_count(
        self, practitioner_api, runner, linked, sql
    ):
        store_runs(sql, runner.id, hills_and_easy(today() - timedelta(days=50)))
        item = practitioner_api.get("/api/v1/clients").get_json()["items"][0]
        assert not any("morning" in r for r in item["reasons"])
