"""The wall-clock rules, with a controlled clock where `now` matters."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from backend.db import utcnow
from backend.notifications import rules


class TestParseClock:
    @pytest.mark.parametrize("text, value", [("00:00", time(0, 0)), ("07:30", time(7, 30))])
    def test_it_reads_24_hour_times(self, text, value):
        assert rules.parse_clock(text) == value

    @pytest.mark.parametrize("text", ["7:30", "24:00", "12:60", "ab:cd", "07-30", "", "07:30:00"])
    def test_it_refuses_anything_else(self, text):
        with pytest.raises(ValueError):
            rules.parse_clock(text)


class TestQuietHours:
    def test_a_span_within_a_day(self):
        assert rules.in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
        assert not rules.in_quiet_hours(time(14, 0), time(12, 0), time(14, 0))
        assert not rules.in_quiet_hours(time(11, 59), time(12, 0), time(14, 0))

    def test_a_span_across_midnight(self):
        start, end = time(22, 0), time(7, 0)
        assert rules.in_quiet_hours(time(23, 30), start, end)
        assert rules.in_quiet_hours(time(6, 59), start, end)
        assert not rules.in_quiet_hours(time(7, 0), start, end)
        assert not rules.in_quiet_hours(time(21, 59), start, end)

    def test_no_quiet_hours_set(self):
        assert not rules.in_quiet_hours(time(3, 0), None, None)

    @time_machine.travel(datetime(2026, 7, 1, 11, 30, tzinfo=UTC), tick=False)
    def test_quiet_now_uses_the_users_timezone(self):
        # 11:30 UTC is 23:30 in Auckland (NZST, +12) and 04:30 in Los Angeles (PDT, -7).
        quiet = (time(22, 0), time(7, 0))
        assert rules.quiet_now(utcnow(), "Pacific/Auckland", *quiet)
        assert rules.quiet_now(utcnow(), "America/Los_Angeles", *quiet)
        assert not rules.quiet_now(utcnow(), "Europe/London", *quiet)  # 12:30 BST

    def test_quiet_hours_follow_a_dst_change(self):
        # Los Angeles moves from PDT (-7) to PST (-8) on 2026-11-01.
        quiet = (time(22, 0), time(7, 0))
        before = datetime(2026, 10, 31, 13, 30, tzinfo=UTC)  # 06:30 PDT: quiet
        after = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)  # 06:30 PST: quiet
        later = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # 07:00 PST: not quiet
        assert rules.quiet_now(before, "America/Los_Angeles", *quiet)
        assert rules.quiet_now(after, "America/Los_Angeles", *quiet)
        assert not rules.quiet_now(later, "America/Los_Angeles", *quiet)


class TestDigest:
    def test_it_is_due_from_the_chosen_hour_once_a_local_day(self):
        tz, at = "Pacific/Auckland", time(8, 0)
        # 2026-12-02 08:00 NZDT (+13) is 2026-12-01 19:00 UTC.
        with time_machine.travel(datetime(2026, 12, 1, 18, 59, tzinfo=UTC), tick=False):
            assert not rules.digest_due(utcnow(), tz, at, None)
        with time_machine.travel(datetime(2026, 12, 1, 19, 0, tzinfo=UTC), tick=False) as clock:
            assert rules.digest_due(utcnow(), tz, at, None)
            sent = utcnow()
            clock.shift(timedelta(hours=3))
            assert not rules.digest_due(utcnow(), tz, at, sent)  # same local day
            clock.shift(timedelta(hours=20))  # 07:00 the next local day: not yet
            assert not rules.digest_due(utcnow(), tz, at, sent)
            clock.shift(timedelta(hours=1))
            assert rules.digest_due(utcnow(), tz, at, sent)

    def test_the_chosen_hour_is_local_across_a_dst_change(self):
        tz, at = "America/Los_Angeles", time(8, 0)
        # 08:00 PDT on 2026-10-31 is 15:00 UTC; 08:00 PST on 2026-11-02 is 16:00 UTC.
        assert rules.digest_due(datetime(2026, 10, 31, 15, 0, tzinfo=UTC), tz, at, None)
        sent = datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
        assert not rules.digest_due(datetime(2026, 11, 2, 15, 30, tzinfo=UTC), tz, at, sent)
        assert rules.digest_due(datetime(2026, 11, 2, 16, 0, tzinfo=UTC), tz, at, sent)

    def test_the_window_starts_at_the_last_digest(self):
        now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
        assert rules.digest_window_start(now, None) == now - timedelta(days=1)
        last = now - timedelta(days=3)
        assert rules.digest_window_start(now, last) == last

    def test_an_unknown_timezone_falls_back_to_utc(self):
        assert rules.local_hour_is(datetime(2026, 1, 1, 6, 0, tzinfo=UTC), "Mars/Olympus", 6)
