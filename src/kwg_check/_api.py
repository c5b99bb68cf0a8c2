"""The library's front door: load, validate, score and verify in one call each.

Everything here composes the layers below (io → documents → engine); nothing below imports
this module.
"""

from __future__ import annotations

import os

import attrs

from ._documents import (
    Document,
    dump_document,
    parse_document,
    parse_loaded,
    parse_loaded_document,
)
from ._engine import (
    CompiledInstrument,
    assessment_problems,
    compile_instrument,
    instrument_problems,
    score,
    summary_problems,
)
from ._errors import KwgCheckError, Problem, escape_pointer_token
from ._io import DEFAULT_LIMITS, JsonValue, Limits, load_bytes, load_path
from ._model import Assessment, Instrument, Summary
from ._registry import InstrumentRegistry, bundled_registry

__all__ = [
    "Difference",
    "Source",
    "load_assessment",
    "load_document",
    "load_instrument",
    "load_json",
    "load_summary",
    "resolve_instrument",
    "score_assessment",
    "validate_document",
    "verify_summary",
]

Source = str | os.PathLike[str] | bytes
"""A path to a JSON or YAML file, or the file's bytes."""


def load_json(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> JsonValue:
    """Read a JSON or YAML document safely (size, depth, duplicate keys, …)."""
    if isinstance(source, bytes):
        return load_bytes(source, limits=limits)
    return load_path(source, limits=limits)


def load_instrument(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Instrument:
    """Load and validate an instrument document."""
    return parse_loaded(Instrument, load_json(source, limits=limits))


def load_assessment(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Assessment:
    """Load and validate an assessment document (not yet against its instrument)."""
    return parse_loaded(Assessment, load_json(source, limits=limits))


def load_summary(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Summary:
    """Load and validate a summary document."""
    return parse_loaded(Summary, load_json(source, limits=limits))


def load_document(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load any of the three documents, recognised by its ``document_type``."""
    return parse_loaded_document(load_json(source, limits=limits))


def validate_document(
    data: JsonValue,
    instrument: Instrument | CompiledInstrument | None = None,
    *,
    registry: InstrumentRegistry | None = None,
    schema_only: bool = False,
) -> list[Problem]:
    """Every problem of a parsed document; an empty list means valid.

    Instruments get the semantic checks of the compile step. Assessments and summaries are
    also checked against their instrument: the one given, else the one the registry (the
    bundled one by default) knows by the document's id and version. An instrument nobody
    knows is the problem ``registry.unknown-instrument``: a document that cannot be checked
    is not valid. ``schema_only`` checks each document on its own, as the published JSON
    Schema does, and looks no instrument up.

    >>> validate_document({"document_type": "assessment"})[0].code
    'schema.required'
    """
    try:
        document = parse_document(data)
        if isinstance(document, Instrument):
            return instrument_problems(document)
        if schema_only:
            return []
        compiled = _instrument_of(document, instrument, registry)
        if isinstance(document, Assessment):
            return assessment_problems(compiled, document)
        return summary_problems(compiled, document)
    except KwgCheckError as error:
        return list(error.problems)


def _instrument_of(
    document: Assessment | Summary,
    instrument: Instrument | CompiledInstrument | None,
    registry: InstrumentRegistry | None,
) -> CompiledInstrument:
    """The instrument to check a document against: the given one (whose id and version the
    checks then compare with the document's), or the one the registry knows."""
    if isinstance(instrument, CompiledInstrument):
        return instrument
    if isinstance(instrument, Instrument):
        return compile_instrument(instrument)
    ref = document.instrument
    return (registry or bundled_registry()).compiled(ref.id, ref.version)


def resolve_instrument(
    assessment: Assessment,
    instrument: Instrument | CompiledInstrument | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> CompiledInstrument:
    """The compiled instrument to score an assessment with: the one given, or the registry's."""
    if isinstance(instrument, CompiledInstrument):
        return instrument
    if isinstance(instrument, Instrument):
        registry = InstrumentRegistry(bundled=False)
        registry.add(instrument)
    return (registry or bundled_registry()).for_assessment(assessment)


def score_assessment(
    assessment: Assessment,
    instrument: Instrument | CompiledInstrument | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> Summary:
    """Score an assessment with the given instrument, or the one its reference names."""
    return score(resolve_instrument(assessment, instrument, registry=registry), assessment)


@attrs.frozen
class Difference:
    """A place where a stored summary and a fresh re-scoring disagree.

    ``stored`` and ``recomputed`` are the values at ``pointer`` on each side, whole (an
    empty list against a filled one is one difference at the list's pointer), or ``None``
    where that side has nothing at the pointer: documents never hold JSON null.
    """

    pointer: str
    stored: JsonValue
    recomputed: JsonValue


def json_differences(
    stored: JsonValue, recomputed: JsonValue, pointer: str = ""
) -> list[Difference]:
    """Where two JSON values differ, in document order; empty exactly when they are equal.

    Two non-empty objects (or two non-empty arrays) are compared member by member; anything
    else is compared as one value, so every difference shows the real value of each side,
    and ``True`` differs from ``1`` as ``1`` from ``"1"``.
    """
    if isinstance(stored, dict) and isinstance(recomputed, dict) and stored and recomputed:
        return [
            difference
            for key in sorted(stored.keys() | recomputed.keys())
            for difference in json_differences(
                stored.get(key), recomputed.get(key), f"{pointer}/{escape_pointer_token(key)}"
            )
        ]
    if isinstance(stored, list) and isinstance(recomputed, list) and stored and recomputed:
        return [
            difference
            for index in range(max(len(stored), len(recomputed)))
            for difference in json_differences(
                stored[index] if index < len(stored) else None,
                recomputed[index] if index < len(recomputed) else None,
                f"{pointer}/{index}",
            )
        ]
    if _same(stored, recomputed):
        return []
    return [Difference(pointer, stored, recomputed)]


def _same(a: JsonValue, b: JsonValue) -> bool:
    """Equal as JSON: same types all the way down (Python's ``True == 1`` is not)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def verify_summary(
    summary: Summary,
    assessment: Assessment,
    instrument: Instrument | CompiledInstrument | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> list[Difference]:
    """Re-score and list every difference from the stored summary; empty means verified.

    The engine version is left out of the comparison: a newer engine that computes the same
    summary verifies an older one.
    """
    fresh = score_assessment(assessment, instrument, registry=registry)
    differences = json_differences(dump_document(summary), dump_document(fresh))
    return [difference for difference in differences if difference.pointer != "/engine/version"]
