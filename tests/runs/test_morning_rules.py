from __future__ import annotations

import pytest

from backend.runs.morning import course, meaningful_drop


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
