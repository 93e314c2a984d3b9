"""`make bench`: Limber under gunicorn with the project's own config, loaded on loopback.

    python -m bench                           # SQLite, then PostgreSQL when it answers
    python -m bench --only sqlite --seconds 3
    python -m bench --database-url postgresql://postgres@127.0.0.1:5432/test

For each database it builds a fresh one from the migrations, fills it (a runner with
2,000 runs, runners with 100 and 10,000, practitioners with 5 and 200 consenting
clients), starts gunicorn with deploy/gunicorn.conf.py (2 sync workers, as in the
issue's measurements), signs the users in, and drives each endpoint with wrk for a few
seconds. Per endpoint it prints req/s, p50/p95/p99, the ratio to `/healthz` in the same
run, SQL statements and app CPU per request (counted in the workers), and at the end the
workers' resident memory, the scaling rows, a steady-load run across worker restarts and
the import scenario. Each figure with a target is printed beside it: holds or misses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.load import Gaps, Load, steady, wrk

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-long"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
WORKERS = 2
CONNECTIONS = 4


# --- the data -----------------------------------------------------------------------


def _populate(app: Any) -> dict[str, str]:
    """Users and runs; returns role name -> email."""
    from backend.auth.models import User
    from backend.auth.passwords import make_hasher
    from backend.extensions import db
    from backend.practice.models import Consent
    from backend.runs.models import Run

    rng = random.Random(1)
    password_hash = make_hasher(1, 1024, 1).hash(PASSWORD)
    now = datetime.now(UTC)

    def user(name: str, role: str) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "email": f"{name}@bench.test",
            "password_hash": password_hash,
            "display_name": name.title(),
            "role": role,
            "units": "metric",
            "timezone": "UTC",
            "body_weight_kg": 70,
            "created_at": now - timedelta(days=3000),
        }

    named = {n: user(n, "runner") for n in ("runner", "small", "large")}
    named |= {n: user(n, "practitioner") for n in ("coach5", "coach200")}
    clients = [user(f"client{i}", "runner") for i in range(205)]  # one practitioner each

    def runs(owner: uuid.UUID, n: int, every_hours: float) -> list[dict[str, Any]]:
        rows = []
        for i in range(n):
            started = now - timedelta(hours=every_hours * (i + 1) + rng.randint(0, 5))
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "user_id": owner,
                    "started_at": started,
                    "local_date": started.date(),
                    "distance_km": round(rng.uniform(3, 20), 2),
                    "duration_s": rng.randint(1500, 6000),
                    "surface": rng.choice(["road", "trail", "track", "grass"]),
                    "workout_type": rng.choice(["easy", "long", "hills", "tempo"]),
                    "terrain": rng.choice([None, "flat", "rolling", "hilly"]),
                    "stiffness": rng.randint(0, 9),
                    "morning_stiffness": rng.choice([None, rng.randint(0, 6)]),
                    "stiffness_areas": ["low_back"],
                    "red_flags": [],
                    "advice_level": "none",
                    "notes": "",
                    "fingerprint": uuid.uuid4().hex,
                    "created_at": started,
                    "updated_at": started,
                }
            )
        return rows

    with app.app_context():
        db.session.execute(insert(User), [*named.values(), *clients])
        consents = [
            {"id": uuid.uuid4(), "runner_id": c["id"], "practitioner_id": coach["id"]}
            for coach, group in ((named["coach5"], clients[:5]), (named["coach200"], clients[5:]))
            for c in group
        ]
        for row in consents:
            row["granted_at"] = now - timedelta(days=120)
        db.session.execute(insert(Consent), consents)
        rows = runs(named["runner"]["id"], 2000, 21)  # ~3.3 years, the runner
        rows += runs(named["small"]["id"], 100, 21)
        rows += runs(named["large"]["id"], 10_000, 7)  # ~8 years
        for c in clients:
            rows += runs(c["id"], 3, 30)
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(Run), rows[start : start + 2000])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {name: u["email"] for name, u in named.items()}


# --- the server ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    env: dict[str, str]
    folder: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self, **extra: str) -> None:
        env = {
            **os.environ,
            **self.env,
            **extra,
            "BENCH_PORT": str(self.port),
            "BENCH_STATS_DIR": str(self.folder),
            "WEB_CONCURRENCY": str(WORKERS),
        }
        log = open(self.folder / "gunicorn.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "bench/gunicorn_bench.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the JSON access lines: written, not kept
            stderr=log,
        )
        deadline = time.monotonic() + 240  # a loaded machine imports slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 240 s; see " + str(self.folder))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
            self.process = None

    def worker_stats(self) -> tuple[dict[str, list[float]], list[int]]:
        routes: dict[str, list[float]] = {}
        rss = []
        for path in self.folder.glob("*.json"):
            data = json.loads(path.read_text())
            rss.append(data["rss_kib"])
            for key, values in data["routes"].items():
                total = routes.setdefault(key, [0, 0.0, 0])
                for i, v in enumerate(values):
                    total[i] += v
        return routes, rss


class Client:
    """A signed-in session as a browser holds it: cookie and CSRF token."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.cookie = ""
        self.csrf = self._csrf()
        status, _, _ = self.call(
            "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD}
        )
        if status != 200:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        self.csrf = self._csrf()

    def _csrf(self) -> str:
        _, body, _ = self.call("GET", "/api/v1/auth/csrf")
        return str(json.loads(body)["csrf_token"])

    def headers(self, unsafe: bool = False) -> dict[str, str]:
        h = {"Cookie": self.cookie, "Accept-Encoding": "gzip"}
        if unsafe:
            h |= {"X-CSRFToken": self.csrf, "Content-Type": "application/json"}
            h["Referer"] = self.base + "/"
        return h

    def call(
        self, method: str, path: str, body: Any = None, extra: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        data = json.dumps(body).encode() if body is not None else None
        headers = self.headers(unsafe=method != "GET") | (extra or {})
        headers.pop("Accept-Encoding")
        request = urllib.request.Request(self.base + path, data, headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, payload, got = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            status, payload, got = exc.code, exc.read(), dict(exc.headers)
        cookie = got.get("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return status, payload, got


# --- the scenarios ------------------------------------------------------------------


@dataclass
class Row:
    name: str
    route: str  # "METHOD path status" as the workers count it
    load: Load
    # The same endpoint on one connection: one request at a time keeps one of the two
    # workers busy, so the server runs at half its saturating rate or below.
    half: Load | None = None
    statements: float = 0.0
    cpu_ms: float = 0.0


def _run_body() -> str:
    from tests.support import run_body

    started = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    return json.dumps(run_body(started_at=started))


def measure(server: Server, users: dict[str, str], seconds: float) -> dict[str, Any]:
    base = server.base
    who = {name: Client(base, email) for name, email in users.items()}
    today = datetime.now(UTC).date()
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    ever = f"from=2000-01-01&to={today.isoformat()}"
    runner = who["runner"]
    _, _, tagged = runner.call("GET", "/api/v1/today")
    plan: list[tuple[str, str, str, Client | None, dict[str, str], str | None]] = [
        ("GET /healthz", "GET", "/healthz", None, {}, None),
        ("GET /api/v1/today", "GET", "/api/v1/today", runner, {}, None),
        (
            "GET /api/v1/today (repeat, 304)",
            "GET",
            "/api/v1/today",
            runner,
            {"If-None-Match": tagged.get("ETag", "")},
            None,
        ),
        ("GET /api/v1/runs?limit=50", "GET", "/api/v1/runs?limit=50", runner, {}, None),
        ("GET /api/v1/progress (12 weeks)", "GET", "/api/v1/progress", runner, {}, None),
        ("GET /api/v1/progress (1 year)", "GET", f"/api/v1/progress?{year}", runner, {}, None),
        ("GET /api/v1/progress (all time)", "GET", f"/api/v1/progress?{ever}", runner, {}, None),
        ("progress all time, 100 runs", "GET", f"/api/v1/progress?{ever}", who["small"], {}, None),
        (
            "progress all time, 10,000 runs",
            "GET",
            f"/api/v1/progress?{ever}",
            who["large"],
            {},
            None,
        ),
        ("GET /api/v1/clients (5)", "GET", "/api/v1/clients", who["coach5"], {}, None),
        ("GET /api/v1/clients (200)", "GET", "/api/v1/clients", who["coach200"], {}, None),
        ("POST /api/v1/runs", "POST", "/api/v1/runs", runner, {}, _run_body()),
        ("GET /healthz (again)", "GET", "/healthz", None, {}, None),
    ]
    sizes = {}
    for label, path, user in (
        ("all time", f"/api/v1/progress?{ever}", runner),
        ("1 year", f"/api/v1/progress?{year}", runner),
    ):
        _, body, _ = user.call("GET", path)
        sizes[label] = (len(body), len(gzip.compress(body)))
    rows = []
    for name, method, path, client, extra, body in plan:
        headers = (client.headers(unsafe=method != "GET") if client else {}) | extra
        wrk(base + path, 1, CONNECTIONS, method, headers, body)  # warm up
        load = wrk(base + path, seconds, CONNECTIONS, method, headers, body)
        half = wrk(base + path, max(2.0, seconds / 2), 1, method, headers, body)
        rows.append(Row(name, f"{method} {path.split('?')[0]}", load, half))
    return {"rows": rows, "sizes": sizes}


def _attach_costs(server: Server, rows: list[Row]) -> list[int]:
    """Per-request statements and CPU from the workers' counters (all runs of a route
    with the same data share one entry, so those are read from dedicated routes)."""
    routes, rss = server.worker_stats()
    for row in rows:
        matches = [v for k, v in routes.items() if k.rsplit(" ", 1)[0] == row.route]
        n = sum(v[0] for v in matches)
        if n:
            row.cpu_ms = 1000 * sum(v[1] for v in matches) / n
            row.statements = sum(v[2] for v in matches) / n
    return rss


def profile_costs(database_url: str, users: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Per-request CPU and statements for each scenario alone (the routes share paths)."""
    from backend import create_app
    from backend.extensions import db
    from bench.sqlcount import ServerStatements
    from tests.support import Api

    app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    app.config["RATELIMIT_ENABLED"] = False
    today = datetime.now(UTC).date()
    ever = f"from=2000-01-01&to={today.isoformat()}"
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    apis = {}
    for name, email in users.items():
        api = Api(app.test_client())
        api.login(type("U", (), {"email": email})(), PASSWORD)
        apis[name] = api
    runner = apis["runner"]
    tag = runner.get("/api/v1/today").headers.get("ETag", "")
    calls = {
        "GET /healthz": lambda: runner.get("/healthz"),
        "GET /api/v1/today": lambda: runner.get("/api/v1/today"),
        "GET /api/v1/today (repeat, 304)": lambda: runner.get(
            "/api/v1/today", headers={"If-None-Match": tag}
        ),
        "GET /api/v1/runs?limit=50": lambda: runner.get("/api/v1/runs?limit=50"),
        "GET /api/v1/progress (12 weeks)": lambda: runner.get("/api/v1/progress"),
        "GET /api/v1/progress (1 year)": lambda: runner.get(f"/api/v1/progress?{year}"),
        "GET /api/v1/progress (all time)": lambda: runner.get(f"/api/v1/progress?{ever}"),
        "progress all time, 100 runs": lambda: apis["small"].get(f"/api/v1/progress?{ever}"),
        "progress all time, 10,000 runs": lambda: apis["large"].get(f"/api/v1/progress?{ever}"),
        "GET /api/v1/clients (5)": lambda: apis["coach5"].get("/api/v1/clients"),
        "GET /api/v1/clients (200)": lambda: apis["coach200"].get("/api/v1/clients"),
        "POST /api/v1/runs": lambda: runner.post("/api/v1/runs", json.loads(_run_body())),
    }
    out = {}
    with app.app_context():
        engine = db.engine
    for name, call in calls.items():
        call()
        with ServerStatements(engine) as counter:
            started = time.process_time()
            for _ in range(20):
                call()
            cpu = (time.process_time() - started) / 20
        out[name] = (1000 * cpu, counter.count / 20)
    with app.app_context():
        db.engine.dispose()
    return out


# --- the report ---------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "holds" if ok else "misses"


def _p95(load: Load | None) -> float:
    return load.p95_ms if load and load.requests else float("inf")


def report(
    backend: str,
    rows: list[Row],
    sizes: dict[str, tuple[int, int]],
    rss: list[int],
    gaps: Gaps | None,
    restarts: int,
    costs: dict[str, tuple[float, float]],
) -> list[str]:
    health = [r for r in rows if r.name.startswith("GET /healthz")]
    health_rate = sum(r.load.rate for r in health) / len(health)
    by = {r.name: r for r in rows}
    out = [
        f"== {backend}: {WORKERS} sync workers, {CONNECTIONS} connections, "
        f"/healthz {health_rate:.0f} req/s (mean of first and last run)",
        f"{'endpoint':<34} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'ratio':>6} "
        f"{'SQL':>5} {'CPU ms':>7} {'in-proc CPU':>11} {'errors':>6} {'p95 half':>8}",
    ]
    for r in rows:
        cpu_alone, sql_alone = costs.get(r.name, (float("nan"), float("nan")))
        errors = r.load.errors + r.load.bad_status
        errors += (r.half.errors + r.half.bad_status) if r.half else 0
        out.append(
            f"{r.name:<34} {r.load.rate:>7.0f} {r.load.p50_ms:>6.1f} {r.load.p95_ms:>6.1f} "
            f"{r.load.p99_ms:>6.1f} {r.load.rate / health_rate:>6.2f} {sql_alone:>5.1f} "
            f"{r.cpu_ms:>7.2f} {cpu_alone:>11.2f} {errors:>6} {_p95(r.half):>8.1f}"
        )
    targets: list[tuple[str, str, bool]] = []

    def ratio(name: str) -> float:
        return by[name].load.rate / health_rate

    def cpu(name: str) -> float:
        return costs[name][0]

    targets.append(
        (
            "CPU per /healthz request ≤ 1 ms",
            f"{cpu('GET /healthz'):.2f} ms",
            cpu("GET /healthz") <= 1,
        )
    )
    for name, goal in (
        ("POST /api/v1/runs", 0.5),
        ("GET /api/v1/today", 0.5),
        ("GET /api/v1/progress (1 year)", 0.3),
    ):
        targets.append((f"{name} ÷ /healthz ≥ {goal}", f"{ratio(name):.2f}", ratio(name) >= goal))
    for name in ("GET /api/v1/progress (1 year)", "GET /api/v1/progress (all time)"):
        targets.append((f"{name} app CPU ≤ 10 ms", f"{cpu(name):.1f} ms", cpu(name) <= 10))
    raw, packed = sizes["all time"]
    targets.append(
        (
            "progress all time JSON ≤ 15 KB",
            f"{raw / 1000:.1f} KB ({packed / 1000:.1f} KB gzip)",
            raw <= 15_000,
        )
    )
    small, large = by["progress all time, 100 runs"], by["progress all time, 10,000 runs"]
    measured = small.load.requests > 0 and large.load.requests > 0
    growth = _p95(large.load) / _p95(small.load) - 1 if measured else float("inf")
    targets.append(
        (
            "progress all time p95, 100 → 10,000 runs, grows ≤ 20 %",
            f"{small.load.p95_ms:.1f} → {large.load.p95_ms:.1f} ms ({growth:+.0%})",
            measured and growth <= 0.2,
        )
    )
    s5, s200 = costs["GET /api/v1/clients (5)"][1], costs["GET /api/v1/clients (200)"][1]
    targets.append(
        (
            "roster SQL statements, 5 → 200 clients, equal",
            f"{s5:.0f} → {s200:.0f}",
            s5 == s200,
        )
    )
    p200 = _p95(by["GET /api/v1/clients (200)"].load)
    targets.append(("roster p95 at 200 clients ≤ 50 ms", f"{p200:.1f} ms", p200 <= 50))
    worst = max(rows, key=lambda r: _p95(r.half))
    targets.append(
        (
            "p95 < 50 ms at half the saturating rate (1 connection), every endpoint",
            f"worst {_p95(worst.half):.1f} ms ({worst.name})",
            _p95(worst.half) < 50,
        )
    )
    over = [r.name for r in rows if _p95(r.half) >= 50]
    if rss:
        top = max(rss) / 1024
        targets.append(("worker RSS < 150 MB", f"{top:.0f} MiB (max of {len(rss)})", top < 150))
    if gaps is not None:
        targets.append(
            (
                "steady load across worker restarts: no gap",
                f"{restarts} restarts in {gaps.seconds:.0f} s, "
                f"longest wait {gaps.longest_gap_s:.2f} s, "
                f"{gaps.failures} failed of {gaps.requests + gaps.failures}",
                gaps.longest_gap_s < 1.0 and gaps.failures == 0,
            )
        )
    out.append("")
    out.append(f"{'target':<72} {'measured':<44} verdict")
    for what, measured, ok in targets:
        out.append(f"{what:<72} {measured:<44} {verdict(ok)}")
    held = len(rows) - len(over)
    out.append(f"p95 under 50 ms at half rate: {held} of {len(rows)}; over: {over or '-'}")
    return out


# --- one database -------------------------------------------------------------------


def bench_one(backend: str, server_url: str | None, seconds: float, imports: int) -> list[str]:
    from flask_migrate import upgrade

    from backend import create_app
    from tests.support import temporary_database

    class _Tmp:
        def mktemp(self, name: str) -> Path:
            return Path(tempfile.mkdtemp(prefix=f"limber-bench-{name}-"))

    with temporary_database(server_url, _Tmp()) as url:  # type: ignore[arg-type]
        app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
        print(f"[{backend}] filling the database …", flush=True)
        users = _populate(app)
        folder = Path(tempfile.mkdtemp(prefix="limber-bench-stats-"))
        env = {
            "LIMBER_ENV": "production",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "DATABASE_URL": url,
            "RATELIMIT_ENABLED": "false",
            "JOBS_STORAGE": "sqlite",
            "JOBS_SQLITE_PATH": str(folder / "jobs.db"),
            "IMPORTS_SPOOL_DIR": str(folder / "spool"),
            "LOG_LEVEL": "warning",
        }
        server = Server(url, env, folder)
        server.start()
        try:
            print(f"[{backend}] load …", flush=True)
            measured = measure(server, users, seconds)
        finally:
            server.stop()
        rss_rows = _attach_costs(server, measured["rows"])
        gaps, restarts = None, 0
        if backend == "sqlite":
            print(f"[{backend}] steady load across worker restarts …", flush=True)
            gap_folder = Path(tempfile.mkdtemp(prefix="limber-bench-gap-"))
            # Recycling after 100-150 requests: many restarts in a short run.
            gap_env = env | {"WEB_MAX_REQUESTS": "100", "LOG_LEVEL": "info"}
            gap_server = Server(url, gap_env, gap_folder)
            gap_server.start()
            try:
                gaps = steady("127.0.0.1", gap_server.port, "/healthz", 4 * seconds, 4)
            finally:
                gap_server.stop()
            log = (gap_folder / "gunicorn.log").read_text(errors="replace")
            restarts = log.count("Autorestarting worker")
        print(f"[{backend}] costs per request, in-process …", flush=True)
        costs = profile_costs(url, users)
        lines = report(
            backend, measured["rows"], measured["sizes"], rss_rows, gaps, restarts, costs
        )
        if imports and backend == "sqlite":
            lines.append(_imports(url, users, imports))
        return lines


def _imports(url: str, users: dict[str, str], activities: int) -> str:
    from backend import create_app
    from bench.imports import measure_import
    from bench.imports import report as import_report
    from tests.support import Api

    app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    if "imports.Imports" not in app.view_functions:
        return "import scenario: not in this version"
    api = Api(app.test_client())
    api.login(type("U", (), {"email": users["small"]})(), PASSWORD)
    return import_report(measure_import(app, api, activities))


def _postgres_answers(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return True
    except Exception:  # any failure means "not here"
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--seconds", type=float, default=4.0, help="per endpoint (default 4)")
    parser.add_argument("--import-activities", type=int, default=200)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    started = time.monotonic()
    plans: list[tuple[str, str | None]] = []
    if args.only in (None, "sqlite"):
        plans.append(("sqlite", None))
    if args.only in (None, "postgresql"):
        if _postgres_answers(args.database_url):
            plans.append(("postgresql", args.database_url))
        else:
            print(f"PostgreSQL does not answer at {args.database_url}: its pass is left out.")
    lines = []
    for backend, url in plans:
        done = bench_one(backend, url, args.seconds, args.import_activities)
        print("\n".join(done), flush=True)  # each pass as soon as it ends
        lines += [*done, ""]
    print()
    print(
        f"Limber benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, {time.monotonic() - started:.0f} s in all"
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
