"""kwg_check: traceable child-welfare risk assessment (§ 8a SGB VIII).

Instruments and assessments are JSON or YAML documents, validated against the published JSON
Schemas; scoring turns them into a summary in which every number can be traced back to the
items, levels, weights and rules behind it. The outcome supports the professionals'
judgement and never replaces it.

    >>> import kwg_check
    >>> data = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    >>> assessment = kwg_check.parse_assessment(data)
    >>> summary = kwg_check.score_assessment(assessment)
"""

import importlib as _importlib
import sys as _sys
import typing as _typing

from ._version import __version__

if _typing.TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__
    from ._api import (
        UNSPECIFIED_ROLE,
        Difference,
        QuestionnaireConversion,
        Source,
        agreement,
        assessment_problems,
        assessment_to_questionnaire_response,
        compare,
        consult,
        diff_instruments,
        instrument_impact,
        instrument_to_questionnaire,
        load_assessment,
        load_document,
        load_instrument,
        load_json,
        load_summary,
        migrate_assessment,
        questionnaire_response_to_assessment,
        questionnaire_to_instrument,
        render_impact,
        render_instrument_diff,
        render_report,
        resolve_instrument,
        score_assessment,
        score_document,
        summary_text,
        verify_summary,
    )
    from ._batch import BatchResult, score_lines
    from ._check import lint_instrument, validate_document
    from ._documents import (
        Document,
        DocumentType,
        document_fingerprint,
        document_type,
        dump_document,
        parse_assessment,
        parse_document,
        parse_instrument,
        parse_instrument_variant,
        parse_summary,
    )
    from ._engine._compile import compile_instrument, instrument_problems
    from ._engine._runtime import CompiledInstrument
    from ._errors import (
        ArgumentError,
        ComparisonError,
        DocumentError,
        InstrumentMismatchError,
        KwgCheckError,
        LanguageFallbackWarning,
        LoadError,
        NotFoundError,
        OverrideError,
        Problem,
        WriteError,
    )
    from ._instrument_diff import Impact, ImpactChange, InstrumentChange, InstrumentDiff
    from ._io import DEFAULT_LIMITS, JsonValue, Limits, canonical_json, dump_json, fingerprint
    from ._lifecycle import MigrationResult
    from ._model._types import LocalizedText
    from ._model.assessment import Answer, Assessment, Evidence, Judgement, Resource
    from ._model.conditions import Condition
    from ._model.instrument import Flag, Index, Instrument, Item, Outcome, Scale
    from ._model.summary import (
        CheckResult,
        Completeness,
        FlagResult,
        IndexRange,
        IndexResult,
        ItemResult,
        Message,
        OutcomeRange,
        OutcomeResult,
        OverrideResult,
        Summary,
        TraceStep,
        Unknowns,
    )
    from ._model.variant import InstrumentVariant
    from ._registry import Example, InstrumentEntry, InstrumentRegistry, example_data, examples
    from ._schema import SCHEMA_NAMES, schema_text
    from ._types import (
        AgreementFormat,
        ComparisonFormat,
        ConsultFormat,
        InstrumentDiffFormat,
        InstrumentLike,
        Lang,
        ReportFormat,
        StatisticFormat,
        default_language,
    )
    from ._views._agreement import Agreement, Rating, render_agreement
    from ._views._compare import Change, Comparison, RangeChange
    from ._views._consult import Consultation, DifferingItem, render_consultation
    from ._views._describe import describe_instrument
    from ._views._report import render_comparison
    from ._views._stats import Statistic, render_statistic, tabulate_statistic

__all__ = [
    "DEFAULT_LIMITS",
    "SCHEMA_NAMES",
    "UNSPECIFIED_ROLE",
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
    "Impact",
    "ImpactChange",
    "Index",
    "IndexRange",
    "IndexResult",
    "Instrument",
    "InstrumentChange",
    "InstrumentDiff",
    "InstrumentDiffFormat",
    "InstrumentEntry",
    "InstrumentLike",
    "InstrumentMismatchError",
    "InstrumentRegistry",
    "InstrumentVariant",
    "Item",
    "ItemResult",
    "JsonValue",
    "Judgement",
    "KwgCheckError",
    "Lang",
    "LanguageFallbackWarning",
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
    "QuestionnaireConversion",
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
    "diff_instruments",
    "document_fingerprint",
    "document_type",
    "dump_document",
    "dump_json",
    "example_data",
    "examples",
    "fingerprint",
    "instrument_impact",
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
    "render_agreement",
    "render_comparison",
    "render_consultation",
    "render_impact",
    "render_instrument_diff",
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


_HOMES: dict[str, str] = {
    "Difference": "._api",
    "UNSPECIFIED_ROLE": "._api",
    "QuestionnaireConversion": "._api",
    "questionnaire_to_instrument": "._api",
    "Source": "._api",
    "agreement": "._api",
    "assessment_problems": "._api",
    "assessment_to_questionnaire_response": "._api",
    "compare": "._api",
    "consult": "._api",
    "diff_instruments": "._api",
    "instrument_impact": "._api",
    "instrument_to_questionnaire": "._api",
    "lint_instrument": "._check",
    "load_assessment": "._api",
    "load_document": "._api",
    "load_instrument": "._api",
    "load_json": "._api",
    "load_summary": "._api",
    "migrate_assessment": "._api",
    "questionnaire_response_to_assessment": "._api",
    "render_impact": "._api",
    "render_instrument_diff": "._api",
    "render_report": "._api",
    "resolve_instrument": "._api",
    "score_assessment": "._api",
    "score_document": "._api",
    "summary_text": "._api",
    "validate_document": "._check",
    "verify_summary": "._api",
    "BatchResult": "._batch",
    "score_lines": "._batch",
    "Document": "._documents",
    "DocumentType": "._documents",
    "document_fingerprint": "._documents",
    "document_type": "._documents",
    "dump_document": "._documents",
    "parse_assessment": "._documents",
    "parse_document": "._documents",
    "parse_instrument": "._documents",
    "parse_instrument_variant": "._documents",
    "parse_summary": "._documents",
    "CompiledInstrument": "._engine._runtime",
    "compile_instrument": "._engine._compile",
    "instrument_problems": "._engine._compile",
    "ArgumentError": "._errors",
    "ComparisonError": "._errors",
    "DocumentError": "._errors",
    "InstrumentMismatchError": "._errors",
    "KwgCheckError": "._errors",
    "LanguageFallbackWarning": "._errors",
    "LoadError": "._errors",
    "NotFoundError": "._errors",
    "OverrideError": "._errors",
    "Problem": "._errors",
    "WriteError": "._errors",
    "Impact": "._instrument_diff",
    "ImpactChange": "._instrument_diff",
    "InstrumentChange": "._instrument_diff",
    "InstrumentDiff": "._instrument_diff",
    "DEFAULT_LIMITS": "._io",
    "JsonValue": "._io",
    "Limits": "._io",
    "canonical_json": "._io",
    "dump_json": "._io",
    "fingerprint": "._io",
    "Answer": "._model.assessment",
    "Assessment": "._model.assessment",
    "Condition": "._model.conditions",
    "Evidence": "._model.assessment",
    "Flag": "._model.instrument",
    "Index": "._model.instrument",
    "Instrument": "._model.instrument",
    "InstrumentVariant": "._model.variant",
    "Item": "._model.instrument",
    "Judgement": "._model.assessment",
    "Outcome": "._model.instrument",
    "Resource": "._model.assessment",
    "Scale": "._model.instrument",
    "Summary": "._model.summary",
    "TraceStep": "._model.summary",
    "LocalizedText": "._model._types",
    "MigrationResult": "._lifecycle",
    "CheckResult": "._model.summary",
    "Completeness": "._model.summary",
    "FlagResult": "._model.summary",
    "IndexRange": "._model.summary",
    "IndexResult": "._model.summary",
    "ItemResult": "._model.summary",
    "Message": "._model.summary",
    "OutcomeRange": "._model.summary",
    "OutcomeResult": "._model.summary",
    "OverrideResult": "._model.summary",
    "Unknowns": "._model.summary",
    "Example": "._registry",
    "InstrumentEntry": "._registry",
    "InstrumentRegistry": "._registry",
    "example_data": "._registry",
    "examples": "._registry",
    "SCHEMA_NAMES": "._schema",
    "schema_text": "._schema",
    "AgreementFormat": "._types",
    "ComparisonFormat": "._types",
    "ConsultFormat": "._types",
    "InstrumentDiffFormat": "._types",
    "InstrumentLike": "._types",
    "Lang": "._types",
    "ReportFormat": "._types",
    "StatisticFormat": "._types",
    "default_language": "._types",
    "Agreement": "._views._agreement",
    "Rating": "._views._agreement",
    "render_agreement": "._views._agreement",
    "Change": "._views._compare",
    "Comparison": "._views._compare",
    "RangeChange": "._views._compare",
    "Consultation": "._views._consult",
    "DifferingItem": "._views._consult",
    "render_consultation": "._views._consult",
    "describe_instrument": "._views._describe",
    "render_comparison": "._views._report",
    "Statistic": "._views._stats",
    "render_statistic": "._views._stats",
    "tabulate_statistic": "._views._stats",
}
"""Where each public name is defined. Nothing is imported until a name is first used
(PEP 562): ``import kwg_check`` and ``kwg-check --help`` stay fast, and a command loads only
the modules it needs. A test checks that this table and the imports above agree."""


if not _typing.TYPE_CHECKING:  # type checkers see the imports above, not a catch-all

    def __getattr__(name: str) -> object:
        """Import a public name's module on first use, then bind it and every other public name
        whose module is loaded by now (``from kwg_check import x`` comes here too)."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        _importlib.import_module(home, __name__)
        for other, module in _HOMES.items():
            if other not in globals() and _sys.modules.get(__name__ + module) is not None:
                globals()[other] = _present_as_public(
                    getattr(_sys.modules[__name__ + module], other)
                )
        return globals()[name]

    def __dir__() -> list[str]:
        """The module's attributes, the public names not yet imported included."""
        return sorted({*globals(), *__all__})


def _present_as_public(value: object) -> object:
    """Public classes and functions report ``__module__ == "kwg_check"``, as httpx does: a
    user sees ``kwg_check.Summary`` in reprs, tracebacks and docs, never a private module.
    Type aliases (``Lang``, ``JsonValue``, …) and constants have no module of their own.
    A class is marked when its module is first loaded through this package (every public
    class of a loaded module at once, so the classes a call returns are marked too).

    Every exported function checks the types of its arguments here, at the door: a wrong
    type is an :class:`ArgumentError` (``argument.type``), never an ``AttributeError`` from
    deep inside (issue 12). The library's own modules call each other unchecked."""
    if callable(value) and hasattr(value, "__code__"):
        from ._types import checked_arguments

        value = checked_arguments(value)
        value.__module__ = __name__
    elif isinstance(value, type):
        value.__module__ = __name__
    return value
