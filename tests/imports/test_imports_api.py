"""POST /api/v1/imports and GET /api/v1/imports/{id}: files in, runs out, each file all or
nothing. The test configuration runs the job before the response (IMPORTS_RUN=inline)."""

import io
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.imports.models import Import
from backend.runs.models import Run
from tests.imports.files import START, Route, fit, gpx, gz, strava_archive, tcx, zip_of
from tests.support import Api, run_body


def send(api: Api, *files: tuple[str, bytes]):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return api.post("/api/v1/imports", data=data, content_type="multipart/form-data")


def send_raw(api: Api, name: str, content: bytes):
    """A multipart body built by hand: for large files the test client would spool a
    temporary file of its own that it never closes."""
    boundary = "limberboundary"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    return api.post(
        "/api/v1/imports", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def imported(api: Api, *files: tuple[str, bytes]) -> dict:
    response = send(api, *files)
    assert response.status_code == 202, response.get_json()
    body = api.get(f"/api/v1/imports/{response.get_json()['id']}").get_json()
    assert body["status"] == "done", body
    return body


def run_count(sql) -> int:
    return sql(lambda s: s.scalar(select(func.count()).select_from(Run)))


class TestPostImports:
    def test_it_answers_202_with_an_id_and_a_location(self, runner_api):
        response = send(runner_api, ("morning.gpx", gpx(Route())))
        assert response.status_code == 202
        body = response.get_json()
        assert response.headers["Location"].endswith(f"/api/v1/imports/{body['id']}")
        assert set(body) >= {"id", "status", "total", "processed", "files", "counts"}

    def test_it_imports_each_format_with_its_figures(self, runner_api):
        body = imported(
            runner_api,
            ("hilly.gpx", gpx(Route(km=6, hill_m=20))),
            ("flat.tcx", tcx(Route(km=5, start=START + timedelta(days=1), cadence_rpm=85))),
            ("watch.fit.gz", gz(fit(Route(km=8, start=START + timedelta(days=2))))),
        )
        assert [f["outcome"] for f in body["files"]] == ["imported"] * 3
        assert (body["total"], body["processed"]) == (3, 3)
        runs = runner_api.get("/api/v1/runs").get_json()["items"]
        by_km = {round(r["distance_km"]): r for r in runs}
        assert by_km[6]["terrain"] == "hilly" and by_km[6]["elevation_gain_m"] > 150
        assert by_km[5]["terrain"] == "flat" and by_km[5]["avg_cadence_spm"] == 170
        assert by_km[8]["source"] == "file"
        for run in runs:
            assert run["stiffness"] is None  # waiting for the runner's answer
        # Steps come from the recorded cadence where there is one: 170 a minute.
        minutes = by_km[5]["moving_s"] / 60
        assert by_km[5]["estimate"]["steps"]["low"] == pytest.approx(170 * minutes * 0.98, abs=1)

    def test_it_lists_runs_awaiting_stiffness_and_takes_the_answer(self, runner_api):
        imported(runner_api, ("a.gpx", gpx(Route())))
        waiting = runner_api.get("/api/v1/runs/awaiting-stiffness").get_json()["items"]
        assert len(waiting) == 1
        runner_api.patch(f"/api/v1/runs/{waiting[0]['id']}", {"stiffness": 4})
        assert runner_api.get("/api/v1/runs/awaiting-stiffness").get_json()["items"] == []

    def test_runs_without_stiffness_stay_out_of_the_stiffness_figures(self, runner_api):
        imported(runner_api, ("a.gpx", gpx(Route(start=START.replace(year=2026)))))
        progress = runner_api.get("/api/v1/progress?from=2026-11-01&to=2026-11-30").get_json()
        assert progress["stiffness"]["series"] == []
        assert progress["by_surface"] == [] and progress["triggers"] == []
        assert progress["load"]["weekly"][0]["steps_mid"] > 0  # the run still counts as load


class TestDuplicates:
    def test_the_same_file_twice_is_skipped(self, runner_api, sql):
        imported(runner_api, ("a.gpx", gpx(Route())))
        again = imported(runner_api, ("renamed.gpx.gz", gz(gpx(Route()))))
        assert again["files"][0]["outcome"] == "duplicate"
        assert run_count(sql) == 1

    def test_the_same_run_from_another_format_is_a_duplicate(self, runner_api, sql):
        imported(runner_api, ("a.gpx", gpx(Route())))
        again = imported(runner_api, ("a.fit", fit(Route())))
        assert again["files"][0]["outcome"] == "duplicate"
        assert run_count(sql) == 1

    def test_a_typed_run_is_merged_keeping_stiffness_and_notes(self, runner_api, sql):
        typed = run_body(
            started_at=(START + timedelta(minutes=6)).isoformat(),
            distance_km=5.1,
            stiffness=6,
            notes="tight on the climb",
            surface="trail",
            workout_type="hills",
        )
        run_id = runner_api.post("/api/v1/runs", typed).get_json()["id"]
        body = imported(runner_api, ("a.gpx", gpx(Route(km=5, hill_m=20))))
        assert body["files"][0]["outcome"] == "merged"
        assert body["files"][0]["run_id"] == run_id
        run = runner_api.get(f"/api/v1/runs/{run_id}").get_json()
        assert (run["stiffness"], run["notes"]) == (6, "tight on the climb")
        assert (run["surface"], run["workout_type"]) == ("trail", "hills")
        assert run["distance_km"] == pytest.approx(4.98, abs=0.01)
        assert run["terrain"] == "hilly" and run["source"] == "file"
        assert run_count(sql) == 1

    def test_a_run_too_far_apart_is_not_merged(self, runner_api, sql):
        runner_api.post(
            "/api/v1/runs",
            run_body(started_at=(START + timedelta(minutes=11)).isoformat(), distance_km=5.0),
        )
        runner_api.post(
            "/api/v1/runs", run_body(started_at=START.isoformat(), distance_km=5.4)
        )  # 8 % longer
        body = imported(runner_api, ("a.gpx", gpx(Route(km=5))))
        assert body["files"][0]["outcome"] == "imported"
        assert run_count(sql) == 3


class TestStravaArchive:
    def test_an_archive_of_200_activities_twice(self, runner_api, sql):
        data = strava_archive(200, rides=3)
        body = imported(runner_api, ("export.zip", data))
        assert body["total"] == 203
        assert body["counts"] == {"imported": 200, "skipped": 3}
        skipped = [f for f in body["files"] if f["outcome"] == "skipped"]
        assert all("Ride" in f["reason"] for f in skipped)
        runs = sql(lambda s: s.scalars(select(Run)).all())
        assert len(runs) == 200
        assert {r.title for r in runs} >= {"Run 0", "Run 1"}
        assert sum(r.workout_type == "walk" for r in runs) == 20
        assert {r.terrain for r in runs} == {"flat", "hilly"}
        again = imported(runner_api, ("export.zip", data))
        assert again["counts"] == {"duplicate": 200, "skipped": 3}
        assert run_count(sql) == 200


class TestBadInput:
    def test_each_bad_file_is_reported_and_the_good_ones_kept(self, runner_api, sql):
        good = fit(Route())
        body = imported(
            runner_api,
            ("good.fit", good),
            ("truncated.fit", fit(Route(start=START + timedelta(days=1)))[:400]),
            ("picture.gpx", b"\x89PNG\r\n\x1a\n" + b"0" * 100),
            ("fake.fit.gz", b"not gzip at all"),
        )
        outcomes = {f["name"]: (f["outcome"], f["reason"]) for f in body["files"]}
        assert outcomes["good.fit"][0] == "imported"
        assert outcomes["truncated.fit"] == ("failed", outcomes["truncated.fit"][1])
        assert "damaged or incomplete" in outcomes["truncated.fit"][1]
        assert "name says GPX" in outcomes["picture.gpx"][1]
        assert "not gzip" in outcomes["fake.fit.gz"][1]
        assert run_count(sql) == 1

    def test_a_zip_bomb_is_refused_entry_by_entry(self, runner_api, sql):
        bomb = zip_of(
            {
                "activities/huge.gpx": b" " * (30 * 1024 * 1024),
                "activities/tight.gpx": b"<gpx>" + b" " * (5 * 1024 * 1024),
                "activities/ok.gpx": gpx(Route()),
            }
        )
        body = imported(runner_api, ("bomb.zip", bomb))
        outcomes = {f["name"]: (f["outcome"], f["reason"]) for f in body["files"]}
        assert outcomes["activities/huge.gpx"] == (
            "failed",
            "The file would unpack to more than 25 MB.",
        )
        assert "packed far more tightly" in outcomes["activities/tight.gpx"][1]
        assert outcomes["activities/ok.gpx"][0] == "imported"
        assert run_count(sql) == 1

    def test_a_path_out_of_the_archive_is_refused(self, runner_api, sql):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("../../etc/run.gpx", gpx(Route()))
        body = imported(runner_api, ("evil.zip", buffer.getvalue()))
        assert body["files"][0]["outcome"] == "failed"
        assert "leads out of the archive" in body["files"][0]["reason"]
        assert run_count(sql) == 0

    def test_a_damaged_archive(self, runner_api):
        body = imported(runner_api, ("broken.zip", strava_archive(3)[:300]))
        assert body["files"][0]["outcome"] == "failed"
        assert "damaged" in body["files"][0]["reason"]

    def test_an_unknown_kind_of_file_is_415(self, runner_api):
        response = send(runner_api, ("notes.txt", b"hello"))
        assert response.status_code == 415
        assert "notes.txt" in response.get_json()["errors"]["files"][0]

    def test_no_file_is_422(self, runner_api):
        response = runner_api.post("/api/v1/imports", data={}, content_type="multipart/form-data")
        assert response.status_code == 422
        assert "files" in str(response.get_json())

    def test_a_file_over_25_mb_is_413(self, runner_api, sql):
        response = send_raw(runner_api, "big.gpx", b"<gpx>" + b" " * (26 * 1024 * 1024))
        assert response.status_code == 413
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Import))) == 0

    def test_a_body_over_the_upload_limit_is_413(self, app, runner_api):
        app.config["IMPORTS_MAX_UPLOAD_BYTES"] = 1024 * 1024
        try:
            response = send_raw(runner_api, "big.zip", b"0" * (2 * 1024 * 1024))
        finally:
            app.config["IMPORTS_MAX_UPLOAD_BYTES"] = 200 * 1024 * 1024 + 64 * 1024
        assert response.status_code == 413
        assert response.get_json()["code"] == 413


class TestWhoMayImport:
    def test_another_runners_import_is_404(self, app, runner_api, make_user):
        import_id = send(runner_api, ("a.gpx", gpx(Route()))).get_json()["id"]
        other = Api(app.test_client()).login(make_user(role="runner"))
        assert other.get(f"/api/v1/imports/{import_id}").status_code == 404
        assert runner_api.get(f"/api/v1/imports/{import_id}").status_code == 200

    def test_a_practitioner_cannot_import(self, practitioner_api):
        response = send(practitioner_api, ("a.gpx", gpx(Route())))
        assert response.status_code == 403

    def test_signed_out_is_401(self, client):
        assert client.post("/api/v1/imports").status_code == 401

    def test_a_practitioner_cannot_read_a_runners_import(self, runner_api, practitioner_api):
        import_id = send(runner_api, ("a.gpx", gpx(Route()))).get_json()["id"]
        response = practitioner_api.get(f"/api/v1/imports/{import_id}")
        assert response.status_code == 403
        assert import_id not in response.get_data(as_text=True)
