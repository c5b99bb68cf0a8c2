"""Collegial consultation: independent ratings of one case side by side, the outcomes the
consultation can reach, what to discuss first, and the ``consult`` command's contract."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check.cli import main

pytestmark = pytest.mark.unit

FK05, FK17 = "kwg8a-consult-rater-fk05", "kwg8a-consult-rater-fk17"


def _pair() -> tuple[Any, Any]:
    return kwg_check.example_data(FK05), kwg_check.example_data(FK17)


def _consult(*data: Any) -> kwg_check.Consultation:
    return kwg_check.consult([kwg_check.parse_assessment(d) for d in data])


def _files(tmp_path: Path, *data: Any) -> list[str]:
    names = []
    for index, value in enumerate(data):
        path = tmp_path / f"rating-{index}.json"
        path.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
        names.append(str(path))
    return names


def test_bundled_pair_gives_the_documented_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["consult", *_files(tmp_path, *_pair()), "--format", "json"]) == 0
    value = json.loads(capsys.readouterr().out)
    assert value["case_id"] == "K-2026-0112"
    assert value["raters"] == ["FK-05", "FK-17"]
    assert value["differing_items"] == [
        {"item": "supervision", "ratings": {"FK-05": "partly", "FK-17": "insufficient"}},
        {"item": "emotional_state", "ratings": {"FK-05": "none", "FK-17": "slight"}},
        {"item": "structure_and_rules", "ratings": {"FK-05": "marked", "FK-17": "severe"}},
        {"item": "help_acceptance", "ratings": {"FK-05": "given", "FK-17": "partly"}},
    ]
    assert value["outcomes"] == {"FK-05": "need_for_help", "FK-17": "latent"}
    assert value["outcome_range"] == {"lowest": "need_for_help", "highest": "latent"}
    # Each of these alone, given FK-05's answer, brings FK-17 down to need for help;
    # help acceptance alone moves neither rater's outcome.
    assert value["discuss_first"] == ["supervision", "emotional_state", "structure_and_rules"]


def test_several_assessors_on_one_assessment_are_one_rater_joined_by_plus() -> None:
    first, second = _pair()
    first["assessors"].append({"id": "FK-30", "role": "team_lead"})
    assert _consult(first, second).raters == ("FK-05+FK-30", "FK-17")


def test_alike_ratings_differ_nowhere_and_reach_one_outcome() -> None:
    first, _ = _pair()
    second = copy.deepcopy(first)
    second["assessors"] = [{"id": "FK-17", "role": "social_worker"}]
    result = _consult(first, second)
    assert result.differing == ()
    assert result.discuss_first == ()
    assert result.lowest == result.highest == "need_for_help"


def test_evidence_and_notes_are_not_differences_but_a_missing_answer_is() -> None:
    first, second = _pair()
    second["answers"] = copy.deepcopy(first["answers"])
    second["answers"]["nutrition"]["note"] = "Andere Notiz."
    del second["answers"]["sleep"]
    result = _consult(first, second)
    assert [(d.item, dict(d.ratings)) for d in result.differing] == [
        ("sleep", {"FK-05": "partly", "FK-17": None})
    ]


LEVELS = {
    "supervision": ["ensured", "partly", "insufficient", "not_ensured"],
    "structure_and_rules": ["none", "slight", "marked", "severe"],
    "emotional_state": ["none", "slight", "marked", "severe"],
    "parental_addiction": ["none", "slight", "marked", "severe"],
    "help_acceptance": ["given", "partly"],
}


@pytest.mark.property
@settings(max_examples=8, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in LEVELS.items()}))
def test_every_raters_outcome_lies_within_the_range_and_discuss_first_differs(
    changes: dict[str, str],
) -> None:
    first, _ = _pair()
    second = copy.deepcopy(first)
    second["assessors"] = [{"id": "FK-17", "role": "social_worker"}]
    for item, level in changes.items():
        second["answers"][item] = {"level": level}
    result = _consult(first, second)
    order = [
        o.id
        for o in kwg_check.resolve_instrument(kwg_check.parse_assessment(first)).instrument.outcomes
    ]
    assert result.lowest is not None
    assert result.highest is not None
    for outcome in result.outcomes.values():
        assert outcome is not None
        assert order.index(result.lowest) <= order.index(outcome) <= order.index(result.highest)
    assert set(result.discuss_first) <= {d.item for d in result.differing}
    if len(set(result.outcomes.values())) > 1 and len(result.differing) == 1:
        assert result.discuss_first == (result.differing[0].item,)


@pytest.mark.parametrize(
    ("change", "code", "pointer"),
    [
        (
            {"subject": {"case_id": "K-OTHER", "birth_date": "2016-06-03"}},
            "consult.case-mismatch",
            "/subject/case_id",
        ),
        (
            {"subject": {"case_id": "K-2026-0112", "birth_date": "2016-06-04"}},
            "consult.subject-mismatch",
            "/subject",
        ),
        ({"assessment_date": "2026-03-03"}, "consult.date-mismatch", "/assessment_date"),
        (
            {"instrument": {"id": "kwg_8a", "version": "9.9.9"}},
            "consult.instrument-mismatch",
            "/instrument",
        ),
        (
            {"assessors": [{"id": "FK-05", "role": "team_lead"}]},
            "consult.shared-assessor",
            "/assessors/0/id",
        ),
    ],
)
def test_ratings_of_anything_but_one_case_are_refused_naming_the_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, Any],
    code: str,
    pointer: str,
) -> None:
    first, second = _pair()
    second.update(change)
    names = _files(tmp_path, first, second)
    assert main(["consult", *names]) == 1
    err = capsys.readouterr().err
    assert f"{names[1]}:{pointer}: {code}: " in err
    assert "K-OTHER" not in err
    with pytest.raises(kwg_check.ComparisonError) as caught:
        _consult(first, second)
    assert caught.value.code == code
    assert caught.value.pointer == "/1" + pointer


def test_one_assessment_is_a_usage_error_and_too_few_in_the_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = _pair()
    assert main(["consult", *_files(tmp_path, first)]) == 2
    assert "mindestens zwei" in capsys.readouterr().err
    with pytest.raises(kwg_check.ComparisonError) as caught:
        _consult(first)
    assert caught.value.code == "consult.too-few"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ["Kollegiale Beratung", "Aufsicht", "Latente Gefährdung", "Zuerst besprechen"]),
        ("en", ["Collegial consultation", "Supervision", "Latent endangerment", "Discuss first"]),
    ],
)
@pytest.mark.parametrize("format", ["text", "md", "html"])
def test_human_formats_in_both_languages(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    words: list[str],
    format: str,
) -> None:
    output = tmp_path / f"out.{format}"
    names = _files(tmp_path, *_pair())
    assert main(["consult", *names, "--format", format, "--lang", lang, "-o", str(output)]) == 0
    text = output.read_text("utf-8")
    for word in words:
        assert word in text
    if format == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert f'<html lang="{lang}">' in text


def test_html_escapes_what_it_shows() -> None:
    result = attrs.evolve(_consult(*_pair()), case_id="K-<i>&")
    html = kwg_check.render_consultation(result, lang="en", format="html")
    assert "K-&lt;i&gt;&amp;" in html
    assert "<i>" not in html
    assert "<td>FK-05</td>" in html


def test_an_answer_that_does_not_fit_the_instrument_names_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _pair()
    second["answers"]["nutrition"] = {"level": "no_such_level"}
    names = _files(tmp_path, first, second)
    assert main(["consult", *names]) == 1
    assert f"{names[1]}:/answers/nutrition/level: answer.unknown-level: " in capsys.readouterr().err


def test_a_professional_judgement_instrument_has_no_range_and_says_so() -> None:
    data = kwg_check.example_data(
        next(e.name for e in kwg_check.examples() if e.instrument == "spj_judgement")
    )
    assert isinstance(data, dict)
    colleague = {**data, "assessors": [{"id": "FK-COLLEAGUE", "role": "social_worker"}]}
    result = _consult(data, colleague)
    assert result.lowest is None
    assert result.highest is None
    text = kwg_check.render_consultation(result, lang="en")
    assert "computes no outcome" in text
