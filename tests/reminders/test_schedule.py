"""The reminder and check-in rules, driven by a controlled clock (time-machine, no sleeping)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backend.reminders.schedule import (
    Due,
    QuietHours,
    RunSeen,
    checkins_due,
    local_instant,
    parse_clock,
    reminder_due,
    send_time,
)

USER = uuid.UUID("00000000-0000-0000-0000-000000000001")
ROUTINE = uuid.UUID("00000000-0000-0000-0000-0000000000aa")
OTHER = uuid.UUID("00000000-0000-0000-0000-0000000000bb")


def clock() -> datetime:
    return datetime.now(UTC)


def run_week(
    start: datetime,
    days: int,
    check: Callable[[datetime], list[Due]],
    step: timedelta = timedelta(minutes=5),
) -> dict[str, datetime]:
    """Tick a worker every `step` from `start`; keep the first send per key, as notify() does."""
    sent: dict[str, datetime] = {}
    with time_machine.travel(start, tick=False) as traveller:
        while clock() < start + timedelta(days=days):
            for due in check(clock()):
                sent.setdefault(due.key, clock())
            traveller.shift(step)
    return sent


def reminder_check(
    timezone: str,
    at: time,
    quiet: QuietHours | None = None,
    done_on: frozenset[date] = frozenset(),
) -> Callable[[datetime], list[Due]]:
    def check(now: datetime) -> list[Due]:
        today = now.astimezone(ZoneInfo(timezone)).date()
        done = [ROUTINE] if today in done_on else []
        due = reminder_due(now, timezone, at, quiet, [ROUTINE], done, USER)
        return [due] if due else []

    return check


class TestReminderAcrossAWeek:
    @pytest.mark.parametrize(
        ("timezone", "week_start"),
        [
            # Los Angeles springs forward on Sunday 8 March 2026 (UTC-8 → UTC-7).
            ("America/Los_Angeles", datetime(2026, 3, 5, 8, 0, tzinfo=UTC)),
            # Los Angeles falls back on Sunday 1 November 2026.
            ("America/Los_Angeles", datetime(2026, 10, 29, 8, 0, tzinfo=UTC)),
            # Auckland falls back on Sunday 5 April 2026 (UTC+13 → UTC+12).
            ("Pacific/Auckland", datetime(2026, 4, 1, 11, 0, tzinfo=UTC)),
            # Auckland springs forward on Sunday 27 September 2026.
            ("Pacific/Auckland", datetime(2026, 9, 23, 12, 0, tzinfo=UTC)),
        ],
    )
    def test_it_sends_one_reminder_a_day_at_the_local_time(
        self, timezone: str, week_start: datetime
    ) -> None:
        sent = run_week(week_start, 7, reminder_check(timezone, time(18, 30)))
        tz = ZoneInfo(timezone)
        local = {key: at.astimezone(tz) for key, at in sent.items()}
        assert len(sent) == 7
        assert len({at.date() for at in local.values()}) == 7
        for key, at in local.items():
            assert key == f"reminder:{USER}:{at.date().isoformat()}"
            assert (at.hour, at.minute) == (18, 30)
        offsets = {at.utcoffset() for at in local.values()}
        assert len(offsets) == 2, "the week must cross a change of offset"

    def test_it_sends_nothing_on_a_day_already_done(self) -> None:
        tz = "Pacific/Auckland"
        start = datetime(2026, 4, 1, 11, 0, tzinfo=UTC)  # 2 April, 00:00 in Auckland
        done = frozenset({date(2026, 4, 3), date(2026, 4, 5)})
        sent = run_week(start, 7, reminder_check(tz, time(7, 0), done_on=done))
        days = {at.astimezone(ZoneInfo(tz)).date() for at in sent.values()}
        assert len(days) == 5
        assert not days & done

    def test_nothing_planned_means_no_reminder(self) -> None:
        now = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)
        assert reminder_due(now, "UTC", time(9, 0), None, [], [], USER) is None

    def test_done_after_planned_partly_still_reminds(self) -> None:
        now = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)
        due = reminder_due(now, "UTC", time(9, 0), None, [ROUTINE, OTHER], [ROUTINE], USER)
        assert due is not None
        assert due.local_date == date(2026, 6, 1)

    def test_a_skipped_wall_time_is_sent_just_after_the_jump(self) -> None:
        # 02:30 does not exist in Los Angeles on 8 March 2026.
        at = local_instant(date(2026, 3, 8), time(2, 30), "America/Los_Angeles")
        assert at == datetime(2026, 3, 8, 10, 30, tzinfo=UTC)
        assert at.astimezone(ZoneInfo("America/Los_Angeles")).hour == 3
        sent = run_week(
            datetime(2026, 3, 7, 8, 0, tzinfo=UTC),
            3,
            reminder_check("America/Los_Angeles", time(2, 30)),
        )
        assert sorted(sent) == [
            f"reminder:{USER}:2026-03-07",
            f"reminder:{USER}:2026-03-08",
            f"reminder:{USER}:2026-03-09",
        ]

    def test_a_repeated_wall_time_is_sent_once_at_its_first_occurrence(self) -> None:
        # 01:30 happens twice in Los Angeles on 1 November 2026; the first is PDT.
        sent = run_week(
            datetime(2026, 11, 1, 7, 0, tzinfo=UTC),  # midnight PDT
            1,
            reminder_check("America/Los_Angeles", time(1, 30)),
        )
        assert list(sent.values()) == [datetime(2026, 11, 1, 8, 30, tzinfo=UTC)]

    def test_a_reminder_not_sent_by_midnight_is_dropped(self) -> None:
        # The worker was down all evening; at 00:10 the next day, yesterday's is gone.
        now = datetime(2026, 6, 2, 0, 10, tzinfo=UTC)
        due = reminder_due(now, "UTC", time(18, 0), None, [ROUTINE], [], USER)
        assert due is None
        late = datetime(2026, 6, 1, 23, 50, tzinfo=UTC)
        assert reminder_due(late, "UTC", time(18, 0), None, [ROUTINE], [], USER) is not None


class TestQuietHours:
    def test_a_time_inside_quiet_hours_waits_for_their_end(self) -> None:
        quiet = QuietHours(time(6, 0), time(8, 0))
        sent = run_week(
            datetime(2026, 7, 1, 12, 0, tzinfo=UTC),  # 1 July 00:00 in Auckland
            2,
            reminder_check("Pacific/Auckland", time(7, 0), quiet),
        )
        local = [at.astimezone(ZoneInfo("Pacific/Auckland")) for at in sent.values()]
        assert [(a.hour, a.minute) for a in local] == [(8, 0), (8, 0)]

    def test_quiet_hours_past_midnight_mean_no_reminder_that_day(self) -> None:
        quiet = QuietHours(time(21, 0), time(7, 0))
        sent = run_week(
            datetime(2026, 7, 1, 7, 0, tzinfo=UTC),  # midnight in Los Angeles
            3,
            reminder_check("America/Los_Angeles", time(22, 0), quiet),
        )
        assert sent == {}

    def test_nothing_is_due_while_inside_quiet_hours(self) -> None:
        # Reminder at 18:00, quiet 20:00 to 23:00; a check at 21:00 that missed 18:00 waits.
        quiet = QuietHours(time(20, 0), time(23, 0))
        now = datetime(2026, 6, 1, 21, 0, tzinfo=UTC)
        assert reminder_due(now, "UTC", time(18, 0), quiet, [ROUTINE], [], USER) is None
        after = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
        assert reminder_due(after, "UTC", time(18, 0), quiet, [ROUTINE], [], USER) is not None

    def test_equal_start_and_end_means_no_quiet_hours(self) -> None:
        quiet = QuietHours(time(9, 0), time(9, 0))
        assert not quiet.contains(time(9, 0))
        assert send_time(date(2026, 1, 1), time(9, 0), "UTC", quiet) is not None

    def test_wrapping_quiet_hours(self) -> None:
        quiet = QuietHours(time(22, 0), time(7, 0))
        assert quiet.contains(time(23, 59))
        assert quiet.contains(time(0, 0))
        assert quiet.contains(time(6, 59))
        assert not quiet.contains(time(7, 0))
        assert not quiet.contains(time(21, 59))


def run(local_date: date, answered: bool = False, hour: int = 18) -> RunSeen:
    return RunSeen(
        id=uuid.uuid4(),
        local_date=local_date,
        started_at=datetime.combine(local_date, time(hour), tzinfo=UTC),
        answered=answered,
    )


class TestMorningCheckIn:
    def test_it_is_asked_only_the_morning_after_a_run(self) -> None:
        tz = "Pacific/Auckland"
        ran = date(2026, 4, 4)  # the evening before Auckland's clocks go back
        runs = [run(ran)]

        def check(now: datetime) -> list[Due]:
            return checkins_due(now, tz, time(7, 30), None, runs)

        sent = run_week(datetime(2026, 4, 1, 11, 0, tzinfo=UTC), 7, check)
        assert list(sent) == [f"checkin:{runs[0].id}"]
        at = sent[f"checkin:{runs[0].id}"].astimezone(ZoneInfo(tz))
        assert at.date() == ran + timedelta(days=1)
        assert (at.hour, at.minute) == (7, 30)
        assert at.utcoffset() == timedelta(hours=12)  # after the change

    def test_no_run_no_check_in(self) -> None:
        sent = run_week(
            datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
            7,
            lambda now: checkins_due(now, "America/Los_Angeles", time(7, 0), None, []),
        )
        assert sent == {}

    def test_an_answered_run_is_not_asked_again(self) -> None:
        now = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
        assert checkins_due(now, "UTC", time(8, 0), None, [run(date(2026, 6, 1), True)]) == []

    def test_not_before_the_morning_time_and_not_after_that_day(self) -> None:
        runs = [run(date(2026, 6, 1))]
        early = datetime(2026, 6, 2, 7, 59, tzinfo=UTC)
        day_after = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
        assert checkins_due(early, "UTC", time(8, 0), None, runs) == []
        assert checkins_due(day_after, "UTC", time(8, 0), None, runs) == []

    def test_two_runs_yesterday_latest_first_each_keyed_by_its_run(self) -> None:
        morning, evening = run(date(2026, 6, 1), hour=6), run(date(2026, 6, 1), hour=19)
        now = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
        due = checkins_due(now, "UTC", time(8, 0), None, [morning, evening])
        assert [d.key for d in due] == [f"checkin:{evening.id}", f"checkin:{morning.id}"]

    def test_quiet_hours_hold_the_check_in(self) -> None:
        runs = [run(date(2026, 6, 1))]
        quiet = QuietHours(time(22, 0), time(8, 30))
        at_eight = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
        assert checkins_due(at_eight, "UTC", time(8, 0), quiet, runs) == []
        later = datetime(2026, 6, 2, 8, 30, tzinfo=UTC)
        assert [d.at for d in checkins_due(later, "UTC", time(8, 0), quiet, runs)] == [later]

    def test_a_runner_ahead_of_utc_is_asked_on_their_own_next_morning(self) -> None:
        # A run on the evening of 1 June in Auckland is 1 June in UTC too, but the
        # morning after (2 June, 07:00 NZST) is still 1 June 19:00 in UTC.
        runs = [run(date(2026, 6, 1))]
        now = datetime(2026, 6, 1, 19, 0, tzinfo=UTC)
        due = checkins_due(now, "Pacific/Auckland", time(7, 0), None, runs)
        assert [d.local_date for d in due] == [date(2026, 6, 2)]


class TestParseClock:
    def test_it_reads_hh_mm(self) -> None:
        assert parse_clock("07:05") == time(7, 5)

    @pytest.mark.parametrize("bad", ["7:05", "24:00", "07:60", "0705", "ab:cd", "", "07:05:00"])
    def test_it_refuses_anything_else(self, bad: str) -> None:
        with pytest.raises(ValueError):
            parse_clock(bad)
