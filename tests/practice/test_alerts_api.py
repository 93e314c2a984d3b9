import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.notifications.practice import notice_quiet_runners_at
from backend.practice.models import Alert, Consent
from tests.practice.support import store_runs
from tests.support import run_body


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def count_alerts(sql) -> int:
    return sql(lambda s: s.scalar(select(func.count()).select_from(Alert)))


class TestRaisedAlerts:
    def test_it_raises_one_alert_at_the_red_flag_tier(self, practitioner_api, runner_api, linked):
        run = runner_api.post(
            "/api/v1/runs", run_body(red_flags=["saddle_numbness", "sharp_pain"])
        ).get_json()
        items = practitioner_api.get("/api/v1/alerts").get_json()["items"]
        assert len(items) == 1
        assert items[0]["kind"] == "red_flag"
        assert items[0]["level"] == "emergency"
        assert items[0]["run_id"] == run["id"]
        assert "saddle numbness" in items[0]["message"]

    def test_it_raises_no_alert_twice_for_the_same_run(
        self, practitioner_api, runner_api, linked, sql
    ):
        body = run_body(id=str(uuid.uuid4()), red_flags=["fever"])
        runner_api.post("/api/v1/runs", body)
        runner_api.post("/api/v1/runs", body)
        runner_api.patch(f"/api/v1/runs/{body['id']}", {"notes": "still feverish"})
        assert count_alerts(sql) == 1

    def test_it_raises_again_when_a_run_is_changed_to_a_worse_tier(
        self, practitioner_api, runner_api, linked
    ):
        run = runner_api.post("/api/v1/runs", run_body(red_flags=["sharp_pain"])).get_json()
        runner_api.patch(f"/api/v1/runs/{run['id']}", {"red_flags": ["both_legs"]})
        levels = [a["level"] for a in practitioner_api.get("/api/v1/alerts").get_json()["items"]]
        assert sorted(levels) == ["emergency", "see_professional"]

    def test_it_warns_of_stiffness_of_seven_or_more(self, practitioner_api, runner_api, linked):
        runner_api.post("/api/v1/runs", run_body(stiffness=6))
        runner_api.post("/api/v1/runs", run_body(stiffness=7))
        items = practitioner_api.get("/api/v1/alerts").get_json()["items"]
        assert [(a["kind"], a["level"]) for a in items] == [("high_stiffness", "warning")]

    def test_it_warns_of_a_worsening_trend(self, practitioner_api, runner_api, runner, linked, sql):
        today = datetime.now(UTC).date()
        store_runs(
            sql,
            runner.id,
            [{"day": today - timedelta(days=12 - 3 * i), "stiffness": i} for i in range(4)],
        )
        runner_api.post("/api/v1/runs", run_body(started_at=now_iso(), stiffness=5))
        kinds = [a["kind"] for a in practitioner_api.get("/api/v1/alerts").get_json()["items"]]
        assert kinds == ["worsening"]

    def test_it_notices_a_client_gone_quiet_for_14_days(
        self, practitioner_api, runner, practitioner, linked, sql
    ):
        def backdate(session):
            consent = session.scalars(select(Consent)).one()
            consent.granted_at = datetime.now(UTC) - timedelta(days=40)
            session.commit()

        sql(backdate)
        store_runs(
            sql, runner.id, [{"day": datetime.now(UTC).date() - timedelta(days=15), "stiffness": 2}]
        )
        # Reading the alerts computes nothing: a daily job, early morning for the runner.
        assert practitioner_api.get("/api/v1/alerts").get_json()["items"] == []
        today = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        assert sql(lambda s: notice_quiet_runners_at(today.replace(hour=7))) == 0
        assert sql(lambda s: notice_quiet_runners_at(today.replace(hour=6))) == 1
        items = practitioner_api.get("/api/v1/alerts").get_json()["items"]
        assert [a["kind"] for a in items] == ["inactive"]
        sql(lambda s: notice_quiet_runners_at(today.replace(hour=6)))
        assert count_alerts(sql) == 1

    def test_it_leaves_a_recently_active_client_alone(self, practitioner_api, runner_api, linked):
        runner_api.post("/api/v1/runs", run_body(started_at=now_iso()))
        assert practitioner_api.get("/api/v1/alerts").get_json()["items"] == []

    def test_it_raises_nothing_for_a_runner_without_a_practitioner(self, runner_api, sql):
        runner_api.post("/api/v1/runs", run_body(red_flags=["night_pain"], stiffness=9))
        assert count_alerts(sql) == 0

    def test_it_only_tells_the_current_practitioner(
        self, practitioner_api, runner_api, linked, other_practitioner_api
    ):
        runner_api.delete("/api/v1/me/practitioner")
        runner_api.post("/api/v1/runs", run_body(red_flags=["night_pain"]))
        assert practitioner_api.get("/api/v1/alerts").get_json()["items"] == []
        assert other_practitioner_api.get("/api/v1/alerts").get_json()["items"] == []


class TestListAlerts:
    def test_it_hides_alerts_once_the_client_revokes(self, practitioner_api, runner_api, linked):
        runner_api.post("/api/v1/runs", run_body(red_flags=["fever"]))
        runner_api.delete("/api/v1/me/practitioner")
        assert practitioner_api.get("/api/v1/alerts?status=all").get_json()["items"] == []

    def test_it_rejects_an_unknown_status(self, practitioner_api):
        assert practitioner_api.get("/api/v1/alerts?status=closed").status_code == 422


class TestAcknowledgeAlert:
    def test_it_clears_the_alert_from_the_open_list(self, practitioner_api, runner_api, linked):
        runner_api.post("/api/v1/runs", run_body(red_flags=["leg_weakness"]))
        alert = practitioner_api.get("/api/v1/alerts").get_json()["items"][0]
        response = practitioner_api.post(f"/api/v1/alerts/{alert['id']}/ack")
        assert response.status_code == 200
        assert response.get_json()["acknowledged_at"] is not None
        assert practitioner_api.get("/api/v1/alerts").get_json()["items"] == []
        everything = practitioner_api.get("/api/v1/alerts?status=all").get_json()["items"]
        assert [a["id"] for a in everything] == [alert["id"]]

    def test_it_is_idempotent(self, practitioner_api, runner_api, linked):
        runner_api.post("/api/v1/runs", run_body(red_flags=["leg_weakness"]))
        alert = practitioner_api.get("/api/v1/alerts").get_json()["items"][0]
        first = practitioner_api.post(f"/api/v1/alerts/{alert['id']}/ack").get_json()
        second = practitioner_api.post(f"/api/v1/alerts/{alert['id']}/ack").get_json()
        assert first["acknowledged_at"] == second["acknowledged_at"]

    def test_it_hides_other_practitioners_alerts(
        self, practitioner_api, runner_api, linked, other_practitioner_api, sql
    ):
        runner_api.post("/api/v1/runs", run_body(red_flags=["leg_weakness"]))
        alert = practitioner_api.get("/api/v1/alerts").get_json()["items"][0]
        response = other_practitioner_api.post(f"/api/v1/alerts/{alert['id']}/ack")
        assert response.status_code == 404
        assert sql(lambda s: s.scalar(select(Alert.acknowledged_at))) is None

    def test_it_answers_404_for_an_unknown_alert(self, practitioner_api):
        assert practitioner_api.post(f"/api/v1/alerts/{uuid.uuid4()}/ack").status_code == 404
