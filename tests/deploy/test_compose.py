"""docker-compose.yml, .env.example, the Dockerfile and the proxy config, read as files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from backend.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from tests.deploy.support import REPO

VENDORED_SCHEMA = Path(__file__).with_name("compose-spec.json")
SHARED_SCHEMA = REPO.parent / "shared/schemas/compose-spec.json"
SECRETS = ("SECRET_KEY", "POSTGRES_PASSWORD")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _compose_text() -> str:
    return (REPO / "docker-compose.yml").read_text()


def _env_example() -> dict[str, str]:
    entries = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            entries[name.strip()] = value
    return entries


def _schemas() -> list[Path]:
    return [p for p in (VENDORED_SCHEMA, SHARED_SCHEMA) if p.is_file()]


class TestComposeFile:
    @pytest.mark.parametrize("schema_path", _schemas(), ids=lambda p: str(p.parent.name))
    def test_it_validates_against_the_compose_specification(self, schema_path):
        schema = json.loads(schema_path.read_text())
        jsonschema.Draft7Validator.check_schema(schema)
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(_compose()))
        assert errors == [], [e.message for e in errors]

    def test_the_vendored_schema_matches_the_shared_one(self):
        if not SHARED_SCHEMA.is_file():
            pytest.skip("no shared schema beside this checkout")
        assert json.loads(VENDORED_SCHEMA.read_text()) == json.loads(SHARED_SCHEMA.read_text())

    def test_it_has_the_five_services(self):
        assert set(_compose()["services"]) == {"db", "redis", "web", "worker", "proxy"}

    def test_the_worker_runs_a_consumer_from_the_web_image(self):
        compose = _compose()
        worker, web = compose["services"]["worker"], compose["services"]["web"]
        assert worker["image"] == web["image"] and worker["build"] == web["build"]
        assert worker["command"][:5] == ["flask", "--app", "backend", "jobs", "worker"]
        assert worker["environment"] == web["environment"]
        assert worker["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        beat = worker["command"][worker["command"].index("--heartbeat") + 1]
        assert beat in " ".join(worker["healthcheck"]["test"])

    def test_redis_keeps_the_job_queue_on_disk(self):
        redis = _compose()["services"]["redis"]
        assert redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
        assert redis["volumes"][0].split(":")[1] == "/data"

    def test_it_keeps_postgres_data_in_a_named_volume(self):
        compose = _compose()
        db = compose["services"]["db"]
        assert db["image"].startswith("postgres:")
        volume, _, target = db["volumes"][0].partition(":")
        assert volume in compose["volumes"]
        assert target == "/var/lib/postgresql/data"

    def test_web_and_worker_share_the_import_spool_volume(self):
        compose = _compose()
        services = compose["services"]
        spool = services["web"]["environment"]["IMPORTS_SPOOL_DIR"]
        assert services["worker"]["environment"]["IMPORTS_SPOOL_DIR"] == spool
        for name in ("web", "worker"):
            assert f"imports:{spool}" in services[name]["volumes"]
        assert "imports" in compose["volumes"]
        assert f"mkdir -p {spool}" in (REPO / "Dockerfile").read_text()

    def test_the_database_healthcheck_asks_over_tcp(self):
        check = " ".join(_compose()["services"]["db"]["healthcheck"]["test"])
        assert "pg_isready -h 127.0.0.1" in check

    def test_redis_has_a_healthcheck(self):
        redis = _compose()["services"]["redis"]
        assert redis["image"].startswith("redis:")
        assert "ping" in redis["healthcheck"]["test"]

    def test_web_is_built_from_the_dockerfile_and_checks_readyz(self):
        web = _compose()["services"]["web"]
        assert web["build"]["dockerfile"] == "Dockerfile"
        assert (REPO / web["build"]["context"] / "Dockerfile").is_file()
        assert "/readyz" in " ".join(web["healthcheck"]["test"])

    def test_web_waits_for_a_healthy_database_and_redis(self):
        depends = _compose()["services"]["web"]["depends_on"]
        assert depends == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }

    def test_web_runs_in_production_against_db_and_redis(self):
        env = _compose()["services"]["web"]["environment"]
        assert env["LIMBER_ENV"] == "production"
        assert "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")

    def test_the_proxy_serves_the_frontend_and_its_config(self):
        proxy = _compose()["services"]["proxy"]
        assert proxy["image"].startswith("nginx:")
        mounts = {m.split(":")[0]: m.split(":")[1] for m in proxy["volumes"]}
        assert mounts["./frontend"] == "/srv/limber/frontend"
        assert mounts["./deploy/nginx.conf"] == "/etc/nginx/conf.d/default.conf"
        assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}

    def test_no_secret_has_a_default(self):
        uses = [(m.group(1), m.group(2)) for m in _VARIABLE.finditer(_compose_text())]
        for secret in SECRETS:
            operators = {op for name, op in uses if name == secret}
            assert operators, f"{secret} is not used"
            # Every mention must fail when unset (":?") or repeat an earlier ":?" check.
            assert ":?" in operators, secret
            assert not operators & {":-", "-"}, f"{secret} has a default"

    def test_the_web_stops_gracefully(self):
        web = _compose()["services"]["web"]
        grace = int(web["stop_grace_period"].rstrip("s"))
        assert grace > int(_env_example()["WEB_GRACEFUL_TIMEOUT"])


class TestEnvExample:
    def test_it_lists_every_variable_the_compose_file_uses(self):
        used = {m.group(1) for m in _VARIABLE.finditer(_compose_text())}
        assert used, "the compose file reads no variables"
        assert used - set(_env_example()) == set()

    def test_its_secrets_are_empty(self):
        env = _env_example()
        for secret in SECRETS:
            assert env[secret] == ""

    def test_it_is_not_ignored_by_git_while_env_is(self):
        ignored = (REPO / ".gitignore").read_text().split()
        assert ".env" in ignored and ".env.example" not in ignored


class TestDockerfile:
    def test_it_runs_the_start_script_as_a_non_root_user(self):
        text = (REPO / "Dockerfile").read_text()
        assert re.search(r"^FROM python:3\.1[1-9]-slim$", text, re.MULTILINE)
        users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
        assert users and users[-1] not in {"root", "0"}
        assert "deploy/start-web.sh" in text

    def test_the_start_script_migrates_then_serves_with_gunicorn(self):
        script = (REPO / "deploy/start-web.sh").read_text()
        migrate = script.index("flask --app backend db upgrade")
        serve = script.index("exec gunicorn")
        assert migrate < serve

    def test_the_image_leaves_out_local_state(self):
        ignored = (REPO / ".dockerignore").read_text().split()
        assert {".git", ".venv", ".env", "instance", "tests"} <= set(ignored)


class TestProxyConfig:
    def _nginx(self) -> str:
        return (REPO / "deploy/nginx.conf").read_text()

    def _headers(self) -> dict[str, str]:
        text = (REPO / "deploy/security-headers.conf").read_text()
        return dict(re.findall(r'^add_header\s+(\S+)\s+"([^"]*)"\s+always;', text, re.MULTILINE))

    def test_it_passes_the_api_and_health_to_web(self):
        nginx = self._nginx()
        assert "set $web http://web:8000;" in nginx
        for location in ("location ^~ /api/", "location = /healthz", "location = /readyz"):
            block = nginx.split(location, 1)[1].split("}", 1)[0]
            assert "proxy_pass $web;" in block, location

    def test_it_serves_the_frontend_with_the_app_shell_for_app_routes(self):
        nginx = self._nginx()
        assert "root /srv/limber/frontend;" in nginx
        assert "try_files $uri /index.html;" in nginx

    def test_it_asks_browsers_to_check_every_file_again(self):
        # No file name carries a hash, so nothing may be cached as immutable.
        nginx = self._nginx()
        assert "immutable" not in nginx
        file_block = nginx.split('location ~ "\\.[A-Za-z0-9]+$"', 1)[1].split("}", 1)[0]
        assert 'add_header Cache-Control "no-cache" always;' in file_block

    def test_it_sends_the_same_security_headers_as_the_app(self):
        headers = self._headers()
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers == SECURITY_HEADERS

    def test_every_static_location_includes_the_security_headers(self):
        nginx = self._nginx()
        static_blocks = [b for b in nginx.split("location ")[1:] if "try_files" in b]
        assert len(static_blocks) == 2
        for block in static_blocks:
            assert "include /etc/nginx/snippets/limber-security-headers.conf;" in block

    def test_it_appends_to_forwarded_headers_for_the_trusted_chain(self):
        # Replacing them made every user behind an outer TLS proxy share one address.
        nginx = self._nginx()
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
        assert "X-Forwarded-For $remote_addr" not in nginx
        assert "proxy_set_header X-Forwarded-Proto $limber_forwarded_proto;" in nginx
        assert "proxy_set_header X-Request-ID $request_id;" in nginx
