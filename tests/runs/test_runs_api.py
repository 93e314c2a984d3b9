import threading
import uuid

from sqlalchemy import func, select

from backend.runs.models import Run
from tests.support import Api, run_body


def count_runs(sql) -> int:
    return sql(lambda s: s.scalar(select(func.count()).select_from(Run)))


class TestCreateRun:
    def test_it_logs_a_run_with_estimate_and_advice(self, runner_api):
        # Three miles at 8:00 min/mile: about 4,000 steps.
        response = runner_api.post("/api/v1/runs", run_body(distance_km=4.828, duration_s=1440))
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        steps = body["estimate"]["steps"]
        assert 3800 <= (steps["low"] + steps["high"]) / 2 <= 4200
        assert body["advice"]["level"] == "none"
        assert "force_per_step_kg" not in body["estimate"]
        assert body["started_at"] == "2026-11-20T07:30:00+00:00"

    def test_it_adds_kilograms_when_the_weight_is_known(self, runner_api):
        runner_api.patch("/api/v1/me", {"body_weight_kg": 90.7})
        body = runner_api.post("/api/v1/runs", run_body(distance_km=4.828)).get_json()
        assert body["estimate"]["force_per_step_kg"] == {"low": 272, "high": 363}

    def test_it_gives_emergency_advice_for_saddle_numbness(self, runner_api):
        body = runner_api.post("/api/v1/runs", run_body(red_flags=["saddle_numbness"])).get_json()
        assert body["advice"]["level"] == "emergency"

    def test_it_defaults_the_start_to_now(self, runner_api):
        body = run_body()
        del body["started_at"]
        response = runner_api.post("/api/v1/runs", body)
        assert response.status_code == 201

    def test_it_stores_times_in_utc(self, runner_api):
        body = runner_api.post(
            "/api/v1/runs", run_body(started_at="2026-11-20T08:30:00+13:00")
        ).get_json()
        assert body["started_at"] == "2026-11-19T19:30:00+00:00"

    def test_it_rejects_every_bad_field_with_messages(self, runner_api, sql):
        response = runner_api.post(
            "/api/v1/runs",
            {
                "distance_km": 0,
                "duration_s": -5,
                "surface": "ice",
                "workout_type": "nap",
                "stiffness": 11,
                "stiffness_areas": ["toes"],
                "red_flags": ["hiccups"],
                "notes": "x" * 2001,
                "started_at": "yesterday",
            },
        )
        assert response.status_code == 422
        fields = set(response.get_json()["errors"]["json"])
        assert fields == {
            "distance_km",
            "duration_s",
            "surface",
            "workout_type",
            "stiffness",
            "stiffness_areas",
            "red_flags",
            "notes",
            "started_at",
        }
        assert count_runs(sql) == 0

    def test_it_rejects_a_distance_over_300_km_and_naive_times(self, runner_api):
        assert runner_api.post("/api/v1/runs", run_body(distance_km=300.5)).status_code == 422
        response = runner_api.post("/api/v1/runs", run_body(started_at="2026-11-20T07:30:00"))
        assert response.status_code == 422

    def test_a_practitioner_cannot_log_runs(self, practitioner_api):
        assert practitioner_api.post("/api/v1/runs", run_body()).status_code == 403

    def test_anonymous_gets_401(self, api):
        assert api.post("/api/v1/runs", run_body()).status_code == 401
        assert api.get("/api/v1/runs").status_code == 401


class TestIdempotentCreate:
    def test_the_same_id_and_body_returns_the_same_run(self, runner_api, sql):
        body = run_body(id=str(uuid.uuid4()))
        first = runner_api.post("/api/v1/runs", body)
        again = runner_api.post("/api/v1/runs", body)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.get_json() == again.get_json()
        assert count_runs(sql) == 1

    def test_the_same_id_with_another_body_is_409_and_changes_nothing(self, runner_api):
        body = run_body(id=str(uuid.uuid4()))
        runner_api.post("/api/v1/runs", body)
        response = runner_api.post("/api/v1/runs", {**body, "stiffness": 9})
        assert response.status_code == 409
        assert runner_api.get(f"/api/v1/runs/{body['id']}").get_json()["stiffness"] == 3

    def test_another_runner_cannot_reuse_an_id(self, app, runner_api, make_user, sql):
        body = run_body(id=str(uuid.uuid4()))
        runner_api.post("/api/v1/runs", body)
        other = Api(app.test_client()).login(make_user())
        assert other.post("/api/v1/runs", body).status_code == 409
        assert count_runs(sql) == 1

    def test_fifty_concurrent_identical_creates_make_one_row(self, app, runner, sql):
        body = run_body(id=str(uuid.uuid4()))
        clients = [Api(app.test_client()).login(runner) for _ in range(50)]
        statuses: list[int] = []
        barrier = threading.Barrier(50)

        def send(client: Api) -> None:
            barrier.wait()
            statuses.append(client.post("/api/v1/runs", body).status_code)

        threads = [threading.Thread(target=send, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(set(statuses)) == [200, 201]
        assert statuses.count(201) == 1
        assert count_runs(sql) == 1


class TestReadRuns:
    def test_it_lists_my_runs_newest_first_with_a_cursor(self, runner_api):
        for day in range(1, 8):
            runner_api.post("/api/v1/runs", run_body(started_at=f"2026-11-0{day}T07:00:00+00:00"))
        first = runner_api.get("/api/v1/runs?limit=3").get_json()
        assert [r["local_date"] for r in first["items"]] == [
            "2026-11-07",
            "2026-11-06",
            "2026-11-05",
        ]
        seen = [r["id"] for r in first["items"]]
        cursor = first["next_cursor"]
        while cursor:
            page = runner_api.get(f"/api/v1/runs?limit=3&cursor={cursor}").get_json()
            seen += [r["id"] for r in page["items"]]
            cursor = page["next_cursor"]
        assert len(seen) == len(set(seen)) == 7

    def test_it_filters_by_date(self, runner_api):
        for day in range(1, 8):
            runner_api.post("/api/v1/runs", run_body(started_at=f"2026-11-0{day}T07:00:00+00:00"))
        page = runner_api.get("/api/v1/runs?from=2026-11-03&to=2026-11-05").get_json()
        assert sorted(r["local_date"] for r in page["items"]) == [
            "2026-11-03",
            "2026-11-04",
            "2026-11-05",
        ]

    def test_it_rejects_bad_query_args(self, runner_api):
        assert runner_api.get("/api/v1/runs?limit=101").status_code == 422
        assert runner_api.get("/api/v1/runs?from=soon").status_code == 422
        response = runner_api.get("/api/v1/runs?cursor=!!!")
        assert response.status_code == 422
        assert "cursor" in response.get_json()["errors"]["query"]


class TestOwnership:
    def test_runner_b_gets_404_on_runner_a_s_run(self, app, runner_api, make_user):
        run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
        other = Api(app.test_client()).login(make_user())
        assert other.get(f"/api/v1/runs/{run_id}").status_code == 404
        assert other.patch(f"/api/v1/runs/{run_id}", {"stiffness": 9}).status_code == 404
        assert other.delete(f"/api/v1/runs/{run_id}").status_code == 404
        assert other.get("/api/v1/runs").get_json()["items"] == []
        assert runner_api.get(f"/api/v1/runs/{run_id}").get_json()["stiffness"] == 3

    def test_anonymous_gets_401_on_a_run(self, api, runner_api):
        run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
        assert api.get(f"/api/v1/runs/{run_id}").status_code == 401


class TestChangeRun:
    def test_it_patches_and_recomputes_advice(self, runner_api):
        run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
        response = runner_api.patch(
            f"/api/v1/runs/{run_id}", {"stiffness": 6, "red_flags": ["night_pain"]}
        )
        assert response.status_code == 200
        assert response.get_json()["advice"]["level"] == "urgent"

    def test_an_empty_or_bad_patch_is_422_and_changes_nothing(self, runner_api):
        run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
        assert runner_api.patch(f"/api/v1/runs/{run_id}", {}).status_code == 422
        response = runner_api.patch(f"/api/v1/runs/{run_id}", {"stiffness": 4, "surface": "lava"})
        assert response.status_code == 422
        assert runner_api.get(f"/api/v1/runs/{run_id}").get_json()["stiffness"] == 3

    def test_it_deletes(self, runner_api):
        run_id = runner_api.post("/api/v1/runs", run_body()).get_json()["id"]
        assert runner_api.delete(f"/api/v1/runs/{run_id}").status_code == 204
        assert runner_api.get(f"/api/v1/runs/{run_id}").status_code == 404
