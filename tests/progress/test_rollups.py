"""The rollups always equal the figures recomputed from the runs, whatever the writes."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.extensions import db
from backend.progress.models import RunRollup
from backend.progress.rollups import SUMS, rebuild
from tests.support import Api, UserFactory

NOW = datetime.now(UTC).replace(microsecond=0)
ZONES = ("UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata")

run_fields = st.fixed_dictionaries(
    {
        "hours_ago": st.integers(min_value=1, max_value=24 * 20),
        "distance_km": st.floats(min_value=1, max_value=40).map(lambda v: round(v, 2)),
        "pace_s": st.integers(min_value=300, max_value=600),  # a plausible pace, s per km
        "surface": st.sampled_from(["road", "trail", "track"]),
        "workout_type": st.sampled_from(["easy", "hills", "walk"]),
        "stiffness": st.integers(min_value=0, max_value=10),
    }
)
step = st.one_of(
    st.tuples(st.just("create"), run_fields),
    st.tuples(st.just("edit"), st.integers(0, 9), run_fields),
    st.tuples(st.just("morning"), st.integers(0, 9), st.integers(0, 10)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("timezone"), st.sampled_from(ZONES)),
    st.tuples(st.just("weight"), st.sampled_from([None, 61.5, 80])),
)


def _body(fields: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    body = {k: v for k, v in fields.items() if k not in ("hours_ago", "pace_s")}
    body["duration_s"] = round(fields["distance_km"] * fields["pace_s"])
    if not partial or fields["hours_ago"] % 2:
        body["started_at"] = (NOW - timedelta(hours=fields["hours_ago"])).isoformat()
    if partial and fields["pace_s"] % 3 == 0:
        body.pop("stiffness")
    return body


def _rows(user_id: uuid.UUID) -> dict[tuple[Any, ...], tuple[float, ...]]:
    rows = db.session.scalars(select(RunRollup).where(RunRollup.user_id == user_id)).all()
    return {
        (r.local_date, r.surface, r.workout_type, r.terrain): tuple(
            float(getattr(r, name)) for name in SUMS
        )
        for r in rows
    }


def _assert_equal(kept: dict[Any, Any], recomputed: dict[Any, Any]) -> None:
    assert kept.keys() == recomputed.keys()
    for key, values in kept.items():
        for name, a, b in zip(SUMS, values, recomputed[key], strict=True):
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6), (key, name, a, b)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_rollups_equal_the_runs_after_any_writes(app: Flask, steps: list[Any]) -> None:
    with app.app_context():
        user = UserFactory(body_weight_kg=70)
        db.session.commit()
        email, user_id = user.email, user.id
        db.session.remove()
    api = Api(app.test_client())
    api.login(type("U", (), {"email": email})())
    ids: list[str] = []
    for item in steps:
        kind = item[0]
        if kind == "create":
            response = api.post("/api/v1/runs", _body(item[1]))
            assert response.status_code == 201, response.get_json()
            ids.append(response.get_json()["id"])
        elif kind == "edit" and ids:
            run_id = ids[item[1] % len(ids)]
            response = api.patch(f"/api/v1/runs/{run_id}", _body(item[2], partial=True))
            assert response.status_code == 200, response.get_json()
        elif kind == "morning" and ids:
            run_id = ids[item[1] % len(ids)]
            response = api.patch(f"/api/v1/runs/{run_id}", {"morning_stiffness": item[2]})
            assert response.status_code == 200, response.get_json()
        elif kind == "delete" and ids:
            run_id = ids.pop(item[1] % len(ids))
            assert api.delete(f"/api/v1/runs/{run_id}").status_code == 204
        elif kind == "timezone":
            assert api.patch("/api/v1/me", {"timezone": item[1]}).status_code == 200
        elif kind == "weight":
            assert api.patch("/api/v1/me", {"body_weight_kg": item[1]}).status_code == 200
    with app.app_context():
        kept = _rows(user_id)
        rebuild(db.session, [user_id])
        recomputed = _rows(user_id)
        db.session.rollback()
        _assert_equal(kept, recomputed)
        assert sum(v[0] for v in kept.values()) == len(ids)


def test_a_bulk_insert_of_runs_is_rolled_up(app: Flask, runner: Any, sql: Any) -> None:
    from tests.practice.support import store_runs

    day = NOW.date() - timedelta(days=3)
    store_runs(sql, runner.id, [{"day": day, "stiffness": 4}, {"day": day, "stiffness": 6}])
    with app.app_context():
        rows = _rows(runner.id)
    assert len(rows) == 1
    (values,) = rows.values()
    assert values[:3] == (2.0, 2.0, 10.0)


def test_the_rebuild_command_recomputes_every_rollup(app: Flask, runner: Any, sql: Any) -> None:
    from tests.practice.support import store_runs

    store_runs(sql, runner.id, [{"day": NOW.date(), "stiffness": 3}])
    with app.app_context():
        db.session.execute(RunRollup.__table__.delete())
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "1 rollup row" in result.output
    with app.app_context():
        assert len(_rows(runner.id)) == 1
