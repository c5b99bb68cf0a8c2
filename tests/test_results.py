"""Further results beside the primary outcome (issue 13, item 3): the action matrix of the
fictional family reassessment (risk level × finding → action), its range and what to
clarify first under unknowns, and the compile errors of result tables."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine_support import compiled, document, instrument_data
from kwg_check import DocumentError
from kwg_check._api import lint_instrument
from kwg_check._engine import compile_instrument, score
from kwg_check._model import Assessment, Instrument
from kwg_check._views._describe import describe_instrument
from kwg_check._views._text import render_summary_text

FAMILY = {
    "kind": "family",
    "case_id": "fam-0042",
    "members": [{"id": "c-1", "role": "child", "age_months": 60}],
}
ITEMS = (
    "prior_reports",
    "new_report",
    "plan_progress",
    "visits",
    "substance",
    "domestic_violence",
    "child_needs",
    "housing",
    "support",
)
# Answers whose total is exactly 0, 3, 6 and 9: the four risk levels.
LEVELS = {
    "low": {},
    "moderate": {"prior_reports": "two_or_more", "new_report": "yes"},
    "high": {
        "prior_reports": "two_or_more",
        "plan_progress": "not_met",
        "domestic_violence": "yes",
    },
    "very_high": {
        "prior_reports": "two_or_more",
        "plan_progress": "not_met",
        "domestic_violence": "yes",
        "new_report": "yes",
        "visits": "missed",
        "substance": "yes",
    },
}
FIRST = dict(zip(ITEMS, ["none", "no", "met", "kept", "no", "no", "no", "no", "no"], strict=True))
MATRIX = {
    ("low", "not_substantiated"): "close",
    ("low", "substantiated"): "continue",
    ("moderate", "not_substantiated"): "close",
    ("moderate", "substantiated"): "continue",
    ("high", "not_substantiated"): "continue",
    ("high", "substantiated"): "intensify",
    ("very_high", "not_substantiated"): "continue",
    ("very_high", "substantiated"): "intensify",
}


def _answers(level: str, finding: str | None) -> dict[str, Any]:
    given = {item: {"level": value} for item, value in {**FIRST, **LEVELS[level]}.items()}
    if finding is not None:
        given["finding"] = {"level": finding}
    return given


def _score(level: str, finding: str | None) -> Any:
    data = document("family_reassessment", _answers(level, finding), subject=FAMILY)
    return score(compiled("family_reassessment"), Assessment.model_validate(data))


@pytest.mark.parametrize(("level", "finding"), sorted(MATRIX))
def test_every_cell_of_the_action_matrix(level: str, finding: str) -> None:
    summary = _score(level, finding)
    assert summary.outcome.computed == level
    assert summary.results is not None
    (action,) = summary.results
    assert (action.id, action.value) == ("action", MATRIX[level, finding])
    assert action.range is None  # nothing unknown
    assert action.clarify_first is None
    steps = [s for s in summary.trace if s.kind == "result"]
    assert steps[-1].result == MATRIX[level, finding]
    assert all(s.result is False for s in steps[:-1])
    # The rows are tried in the table's order up to the first that matches; what a row reads
    # (the primary outcome, the finding) is in the instrument and the summary's sections.
    (action_result,) = compiled("family_reassessment").instrument.results
    rows = [row.id for row in action_result.table]
    assert [s.explanation.params["rule"] for s in steps] == rows[: len(steps)]
    assert {s.id for s in steps} == {"action"}


@pytest.mark.parametrize(
    ("level", "lowest", "highest"),
    [("low", "close", "continue"), ("high", "continue", "intensify")],
)
def test_an_unknown_finding_gives_a_range_and_is_clarified_first(
    level: str, lowest: str, highest: str
) -> None:
    for finding in (None, "pending"):
        summary = _score(level, finding)
        assert summary.results is not None
        (action,) = summary.results
        assert action.value == "continue"  # the default row, or the high-risk row
        assert action.range is not None
        assert (action.range.lowest, action.range.highest) == (lowest, highest)
        assert action.range.method == "branch_and_bound"
        assert action.clarify_first == ["finding"]
        # The primary outcome does not depend on the finding.
        assert summary.unknowns.clarify_first == []


def test_a_score_unknown_that_moves_the_risk_level_is_clarified_for_the_action() -> None:
    given = _answers("moderate", "not_substantiated")
    given["child_needs"] = {"level": "yes"}  # total 4
    given["plan_progress"] = {"level": "cannot_obtain"}  # 0 by rule; alone up to 6: high
    given["domestic_violence"] = {"level": "cannot_obtain"}  # 0 by rule; alone up to 6
    data = document("family_reassessment", given, subject=FAMILY)
    summary = score(compiled("family_reassessment"), Assessment.model_validate(data))
    assert summary.results is not None
    (action,) = summary.results
    assert action.value == "close"
    assert action.range is not None
    assert (action.range.lowest, action.range.highest) == ("close", "continue")
    assert action.clarify_first == ["plan_progress", "domestic_violence"]


def test_instruments_without_results_write_no_results() -> None:
    data = document(
        "caregiver_questionnaire",
        {},
        subject={"kind": "caregiver", "case_id": "c-1", "age_months": 400},
    )
    summary = score(compiled("caregiver_questionnaire"), Assessment.model_validate(data))
    assert summary.results is None
    assert "results" not in summary.model_dump(by_alias=True, exclude_none=True)


def _with_results(change: Any) -> Instrument:
    data = copy.deepcopy(instrument_data("family_reassessment"))
    change(data["results"])
    return Instrument.model_validate(data)


def _codes(instrument: Instrument) -> list[tuple[str, str]]:
    with pytest.raises(DocumentError) as caught:
        compile_instrument(instrument)
    return [(p.pointer, p.code) for p in caught.value.problems]


def _second(results: list[dict[str, Any]], reads: str) -> None:
    results.append(
        {
            "id": "review",
            "label": {"en": "Review"},
            "outcomes": [
                {"id": "later", "label": {"en": "later"}},
                {"id": "soon", "label": {"en": "soon"}},
            ],
            "table": [
                {
                    "id": "r1",
                    "when": {"result": {"result": reads, "in": ["intensify"]}},
                    "outcome": "soon",
                    "rationale": {"en": "r"},
                },
                {"id": "r2", "outcome": "later", "rationale": {"en": "r"}},
            ],
        }
    )


def test_a_result_may_read_another_result() -> None:
    instrument = _with_results(lambda results: _second(results, "action"))
    runtime = compile_instrument(instrument)
    data = document("family_reassessment", _answers("high", "substantiated"), subject=FAMILY)
    summary = score(runtime, Assessment.model_validate(data))
    assert summary.results is not None
    assert [(r.id, r.value) for r in summary.results] == [
        ("action", "intensify"),
        ("review", "soon"),
    ]


def test_a_cycle_between_results_is_refused() -> None:
    def cycle(results: list[dict[str, Any]]) -> None:
        _second(results, "action")
        results[0]["table"][0]["when"] = {"result": {"result": "review", "at_least": "soon"}}

    assert ("/results/0", "ref.cycle") in _codes(_with_results(cycle))


def test_a_missing_reference_is_refused() -> None:
    codes = _codes(_with_results(lambda results: _second(results, "nothing")))
    assert codes == [("/results/1/table/0/when/result/result", "ref.unknown-result")]


def test_an_unknown_value_and_a_malformed_test_are_refused() -> None:
    def bad(results: list[dict[str, Any]]) -> None:
        results[0]["table"][0]["when"]["all"][0] = {"result": {"at_least": "nothing"}}
        results[0]["table"][1]["when"] = {"result": {}}

    assert _codes(_with_results(bad)) == [
        ("/results/0/table/0/when/all/0/result/at_least", "ref.unknown-outcome"),
        ("/results/0/table/1/when/result", "condition.result-test"),
    ]


def test_only_further_results_may_read_results() -> None:
    data = copy.deepcopy(instrument_data("family_reassessment"))
    data["decision_table"][0]["when"] = {"result": {"result": "action", "in": ["close"]}}
    codes = _codes(Instrument.model_validate(data))
    assert codes == [("/decision_table/0/when/result", "condition.result-scope")]


def test_a_missing_default_row_is_refused_by_compile_and_lint() -> None:
    instrument = _with_results(lambda results: results[0]["table"].pop())
    assert _codes(instrument) == [("/results/0/table/3/when", "table.default-rule")]
    with pytest.raises(DocumentError):
        lint_instrument(instrument)


def test_text_and_describe_show_the_results() -> None:
    summary = _score("high", None)
    text = render_summary_text(
        summary, Instrument.model_validate(instrument_data("family_reassessment")), lang="en"
    )
    assert "Recommended action" in text
    assert "Continue services" in text
    sheet = describe_instrument(
        Instrument.model_validate(instrument_data("family_reassessment")), lang="en"
    )
    assert "Recommended action" in sheet
    assert "Intensify services" in sheet
