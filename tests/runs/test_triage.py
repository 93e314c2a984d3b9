import pytest

from backend.runs.triage import RED_FLAGS, advice, triage_level


class TestTriage:
    def test_it_gives_no_advice_level_without_flags(self):
        assert triage_level([]) == "none"

    @pytest.mark.parametrize("flag", ["saddle_numbness", "bladder_bowel_change", "both_legs"])
    def test_it_sends_cauda_equina_signs_to_emergency(self, flag):
        assert triage_level([flag]) == "emergency"

    @pytest.mark.parametrize("flag", ["fever", "weight_loss", "night_pain"])
    def test_it_marks_systemic_signs_urgent(self, flag):
        assert triage_level([flag]) == "urgent"

    @pytest.mark.parametrize(
        "flag", ["sharp_pain", "shooting_pain_leg", "leg_numbness", "leg_weakness"]
    )
    def test_it_sends_nerve_and_sharp_pain_to_a_professional(self, flag):
        assert triage_level([flag]) == "see_professional"

    def test_it_takes_the_most_serious_tier(self):
        assert triage_level(["sharp_pain", "fever"]) == "urgent"
        assert triage_level(["sharp_pain", "fever", "both_legs"]) == "emergency"

    def test_every_flag_has_a_tier(self):
        assert all(triage_level([f]) != "none" for f in RED_FLAGS)

    def test_emergency_advice_says_to_get_care_now(self):
        message = advice(["saddle_numbness"])["message"]
        assert "emergency" in message.lower()
