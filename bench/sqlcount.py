"""Counting SQL statements as the database receives them.

SQLAlchemy's `before_cursor_execute` fires once for an `executemany`, which the server
runs once per row; this counter adds one per row there, so 200 rows are 200 statements.
(A multi-row `INSERT ... VALUES` batch is one statement, for the server too.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event


def statements_in(parameters: Any, executemany: bool) -> int:
    if executemany and isinstance(parameters, list | tuple):
        return max(1, len(parameters))
    return 1


class ServerStatements:
    """`with ServerStatements(engine) as c: ...`, then `c.count`."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.count = 0

    def _hit(
        self, _conn: Any, _cursor: Any, _sql: str, parameters: Any, _ctx: Any, many: bool
    ) -> None:
        self.count += statements_in(parameters, many)

    def __enter__(self) -> ServerStatements:
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._hit)
