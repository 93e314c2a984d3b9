"""Every route with an id, every method, six callers: only the allowed cells succeed.

The cells come from `app.url_map`; ids are filled with real objects of runner A (see
world.py). A refused cell must answer 401/403/404 with a bare error envelope, leak none
of A's data, and leave every table as it was.
"""

from __future__ import annotations

from typing import Any

import pytest

from backend import create_app
from backend.access import rule_for
from tests.mfa.support import add_passkey_row
from tests.reliability.routes import Route, routes_with_ids, view_of
from tests.reliability.world import ACTORS, MARKER, World, build_world, snapshot
from tests.support import PASSWORD

_APP = create_app({"LIMBER_ENV": "testing"})  # only read for its url_map
ROUTES = routes_with_ids(_APP)
ROLE = {"A": "runner", "B": "runner", "P": "practitioner", "Q": "practitioner"}
ROLE["R"] = "practitioner"


# Routes whose built-in object is only named, never changed: the write is to the caller's
# (or their client's) own data about it, like starting a fresh set of PSFS activities.
USES_BUILTIN = {
    "/api/v1/me/questionnaires/<uuid:questionnaire_id>/restart",
    "/api/v1/clients/<uuid:client_id>/questionnaires/<uuid:questionnaire_id>/restart",
}


def allowed(actor: str, rule: str, method: str, owners: set[str], path: str = "") -> bool:
    """Who may use a route on objects owned by A, by A's practitioner P, or built in."""
    if rule == "public":
        return True
    if rule == "second_step":
        return False  # nobody in the world is halfway through signing in
    if actor == "anonymous":
        return False
    role = ROLE[actor]
    if rule in ("runner", "practitioner") and rule != role:
        return False
    for owner in owners:
        if owner == "A" and not (
            (actor == "A" and rule in ("user", "runner"))
            or (actor == "P" and rule == "practitioner")
        ):
            return False
        if owner == "P" and not (
            (actor == "P" and rule in ("user", "practitioner"))
            or (actor == "A" and rule in ("user", "runner") and method == "GET")
        ):
            return False
        if owner == "builtin" and method != "GET" and path not in USES_BUILTIN:
            return False
    return True


def expected_refusal(actor: str, rule: str, owners: set[str], path: str = "") -> int:
    if actor == "anonymous":
        return 401
    if rule in ("runner", "practitioner") and rule != ROLE[actor]:
        return 403
    if owners == {"builtin"} and path not in USES_BUILTIN:
        return 403  # everyone can see built-in content; no one may change it
    return 404


def example_body(world: World, route: Route, spec: dict[str, Any]) -> Any:
    """The smallest valid body the OpenAPI spec allows, ids filled from the world."""
    path = route.rule.rule
    for name in route.rule.arguments:
        path = path.replace(f"<uuid:{name}>", f"{{{name}}}").replace(f"<{name}>", f"{{{name}}}")
    operation = spec["paths"].get(path, {}).get(route.method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    return _example(world, route, spec, content["schema"], "")


def _example(world: World, route: Route, spec: dict[str, Any], schema: dict, name: str) -> Any:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        # A patch needs something to change: then send the first field.
        keys = schema.get("required") or list(props)[:1]
        return {key: _example(world, route, spec, props[key], key) for key in keys}
    if kind == "array":
        item = _example(world, route, spec, schema.get("items", {}), name)
        return [item] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if name == "password":
        return PASSWORD  # every test account has it: a refusal must not come from a typo
    fmt = schema.get("format")
    if fmt == "uuid":
        return str(world.find(route, name).value)
    if fmt == "date":
        return "2026-01-05"
    if fmt == "date-time":
        return "2026-01-05T07:00:00+00:00"
    return "matrix check"


@pytest.fixture
def world(app, make_user) -> World:
    world = build_world(app, make_user)
    add_passkey_row(app, world.users["P"].id)
    return world


@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:
    return app.test_client().get("/api/v1/openapi.json").get_json()


CELLS = [(route, actor) for route in ROUTES for actor in ACTORS]


@pytest.mark.matrix_cell
@pytest.mark.parametrize(("route", "actor"), CELLS, ids=[f"{r} as {a}" for r, a in CELLS])
def test_access_matrix_cell(app, world, spec, route: Route, actor: str) -> None:
    rule = rule_for(view_of(app, route), route.method)
    assert rule is not None
    path, found = world.fill(route)
    owners = {f.owner for f in found.values()}
    body = example_body(world, route, spec)
    client = world.client(actor)
    before = snapshot(app)
    if route.method == "GET":
        response = client.get(path)
    else:
        response = client._unsafe(route.method, path, body)
    text = response.get_data(as_text=True)
    if allowed(actor, rule, route.method, owners, route.rule.rule):
        assert 200 <= response.status_code < 300, (response.status_code, text[:300])
        return
    assert response.status_code == expected_refusal(actor, rule, owners, route.rule.rule), (
        response.status_code,
        text,
    )
    assert set(response.get_json()) <= {"code", "status", "message", "errors", "request_id"}
    assert MARKER not in text and world.users["A"].email not in text
    for value in found.values():
        if value.owner == "A":
            assert str(value.value) not in text
    assert snapshot(app) == before


def test_the_matrix_covers_every_route_with_an_id(app):
    # The cells were generated from a separate app; it must have the same routes.
    assert {str(r) for r in routes_with_ids(app)} == {str(r) for r in ROUTES}
    assert len(CELLS) == len(ROUTES) * len(ACTORS) > 0


# The export has no id in its path, so the generated cells above miss it. Only A and A's
# current practitioner P may find anything of A in theirs; R, whom A once consented to,
# must find nothing (the consent rule holds in exports too).
EXPORT_SEES_A = {"A", "P"}


@pytest.mark.matrix_cell
@pytest.mark.parametrize("actor", ACTORS)
def test_export_matrix_cell(world, actor: str) -> None:
    response = world.client(actor).get("/api/v1/me/export")
    text = response.get_data(as_text=True)
    if actor == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200, text[:300]
    a = world.users["A"]
    if actor in EXPORT_SEES_A:
        assert str(a.id) in text
    else:
        assert str(a.id) not in text and MARKER not in text and a.email not in text
