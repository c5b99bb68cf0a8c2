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
    lint_instrument,
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
    validate_document,
    verify_summary,
)
from ._batch import BatchResult, score_lines
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
from ._engine import CompiledInstrument, compile_instrument, instrument_problems
from ._errors import (
    ArgumentError,
    ComparisonError,
    DocumentError,
    InstrumentMismatchError,
    KwgCheckError,
    LoadError,
    NotFoundError,
    OverrideError,
    Problem,
    WriteError,
)
from ._instrument_diff import Impact, ImpactChange, InstrumentChange, InstrumentDiff
from ._io import DEFAULT_LIMITS, JsonValue, Limits, canonical_json, dump_json, fingerprint
from ._lifecycle import MigrationResult
from ._model import (
    Answer,
    Assessment,
    Condition,
    Evidence,
    Flag,
    Index,
    Instrument,
    InstrumentVariant,
    Item,
    Judgement,
    Outcome,
    Resource,
    Scale,
    Summary,
    TraceInput,
    TraceStep,
)
from ._model._types import LocalizedText
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
    Unknowns,
)
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
from ._types import checked_arguments as _checked_arguments
from ._version import __version__
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
    "TraceInput",
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


def _present_as_public() -> None:
    """Public classes and functions report ``__module__ == "kwg_check"``, as httpx does: a
    user sees ``kwg_check.Summary`` in reprs, tracebacks and docs, never a private module.
    Type aliases (``Lang``, ``JsonValue``, …) and constants have no module of their own.

    Every exported function checks the types of its arguments here, at the door: a wrong
    type is an :class:`ArgumentError` (``argument.type``), never an ``AttributeError`` from
    deep inside (issue 12). The library's own modules call each other unchecked."""
    for name in __all__:
        value = globals()[name]
        is_function = callable(value) and hasattr(value, "__code__")
        if is_function:
            value = globals()[name] = _checked_arguments(value)
        if isinstance(value, type) or is_function:
            value.__module__ = __name__


_present_as_public()
