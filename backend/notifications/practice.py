"""The practitioner is told: at once for emergency and urgent red flags, else in a digest.

Also the daily inactivity check, run for each runner at QUIET_CHECK_HOUR in the
runner's own timezone.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from huey import crontab
from sqlalchemy import and_, func, literal, select

from backend.auth.models import User
from backend.consent import in_force
from backend.db import UTCDateTime, utcnow
from backend.extensions import db
from backend.jobs import enqueue, job, periodic
from backend.notifications import rules
from backend.notifications.models import NotificationSettings
from backend.notifications.service import notify
from backend.notifications.settings import settings_for_many
from backend.practice.models import Alert, Consent
from backend.practice.signals import alert_raised

log = logging.getLogger(__name__)

AT_ONCE = ("emergency", "urgent")
QUIET_CHECK_HOUR = 6
LEVEL_TITLES = {"emergency": "Emergency warning sign", "urgent": "Urgent warning sign"}


def connect_signals() -> None:
    from backend.auth.signals import login_brake_engaged

    alert_raised.connect(on_alert_raised)
    login_brake_engaged.connect(on_login_brake_engaged)


def on_login_brake_engaged(sender: Any, *, user: User, failures: int, **_: Any) -> None:
    """Tell the owner when the sign-in brake holds their account (and as it doubles)."""
    notify(
        user,
        "sign_in_warning",
        title="Wrong passwords for your account",
        body=f"{failures} wrong passwords in a row. If it was not you, change your password.",
        url="/settings",
        key=f"sign_in_warning:{user.id}:{utcnow().date().isoformat()}:{failures}",
    )


def on_alert_raised(sender: Any, *, alert_id: uuid.UUID, level: str, **_: Any) -> None:
    if level not in AT_ONCE:
        return  # the next daily digest covers it
    try:
        enqueue(tell_practitioner, str(alert_id))
    except Exception:
        # The alert itself is stored; the roster shows it whatever happens here.
        log.exception("could not queue the practitioner's notification for %s", alert_id)


@job()
def tell_practitioner(alert_id: str) -> None:
    """Push and email the practitioner about one alert, while the client still consents."""
    alert = db.session.scalar(
        select(Alert)
        .join(Consent, in_force(Alert.runner_id, Alert.practitioner_id))
        .where(Alert.id == uuid.UUID(alert_id))
    )
    if alert is None:
        return  # consent withdrawn, or the alert is gone
    notify(
        alert.practitioner_id,
        "client_alert",
        title=LEVEL_TITLES.get(alert.level, "Warning sign"),
        body="A client reported a warning sign after a run. Open Limber to see it.",
        url=f"/clients/{alert.runner_id}?alert={alert.id}",
        key=f"alert:{alert.id}",
    )


@periodic(crontab(minute="*"))
def send_digests() -> None:
    """Each minute: the practitioners whose digest time has come today get theirs."""
    send_due_digests(utcnow())


def send_due_digests(now: datetime) -> int:
    practitioners = db.session.execute(
        select(User.id, User.timezone).where(User.role == "practitioner")
    ).all()
    settings = settings_for_many(uid for uid, _ in practitioners)
    due = [
        (uid, tz)
        for uid, tz in practitioners
        if rules.digest_due(now, tz, settings[uid].digest_time, settings[uid].digest_through)
    ]
    if not due:
        return 0
    counts = _digest_counts(now, [uid for uid, _ in due])
    sent = 0
    for uid, tz in due:
        row = settings[uid]
        count = counts.get(uid, 0)
        if count:
            day = rules.local_date_of(now, tz).isoformat()
            told = notify(
                uid,
                "alert_digest",
                title="Alerts to review",
                body=f"{count} new alert{'s' if count != 1 else ''} about your clients.",
                url="/clients",
                key=f"alert_digest:{day}",
            )
            sent += told is not None
        if row not in db.session:
            row = db.session.get(NotificationSettings, uid) or row
            db.session.add(row)
        row.digest_through = now
        db.session.commit()
    return sent


def _digest_counts(now: datetime, practitioner_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Alerts not told at once, since each practitioner's last digest, in one statement."""
    since = func.coalesce(
        NotificationSettings.digest_through,
        literal(rules.digest_window_start(now, None), UTCDateTime),
    )
    rows = db.session.execute(
        select(Alert.practitioner_id, func.count())
        .join(Consent, in_force(Alert.runner_id, Alert.practitioner_id))
        .outerjoin(NotificationSettings, NotificationSettings.user_id == Alert.practitioner_id)
        .where(
            Alert.practitioner_id.in_(practitioner_ids),
            Alert.level.not_in(AT_ONCE),
            Alert.acknowledged_at.is_(None),
            and_(Alert.created_at > since, Alert.created_at <= now),
        )
        .group_by(Alert.practitioner_id)
    ).all()
    return {pid: n for pid, n in rows}


@periodic(crontab(minute="0"))
def notice_quiet_runners() -> None:
    """Hourly: runners for whom it is QUIET_CHECK_HOUR now get their daily check."""
    notice_quiet_runners_at(utcnow())


def notice_quiet_runners_at(now: datetime) -> int:
    from backend.practice.alerts import quiet_alerts
    from backend.practice.service import client_activity

    linked = db.session.execute(
        select(Consent.practitioner_id, Consent.runner_id, User.timezone)
        .join(User, User.id == Consent.runner_id)
        .where(Consent.revoked_at.is_(None))
    ).all()
    by_practitioner: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for practitioner_id, runner_id, tz in linked:
        if rules.local_hour_is(now, tz, QUIET_CHECK_HOUR):
            by_practitioner[practitioner_id].add(runner_id)
    for practitioner_id, runners in by_practitioner.items():
        clients = [c for c in client_activity(practitioner_id) if c.id in runners]
        quiet_alerts(practitioner_id, clients, now)
    return sum(len(r) for r in by_practitioner.values())
