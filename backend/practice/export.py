"""A client's runs, routine sessions and questionnaire scores as one CSV file, a row each,
oldest first."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from backend.auth.models import User
from backend.extensions import db
from backend.outcomes.service import outcomes_for
from backend.routines.models import Routine, RoutineSession
from backend.runs.models import Run
from backend.runs.service import estimate_for

COLUMNS = (
    "record",
    "id",
    "local_date",
    "at_utc",
    "distance_km",
    "duration_s",
    "surface",
    "workout_type",
    "stiffness_0_10",
    "stiffness_areas",
    "red_flags",
    "advice_level",
    "steps_estimate_mid",
    "load_kg_estimate_mid",
    "routine",
    "notes",
    "questionnaire",
    "score",
    "change_from_first",
    "judgement",
)
# A cell starting with one of these would run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def content_disposition(display_name: str, day: date) -> str:
    """An attachment header for any name (RFC 6266): `filename*` carries the name in
    UTF-8 (RFC 5987), `filename` an ASCII fallback for clients that do not read it."""
    name = "".join(ch if ch.isalnum() else "-" for ch in display_name.lower()).strip("-")
    full = f"limber-{name or 'client'}-{day.isoformat()}.csv"
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = "-".join(part for part in plain.split("-") if part)
    if not plain.isascii() or not plain.replace("-", "").isalnum():
        plain = ""
    fallback = f"limber-{plain or 'client'}-{day.isoformat()}.csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(full, safe='')}"


def export_csv(client: User) -> str:
    runs = db.session.scalars(
        select(Run).where(Run.user_id == client.id).order_by(Run.started_at, Run.id)
    )
    rows = [_run_row(run) for run in runs]
    rows += [
        {
            "record": "session",
            "id": session_id,
            "local_date": local_date.isoformat(),
            "at_utc": completed_at.isoformat(),
            "routine": routine_name,
            "notes": notes,
        }
        for session_id, local_date, completed_at, routine_name, notes in db.session.execute(
            select(
                RoutineSession.id,
                RoutineSession.local_date,
                RoutineSession.completed_at,
                Routine.name,
                RoutineSession.notes,
            )
            .join(Routine, Routine.id == RoutineSession.routine_id)
            .where(RoutineSession.runner_id == client.id)
        )
    ]
    rows += outcome_rows(client)
    rows.sort(key=lambda r: r["at_utc"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe(v) for k, v in row.items()})
    return out.getvalue()


def _run_row(run: Run) -> dict[str, Any]:
    est = estimate_for(run)  # the figures the app shows, moving time and cadence included
    steps = (est["steps"]["low"] + est["steps"]["high"]) / 2
    total = est.get("total_load_kg")
    kg = (total["low"] + total["high"]) / 2 if total else None
    return {
        "record": "run",
        "id": run.id,
        "local_date": run.local_date.isoformat(),
        "at_utc": run.started_at.isoformat(),
        "distance_km": run.distance_km,
        "duration_s": run.duration_s,
        "surface": run.surface,
        "workout_type": run.workout_type,
        "stiffness_0_10": run.stiffness,
        "stiffness_areas": ";".join(run.stiffness_areas or []),
        "red_flags": ";".join(run.red_flags or []),
        "advice_level": run.advice_level,
        "steps_estimate_mid": round(steps),
        "load_kg_estimate_mid": round(kg) if kg is not None else "",
        "notes": run.notes or "",
    }


def outcome_rows(client: User) -> list[dict[str, Any]]:
    """Every questionnaire score with its date and its change from the first."""
    rows = []
    for instrument in outcomes_for(client)["instruments"]:
        q = instrument["questionnaire"]
        label = q.definition.get("short_name") or q.name
        for point in instrument["responses"]:
            rows.append(
                {
                    "record": "questionnaire",
                    "id": point["id"],
                    "local_date": point["local_date"].isoformat(),
                    "at_utc": point["answered_at"].isoformat(),
                    "questionnaire": label,
                    "score": point["score"],
                    "change_from_first": "" if point["change"] is None else point["change"],
                    "judgement": (point["judgement"] or "").replace("_", " "),
                }
            )
    return rows


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
