"""One JSON error envelope for every kind of bad request; nothing stored changes."""

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from backend.runs.models import Run
from tests.support import run_body


def _envelope(response, status):
    assert response.status_code == status
    assert response.is_json, response.data[:200]
    body = response.get_json()
    assert body["code"] == status and isinstance(body["status"], str)
    assert "Traceback" not in response.get_data(as_text=True)
    return body


class TestErrorEnvelope:
    def test_invalid_input_is_422_with_field_messages(self, runner_api):
        body = _envelope(runner_api.post("/api/v1/runs", {"stiffness": "high"}), 422)
        assert "stiffness" in body["errors"]["json"]
        assert "distance_km" in body["errors"]["json"]

    def test_malformed_json_is_400(self, runner_api):
        response = runner_api.post(
            "/api/v1/runs", data="{not json", headers={"Content-Type": "application/json"}
        )
        _envelope(response, 400)

    def test_a_non_json_body_is_415(self, runner_api):
        response = runner_api.post(
            "/api/v1/runs", data="distance=5", headers={"Content-Type": "text/plain"}
        )
        _envelope(response, 415)

    def test_a_body_over_1_mib_is_413(self, runner_api):
        response = runner_api.post(
            "/api/v1/runs",
            data="x" * (1024 * 1024 + 10),
            headers={"Content-Type": "application/json"},
        )
        _envelope(response, 413)

    def test_unknown_api_paths_are_json_404_not_the_app_shell(self, runner_api):
        _envelope(runner_api.get("/api/v1/nothing-here"), 404)
        _envelope(runner_api.post("/api/v1/nothing-here", {}), 404)
        _envelope(runner_api.get("/api/v2/runs"), 404)

    def test_a_wrong_method_is_405(self, runner_api):
        _envelope(runner_api.post("/api/v1/auth/me", {}), 405)
        _envelope(runner_api.delete("/api/v1/runs"), 405)

    def test_a_crash_is_a_json_500_without_traceback_and_rolls_back(
        self, app, runner_api, sql, monkeypatch
    ):
        from backend.runs import service

        runner_api.post("/api/v1/runs", run_body())

        def explode(*args, **kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(service, "load_model", explode)  # while answering
        response = runner_api.post("/api/v1/runs", run_body(stiffness=5))
        body = _envelope(response, 500)
        assert "secret internals" not in response.get_data(as_text=True)
        assert body["message"]
        # The first run is still there, untouched.
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Run))) >= 1
        assert sql(lambda s: s.scalar(select(Run.stiffness).order_by(Run.created_at))) == 3

    def test_a_connection_lost_after_a_commit_still_answers_the_write(
        self, runner_api, sql, monkeypatch
    ):
        # The database goes away after the run is committed, before the request's session
        # is closed: the rollback on closing fails, and the answer must still be the 201.
        real_close = Session.close
        lost = OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

        def close_on_a_dead_connection(session):
            real_close(session)
            monkeypatch.setattr(Session, "close", real_close)
            raise lost

        monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
        body = run_body()
        response = runner_api.post("/api/v1/runs", body)
        assert Session.close is real_close  # the failure did happen
        assert response.status_code == 201, response.get_data(as_text=True)[:300]
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Run))) == 1
        assert runner_api.get("/api/v1/runs").status_code == 200

    def test_a_connection_lost_while_answering_a_failure_is_a_503(self, runner_api, monkeypatch):
        from backend.runs import service

        def lose_the_database(*args, **kwargs):
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

        def rollback_on_a_dead_connection(session):
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

        monkeypatch.setattr(service, "load_model", lose_the_database)
        monkeypatch.setattr(Session, "rollback", rollback_on_a_dead_connection)
        response = runner_api.post("/api/v1/runs", run_body())
        _envelope(response, 503)
        assert response.headers["Retry-After"]

    def test_bad_inputs_leave_stored_runs_alone(self, runner_api):
        run = runner_api.post("/api/v1/runs", run_body()).get_json()
        bad = [
            ("patch", {"stiffness": -1}),
            ("patch", {"distance_km": "far"}),
            ("patch", {"unknown": 1}),
            ("patch", {"red_flags": "fever"}),
        ]
        for method, body in bad:
            response = getattr(runner_api, method)(f"/api/v1/runs/{run['id']}", body)
            assert response.status_code == 422
        assert runner_api.get(f"/api/v1/runs/{run['id']}").get_json() == run


class TestApp:
    def test_health_and_readiness(self, client):
        assert client.get("/healthz").get_json() == {"status": "ok"}
        assert client.get("/readyz").status_code == 200

    def test_openapi_spec_describes_the_contract(self, client):
        spec = client.get("/api/v1/openapi.json").get_json()
        paths = spec["paths"]
        for path in (
            "/api/v1/auth/csrf",
            "/api/v1/auth/register",
            "/api/v1/auth/login",
            "/api/v1/auth/logout",
            "/api/v1/auth/me",
            "/api/v1/me",
            "/api/v1/runs",
            "/api/v1/runs/{run_id}",
            "/healthz",
            "/readyz",
        ):
            assert path in paths, path
        run_in = spec["components"]["schemas"]["RunIn"]["properties"]
        assert run_in["surface"]["enum"] == [
            "track",
            "road",
            "treadmill",
            "trail",
            "grass",
            "woodchip",
            "sand",
            "other",
        ]
        assert run_in["stiffness"]["minimum"] == 0 and run_in["stiffness"]["maximum"] == 10
        assert run_in["distance_km"]["maximum"] == 300
        assert run_in["notes"]["maxLength"] == 2000

    def test_the_api_explorer_is_served(self, client):
        response = client.get("/api/docs")
        assert response.status_code == 200
        assert b"swagger" in response.data.lower()

    def test_production_refuses_to_start_without_secrets(self):
        import pytest

        from backend.config import ConfigError, load_config

        with pytest.raises(ConfigError, match="SECRET_KEY"):
            load_config("production", {"DATABASE_URL": "postgresql://db/limber"})
        with pytest.raises(ConfigError, match="DATABASE_URL"):
            load_config("production", {"SECRET_KEY": "x" * 40})
        settings = load_config(
            "production", {"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://db/limber"}
        )
        assert settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
