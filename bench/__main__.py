"""Times the API's hot paths on a populated database and prints figures, not verdicts.

    python -m bench                      # SQLite in a temporary folder
    python -m bench --database-url postgresql://postgres@127.0.0.1:5432/test
    python -m bench --runs 10000 --clients 200 --repeat 30
    python -m bench --import-activities 200   # the import scenario (0 leaves it out)

Each scenario reports p50/p95 latency through the WSGI app (no network), the number of
SQL statements per request, and the peak Python memory allocated while serving it.
Targets are listed in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from backend import create_app
from backend.auth.models import User
from backend.auth.passwords import make_hasher
from backend.extensions import db
from backend.practice.models import Consent
from backend.runs.models import Run
from tests.support import Api, run_body, temporary_database

PASSWORD = "bench-password-long"


@dataclass
class Figures:
    name: str
    p50_ms: float
    p95_ms: float
    statements: int
    peak_kib: float
    status: int


def _populate(app: Any, runs: int, clients: int) -> tuple[Any, Any]:
    rng = random.Random(1)
    password_hash = make_hasher(1, 1024, 1).hash(PASSWORD)
    now = datetime.now(UTC)
    with app.app_context():
        coach = User(
            email="coach@bench.test",
            password_hash=password_hash,
            display_name="Coach",
            role="practitioner",
        )
        runner = User(
            email="runner@bench.test",
            password_hash=password_hash,
            display_name="Runner",
            role="runner",
            body_weight_kg=70,
        )
        db.session.add_all([coach, runner])
        db.session.flush()
        others = [
            {
                "id": uuid.uuid4(),
                "email": f"c{i}@bench.test",
                "password_hash": password_hash,
                "display_name": f"Client {i}",
                "role": "runner",
                "units": "metric",
                "timezone": "UTC",
                "created_at": now,
            }
            for i in range(clients - 1)
        ]
        if others:
            db.session.execute(insert(User), others)
        client_ids = [runner.id] + [o["id"] for o in others]
        db.session.execute(
            insert(Consent),
            [
                {
                    "id": uuid.uuid4(),
                    "runner_id": cid,
                    "practitioner_id": coach.id,
                    "granted_at": now - timedelta(days=120),
                }
                for cid in client_ids
            ],
        )
        rows = []
        for i in range(runs):
            owner = runner.id if i < runs * 0.8 or len(client_ids) == 1 else rng.choice(client_ids)
            started = now - timedelta(hours=7 * i + rng.randint(0, 5))
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "user_id": owner,
                    "started_at": started,
                    "local_date": started.date(),
                    "distance_km": round(rng.uniform(3, 20), 2),
                    "duration_s": rng.randint(900, 7200),
                    "surface": rng.choice(["road", "trail", "track", "grass"]),
                    "workout_type": rng.choice(["easy", "long", "hills", "tempo"]),
                    "stiffness": rng.randint(0, 9),
                    "stiffness_areas": ["low_back"],
                    "red_flags": [],
                    "advice_level": "none",
                    "notes": "",
                    "fingerprint": uuid.uuid4().hex,
                    "created_at": started,
                    "updated_at": started,
                }
            )
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(Run), rows[start : start + 2000])
        db.session.commit()
        made = (runner.email, coach.email)
        db.session.remove()
    return made


def _measure(app: Any, name: str, call: Callable[[], Any], repeat: int) -> Figures:
    with app.app_context():
        engine = db.engine
    count = 0

    def hit(*_: Any) -> None:
        nonlocal count
        count += 1

    call()  # warm caches and connections
    timings = []
    event.listen(engine, "before_cursor_execute", hit)
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            response = call()
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        event.remove(engine, "before_cursor_execute", hit)
    # Memory is measured in a separate pass: tracing allocations slows everything down.
    tracemalloc.start()
    try:
        call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    timings.sort()
    return Figures(
        name=name,
        p50_ms=statistics.median(timings),
        p95_ms=timings[max(0, int(len(timings) * 0.95) - 1)],
        statements=round(count / repeat),
        peak_kib=peak / 1024,
        status=response.status_code,
    )


def run(
    database_url: str | None, runs: int, clients: int, repeat: int, activities: int = 0
) -> tuple[list[Figures], Any]:
    class _Tmp:
        def mktemp(self, name: str) -> Path:
            return Path(tempfile.mkdtemp(prefix=f"limber-bench-{name}-"))

    with temporary_database(database_url, _Tmp()) as url:  # type: ignore[arg-type]
        from flask_migrate import upgrade

        app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
        runner_email, coach_email = _populate(app, runs, clients)
        runner = Api(app.test_client())
        runner.login(type("U", (), {"email": runner_email})(), PASSWORD)
        coach = Api(app.test_client())
        coach.login(type("U", (), {"email": coach_email})(), PASSWORD)
        today = datetime.now(UTC).date().isoformat()
        scenarios: list[tuple[str, Callable[[], Any]]] = [
            ("POST /api/v1/runs", lambda: runner.post("/api/v1/runs", run_body())),
            ("GET /api/v1/runs?limit=50", lambda: runner.get("/api/v1/runs?limit=50")),
            ("GET /api/v1/today", lambda: runner.get(f"/api/v1/today?date={today}")),
            ("GET /api/v1/progress", lambda: runner.get("/api/v1/progress")),
            (
                "GET /api/v1/progress (all)",
                lambda: runner.get(f"/api/v1/progress?from=2000-01-01&to={today}"),
            ),
            ("GET /api/v1/clients", lambda: coach.get("/api/v1/clients")),
            ("GET /api/v1/alerts", lambda: coach.get("/api/v1/alerts")),
        ]
        results = [_measure(app, name, call, repeat) for name, call in scenarios]
        imported = None
        if activities and "imports.Imports" in app.view_functions:
            from bench.imports import measure_import

            imported = measure_import(app, runner, activities)
        with app.app_context():
            db.engine.dispose()
        return results, imported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--import-activities", type=int, default=200)
    args = parser.parse_args(argv)
    backend_name = "postgresql" if args.database_url else "sqlite"
    print(
        f"Limber benchmark: {backend_name}, {args.runs} runs, {args.clients} clients, "
        f"{args.repeat} requests per scenario"
    )
    print(f"{'scenario':<28} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5} {'peak KiB':>9}")
    results, imported = run(
        args.database_url, args.runs, args.clients, args.repeat, args.import_activities
    )
    for f in results:
        if f.status == 404:
            print(f"{f.name:<28} {'n/a':>6}  (not in this version)")
            continue
        print(
            f"{f.name:<28} {f.status:>6} {f.p50_ms:>8.1f} {f.p95_ms:>8.1f} "
            f"{f.statements:>5} {f.peak_kib:>9.0f}"
        )
    if imported is not None:
        from bench.imports import report

        print(report(imported))
    return 0


if __name__ == "__main__":
    sys.exit(main())
