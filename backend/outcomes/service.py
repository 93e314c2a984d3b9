"""Questionnaires offered, due and answered; scores and their change over time."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError

from backend.auth.models import User
from backend.consent import consenting_client, current_practitioner, practitioners_of
from backend.db import utcnow
from backend.errors import Conflict, NotFound, field_error
from backend.extensions import db
from backend.idempotency import earlier_copy, fingerprint, insert_once
from backend.outcomes import schedule as rules
from backend.outcomes import scoring
from backend.outcomes.models import (
    FIRST_ROUND,
    OutcomeSchedule,
    Questionnaire,
    QuestionnaireResponse,
    QuestionnaireSeries,
)
from backend.runs.service import local_date_of

# An answer may wait on a phone for a while, but not for ever, and not come from ahead.
MAX_AGE = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=5)


def offered_to(user: User) -> ColumnElement[bool]:
    """Built-in questionnaires, plus the practice's own for its consenting clients."""
    owner = user.id if user.role == "practitioner" else current_practitioner(user.id)
    return or_(Questionnaire.builtin.is_(True), Questionnaire.owner_id == owner)


def _offered(user: User) -> Select[tuple[Questionnaire]]:
    return (
        select(Questionnaire)
        .where(offered_to(user))
        .order_by(Questionnaire.builtin.desc(), Questionnaire.position, Questionnaire.slug)
    )


def list_questionnaires(user: User) -> list[Questionnaire]:
    return list(db.session.scalars(_offered(user)))


# --- schedule ----------------------------------------------------------------------------


def _schedule_row(runner_id: uuid.UUID) -> OutcomeSchedule | None:
    return db.session.get(OutcomeSchedule, runner_id)


def _schedule_values(row: OutcomeSchedule | None) -> tuple[int, datetime | None]:
    if row is None:
        return rules.DEFAULT_INTERVAL_WEEKS, None
    return row.interval_weeks, row.requested_at


History = tuple[dict[uuid.UUID, rules.Last], dict[uuid.UUID, rules.Last]]


def _history(runner_id: uuid.UUID, before: datetime | None = None) -> History:
    """Per questionnaire, the runner's latest and earliest answer, in one statement."""
    r = QuestionnaireResponse
    stmt = select(
        r.questionnaire_id,
        func.max(r.local_date),
        func.max(r.answered_at),
        func.min(r.local_date),
        func.min(r.answered_at),
    ).where(r.runner_id == runner_id)
    if before is not None:
        stmt = stmt.where(r.answered_at < before)
    last, first = {}, {}
    for qid, last_on, last_at, first_on, first_at in db.session.execute(
        stmt.group_by(r.questionnaire_id)
    ):
        last[qid] = rules.Last(last_on, last_at)
        first[qid] = rules.Last(first_on, first_at)
    return last, first


Series = dict[uuid.UUID, tuple[int, datetime | None]]


def _current_series(runner_id: uuid.UUID) -> Series:
    """Per questionnaire restarted at least once: its current activity set and its start.

    Questionnaires missing here are on set 1, which starts with the first answer.
    """
    s = QuestionnaireSeries
    rows = db.session.execute(
        select(s.questionnaire_id, s.number, s.started_at)
        .where(s.runner_id == runner_id)
        .order_by(s.questionnaire_id, s.number)
    )
    return {qid: (number, started_at) for qid, number, started_at in rows}


def _series_of(series: Series, qid: uuid.UUID) -> int:
    return series.get(qid, (1, None))[0]


def _first_activities(
    runner_id: uuid.UUID, ids: Iterable[uuid.UUID], series: Series
) -> dict[uuid.UUID, list[str]]:
    """The activities named in the first answer of the current set, per questionnaire.

    A questionnaire whose current set has no answer yet is missing: its runner names
    the activities afresh.
    """
    ids = list(ids)
    if not ids:
        return {}
    r = QuestionnaireResponse
    rows = db.session.execute(
        select(r.questionnaire_id, r.series, r.answers)
        .where(r.runner_id == runner_id, r.questionnaire_id.in_(ids))
        .order_by(r.questionnaire_id, r.series, r.answered_at.desc(), r.id.desc())
    )
    found: dict[uuid.UUID, list[str]] = {}
    for qid, number, answers in rows:  # the last row of each set is its first answer
        if number == _series_of(series, qid):
            found[qid] = [a["name"] for a in answers]
    return found


def _fresh_sets(
    offered: list[Questionnaire], series: Series, named: dict[uuid.UUID, list[str]]
) -> set[uuid.UUID]:
    """Questionnaires restarted with a set that has no answer yet: due now, as a baseline."""
    return {
        q.id
        for q in offered
        if q.definition["format"] == "activities"
        and _series_of(series, q.id) > 1
        and q.id not in named
    }


def _due_ids(
    offered: list[Questionnaire],
    history: History,
    interval: int,
    requested_at: datetime | None,
    day: date,
    now: datetime,
) -> set[uuid.UUID]:
    kinds = {str(q.id): q.kind for q in offered}
    last, first = ({str(k): v for k, v in h.items()} for h in history)
    due = rules.due_slugs(kinds, last, interval, requested_at, day, now, first)
    return {uuid.UUID(s) for s in due}


def _schedule_out(
    offered: list[Questionnaire],
    last: dict[uuid.UUID, rules.Last],
    row: OutcomeSchedule | None,
    day: date,
) -> dict[str, Any]:
    interval, requested_at = _schedule_values(row)
    kinds = {str(q.id): q.kind for q in offered}
    next_on = rules.next_due_on(kinds, {str(k): v for k, v in last.items()}, interval, day)
    if requested_at is not None and any(
        q.kind == "cycle" and (q.id not in last or last[q.id].at < requested_at) for q in offered
    ):
        next_on = day
    return {"interval_weeks": interval, "requested_at": requested_at, "next_due_on": next_on}


def due(runner: User, day: date | None) -> dict[str, Any]:
    now = utcnow()
    day = day or local_date_of(now, runner.timezone)
    offered = list(db.session.scalars(_offered(runner)))
    row = _schedule_row(runner.id)
    history = _history(runner.id)
    last = history[0]
    interval, requested_at = _schedule_values(row)
    due_ids = _due_ids(offered, history, interval, requested_at, day, now)
    series = _current_series(runner.id)
    activity_ids = [
        q.id for q in offered if q.definition["format"] == "activities" and q.id in last
    ]
    named = _first_activities(runner.id, activity_ids, series)
    due_ids |= _fresh_sets(offered, series, named)
    return {
        "date": day,
        "schedule": _schedule_out(offered, last, row, day),
        "items": [
            {
                "questionnaire": q,
                "named_activities": named.get(q.id),
                "series": _series_of(series, q.id),
            }
            for q in offered
            if q.id in due_ids
        ],
    }


# --- answering ---------------------------------------------------------------------------


def _answer_values(
    q: Questionnaire, data: dict[str, Any], named: list[str] | None
) -> dict[str, int]:
    """The answers as {key: value}, or a 422 naming each item that is missing or off scale."""
    definition = q.definition
    if definition["format"] == "activities":
        if "activities" not in data:
            raise field_error("activities", "Rate each activity.")
        problems = scoring.check_activities(definition, data["activities"], named)
        if problems:
            raise field_error("activities", problems)
        return {a["name"].strip(): a["rating"] for a in data["activities"]}
    if "answers" not in data:
        raise field_error("answers", "Answer each question.")
    problems = scoring.check_items(definition, data["answers"])
    if problems:
        raise field_error("answers", problems)
    return dict(data["answers"])


def _stored_answers(q: Questionnaire, data: dict[str, Any]) -> Any:
    if q.definition["format"] == "activities":
        return [{"name": a["name"].strip(), "rating": a["rating"]} for a in data["activities"]]
    return dict(data["answers"])


def _fingerprint(data: dict[str, Any]) -> str:
    content = {
        "questionnaire_id": data["questionnaire_id"],
        "answered_at": data["answered_at"],
        "answers": json.dumps(data.get("answers"), sort_keys=True),
        "activities": json.dumps(data.get("activities"), sort_keys=True),
    }
    return fingerprint(content)


def answer(runner: User, data: dict[str, Any]) -> tuple[QuestionnaireResponse, bool]:
    """Store a completed questionnaire; (response, created). A retry returns the first one."""
    q = db.session.scalar(
        select(Questionnaire).where(
            Questionnaire.id == data["questionnaire_id"], offered_to(runner)
        )
    )
    if q is None:
        raise NotFound("No such questionnaire among yours.")
    fp = _fingerprint(data)
    ident = data.get("id") or uuid.uuid4()
    existing = earlier_copy(QuestionnaireResponse, ident, "runner_id", runner.id, fp, "answer")
    if existing is not None:
        return existing, False

    now = utcnow()
    at = data["answered_at"]
    if at > now + CLOCK_SKEW or at < now - MAX_AGE:
        raise field_error("answered_at", "Give a time within the last 30 days.")
    day = local_date_of(at, runner.timezone)
    series = _current_series(runner.id)
    named = None
    if q.definition["format"] == "activities":
        named = _first_activities(runner.id, [q.id], series).get(q.id)
    values = _answer_values(q, data, named)

    offered = list(db.session.scalars(_offered(runner)))
    interval, requested_at = _schedule_values(_schedule_row(runner.id))
    history = _history(runner.id, before=at)
    due_ids = _due_ids(offered, history, interval, requested_at, day, max(now, at))
    due_ids |= _fresh_sets([q], series, {q.id: named} if named is not None else {})
    if q.id not in due_ids:
        raise Conflict(f"The {q.name.lower()} questionnaire is not due on {day.isoformat()}.")

    response = QuestionnaireResponse(
        id=ident,
        runner_id=runner.id,
        questionnaire_id=q.id,
        answered_at=at,
        local_date=day,
        answers=_stored_answers(q, data),
        score=scoring.score(q.definition, values),
        fingerprint=fp,
        follows=_previous_answer(runner.id, q.id, at),
        series=_series_of(series, q.id),
    )
    try:
        return insert_once(response, "runner_id", "answer")
    except IntegrityError:
        # Another answer (another id) to the same round got in first: keep that one.
        raise Conflict(
            f"The {q.name.lower()} questionnaire was already answered for this round."
        ) from None


def _previous_answer(runner_id: uuid.UUID, qid: uuid.UUID, before: datetime) -> str:
    """What a new answer follows: the runner's latest earlier answer to it, or the start."""
    r = QuestionnaireResponse
    ident = db.session.scalar(
        select(r.id)
        .where(r.runner_id == runner_id, r.questionnaire_id == qid, r.answered_at < before)
        .order_by(r.answered_at.desc(), r.id.desc())
        .limit(1)
    )
    return FIRST_ROUND if ident is None else str(ident)


def restart_activities(actor: User, runner: User, questionnaire_id: uuid.UUID) -> dict[str, Any]:
    """Start a new activity set for a patient-specific questionnaire; due again at once.

    Earlier answers stay, as their own series. A restart while the current set has no
    answer yet changes nothing, so a repeated tap does not skip a set.
    """
    q = db.session.scalar(
        select(Questionnaire).where(Questionnaire.id == questionnaire_id, offered_to(runner))
    )
    if q is None:
        raise NotFound("No such questionnaire among this runner's.")
    if q.definition["format"] != "activities":
        raise Conflict(f"The {q.name.lower()} questionnaire has no activities to choose.")
    for attempt in (1, 2):
        series = _current_series(runner.id)
        number, started_at = series.get(q.id, (1, None))
        answered = db.session.scalar(
            select(func.count()).where(
                QuestionnaireResponse.runner_id == runner.id,
                QuestionnaireResponse.questionnaire_id == q.id,
                QuestionnaireResponse.series == number,
            )
        )
        if not answered:
            return {"questionnaire_id": q.id, "series": number, "started_at": started_at}
        row = QuestionnaireSeries(
            runner_id=runner.id,
            questionnaire_id=q.id,
            number=number + 1,
            started_at=utcnow(),
            started_by=actor.id,
        )
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:  # a restart at the same moment made this set: use it
            db.session.rollback()
            if attempt == 2:
                raise
            continue
        return {"questionnaire_id": q.id, "series": row.number, "started_at": row.started_at}
    raise AssertionError("unreachable")


# --- outcomes ----------------------------------------------------------------------------


def outcomes_for(runner: User, today: date | None = None) -> dict[str, Any]:
    """Every score over time per questionnaire, with its change from the first score."""
    day = today or local_date_of(utcnow(), runner.timezone)
    rows = db.session.execute(
        select(QuestionnaireResponse, Questionnaire)
        .join(Questionnaire, Questionnaire.id == QuestionnaireResponse.questionnaire_id)
        .where(QuestionnaireResponse.runner_id == runner.id)
        .order_by(QuestionnaireResponse.answered_at, QuestionnaireResponse.id)
    ).all()
    offered = list(db.session.scalars(_offered(runner)))
    row = _schedule_row(runner.id)
    # One series per questionnaire and activity set: a score is only compared with the
    # first of its own set.
    grouped: dict[tuple[uuid.UUID, int], tuple[Questionnaire, list[QuestionnaireResponse]]] = {}
    last: dict[uuid.UUID, rules.Last] = {}
    for response, q in rows:
        grouped.setdefault((q.id, response.series), (q, []))[1].append(response)
        last[q.id] = rules.Last(response.local_date, response.answered_at)
    order = {q.id: i for i, q in enumerate(offered)}
    series = _current_series(runner.id)
    instruments = [
        _instrument(q, responses, number, _series_of(series, q.id))
        for (_, number), (q, responses) in sorted(
            grouped.items(), key=lambda g: (order.get(g[0][0], len(order)), g[0][1])
        )
    ]
    return {"schedule": _schedule_out(offered, last, row, day), "instruments": instruments}


def _instrument(
    q: Questionnaire, responses: list[QuestionnaireResponse], number: int, current: int
) -> dict[str, Any]:
    rule = q.definition["scoring"]
    first = responses[0].score
    points = []
    for i, r in enumerate(responses):
        change = None if i == 0 else round(r.score - first, 4)
        judgement = None if i == 0 else scoring.judge(rule, first, r.score)
        points.append(
            {
                "id": r.id,
                "answered_at": r.answered_at,
                "local_date": r.local_date,
                "score": r.score,
                "change": change,
                "judgement": judgement,
                "answers": r.answers,
            }
        )
    return {
        "questionnaire": q,
        "series": number,
        "current": number == current,
        "baseline": points[0],
        "latest": points[-1],
        "change": points[-1]["change"],
        "judgement": points[-1]["judgement"],
        "responses": points,
    }


def worsening_among(runner_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Per runner, the questionnaires whose latest score is a meaningful worsening on the first.

    One statement, however many runners: window functions pick each first and last score.
    """
    if not runner_ids:
        return {}
    r = QuestionnaireResponse
    ranked = (
        select(
            r.runner_id,
            r.questionnaire_id,
            r.score,
            r.series,
            func.row_number()
            .over(
                partition_by=(r.runner_id, r.questionnaire_id, r.series),
                order_by=(r.answered_at, r.id),
            )
            .label("first_n"),
            func.row_number()
            .over(
                partition_by=(r.runner_id, r.questionnaire_id, r.series),
                order_by=(r.answered_at.desc(), r.id.desc()),
            )
            .label("last_n"),
        )
        .where(r.runner_id.in_(runner_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(
            ranked.c.runner_id,
            ranked.c.questionnaire_id,
            ranked.c.score,
            ranked.c.first_n,
            ranked.c.series,
            Questionnaire.name,
            Questionnaire.definition,
        )
        .join(Questionnaire, Questionnaire.id == ranked.c.questionnaire_id)
        .where((ranked.c.first_n == 1) | (ranked.c.last_n == 1))
        .order_by(ranked.c.runner_id, Questionnaire.position, ranked.c.series, ranked.c.first_n)
    )
    # Only the latest activity set counts; a later set starts its pair afresh.
    pairs: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
    for runner_id, qid, score, first_n, number, name, definition in rows:
        pair = pairs.setdefault((runner_id, qid), {"name": definition.get("short_name", name)})
        if pair.get("series") != number:
            pair.pop("last", None)
            pair["series"] = number
        pair["rule"] = definition["scoring"]
        pair["first" if first_n == 1 else "last"] = score
    found: dict[uuid.UUID, list[str]] = {}
    for (runner_id, _), pair in pairs.items():
        if "last" in pair and scoring.judge(pair["rule"], pair["first"], pair["last"]) == (
            "meaningful_worsening"
        ):
            found.setdefault(runner_id, []).append(pair["name"])
    return found


def set_schedule(practitioner: User, client_id: uuid.UUID, changes: dict[str, Any]) -> User:
    """Change how often a consenting client is asked, or ask for a round now."""
    client = consenting_client(practitioner.id, client_id)
    for attempt in (1, 2):
        row = _schedule_row(client.id)
        if row is None:
            row = OutcomeSchedule(runner_id=client.id, interval_weeks=rules.DEFAULT_INTERVAL_WEEKS)
            db.session.add(row)
        if "interval_weeks" in changes:
            row.interval_weeks = changes["interval_weeks"]
        if changes.get("ask_now"):
            row.requested_at = utcnow()
        try:
            db.session.commit()
            break
        except IntegrityError:  # another request made the row first: apply ours to it
            db.session.rollback()
            if attempt == 2:
                raise
    return client


def schedule_for(runner: User) -> dict[str, Any]:
    today = local_date_of(utcnow(), runner.timezone)
    offered = list(db.session.scalars(_offered(runner)))
    last, _ = _history(runner.id)
    return _schedule_out(offered, last, _schedule_row(runner.id), today)


# --- reminders ---------------------------------------------------------------------------


def due_rounds(runners: list[User], now: datetime) -> dict[uuid.UUID, date]:
    """Per runner with a questionnaire due on their today: the day that round fell due.

    The day names the round, so a reminder keyed by it goes out once however long the
    round waits. A fixed number of statements, however many runners.
    """
    if not runners:
        return {}
    ids = [r.id for r in runners]
    r = QuestionnaireResponse
    practitioner = practitioners_of(ids)
    questionnaires = list(
        db.session.scalars(
            select(Questionnaire)
            .where(
                or_(
                    Questionnaire.builtin.is_(True),
                    Questionnaire.owner_id.in_(set(practitioner.values())),
                )
            )
            .order_by(Questionnaire.builtin.desc(), Questionnaire.position, Questionnaire.slug)
        )
    )
    last: dict[uuid.UUID, dict[uuid.UUID, rules.Last]] = {}
    first: dict[uuid.UUID, dict[uuid.UUID, rules.Last]] = {}
    answered_set: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for runner_id, qid, last_on, last_at, first_on, first_at, top in db.session.execute(
        select(
            r.runner_id,
            r.questionnaire_id,
            func.max(r.local_date),
            func.max(r.answered_at),
            func.min(r.local_date),
            func.min(r.answered_at),
            func.max(r.series),
        )
        .where(r.runner_id.in_(ids))
        .group_by(r.runner_id, r.questionnaire_id)
    ):
        last.setdefault(runner_id, {})[qid] = rules.Last(last_on, last_at)
        first.setdefault(runner_id, {})[qid] = rules.Last(first_on, first_at)
        answered_set[(runner_id, qid)] = top
    schedules = {
        row.runner_id: row
        for row in db.session.scalars(
            select(OutcomeSchedule).where(OutcomeSchedule.runner_id.in_(ids))
        )
    }
    restarts: dict[tuple[uuid.UUID, uuid.UUID], tuple[int, datetime]] = {}
    for row in db.session.scalars(
        select(QuestionnaireSeries)
        .where(QuestionnaireSeries.runner_id.in_(ids))
        .order_by(QuestionnaireSeries.number)
    ):
        restarts[(row.runner_id, row.questionnaire_id)] = (row.number, row.started_at)

    found: dict[uuid.UUID, date] = {}
    for runner in runners:
        day = local_date_of(now, runner.timezone)
        offered = [
            q for q in questionnaires if q.builtin or q.owner_id == practitioner.get(runner.id)
        ]
        interval, requested_at = _schedule_values(schedules.get(runner.id))
        mine_last, mine_first = last.get(runner.id, {}), first.get(runner.id, {})
        due_ids = _due_ids(offered, (mine_last, mine_first), interval, requested_at, day, now)
        days: list[date] = []
        for q in offered:
            number, started = restarts.get((runner.id, q.id), (1, None))
            if started is not None and answered_set.get((runner.id, q.id), 0) < number:
                days.append(local_date_of(started, runner.timezone))  # a fresh activity set
            elif q.id not in due_ids or q.kind != "cycle":
                continue
            elif q.id not in mine_last:
                days.append(local_date_of(runner.created_at, runner.timezone))  # the baseline
            elif mine_last[q.id].on + timedelta(weeks=interval) <= day:
                days.append(mine_last[q.id].on + timedelta(weeks=interval))
            elif requested_at is not None:
                days.append(local_date_of(requested_at, runner.timezone))  # asked on demand
        if days:
            found[runner.id] = min(min(days), day)
    return found
