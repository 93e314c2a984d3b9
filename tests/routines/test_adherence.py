"""Plans and adherence as plain functions."""

import uuid
from dataclasses import dataclass
from datetime import date

from backend.routines.adherence import adherence, days, plan_for_day, plan_for_range, streak

A, B, C = (uuid.uuid4() for _ in range(3))
STARTER = [A, B]
MONDAY = date(2026, 11, 16)


@dataclass
class Sched:
    routine_id: uuid.UUID
    weekdays: list[int]
    starts_on: date
    ends_on: date | None = None


class TestPlanForDay:
    def test_it_plans_the_starter_programme_without_schedules(self):
        assert plan_for_day([], MONDAY, STARTER) == STARTER

    def test_it_plans_a_routine_on_its_weekdays_only(self):
        week = days(MONDAY, date(2026, 11, 22))
        schedule = Sched(C, [0, 2, 4], MONDAY)
        planned = [day for day in week if plan_for_day([schedule], day, STARTER)]
        assert [d.weekday() for d in planned] == [0, 2, 4]

    def test_it_plans_nothing_on_an_off_day_of_a_running_schedule(self):
        assert plan_for_day([Sched(C, [0], MONDAY)], date(2026, 11, 17), STARTER) == []

    def test_it_falls_back_to_the_starter_before_start_and_after_end(self):
        schedule = Sched(C, list(range(7)), date(2026, 11, 18), date(2026, 11, 19))
        plan = plan_for_range([schedule], date(2026, 11, 17), date(2026, 11, 20), STARTER)
        assert list(plan.values()) == [STARTER, [C], [C], STARTER]

    def test_it_lists_a_routine_once_when_two_schedules_repeat_it(self):
        schedules = [Sched(C, [0], MONDAY), Sched(C, [0, 1], MONDAY), Sched(A, [0], MONDAY)]
        assert plan_for_day(schedules, MONDAY) == [C, A]


class TestAdherence:
    def test_it_counts_planned_and_done_and_the_rate(self):
        planned = {MONDAY: [A, B], date(2026, 11, 17): [A]}
        done = {MONDAY: {A}, date(2026, 11, 17): {A, C}}
        result = adherence(planned, done, date(2026, 11, 17))
        assert (result["planned"], result["done"]) == (3, 2)
        assert result["rate"] == round(2 / 3, 3)

    def test_it_has_no_rate_when_nothing_was_planned(self):
        assert adherence({MONDAY: []}, {MONDAY: {A}})["rate"] is None

    def test_it_ignores_routines_that_were_not_planned(self):
        assert adherence({MONDAY: [A]}, {MONDAY: {B, C}})["done"] == 0


class TestStreak:
    def test_it_counts_fully_done_days_back_from_today(self):
        planned = {date(2026, 11, d): [A, B] for d in range(16, 21)}
        done = {date(2026, 11, d): {A, B} for d in (16, 18, 19, 20)}
        assert streak(planned, done, date(2026, 11, 20)) == 3

    def test_an_unfinished_today_does_not_break_it(self):
        planned = {date(2026, 11, d): [A] for d in range(16, 21)}
        done = {date(2026, 11, d): {A} for d in range(16, 20)}
        assert streak(planned, done, date(2026, 11, 20)) == 4

    def test_an_unfinished_yesterday_ends_it(self):
        planned = {date(2026, 11, d): [A] for d in range(16, 21)}
        done = {date(2026, 11, d): {A} for d in (16, 17, 18, 20)}
        assert streak(planned, done, date(2026, 11, 20)) == 1

    def test_days_with_nothing_planned_neither_count_nor_break_it(self):
        planned = {MONDAY: [A], date(2026, 11, 17): [], date(2026, 11, 18): [A]}
        done = {MONDAY: {A}, date(2026, 11, 18): {A}}
        assert streak(planned, done, date(2026, 11, 18)) == 2

    def test_a_partly_done_day_ends_it(self):
        planned = {MONDAY: [A], date(2026, 11, 17): [A, B], date(2026, 11, 18): [A]}
        done = {MONDAY: {A}, date(2026, 11, 17): {A}, date(2026, 11, 18): {A}}
        assert streak(planned, done, date(2026, 11, 18)) == 1

    def test_it_ignores_days_after_today(self):
        planned = {MONDAY: [A], date(2026, 11, 17): [A]}
        assert streak(planned, {MONDAY: {A}}, MONDAY) == 1
