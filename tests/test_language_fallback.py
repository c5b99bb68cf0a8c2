"""An instrument in a language the library does not write (issue 13, languages): its own
texts stay in its language, the library's words fall back to English, and the output says
so once (a ``LanguageFallbackWarning``; ``kwg-check`` prints it as one ``note:`` line).

The fixture is a fictional French instrument with an English translation, so a wrong pick
(the English translation instead of the instrument's French) is visible.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import kwg_check
from kwg_check import cli
from kwg_check._io import load_path
from test_lint import _english_assessment

FRENCH = Path(__file__).parent / "fixtures" / "languages" / "french_english.yaml"
FRENCH_LABELS = ("Préoccupation élevée", "Les repas sont souvent sautés", "Soins de base")
ENGLISH_LABELS = ("High concern", "Meals are often skipped", "Basic care")
NOTE = "kwg-check: note: the library's own words are in English, the instrument's texts in fr\n"


def _instrument() -> kwg_check.Instrument:
    return kwg_check.parse_instrument(load_path(FRENCH))


def _assessment_data() -> dict[str, Any]:
    data = _english_assessment()  # the same fictional answers, for the French instrument
    data["instrument"] = {"id": "french-demo", "version": "1.0.0"}
    return data


def _outputs(lang: kwg_check.Lang | None) -> dict[str, str]:
    instrument = _instrument()
    assessment = kwg_check.parse_assessment(_assessment_data())
    summary = kwg_check.score_assessment(assessment, instrument)
    colleague_data = _assessment_data()
    colleague_data["assessors"] = [{"id": "sw-2", "role": "social_worker"}]
    colleague = kwg_check.parse_assessment(colleague_data)
    consultation = kwg_check.consult([assessment, colleague], instrument)
    agreement = kwg_check.agreement([assessment], [colleague], instrument)
    return {
        "consult": kwg_check.render_consultation(consultation, lang=lang, format="md"),
        "agreement": kwg_check.render_agreement(agreement, lang=lang, format="md"),
        "text": kwg_check.summary_text(summary, instrument, lang=lang),
        "describe": kwg_check.describe_instrument(instrument, lang=lang),
        "report": kwg_check.render_report(assessment, instrument, lang=lang, format="md"),
    }


def test_without_lang_the_texts_stay_french_and_the_library_speaks_english() -> None:
    with pytest.warns(kwg_check.LanguageFallbackWarning) as caught:
        outputs = _outputs(None)
    assert {warning.message.language for warning in caught} == {"fr"}  # type: ignore[union-attr]
    library_words = {
        "consult": "consultation",
        "agreement": "Agreement",
        "text": "Outcome",
        "describe": "Scales",
        "report": "Final outcome",
    }
    for name, output in outputs.items():
        assert library_words[name] in output, name
        assert [label for label in FRENCH_LABELS if label in output], name
        found = [label for label in ENGLISH_LABELS if label in output]
        assert not found, f"{name}: the English translation shown: {found}"


def test_asked_for_english_the_texts_are_english_and_nothing_falls_back() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", kwg_check.LanguageFallbackWarning)
        outputs = _outputs("en")
    for name, output in outputs.items():
        assert not [label for label in FRENCH_LABELS if label in output], name


def test_a_german_instrument_gives_no_fallback_warning() -> None:
    data = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    assessment = kwg_check.parse_assessment(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", kwg_check.LanguageFallbackWarning)
        kwg_check.summary_text(kwg_check.score_assessment(assessment))


def test_the_localized_text_of_a_french_instrument_is_french() -> None:
    from kwg_check._types import text_language
    from kwg_check._vocabulary import localized

    instrument = _instrument()
    assert text_language(None, instrument) == "fr"
    assert text_language("en", instrument) == "en"
    assert localized(instrument.outcomes[1].label, text_language(None, instrument)) == (
        "Préoccupation élevée"
    )


@pytest.mark.parametrize("command", ["score", "report", "describe"])
def test_the_cli_says_so_once_in_one_note_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps(_assessment_data()))
    argv = {
        "score": ["score", str(assessment), "--instrument", str(FRENCH)],
        "report": ["report", str(assessment), "--instrument", str(FRENCH), "--format", "md"],
        "describe": ["describe", str(FRENCH)],
    }[command]
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == NOTE
    assert "Préoccupation" in captured.out or "Soins de base" in captured.out
    assert cli.main([*argv, "--lang", "en"]) == 0
    assert capsys.readouterr().err == ""
