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
from ._engine import CompiledInstrument, assessment_problems, instrument_problems, score
from ._errors import KwgCheckError, NotFoundError, Problem, escape_pointer_token
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
    data: JsonValue, *, registry: InstrumentRegistry | None = None
) -> list[Problem]:
    """Every problem of a parsed document; an empty list means valid.

    Instruments get the semantic checks of the compile step. Assessments are also checked
    against their instrument when the registry (the bundled one by default) knows it.
    """
    try:
        document = parse_document(data)
        if isinstance(document, Instrument):
            return instrument_problems(document)
        if isinstance(document, Assessment):
            try:
                compiled = (registry or bundled_registry()).for_assessment(document)
            except NotFoundError:
                return []
            return assessment_problems(compiled, document)
    except KwgCheckError as error:
        return list(error.problems)
    return []


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
    """A place where a stored summary and a fresh re-scoring disagree."""

    pointer: str
    stored: JsonValue
    recomputed: JsonValue


_MISSING = "(absent)"


def _leaves(value: JsonValue, pointer: str, out: dict[str, JsonValue]) -> None:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            _leaves(child, f"{pointer}/{escape_pointer_token(key)}", out)
    elif isinstance(value, list) and value:
        for index, child in enumerate(value):
            _leaves(child, f"{pointer}/{index}", out)
    else:
        out[pointer] = value


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
    stored_leaves: dict[str, JsonValue] = {}
    fresh_leaves: dict[str, JsonValue] = {}
    _leaves(dump_document(summary), "", stored_leaves)
    _leaves(dump_document(fresh), "", fresh_leaves)
    differences = []
    for pointer in sorted(stored_leaves.keys() | fresh_leaves.keys()):
        if pointer == "/engine/version":
            continue
        stored = stored_leaves.get(pointer, _MISSING)
        recomputed = fresh_leaves.get(pointer, _MISSING)
        if type(stored) is not type(recomputed) or stored != recomputed:
            differences.append(Difference(pointer, stored, recomputed))
    return differences
