"""The client CSV: the read is logged only when the file is made."""

from sqlalchemy import func, select

from backend.practice.models import AccessRead
from tests.practice.support import link
from tests.support import Api


def _exports(sql):
    return sql(
        lambda s: s.scalar(
            select(func.count()).select_from(AccessRead).where(AccessRead.what == "export")
        )
    )


class TestExportLog:
    def test_a_failed_export_leaves_no_log_entry(
        self, app, runner_api, practitioner_api, runner, sql, monkeypatch
    ):
        link(runner_api, practitioner_api)

        def broken(client):
            raise RuntimeError("the file could not be made")

        monkeypatch.setattr("backend.practice.routes.export_csv", broken)
        response = practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv")
        assert response.status_code == 500
        assert _exports(sql) == 0

    def test_a_sent_export_is_logged_once(self, runner_api, practitioner_api, runner, sql):
        link(runner_api, practitioner_api)
        response = practitioner_api.get(f"/api/v1/clients/{runner.id}/export.csv")
        assert response.status_code == 200
        assert _exports(sql) == 1

    def test_the_runner_sees_a_former_practitioner_by_name(self, app, runner_api, runner):
        practitioner = Api(app.test_client())
        body = {
            "email": "coach@example.test",
            "password": "a long enough phrase",
            "display_name": "Coach Ana",
            "role": "practitioner",
        }
        assert practitioner.post("/api/v1/auth/register", body).status_code == 201
        practitioner.csrf(refresh=True)
        link(runner_api, practitioner)
        practitioner.get(f"/api/v1/clients/{runner.id}")
        assert practitioner.delete("/api/v1/me", {"password": body["password"]}).status_code == 204
        items = runner_api.get("/api/v1/me/access-log").get_json()["items"]
        assert items[0]["practitioner"] == {"id": None, "display_name": "Coach Ana"}
