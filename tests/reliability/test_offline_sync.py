"""Offline sync as a state machine: a phone's outbox replays writes in any order, any
number of times, while the runner edits, deletes and grants or revokes consent.

Invariants: every acknowledged run is stored once with its latest acknowledged content;
a replay never doubles a row or brings back a deleted run; the practitioner sees the
runner's data only while the runner consents.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, select

from backend.extensions import db
from backend.runs.models import Run
from tests.privacy.helpers import link, unlink
from tests.reliability.figures import figures
from tests.support import Api, run_body


class OfflineSync(RuleBasedStateMachine):
    app: Any
    runner: Any
    practitioner: Any
    phone: Api
    coach: Api

    writes = Bundle("writes")

    def __init__(self) -> None:
        super().__init__()
        _sql(self.app, _clear_runs_and_consent)  # each example starts from nothing
        # What the server holds, by id → stiffness, as far as the phone can know it.
        self.stored: dict[str, int] = {}
        # The ids the phone got a 2xx for: these must never be lost.
        self.acknowledged: set[str] = set()
        self.deleted: set[str] = set()
        self.consents = False
        self.checks = 0

    @rule(target=writes, stiffness=st.integers(0, 10))
    def log_offline(self, stiffness: int) -> dict[str, Any]:
        """A run goes into the outbox with a client-made id; nothing is sent yet."""
        return run_body(id=str(uuid.uuid4()), stiffness=stiffness)

    @rule(body=writes, response_lost=st.booleans())
    def send(self, body: dict[str, Any], response_lost: bool) -> None:
        """Send or replay a queued create; the response may never reach the phone."""
        # Once a delete is acknowledged the outbox drops the create it superseded.
        assume(body["id"] not in self.deleted)
        response = self.phone.post("/api/v1/runs", body)
        first = body["id"] not in self.stored
        assert response.status_code == (201 if first else 200), response.get_json()
        if first:
            self.stored[body["id"]] = body["stiffness"]
        # A replay after an edit answers with the edited run, never the old content.
        assert response.get_json()["stiffness"] == self.stored[body["id"]]
        if not response_lost:
            self.acknowledged.add(body["id"])

    @rule(body=writes, stiffness=st.integers(0, 10))
    def edit(self, body: dict[str, Any], stiffness: int) -> None:
        response = self.phone.patch(f"/api/v1/runs/{body['id']}", {"stiffness": stiffness})
        if body["id"] in self.stored:
            assert response.status_code == 200, response.get_json()
            self.stored[body["id"]] = stiffness
        else:
            assert response.status_code == 404

    @rule(body=writes)
    def remove(self, body: dict[str, Any]) -> None:
        response = self.phone.delete(f"/api/v1/runs/{body['id']}")
        if body["id"] in self.stored:
            assert response.status_code == 204
            del self.stored[body["id"]]
            self.acknowledged.discard(body["id"])
            self.deleted.add(body["id"])
        else:
            assert response.status_code == 404

    @rule()
    def grant(self) -> None:
        if not self.consents:
            link(self.app, self.runner.id, self.practitioner.id)
            self.consents = True

    @rule()
    def revoke(self) -> None:
        if self.consents:
            unlink(self.app, self.runner.id)
            self.consents = False

    @invariant()
    def stored_runs_match_what_was_acknowledged(self) -> None:
        def stored(session: Any) -> list[tuple[str, int]]:
            rows = session.execute(
                select(Run.id, Run.stiffness).where(Run.user_id == self.runner.id)
            )
            return [(str(i), s) for i, s in rows]

        rows = _sql(self.app, stored)
        ids = [i for i, _ in rows]
        duplicates = len(ids) - len(set(ids))
        lost = [i for i in self.acknowledged if i not in ids]
        changed = [i for i, s in rows if i in self.stored and self.stored[i] != s]
        figures.add("duplicates", duplicates)
        figures.add("rows_lost", len(lost) + len(changed))
        assert duplicates == 0 and lost == [] and changed == []
        assert set(ids) == set(self.stored)

    @invariant()
    def the_practitioner_sees_data_only_with_consent(self) -> None:
        paths = [
            r.rule.replace("<uuid:client_id>", str(self.runner.id))
            for r in self.app.url_map.iter_rules()
            if r.rule.startswith("/api/v1/clients/<uuid:client_id>") and "GET" in r.methods
        ]
        if not paths:  # before the client routes exist, ask the consent check itself
            self._check_consent_in_service()
            return
        # The client's runs after every step; the other client views take turns, so each
        # is asked many times per example without multiplying the requests.
        runs = f"/api/v1/clients/{self.runner.id}/runs"
        others = sorted(p for p in paths if p != runs)
        self.checks += 1
        for path in (runs, others[self.checks % len(others)]):
            response = self.coach.get(path)
            if self.consents:
                assert response.status_code == 200, (path, response.get_json())
            else:
                assert response.status_code == 404, (path, response.status_code)
                assert str(self.runner.id) not in response.get_data(as_text=True)

    def _check_consent_in_service(self) -> None:
        from backend.consent import consenting_client
        from backend.errors import NotFound

        def seen(session: Any) -> bool:
            try:
                consenting_client(self.practitioner.id, self.runner.id)
            except NotFound:
                return False
            return True

        assert _sql(self.app, seen) == self.consents


def _sql(app: Any, fn: Any) -> Any:
    with app.app_context():
        try:
            return fn(db.session)
        finally:
            db.session.remove()


@pytest.fixture
def machine(app, make_user, practitioner) -> Any:
    runner = make_user(role="runner")
    OfflineSync.app = app
    OfflineSync.runner = runner
    OfflineSync.practitioner = practitioner
    OfflineSync.phone = Api(app.test_client()).login(runner)
    OfflineSync.coach = Api(app.test_client()).login(practitioner)
    return OfflineSync


class TestOfflineSync:
    def test_it_keeps_every_acknowledged_run_once_and_shares_only_with_consent(
        self, machine
    ) -> None:
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=40,
                stateful_step_count=25,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            ),
        )


def _clear_runs_and_consent(session: Any) -> None:
    from backend.practice.models import Consent

    session.execute(delete(Run))
    session.execute(delete(Consent))
    session.commit()
