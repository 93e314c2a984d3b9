"""The practitioner's roster: every consenting client with a summary, attention first.

The number of SQL statements is the same for five clients or five hundred.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from backend.auth.models import User
from backend.consent import consenting_runner_ids, record_access
from backend.dates import local_today
from backend.extensions import db
from backend.outcomes.service import worsening_among
from backend.practice import alerts
from backend.practice.service import client_activity
from backend.progress.service import morning_after_many, recent_trends
from backend.routines.plan.service import adherence_for_many
from backend.runs.morning import still_stiff_phrase

# Next-morning patterns are read over this many days.
MORNING_DAYS = 42

LOW_ADHERENCE = 0.5
LEVEL_LABELS = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_professional": "see a professional soon",
    "warning": "warning",
}


def record_roster_view(practitioner: User) -> None:
    """A repeat view answered 304 is still a read: each client's log shows it."""
    ids = list(db.session.scalars(consenting_runner_ids(practitioner.id)))
    record_access(practitioner.id, ids, "summary")


def roster(practitioner: User, now: datetime) -> list[dict[str, Any]]:
    clients = client_activity(practitioner.id)
    ids = [c.id for c in clients]
    open_alerts = alerts.open_alert_summary(practitioner.id)
    # Each client's own calendar: "today" and the last 14 days are where they live.
    todays = {c.id: local_today(c, now) for c in clients}
    trends = recent_trends(ids, todays)
    adherence = adherence_for_many(ids, None, None, window_days=14, with_streak=False)
    worsening = worsening_among(ids)
    latest = max(todays.values(), default=now.date())
    mornings = morning_after_many(ids, latest - timedelta(days=MORNING_DAYS - 1), latest)
    record_access(practitioner.id, ids, "summary")

    items = []
    for c in clients:
        count, highest = open_alerts.get(c.id, (0, None))
        adh = adherence[c.id]
        item = {
            "id": c.id,
            "display_name": c.display_name,
            "email": c.email,
            "linked_since": c.linked_since,
            "last_run_at": c.last_run_at,
            "latest_stiffness": c.latest_stiffness,
            "trend_14d": trends[c.id],
            "adherence_14d": {"planned": adh["planned"], "done": adh["done"], "rate": adh["rate"]},
            "open_alerts": {"count": count, "highest_level": highest},
            "outcomes_worse": worsening.get(c.id, []),
        }
        item["reasons"] = _reasons(item, now - c.last_active) + [
            still_stiff_phrase(w["workout_type"])
            for w in mornings[c.id]["by_workout_type"]
            if w["lingers"]
        ]
        item["needs_attention"] = bool(item["reasons"])
        items.append(item)
    items.sort(key=_attention_order)
    return items


def _reasons(item: dict[str, Any], quiet_for: timedelta) -> list[str]:
    reasons = []
    open_ = item["open_alerts"]
    if open_["count"]:
        plural = "s" if open_["count"] > 1 else ""
        level = LEVEL_LABELS[open_["highest_level"]]
        reasons.append(f"{open_['count']} open alert{plural} (most serious: {level})")
    if item["latest_stiffness"] is not None and item["latest_stiffness"] >= alerts.HIGH_STIFFNESS:
        reasons.append(f"Last run left stiffness at {item['latest_stiffness']}/10")
    if item["outcomes_worse"]:
        reasons.append(
            f"Meaningful worsening on {', '.join(item['outcomes_worse'])} since the first answers"
        )
    if item["trend_14d"]["direction"] == "worsening":
        change = item["trend_14d"]["change"]
        reasons.append(f"Stiffness up {change:.1f} points over the last 14 days")
    if quiet_for >= timedelta(days=alerts.QUIET_DAYS):
        reasons.append(f"Nothing logged for {quiet_for.days} days")
    adh = item["adherence_14d"]
    if adh["rate"] is not None and adh["rate"] < LOW_ADHERENCE:
        reasons.append(f"Did {adh['done']} of {adh['planned']} planned routines in 14 days")
    return reasons


def _attention_order(item: dict[str, Any]) -> tuple[Any, ...]:
    level = item["open_alerts"]["highest_level"]
    return (
        not item["needs_attention"],
        -alerts.LEVEL_RANK.get(level or "", 0),
        -len(item["reasons"]),
        item["display_name"].lower(),
    )
