"""Test helpers: an API client that speaks JSON with CSRF, factories, temporary databases."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import factory
import pytest
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import make_url

from backend.auth.models import User
from backend.auth.passwords import make_hasher
from backend.extensions import db

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Made:
    """What a test needs to know about a user it made."""

    id: uuid.UUID
    email: str
    role: str


@cache
def _password_hash(password: str) -> str:
    return make_hasher(1, 1024, 1).hash(password)


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Sequence(lambda n: f"User {n}")
    role = "runner"
    units = "metric"
    timezone = "UTC"
    password_hash = factory.LazyFunction(lambda: _password_hash(PASSWORD))


class Api:
    """A test client that sends JSON and the CSRF token on every unsafe request."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self._csrf: str | None = None

    def csrf(self, refresh: bool = False) -> str:
        if self._csrf is None or refresh:
            self._csrf = self.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
        assert self._csrf
        return self._csrf

    def login(self, user: Any, password: str = PASSWORD) -> Api:
        response = self.post("/api/v1/auth/login", {"email": user.email, "password": password})
        assert response.status_code == 200, response.get_json()
        self.csrf(refresh=True)  # the session was renewed at login
        return self

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def _unsafe(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        headers = {"X-CSRFToken": self.csrf(), **kwargs.pop("headers", {})}
        if json is not None:
            kwargs["json"] = json
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self._unsafe("POST", path, json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self._unsafe("PATCH", path, json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self._unsafe("PUT", path, json, **kwargs)

    def delete(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self._unsafe("DELETE", path, json, **kwargs)


def run_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "started_at": "2026-11-20T07:30:00+00:00",
        "distance_km": 8.0,
        "duration_s": 2700,
        "surface": "road",
        "workout_type": "easy",
        "stiffness": 3,
        "stiffness_areas": ["low_back"],
        "red_flags": [],
        "notes": "",
    }
    body.update(overrides)
    return body


@contextlib.contextmanager
def temporary_database(
    server_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on a PostgreSQL server."""
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    import psycopg

    from backend.config import normalise_database_url

    base = make_url(normalise_database_url(server_url))
    name = f"limber_test_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class QueryCounter:
    """Counts the statements SQLAlchemy sends while active (an executemany once); for the
    server's own count use `bench.sqlcount.ServerStatements`."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.count = 0

    def _hit(self, *_args: Any) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._hit)
