from datetime import date, timedelta

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
    start = date(2026, 9, 7)

    def weeks(self, *means: float) -> list[tuple[date, float]]:
        return [(self.start + timedelta(weeks=i), m) for i, m in enumerate(means)]

    def test_it_calls_falling_stiffness_improving(self):
        result = stats.trend(self.weeks(6, 5, 4, 3))
        assert result == {"slope_per_week": -1.0, "direction": "improving"}

    def test_it_calls_rising_stiffness_worsening(self):
        assert stats.trend(self.weeks(2, 3, 4))["direction"] == "worsening"

    def test_it_calls_small_changes_steady(self):
        result = stats.trend(self.weeks(4, 4.2, 4.1, 4.3))
        assert abs(result["slope_per_week"]) < stats.TREND_THRESHOLD
        assert result["direction"] == "steady"

    def test_it_measures_gaps_in_real_weeks(self):
        points = [(self.start, 2.0), (self.start + timedelta(weeks=4), 6.0)]
        assert stats.trend(points)["slope_per_week"] == 1.0

    def test_it_is_steady_without_data(self):
        assert stats.trend([]) == {"slope_per_week": 0.0, "direction": "steady"}
