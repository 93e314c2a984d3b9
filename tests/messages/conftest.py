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
    with app.app_context():
        load_builtin()
        ident = db.session.scalar(select(Routine.id).order_by(Routine.name).limit(1))
        db.session.remove()
    assert ident is not None
    return ident


def write(api: Api, path: str, body: str, **extra: Any) -> dict[str, Any]:
    response = api.post(path, {"id": str(uuid.uuid4()), "body": body, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
