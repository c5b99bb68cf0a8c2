"""The public surface is guarded: its names, where they say they live, and one convention.

Adding or removing a public name is a decision, so the exact list is written down here and
a change to ``kwg_check.__all__`` fails until this list is changed with it (as httpx's
``tests/test_exported_members.py`` does). Every public function spells its parameters the
same way: the document first, then ``instrument``, then the keyword-only ``registry=``,
``lang=`` and ``format=``.
"""

from __future__ import annotations

import inspect
import io
import os
import pickle
import traceback
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pytest

import kwg_check
from kwg_check import Problem

EXPECTED = [
    "DEFAULT_LIMITS",
    "SCHEMA_NAMES",
    "Agreement",
    "AgreementFormat",
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
    "ConsultFormat",
    "Consultation",
    "Difference",
    "DifferingItem",
    "Document",
    "DocumentError",
    "DocumentType",
    "Evidence",
    "Example",
    "Flag",
    "FlagResult",
    "Index",
    "IndexRange",
    "IndexResult",
    "Instrument",
    "InstrumentVariant",
    "InstrumentEntry",
    "InstrumentLike",
    "InstrumentMismatchError",
    "InstrumentRegistry",
    "Item",
    "ItemResult",
    "JsonValue",
    "Judgement",
    "KwgCheckError",
    "LanguageFallbackWarning",
    "Lang",
    "Limits",
    "LoadError",
    "LocalizedText",
    "Message",
    "MigrationResult",
    "NotFoundError",
    "Outcome",
    "OutcomeRange",
    "OutcomeResult",
    "OverrideError",
    "OverrideResult",
    "Problem",
    "RangeChange",
    "Rating",
    "ReportFormat",
    "Resource",
    "Scale",
    "Source",
    "Statistic",
    "StatisticFormat",
    "Summary",
    "TraceStep",
    "Unknowns",
    "WriteError",
    "__version__",
    "agreement",
    "assessment_problems",
    "assessment_to_questionnaire_response",
    "canonical_json",
    "compare",
    "compile_instrument",
    "consult",
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
    "lint_instrument",
    "load_assessment",
    "load_document",
    "load_instrument",
    "load_json",
    "load_summary",
    "migrate_assessment",
    "parse_assessment",
    "parse_document",
    "parse_instrument",
    "parse_instrument_variant",
    "parse_summary",
    "questionnaire_response_to_assessment",
    "questionnaire_to_instrument",
    "QuestionnaireConversion",
    "UNSPECIFIED_ROLE",
    "render_agreement",
    "render_comparison",
    "render_consultation",
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
    "Impact",
    "ImpactChange",
    "InstrumentChange",
    "InstrumentDiff",
    "InstrumentDiffFormat",
    "diff_instruments",
    "instrument_impact",
    "render_impact",
    "render_instrument_diff",
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
    "lint_instrument",
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


# --------------------------------------------------------------------------------------------
# Wrong argument types: only the library's errors, never the value (issue 12)
# --------------------------------------------------------------------------------------------

TRACE = "7c3e"
MARKER = f"Frau ZZ MARKER:{TRACE}"
"""Planted in every wrong argument: it may appear in no error message."""
WRONG: dict[str, object] = {
    "dict": {MARKER: [MARKER]},
    "list": [MARKER],
    "int": 5,
    "None": None,
    "str": MARKER,
}

ASSESSMENT = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-no-need-preschool"))
COMPILED = kwg_check.resolve_instrument(ASSESSMENT)
SUMMARY = kwg_check.score_assessment(ASSESSMENT)
LINE = kwg_check.canonical_json(kwg_check.dump_document(ASSESSMENT))
COLLEAGUE = kwg_check.parse_assessment(
    {
        **kwg_check.dump_document(ASSESSMENT),
        "assessors": [{"id": "FK-X", "role": "social_worker"}],
    }
)
"""The same case rated by another professional: a consultation's second rating."""
SAMPLES: list[tuple[object, object]] = [
    (kwg_check.Assessment, ASSESSMENT),
    (kwg_check.Summary, SUMMARY),
    (kwg_check.Instrument, COMPILED.instrument),
    (
        kwg_check.InstrumentVariant,
        kwg_check.InstrumentRegistry().variant("kwg_8a_musterstadt", "1.0.0"),
    ),
    (kwg_check.InstrumentLike, COMPILED),
    (
        kwg_check.Instrument | kwg_check.CompiledInstrument | kwg_check.InstrumentVariant,
        COMPILED,
    ),
    (kwg_check.InstrumentLike | None, COMPILED),
    (kwg_check.Assessment | kwg_check.Summary, ASSESSMENT),
    (kwg_check.Document, ASSESSMENT),
    (kwg_check.Statistic, kwg_check.tabulate_statistic([SUMMARY])),
    (kwg_check.Comparison, kwg_check.compare(ASSESSMENT, ASSESSMENT)),
    (kwg_check.JsonValue, kwg_check.dump_document(ASSESSMENT)),
    (kwg_check.Source, LINE),
    (Iterable[kwg_check.Summary], [SUMMARY]),
    (kwg_check.InstrumentDiff, kwg_check.diff_instruments(COMPILED, COMPILED)),
    (kwg_check.Impact, kwg_check.instrument_impact(COMPILED, COMPILED, [ASSESSMENT])),
    (Iterable[kwg_check.Assessment], [ASSESSMENT, COLLEAGUE]),
    (kwg_check.Consultation, kwg_check.consult([ASSESSMENT, COLLEAGUE])),
    (kwg_check.Agreement, kwg_check.agreement([ASSESSMENT], [COLLEAGUE])),
    (Iterable[bytes] | BinaryIO, [LINE]),
    (str, "kwg8a-no-need-preschool"),
    (str | os.PathLike[str], str(Path(kwg_check.__file__).parent / "data" / "instruments")),
    (Iterable[str | os.PathLike[str]], []),
]
"""A valid value of each parameter type the public functions take (by type, not by
function: a new function whose types are known here is tested without a change)."""

REGISTRY_METHODS = {
    f"InstrumentRegistry.{name}": getattr(kwg_check.InstrumentRegistry(bundled=False), name)
    for name, member in vars(kwg_check.InstrumentRegistry).items()
    if inspect.isfunction(member) and not name.startswith("_")
}
CALLABLES: dict[str, Callable[..., Any]] = {
    **FUNCTIONS,
    **REGISTRY_METHODS,
    "InstrumentRegistry": kwg_check.InstrumentRegistry,
}
"""Every public function, and the registry (the one public class with behaviour; the
models validate their data themselves, see tests/test_no_echo.py)."""


def sample(annotation: object) -> object:
    for known, value in SAMPLES:
        if known == annotation:
            return value
    raise AssertionError(f"add a valid sample of {annotation} to SAMPLES")


def accepted_types(annotation: object) -> set[type] | None:
    """The types an annotation lets through, or ``None`` when the function itself checks the
    value (JSON data: its own codes; literals: ``argument.format``, ``argument.language``)."""
    if annotation is kwg_check.JsonValue:
        return None
    if typing.get_origin(annotation) is Literal:
        return set()
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [accepted_types(member) for member in typing.get_args(annotation)]
        return None if None in members else set().union(*filter(None, members))
    origin = typing.get_origin(annotation) or annotation
    return {origin} if isinstance(origin, type) else set()


def call(function: Callable[..., Any], **arguments: object) -> object:
    """Call with the arguments by name (positional ones in order); read an iterator out."""
    parameters = inspect.signature(function).parameters.values()
    positional = [
        arguments.pop(p.name) for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD
        if p.name in arguments
    ]  # fmt: skip
    result = function(*positional, **arguments)
    return list(result) if isinstance(result, Iterator) else result


def outcome(
    function: Callable[..., Any], arguments: dict[str, object]
) -> tuple[object, BaseException | None]:
    """The result of the call, or the exception it raised (whatever it is)."""
    try:
        return call(function, **arguments), None
    except Exception as error:
        return None, error


def assert_clean(error: BaseException, *, shown: bool = False) -> None:
    """A library error, not chained to another; ``shown``: the value may be named."""
    assert isinstance(error, kwg_check.KwgCheckError), repr(error)
    assert error.__cause__ is None
    if shown:
        return
    for problem in error.problems:
        assert TRACE not in problem.reason, problem
        assert TRACE not in problem.pointer, problem
    assert TRACE not in "".join(traceback.format_exception(error))


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_wrong_argument_types_raise_only_clean_library_errors(name: str) -> None:
    """For each parameter of each public function, in turn: a dict, a list, an int, None and
    a text, the others valid. A value of a type the parameter does not take is an
    ``ArgumentError`` naming the parameter (or the function's own error for JSON data and
    literals); nothing but the library's errors escapes, and none shows the value."""
    function = CALLABLES[name]
    parameters = list(inspect.signature(function, eval_str=True).parameters.values())
    valid = {p.name: sample(p.annotation) for p in parameters if p.default is p.empty}
    for parameter in parameters:
        accepted = accepted_types(parameter.annotation)
        for kind, value in WRONG.items():
            arguments = {**valid, parameter.name: value}
            wrong = accepted is not None and not isinstance(value, tuple(accepted))
            result, error = outcome(function, arguments)
            if error is None:
                assert not wrong, (parameter.name, kind)
                if isinstance(result, list) and result and isinstance(result[0], Problem):
                    assert all(TRACE not in problem.reason for problem in result)
                continue
            # A name or path of the caller's own (an instrument id, a directory) may be
            # named; a wrong value and data never are.
            assert_clean(error, shown=not wrong and accepted is not None)
            if wrong:
                assert isinstance(error, kwg_check.ArgumentError), (parameter.name, kind)
                literal = error.code in ("argument.format", "argument.language")
                assert literal or error.reason.startswith(parameter.name), error.reason


ISSUE_CASES: list[tuple[str, Callable[[], object], str]] = [
    (
        "score_assessment(dict)",
        lambda: kwg_check.score_assessment({"document_type": "assessment"}),  # type: ignore[arg-type]
        "assessment must be an Assessment (use kwg_check.parse_assessment for data), got dict",
    ),
    (
        "render_report(path)",
        lambda: kwg_check.render_report("assessment.json"),  # type: ignore[arg-type]
        "assessment must be an Assessment (use kwg_check.load_assessment for a file), got str",
    ),
    (
        "compare(assessment, compiled instrument)",
        lambda: kwg_check.compare(ASSESSMENT, COMPILED),  # type: ignore[arg-type]
        "new must be an Assessment or a Summary, got CompiledInstrument",
    ),
    (
        "dump_document(dict)",
        lambda: kwg_check.dump_document({}),  # type: ignore[arg-type]
        "doc must be an Instrument, an Assessment, a Summary or an InstrumentVariant "
        "(use kwg_check.parse_document for data), got dict",
    ),
    (
        "document_fingerprint(int)",
        lambda: kwg_check.document_fingerprint(5),  # type: ignore[arg-type]
        "doc must be an Instrument, an Assessment, a Summary or an InstrumentVariant, got int",
    ),
    (
        "tabulate_statistic([dict])",
        lambda: kwg_check.tabulate_statistic([{}]),  # type: ignore[list-item]
        "summaries[0] must be a Summary (use kwg_check.parse_summary for data), got dict",
    ),
    (
        "summary_text(None)",
        lambda: kwg_check.summary_text(None),  # type: ignore[arg-type]
        "summary must be a Summary, got None",
    ),
    (
        "summary_text(summary, dict)",
        lambda: kwg_check.summary_text(SUMMARY, {}),  # type: ignore[arg-type]
        "instrument must be an Instrument, a CompiledInstrument or None "
        "(use kwg_check.parse_instrument for data), got dict",
    ),
    (
        "load_json(int)",
        lambda: kwg_check.load_json(5),  # type: ignore[arg-type]
        "source must be a str, a path or bytes, got int",
    ),
    (
        "score_lines([str])",
        lambda: list(kwg_check.score_lines(["{}"])),  # type: ignore[list-item]
        "lines[0] must be bytes, got str",
    ),
    (
        "score_lines(text file)",
        lambda: list(kwg_check.score_lines(io.StringIO("{}\n"))),  # type: ignore[arg-type]
        "lines[0] must be bytes, got str",
    ),
    (
        "score_lines(jobs=str)",
        lambda: kwg_check.score_lines([LINE], jobs="2"),  # type: ignore[arg-type]
        "jobs must be an int, got str",
    ),
    (
        "InstrumentRegistry(str)",
        lambda: kwg_check.InstrumentRegistry("instruments/"),
        "directories must be an iterable of str or path, got str",
    ),
    (
        "InstrumentRegistry.add(dict)",
        lambda: kwg_check.InstrumentRegistry().add({}),  # type: ignore[arg-type]
        "instrument must be an Instrument (use kwg_check.parse_instrument for data), got dict",
    ),
]


@pytest.mark.parametrize(
    ("case", "action", "reason"), ISSUE_CASES, ids=[case for case, _, _ in ISSUE_CASES]
)
def test_the_wrong_types_of_the_issue_name_parameter_and_type(
    case: str, action: Callable[[], object], reason: str
) -> None:
    """They raised ``AttributeError`` or ``TypeError`` from deep inside (issue 12)."""
    with pytest.raises(kwg_check.ArgumentError) as info:
        action()
    assert (info.value.pointer, info.value.code, info.value.reason) == ("", "argument.type", reason)
    assert isinstance(info.value, ValueError)
    assert info.value.__context__ is None


def test_a_wrong_statistic_format_is_an_argument_error() -> None:
    statistic = kwg_check.tabulate_statistic([SUMMARY])
    with pytest.raises(kwg_check.ArgumentError) as info:
        kwg_check.render_statistic(statistic, format="x")  # type: ignore[arg-type]
    assert info.value.code == "argument.format"


def test_checked_functions_keep_their_signature_docs_and_identity_for_pickle() -> None:
    """The check is invisible to a right call: same signature, docstring, name; pickled by
    reference to ``kwg_check``; the library's modules call the function unchecked."""
    checked = kwg_check.score_assessment
    assert inspect.signature(checked) == inspect.signature(kwg_check._api.score_assessment)
    assert checked.__doc__ == kwg_check._api.score_assessment.__doc__
    assert pickle.loads(pickle.dumps(checked)) is checked
    assert checked(ASSESSMENT, COMPILED) == SUMMARY
