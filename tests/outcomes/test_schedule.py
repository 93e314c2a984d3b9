"""When questionnaires are due: at the start, every N weeks, on demand, and the follow-up."""

from datetime import UTC, date, datetime, timedelta

from backend.outcomes.schedule import Last, due_slugs, next_due_on

KINDS = {"nprs": "cycle", "psfs": "cycle", "groc": "follow_up"}
START = date(2026, 11, 2)
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def at(day: date) -> Last:
    return Last(day, datetime(day.year, day.month, day.day, 8, tzinfo=UTC))


def due(last, day, interval=2, requested=None, first=None):
    return due_slugs(KINDS, last, interval, requested, day, NOW, first)


class TestDue:
    def test_everything_but_the_follow_up_is_due_at_the_start(self):
        assert due({}, START) == ["nprs", "psfs"]

    def test_nothing_is_due_the_day_after_the_first_answers(self):
        last = {"nprs": at(START), "psfs": at(START)}
        assert due(last, START + timedelta(days=1)) == []
        assert due(last, START + timedelta(days=13)) == []

    def test_all_three_are_due_after_the_interval(self):
        last = {"nprs": at(START), "psfs": at(START)}
        assert due(last, START + timedelta(days=14)) == ["nprs", "psfs", "groc"]
        assert due(last, START + timedelta(days=20)) == ["nprs", "psfs", "groc"]

    def test_the_follow_up_stays_due_once_the_others_are_answered(self):
        first = {"nprs": at(START), "psfs": at(START)}
        day = START + timedelta(days=14)
        last = {"nprs": at(day), "psfs": at(day)}
        assert due(last, day, first=first) == ["groc"]
        last["groc"] = at(day)
        assert due(last, day, first=first) == []
        assert due(last, day + timedelta(days=14), first=first) == ["nprs", "psfs", "groc"]

    def test_the_interval_is_per_client(self):
        last = {"nprs": at(START), "psfs": at(START)}
        assert due(last, START + timedelta(days=14), interval=4) == []
        assert due(last, START + timedelta(days=28), interval=4) == ["nprs", "psfs", "groc"]

    def test_each_questionnaire_keeps_its_own_clock(self):
        last = {"nprs": at(START), "psfs": at(START + timedelta(days=14))}
        assert due(last, START + timedelta(days=14)) == ["nprs", "groc"]

    def test_the_follow_up_waits_for_a_baseline_on_an_earlier_day(self):
        assert due({"nprs": at(START)}, START) == ["psfs"]

    def test_an_on_demand_request_makes_the_round_due_until_answered(self):
        last = {"nprs": at(START), "psfs": at(START), "groc": at(START + timedelta(days=14))}
        asked = datetime(2026, 11, 20, 9, tzinfo=UTC)
        day = date(2026, 11, 20)
        assert due(last, day, requested=asked) == ["nprs", "psfs", "groc"]
        answered = {k: at(day + timedelta(days=1)) for k in KINDS}
        assert due(answered, day + timedelta(days=1), requested=asked) == []

    def test_a_request_from_the_future_counts_only_once_it_has_happened(self):
        last = {"nprs": at(START), "psfs": at(START)}
        later = NOW + timedelta(days=1)
        assert due(last, START + timedelta(days=3), requested=later) == []


class TestNextDue:
    def test_it_is_today_before_the_first_answers(self):
        assert next_due_on(KINDS, {}, 2, START) == START

    def test_it_is_the_interval_after_the_oldest_cycle_answer(self):
        last = {"nprs": at(START), "psfs": at(START + timedelta(days=3))}
        assert next_due_on(KINDS, last, 2, START + timedelta(days=5)) == START + timedelta(days=14)
