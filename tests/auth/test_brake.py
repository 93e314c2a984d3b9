"""The per-account sign-in brake's rule, as pure functions."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.auth.brake import FORGET_AFTER, should_tell_owner, still_counts, wait_seconds


class TestWaitSeconds:
    @pytest.mark.parametrize(
        ("failures", "wait"), [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (14, 512)]
    )
    def test_it_doubles_after_the_free_tries(self, failures, wait):
        assert wait_seconds(failures, free=5, cap=900) == wait

    def test_it_never_waits_longer_than_the_cap(self):
        assert wait_seconds(1000, free=5, cap=900) == 900


class TestTellingTheOwner:
    def test_it_tells_when_the_brake_engages_and_as_the_count_doubles(self):
        told = [n for n in range(40) if should_tell_owner(n, free=5)]
        assert told == [5, 6, 8, 12, 20, 36]


class TestForgetting:
    def test_a_day_old_run_of_failures_no_longer_counts(self):
        now = datetime(2026, 12, 1, tzinfo=UTC)
        assert still_counts(now - timedelta(hours=23), now)
        assert not still_counts(now - FORGET_AFTER, now)
