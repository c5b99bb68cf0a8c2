"""Agreement between two raters: Cohen's kappa computed exactly, checked against published
worked examples and against NLTK's independent implementation, and the ``agreement``
command's contract."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kwg_check
from kwg_check._views._agreement import Weights, cohen_kappa
from kwg_check.cli import main
from tool_support import require_module

pytestmark = pytest.mark.unit


def _table(cells: dict[tuple[int, int], int]) -> tuple[list[int], list[int]]:
    """Two raters' categories from a contingency table ``(first, second) → count``."""
    first: list[int] = []
    second: list[int] = []
    for (a, b), count in cells.items():
        first += [a] * count
        second += [b] * count
    return first, second


def test_kappa_of_the_published_worked_examples() -> None:
    """Wikipedia, "Cohen's kappa", sections "Simple example" and "Same percentages but
    different numbers" (2 × 2 tables; 0 = yes, 1 = no):

    * 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5, κ = 0.4;
    * 45, 15, 25, 15: p_o = 0.60, p_e = 0.54, κ = 0.1304 (exactly 3/23);
    * 25, 35, 5, 35: p_o = 0.60, p_e = 0.46, κ = 0.2593 (exactly 7/27).
    """
    examples = [
        ({(0, 0): 20, (0, 1): 5, (1, 0): 10, (1, 1): 15}, Fraction(2, 5)),
        ({(0, 0): 45, (0, 1): 15, (1, 0): 25, (1, 1): 15}, Fraction(3, 23)),
        ({(0, 0): 25, (0, 1): 35, (1, 0): 5, (1, 1): 35}, Fraction(7, 27)),
    ]
    for cells, expected in examples:
        first, second = _table(cells)
        assert cohen_kappa(first, second, 2) == expected
        # With two categories every weighting is the same.
        assert cohen_kappa(first, second, 2, "linear") == expected
        assert cohen_kappa(first, second, 2, "quadratic") == expected


def test_kappa_is_undefined_when_chance_agreement_is_certain() -> None:
    assert cohen_kappa([1, 1, 1], [1, 1, 1], 3) is None  # p_e = 1
    assert cohen_kappa([], [], 3) is None  # no pairs
    assert cohen_kappa([0, 1], [0, 1], 2) == 1


def test_weighted_kappa_counts_near_misses() -> None:
    """One category apart costs less than two apart: the linear and quadratic kappas of a
    near miss are above the unweighted one."""
    first, second = [0, 1, 2, 0, 1, 2], [0, 1, 2, 1, 2, 1]
    plain = cohen_kappa(first, second, 3)
    linear = cohen_kappa(first, second, 3, "linear")
    quadratic = cohen_kappa(first, second, 3, "quadratic")
    assert plain is not None
    assert linear is not None
    assert quadratic is not None
    assert plain < linear < quadratic


ratings = st.integers(min_value=1, max_value=5).flatmap(
    lambda k: st.tuples(
        st.just(k),
        st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), min_size=1, max_size=40),
    )
)


def _nltk_kappa(first: list[int], second: list[int], weights: str) -> float | None:
    """Cohen's kappa as NLTK's ``AnnotationTask`` computes it (an independent implementation,
    in floats): unweighted with its binary distance, weighted (Cohen 1968) with the distance
    ``|a - b|`` or ``(a - b)²``; ``None`` where NLTK divides by zero (chance agreement is
    certain)."""
    from nltk.metrics.agreement import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
        AnnotationTask,
    )

    data = [("first", str(i), a) for i, a in enumerate(first)]
    data += [("second", str(i), b) for i, b in enumerate(second)]
    try:
        if weights == "none":
            return float(AnnotationTask(data=data).kappa_pairwise("first", "second"))
        power = 1 if weights == "linear" else 2
        task = AnnotationTask(data=data, distance=lambda a, b: abs(a - b) ** power)
        return float(task.weighted_kappa_pairwise("first", "second"))
    except ZeroDivisionError:
        return None


@pytest.mark.property
@given(ratings, st.sampled_from(["none", "linear", "quadratic"]))
def test_kappa_matches_an_independent_implementation(
    data: tuple[int, list[tuple[int, int]]], weights: str
) -> None:
    require_module("nltk")
    categories, pairs = data
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    mode: Weights = (
        "none" if weights == "none" else "linear" if weights == "linear" else "quadratic"
    )
    ours = cohen_kappa(first, second, categories, mode)
    if ours is None:
        # Undefined: chance agreement is certain, so both raters used one and the same
        # category throughout (NLTK reports 1.0 there by its own convention).
        assert len(set(first) | set(second)) == 1
        return
    theirs = _nltk_kappa(first, second, weights)
    assert theirs is not None
    assert float(ours) == pytest.approx(theirs, abs=1e-9)


@pytest.mark.property
@given(ratings)
def test_kappa_is_at_most_one_and_one_for_identical_varied_ratings(
    data: tuple[int, list[tuple[int, int]]],
) -> None:
    categories, pairs = data
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    for mode in ("none", "linear", "quadratic"):
        kappa = cohen_kappa(first, second, categories, mode)
        assert kappa is None or kappa <= 1
        same = cohen_kappa(first, first, categories, mode)
        assert same == (1 if len(set(first)) > 1 else None)


# --------------------------------------------------------------------------------------------
# The API and the command
# --------------------------------------------------------------------------------------------

NAMES = [
    "kwg8a-need-for-help-school-child",
    "kwg8a-no-need-preschool",
    "kwg8a-grey-zone-unknowns",
    "kwg8a-consult-rater-fk05",
]


def _second_rater(data: Any, index: int) -> Any:
    """A second, independent rating of the same case: another assessor, and (every other
    case) one risk item a level higher."""
    other = copy.deepcopy(data)
    other["id"] = other["id"] + "-B"
    other["assessors"] = [{"id": "FK-99", "role": "social_worker"}]
    if index % 2 == 0:
        other["answers"]["structure_and_rules"] = {"level": "severe"}
    return other


def _raters() -> tuple[list[Any], list[Any]]:
    first = [kwg_check.example_data(name) for name in NAMES]
    return first, [_second_rater(data, index) for index, data in enumerate(first)]


def _write_lines(path: Path, values: list[Any]) -> None:
    path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values), "utf-8")


def test_identical_ratings_agree_and_a_changed_item_does_not() -> None:
    first, second = _raters()
    result = kwg_check.agreement(
        [kwg_check.parse_assessment(d) for d in first],
        [kwg_check.parse_assessment(d) for d in second],
    )
    assert result.pairs == len(NAMES)
    nutrition = result.items["nutrition"]
    assert nutrition.agreement == 1
    changed = result.items["structure_and_rules"]
    assert changed.n + changed.unknown <= len(NAMES)
    assert changed.agreement is not None
    assert changed.agreement < 1


def test_unknown_answers_are_counted_apart_never_as_agreement() -> None:
    first, second = _raters()
    for side in (first, second):  # both raters say "unknown": still no agreement counted
        side[0] = copy.deepcopy(side[0])
        side[0]["answers"]["nutrition"] = {"level": "unknown"}
    result = kwg_check.agreement(
        [kwg_check.parse_assessment(d) for d in first],
        [kwg_check.parse_assessment(d) for d in second],
    )
    nutrition = result.items["nutrition"]
    assert nutrition.unknown >= 1
    assert nutrition.n == len(NAMES) - nutrition.unknown
    # An item that applies to none of the children (infants only) is not counted at all.
    assert result.items["infant_feeding"].n == result.items["infant_feeding"].unknown == 0


def test_context_items_are_nominal_and_get_no_weighted_kappa() -> None:
    first, second = _raters()
    result = kwg_check.agreement(
        [kwg_check.parse_assessment(d) for d in first],
        [kwg_check.parse_assessment(d) for d in second],
    )
    instrument = kwg_check.resolve_instrument(kwg_check.parse_assessment(first[0])).instrument
    context = [item.id for item in instrument.items if item.kind == "context"]
    assert context
    for item in context:
        assert result.items[item].kappa_linear is None
        assert result.items[item].kappa_quadratic is None


def test_command_json_has_the_documented_shape_with_json_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _raters()
    _write_lines(tmp_path / "a.jsonl", first)
    _write_lines(tmp_path / "b.jsonl", second)
    assert (
        main(
            ["agreement", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--format", "json"]
        )
        == 0
    )
    value = json.loads(capsys.readouterr().out)
    assert value["pairs"] == len(NAMES)
    keys = {"n", "unknown", "agreement", "kappa", "kappa_linear", "kappa_quadratic"}
    assert set(value["outcome"]) == keys
    row = value["items"]["structure_and_rules"]
    assert set(row) == keys
    assert isinstance(row["n"], int)
    assert isinstance(row["agreement"], float)
    assert row["kappa"] is None or isinstance(row["kappa"], float)


@pytest.mark.parametrize(("lang", "heading"), [("de", "Übereinstimmung"), ("en", "agreement")])
def test_command_markdown_and_csv_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, heading: str
) -> None:
    first, second = _raters()
    _write_lines(tmp_path / "a.jsonl", first)
    _write_lines(tmp_path / "b.jsonl", second)
    files = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    assert main(["agreement", *files, "--lang", lang]) == 0
    assert heading in capsys.readouterr().out
    assert main(["agreement", *files, "--format", "csv", "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "kind,item,label,n,unknown,agreement,kappa,kappa_linear,kappa_quadratic"
    assert lines[-1].startswith("outcome,,")


def test_a_pair_of_different_cases_is_an_error_with_its_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _raters()
    second[1]["subject"]["case_id"] = "K-OTHER"
    _write_lines(tmp_path / "a.jsonl", first)
    _write_lines(tmp_path / "b.jsonl", second)
    assert main(["agreement", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'b.jsonl'}:2:/subject/case_id: agreement.case-mismatch: line 2" in err
    assert "K-OTHER" not in err


def test_files_of_different_lengths_and_bad_lines_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _raters()
    _write_lines(tmp_path / "a.jsonl", first)
    _write_lines(tmp_path / "b.jsonl", second[:-1])
    files = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    assert main(["agreement", *files]) == 1
    assert "agreement.line-count" in capsys.readouterr().err
    (tmp_path / "b.jsonl").write_text("\n{}\n", "utf-8")
    assert main(["agreement", *files]) == 1
    err = capsys.readouterr().err
    assert f"{files[1]}:1:: agreement.empty-line" in err
    assert f"{files[1]}:2:" in err


def test_an_assessment_of_another_instrument_version_is_an_error() -> None:
    first, second = _raters()
    second[2]["instrument"]["version"] = "9.9.9"
    with pytest.raises(kwg_check.ComparisonError) as caught:
        kwg_check.agreement(
            [kwg_check.parse_assessment(d) for d in first],
            [kwg_check.parse_assessment(d) for d in second],
        )
    assert caught.value.code == "agreement.instrument-mismatch"
    assert caught.value.pointer == "/second/2/instrument"


def test_an_answer_that_does_not_fit_the_instrument_names_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _raters()
    second[2]["answers"]["nutrition"] = {"level": "no_such_level"}
    _write_lines(tmp_path / "a.jsonl", first)
    _write_lines(tmp_path / "b.jsonl", second)
    assert main(["agreement", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'b.jsonl'}:3:/answers/nutrition/level: answer.unknown-level: " in err
