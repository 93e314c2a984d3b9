from datetime import UTC, date, datetime, timedelta

import pytest

from backend.progress import stats


class TestMedian:
    def test_it_takes_the_middle_value(self):
        assert stats.median([5.0, 1.0, 3.0]) == 3.0

    def test_it_averages_the_middle_pair(self):
        assert stats.median([4.0, 1.0, 3.0, 2.0]) == 2.5

    def test_it_has_none_for_nothing(self):
        assert stats.median([]) is None


class TestSlope:
    def test_it_fits_a_straight_line_exactly(self):
        assert stats.least_squares_slope([(0, 1.0), (1, 3.0), (2, 5.0)]) == pytest.approx(2.0)

    def test_it_is_zero_with_one_point_or_no_spread(self):
        assert stats.least_squares_slope([(0, 4.0)]) == 0.0
        assert stats.least_squares_slope([(1, 4.0), (1, 6.0)]) == 0.0


class TestTrend:
    start = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)

    def runs(self, *points: tuple[float, int | None]) -> list[tuple[datetime, date, int | None]]:
        """(days after the start, stiffness) -> the (started_at, local day, stiffness) rows."""
        out = []
        for days, stiffness in points:
            at = self.start + timedelta(days=days)
            out.append((at, at.date(), stiffness))
        return out

    def test_two_runs_on_consecutive_days_are_not_a_trend(self):
        # 2 -> 3 over one day was "+7 points a week" under the old slope rule.
        result = stats.trend(self.runs((0, 2), (1, 3)))
        assert result["direction"] == "steady"
        assert result["enough_data"] is False
        assert result["slope_per_week"] == 7.0

    def test_a_history_entered_in_one_evening_is_not_enough(self):
        # Four runs, but all on one day: fewer than three days.
        result = stats.trend(self.runs((0, 1), (0.01, 3), (0.02, 5), (0.03, 7)))
        assert result["direction"] == "steady"
        assert result["enough_data"] is False

    def test_it_calls_a_rise_of_one_and_a_half_points_worsening(self):
        result = stats.trend(self.runs((0, 2), (3, 3), (6, 3), (9, 4)))
        assert result["change"] == 2.0
        assert result["direction"] == "worsening"
        assert result["enough_data"] is True

    def test_it_compares_the_first_and_last_thirds(self):
        # Six runs: mean of the first two (2, 4) = 3, of the last two (4, 5) = 4.5.
        result = stats.trend(self.runs((0, 2), (2, 4), (4, 6), (6, 1), (8, 4), (10, 5)))
        assert result["change"] == 1.5
        assert result["direction"] == "worsening"

    def test_a_smaller_rise_is_steady(self):
        result = stats.trend(self.runs((0, 3), (3, 3), (6, 4), (9, 4)))
        assert result["change"] == 1.0
        assert result["direction"] == "steady"

    def test_it_calls_a_fall_improving(self):
        result = stats.trend(self.runs((0, 7), (3, 6), (6, 5), (9, 4)))
        assert result["direction"] == "improving"
        assert result["change"] == -3.0

    def test_it_leaves_out_runs_without_a_stiffness_answer(self):
        result = stats.trend(self.runs((0, 2), (3, None), (6, 3), (9, None), (12, 5)))
        assert result["runs"] == 3
        assert result["enough_data"] is False

    def test_it_is_steady_without_data(self):
        assert stats.trend([]) == {
            "direction": "steady",
            "change": 0.0,
            "slope_per_week": 0.0,
            "runs": 0,
            "days": 0,
            "window_days": 14,
            "enough_data": False,
        }
