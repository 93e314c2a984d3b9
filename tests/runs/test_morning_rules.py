from __future__ import annotations

import pytest

from backend.runs.morning import (
    course,
    lingering_sql,
    lingers_after,
    meaningful_drop,
    still_stiff_phrase,
)


class TestCourse:
    @pytest.mark.parametrize(
        ("after", "morning", "expected"),
        [
            (6, 4, "passing"),  # 2 points
            (6, 5, "lingering"),  # 1 point, 17 %
            (3, 2, "passing"),  # 1 point but 33 %
            (5, 5, "lingering"),
            (4, 6, "lingering"),  # worse the next morning
            (1, 1, "passing"),  # barely felt
            (0, 0, "passing"),
            (0, 2, "lingering"),
            (8, 7, "lingering"),
            (8, 6, "passing"),
        ],
    )
    def test_it_reads_the_morning_against_the_run(
        self, after: int, morning: int, expected: str
    ) -> None:
        assert course(after, morning) == expected

    def test_no_answer_is_neither(self) -> None:
        assert course(7, None) is None

    def test_a_rise_is_never_a_meaningful_drop(self) -> None:
        assert not meaningful_drop(2, 3)


class TestThirtyPercent:
    def test_a_drop_of_exactly_30_percent_matters(self) -> None:
        assert meaningful_drop(10, 7)  # 3 of 10, though 0.3 * 10 is not 3.0 in floats
        assert course(10, 7) == "passing"
        assert course(10, 9) == "lingering"


class TestPattern:
    @pytest.mark.parametrize(
        ("answered", "lingering", "expected"),
        [(1, 1, False), (2, 2, True), (4, 2, True), (5, 2, False), (3, 1, False), (0, 0, False)],
    )
    def test_two_lingering_mornings_and_at_least_half(self, answered, lingering, expected):
        assert lingers_after(answered, lingering) is expected

    def test_the_phrase_names_the_workout(self) -> None:
        assert still_stiff_phrase("hills") == "Still stiff the morning after hills"
        assert still_stiff_phrase("long") == "Still stiff the morning after long runs"


def test_the_sql_expression_agrees_with_the_python_rule(sql) -> None:
    """On the test database itself (SQLite or PostgreSQL), in one statement."""
    from sqlalchemy import Integer, literal, select, union_all

    pairs = [(a, m) for a in range(11) for m in range(11)]
    parts = []
    for a, m in pairs:
        after, morning = literal(a, Integer), literal(m, Integer)
        parts.append(select(after.label("a"), morning.label("m"), lingering_sql(after, morning)))
    rows = sql(lambda s: s.execute(union_all(*parts)).all())
    assert len(rows) == 121
    for a, m, lingers in rows:
        assert bool(lingers) == (course(a, m) == "lingering"), (a, m)
