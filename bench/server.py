"""The app as the benchmark serves it: the real app, plus per-route counters.

For every request the wrapper adds up, per route, the worker's CPU time and the SQL
statements sent (each `executemany` row counted as the database counts it), and now and
then writes them with the worker's resident memory to $BENCH_STATS_DIR/<pid>.json.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import event

from backend import create_app
from backend.extensions import db
from bench.sqlcount import statements_in

FLUSH_EVERY = 200


class Counters:
    def __init__(self, folder: Path) -> None:
        self.path = folder / f"{os.getpid()}.json"
        self.routes: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0])
        self.statements = 0
        self.seen = 0

    def hit(self, *args: Any) -> None:
        self.statements += statements_in(args[3], args[5])

    def flush(self) -> None:
        with open("/proc/self/status") as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        body = {"pid": os.getpid(), "rss_kib": rss, "routes": self.routes}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(body))
        tmp.replace(self.path)


COUNTERS: Counters | None = None


def app() -> Any:
    flask_app = create_app()
    inner = flask_app.wsgi_app
    folder = Path(os.environ["BENCH_STATS_DIR"])
    state: dict[str, Counters] = {}

    def counters() -> Counters:
        # Made in the worker (after the fork), so each worker has its own file.
        global COUNTERS
        mine = state.get("c")
        if mine is None or mine.path.stem != str(os.getpid()):
            mine = state["c"] = Counters(folder)
            COUNTERS = mine
            with flask_app.app_context():
                event.listen(db.engine, "before_cursor_execute", mine.hit)
        return mine

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        c = counters()
        before_sql, before_cpu = c.statements, time.process_time()
        status = ["000"]

        def start(line: str, headers: Any, exc_info: Any = None) -> Any:
            status[0] = line[:3]
            return start_response(line, headers, exc_info)

        try:
            body = inner(environ, start)
            return [b"".join(body)]
        finally:
            key = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')} {status[0]}"
            row = c.routes[key]
            row[0] += 1
            row[1] += time.process_time() - before_cpu
            row[2] += c.statements - before_sql
            c.seen += 1
            if c.seen % FLUSH_EVERY == 0:
                c.flush()

    flask_app.wsgi_app = wsgi  # type: ignore[method-assign]
    return flask_app


def flush() -> None:
    if COUNTERS is not None:
        COUNTERS.flush()
