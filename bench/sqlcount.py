"""Counting SQL statements as the database server runs them.

On PostgreSQL the count comes from the server itself: while a counter is active, every
connection the engine opens turns on `log_statement = 'all'` for its own session, and the
count is the statements the server wrote to its log for those sessions (BEGIN, COMMIT and
each row of an `executemany` included, as the server executes them). No server restart
and no `pg_stat_statements` are needed; the log file must be readable from here (the
Debian cluster's `/var/log/postgresql/postgresql-<version>-<cluster>.log`, or the file
named by `LIMBER_PG_LOG`).

SQLite runs in the process, so there the count is taken where SQLAlchemy hands statements
to the driver, one per `executemany` row.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import event

# "2026-12-03 14:52:00.123 UTC [4242] postgres@test LOG:  execute <unnamed>: SELECT ..."
_LOGGED = re.compile(r"\[(\d+)\][^\n]*? LOG:  (?:statement|execute [^:]*): (.*)")


# Transaction control, and the empty statement the pool sends to check a connection.
_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", ";"}


def statements_in(parameters: Any, executemany: bool) -> int:
    if executemany and isinstance(parameters, list | tuple):
        return max(1, len(parameters))
    return 1


def postgres_log(conn: Any) -> Path:
    """The file this PostgreSQL server writes its log to."""
    if os.environ.get("LIMBER_PG_LOG"):
        return Path(os.environ["LIMBER_PG_LOG"])
    current = conn.exec_driver_sql("SELECT pg_current_logfile()").scalar()
    if current:  # the logging collector is on: relative to the data directory
        data = conn.exec_driver_sql("SHOW data_directory").scalar()
        return Path(data) / current
    cluster = conn.exec_driver_sql("SHOW cluster_name").scalar() or ""
    version, _, name = cluster.partition("/")
    return Path(f"/var/log/postgresql/postgresql-{version}-{name or 'main'}.log")


class ServerStatements:
    """`with ServerStatements(engine) as c: ...`, then `c.count`."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.count = 0
        self.statements: list[str] = []  # each statement's text, as often as it ran
        self.on_server = engine.dialect.name == "postgresql"
        self._pids: set[int] = set()
        if self.on_server:
            with engine.connect() as conn:
                self.log = postgres_log(conn)
            if not os.access(self.log, os.R_OK):
                raise RuntimeError(
                    f"cannot read the PostgreSQL log at {self.log}; set LIMBER_PG_LOG"
                )

    # --- SQLite: at the driver ---------------------------------------------------------

    def _hit(
        self, _conn: Any, _cursor: Any, sql: str, parameters: Any, _ctx: Any, many: bool
    ) -> None:
        ran = statements_in(parameters, many)
        self.count += ran
        self.statements += [sql] * ran

    # --- PostgreSQL: the server's own log ----------------------------------------------

    def _log_this_session(self, dbapi_conn: Any, _record: Any) -> None:
        was = dbapi_conn.autocommit
        dbapi_conn.autocommit = True  # no BEGIN of our own; neither statement is logged
        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            self._pids.add(cur.fetchone()[0])
            cur.execute("SET log_statement = 'all'")
        dbapi_conn.autocommit = was

    def _logged(self, text: str) -> list[str]:
        found = []
        for line in text.splitlines():
            match = _LOGGED.search(line)
            if match and int(match[1]) in self._pids:
                found.append(match[2])
        return found

    @property
    def work(self) -> list[str]:
        """The statements other than BEGIN, COMMIT, ROLLBACK and the pool's `;` ping."""
        return [s for s in self.statements if s.strip().upper() not in _CONTROL]

    def __enter__(self) -> ServerStatements:
        if not self.on_server:
            event.listen(self.engine, "before_cursor_execute", self._hit)
            return self
        self.engine.dispose()  # every connection from here on is a new, logged session
        self._start = self.log.stat().st_size
        event.listen(self.engine, "connect", self._log_this_session)
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.on_server:
            event.remove(self.engine, "before_cursor_execute", self._hit)
            return
        event.remove(self.engine, "connect", self._log_this_session)
        self.engine.dispose()  # the logged sessions end with the count
        with self.log.open("rb") as f:
            f.seek(self._start)
            self.statements = self._logged(f.read().decode("utf-8", "replace"))
        self.count = len(self.statements)
