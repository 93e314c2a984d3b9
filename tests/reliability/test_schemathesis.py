"""Schemathesis against the app's own OpenAPI document, signed in as each role.

Valid and invalid requests are generated for every operation; every check is on. A 5xx,
a response that breaks its schema, or invalid input accepted fails the test. Generated
strings may hold NUL; a third pass takes valid requests and puts NUL or a lone surrogate
into every string of the body and query, which must be refused without a server error.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import load_all_checks
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.reliability.figures import figures
from tests.reliability.world import World, build_world
from tests.support import Api

EXAMPLES = 4  # per operation, mode and role: the four runs take about 20 s
# Valid data may still meet a rule of the current state (a taken email: 409) or one no
# schema can state (a common password, an unknown time zone or invite code: 422).
# Entries pick operations by name ("METHOD /path"): separate include keys in one entry are
# alternatives, so a path regex and a method regex together would widen it, not narrow it.
CONFIG = """
[generation]
allow-x00 = true

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409"]

[[operations]]
include-path-regex = "^/api/v1/(auth/register|auth/password|me|me/practitioner|me/two-step.*)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Content and plans refer to other objects by id; an unknown one is refused with 422.
[[operations]]
include-name-regex = "^POST /api/v1/(exercises|routines|sessions|clients/[^/]+/assignments)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# So does a message's run, session or suggested routine (and a message of spaces only).
[[operations]]
include-name-regex = "^POST /api/v1/(clients/[^/]+/messages|me/messages)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A run must be one a person could do: its pace (distance and time together) and a start
# at most a day ahead, rules across fields that no schema can state.
[[operations]]
include-name-regex = "^POST /api/v1/runs$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A questionnaire's items have scales of their own, which one schema cannot state (422).
[[operations]]
include-name-regex = "^POST /api/v1/questionnaire-responses$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# An empty patch is refused (422) before the object is looked up.
[[operations]]
include-name-regex = "^PATCH "
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A list's `cursor` is opaque: any string fits the schema, but one the server never issued
# is refused with 422 on that field.
[[operations]]
include-name-regex = "^GET ({lists})$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]

# A push subscription's keys must be a point on P-256 and a 16-byte secret, and its
# endpoint an https URL: rules a string schema cannot state.
[[operations]]
include-name-regex = "^POST /api/v1/me/push-subscriptions$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Progress dates must fall in 2000-2100, a range OpenAPI cannot state for a date.
[[operations]]
include-name-regex = "^GET /api/v1/(clients/[^/]+/)?progress$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]
"""
# Operations that end the caller's session or account; checked elsewhere, not fuzzed.
SIGNING_OUT = {("POST", "/api/v1/auth/logout")}
# Valid requests with text no database can store put into them (JSON escapes carry both).
UNSTORABLE = "unstorable"
_BAD_TEXT = ("\x00", "\ud800")


def _spoil(value: Any, n: int) -> Any:
    """`value` with NUL or a lone surrogate in every string it holds."""
    if isinstance(value, str):
        return value + _BAD_TEXT[n % 2]
    if isinstance(value, dict):
        return {k: _spoil(v, n) for k, v in value.items()}
    if isinstance(value, list):
        return [_spoil(v, n) for v in value]
    return value


# File uploads (multipart with a list of files): the WSGI transport cannot build such a
# body from generated data, so these are covered by their own tests (tests/imports).
UPLOADS = {("POST", "/api/v1/imports")}


def _has_input(operation: Any) -> bool:
    """Whether the operation takes a query or a body that could be invalid."""
    query = [p for p in operation.iter_parameters() if p.location.name.lower() == "query"]
    return bool(query) or bool(operation.body)


def _lists(app: Any) -> list[str]:
    """Paths whose GET takes a cursor, as regexes."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    found = []
    for path, operations in spec["paths"].items():
        query = operations.get("get", {}).get("parameters", [])
        if any(p["in"] == "query" and p["name"] == "cursor" for p in query):
            found.append(re.sub(r"\{[^}]+\}", "[^/]+", re.escape(path).replace("\\", "")))
    assert found, "no list takes a cursor"
    return found


def _operations(app: Any, negative_only: bool = False) -> list[Any]:
    config = schemathesis.Config.from_str(CONFIG.replace("{lists}", "|".join(_lists(app))))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SIGNING_OUT | UPLOADS:
            continue
        if negative_only and not _has_input(operation):
            continue  # nothing to send means nothing can be invalid
        found.append(operation)
    return found


def _path_names(operation: Any) -> set[str]:
    return {p.name for p in operation.iter_parameters() if p.location.name == "PATH"}


def _real_ids(world: World, actor: str) -> dict[str, str]:
    """A real object for every kind of id in a path, as this caller would name it."""
    runner, practitioner = world.client("A"), world.client("P")
    client_id = world.users["A"].id

    def first(api: Api, path: str) -> str:
        return str(api.get(path).get_json()["items"][0]["id"])

    return {
        "session_id": first(world.client(actor), "/api/v1/auth/sessions"),
        "run_id": first(runner, "/api/v1/runs"),
        "exercise_id": first(practitioner, "/api/v1/exercises"),
        "routine_id": first(practitioner, "/api/v1/routines"),
        "client_id": str(client_id),
        "assignment_id": first(practitioner, f"/api/v1/clients/{client_id}/assignments"),
        "alert_id": first(practitioner, "/api/v1/alerts"),
        # No passkey in this world (P would then need a second step to sign back in); the
        # password is checked before the lookup, and the fuzzer never knows it.
        "passkey_id": str(uuid.uuid4()),
        # Runner A's private calendar address (the token is the path's only credential).
        "feed_token": runner.post("/api/v1/me/calendar-feed")
        .get_json()["url"]
        .rsplit("/", 1)[1]
        .removesuffix(".ics"),
        **_notification_ids(world, actor),
        **_import_id(world),
        **_message_id(world),
        **_questionnaire_id(world),
    }


def _questionnaire_id(world: World) -> dict[str, str]:
    """A built-in questionnaire (the restart routes name one; the PSFS when it is there)."""
    items = world.client("A").get("/api/v1/questionnaires").get_json()["items"]
    psfs = [q for q in items if q.get("format") == "activities"] or items
    return {"questionnaire_id": str(psfs[0]["id"])}


def _message_id(world: World) -> dict[str, str]:
    """The message the world has between A and P (P's routine suggestion)."""
    if "/api/v1/me/messages" not in {r.rule for r in world.app.url_map.iter_rules()}:
        return {}
    items = world.client("A").get("/api/v1/me/messages").get_json()["items"]
    return {"message_id": str(items[0]["id"])}


def _notification_ids(world: World, actor: str) -> dict[str, str]:
    """The caller's own notification, push subscription and unsubscribe token."""
    if "/api/v1/me/notifications" not in {r.rule for r in world.app.url_map.iter_rules()}:
        return {}
    from sqlalchemy import select

    from backend.extensions import db
    from backend.notifications.email import unsubscribe_token
    from backend.notifications.models import PushSubscription

    user_id = world.users[actor].id
    notification = world.client(actor).get("/api/v1/me/notifications").get_json()["items"][0]
    with world.app.test_request_context():
        subscription = db.session.scalar(
            select(PushSubscription.id).where(PushSubscription.user_id == user_id)
        )
        token = unsubscribe_token(user_id, "routine_reminder")
        db.session.remove()
    return {
        "notification_id": str(notification["id"]),
        "subscription_id": str(subscription),
        "token": token,
    }


def _import_id(world: World) -> dict[str, str]:
    """Runner A's import, made by the world when the imports feature is there."""
    try:
        from backend.imports.models import Import
    except ImportError:
        return {}
    from sqlalchemy import select

    from backend.extensions import db

    with world.app.app_context():
        found = db.session.scalar(select(Import.id).where(Import.user_id == world.users["A"].id))
        db.session.remove()
    return {"import_id": str(found)} if found else {}


@pytest.mark.parametrize("role", ["runner", "practitioner"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE, UNSTORABLE])
def test_the_api_keeps_its_contract(app, make_user, role, mode) -> None:
    load_all_checks()
    # Runner A with runs, sessions and an alert; P their practitioner with an assignment.
    world = build_world(app, make_user)
    actor = "A" if role == "runner" else "P"
    api, user = world.client(actor), world.users[actor]
    spoiling = mode == UNSTORABLE
    generate = GenerationMode.POSITIVE if spoiling else mode
    operations = _operations(app, negative_only=mode != GenerationMode.POSITIVE)
    # Ids name real objects, so cases reach the code behind the lookup; unknown and other
    # people's ids are the access matrix's business.
    real_ids = _real_ids(world, actor)
    named = {o: _path_names(o) for o in operations}
    missing = set().union(*named.values()) - set(real_ids)
    assert not missing, f"give these ids a real object in _real_ids: {missing}"
    tried = 0
    for operation in operations:
        fixed = {name: real_ids[name] for name in named[operation]}

        @given(case=operation.as_strategy(generation_mode=generate, path_parameters=fixed))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same cases on every CI run
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            nonlocal tried
            tried += 1
            # The WSGI transport does not decompress, so ask for plain bodies.
            headers = {"X-CSRFToken": api.csrf(), "Accept-Encoding": "identity"}
            excluded = []
            if spoiling:
                case.body = _spoil(case.body, tried)
                # A URL has no bytes for a lone surrogate: the query gets NUL only.
                case.query = _spoil(case.query, 0)
                excluded = [positive_data_acceptance]  # it was valid; now it must not be
            response = case.call(session=api.client, headers=headers)
            assert response.status_code < 500 or response.status_code == 503, (
                f"{case.method} {case.formatted_path}: {response.status_code}"
            )
            case.validate_response(response, excluded_checks=excluded)
            if response.status_code == 401:
                # Only a wrong password may end up here; sign back in for the next case.
                api.login(user)

        try:
            check()
        except Unsatisfiable:
            # Nothing invalid fits (a UUID path parameter only): no negative case exists.
            assert mode != GenerationMode.POSITIVE, operation.label
    figures.add("cases", tried)
    if mode != GenerationMode.POSITIVE:
        figures.add("bad_inputs", tried)
    label = mode if isinstance(mode, str) else mode.value
    print(f"schemathesis: {tried} cases as {role} ({label}) over {len(operations)} operations")
    assert tried >= len(operations)


def test_the_generator_sees_every_documented_operation(app) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    methods = {"get", "post", "put", "patch", "delete"}
    documented = sum(len(methods & set(ops)) for ops in spec["paths"].values())
    assert len(_operations(app)) == documented - len(SIGNING_OUT) - len(UPLOADS)
