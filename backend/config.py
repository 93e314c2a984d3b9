"""Configuration classes. Nothing here reads the environment at import time."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class BaseConfig:
    SECRET_KEY: str | None = "dev-only-not-secret"  # noqa: S105 - replaced outside development
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'limber.db'}"
    # pool_pre_ping: a connection dropped by a database restart is replaced, not used.
    # hide_parameters: values (passwords hashes, notes) never reach an error message or log.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    MAX_CONTENT_LENGTH = 1024 * 1024

    # OpenAPI (flask-smorest)
    API_TITLE = "Limber API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/static/"

    # Sessions: the cookie only carries an id; the record lives in the database.
    SESSION_COOKIE_NAME = "limber_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    # The server-side session ends 30 days after sign-in whatever the cookie says, so a
    # "remember me" cookie is signed once at sign-in instead of again on every response.
    SESSION_REFRESH_EACH_REQUEST = False
    AUTH_SESSION_ABSOLUTE = timedelta(days=30)
    AUTH_SESSION_IDLE = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT: int | None = 12 * 3600
    WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]
    WTF_CSRF_SSL_STRICT = True

    # Two-step sign-in. Passkeys need the relying-party id (the site's domain) and the
    # origin(s) pages are served from; without them only the authenticator app is offered.
    WEBAUTHN_RP_ID: str | None = "localhost"
    WEBAUTHN_RP_NAME = "Limber"
    WEBAUTHN_ORIGIN: str | None = "http://localhost:5000"
    # Encrypts authenticator-app secrets and keys recovery-code hashes; SECRET_KEY if unset.
    TWO_STEP_KEY: str | None = None
    TWO_STEP_SIGN_IN_TTL = timedelta(minutes=5)
    TWO_STEP_ENROL_TTL = timedelta(minutes=5)

    # Argon2id cost (argon2-cffi's RFC 9106 "low memory" profile by default)
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Load estimate (see backend/runs/estimate.py for the sources): force per step as a
    # multiple of body weight (low, high); cadence in steps a minute as
    # (base, per km/h of speed); the share either side of the modelled step count.
    LOAD_RUN_BW = (3.0, 4.0)
    LOAD_WALK_BW = (1.0, 1.5)
    LOAD_RUN_CADENCE = (135.0, 2.5)
    LOAD_WALK_CADENCE = (70.0, 8.0)
    LOAD_STEP_SPREAD = 0.06

    # The number the app offers to call with emergency or urgent advice. Empty: the
    # device's region decides (112, 911, 999 ...), else "your local emergency number".
    EMERGENCY_NUMBER = ""

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "limber"
    # Counters fall back to memory while Redis is away, rather than failing requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_REGISTER = "10 per hour"
    RATELIMIT_WRITES = "240 per minute"
    RATELIMIT_IMPORTS = "20 per hour"
    PROXY_FIX_X_FOR = 0
    # The proxies whose X-Forwarded-* headers count: loopback and the private ranges a
    # container network uses. Requests from anywhere else have those headers removed.
    PROXY_TRUSTED_NETWORKS = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
    # Where people reach Limber (https://limber.example.org): invite links and the links in
    # notifications start with it.
    PUBLIC_URL = ""
    # The interactive API explorer at /api/docs; off in production unless turned on.
    API_DOCS_ENABLED = True
    # Days an invite code works after it is made; 0 keeps it until it is replaced.
    INVITE_TTL_DAYS = 0
    # Per-account sign-in brake: this many wrong passwords in a row are free, then each
    # further one doubles the wait before the next try, up to LOGIN_BRAKE_MAX_S seconds.
    LOGIN_BRAKE_FREE = 5
    LOGIN_BRAKE_MAX_S = 900

    # Imports: uploads wait here until the job has read them. "thread" runs the job in a
    # small pool inside the app process; "inline" runs it before the response (tests).
    IMPORTS_SPOOL_DIR = str(INSTANCE_DIR / "imports")
    IMPORTS_RUN = "queue"  # or "inline": the job runs in the request (tests, benchmark)
    IMPORTS_STALE_AFTER = 300  # seconds without a heartbeat before an import is resumed
    IMPORTS_MAX_ATTEMPTS = 3  # workers that may take an import up before it is failed
    IMPORTS_MAX_UPLOAD_BYTES = 200 * 1024 * 1024 + 64 * 1024  # one archive plus form overhead

    FRONTEND_DIR = str(Path(__file__).resolve().parent.parent / "frontend")
    JSON_LOGS = False
    LOG_LEVEL = "INFO"

    # Background jobs (docs/jobs.md): storage is Redis when REDIS_URL is set, else SQLite.
    JOBS_STORAGE = ""
    JOBS_SQLITE_PATH = str(INSTANCE_DIR / "jobs.db")
    JOBS_NAME = "limber"
    JOBS_IMMEDIATE = False
    JOBS_RETRIES = 8
    JOBS_RETRY_DELAY = 5  # seconds; doubled after each failure
    # A delivery claimed this long ago and never finished was lost with its worker.
    JOBS_STALE_AFTER = 1800  # longer than the longest gap between retries
    # How often consumers look for periodic work. Below 60 the every-minute tasks run on
    # every tick: for tests that must see a sweep without waiting for the next minute.
    JOBS_TICK_SECONDS = 60

    # Notifications (docs/notifications.md). Links in emails and pushes start at PUBLIC_URL
    # (above); without it they start at the address `make run` serves on.
    VAPID_PRIVATE_KEY = ""
    VAPID_SUBJECT = "mailto:limber@localhost"
    VAPID_KEY_FILE = str(INSTANCE_DIR / "vapid_private.pem")
    PUSH_ALLOW_LOOPBACK = False
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = True
    SMTP_SSL = False
    SMTP_TIMEOUT = 10
    SMTP_FROM = "Limber <no-reply@localhost>"
    MAIL_DIR = str(INSTANCE_DIR / "mail")


class DevelopmentConfig(BaseConfig):
    pass


class TestingConfig(BaseConfig):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    RATELIMIT_ENABLED = False
    # Nothing runs unless a test drains the queue, turns on immediate mode or starts a
    # consumer; loopback push endpoints are the tests' push-service stand-in.
    JOBS_STORAGE = "memory"
    PUSH_ALLOW_LOOPBACK = True
    VAPID_KEY_FILE = ""
    MAIL_DIR = ""
    IMPORTS_RUN = "inline"


class ProductionConfig(BaseConfig):
    SECRET_KEY = None
    WEBAUTHN_RP_ID = None
    WEBAUTHN_ORIGIN = None
    SQLALCHEMY_DATABASE_URI = ""
    SESSION_COOKIE_SECURE = True
    JSON_LOGS = True
    PROXY_FIX_X_FOR = 1
    API_DOCS_ENABLED = False


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def _flag(value: str) -> bool:
    return value.lower() in {"1", "true", "yes"}


def _pair(value: str) -> tuple[float, float]:
    """ "3,4" -> (3.0, 4.0): two numbers, the first no larger than the second for ranges."""
    parts = [float(p) for p in value.split(",")]
    if len(parts) != 2:
        raise ConfigError(f"Expected two numbers separated by a comma, got {value!r}.")
    return parts[0], parts[1]


def _ordered_pair(value: str) -> tuple[float, float]:
    low, high = _pair(value)
    if not 0 < low <= high:
        raise ConfigError(f"Expected 0 < low <= high, got {value!r}.")
    return low, high


# Environment variables that override a setting, with the parser for each.
_ENV_OVERRIDES: dict[str, Any] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "WTF_CSRF_TIME_LIMIT": int,
    "PROXY_FIX_X_FOR": int,
    "PROXY_TRUSTED_NETWORKS": str,
    "PUBLIC_URL": lambda v: v.rstrip("/"),
    "INVITE_TTL_DAYS": int,
    "API_DOCS_ENABLED": _flag,
    "RATELIMIT_LOGIN": str,
    "RATELIMIT_REGISTER": str,
    "RATELIMIT_WRITES": str,
    "RATELIMIT_IMPORTS": str,
    "IMPORTS_SPOOL_DIR": str,
    "IMPORTS_RUN": str,
    "IMPORTS_STALE_AFTER": int,
    "IMPORTS_MAX_ATTEMPTS": int,
    "RATELIMIT_KEY_PREFIX": str,
    "LOG_LEVEL": str,
    "WEBAUTHN_RP_ID": str,
    "WEBAUTHN_RP_NAME": str,
    "WEBAUTHN_ORIGIN": str,
    "TWO_STEP_KEY": str,
    "RATELIMIT_ENABLED": _flag,
    "SESSION_COOKIE_SECURE": _flag,
    "JSON_LOGS": _flag,
    "LOAD_RUN_BW": _ordered_pair,
    "LOAD_WALK_BW": _ordered_pair,
    "LOAD_RUN_CADENCE": _pair,
    "LOAD_WALK_CADENCE": _pair,
    "LOAD_STEP_SPREAD": float,
    "EMERGENCY_NUMBER": str,
    "JOBS_STORAGE": str,
    "JOBS_SQLITE_PATH": str,
    "JOBS_NAME": str,
    "JOBS_RETRIES": int,
    "JOBS_RETRY_DELAY": float,
    "JOBS_STALE_AFTER": int,
    "JOBS_TICK_SECONDS": int,
    "VAPID_PRIVATE_KEY": str,
    "VAPID_SUBJECT": str,
    "VAPID_KEY_FILE": str,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_FROM": str,
    "MAIL_DIR": str,
    "SMTP_STARTTLS": _flag,
    "SMTP_SSL": _flag,
    "PUSH_ALLOW_LOOPBACK": _flag,
    "JOBS_IMMEDIATE": _flag,
}


class ConfigError(RuntimeError):
    """The configuration cannot run safely."""


def load_config(name: str | None = None, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the settings for `name` (default: LIMBER_ENV, else development)."""
    env = dict(os.environ if environ is None else environ)
    name = name or env.get("LIMBER_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"Unknown configuration {name!r}; use one of {sorted(CONFIGS)}.")
    cls = CONFIGS[name]
    settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
    settings["LIMBER_ENV"] = name
    for key, parse in _ENV_OVERRIDES.items():
        if env.get(key):
            settings[key] = parse(env[key])
    if settings.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(settings.pop("DATABASE_URL"))
    if settings.get("REDIS_URL"):
        settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"]
    _check_trusted_networks(settings.get("PROXY_TRUSTED_NETWORKS", ""))
    if name == "production":
        missing = [k for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not settings.get(k)]
        if missing:
            names = ", ".join("DATABASE_URL" if k.startswith("SQLALCHEMY") else k for k in missing)
            raise ConfigError(f"Production needs {names} set in the environment.")
    return settings


def _check_trusted_networks(value: str) -> None:
    from backend.proxies import parse_networks

    try:
        parse_networks(value)
    except ValueError as exc:
        raise ConfigError(f"PROXY_TRUSTED_NETWORKS: {exc}") from None


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
