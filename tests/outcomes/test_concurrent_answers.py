"""Answers to the same due questionnaire, sent at once from many threads to gunicorn."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from backend.outcomes.models import QuestionnaireResponse
from tests.outcomes.conftest import psfs_body
from tests.reliability.test_concurrency_and_faults import Gunicorn

pytestmark = pytest.mark.slow


@pytest.fixture
def server(app, database_url):
    gunicorn = Gunicorn(database_url)
    yield gunicorn
    gunicorn.stop()


def test_answers_with_other_ids_at_one_instant_store_one_and_the_rest_get_409(
    server, runner, questionnaires, sql
):
    session = server.signed_in(runner.email)
    first = psfs_body(questionnaires["psfs"])
    bodies = [{**first, "id": str(uuid.uuid4())} for _ in range(24)]

    def post(body):
        return session.post(f"{server.url}/api/v1/questionnaire-responses", json=body)

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(post, bodies))
    statuses = sorted(a.status_code for a in answers)
    stored = sql(lambda s: s.scalar(select(func.count()).select_from(QuestionnaireResponse)))
    assert stored == 1
    assert statuses.count(201) == 1, statuses
    assert set(statuses) == {201, 409}, [a.text for a in answers if a.status_code not in (201, 409)]
