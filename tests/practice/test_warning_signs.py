"""Warning signs always reach the practitioner, and alerts say only what holds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.practice.models import Alert
from backend.practice.signals import alert_raised
from tests.practice.support import link, store_runs
from tests.support import Api, run_body


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def today():
    return datetime.now(UTC).date()


def alerts_of(api: Api, client_id, status: str = "open") -> list[dict]:
    response = api.get(f"/api/v1/clients/{client_id}/alerts?status={status}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


class TestRedFlagsBeforeLinking:
    def test_a_red_flag_logged_before_joining_reaches_the_practitioner(
        self, runner_api, practitioner_api, runner
    ):
        runner_api.post(
            "/api/v1/runs", run_body(started_at=ago(days=2), red_flags=["saddle_numbness"])
        )
        link(runner_api, practitioner_api)
        items = alerts_of(practitioner_api, runner.id)
        assert [(a["kind"], a["level"]) for a in items] == [("red_flag", "emergency")]
        assert items[0]["flags"] == ["saddle_numbness"]
        # Dated as the run, not as the linking.
        assert datetime.fromisoformat(items[0]["created_at"]) < datetime.now(UTC) - timedelta(
            days=1
        )

    def test_it_goes_back_30_days_only(self, runner_api, practitioner_api, runner):
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=40), red_flags=["fever"]))
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=20), red_flags=["fever"]))
        link(runner_api, practitioner_api)
        assert len(alerts_of(practitioner_api, runner.id)) == 1

    def test_it_raises_them_again_after_a_revoke_without_doubling(
        self, runner_api, practitioner_api, runner, sql
    ):
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=1), red_flags=["fever"]))
        link(runner_api, practitioner_api)
        runner_api.delete("/api/v1/me/practitioner")
        runner_api.post("/api/v1/runs", run_body(started_at=ago(hours=3), red_flags=["sharp_pain"]))
        link(runner_api, practitioner_api)
        assert sorted(a["level"] for a in alerts_of(practitioner_api, runner.id)) == [
            "see_professional",
            "urgent",
        ]
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Alert))) == 2

    def test_it_works_when_joining_at_registration(self, app, practitioner_api):
        code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        newcomer = Api(app.test_client())
        body = {
            "email": "new@example.test",
            "password": "correct horse battery",
            "display_name": "New",
            "role": "runner",
            "invite_code": code,
        }
        assert newcomer.post("/api/v1/auth/register", body).status_code == 201
        newcomer.csrf(refresh=True)
        newcomer.post("/api/v1/runs", run_body(started_at=ago(hours=1), red_flags=["night_pain"]))
        assert [a["level"] for a in practitioner_api.get("/api/v1/alerts").get_json()["items"]] == [
            "urgent"
        ]


class TestAlertsOutliveRuns:
    def test_deleting_the_run_keeps_the_alert_with_its_flags_and_date(
        self, runner_api, practitioner_api, runner, linked
    ):
        run = runner_api.post(
            "/api/v1/runs", run_body(started_at=ago(hours=2), red_flags=["leg_numbness"])
        ).get_json()
        assert runner_api.delete(f"/api/v1/runs/{run['id']}").status_code == 204
        (alert,) = alerts_of(practitioner_api, runner.id)
        assert alert["run_id"] is None
        assert alert["flags"] == ["leg_numbness"]
        assert alert["run_date"] == run["local_date"]

    def test_editing_the_run_keeps_the_alert(self, runner_api, practitioner_api, runner, linked):
        run = runner_api.post(
            "/api/v1/runs", run_body(started_at=ago(hours=2), red_flags=["fever"])
        ).get_json()
        runner_api.patch(f"/api/v1/runs/{run['id']}", {"red_flags": []})
        assert [a["level"] for a in alerts_of(practitioner_api, runner.id)] == ["urgent"]

    def test_acknowledged_alerts_stay_visible_with_status_all(
        self, runner_api, practitioner_api, runner, linked
    ):
        runner_api.post("/api/v1/runs", run_body(started_at=ago(hours=2), red_flags=["fever"]))
        (alert,) = alerts_of(practitioner_api, runner.id)
        practitioner_api.post(f"/api/v1/alerts/{alert['id']}/ack")
        assert alerts_of(practitioner_api, runner.id) == []
        assert [a["id"] for a in alerts_of(practitioner_api, runner.id, "all")] == [alert["id"]]


class TestWorseningAlert:
    def test_two_runs_a_day_apart_raise_nothing(self, runner_api, practitioner_api, linked):
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=1), stiffness=2))
        runner_api.post("/api/v1/runs", run_body(started_at=ago(hours=1), stiffness=3))
        assert practitioner_api.get("/api/v1/alerts").get_json()["items"] == []

    def test_it_closes_when_the_window_no_longer_rises(
        self, runner_api, practitioner_api, runner, linked, sql
    ):
        store_runs(
            sql,
            runner.id,
            [{"day": today() - timedelta(days=12 - 3 * i), "stiffness": 2 + i} for i in range(4)],
        )
        runner_api.post("/api/v1/runs", run_body(started_at=ago(minutes=5), stiffness=6))
        open_ = alerts_of(practitioner_api, runner.id)
        assert [a["kind"] for a in open_] == ["worsening"]
        # Three easy runs later, the last third is no higher than the first.
        for hours in (3, 2, 1):
            runner_api.post("/api/v1/runs", run_body(started_at=ago(minutes=hours), stiffness=1))
        assert alerts_of(practitioner_api, runner.id) == []
        (closed,) = alerts_of(practitioner_api, runner.id, "all")
        assert closed["resolved_at"] is not None

    def test_it_keeps_one_open_and_updates_it(
        self, runner_api, practitioner_api, runner, linked, sql
    ):
        store_runs(
            sql,
            runner.id,
            [{"day": today() - timedelta(days=12 - 3 * i), "stiffness": 1 + i} for i in range(4)],
        )
        runner_api.post("/api/v1/runs", run_body(started_at=ago(minutes=9), stiffness=5))
        first = alerts_of(practitioner_api, runner.id)[0]["message"]
        runner_api.post("/api/v1/runs", run_body(started_at=ago(minutes=5), stiffness=6))
        items = alerts_of(practitioner_api, runner.id)
        assert [a["kind"] for a in items] == ["worsening"]
        assert items[0]["message"] != first
        assert items[0]["updated_at"] is not None


class TestHighStiffnessAlert:
    def test_an_old_run_raises_none(self, runner_api, practitioner_api, linked):
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=60), stiffness=9))
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=4), stiffness=9))
        assert practitioner_api.get("/api/v1/alerts").get_json()["items"] == []

    def test_at_most_one_is_open_and_it_follows_the_latest_run(
        self, runner_api, practitioner_api, runner, linked
    ):
        runner_api.post("/api/v1/runs", run_body(started_at=ago(days=2), stiffness=8))
        latest = runner_api.post(
            "/api/v1/runs", run_body(started_at=ago(hours=1), stiffness=9)
        ).get_json()
        items = [a for a in alerts_of(practitioner_api, runner.id) if a["kind"] == "high_stiffness"]
        assert len(items) == 1
        assert items[0]["run_id"] == latest["id"]
        assert "9/10" in items[0]["message"]


class TestAlertTexts:
    def test_they_use_the_runner_s_labels_and_a_readable_date(
        self, runner_api, practitioner_api, linked
    ):
        runner_api.post(
            "/api/v1/runs",
            run_body(started_at="2026-11-26T18:00:00+00:00", red_flags=["shooting_pain_leg"]),
        )
        (alert,) = practitioner_api.get("/api/v1/alerts").get_json()["items"]
        assert "Pain shooting down a leg" in alert["message"]
        assert "Thu 26 Nov 2026" in alert["message"]
        assert "shooting_pain_leg" not in alert["message"]
        assert "shooting pain leg" not in alert["message"]
        assert "2026-11-26" not in alert["message"]


class TestOneClientsAlerts:
    def test_it_lists_only_that_client_and_logs_only_that_read(
        self, app, runner_api, practitioner_api, runner, linked, make_user, sql
    ):
        other = make_user()
        other_api = Api(app.test_client()).login(other)
        link(other_api, practitioner_api)
        runner_api.post("/api/v1/runs", run_body(started_at=ago(hours=1), red_flags=["fever"]))
        other_api.post("/api/v1/runs", run_body(started_at=ago(hours=1), red_flags=["fever"]))
        items = alerts_of(practitioner_api, runner.id)
        assert [a["client"]["id"] for a in items] == [str(runner.id)]
        log = other_api.get("/api/v1/me/access-log").get_json()["items"]
        assert all("alerts" not in entry["reads"] for entry in log)

    def test_it_pages_past_100(self, practitioner_api, practitioner, runner, linked, sql):
        def many(session):
            session.add_all(
                Alert(
                    practitioner_id=practitioner.id,
                    runner_id=runner.id,
                    kind="inactive",
                    level="warning",
                    key=f"inactive:test-{n}",
                    message="Nothing logged.",
                    flags=[],
                )
                for n in range(105)
            )
            session.commit()

        sql(many)
        first = practitioner_api.get(f"/api/v1/clients/{runner.id}/alerts?limit=100").get_json()
        assert len(first["items"]) == 100 and first["next_cursor"]
        rest = practitioner_api.get(
            f"/api/v1/clients/{runner.id}/alerts?limit=100&cursor={first['next_cursor']}"
        ).get_json()
        assert len(rest["items"]) == 5

    def test_it_is_404_for_someone_not_sharing(self, practitioner_api, runner):
        assert practitioner_api.get(f"/api/v1/clients/{runner.id}/alerts").status_code == 404
        assert practitioner_api.get(f"/api/v1/clients/{uuid.uuid4()}/alerts").status_code == 404


class TestAlertRaisedSignal:
    def test_it_is_sent_once_per_new_alert(self, runner_api, practitioner_api, runner):
        received = []

        def listen(sender, **kw):
            received.append(kw)

        alert_raised.connect(listen)
        try:
            body = run_body(id=str(uuid.uuid4()), started_at=ago(hours=1), red_flags=["fever"])
            runner_api.post("/api/v1/runs", body)
            link(runner_api, practitioner_api)  # backfill: one new alert
            runner_api.post("/api/v1/runs", body)  # a retry: nothing new
            runner_api.patch(f"/api/v1/runs/{body['id']}", {"notes": "still"})  # nothing new
        finally:
            alert_raised.disconnect(listen)
        assert [(k["kind"], k["level"], k["runner_id"]) for k in received] == [
            ("red_flag", "urgent", runner.id)
        ]


class TestOneTrend:
    def test_roster_client_page_and_alert_agree(
        self, runner_api, practitioner_api, runner, linked, sql
    ):
        store_runs(
            sql,
            runner.id,
            [{"day": today() - timedelta(days=12 - 3 * i), "stiffness": 2 + i} for i in range(4)],
        )
        runner_api.post("/api/v1/runs", run_body(started_at=ago(minutes=5), stiffness=6))
        roster = practitioner_api.get("/api/v1/clients").get_json()["items"][0]["trend_14d"]
        page = practitioner_api.get(f"/api/v1/clients/{runner.id}/progress").get_json()
        own = runner_api.get("/api/v1/progress").get_json()["stiffness"]["trend"]
        assert roster == page["stiffness"]["trend"] == own
        assert roster["direction"] == "worsening" and roster["window_days"] == 14
        (alert,) = [a for a in alerts_of(practitioner_api, runner.id) if a["kind"] == "worsening"]
        assert f"{roster['change']:.1f} points" in alert["message"]


class TestStatementCounts:
    def count_link(self, app, runner_api, practitioner_api) -> int:
        from backend.extensions import db
        from tests.support import QueryCounter

        code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        with app.app_context():
            counter = QueryCounter(db.engine)
        with counter:
            response = runner_api.post("/api/v1/me/practitioner", {"invite_code": code})
        assert response.status_code == 201
        return counter.count

    def test_linking_backfills_in_the_same_statements_for_one_or_many_flags(
        self, app, make_user, practitioner_api, sql
    ):
        counts = []
        for n in (1, 12):
            who = make_user()
            runner_api = Api(app.test_client()).login(who)
            store_runs(
                sql,
                who.id,
                [
                    {
                        "day": today() - timedelta(days=i + 1),
                        "stiffness": 3,
                        "red_flags": ["fever"],
                        "advice_level": "urgent",
                    }
                    for i in range(n)
                ],
            )
            counts.append(self.count_link(app, runner_api, practitioner_api))
            assert len(alerts_of(practitioner_api, who.id)) == n
        assert counts[0] == counts[1]
