"""The plan: today's routines, the routine log, assignments and adherence.

A runner's plan is the assignments made by the practitioner they consent to now; with
none, it is the built-in starter routines every day. The day rules are in `adherence.py`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from backend.auth.models import User
from backend.consent import consenting_client, join_in_force
from backend.dates import local_date_of, local_today
from backend.db import utcnow
from backend.errors import NotFound, field_error
from backend.extensions import db
from backend.idempotency import create_once
from backend.pagination import paginate
from backend.routines import adherence as rules
from backend.routines.library.service import WITH_STEPS, get_visible, visible
from backend.routines.models import Assignment, Routine, RoutineSession

# The streak looks back this far, whatever range the adherence figures cover.
STREAK_LOOKBACK_DAYS = 366


def _author_still_trusted(stmt: Select[Any]) -> Select[Any]:
    """Keep the assignments whose runner still consents to the practitioner who made them."""
    return join_in_force(stmt, Assignment.runner_id, Assignment.assigned_by)


def live_schedules(runner_ids: Iterable[uuid.UUID], start: date, end: date) -> Any:
    """Assignments touching [start, end] made by a practitioner the runner still consents to."""
    return (
        _author_still_trusted(select(Assignment))
        .where(
            Assignment.runner_id.in_(list(runner_ids)),
            Assignment.starts_on <= end,
            or_(Assignment.ends_on.is_(None), Assignment.ends_on >= start),
        )
        .order_by(Assignment.starts_on, Assignment.created_at, Assignment.id)
    )


def starter_routine_ids() -> list[uuid.UUID]:
    return list(
        db.session.scalars(
            select(Routine.id)
            .where(Routine.starter_order.is_not(None), Routine.owner_id.is_(None))
            .order_by(Routine.starter_order)
        )
    )


def today(runner: User, day: date | None) -> dict[str, Any]:
    """The routines due on `day` (default: the runner's today), each with whether it is done."""
    day = day or local_today(runner)
    schedules = list(db.session.scalars(live_schedules([runner.id], day, day)))
    starter = not schedules
    if starter:
        routines = list(
            db.session.scalars(
                select(Routine)
                .where(Routine.starter_order.is_not(None), Routine.owner_id.is_(None))
                .order_by(Routine.starter_order)
                .options(WITH_STEPS)
            )
        )
    else:
        due = rules.plan_for_day(schedules, day)
        by_id = {
            r.id: r
            for r in db.session.scalars(
                select(Routine).where(Routine.id.in_(due)).options(WITH_STEPS)
            )
        }
        routines = [by_id[i] for i in due if i in by_id]
    sessions = db.session.execute(
        select(RoutineSession.routine_id, RoutineSession.id)
        .where(RoutineSession.runner_id == runner.id, RoutineSession.local_date == day)
        .order_by(RoutineSession.completed_at)
    )
    latest = dict(sessions.tuples().all())  # later sessions overwrite earlier ones
    return {
        "date": day,
        "starter": starter,
        "items": [
            {"routine": r, "done": r.id in latest, "session_id": latest.get(r.id)} for r in routines
        ],
    }


def create_session(runner: User, data: dict[str, Any]) -> tuple[RoutineSession, bool]:
    """Log a routine as done; (session, created). Retries with the same id and body are safe."""
    routine_id = data["routine_id"]

    def build(ident: uuid.UUID, fp: str) -> RoutineSession:
        routine = get_visible(Routine, runner, routine_id, ())
        return RoutineSession(
            id=ident,
            runner_id=runner.id,
            routine=routine,
            routine_name=routine.name,
            completed_at=data["completed_at"],
            local_date=local_date_of(data["completed_at"], runner.timezone),
            notes=data.get("notes", ""),
            fingerprint=fp,
        )

    return create_once(RoutineSession, data, "runner_id", runner.id, "session", build)


def sessions_page(runner_id: uuid.UUID, args: dict[str, Any]) -> dict[str, Any]:
    """A page of a runner's routine sessions (`RoutineSessionQueryArgs` in)."""
    rows, cursor = list_sessions(
        runner_id, args["from_"], args["to"], args["limit"], args["cursor"]
    )
    return {"items": rows, "next_cursor": cursor}


def list_sessions(
    runner_id: uuid.UUID, start: date | None, end: date | None, limit: int, cursor: str | None
) -> tuple[list[RoutineSession], str | None]:
    stmt = (
        select(RoutineSession)
        .where(RoutineSession.runner_id == runner_id)
        .options(selectinload(RoutineSession.routine))
    )
    if start is not None:
        stmt = stmt.where(RoutineSession.local_date >= start)
    if end is not None:
        stmt = stmt.where(RoutineSession.local_date <= end)
    return paginate(stmt, RoutineSession.completed_at, RoutineSession.id, limit, cursor, db.session)


def list_assignments(
    practitioner: User, client_id: uuid.UUID, limit: int, cursor: str | None
) -> tuple[list[Assignment], str | None]:
    client = consenting_client(practitioner.id, client_id)
    stmt = (
        select(Assignment)
        .where(
            Assignment.runner_id == client.id,
            Assignment.assigned_by == practitioner.id,
            Assignment.deleted_at.is_(None),
        )
        .options(selectinload(Assignment.routine))
    )
    return paginate(stmt, Assignment.created_at, Assignment.id, limit, cursor, db.session)


def create_assignment(practitioner: User, client_id: uuid.UUID, data: dict[str, Any]) -> Assignment:
    client = consenting_client(practitioner.id, client_id)
    assignment = Assignment(
        runner_id=client.id,
        assigned_by=practitioner.id,
        routine=_assignable(practitioner, data["routine_id"]),
        weekdays=sorted(data["weekdays"]),
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
    )
    db.session.add(assignment)
    db.session.commit()
    return assignment


def _assignable(practitioner: User, routine_id: uuid.UUID) -> Routine:
    routine = db.session.scalar(
        select(Routine).where(Routine.id == routine_id, visible(Routine, practitioner))
    )
    if routine is None:
        raise field_error("routine_id", "No such routine.")
    return routine


def _own_assignment(practitioner: User, assignment_id: uuid.UUID) -> tuple[Assignment, User]:
    """The assignment and its runner, only for its author while the runner consents."""
    row = db.session.execute(
        _author_still_trusted(select(Assignment, User).join(User, User.id == Assignment.runner_id))
        .where(
            Assignment.id == assignment_id,
            Assignment.assigned_by == practitioner.id,
            Assignment.deleted_at.is_(None),
        )
        .options(selectinload(Assignment.routine))
    ).first()
    if row is None:
        raise NotFound("No such assignment.")
    return row[0], row[1]


def update_assignment(
    practitioner: User, assignment_id: uuid.UUID, changes: dict[str, Any]
) -> Assignment:
    assignment, _ = _own_assignment(practitioner, assignment_id)
    starts = changes.get("starts_on", assignment.starts_on)
    ends = changes.get("ends_on", assignment.ends_on)
    if ends is not None and ends < starts:
        raise field_error("ends_on", "The end date cannot be before the start date.")
    if "routine_id" in changes:
        assignment.routine = _assignable(practitioner, changes["routine_id"])
    if "weekdays" in changes:
        assignment.weekdays = sorted(changes["weekdays"])
    assignment.starts_on, assignment.ends_on = starts, ends
    db.session.commit()
    return assignment


def delete_assignment(practitioner: User, assignment_id: uuid.UUID) -> None:
    """Remove an assignment. One that already began keeps its past days, for adherence."""
    assignment, runner = _own_assignment(practitioner, assignment_id)
    runner_today = local_today(runner)
    if assignment.starts_on >= runner_today:
        db.session.delete(assignment)
    else:
        yesterday = runner_today - timedelta(days=1)
        if assignment.ends_on is None or assignment.ends_on > yesterday:
            assignment.ends_on = yesterday
        assignment.deleted_at = utcnow()
    db.session.commit()


def sessions_by_day(runner_id: uuid.UUID, start: date, end: date) -> dict[date, set[uuid.UUID]]:
    """Which routines the runner did on each local day in [start, end] (one query)."""
    return sessions_by_runner_day([runner_id], start, end).get(runner_id, {})


def sessions_by_runner_day(
    runner_ids: Sequence[uuid.UUID], start: date, end: date
) -> dict[uuid.UUID, dict[date, set[uuid.UUID]]]:
    rows = db.session.execute(
        select(RoutineSession.runner_id, RoutineSession.local_date, RoutineSession.routine_id)
        .where(
            RoutineSession.runner_id.in_(list(runner_ids)),
            RoutineSession.local_date >= start,
            RoutineSession.local_date <= end,
        )
        .distinct()
    )
    result: dict[uuid.UUID, dict[date, set[uuid.UUID]]] = defaultdict(lambda: defaultdict(set))
    for runner_id, day, routine_id in rows:
        result[runner_id][day].add(routine_id)
    return result


def adherence_for(runner_id: uuid.UUID, start: date, end: date, today: date) -> rules.Adherence:
    """Planned and done routines in [start, end] (days after `today` are not due yet)."""
    return adherence_for_many([runner_id], start, end, today)[runner_id]


def adherence_for_many(
    runner_ids: Sequence[uuid.UUID],
    start: date | None,
    end: date | None,
    today: date | None = None,
    *,
    window_days: int | None = None,
    with_streak: bool = True,
) -> dict[uuid.UUID, rules.Adherence]:
    """Adherence for several runners in four queries; `today` defaults to each one's own.

    With `window_days`, each runner's range is the last that many days up to their own
    today, and today's routines count only once done (the day is not over yet). Without
    `with_streak` the year of look-back the streak needs is skipped (for a caller that
    does not show it): `streak_days` then counts within the range only.
    """
    lookback_days = STREAK_LOOKBACK_DAYS if with_streak else 0
    runners = list(db.session.scalars(select(User).where(User.id.in_(list(runner_ids)))))
    if not runners:
        return {}
    todays = {r.id: today or local_today(r) for r in runners}
    ranges = {
        rid: ((t - timedelta(days=window_days - 1), t) if window_days else (start or t, end or t))
        for rid, t in todays.items()
    }
    first = {r.id: local_date_of(r.created_at, r.timezone) for r in runners}
    earliest = min(
        *(s for s, _ in ranges.values()),
        *(t - timedelta(days=lookback_days) for t in todays.values()),
    )
    latest = max(*(e for _, e in ranges.values()), *todays.values())
    schedules: dict[uuid.UUID, list[Assignment]] = defaultdict(list)
    for assignment in db.session.scalars(live_schedules(todays, earliest, latest)):
        schedules[assignment.runner_id].append(assignment)
    starter = starter_routine_ids()
    done = sessions_by_runner_day(list(todays), earliest, latest)
    result: dict[uuid.UUID, rules.Adherence] = {}
    for runner_id, runner_today in todays.items():
        range_start, range_end = ranges[runner_id]
        # Days before sign-up and days not yet reached are not planned.
        lookback = min(range_start, runner_today - timedelta(days=lookback_days))
        history = rules.plan_for_range(
            schedules[runner_id], max(first[runner_id], lookback), runner_today, starter
        )
        runner_done = done.get(runner_id, {})
        in_range = {d: due for d, due in history.items() if range_start <= d <= range_end}
        if window_days and runner_today in in_range:
            in_range[runner_today] = [
                r for r in in_range[runner_today] if r in runner_done.get(runner_today, set())
            ]
        result[runner_id] = rules.adherence(
            in_range, runner_done, runner_today, streak_from=history
        )
    return result
