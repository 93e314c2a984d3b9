"""A schema with `fast_dump` answers exactly what marshmallow's own dump answers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from marshmallow import Schema, fields

from backend.schemas import Derived, OutSchema


class Leaf(OutSchema):
    optional_fields = ("note",)
    n = fields.Integer()
    note = fields.String()


class Shape(OutSchema):
    optional_fields = ("maybe",)
    id = fields.UUID()
    name = fields.String()
    score = fields.Float(allow_none=True)
    flag = fields.Boolean()
    day = fields.Date()
    at = fields.AwareDateTime(format="iso", allow_none=True)
    renamed = fields.Integer(data_key="shown_as", attribute="stored_as")
    tags = fields.List(fields.String())
    leaf = fields.Nested(Leaf, allow_none=True)
    leaves = fields.List(fields.Nested(Leaf))
    many_leaves = fields.Nested(Leaf, many=True)
    found = Derived(Leaf, lambda obj: {"n": 7})
    worked_out = fields.Function(lambda obj: "from the whole object")
    maybe = fields.Integer()


class FastShape(Shape):
    fast_dump: ClassVar[bool] = True


def _values(**changes: Any) -> dict[str, Any]:
    values = {
        "id": uuid.UUID(int=5),
        "name": "Hills",
        "score": 2.5,
        "flag": True,
        "day": date(2026, 12, 4),
        "at": datetime(2026, 12, 4, 7, 30, tzinfo=UTC) + timedelta(microseconds=12),
        "stored_as": 3,
        "tags": ["a", "b"],
        "leaf": {"n": 1, "note": "x"},
        "leaves": [{"n": 2}, {"n": 3, "note": "y"}],
        "many_leaves": [{"n": 4}],
        "maybe": 9,
    }
    values.update(changes)
    return values


CASES = {
    "everything": _values(),
    "nulls": _values(score=None, at=None, leaf=None, tags=[], leaves=[]),
    "an optional field left out": {k: v for k, v in _values().items() if k != "maybe"},
    "numbers as other types": _values(score=3, stored_as=True, flag=0),
}


def marshmallows(schema: Schema, obj: Any, **kw: Any) -> Any:
    return Schema.dump(schema, obj, **kw)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_it_answers_what_marshmallow_answers(case):
    assert FastShape().dump(case) == marshmallows(Shape(), case)
    as_object = SimpleNamespace(**case)
    assert FastShape().dump(as_object) == marshmallows(Shape(), as_object)


def test_many_and_narrowed_schemas_too():
    items = list(CASES.values())
    assert FastShape(many=True).dump(items) == marshmallows(Shape(many=True), items)
    assert FastShape().dump(items, many=True) == marshmallows(Shape(), items, many=True)
    only = FastShape(only=("name", "leaf"))
    assert only.dump(items[0]) == {"name": "Hills", "leaf": {"n": 1, "note": "x"}}


def test_the_hot_answers_use_it():
    from backend.practice.schemas import RosterOut
    from backend.progress.schemas import ProgressOut

    assert RosterOut.fast_dump and ProgressOut.fast_dump


def test_the_roster_and_progress_answers_are_unchanged(
    app, practitioner, practitioner_api, make_user, sql
):
    from backend.auth.models import User
    from backend.db import utcnow
    from backend.extensions import db
    from backend.practice import roster
    from backend.practice.schemas import RosterOut
    from backend.progress.schemas import ProgressOut
    from backend.progress.service import progress_between
    from tests.practice.support import link, store_runs
    from tests.support import Api

    today = datetime.now(UTC).date()
    for i in range(3):
        client = make_user(role="runner")
        link(Api(app.test_client()).login(client), practitioner_api)
        store_runs(
            sql,
            client.id,
            [
                {"day": today - timedelta(days=d), "stiffness": (i + d) % 11, "surface": s}
                for d, s in ((1, "road"), (4, "trail"), (6, "track"), (9, "road"))
            ],
        )
    with app.test_request_context():
        coach = db.session.get(User, practitioner.id)
        body = {"items": roster.roster(coach, utcnow())}
        assert body["items"]
        assert RosterOut().dump(body) == Schema.dump(RosterOut(), body)
        runner = db.session.get(User, client.id)
        progress = progress_between(runner, today - timedelta(days=30), today)
        assert progress["triggers"] and progress["stiffness"]["series"]
        assert ProgressOut().dump(progress) == Schema.dump(ProgressOut(), progress)
