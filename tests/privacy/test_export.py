import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from backend.extensions import db
from backend.privacy.service import is_secret, user_tables
from tests.privacy.helpers import link, practice_history, unlink
from tests.support import QueryCounter, run_body


def _export(api):
    response = api.get("/api/v1/me/export")
    assert response.status_code == 200, response.get_json()
    return response


class TestExport:
    def test_it_is_a_json_attachment(self, runner_api, runner):
        response = _export(runner_api)
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert f"limber-export-{runner.id}.json" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.get_json()["format"] == "limber-export/1"

    def test_it_holds_the_profile_runs_sessions_and_consent_history(
        self, app, runner_api, runner, practitioner
    ):
        run = runner_api.post("/api/v1/runs", run_body(notes="hills hurt")).get_json()
        link(app, runner.id, practitioner.id)
        unlink(app, runner.id)
        link(app, runner.id, practitioner.id)
        tables = _export(runner_api).get_json()["tables"]
        assert [u["email"] for u in tables["users"]] == [runner.email]
        assert [r["id"] for r in tables["runs"]] == [run["id"]]
        assert tables["runs"][0]["notes"] == "hills hurt"
        assert len(tables["auth_sessions"]) == 1
        consents = tables["consents"]
        assert len(consents) == 2
        assert sorted(c["revoked_at"] is None for c in consents) == [False, True]
        assert {c["practitioner_id"] for c in consents} == {str(practitioner.id)}

    def test_it_holds_the_whole_practice_history_about_a_runner(
        self, app, runner_api, practitioner_api, runner, practitioner
    ):
        made = practice_history(app, runner_api, practitioner_api, runner)
        tables = _export(runner_api).get_json()["tables"]
        assert len(tables["consents"]) == 2
        assert [a["id"] for a in tables["alerts"]] == [made["alert"]]
        assert tables["alerts"][0]["run_id"] == made["run"]
        assert [n["id"] for n in tables["client_notes"]] == [made["note"]]
        assert tables["client_notes"][0]["body"] == "Guarding on hills."
        assert [a["id"] for a in tables["assignments"]] == [made["assignment"]]
        assert [s["id"] for s in tables["routine_sessions"]] == [made["session"]]
        logs = tables["access_visits"]
        assert tables["access_reads"]
        assert logs and {log["practitioner_id"] for log in logs} == {str(practitioner.id)}
        assert {log["runner_id"] for log in logs} == {str(runner.id)}

    def test_it_gives_a_practitioner_what_they_wrote_and_read(
        self, app, runner_api, practitioner_api, runner, practitioner
    ):
        made = practice_history(app, runner_api, practitioner_api, runner)
        tables = _export(practitioner_api).get_json()["tables"]
        assert [n["id"] for n in tables["client_notes"]] == [made["note"]]
        assert [a["id"] for a in tables["alerts"]] == [made["alert"]]
        assert [a["assigned_by"] for a in tables["assignments"]] == [str(practitioner.id)]
        assert {log["practitioner_id"] for log in tables["access_visits"]} == {str(practitioner.id)}
        # The runner's own records stay theirs.
        assert tables["runs"] == [] and tables["routine_sessions"] == []

    def test_the_table_walk_finds_every_practice_table(self, app):
        with app.app_context():
            found = {table.name for table, _ in user_tables()}
        assert {"consents", "alerts", "client_notes", "access_visits", "assignments"} <= found

    def test_it_has_a_section_for_every_table_that_refers_to_users(self, app, runner_api):
        tables = _export(runner_api).get_json()["tables"]
        with app.app_context():
            expected = {"users"} | {table.name for table, _ in user_tables()}
        assert expected <= set(tables)

    def test_it_leaves_out_every_secret(self, app, runner_api):
        runner_api.post("/api/v1/runs", run_body())
        body = _export(runner_api)
        tables = body.get_json()["tables"]
        for rows in tables.values():
            for row in rows:
                assert not [name for name in row if is_secret(name)]
        text = body.get_data(as_text=True)
        assert "$argon2" not in text
        with app.app_context():
            secrets = db.session.scalars(select(db.metadata.tables["runs"].c.fingerprint)).all()
            secrets += db.session.scalars(
                select(db.metadata.tables["auth_sessions"].c.token_hash)
            ).all()
        assert secrets and not [s for s in secrets if s in text]

    def test_it_holds_nothing_about_anyone_else(self, app, runner_api, make_user):
        other = make_user(role="runner")
        from tests.support import Api

        other_api = Api(app.test_client()).login(other)
        other_run = other_api.post("/api/v1/runs", run_body(notes="private")).get_json()
        runner_api.post("/api/v1/runs", run_body())
        text = json.dumps(_export(runner_api).get_json())
        assert other.email not in text
        assert other_run["id"] not in text and str(other.id) not in text

    def test_a_practitioner_gets_their_own_records(
        self, app, practitioner_api, practitioner, runner
    ):
        link(app, runner.id, practitioner.id)
        tables = _export(practitioner_api).get_json()["tables"]
        assert [c["runner_id"] for c in tables["consents"]] == [str(runner.id)]
        assert len(tables["practice_invites"]) == 1
        assert tables["runs"] == []

    def test_it_uses_the_same_number_of_queries_as_data_grows(self, app, runner_api):
        def count():
            with QueryCounter(_engine(app)) as counter:
                _export(runner_api)
            return counter.count

        runner_api.post("/api/v1/runs", run_body())
        few = count()
        for stiffness in range(10):
            runner_api.post("/api/v1/runs", run_body(stiffness=stiffness))
        assert count() == few

    def test_it_needs_a_signed_in_user(self, client):
        assert client.get("/api/v1/me/export").status_code == 401


def _engine(app):
    with app.app_context():
        return db.engine


class TestQuestionnaireAnswers:
    def test_the_export_holds_every_answer_and_erasure_removes_them(
        self, app, runner_api, runner, sql
    ):
        from backend.outcomes.content import load_questionnaires
        from backend.outcomes.models import OutcomeSchedule, QuestionnaireResponse

        with app.app_context():
            load_questionnaires()
            db.session.remove()
        items = runner_api.get("/api/v1/questionnaires").get_json()["items"]
        psfs = next(q["id"] for q in items if q["slug"] == "psfs")
        body = {
            "questionnaire_id": psfs,
            "answered_at": datetime.now(UTC).isoformat(),
            "activities": [{"name": n, "rating": 4} for n in ("run 10 km", "hill repeats", "sit")],
        }
        saved = runner_api.post("/api/v1/questionnaire-responses", body)
        assert saved.status_code == 201, saved.get_json()

        def add_schedule(s):
            s.add(OutcomeSchedule(runner_id=runner.id, interval_weeks=3))
            s.commit()

        sql(add_schedule)
        tables = _export(runner_api).get_json()["tables"]
        (answer,) = tables["questionnaire_responses"]
        assert answer["answers"][1] == {"name": "hill repeats", "rating": 4}
        assert answer["score"] == 4 and "fingerprint" not in answer
        assert tables["outcome_schedules"][0]["interval_weeks"] == 3

        from tests.support import PASSWORD

        assert runner_api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
        left = sql(
            lambda s: (
                s.scalar(select(func.count()).select_from(QuestionnaireResponse)),
                s.scalar(select(func.count()).select_from(OutcomeSchedule)),
            )
        )
        assert left == (0, 0)
        # The built-in questionnaires are nobody's and stay.
        from backend.outcomes.models import Questionnaire

        assert sql(lambda s: s.scalar(select(func.count()).select_from(Questionnaire))) == 3
