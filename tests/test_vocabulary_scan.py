"""Every output of every bundled example speaks one language: German output holds no word of
the library's English vocabulary and English output none of its German one, and no library
id is shown where the vocabulary has a label for it.

Words that both languages share (``Index``, ``Version``) do not count, and neither does text
the instrument brings (its labels, ids and citations are data, written by its authors).
The summary's messages (trace explanations, process-check reasons, warnings) are codes with
parameters rendered in the output language, so the German report and every rendered trace
explanation are scanned too (the trace table's kinds, ids and inputs are data).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

import kwg_check
from kwg_check import cli
from kwg_check._io import dump_json
from kwg_check._registry import bundled_registry, example_data, examples
from kwg_check._types import Lang
from kwg_check._views._report._labels import _Labels
from kwg_check._views._stats import render_statistic, tabulate_statistic
from kwg_check._views._text import render_summary_text
from kwg_check._vocabulary import VOCABULARY, localized
from test_lifecycle import _answers, _later
from test_vocabulary import CONCEPTS

WORD = re.compile(r"[^\W\d_]{4,}")
POINTER = re.compile(r"(?<![\w)])/[\w/.~-]+")
"""A JSON pointer (``/answers/x/evidence``) names a place in the document: data, not words."""
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(POINTER.sub(" ", text))}


def _phrase_words(text: str) -> set[str]:
    """The words of a vocabulary phrase, without its placeholders' names."""
    return _words(PLACEHOLDER.sub(" ", text))


@cache
def foreign_words(lang: Lang) -> frozenset[str]:
    """Words of the other language's vocabulary that this language's vocabulary lacks."""
    en: set[str] = set()
    de: set[str] = set()
    for phrase in VOCABULARY.values():
        en |= _phrase_words(phrase.en) | _phrase_words(phrase.en_plural or "")
        de |= _phrase_words(phrase.de) | _phrase_words(phrase.de_plural or "")
    return frozenset(en - de) if lang == "de" else frozenset(de - en)


def _instrument_words(instrument: kwg_check.Instrument) -> set[str]:
    """Every word the instrument document brings (its data, in any language)."""
    return _words(instrument.model_dump_json())


PREVIOUS = {"kwg8a-grey-zone-follow-up": "kwg8a-grey-zone-unknowns"}
"""The bundled reassessment pair: its diff shows every kind of change."""


def _outputs(name: str, lang: Lang) -> dict[str, str]:
    example = next(e for e in examples() if e.name == name)
    instrument = bundled_registry().get(example.instrument)
    assessment = kwg_check.Assessment.model_validate(example_data(name))
    summary = kwg_check.score_assessment(assessment, instrument)
    text = render_summary_text(summary, instrument, lang)
    previous = PREVIOUS.get(name)  # a bundled earlier assessment of the same child, or itself
    earlier = kwg_check.parse_assessment(example_data(previous)) if previous else assessment
    comparison = kwg_check.compare(earlier, assessment)
    colleague_data = example_data(name)
    assert isinstance(colleague_data, dict)
    colleague_data["assessors"] = [{"id": "FK-COLLEAGUE", "role": "social_worker"}]
    colleague = kwg_check.parse_assessment(colleague_data)
    consultation = kwg_check.consult([assessment, colleague], instrument)
    agreement = kwg_check.agreement([assessment], [colleague], instrument)
    return {
        "score text": text,
        "diff": kwg_check.render_comparison(comparison, lang=lang),
        "describe": kwg_check.describe_instrument(instrument, lang=lang),
        "stats": render_statistic(tabulate_statistic([summary]), lang=lang),
        "examples": "\n".join(localized(e.description, lang) for e in examples()),
        "consult": kwg_check.render_consultation(consultation, lang=lang, format="md"),
        "agreement": kwg_check.render_agreement(agreement, lang=lang, format="md"),
    }


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", [e.name for e in examples()])
def test_outputs_hold_no_word_of_the_other_language(name: str, lang: Lang) -> None:
    instrument = bundled_registry().get(next(e for e in examples() if e.name == name).instrument)
    allowed = _instrument_words(instrument) | _words(
        json.dumps(example_data(name), ensure_ascii=False)
    )
    if name in PREVIOUS:  # the diff also shows the earlier assessment's own text
        allowed |= _words(json.dumps(example_data(PREVIOUS[name]), ensure_ascii=False))
    for output, text in _outputs(name, lang).items():
        found = sorted((_words(text) & foreign_words(lang)) - allowed)
        assert not found, f"{name} {output} ({lang}): {found}"


@pytest.mark.parametrize("name", [e.name for e in examples()])
def test_no_library_id_is_shown_where_a_label_exists(name: str) -> None:
    ids = {ident for idents in CONCEPTS.values() for ident in idents if "_" in ident}
    for lang in ("de", "en"):
        for output, text in _outputs(name, lang).items():
            if output == "describe":
                continue  # the sheet names ids on purpose, in code font, beside labels
            shown = {ident for ident in ids if re.search(rf"(?<![\w`\[]){ident}(?![\w`\]])", text)}
            assert not shown, f"{name} {output} ({lang}): {sorted(shown)}"


def test_german_report_and_warnings_hold_no_english_word() -> None:
    found: dict[str, list[str]] = {}
    for example in examples():
        instrument = bundled_registry().get(example.instrument)
        assessment = kwg_check.Assessment.model_validate(example_data(example.name))
        markdown = kwg_check.render_report(assessment, instrument, lang="de", format="md")
        words = (_words(markdown) & foreign_words("de")) - _instrument_words(instrument)
        if words:
            found[example.name] = sorted(words)
    assert not found, found


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_message_renders_in_the_language_with_labels(lang: Lang) -> None:
    """Each trace explanation, process-check reason and warning of every example is a code
    with parameters; rendered, it holds no word of the other language and shows no raw id
    where the instrument has a label."""
    for example in examples():
        instrument = bundled_registry().get(example.instrument)
        assessment = kwg_check.Assessment.model_validate(example_data(example.name))
        summary = kwg_check.score_assessment(assessment, instrument)
        labels = _Labels([instrument], lang)
        allowed = _instrument_words(instrument)
        texts = [labels.message(step.explanation) for step in summary.trace]
        texts += [labels.message(check.reason) for check in summary.process_checks]
        texts += [labels.warning(warning) for warning in summary.warnings]
        for text in texts:
            assert "{" not in text, text
            found = sorted((_words(text) & foreign_words(lang)) - allowed)
            assert not found, f"{example.name} ({lang}): {text!r}: {found}"
        for step in summary.trace:
            if step.explanation.params.get("item") in {item.id for item in instrument.items}:
                assert f"{step.explanation.params['item']}'" not in labels.message(
                    step.explanation
                ), step


@pytest.mark.parametrize("lang", ["de", "en"])
def test_process_check_names_start_in_one_column_whatever_the_result_word(lang: Lang) -> None:
    """Result words differ in length ("nicht anwendbar", "NICHT erfüllt"): the column is as
    wide as the longest one, so every check's name starts in the same column."""
    assessment = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    instrument = kwg_check.resolve_instrument(assessment).instrument
    text = kwg_check.summary_text(kwg_check.score_assessment(assessment), lang=lang)
    labels = [getattr(check.label, lang) for check in instrument.process_checks]
    columns = {line.index(label) for label in labels for line in text.splitlines() if label in line}
    assert len(labels) > 1
    assert len(columns) == 1


PROBLEM_LINE = re.compile(r"^.*: [a-z]+\.[a-z0-9-]+: .*$", re.MULTILINE)
"""A machine-readable ``FILE:POINTER: CODE: reason`` line: codes and English reasons are the
contract of the command line, not words for people."""


def _said_on_stderr(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What ``kwg-check`` says to people on stderr, without its problem lines and without
    the ``kwg-check: error:`` prefix that argparse's own usage errors share."""
    cli.main(argv)
    return PROBLEM_LINE.sub("", capsys.readouterr().err).replace("kwg-check: error: ", "")


def test_cli_messages_are_german_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate, lint, verify, migrate and score-batch count and complain in German when no
    instrument says otherwise (the bundled ones are German)."""
    assessed = "kwg8a-grey-zone-unknowns"
    assessment = tmp_path / "a.json"
    assessment.write_text(dump_json(example_data(assessed)))
    summary = tmp_path / "s.json"
    scored = kwg_check.score_assessment(kwg_check.parse_assessment(example_data(assessed)))
    summary.write_text(dump_json(kwg_check.dump_document(scored)))
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    later = tmp_path / "later.json"
    later.write_text(dump_json(kwg_check.dump_document(_later())))
    losing = tmp_path / "losing.json"
    losing.write_text(dump_json(kwg_check.dump_document(_answers(sleep="insufficient"))))
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps(example_data(assessed)) + "\n{}\n")
    instrument = str(Path(kwg_check.__file__).parent / "data/instruments/kwg_8a.yaml")
    runs = {
        "validate": ["validate", str(assessment), str(bad), instrument],
        "lint": ["lint", instrument],
        "verify": ["verify", str(summary), str(assessment)],
        "migrate": ["migrate", str(losing), "--to", str(later), "-o", str(tmp_path / "m.json")],
        "score-batch": ["score-batch", str(lines), "-o", str(tmp_path / "out.jsonl")],
        "usage": ["validate", str(tmp_path / "missing.json")],
        "batch usage": ["score-batch", str(lines), "--resume"],
    }
    for name, argv in runs.items():
        said = _said_on_stderr(argv, capsys)
        assert said.strip(), name
        found = sorted(_words(said) & foreign_words("de"))
        assert not found, f"{name}: {found} in {said!r}"
