"""Production refuses to start without SECRET_KEY or DATABASE_URL: the app, gunicorn, the script."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backend import create_app
from backend.config import ConfigError
from tests.deploy.support import REPO

VENV_BIN = os.path.dirname(sys.executable)


def _env(**values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "LIMBER_ENV", "REDIS_URL"}
    }
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(values)
    return env


class TestCreateApp:
    @pytest.fixture(autouse=True)
    def _bare_environment(self, monkeypatch):
        for name in ("SECRET_KEY", "DATABASE_URL", "LIMBER_ENV"):
            monkeypatch.delenv(name, raising=False)

    def test_it_refuses_without_secret_key_and_database_url(self):
        with pytest.raises(ConfigError, match="SECRET_KEY, DATABASE_URL"):
            create_app("production")

    def test_it_refuses_without_secret_key(self, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", "postgresql://limber@db/limber")
        with pytest.raises(ConfigError, match="needs SECRET_KEY set"):
            create_app("production")

    def test_it_refuses_without_database_url(self, monkeypatch):
        monkeypatch.setenv("SECRET_KEY", "x" * 40)
        with pytest.raises(ConfigError, match="needs DATABASE_URL set"):
            create_app("production")

    def test_it_starts_with_both(self, monkeypatch):
        monkeypatch.setenv("SECRET_KEY", "x" * 40)
        monkeypatch.setenv("DATABASE_URL", "postgresql://limber@db/limber")
        app = create_app("production")
        assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["PROXY_FIX_X_FOR"] == 1
        assert app.config["JSON_LOGS"] is True


@pytest.mark.slow
class TestProcesses:
    def test_gunicorn_exits_with_a_clear_message(self, tmp_path):
        result = subprocess.run(
            [f"{VENV_BIN}/gunicorn", "--config", "deploy/gunicorn.conf.py"],
            cwd=REPO,
            env=_env(LIMBER_ENV="production", DATABASE_URL="postgresql://x@127.0.0.1:1/x"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0
        assert "Error: Production needs SECRET_KEY set in the environment." in result.stderr
        assert "Traceback" not in result.stderr

    def test_the_start_script_exits_before_migrating(self, tmp_path):
        result = subprocess.run(
            ["sh", "deploy/start-web.sh"],
            cwd=REPO,
            env=_env(LIMBER_ENV="production", SECRET_KEY="x" * 40),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0
        assert result.stderr.strip() == (
            "limber: Production needs DATABASE_URL set in the environment."
        )
