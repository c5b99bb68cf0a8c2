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
    Difference,
    Source,
    load_assessment,
    load_document,
    load_instrument,
    load_json,
    load_summary,
    resolve_instrument,
    score_assessment,
    validate_document,
    verify_summary,
)
from ._batch import BatchResult, score_lines
from ._compare import Change, Comparison, compare
from ._describe import describe_instrument
from ._documents import (
    document_fingerprint,
    document_type,
    dump_document,
    parse_assessment,
    parse_document,
    parse_instrument,
    parse_summary,
)
from ._engine import (
    CompiledInstrument,
    assessment_problems,
    compile_instrument,
    instrument_problems,
    score,
    score_document,
)
from ._errors import (
    ComparisonError,
    DocumentError,
    InstrumentMismatchError,
    KwgCheckError,
    LoadError,
    NotFoundError,
    OverrideError,
    Problem,
)
from ._fhir import (
    assessment_to_questionnaire_response,
    instrument_to_questionnaire,
    questionnaire_response_to_assessment,
)
from ._io import DEFAULT_LIMITS, JsonValue, Limits, canonical_json, dump_json, fingerprint
from ._model import Assessment, Instrument, Summary
from ._registry import Example, InstrumentEntry, InstrumentRegistry, example_data, examples
from ._report import render_comparison, render_report
from ._schema import SCHEMA_NAMES, schema_text
from ._stats import Statistic, render_statistic, tabulate_statistic
from ._text import summary_text
from ._version import __version__

__all__ = [
    "DEFAULT_LIMITS",
    "SCHEMA_NAMES",
    "Assessment",
    "BatchResult",
    "Change",
    "Comparison",
    "ComparisonError",
    "CompiledInstrument",
    "Difference",
    "DocumentError",
    "Example",
    "Instrument",
    "InstrumentEntry",
    "InstrumentMismatchError",
    "InstrumentRegistry",
    "JsonValue",
    "KwgCheckError",
    "Limits",
    "LoadError",
    "NotFoundError",
    "OverrideError",
    "Problem",
    "Source",
    "Statistic",
    "Summary",
    "__version__",
    "assessment_problems",
    "assessment_to_questionnaire_response",
    "canonical_json",
    "compare",
    "compile_instrument",
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
    "score",
    "score_assessment",
    "score_document",
    "score_lines",
    "summary_text",
    "tabulate_statistic",
    "validate_document",
    "verify_summary",
]
