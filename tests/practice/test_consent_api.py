from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from backend.consent import VISIT_WINDOW
from backend.practice.models import AccessRead, AccessVisit, Consent
from tests.practice.support import link
from tests.support import Api


class TestInvite:
    def test_it_gives_a_code_and_a_join_link(self, practitioner_api):
        body = practitioner_api.get("/api/v1/practice/invite").get_json()
        assert len(body["code"]) == 16
        assert body["url"] == f"http://localhost/join?code={body['code']}"
        assert body["expires_at"] is None

    def test_it_keeps_the_same_code_until_rotated(self, practitioner_api):
        first = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        assert practitioner_api.get("/api/v1/practice/invite").get_json()["code"] == first
        rotated = practitioner_api.post("/api/v1/practice/invite")
        assert rotated.status_code == 200
        assert rotated.get_json()["code"] != first

    def test_it_stops_the_old_code_working_after_rotation(self, practitioner_api, runner_api):
        old = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        practitioner_api.post("/api/v1/practice/invite")
        response = runner_api.post("/api/v1/me/practitioner", {"invite_code": old})
        assert response.status_code == 422
        assert "invite_code" in response.get_json()["errors"]["json"]

    def test_it_is_for_practitioners_only(self, runner_api):
        assert runner_api.get("/api/v1/practice/invite").status_code == 403
        assert runner_api.post("/api/v1/practice/invite").status_code == 403


class TestJoinPractitioner:
    def test_it_links_the_runner_with_a_timestamp(self, runner_api, practitioner_api, sql):
        body = link(runner_api, practitioner_api)
        assert body["practitioner"]["display_name"]
        me = runner_api.get("/api/v1/auth/me").get_json()
        assert me["practitioner"]["id"] == body["practitioner"]["id"]
        consents = sql(lambda s: s.scalars(select(Consent)).all())
        assert len(consents) == 1 and consents[0].granted_at is not None

    def test_it_accepts_the_code_in_lower_case_with_spaces(self, runner_api, practitioner_api):
        code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        messy = f" {code[:4].lower()} {code[4:].lower()} "
        assert runner_api.post("/api/v1/me/practitioner", {"invite_code": messy}).status_code == 201

    def test_it_is_idempotent_for_the_same_practitioner(self, runner_api, practitioner_api):
        link(runner_api, practitioner_api)
        code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        again = runner_api.post("/api/v1/me/practitioner", {"invite_code": code})
        assert again.status_code == 200

    def test_it_refuses_a_second_practitioner(self, app, runner_api, practitioner_api, make_user):
        link(runner_api, practitioner_api)
        other = Api(app.test_client()).login(make_user(role="practitioner"))
        code = other.get("/api/v1/practice/invite").get_json()["code"]
        response = runner_api.post("/api/v1/me/practitioner", {"invite_code": code})
        assert response.status_code == 409

    def test_it_rejects_a_missing_code(self, runner_api):
        response = runner_api.post("/api/v1/me/practitioner", {})
        assert response.status_code == 422
        assert "invite_code" in response.get_json()["errors"]["json"]


class TestRevokePractitioner:
    def test_it_ends_access_on_the_next_request(self, runner_api, practitioner_api, runner):
        link(runner_api, practitioner_api)
        assert practitioner_api.get(f"/api/v1/clients/{runner.id}").status_code == 200
        assert runner_api.delete("/api/v1/me/practitioner").status_code == 204
        assert practitioner_api.get(f"/api/v1/clients/{runner.id}").status_code == 404
        assert runner_api.get("/api/v1/auth/me").get_json()["practitioner"] is None

    def test_it_lets_the_runner_join_someone_else_afterwards(
        self, app, runner_api, practitioner_api, make_user
    ):
        link(runner_api, practitioner_api)
        runner_api.delete("/api/v1/me/practitioner")
        other = Api(app.test_client()).login(make_user(role="practitioner"))
        assert link(runner_api, other)["practitioner"]

    def test_it_is_fine_with_nothing_to_revoke(self, runner_api):
        assert runner_api.delete("/api/v1/me/practitioner").status_code == 204


class TestAccessLog:
    def test_one_visit_is_one_entry_listing_what_was_read(
        self, runner_api, practitioner_api, runner, practitioner
    ):
        link(runner_api, practitioner_api)
        for what in ("", "/progress", "/runs", "/sessions", "/alerts", "/progress", "/runs"):
            assert practitioner_api.get(f"/api/v1/clients/{runner.id}{what}").status_code == 200
        practitioner_api.get("/api/v1/clients")
        body = runner_api.get("/api/v1/me/access-log").get_json()
        assert len(body["items"]) == 1
        visit = body["items"][0]
        assert visit["reads"] == ["profile", "progress", "runs", "sessions", "alerts", "summary"]
        assert visit["practitioner"]["id"] == str(practitioner.id)
        assert visit["started_at"] <= visit["last_seen_at"]
        assert body["next_cursor"] is None

    def test_a_read_after_the_window_starts_a_new_visit(
        self, runner_api, practitioner_api, runner, sql
    ):
        link(runner_api, practitioner_api)
        start = datetime.now(UTC)
        with time_machine.travel(start, tick=False):
            practitioner_api.get(f"/api/v1/clients/{runner.id}")
        with time_machine.travel(start + VISIT_WINDOW - timedelta(minutes=1), tick=False):
            practitioner_api.get(f"/api/v1/clients/{runner.id}/runs")
        with time_machine.travel(start + 2 * VISIT_WINDOW, tick=False):
            practitioner_api.get(f"/api/v1/clients/{runner.id}/runs")
            items = runner_api.get("/api/v1/me/access-log").get_json()["items"]
        assert [i["reads"] for i in items] == [["runs"], ["profile", "runs"]]
        assert sql(lambda s: s.scalar(select(func.count()).select_from(AccessVisit))) == 2

    def test_an_export_is_one_read(self, runner_api, practitioner_api, runner, sql):
        link(runner_api, practitioner_api)
        practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv")
        rows = sql(lambda s: s.scalars(select(AccessRead.what)).all())
        assert rows == ["export"]

    def test_it_pages_newest_first(self, runner_api, practitioner_api, runner):
        link(runner_api, practitioner_api)
        start = datetime.now(UTC)
        for hour in range(3):
            with time_machine.travel(start + timedelta(hours=hour), tick=False):
                practitioner_api.get(f"/api/v1/clients/{runner.id}")
        first = runner_api.get("/api/v1/me/access-log?limit=2").get_json()
        assert len(first["items"]) == 2 and first["next_cursor"]
        assert first["items"][0]["started_at"] > first["items"][1]["started_at"]
        rest = runner_api.get(f"/api/v1/me/access-log?limit=2&cursor={first['next_cursor']}")
        assert len(rest.get_json()["items"]) == 1

    def test_it_shows_nobody_elses_log(self, app, runner_api, practitioner_api, runner, make_user):
        link(runner_api, practitioner_api)
        practitioner_api.get(f"/api/v1/clients/{runner.id}")
        stranger = Api(app.test_client()).login(make_user(role="runner"))
        assert stranger.get("/api/v1/me/access-log").get_json()["items"] == []
