from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from backend.extensions import db
from backend.routines.content import load_builtin
from backend.routines.models import Routine
from tests.practice.support import link
from tests.support import Api


@pytest.fixture
def linked(runner_api: Api, practitioner_api: Api) -> None:
    """The `runner` consents to the `practitioner`."""
    link(runner_api, practitioner_api)


@pytest.fixture
def routine_id(app: Flask) -> uuid.UUID:
    """A built-in routine to log sessions against."""
    with app.app_context():
        load_builtin()
        ident = db.session.scalar(select(Routine.id).order_by(Routine.name).limit(1))
        db.session.remove()
    assert ident is not None
    return ident


@pytest.fixture
def other_practitioner_api(app: Flask, make_user: Any) -> Api:
    return Api(app.test_client()).login(make_user(role="practitioner"))
