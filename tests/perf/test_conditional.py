"""Conditional GETs: 304 while nothing a screen shows has changed, 200 after any write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backend.extensions import db
from bench.sqlcount import ServerStatements
from tests.practice.support import link
from tests.support import run_body

RUNNER_SCREENS = ["/api/v1/today", "/api/v1/progress", "/api/v1/runs?limit=20"]


def _tagged(api: Any, path: str) -> str:
    response = api.get(path)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "private, no-cache"
    return str(response.headers["ETag"])


def _revalidate(api: Any, path: str, tag: str) -> Any:
    return api.get(path, headers={"If-None-Match": tag})


def _recent_run(**overrides: Any) -> dict[str, Any]:
    started = datetime.now(UTC) - timedelta(hours=2)
    return run_body(started_at=started.isoformat(), **overrides)


@pytest.mark.parametrize("path", RUNNER_SCREENS)
def test_an_unchanged_screen_is_not_modified(runner_api: Any, path: str) -> None:
    runner_api.post("/api/v1/runs", _recent_run())
    tag = _tagged(runner_api, path)
    response = _revalidate(runner_api, path, tag)
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == tag
    # A compressor's suffix on the tag still names the same content.
    assert _revalidate(runner_api, path, tag[:-1] + ':gzip"').status_code == 304


@pytest.mark.parametrize("path", RUNNER_SCREENS)
def test_a_repeat_view_costs_one_lookup(app: Any, runner_api: Any, path: str) -> None:
    tag = _tagged(runner_api, path)
    with app.app_context():
        counter = ServerStatements(db.engine)
    with counter:
        assert _revalidate(runner_api, path, tag).status_code == 304
    # The session and its user, by the token's index (inside BEGIN ... ROLLBACK on a server).
    assert len(counter.work) == 1, counter.statements
    assert counter.count <= 3, counter.statements


WRITES = {
    "a new run": lambda api, ids: api.post("/api/v1/runs", _recent_run()),
    "an edit": lambda api, ids: api.patch(f"/api/v1/runs/{ids[0]}", {"stiffness": 7}),
    "a morning answer": lambda api, ids: api.put(
        f"/api/v1/runs/{ids[0]}/morning", {"morning_stiffness": 2}
    ),
    "a deletion": lambda api, ids: api.delete(f"/api/v1/runs/{ids[0]}"),
    "a new body weight": lambda api, ids: api.patch("/api/v1/me", {"body_weight_kg": 66}),
    "a new time zone": lambda api, ids: api.patch("/api/v1/me", {"timezone": "Europe/Oslo"}),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("path", RUNNER_SCREENS)
def test_any_write_changes_the_tag(runner_api: Any, path: str, write: str) -> None:
    made = runner_api.post("/api/v1/runs", _recent_run(stiffness=4))
    ids = [made.get_json()["id"]]
    tag = _tagged(runner_api, path)
    done = WRITES[write](runner_api, ids)
    assert done.status_code < 300, done.get_json()
    response = _revalidate(runner_api, path, tag)
    assert response.status_code == 200
    assert response.headers["ETag"] != tag


def test_another_runners_write_leaves_my_tag(runner_api: Any, make_user: Any, app: Any) -> None:
    from tests.support import Api

    other = Api(app.test_client()).login(make_user(role="runner"))
    tag = _tagged(runner_api, "/api/v1/progress")
    other.post("/api/v1/runs", _recent_run())
    assert _revalidate(runner_api, "/api/v1/progress", tag).status_code == 304


def test_the_roster_is_not_modified_until_a_client_writes(
    runner_api: Any, practitioner_api: Any
) -> None:
    link(runner_api, practitioner_api)
    tag = _tagged(practitioner_api, "/api/v1/clients")
    assert _revalidate(practitioner_api, "/api/v1/clients", tag).status_code == 304
    runner_api.post("/api/v1/runs", _recent_run(stiffness=8))
    response = _revalidate(practitioner_api, "/api/v1/clients", tag)
    assert response.status_code == 200
    tag = response.headers["ETag"]
    assert _revalidate(practitioner_api, "/api/v1/clients", tag).status_code == 304
    # The client stops sharing: the roster changes.
    assert runner_api.delete("/api/v1/me/practitioner").status_code in (200, 204)
    assert _revalidate(practitioner_api, "/api/v1/clients", tag).status_code == 200


def test_a_tag_never_serves_another_user(runner_api: Any, make_user: Any, app: Any) -> None:
    from tests.support import Api

    tag = _tagged(runner_api, "/api/v1/runs?limit=20")
    other = Api(app.test_client()).login(make_user(role="runner"))
    assert _revalidate(other, "/api/v1/runs?limit=20", tag).status_code == 200
