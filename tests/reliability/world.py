"""A small world for the access matrix: runner A with data, and everyone who must not see it.

    A    runner with runs (one with a red flag), devices, and whatever else the API lets
         them make
    B    another runner
    P    practitioner A consents to now
    Q    practitioner never linked to A
    R    practitioner A consented to once, then revoked

Ids in a route are filled from rows about A (else about P, else built-in rows), found by
walking the tables, so a new route with an id is covered without changes here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import Table, and_, or_, select

from backend.extensions import db
from backend.privacy.service import owner_columns
from tests.privacy.helpers import link, unlink
from tests.reliability.routes import Route
from tests.support import Api, Made, run_body

MARKER = "private-marker-7f3a"
ACTORS = ("anonymous", "A", "B", "P", "Q", "R")
# Ids that name a person: in every route with one, that person is runner A.
PERSON_IDS = ("client_id", "runner_id", "user_id")


@dataclass
class Found:
    """An id to put in a route, and whose it is: "A", "P" or "builtin"."""

    value: uuid.UUID
    owner: str


@dataclass
class World:
    app: Flask
    users: dict[str, Made]
    clients: dict[str, Api] = field(default_factory=dict)

    def client(self, actor: str) -> Api:
        return self.clients[actor]

    def fill(self, route: Route) -> tuple[str, dict[str, Found]]:
        found = {name: self.find(route, name) for name in route.ids}
        return route.rule.build({k: v.value for k, v in found.items()}, append_unknown=False)[
            1
        ], found

    def find(self, route: Route, name: str) -> Found:
        if name in PERSON_IDS:
            return Found(self.users["A"].id, "A")
        with self.app.app_context():
            if name == "questionnaire_id" and "restart" in route.rule.rule:
                return Found(_psfs_id(), "builtin")  # the one with activities to restart
            for table in candidate_tables(route, name):
                for owner in ("A", "P"):
                    value = _row_about(table, self.users[owner].id)
                    if value is not None:
                        return Found(value, owner)
                value = _builtin_row(table)
                if value is not None:
                    return Found(value, "builtin")
        raise LookupError(
            f"{route}: no row of A, P or built-in content fills <{name}>; "
            "make one in tests/reliability/world.py"
        )


def _psfs_id() -> uuid.UUID:
    from backend.outcomes.models import Questionnaire

    ident = db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == "psfs"))
    assert ident is not None, "the built-in questionnaires are loaded"
    return ident


def candidate_tables(route: Route, name: str) -> list[Table]:
    """Tables an id called `name` may point into, most likely first."""
    base = name.removesuffix("_id")
    segments = [s for s in route.rule.rule.split("/") if s and not s.startswith("<")]
    wanted = []
    before = route.rule.rule.split("<")[0].strip("/").split("/")
    if len(before) >= 2:
        wanted.append(f"{before[-2]}_{before[-1]}")  # /auth/sessions/<id> → auth_sessions
    wanted += [f"{base}s", base, *segments[::-1]]
    tables = db.metadata.tables
    ordered = [tables[n] for n in dict.fromkeys(wanted) if n in tables]
    ordered += [t for n, t in tables.items() if n.endswith(f"_{base}s") and t not in ordered]
    return ordered


def _row_about(table: Table, user_id: uuid.UUID) -> Any:
    columns = owner_columns(table)
    if not columns or len(table.primary_key.columns) != 1:
        return None
    (key,) = table.primary_key.columns
    return db.session.scalar(
        select(key).where(or_(*(c == user_id for c in columns))).order_by(key).limit(1)
    )


def _builtin_row(table: Table) -> Any:
    """A row no user owns (built-in content), if the table has such rows."""
    if len(table.primary_key.columns) != 1:
        return None
    (key,) = table.primary_key.columns
    columns = owner_columns(table)
    return db.session.scalar(
        select(key).where(and_(*(c.is_(None) for c in columns))).order_by(key).limit(1)
    )


def build_world(app: Flask, make_user: Any) -> World:
    users = {
        "A": make_user(role="runner", display_name=f"A {MARKER}"),
        "B": make_user(role="runner"),
        "P": make_user(role="practitioner"),
        "Q": make_user(role="practitioner"),
        "R": make_user(role="practitioner"),
    }
    world = World(app, users)
    _load_builtin_content(app)
    world.clients["anonymous"] = Api(app.test_client())
    for actor in ("A", "B", "P", "Q", "R"):
        world.clients[actor] = Api(app.test_client()).login(users[actor])
    link(app, users["A"].id, users["R"].id)
    unlink(app, users["A"].id)
    link(app, users["A"].id, users["P"].id)
    a, p = world.client("A"), world.client("P")
    _must(a.post("/api/v1/runs", run_body(notes=MARKER)))
    _must(a.post("/api/v1/runs", run_body(red_flags=["sharp_pain"], notes=MARKER)))
    _must(world.client("B").post("/api/v1/runs", run_body(notes="B's own run")))
    _optional_content(world, a, p)
    return world


def _load_builtin_content(app: Flask) -> None:
    try:
        from backend.routines.content import load_builtin
    except ImportError:  # the routines feature is not merged
        return
    with app.app_context():
        load_builtin()
        db.session.remove()
    try:
        from backend.outcomes.content import load_questionnaires
    except ImportError:  # the outcomes feature is not merged
        return
    with app.app_context():
        load_questionnaires()
        db.session.remove()


def _optional_content(world: World, a: Api, p: Api) -> None:
    """Make the objects of features that may or may not be merged yet."""
    rules = {r.rule for r in world.app.url_map.iter_rules()}
    client_id = world.users["A"].id
    today = datetime.now(UTC).date().isoformat()
    if "/api/v1/clients/<uuid:client_id>/notes" in rules:
        _must(p.post(f"/api/v1/clients/{client_id}/notes", {"body": f"note {MARKER}"}))
    if "/api/v1/clients/<uuid:client_id>/assignments" in rules:
        routines = p.get("/api/v1/routines").get_json()["items"]
        body = {"routine_id": routines[0]["id"], "weekdays": [0, 2, 4], "starts_on": today}
        _must(p.post(f"/api/v1/clients/{client_id}/assignments", body))
    if "/api/v1/sessions" in rules:
        routines = a.get("/api/v1/routines").get_json()["items"]
        body = {
            "id": str(uuid.uuid4()),
            "routine_id": routines[0]["id"],
            "completed_at": datetime.now(UTC).isoformat(),
        }
        _must(a.post("/api/v1/sessions", body))
    if "/api/v1/questionnaire-responses" in rules:
        psfs = next(
            q for q in a.get("/api/v1/questionnaires").get_json()["items"] if q["slug"] == "psfs"
        )
        body = {
            "id": str(uuid.uuid4()),
            "questionnaire_id": psfs["id"],
            "answered_at": datetime.now(UTC).isoformat(),
            "activities": [{"name": f"{n} {MARKER}", "rating": 4} for n in ("run", "hills", "sit")],
        }
        _must(a.post("/api/v1/questionnaire-responses", body))
    if "/api/v1/me/push-subscriptions" in rules:
        from tests.notifications.conftest import subscription

        _must(a.post("/api/v1/me/push-subscriptions", subscription()))
        _must(p.post("/api/v1/me/push-subscriptions", subscription("https://push.example.test/p")))
        for api in (a, p):
            assert api.post("/api/v1/me/notifications/test").status_code == 202
    if "/api/v1/clients/<uuid:client_id>/messages" in rules:
        # One message about A, a routine suggestion from P: it fills every message id
        # (read receipts on both sides, and A's accept).
        routines = p.get("/api/v1/routines").get_json()["items"]
        body = {
            "body": f"Try this {MARKER}",
            "suggestion": {"routine_id": routines[0]["id"], "weekdays": [1, 3]},
        }
        _must(p.post(f"/api/v1/clients/{client_id}/messages", body))
    if "/api/v1/imports" in rules:
        import io

        from tests.imports.files import Route, gpx

        upload = {"files": [(io.BytesIO(gpx(Route())), "run.gpx")]}
        response = a.post("/api/v1/imports", data=upload, content_type="multipart/form-data")
        assert response.status_code == 202, response.get_json()


def _must(response: Any) -> Any:
    assert response.status_code in (200, 201), response.get_json()
    return response


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refused request changed nothing."""
    with app.app_context():
        try:
            return {
                table.name: [
                    tuple(row)
                    for row in db.session.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in db.metadata.sorted_tables
            }
        finally:
            db.session.remove()
