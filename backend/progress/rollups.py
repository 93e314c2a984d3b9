"""Keeps `run_rollups` equal to the runs, in the same transaction as every run write.

A session hook sees each run the ORM inserts, changes or deletes (the runs service, the
imports, the demo, the privacy erase) and turns it into a delta on its rollup row: minus
the figures it had, plus the figures it has. A second hook reads the rows of an
`insert(Run)` given many rows through the session. Other statements that change runs
without the ORM (`update(Run)`, `delete(Run)`) pass neither hook: call `rebuild()` after
them (a user's deletion needs nothing: the rollups go with the user).

A time-zone change does not move a stored run (its `local_date` stays the day it was in
the runner's calendar then), so it changes no rollup; a run edited afterwards is dated in
the new zone by the runs service and its delta moves it.
"""

from __future__ import annotations

import typing
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Float, Table, case, cast, delete, event, func, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from backend.progress.models import NO_TERRAIN, RunRollup
from backend.runs.models import Run
from backend.runs.morning import course

# What a rollup row sums, in RunRollup's column order.
SUMS = (
    "runs",
    "rated",
    "stiffness_sum",
    "km",
    "seconds",
    "unweighed",
    "unweighed_km",
    "unweighed_s",
    "weight_km",
    "weight_s",
    "mornings",
    "morning_sum",
    "lingering",
)
# The run columns a rollup depends on: a change to any other column moves nothing.
_INPUTS = (
    "user_id",
    "local_date",
    "surface",
    "workout_type",
    "terrain",
    "stiffness",
    "distance_km",
    "duration_s",
    "body_weight_kg",
    "morning_stiffness",
)

Key = tuple[uuid.UUID, Any, str, str, str]


def _figures(values: dict[str, Any]) -> tuple[Key, list[float]]:
    stiffness, morning = values["stiffness"], values["morning_stiffness"]
    km, secs = float(values["distance_km"]), int(values["duration_s"])
    weight = values["body_weight_kg"]
    lingered = stiffness is not None and course(stiffness, morning) == "lingering"
    key = (
        values["user_id"],
        values["local_date"],
        values["surface"],
        values["workout_type"],
        values["terrain"] or NO_TERRAIN,
    )
    return key, [
        1,
        0 if stiffness is None else 1,
        stiffness or 0,
        km,
        secs,
        1 if weight is None else 0,
        km if weight is None else 0.0,
        secs if weight is None else 0,
        0.0 if weight is None else float(weight) * km,
        0.0 if weight is None else float(weight) * secs,
        0 if morning is None else 1,
        morning or 0,
        1 if lingered else 0,
    ]


def _current(run: Run) -> dict[str, Any]:
    return {name: getattr(run, name) for name in _INPUTS}


def _stored(run: Run) -> dict[str, Any]:
    """The run's figures as the database (and so the rollups) last saw them."""
    state = inspect(run)
    values = {}
    for name in _INPUTS:
        history = state.attrs[name].history
        if history.deleted:
            values[name] = history.deleted[0]
        elif history.unchanged:
            values[name] = history.unchanged[0]
        else:
            values[name] = getattr(run, name)
    return values


def _changed(run: Run) -> bool:
    state = inspect(run)
    return any(state.attrs[name].history.has_changes() for name in _INPUTS)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    deltas: dict[Key, list[float]] = defaultdict(lambda: [0.0] * len(SUMS))

    def add(values: dict[str, Any], sign: int) -> None:
        key, figures = _figures(values)
        row = deltas[key]
        for i, v in enumerate(figures):
            row[i] += sign * v

    for obj in session.new:
        if isinstance(obj, Run):
            add(_current(obj), 1)
    for obj in session.dirty:
        if isinstance(obj, Run) and _changed(obj):
            add(_stored(obj), -1)
            add(_current(obj), 1)
    for obj in session.deleted:
        if isinstance(obj, Run) and inspect(obj).persistent:
            add(_stored(obj), -1)
    moved = {k: v for k, v in deltas.items() if any(v)}
    if moved:
        apply(session, moved)


_DEFAULTS = {"terrain": None, "stiffness": None, "body_weight_kg": None, "morning_stiffness": None}


def _on_execute(state: ORMExecuteState) -> None:
    """An ORM `insert(Run)` with rows as parameters: their deltas, before they go in."""
    if not state.is_insert or state.bind_mapper is None or state.bind_mapper.class_ is not Run:
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    deltas: dict[Key, list[float]] = defaultdict(lambda: [0.0] * len(SUMS))
    for row in rows:
        key, figures = _figures(_DEFAULTS | {k: v for k, v in row.items() if k in _INPUTS})
        total = deltas[key]
        for i, v in enumerate(figures):
            total[i] += v
    if deltas:
        apply(state.session, deltas)


def apply(session: Session, deltas: dict[Key, list[float]]) -> None:
    """Add each delta to its row (made when missing); drop rows left with no run."""
    conn = session.connection()
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    table = typing.cast(Table, RunRollup.__table__)
    stmt = upsert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "local_date", "surface", "workout_type", "terrain"],
        set_={name: table.c[name] + stmt.excluded[name] for name in SUMS},
    )
    rows = []
    for (user_id, day, surface, workout, terrain), values in sorted(
        deltas.items(), key=lambda item: (str(item[0][0]), item[0][1:])
    ):
        row: dict[str, Any] = {
            "user_id": user_id,
            "local_date": day,
            "surface": surface,
            "workout_type": workout,
            "terrain": terrain,
        }
        for name, value in zip(SUMS, values, strict=True):
            row[name] = value if name in _FLOATS else round(value)
        rows.append(row)
    conn.execute(stmt, rows[0] if len(rows) == 1 else rows)  # a run write moves one or two
    users = {r["user_id"] for r in rows}
    conn.execute(delete(table).where(table.c.user_id.in_(users), table.c.runs <= 0))


_FLOATS = frozenset({"km", "unweighed_km", "weight_km", "weight_s"})


def rebuild(session: Session, user_ids: Iterable[uuid.UUID] | None = None) -> int:
    """Recompute rollups from the runs (all runners, or the given ones); rows written."""
    ids = list(user_ids) if user_ids is not None else None
    wipe = delete(RunRollup)
    if ids is not None:
        wipe = wipe.where(RunRollup.user_id.in_(ids))
    session.execute(wipe)
    weighed = Run.body_weight_kg.is_not(None)
    weight = cast(Run.body_weight_kg, Float)
    from backend.runs.morning import lingering_sql

    def total(value: Any, when: Any = None) -> Any:
        return func.coalesce(func.sum(value if when is None else case((when, value))), 0)

    terrain = func.coalesce(Run.terrain, NO_TERRAIN)
    query = select(
        Run.user_id,
        Run.local_date,
        Run.surface,
        Run.workout_type,
        terrain,
        func.count(),
        func.count(Run.stiffness),
        total(Run.stiffness),
        total(Run.distance_km),
        total(Run.duration_s),
        total(1, ~weighed),
        total(Run.distance_km, ~weighed),
        total(Run.duration_s, ~weighed),
        total(weight * Run.distance_km, weighed),
        total(weight * Run.duration_s, weighed),
        func.count(Run.morning_stiffness),
        total(Run.morning_stiffness),
        total(1, lingering_sql(Run.stiffness, Run.morning_stiffness)),
    ).group_by(Run.user_id, Run.local_date, Run.surface, Run.workout_type, terrain)
    if ids is not None:
        query = query.where(Run.user_id.in_(ids))
    names = ("user_id", "local_date", "surface", "workout_type", "terrain", *SUMS)
    rows = [dict(zip(names, r, strict=True)) for r in session.execute(query)]
    for start in range(0, len(rows), 1000):
        session.execute(insert(RunRollup), rows[start : start + 1000])
    return len(rows)


def install() -> None:
    """Hook every ORM session (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
        # Load the stored value before a change, so the delta knows what to take away.
        for name in _INPUTS:
            event.listen(getattr(Run, name), "set", _noop, active_history=True)


def _noop(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value
