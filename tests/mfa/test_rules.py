"""The rules of two-step sign-in, as plain functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from backend.auth.mfa import rules

NOW = datetime(2026, 12, 2, 7, 0, 10, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(moment: datetime) -> str:
    return pyotp.TOTP(SECRET).at(moment)


class TestTotpStep:
    def test_it_accepts_the_current_code(self):
        step = rules.totp_step(SECRET, code_at(NOW), NOW, last_step=0)
        assert step == pyotp.TOTP(SECRET).timecode(NOW)

    def test_it_accepts_one_step_either_side_and_no_further(self):
        for offset, accepted in ((-60, False), (-30, True), (30, True), (60, False)):
            code = code_at(NOW + timedelta(seconds=offset))
            assert (rules.totp_step(SECRET, code, NOW, 0) is not None) is accepted, offset

    def test_it_refuses_a_code_whose_step_was_already_used(self):
        step = rules.totp_step(SECRET, code_at(NOW), NOW, 0)
        assert step is not None
        assert rules.totp_step(SECRET, code_at(NOW), NOW, last_step=step) is None
        later = NOW + timedelta(seconds=30)
        assert rules.totp_step(SECRET, code_at(later), later, last_step=step) == step + 1

    def test_it_takes_spaces_and_refuses_what_is_not_six_digits(self):
        code = code_at(NOW)
        assert rules.totp_step(SECRET, f"{code[:3]} {code[3:]}", NOW, 0) is not None
        full_width = "\uff11\uff12\uff13\uff14\uff15\uff16"
        for bad in ("", "12345", "1234567", "abcdef", full_width):
            assert rules.totp_step(SECRET, bad, NOW, 0) is None


class TestRecoveryCodes:
    def test_ten_distinct_codes_in_groups_of_five(self):
        codes = rules.new_recovery_codes()
        assert len(codes) == len(set(codes)) == 10
        for code in codes:
            left, right = code.split("-")
            assert len(left) == len(right) == 5
            assert rules.looks_like_recovery_code(rules.normalise_code(code))

    def test_the_hash_ignores_case_spaces_and_hyphens_and_depends_on_the_key(self):
        key = rules.derive_key("k", "recovery")
        code = "abcde-fghjk"
        same = rules.recovery_code_hash(key, " ABCDE fghjk ")
        assert rules.recovery_code_hash(key, code) == same
        assert rules.recovery_code_hash(rules.derive_key("other", "recovery"), code) != same
        assert code not in same

    def test_a_totp_code_is_never_taken_for_a_recovery_code(self):
        assert not rules.looks_like_recovery_code("123456")
        assert rules.looks_like_totp("123456")
        assert not rules.looks_like_totp(rules.normalise_code(rules.new_recovery_codes()[0]))

    def test_keys_differ_by_purpose(self):
        assert rules.derive_key("k", "totp") != rules.derive_key("k", "recovery")


class TestChallenges:
    def test_a_live_challenge_has_no_problem(self):
        state = rules.ChallengeState(NOW + timedelta(minutes=5), attempts=0)
        assert rules.challenge_problem(state, NOW) is None

    def test_a_missing_one_is_missing(self):
        assert rules.challenge_problem(None, NOW) == "missing"

    def test_it_expires_at_its_time(self):
        state = rules.ChallengeState(NOW, attempts=0)
        assert rules.challenge_problem(state, NOW - timedelta(seconds=1)) is None
        assert rules.challenge_problem(state, NOW) == "expired"

    def test_it_ends_after_the_fifth_failed_try(self):
        live = rules.ChallengeState(NOW + timedelta(minutes=1), rules.MAX_SIGN_IN_TRIES - 1)
        spent = rules.ChallengeState(NOW + timedelta(minutes=1), rules.MAX_SIGN_IN_TRIES)
        assert rules.MAX_SIGN_IN_TRIES == 5
        assert rules.challenge_problem(live, NOW) is None
        assert rules.challenge_problem(spent, NOW) == "too_many_tries"


class TestRequiring:
    def test_it_can_be_required_only_with_a_factor(self):
        assert not rules.can_require(0)
        assert rules.can_require(1)

    def test_the_last_factor_stays_while_required(self):
        assert not rules.can_remove_factor(required=True, factors_left_after=0)
        assert rules.can_remove_factor(required=True, factors_left_after=1)
        assert rules.can_remove_factor(required=False, factors_left_after=0)
