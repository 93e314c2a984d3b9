"""Looking into the database for rows about a user, by walking the table metadata."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select

from backend.extensions import db
from backend.privacy.service import owner_columns
from backend.routines.content import load_builtin
from tests.support import run_body


def rows_about(session: Any, user_id: uuid.UUID) -> dict[str, int]:
    """Per table, how many rows name this user in any column that refers to users.id."""
    counts = {}
    for table in db.metadata.sorted_tables:
        columns = owner_columns(table)
        if table.name == "users":
            columns = [table.c.id]
        if not columns:
            continue
        counts[table.name] = session.scalar(
            select(func.count())
            .select_from(table)
            .where(or_(*(column == user_id for column in columns)))
        )
    return counts


def link(app: Any, runner_id: uuid.UUID, practitioner_id: uuid.UUID) -> None:
    """The runner joins the practitioner with the practitioner's invite code."""
    from backend.auth.models import User
    from backend.consent import join_with_code
    from backend.practice.service import current_invite

    with app.app_context():
        practitioner = db.session.get(User, practitioner_id)
        runner = db.session.get(User, runner_id)
        join_with_code(runner, current_invite(practitioner).code)
        db.session.remove()


def unlink(app: Any, runner_id: uuid.UUID) -> None:
    from backend.auth.models import User
    from backend.practice.service import revoke_practitioner

    with app.app_context():
        revoke_practitioner(db.session.get(User, runner_id))
        db.session.remove()


def practice_history(app: Any, runner_api: Any, practitioner_api: Any, runner: Any) -> dict:
    """A runner's life with a practitioner: every kind of row the practice features make.

    Consent granted, revoked and granted again; a run with a red flag (an alert); a note,
    an assignment and a read of the client's runs (an access log row); a routine done.
    """
    with app.app_context():
        load_builtin()
        db.session.remove()
    code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
    for step in ("join", "revoke", "join"):
        if step == "join":
            response = runner_api.post("/api/v1/me/practitioner", {"invite_code": code})
        else:
            response = runner_api.delete("/api/v1/me/practitioner")
        assert response.status_code in (201, 204), response.get_json()
    client = f"/api/v1/clients/{runner.id}"
    routine_id = runner_api.get("/api/v1/routines").get_json()["items"][0]["id"]
    made = {
        "run": runner_api.post("/api/v1/runs", run_body(red_flags=["sharp_pain"])),
        "note": practitioner_api.post(f"{client}/notes", {"body": "Guarding on hills."}),
        "assignment": practitioner_api.post(
            f"{client}/assignments",
            {"routine_id": routine_id, "weekdays": [0, 3], "starts_on": "2026-01-05"},
        ),
        "session": runner_api.post(
            "/api/v1/sessions",
            {
                "id": str(uuid.uuid4()),
                "routine_id": routine_id,
                "completed_at": datetime.now(UTC).isoformat(),
            },
        ),
    }
    for name, response in made.items():
        assert response.status_code == 201, (name, response.get_json())
    assert practitioner_api.get(f"{client}/runs").status_code == 200
    alerts = practitioner_api.get("/api/v1/alerts").get_json()["items"]
    assert len(alerts) == 1
    ids = {name: response.get_json()["id"] for name, response in made.items()}
    return {**ids, "alert": alerts[0]["id"]}
