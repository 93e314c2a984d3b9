"""Alerts for practitioners, raised as runs are saved and as quiet spells are noticed.

Rules (docs/practice.md says the same):
- Red flag: every run with a red flag raises one alert at the run's advice tier. On
  linking (a new consent, or a new one after a revoke) the red-flag runs of the last
  30 days are raised too, dated as the run.
- High stiffness: a run of the last 3 days (in the runner's calendar) with stiffness 7 or
  more. At most one is open per client; a later run updates it.
- Worsening: the 14-day trend (`backend/progress/stats.py`) says "worsening". Evaluated on
  the window as it stands whenever a run is saved or deleted; at most one is open per
  client, updated with the figures, and it is resolved when the trend no longer holds.
- Quiet: no run and no routine for 14 days, noticed by a daily job early in the morning
  of each runner's timezone (backend/notifications/practice.py).
Each alert has a key naming what it is about (the run, the day, the last activity), so
the same event never raises a second alert. Alerts only go to the practitioner the runner
consents to at that moment. An alert outlives its run, keeping the run's date and flags.
Every newly inserted alert is announced with `practice.signals.alert_raised`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased, joinedload

from backend.auth.models import User
from backend.consent import (
    consent_granted,
    consenting_client,
    current_practitioner,
    join_in_force,
    record_access,
)
from backend.dates import day_text, local_date_of, local_today
from backend.db import new_uuid, utcnow
from backend.errors import NotFound
from backend.extensions import db
from backend.pagination import paginate
from backend.practice.models import Alert
from backend.practice.service import ClientActivity
from backend.practice.signals import alert_raised
from backend.progress.service import recent_trends
from backend.runs.models import Run
from backend.runs.signals import run_deleted, run_saved
from backend.runs.triage import flag_label

log = logging.getLogger(__name__)

HIGH_STIFFNESS = 7
HIGH_STIFFNESS_DAYS = 3  # today and the two days before, in the runner's calendar
BACKFILL_DAYS = 30
QUIET_DAYS = 14
LEVEL_RANK = {"warning": 1, "see_professional": 2, "urgent": 3, "emergency": 4}
LEVEL_WORDS = {
    "emergency": "emergency care now",
    "urgent": "a doctor today or tomorrow",
    "see_professional": "an assessment soon",
    "warning": "worth a look",
}


def connect_signals() -> None:
    run_saved.connect(on_run_saved)
    run_deleted.connect(on_run_deleted)
    consent_granted.connect(on_consent_granted)


def _safely(what: str, ident: Any, work: Any) -> None:
    # The change is already committed; a failure here must not turn it into an error.
    try:
        work()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not raise alerts for %s %s", what, ident)


def on_run_saved(sender: Any, run: Run, created: bool = True, **_: Any) -> None:
    _safely("run", run.id, lambda: raise_for_run(run))


def on_run_deleted(sender: Any, user_id: uuid.UUID, run_id: uuid.UUID, **_: Any) -> None:
    _safely("runner", user_id, lambda: _reassess(user_id))


def on_consent_granted(
    sender: Any, runner_id: uuid.UUID, practitioner_id: uuid.UUID, **_: Any
) -> None:
    _safely("runner", runner_id, lambda: raise_on_linking(runner_id, practitioner_id))


class _Linked(NamedTuple):
    runner: User
    practitioner_id: uuid.UUID
    practitioner_tz: str  # alert texts give dates in the practitioner's calendar


def _linked(runner_id: uuid.UUID) -> _Linked | None:
    """The runner and the practitioner they consent to right now, in one statement."""
    practitioner = aliased(User)
    row = db.session.execute(
        select(User, practitioner.id, practitioner.timezone)
        .join(practitioner, practitioner.id == current_practitioner(User.id))
        .where(User.id == runner_id)
    ).first()
    return _Linked(*row) if row is not None else None


def raise_for_run(run: Run) -> None:
    linked = _linked(run.user_id)
    if linked is None:
        return
    if run.advice_level != "none":
        _store(linked.practitioner_id, run.user_id, [_red_flag(run, linked.practitioner_tz)])
    if run.stiffness is not None and run.stiffness >= HIGH_STIFFNESS:
        today = local_today(linked.runner)
        if run.local_date > today - timedelta(days=HIGH_STIFFNESS_DAYS):
            _high_stiffness(run, linked)
    _worsening(linked.runner, linked.practitioner_id)


def raise_on_linking(runner_id: uuid.UUID, practitioner_id: uuid.UUID) -> None:
    """Red flags of the last 30 days reach a practitioner the runner has just joined."""
    linked = _linked(runner_id)
    if linked is None or linked.practitioner_id != practitioner_id:
        return
    since = utcnow() - timedelta(days=BACKFILL_DAYS)
    runs = db.session.scalars(
        select(Run).where(
            Run.user_id == runner_id, Run.started_at >= since, Run.advice_level != "none"
        )
    ).all()
    found = [_red_flag(r, linked.practitioner_tz) | {"created_at": r.started_at} for r in runs]
    _store(practitioner_id, runner_id, found)
    _worsening(linked.runner, practitioner_id)


def _reassess(runner_id: uuid.UUID) -> None:
    linked = _linked(runner_id)
    if linked is not None:
        _worsening(linked.runner, linked.practitioner_id)


def _run_day(run: Run, timezone: str) -> str:
    return day_text(local_date_of(run.started_at, timezone))


def _red_flag(run: Run, practitioner_tz: str) -> dict[str, Any]:
    labels = "; ".join(flag_label(f) for f in run.red_flags)
    return _alert(
        "red_flag",
        run.advice_level,
        f"red_flag:{run.id}:{run.advice_level}",
        f"Warning sign after the run on {_run_day(run, practitioner_tz)}: {labels}. "
        f"Needs {LEVEL_WORDS[run.advice_level]}.",
        run,
    )


def _is_open() -> ColumnElement[bool]:
    return and_(Alert.acknowledged_at.is_(None), Alert.resolved_at.is_(None))


def _open_one(practitioner_id: uuid.UUID, runner_id: uuid.UUID, kind: str) -> Alert | None:
    return db.session.scalar(
        select(Alert)
        .where(
            Alert.practitioner_id == practitioner_id,
            Alert.runner_id == runner_id,
            Alert.kind == kind,
            _is_open(),
        )
        .order_by(Alert.created_at.desc())
        .limit(1)
    )


def _high_stiffness(run: Run, linked: _Linked) -> None:
    day = _run_day(run, linked.practitioner_tz)
    message = f"Stiffness {run.stiffness}/10 after the run on {day}."
    current = _open_one(linked.practitioner_id, run.user_id, "high_stiffness")
    if current is None:
        alert = _alert("high_stiffness", "warning", f"high_stiffness:{run.id}", message, run)
        _store(linked.practitioner_id, run.user_id, [alert])
        return
    if current.run_date is not None and current.run_date > run.local_date:
        return  # the open one is already about a later run
    current.run_id, current.run_date, current.message = run.id, run.local_date, message
    current.updated_at = utcnow()
    db.session.commit()


def _worsening(runner: User, practitioner_id: uuid.UUID) -> None:
    today = local_today(runner)
    trend = recent_trends([runner.id], {runner.id: today})[runner.id]
    current = _open_one(practitioner_id, runner.id, "worsening")
    if trend["direction"] != "worsening":
        if current is not None:
            current.resolved_at = utcnow()
            db.session.commit()
        return
    message = (
        f"Stiffness has risen over the last {trend['window_days']} days: the latest third of "
        f"{trend['runs']} runs averages {trend['change']:.1f} points above the first third."
    )
    if current is None:
        alert = _alert("worsening", "warning", f"worsening:{today.isoformat()}", message)
        _store(practitioner_id, runner.id, [alert])
    elif current.message != message:
        current.message, current.updated_at = message, utcnow()
        db.session.commit()


def _alert(kind: str, level: str, key: str, message: str, run: Run | None = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "level": level,
        "key": key,
        "message": message,
        "run_id": run.id if run else None,
        "run_date": run.local_date if run else None,
        "flags": list(run.red_flags or []) if run and kind == "red_flag" else [],
    }


def _store(practitioner_id: uuid.UUID, runner_id: uuid.UUID, alerts: list[dict[str, Any]]) -> None:
    store_many([a | {"practitioner_id": practitioner_id, "runner_id": runner_id} for a in alerts])


def store_many(alerts: list[dict[str, Any]]) -> None:
    """Insert the alerts not raised before, in one statement, commit, and announce the new."""
    if not alerts:
        return
    now = utcnow()
    rows = [
        {"id": new_uuid(), "created_at": now}
        | {"acknowledged_at": None, "resolved_at": None, "updated_at": None}
        | a
        for a in alerts
    ]
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    # Parameters passed separately keep the statement cacheable; RETURNING names only the
    # rows that went in, not those the unique key turned away.
    inserted = set(
        db.session.scalars(
            insert(Alert)
            .on_conflict_do_nothing(index_elements=["practitioner_id", "runner_id", "key"])
            .returning(Alert.id),
            rows,
        )
    )
    db.session.commit()
    for row in rows:
        if row["id"] in inserted:
            alert_raised.send(
                None,
                alert_id=row["id"],
                practitioner_id=row["practitioner_id"],
                runner_id=row["runner_id"],
                kind=row["kind"],
                level=row["level"],
            )


def quiet_alerts(
    practitioner_id: uuid.UUID, clients: Iterable[ClientActivity], now: datetime
) -> None:
    """Raise an alert for each client with nothing logged for 14 days."""
    quiet = [c for c in clients if now - c.last_active >= timedelta(days=QUIET_DAYS)]
    if not quiet:
        return
    # Most quiet clients were noticed on an earlier read: skip them rather than send
    # an insert per client that the unique key would throw away anyway.
    raised = set(
        db.session.execute(
            select(Alert.runner_id, Alert.key).where(
                Alert.practitioner_id == practitioner_id, Alert.kind == "inactive"
            )
        ).tuples()
    )
    fresh = []
    for c in quiet:
        last: date = local_date_of(c.last_active, c.timezone)
        key = f"inactive:{last.isoformat()}"
        if (c.id, key) not in raised:
            fresh.append(
                _alert("inactive", "warning", key, f"Nothing logged since {day_text(last)}.")
                | {"practitioner_id": practitioner_id, "runner_id": c.id}
            )
    store_many(fresh)


def _visible(practitioner_id: uuid.UUID) -> Select[tuple[Alert]]:
    """This practitioner's alerts about clients who still consent, right now."""
    return join_in_force(select(Alert), Alert.runner_id, Alert.practitioner_id).where(
        Alert.practitioner_id == practitioner_id
    )


def list_alerts(
    practitioner_id: uuid.UUID,
    status: str,
    limit: int,
    cursor: str | None,
    client_id: uuid.UUID | None = None,
) -> tuple[list[Alert], str | None]:
    stmt = _visible(practitioner_id).options(joinedload(Alert.runner))
    if client_id is not None:
        stmt = stmt.where(Alert.runner_id == client_id)
    if status == "open":
        stmt = stmt.where(_is_open())
    return paginate(stmt, Alert.created_at, Alert.id, limit, cursor, db.session)


def read_alerts(
    practitioner_id: uuid.UUID,
    status: str,
    limit: int,
    cursor: str | None,
    client_id: uuid.UUID | None = None,
) -> tuple[list[Alert], str | None]:
    """A page of alerts as `list_alerts`, the read written to each listed client's access
    log. With `client_id`, a client who does not consent now is a 404."""
    if client_id is not None:
        consenting_client(practitioner_id, client_id)
    items, next_cursor = list_alerts(practitioner_id, status, limit, cursor, client_id)
    clients = [client_id] if client_id is not None else [a.runner_id for a in items]
    # The log commits, which would expire the rows and load each again when dumped.
    for alert in items:
        db.session.expunge(alert)
        if alert.runner in db.session:
            db.session.expunge(alert.runner)
    record_access(practitioner_id, list(dict.fromkeys(clients)), "alerts")
    return items, next_cursor


def acknowledge(practitioner_id: uuid.UUID, alert_id: uuid.UUID) -> Alert:
    alert = db.session.scalar(
        _visible(practitioner_id).where(Alert.id == alert_id).options(joinedload(Alert.runner))
    )
    if alert is None:
        raise NotFound("No such alert.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        db.session.commit()
    return alert


def open_alert_summary(practitioner_id: uuid.UUID) -> dict[uuid.UUID, tuple[int, str]]:
    """Per client: how many open alerts and the most serious level, in one statement."""
    rank = case(*((Alert.level == level, n) for level, n in LEVEL_RANK.items()), else_=0)
    rows = db.session.execute(
        _visible(practitioner_id)
        .with_only_columns(Alert.runner_id, func.count(), func.max(rank))
        .where(_is_open())
        .group_by(Alert.runner_id)
    ).all()
    by_rank = {n: level for level, n in LEVEL_RANK.items()}
    return {rid: (count, by_rank[top]) for rid, count, top in rows}
