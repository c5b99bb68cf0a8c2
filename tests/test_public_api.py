"""The public surface is guarded: its names, where they say they live, and one convention.

Adding or removing a public name is a decision, so the exact list is written down here and
a change to ``kwg_check.__all__`` fails until this list is changed with it (as httpx's
``tests/test_exported_members.py`` does). Every public function spells its parameters the
same way: the document first, then ``instrument``, then the keyword-only ``registry=``,
``lang=`` and ``format=``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

import kwg_check

EXPECTED = [
    "DEFAULT_LIMITS",
    "SCHEMA_NAMES",
    "Answer",
    "ArgumentError",
    "Assessment",
    "BatchResult",
    "Change",
    "CheckResult",
    "Comparison",
    "ComparisonError",
    "ComparisonFormat",
    "CompiledInstrument",
    "Completeness",
    "Condition",
    "Difference",
    "Document",
    "DocumentError",
    "DocumentType",
    "Evidence",
    "Example",
    "Flag",
    "FlagResult",
    "Index",
    "IndexResult",
    "Instrument",
    "InstrumentEntry",
    "InstrumentLike",
    "InstrumentMismatchError",
    "InstrumentRegistry",
    "Item",
    "ItemResult",
    "JsonValue",
    "Judgement",
    "KwgCheckError",
    "Lang",
    "Limits",
    "LoadError",
    "LocalizedText",
    "NotFoundError",
    "Outcome",
    "OutcomeRange",
    "OutcomeResult",
    "OverrideError",
    "OverrideResult",
    "Problem",
    "RangeChange",
    "ReportFormat",
    "Resource",
    "Scale",
    "Source",
    "Statistic",
    "StatisticFormat",
    "Summary",
    "TraceInput",
    "TraceStep",
    "Unknowns",
    "WriteError",
    "__version__",
    "assessment_problems",
    "assessment_to_questionnaire_response",
    "canonical_json",
    "compare",
    "compile_instrument",
    "default_language",
    "describe_instrument",
    "document_fingerprint",
    "document_type",
    "dump_document",
    "dump_json",
    "example_data",
    "examples",
    "fingerprint",
    "instrument_problems",
    "instrument_to_questionnaire",
    "load_assessment",
    "load_document",
    "load_instrument",
    "load_json",
    "load_summary",
    "parse_assessment",
    "parse_document",
    "parse_instrument",
    "parse_summary",
    "questionnaire_response_to_assessment",
    "render_comparison",
    "render_report",
    "render_statistic",
    "resolve_instrument",
    "schema_text",
    "score_assessment",
    "score_document",
    "score_lines",
    "summary_text",
    "tabulate_statistic",
    "validate_document",
    "verify_summary",
]

PUBLIC = [getattr(kwg_check, name) for name in kwg_check.__all__]
FUNCTIONS = {
    name: value for name, value in zip(kwg_check.__all__, PUBLIC, strict=True)
    if inspect.isfunction(value)
}  # fmt: skip
CLASSES = {
    name: value for name, value in zip(kwg_check.__all__, PUBLIC, strict=True)
    if inspect.isclass(value)
}  # fmt: skip

INSTRUMENT_IS_THE_DOCUMENT = {
    "compile_instrument",
    "default_language",
    "describe_instrument",
    "instrument_problems",
    "instrument_to_questionnaire",
}
"""Functions whose document is the instrument itself: their first parameter is it."""

KEYWORD_ORDER = ("registry", "lang", "format")


def test_the_public_names_are_exactly_the_expected_ones() -> None:
    assert sorted(kwg_check.__all__) == sorted(EXPECTED)
    assert len(set(kwg_check.__all__)) == len(kwg_check.__all__)


def test_nothing_public_is_left_out_of_all() -> None:
    """Every public-looking attribute of the package is in ``__all__`` or a submodule."""
    names = {name for name in vars(kwg_check) if not name.startswith("_")}
    modules = {name for name in names if inspect.ismodule(getattr(kwg_check, name))}
    assert names - modules == set(kwg_check.__all__) - {"__version__"}


@pytest.mark.parametrize("name", sorted({**FUNCTIONS, **CLASSES}))
def test_public_functions_and_classes_say_they_live_in_kwg_check(name: str) -> None:
    assert getattr(kwg_check, name).__module__ == "kwg_check"


def _signature(function: Callable[..., Any]) -> list[inspect.Parameter]:
    return list(inspect.signature(function, eval_str=True).parameters.values())


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_public_functions_follow_the_parameter_convention(name: str) -> None:
    """Document first, ``instrument`` right after the documents, then keyword-only
    ``registry``, ``lang``, ``format`` in this order; ``lang=None`` is the instrument's."""
    parameters = _signature(FUNCTIONS[name])
    positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    keyword = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]
    assert positional, f"{name} takes no document"
    assert "fmt" not in keyword + [p.name for p in positional]
    if name in INSTRUMENT_IS_THE_DOCUMENT:
        assert positional[0].name == "instrument"
    elif "instrument" in {p.name for p in positional}:
        instrument = positional[-1]
        assert instrument.name == "instrument", f"{name}: instrument after the documents"
        assert instrument.default is None
        assert instrument.annotation == kwg_check.InstrumentLike | None
    for conventional in KEYWORD_ORDER:
        assert conventional not in {p.name for p in positional}, f"{name}: {conventional}"
    ordered = [k for k in keyword if k in KEYWORD_ORDER]
    assert ordered == sorted(ordered, key=KEYWORD_ORDER.index), name
    for parameter in parameters:
        if parameter.name == "lang":
            assert parameter.annotation == kwg_check.Lang | None
            assert parameter.default is None
        if parameter.name == "registry":
            assert parameter.default is None


def test_functions_that_score_accept_an_instrument_or_a_compiled_one() -> None:
    assessment = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-no-need-preschool"))
    compiled = kwg_check.resolve_instrument(assessment)
    expected = kwg_check.score_assessment(assessment)
    assert kwg_check.score_assessment(assessment, compiled) == expected
    assert kwg_check.score_assessment(assessment, compiled.instrument) == expected
    assert kwg_check.score_document(assessment, compiled) == kwg_check.dump_document(expected)
    assert kwg_check.summary_text(expected) == kwg_check.summary_text(expected, compiled)
    assert kwg_check.assessment_problems(assessment, compiled.instrument) == []
