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
    AUTH_SESSION_ABSOLUTE = timedelta(days=30)
    AUTH_SESSION_IDLE = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT: int | None = 12 * 3600
    WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]
    WTF_CSRF_SSL_STRICT = True

    # Argon2id cost (argon2-cffi's RFC 9106 "low memory" profile by default)
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Load estimate: steps per mile and force per step as multiples of body weight.
    LOAD_STEPS_PER_MILE = (1333, 1833)
    LOAD_RUN_BW = (3.0, 4.0)
    LOAD_WALK_BW = (1.0, 1.5)

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

    # Imports: uploads wait here until the job has read them. "thread" runs the job in a
    # small pool inside the app process; "inline" runs it before the response (tests).
    IMPORTS_SPOOL_DIR = str(INSTANCE_DIR / "imports")
    IMPORTS_RUN = "thread"
    IMPORTS_MAX_UPLOAD_BYTES = 200 * 1024 * 1024 + 64 * 1024  # one archive plus form overhead

    FRONTEND_DIR = str(Path(__file__).resolve().parent.parent / "frontend")
    JSON_LOGS = False
    LOG_LEVEL = "INFO"


class DevelopmentConfig(BaseConfig):
    pass


class TestingConfig(BaseConfig):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    RATELIMIT_ENABLED = False
    IMPORTS_RUN = "inline"


class ProductionConfig(BaseConfig):
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = ""
    SESSION_COOKIE_SECURE = True
    JSON_LOGS = True
    PROXY_FIX_X_FOR = 1


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

# Environment variables that override a setting, with the parser for each.
_ENV_OVERRIDES: dict[str, Any] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "WTF_CSRF_TIME_LIMIT": int,
    "PROXY_FIX_X_FOR": int,
    "RATELIMIT_LOGIN": str,
    "RATELIMIT_REGISTER": str,
    "RATELIMIT_WRITES": str,
    "RATELIMIT_IMPORTS": str,
    "IMPORTS_SPOOL_DIR": str,
    "IMPORTS_RUN": str,
    "RATELIMIT_KEY_PREFIX": str,
    "LOG_LEVEL": str,
    "RATELIMIT_ENABLED": lambda v: v.lower() in {"1", "true", "yes"},
    "SESSION_COOKIE_SECURE": lambda v: v.lower() in {"1", "true", "yes"},
    "JSON_LOGS": lambda v: v.lower() in {"1", "true", "yes"},
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
    if name == "production":
        missing = [k for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not settings.get(k)]
        if missing:
            names = ", ".join("DATABASE_URL" if k.startswith("SQLALCHEMY") else k for k in missing)
            raise ConfigError(f"Production needs {names} set in the environment.")
    return settings


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
