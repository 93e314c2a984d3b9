"""Adherence from the database: plans from assignments or the starter programme."""

from datetime import UTC, date, datetime, timedelta

import pytest

from backend.extensions import db
from backend.routines.plan.service import adherence_for, adherence_for_many, sessions_by_day
from tests.routines.conftest import LONG_AGO

MONDAY = date(2026, 11, 16)
SUNDAY = MONDAY + timedelta(days=6)


@pytest.fixture
def in_app(app):
    def run(fn):
        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return run


def log(api, routine_id, when):
    body = {"routine_id": str(routine_id), "completed_at": when.isoformat()}
    assert api.post("/api/v1/sessions", body).status_code == 201


def three_days_a_week(practitioner_api, client_runner, login, builtin):
    """Core stability assigned Monday, Wednesday and Friday from 2 November; the routine's
    id and the client's signed-in API."""
    core = builtin["routines"]["core-stability"]
    body = {"routine_id": str(core), "weekdays": [0, 2, 4], "starts_on": "2026-11-02"}
    url = f"/api/v1/clients/{client_runner.id}/assignments"
    assert practitioner_api.post(url, body).status_code == 201
    return core, login(client_runner)


def at(day, hour=8):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class TestAdherenceFor:
    def test_it_counts_a_weekly_schedule(
        self, practitioner_api, client_runner, login, builtin, in_app
    ):
        core, api = three_days_a_week(practitioner_api, client_runner, login, builtin)
        for day in (
            date(2026, 11, 9),
            date(2026, 11, 11),
            date(2026, 11, 13),
            MONDAY,
            MONDAY + timedelta(2),
        ):
            log(api, core, at(day))
        log(api, builtin["routines"]["hip-circles"], at(MONDAY + timedelta(4)))  # not planned
        result = in_app(lambda: adherence_for(client_runner.id, MONDAY, SUNDAY, SUNDAY))
        assert result == {"planned": 3, "done": 2, "rate": 0.667, "streak_days": 0}
        # On Wednesday the streak ran back over five scheduled days, to the missed 6 November.
        wed = MONDAY + timedelta(2)
        result = in_app(lambda: adherence_for(client_runner.id, MONDAY, wed, wed))
        assert result == {"planned": 2, "done": 2, "rate": 1.0, "streak_days": 5}

    def test_the_starter_programme_is_planned_without_assignments(
        self, make_user, login, builtin, in_app
    ):
        runner = make_user(role="runner", created_at=LONG_AGO)
        api = login(runner)
        starters = ["coregous-ball-breathing", "low-back-release", "hip-circles"]
        for offset in range(3):
            for slug in starters:
                log(api, builtin["routines"][slug], at(MONDAY + timedelta(offset)))
        tue = MONDAY + timedelta(1)
        result = in_app(lambda: adherence_for(runner.id, MONDAY, tue, MONDAY + timedelta(2)))
        assert result == {"planned": 6, "done": 6, "rate": 1.0, "streak_days": 3}

    def test_without_the_streak_it_reads_the_range_only(
        self, practitioner_api, client_runner, login, builtin, in_app
    ):
        core, api = three_days_a_week(practitioner_api, client_runner, login, builtin)
        for day in (date(2026, 11, 9), date(2026, 11, 11), date(2026, 11, 13), MONDAY):
            log(api, core, at(day))
        wed = MONDAY + timedelta(2)

        def both(**kw):
            return adherence_for_many([client_runner.id], MONDAY, wed, wed, **kw)

        full = in_app(lambda: both())[client_runner.id]
        short = in_app(lambda: both(with_streak=False))[client_runner.id]
        # The same planned and done counts; the streak stops at the range's first day.
        assert full == {"planned": 2, "done": 1, "rate": 0.5, "streak_days": 4}
        assert short == {"planned": 2, "done": 1, "rate": 0.5, "streak_days": 1}

    def test_days_before_sign_up_are_not_planned(self, make_user, builtin, in_app):
        runner = make_user(role="runner", created_at=at(SUNDAY, 12))
        result = in_app(lambda: adherence_for(runner.id, MONDAY, SUNDAY, SUNDAY))
        assert (result["planned"], result["done"]) == (3, 0)

    def test_it_uses_a_constant_number_of_queries(
        self, make_user, login, builtin, in_app, count_queries
    ):
        runners = [make_user(role="runner", created_at=LONG_AGO) for _ in range(6)]
        for runner in runners:
            log(login(runner), builtin["routines"]["hip-circles"], at(MONDAY))

        def measure(ids):
            return count_queries(lambda: in_app(lambda: adherence_for_many(ids, MONDAY, SUNDAY)))

        one, first = measure([runners[0].id])
        many, results = measure([r.id for r in runners])
        assert one == many
        assert len(results) == len(runners)
        assert first[runners[0].id]["done"] == 1


class TestSessionsByDay:
    def test_it_groups_routines_by_local_day(self, make_user, login, builtin, in_app):
        runner = make_user(role="runner", timezone="Pacific/Auckland")
        api = login(runner)
        hips, core = builtin["routines"]["hip-circles"], builtin["routines"]["core-stability"]
        log(api, hips, datetime(2026, 11, 20, 20, tzinfo=UTC))  # 21 Nov in Auckland
        log(api, hips, datetime(2026, 11, 21, 1, tzinfo=UTC))
        log(api, core, datetime(2026, 11, 21, 2, tzinfo=UTC))
        result = in_app(lambda: sessions_by_day(runner.id, MONDAY, SUNDAY))
        assert result == {date(2026, 11, 21): {hips, core}}
