"""The checks of ``kwg-check validate`` and ``lint``: every problem of a document, read
against its instrument, and the lint warnings of an instrument.

They need no view, so they live below the front door (:mod:`kwg_check._api` re-exports
them): checking a file imports the models, the engine and the registry, never the report,
FHIR or statistics modules, and a pre-commit hook over many files starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _engine
from ._documents import parse_document
from ._engine import CompiledInstrument, compile_instrument, instrument_problems
from ._errors import KwgCheckError, Problem
from ._io import JsonValue
from ._model import Assessment, Instrument, InstrumentVariant
from ._registry import InstrumentRegistry, bundled_registry
from ._types import InstrumentLike

if TYPE_CHECKING:
    from ._model import Summary

__all__ = ["compiled", "lint_instrument", "validate_document"]


def validate_document(
    data: JsonValue,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
    schema_only: bool = False,
) -> list[Problem]:
    """Every problem of a parsed document; an empty list means valid.

    Instruments get the semantic checks of the compile step; a local variant is resolved
    against its base in the registry first. Assessments and summaries are
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
        if isinstance(document, InstrumentVariant):
            return instrument_problems((registry or bundled_registry()).resolve(document))
        compiled = _instrument_of(document, instrument, registry)
        if isinstance(document, Assessment):
            return _engine.assessment_problems(compiled, document)
        return _engine.summary_problems(compiled, document)
    except KwgCheckError as error:
        return list(error.problems)


def lint_instrument(
    instrument: InstrumentLike | InstrumentVariant, *, registry: InstrumentRegistry | None = None
) -> list[Problem]:
    """The lint warnings of a valid instrument: likely authoring mistakes the schema cannot
    see (``lint.*`` codes, each with a pointer into the instrument), sorted by pointer.

    An empty list means nothing was found. An instrument document is compiled first, so an
    invalid one raises :class:`~kwg_check.DocumentError` with its problems. The checks are
    listed in ``docs/authoring.md``; ``lint.incomplete`` says a bounded check was skipped.
    A local variant is resolved against its base in ``registry`` (the bundled one by
    default) and linted as the complete instrument, after ``variant.base-mismatch`` when
    the base available is not the one the variant was written against.
    """
    if isinstance(instrument, InstrumentVariant):
        known = registry or bundled_registry()
        resolved = known.resolve(instrument)
        return known.variant_problems(instrument) + _engine.lint(compiled(resolved))
    return _engine.lint(compiled(instrument))


def _instrument_of(
    document: Assessment | Summary,
    instrument: InstrumentLike | None,
    registry: InstrumentRegistry | None,
) -> CompiledInstrument:
    """The instrument to check a document against: the given one (whose id and version the
    checks then compare with the document's), or the one the registry knows."""
    if instrument is not None:
        return compiled(instrument)
    ref = document.instrument
    return (registry or bundled_registry()).compiled(ref.id, ref.version)


def compiled(instrument: InstrumentLike) -> CompiledInstrument:
    """The compiled instrument; an instrument document is compiled here.

    Whether an assessment fits it is checked when scoring (``instrument.mismatch``), for a
    document and a compiled instrument alike.
    """
    if isinstance(instrument, CompiledInstrument):
        return instrument
    return compile_instrument(instrument)
