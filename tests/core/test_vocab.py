"""frontend/js/vocab.js is generated from the Python source; `--check` catches a stale copy."""

from __future__ import annotations

from backend.runs import models, triage
from backend.web import vocab


def test_the_check_passes_on_a_fresh_file(tmp_path):
    out = tmp_path / "vocab.js"
    assert vocab.main([], out=out) == 0
    assert vocab.main(["--check"], out=out) == 0


def test_the_check_fails_on_a_stale_or_missing_file(tmp_path, capsys):
    out = tmp_path / "vocab.js"
    assert vocab.main(["--check"], out=out) == 1
    vocab.main([], out=out)
    out.write_text(out.read_text().replace('"emergency"]', '"urgent"]', 1))
    assert vocab.main(["--check"], out=out) == 1
    assert "make vocab" in capsys.readouterr().err


def test_the_committed_file_is_fresh():
    assert vocab.main(["--check"]) == 0


def test_every_value_and_flag_reaches_the_file():
    text = vocab.render()
    for value in (*models.SURFACES, *models.WORKOUT_TYPES, *models.STIFFNESS_AREAS):
        assert f'["{value}", ' in text
    for flag in triage.RED_FLAGS:
        label, tier = triage.RED_FLAG_LABELS[flag], triage.triage_level([flag])
        assert f'["{flag}", "{label}", "{tier}"]' in text
