from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from backend import create_app
from backend.extensions import db


@pytest.fixture
def make_app_for_two_step(app: Flask, database_url: str) -> Iterator[Callable[..., Flask]]:
    """An app on the test database with some settings changed (built after `app`)."""
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        config = {"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
        config.update(settings)
        made.append(create_app(config))
        return made[-1]

    yield make
    # The rate limiter is one object per process: the app built last decides whether it
    # is on, so build a plain one again for the tests that follow.
    made.append(create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url}))
    for built in made:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()
