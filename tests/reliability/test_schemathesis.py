"""Schemathesis against the app's own OpenAPI document, signed in as each role.

Valid and invalid requests are generated for every operation; every check is on. A 5xx,
a response that breaks its schema, or invalid input accepted fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import load_all_checks
from schemathesis.core.result import Ok

from tests.reliability.figures import figures
from tests.support import Api, run_body

EXAMPLES = 6  # per operation, mode and role: keeps the whole run well under a minute
# Valid data may still meet a rule of the current state (a taken email: 409) or one no
# schema can state (a common password, an unknown time zone or invite code: 422).
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409"]

[[operations]]
include-path-regex = "^/api/v1/(auth/register|auth/password|me)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Content and plans refer to other objects by id; an unknown one is refused with 422.
[[operations]]
include-path-regex = "^/api/v1/(exercises|routines|sessions|clients/.*/assignments)$"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# An empty patch is refused (422) before the object is looked up.
[[operations]]
include-method = "PATCH"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A list's `cursor` is opaque: one the server never issued is refused with 400.
[[operations]]
include-method = "GET"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]
"""
# Operations that end the caller's session or account; checked elsewhere, not fuzzed.
SIGNING_OUT = {("POST", "/api/v1/auth/logout")}


def _has_input(operation: Any) -> bool:
    """Whether the operation takes a query or a body that could be invalid."""
    query = [p for p in operation.iter_parameters() if p.location.name.lower() == "query"]
    return bool(query) or bool(operation.body)


def _operations(app: Any, negative_only: bool = False) -> list[Any]:
    config = schemathesis.Config.from_str(CONFIG)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SIGNING_OUT:
            continue
        if negative_only and not _has_input(operation):
            continue  # nothing to send means nothing can be invalid
        found.append(operation)
    return found


def _real_ids(api: Api, role: str) -> dict[str, str]:
    """An object of this user for each kind of id in a path."""
    ids = {"session_id": api.get("/api/v1/auth/sessions").get_json()["items"][0]["id"]}
    if role == "runner":
        ids["run_id"] = api.post("/api/v1/runs", run_body()).get_json()["id"]
    return ids


@pytest.mark.parametrize("role", ["runner", "practitioner"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_contract(app, make_user, role, mode) -> None:
    load_all_checks()
    user = make_user(role=role)
    api = Api(app.test_client()).login(user)
    operations = _operations(app, negative_only=mode == GenerationMode.NEGATIVE)
    real_ids = _real_ids(api, role)
    tried = 0
    for operation in operations:
        # Invalid input goes to a real object: an invalid id would only ever be a 404.
        fixed = {"path_parameters": real_ids} if mode == GenerationMode.NEGATIVE else {}

        @given(case=operation.as_strategy(generation_mode=mode, **fixed))
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
            response = case.call(session=api.client, headers=headers)
            assert response.status_code < 500 or response.status_code == 503, (
                f"{case.method} {case.formatted_path}: {response.status_code}"
            )
            case.validate_response(response)
            if response.status_code == 401:
                # Only a wrong password may end up here; sign back in for the next case.
                api.login(user)

        try:
            check()
        except Unsatisfiable:
            # Nothing invalid fits (a UUID path parameter only): no negative case exists.
            assert mode == GenerationMode.NEGATIVE, operation.label
    figures.add("cases", tried)
    if mode == GenerationMode.NEGATIVE:
        figures.add("bad_inputs", tried)
    print(f"schemathesis: {tried} cases as {role} ({mode.value}) over {len(operations)} operations")
    assert tried >= len(operations)


def test_the_generator_sees_every_documented_operation(app) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    methods = {"get", "post", "put", "patch", "delete"}
    documented = sum(len(methods & set(ops)) for ops in spec["paths"].values())
    assert len(_operations(app)) == documented - len(SIGNING_OUT)
