"""Apps built with production-like switches on, beside the shared test app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from backend import create_app
from backend.extensions import db
from backend.observability import configure_logging


@pytest.fixture
def make_app(app: Flask, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database with some settings changed.

    Depends on the shared `app` so that it exists first: the rate limiter is one object
    per process, and the app built last decides whether it is switched on.
    """
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        config = {"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
        config.update(settings)
        built = create_app(config)
        made.append(built)
        return built

    yield make
    for built in made:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()
    configure_logging(json_logs=False)
