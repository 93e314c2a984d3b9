"""Alerts for practitioners, raised as runs are saved and as quiet spells are noticed.

Raised when a run is saved: any red flag (at the run's advice tier), stiffness of 7 or
more, and a worsening 14-day trend. A quiet spell (no run and no routine for 14 days)
is noticed whenever the practitioner reads the roster or the alerts, and by
`flask alerts` for every practice. Each alert has a key naming what it is about (the
run, the week, the last activity), so the same event never raises a second alert.
Alerts only go to the practitioner the runner consents to at that moment.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from backend.auth.models import User
from backend.db import new_uuid, utcnow
from backend.errors import NotFound
from backend.extensions import db
from backend.pagination import paginate
from backend.practice.models import Alert, Consent
from backend.practice.service import ClientActivity, client_activity, consent_in_force
from backend.progress.service import recent_trends, today_for
from backend.runs.models import Run
from backend.runs.signals import run_saved

log = logging.getLogger(__name__)

HIGH_STIFFNESS = 7
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


def on_run_saved(sender: Any, run: Run, created: bool = True, **_: Any) -> None:
    # The run is already committed; a failure here must not turn its save into an error.
    try:
        raise_for_run(run)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not raise alerts for run %s", run.id)


def raise_for_run(run: Run) -> None:
    practitioner_id = db.session.scalar(
        select(Consent.practitioner_id).where(
            Consent.runner_id == run.user_id, Consent.revoked_at.is_(None)
        )
    )
    if practitioner_id is None:
        return
    new: list[dict[str, Any]] = []
    day = run.local_date.isoformat()
    if run.advice_level != "none":
        flags = ", ".join(f.replace("_", " ") for f in run.red_flags)
        new.append(
            _alert(
                "red_flag",
                run.advice_level,
                f"red_flag:{run.id}:{run.advice_level}",
                f"Red flag after the run on {day} ({flags}): needs "
                f"{LEVEL_WORDS[run.advice_level]}.",
                run.id,
            )
        )
    if run.stiffness is not None and run.stiffness >= HIGH_STIFFNESS:
        new.append(
            _alert(
                "high_stiffness",
                "warning",
                f"high_stiffness:{run.id}",
                f"Stiffness {run.stiffness}/10 after the run on {day}.",
                run.id,
            )
        )
    new += _worsening(run)
    store(practitioner_id, run.user_id, new)


def _worsening(run: Run) -> list[dict[str, Any]]:
    runner = db.session.get(User, run.user_id)
    if runner is None:
        return []
    today = today_for(runner)
    if run.local_date <= today - timedelta(days=QUIET_DAYS):
        return []  # an old run filled in late says nothing about now
    trend = recent_trends([runner.id], today)[runner.id]
    if trend["direction"] != "worsening":
        return []
    week = today - timedelta(days=today.weekday())
    return [
        _alert(
            "worsening",
            "warning",
            f"worsening:{week.isoformat()}",
            f"Stiffness has been rising over the last 14 days "
            f"({trend['slope_per_week']:+.2f} points a week).",
        )
    ]


def _alert(
    kind: str, level: str, key: str, message: str, run_id: uuid.UUID | None = None
) -> dict[str, Any]:
    return {"kind": kind, "level": level, "key": key, "message": message, "run_id": run_id}


def store(practitioner_id: uuid.UUID, runner_id: uuid.UUID, alerts: list[dict[str, Any]]) -> None:
    store_many([a | {"practitioner_id": practitioner_id, "runner_id": runner_id} for a in alerts])


def store_many(alerts: list[dict[str, Any]]) -> None:
    """Insert the alerts not raised before, in one statement, and commit."""
    if not alerts:
        return
    now = utcnow()
    rows = [{"id": new_uuid(), "created_at": now, "acknowledged_at": None} | a for a in alerts]
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    # Parameters passed separately (executemany) keep the statement cacheable; a
    # multi-row VALUES clause would be compiled afresh for every roster read.
    db.session.execute(
        insert(Alert).on_conflict_do_nothing(
            index_elements=["practitioner_id", "runner_id", "key"]
        ),
        rows,
    )
    db.session.commit()


def notice_quiet_clients(practitioner_id: uuid.UUID, now: datetime) -> None:
    quiet_alerts(practitioner_id, client_activity(practitioner_id), now)


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
        key = f"inactive:{c.last_active.date().isoformat()}"
        if (c.id, key) not in raised:
            fresh.append(
                _alert(
                    "inactive",
                    "warning",
                    key,
                    f"Nothing logged since {c.last_active.date().isoformat()}.",
                )
                | {"practitioner_id": practitioner_id, "runner_id": c.id}
            )
    store_many(fresh)


def _visible(practitioner_id: uuid.UUID) -> Select[tuple[Alert]]:
    """This practitioner's alerts about clients who still consent, right now."""
    return (
        select(Alert)
        .join(Consent, consent_in_force(Alert.runner_id, Alert.practitioner_id))
        .where(Alert.practitioner_id == practitioner_id)
    )


def list_alerts(
    practitioner_id: uuid.UUID, status: str, limit: int, cursor: str | None
) -> tuple[list[Alert], str | None]:
    stmt = _visible(practitioner_id).options(joinedload(Alert.runner))
    if status == "open":
        stmt = stmt.where(Alert.acknowledged_at.is_(None))
    return paginate(stmt, Alert.created_at, Alert.id, limit, cursor, db.session)


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
        .where(Alert.acknowledged_at.is_(None))
        .group_by(Alert.runner_id)
    ).all()
    by_rank = {n: level for level, n in LEVEL_RANK.items()}
    return {rid: (count, by_rank[top]) for rid, count, top in rows}
