"""Fixtures: one app and database per test run, tables emptied after each test.

Runs on SQLite by default; set TEST_DATABASE_URL to a PostgreSQL server URL to run the
same suite there (a fresh database is created on that server and dropped afterwards).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from backend import create_app
from backend.extensions import db
from tests.support import Api, Made, UserFactory, temporary_database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with temporary_database(os.environ.get("TEST_DATABASE_URL"), tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    from flask_migrate import upgrade

    app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app: Flask) -> Iterator[None]:
    # No app context stays open during a test: requests must not share `g`.
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(delete(table))


@pytest.fixture
def sql(app: Flask) -> Any:
    """Run `fn(session)` in a fresh app context, for looking into the database."""

    def run(fn: Any) -> Any:
        with app.app_context():
            try:
                return fn(db.session)
            finally:
                db.session.remove()

    return run


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture
def make_user(app: Flask) -> Any:
    def make(**kwargs: Any) -> Any:
        with app.app_context():
            user = UserFactory(**kwargs)
            db.session.commit()
            made = Made(id=user.id, email=user.email, role=user.role)
            db.session.remove()
        return made

    return make


@pytest.fixture
def runner(make_user: Any) -> Any:
    return make_user(role="runner")


@pytest.fixture
def practitioner(make_user: Any) -> Any:
    return make_user(role="practitioner")


@pytest.fixture
def runner_api(app: Flask, runner: Any) -> Api:
    return Api(app.test_client()).login(runner)


@pytest.fixture
def practitioner_api(app: Flask, practitioner: Any) -> Api:
    return Api(app.test_client()).login(practitioner)
