import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.practice.models import AccessVisit, ClientNote, Consent
from backend.runs.models import Run
from tests.practice.support import link, statements, store_runs
from tests.support import Api, run_body


def today():
    return datetime.now(UTC).date()


class TestRoster:
    def test_it_lists_each_consenting_client_with_a_summary(
        self, practitioner_api, runner_api, runner, linked
    ):
        runner_api.post("/api/v1/runs", run_body(started_at=datetime.now(UTC).isoformat()))
        items = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert len(items) == 1
        item = items[0]
        assert item["id"] == str(runner.id)
        assert item["latest_stiffness"] == 3
        assert item["last_run_at"] is not None
        assert item["trend_14d"]["direction"] == "steady"
        assert item["trend_14d"]["enough_data"] is False
        assert set(item["adherence_14d"]) == {"planned", "done", "rate"}
        assert item["open_alerts"] == {"count": 0, "highest_level": None}
        assert item["needs_attention"] is False and item["reasons"] == []

    def test_it_puts_clients_needing_attention_first(self, app, practitioner_api, make_user, sql):
        calm, flagged = make_user(display_name="Aaron Calm"), make_user(display_name="Zoe Flag")
        for who in (calm, flagged):
            link(Api(app.test_client()).login(who), practitioner_api)
        now = datetime.now(UTC).isoformat()
        Api(app.test_client()).login(calm).post("/api/v1/runs", run_body(started_at=now))
        Api(app.test_client()).login(flagged).post(
            "/api/v1/runs", run_body(started_at=now, red_flags=["sharp_pain"])
        )
        items = practitioner_api.get("/api/v1/clients").get_json()["items"]
        assert [i["display_name"] for i in items] == ["Zoe Flag", "Aaron Calm"]
        assert items[0]["needs_attention"] is True
        assert items[0]["open_alerts"] == {"count": 1, "highest_level": "see_professional"}
        assert items[0]["reasons"][0] == "1 open alert (most serious: see a professional soon)"

    def test_it_notices_rising_stiffness(self, practitioner_api, runner, linked, sql):
        store_runs(
            sql,
            runner.id,
            [{"day": today() - timedelta(days=12 - 3 * i), "stiffness": 1 + i} for i in range(5)],
        )
        item = practitioner_api.get("/api/v1/clients").get_json()["items"][0]
        assert item["trend_14d"]["direction"] == "worsening"
        assert "Stiffness up 4.0 points over the last 14 days" in item["reasons"]

    def test_it_leaves_out_runners_who_revoked(self, practitioner_api, runner_api, linked):
        runner_api.delete("/api/v1/me/practitioner")
        assert practitioner_api.get("/api/v1/clients").get_json()["items"] == []

    def test_it_shows_nobody_elses_clients(self, other_practitioner_api, linked):
        assert other_practitioner_api.get("/api/v1/clients").get_json()["items"] == []

    def test_it_issues_the_same_statements_for_5_and_200_clients(
        self, app, practitioner_api, practitioner, make_user, sql
    ):
        def add_clients(n: int) -> None:
            ids = [make_user(role="runner").id for _ in range(n)]

            def write(session):
                for rid in ids:
                    session.add(
                        Consent(
                            runner_id=rid,
                            practitioner_id=practitioner.id,
                            granted_at=datetime.now(UTC) - timedelta(days=30),
                        )
                    )
                session.commit()

            sql(write)
            for i, rid in enumerate(ids):
                store_runs(
                    sql,
                    rid,
                    [
                        {"day": today() - timedelta(days=d), "stiffness": (i + d) % 11}
                        for d in (1, 5, 9)
                    ],
                )

        add_clients(5)
        small = statements(app, practitioner_api, "/api/v1/clients")
        small_again = statements(app, practitioner_api, "/api/v1/clients")
        add_clients(195)
        large = statements(app, practitioner_api, "/api/v1/clients")
        large_again = statements(app, practitioner_api, "/api/v1/clients")
        assert len(practitioner_api.get("/api/v1/clients").get_json()["items"]) == 200
        # Counted as the server sees them: an executemany of 200 rows would be 200.
        assert small == large == small_again == large_again
        visits = sql(lambda s: s.scalar(select(func.count()).select_from(AccessVisit)))
        assert visits == 200  # one open visit per client, however often the roster is read
        # The database made each visit's id: a distinct version 4 UUID, read back as one.
        ids = sql(lambda s: list(s.scalars(select(AccessVisit.id))))
        assert len(set(ids)) == 200
        assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}


class TestClient:
    def test_it_shows_the_profile_and_when_they_linked(self, practitioner_api, runner, linked):
        body = practitioner_api.get(f"/api/v1/clients/{runner.id}").get_json()
        assert body["id"] == str(runner.id)
        assert body["email"] == runner.email
        assert body["linked_since"]

    def test_it_hides_a_stranger_as_not_found(self, practitioner_api, runner):
        response = practitioner_api.get(f"/api/v1/clients/{runner.id}")
        assert response.status_code == 404
        assert "email" not in response.get_json()

    def test_it_hides_an_unknown_id_as_not_found(self, practitioner_api):
        assert practitioner_api.get(f"/api/v1/clients/{uuid.uuid4()}").status_code == 404


class TestClientRuns:
    def test_it_lists_the_clients_runs_with_estimates(
        self, practitioner_api, runner_api, runner, linked
    ):
        runner_api.post("/api/v1/runs", run_body(workout_type="hills"))
        body = practitioner_api.get(f"/api/v1/clients/{runner.id}/runs").get_json()
        assert [r["workout_type"] for r in body["items"]] == ["hills"]
        assert body["items"][0]["estimate"]["steps"]["low"] > 0


class TestClientSessions:
    def test_it_lists_the_clients_routine_sessions(
        self, practitioner_api, runner_api, runner, linked, routine_id
    ):
        done = runner_api.post(
            "/api/v1/sessions",
            {"routine_id": str(routine_id), "completed_at": datetime.now(UTC).isoformat()},
        )
        assert done.status_code == 201, done.get_json()
        body = practitioner_api.get(f"/api/v1/clients/{runner.id}/sessions").get_json()
        assert [s["routine_id"] for s in body["items"]] == [str(routine_id)]


class TestClientProgress:
    def test_it_gives_the_same_figures_the_runner_sees(
        self, practitioner_api, runner_api, runner, linked, sql
    ):
        store_runs(
            sql, runner.id, [{"day": today() - timedelta(days=d), "stiffness": d} for d in range(5)]
        )
        mine = runner_api.get("/api/v1/progress").get_json()
        theirs = practitioner_api.get(f"/api/v1/clients/{runner.id}/progress").get_json()
        assert theirs == mine
        assert len(theirs["stiffness"]["series"]) == 5


class TestClientNotes:
    def test_it_keeps_private_notes_newest_first(self, practitioner_api, runner, linked):
        url = f"/api/v1/clients/{runner.id}/notes"
        first = practitioner_api.post(url, {"body": "Tight left hip after hills."})
        assert first.status_code == 201
        practitioner_api.post(url, {"body": "Try hill positioning drill."})
        items = practitioner_api.get(url).get_json()["items"]
        assert [n["body"] for n in items] == [
            "Try hill positioning drill.",
            "Tight left hip after hills.",
        ]

    def test_it_keeps_notes_from_other_practitioners_apart(
        self, practitioner_api, runner_api, runner, linked, other_practitioner_api, sql
    ):
        practitioner_api.post(f"/api/v1/clients/{runner.id}/notes", {"body": "mine"})
        runner_api.delete("/api/v1/me/practitioner")
        link(runner_api, other_practitioner_api)
        items = other_practitioner_api.get(f"/api/v1/clients/{runner.id}/notes").get_json()
        assert items["items"] == []

    def test_it_rejects_an_empty_note(self, practitioner_api, runner, linked, sql):
        response = practitioner_api.post(f"/api/v1/clients/{runner.id}/notes", {"body": ""})
        assert response.status_code == 422
        assert sql(lambda s: s.scalar(select(func.count()).select_from(ClientNote))) == 0

    def test_it_is_not_in_the_runners_access_log(self, practitioner_api, runner, linked, sql):
        practitioner_api.get(f"/api/v1/clients/{runner.id}/notes")
        assert sql(lambda s: s.scalar(select(func.count()).select_from(AccessVisit))) == 0


class TestClientExport:
    def test_it_round_trips_every_run_and_session(
        self, practitioner_api, runner_api, runner, linked, routine_id
    ):
        tricky = 'Felt "tight", then fine;\nnext day, stiff again'
        for i in range(5):
            runner_api.post(
                "/api/v1/runs",
                run_body(started_at=f"2026-11-{10 + i}T07:00:00+00:00", stiffness=i, notes=tricky),
            )
        runner_api.post(
            "/api/v1/sessions",
            {"routine_id": str(routine_id), "completed_at": "2026-11-12T19:00:00+00:00"},
        )
        response = practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        runs = [r for r in rows if r["record"] == "run"]
        sessions = [r for r in rows if r["record"] == "session"]
        assert [int(r["stiffness_0_10"]) for r in runs] == [0, 1, 2, 3, 4]
        assert all(r["notes"] == tricky for r in runs)
        assert len(sessions) == 1 and sessions[0]["routine"]
        assert {"distance_km", "duration_s", "steps_estimate_mid"} <= set(rows[0])

    def test_its_estimate_is_the_one_the_app_shows(
        self, practitioner_api, runner_api, runner, linked, sql
    ):
        # A watch's run: moving time and cadence change the estimate, in the file too.
        made = runner_api.post("/api/v1/runs", run_body(duration_s=3000)).get_json()

        def watch_figures(session):
            run = session.get(Run, uuid.UUID(made["id"]))
            run.moving_s, run.avg_cadence_spm = 2400, 182.0
            session.commit()

        sql(watch_figures)
        shown = practitioner_api.get(f"/api/v1/clients/{runner.id}/runs").get_json()["items"][0]
        steps = shown["estimate"]["steps"]
        assert steps != made["estimate"]["steps"]  # the watch's figures did count
        text = practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv").get_data(
            as_text=True
        )
        row = next(r for r in csv.DictReader(io.StringIO(text)) if r["record"] == "run")
        assert int(row["steps_estimate_mid"]) == round((steps["low"] + steps["high"]) / 2)

    def test_it_defuses_spreadsheet_formulas(self, practitioner_api, runner_api, runner, linked):
        runner_api.post("/api/v1/runs", run_body(notes='=HYPERLINK("x")'))
        text = practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv").get_data(
            as_text=True
        )
        row = next(csv.DictReader(io.StringIO(text)))
        assert row["notes"] == '\'=HYPERLINK("x")'
