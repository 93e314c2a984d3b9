"""Scoring against hand-worked examples, and the judgement of change."""

import json
from fractions import Fraction

import pytest

from backend.outcomes.content import CONTENT_FILE
from backend.outcomes.scoring import (
    check_activities,
    check_definition,
    check_items,
    exact_score,
    judge,
    score,
)

BUILTIN = {q["slug"]: q for q in json.loads(CONTENT_FILE.read_text())["questionnaires"]}
NPRS, PSFS, GROC = BUILTIN["nprs"], BUILTIN["psfs"], BUILTIN["groc"]

# A made-up licensed-style instrument: five items on 0-5, two worded the other way round,
# scored as a percentage of the range, lower is better (like a disability index).
CUSTOM = {
    "slug": "back-index",
    "name": "Back index",
    "kind": "cycle",
    "format": "items",
    "items": [
        {"key": f"q{i}", "text": f"Question {i}", "min": 0, "max": 5, "reversed": i in (2, 5)}
        for i in range(1, 6)
    ],
    "scoring": {
        "method": "percentage",
        "direction": "lower_better",
        "mic_points": 10,
        "mic_percent": None,
    },
    "source": "test",
}


class TestBuiltInContent:
    def test_every_built_in_definition_is_valid(self):
        assert {slug: check_definition(q) for slug, q in BUILTIN.items()} == {
            "nprs": [],
            "psfs": [],
            "groc": [],
        }

    def test_the_minimal_important_changes_are_the_published_ones(self):
        assert (NPRS["scoring"]["mic_points"], NPRS["scoring"]["mic_percent"]) == (2, 30)
        assert (PSFS["scoring"]["mic_points"], PSFS["scoring"]["mic_percent"]) == (2, None)
        assert GROC["scoring"]["mic_points"] is None


class TestNprs:
    def test_it_is_the_mean_of_now_best_and_worst(self):
        # (4 + 2 + 7) / 3 = 13/3 = 4.3333…
        assert exact_score(NPRS, {"now": 4, "best": 2, "worst": 7}) == Fraction(13, 3)
        assert score(NPRS, {"now": 4, "best": 2, "worst": 7}) == 4.3333

    def test_it_reads_zero_and_ten_at_the_ends(self):
        assert score(NPRS, {"now": 0, "best": 0, "worst": 0}) == 0
        assert score(NPRS, {"now": 10, "best": 10, "worst": 10}) == 10

    def test_it_names_missing_and_out_of_range_items(self):
        errors = check_items(NPRS, {"now": 11, "best": -1, "bogus": 3})
        assert set(errors) == {"now", "best", "worst", "bogus"}
        assert "0 to 10" in errors["now"][0]
        assert check_items(NPRS, {"now": 3, "best": True, "worst": 2})["best"]
        assert check_items(NPRS, {"now": 3, "best": 2, "worst": 2}) == {}

    def test_a_drop_of_two_points_is_meaningful(self):
        rule = NPRS["scoring"]
        assert judge(rule, 6, 4) == "meaningful_improvement"
        assert judge(rule, 6, 4.3333) == "no_meaningful_change"

    def test_a_drop_of_thirty_percent_is_meaningful_even_under_two_points(self):
        rule = NPRS["scoring"]
        # 3 → 2: one point, but a third of the baseline.
        assert judge(rule, 3, 2) == "meaningful_improvement"
        # 5 → 3.6667: 1.33 points, 26.7 %: neither.
        assert judge(rule, 5, 3.6667) == "no_meaningful_change"

    def test_worsening_needs_two_points(self):
        rule = NPRS["scoring"]
        assert judge(rule, 1, 1.6667) == "no_meaningful_change"  # +67 %, but under 2 points
        assert judge(rule, 3, 5) == "meaningful_worsening"

    def test_there_is_no_judgement_without_a_baseline(self):
        assert judge(NPRS["scoring"], None, 4) is None


class TestPsfs:
    def test_three_activities(self):
        # (3 + 5 + 4) / 3 = 4
        assert score(PSFS, {"run 10 km": 3, "hill repeats": 5, "sit in a meeting": 4}) == 4

    def test_five_activities(self):
        ratings = {"a": 2, "b": 3, "c": 3, "d": 6, "e": 7}  # 21 / 5 = 4.2
        assert exact_score(PSFS, ratings) == Fraction(21, 5)
        assert score(PSFS, ratings) == 4.2

    def test_two_points_up_on_the_mean_is_meaningful_improvement(self):
        rule = PSFS["scoring"]
        first = score(PSFS, {"a": 3, "b": 5, "c": 4})  # 4
        later = score(PSFS, {"a": 5, "b": 7, "c": 6})  # 6
        assert judge(rule, first, later) == "meaningful_improvement"
        assert judge(rule, 4, 5.6667) == "no_meaningful_change"
        assert judge(rule, 6, 4) == "meaningful_worsening"

    def test_it_wants_three_to_five_distinct_named_activities_at_first(self):
        two = [{"name": "run", "rating": 3}, {"name": "sit", "rating": 4}]
        assert check_activities(PSFS, two, None) == {"_schema": ["Name 3 to 5 activities."]}
        same = [{"name": "run", "rating": 3}] * 3
        assert check_activities(PSFS, same, None) == {"_schema": ["Name each activity once."]}

    def test_it_names_the_activity_rated_off_scale(self):
        acts = [
            {"name": "run", "rating": 3},
            {"name": "hills", "rating": 11},
            {"name": "sit", "rating": None},
        ]
        errors = check_activities(PSFS, acts, None)
        assert set(errors) == {"1", "2"}
        assert "'hills'" in errors["1"]["rating"][0]

    def test_a_follow_up_rates_the_same_activities(self):
        named = ["run", "hills", "sit"]
        other = [{"name": n, "rating": 5} for n in ("run", "hills", "swim")]
        assert check_activities(PSFS, other, named)
        same = [{"name": n, "rating": 5} for n in ("sit", "run", "hills")]
        assert check_activities(PSFS, same, named) == {}


class TestGlobalRatingOfChange:
    def test_the_score_is_the_answer_itself(self):
        assert score(GROC, {"change": -3}) == -3
        assert score(GROC, {"change": 7}) == 7

    def test_it_refuses_eight(self):
        assert check_items(GROC, {"change": 8})["change"]

    def test_it_has_no_judgement_against_a_baseline(self):
        assert judge(GROC["scoring"], 1, 7) is None


class TestCustomPercentageWithReversedItems:
    def test_reversed_items_count_the_other_way(self):
        # q1=4, q2=1 → 5-1=4, q3=2, q4=0, q5=5 → 0: sum 10 of 25 = 40 %
        answers = {"q1": 4, "q2": 1, "q3": 2, "q4": 0, "q5": 5}
        assert exact_score(CUSTOM, answers) == 40
        assert score(CUSTOM, answers) == 40.0

    def test_the_ends_are_zero_and_a_hundred(self):
        best = {"q1": 0, "q2": 5, "q3": 0, "q4": 0, "q5": 5}
        worst = {"q1": 5, "q2": 0, "q3": 5, "q4": 5, "q5": 0}
        assert score(CUSTOM, best) == 0
        assert score(CUSTOM, worst) == 100

    def test_a_fraction_of_a_percent_is_exact(self):
        # sum 1 of 25 → 4 %; sum 7 → 28 %
        assert score(CUSTOM, {"q1": 1, "q2": 5, "q3": 0, "q4": 0, "q5": 5}) == 4
        answers = {"q1": 3, "q2": 3, "q3": 1, "q4": 1, "q5": 5}  # 3+2+1+1+0 = 7
        assert score(CUSTOM, answers) == 28

    def test_lower_is_better_for_the_judgement(self):
        rule = CUSTOM["scoring"]
        assert judge(rule, 40, 28) == "meaningful_improvement"
        assert judge(rule, 40, 32) == "no_meaningful_change"
        assert judge(rule, 28, 40) == "meaningful_worsening"

    def test_it_is_a_valid_definition(self):
        assert check_definition(CUSTOM) == []


class TestCheckDefinition:
    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            ({"scoring": {"method": "median", "direction": "higher_better"}}, "scoring.method"),
            ({"scoring": {"method": "sum", "direction": "up"}}, "scoring.direction"),
            ({"items": []}, "at least one item"),
            ({"format": "grid"}, "format"),
            ({"kind": "weekly"}, "kind"),
        ],
    )
    def test_it_reports_what_is_wrong(self, change, problem):
        definition = {**CUSTOM, **change}
        assert any(problem in p for p in check_definition(definition))

    def test_it_wants_the_source(self):
        definition = {k: v for k, v in CUSTOM.items() if k != "source"}
        assert check_definition(definition) == ["missing 'source'"]
