"""Documents layer: JSON value → validated model, model → minimal JSON value and fingerprint.

Parsing holds a value to the limits of a loaded file (depth, number range, Unicode, …: the
loader's codes and pointers), runs the strict pydantic models and turns *every* fault into a
:class:`Problem` (code ``schema.<kind>`` plus a JSON pointer), then adds the checks an
assessment can make on its own (``assessment.*``, ``answer.*``); see
:mod:`kwg_check._model._problems`, which direct construction of a model goes through too.
Checks against an instrument belong to the compile layer. Problems are sorted by pointer, so
the same document always yields the same error, and no error quotes the document.
"""

from __future__ import annotations

import contextlib
import functools
import typing
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import pydantic
from pydantic import BaseModel

from ._errors import DocumentError, Problem, WriteError
from ._io import DEFAULT_LIMITS, JsonValue, Limits, native_fingerprint, plain_fingerprint
from ._model import Assessment, Instrument, InstrumentVariant
from ._model._problems import check_limits, problems_from
from ._model._summary_v1 import from_v1, is_v1
from ._model._trusted import construct, dump
from ._model._types import models_reached

__all__ = [
    "Document",
    "DocumentType",
    "document_fingerprint",
    "document_type",
    "dump_document",
    "model_problems",
    "parse_assessment",
    "parse_document",
    "parse_instrument",
    "parse_instrument_variant",
    "parse_loaded",
    "parse_loaded_document",
    "parse_summary",
    "trusted_instrument",
]

DocumentType: TypeAlias = Literal["instrument", "assessment", "summary", "instrument_variant"]
"""The kinds of document, as their ``document_type`` field names them."""

if TYPE_CHECKING:
    from ._model import Summary

    Document: TypeAlias = Instrument | Assessment | Summary | InstrumentVariant
    """Any of the documents (a local variant of an instrument is one too)."""

    _M = typing.TypeVar("_M", Instrument, Assessment, Summary, InstrumentVariant)
else:
    _M = typing.TypeVar("_M")

    def __getattr__(name: str) -> object:
        """``Summary`` and ``Document`` (which names it) on first use (PEP 562): checking
        an assessment or an instrument never builds the summary model (issue 17)."""
        if name not in ("Document", "Summary"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from ._model import Summary

        globals()["Summary"] = Summary
        globals()["Document"] = Instrument | Assessment | Summary | InstrumentVariant
        return globals()[name]


_KINDS: tuple[str, ...] = typing.get_args(DocumentType)


_EAGER: dict[str, type[Instrument] | type[Assessment] | type[InstrumentVariant]] = {
    "instrument": Instrument,
    "assessment": Assessment,
    "instrument_variant": InstrumentVariant,
}
"""The models of every kind of document but the summary's, which is imported on first use
(it is the largest: checking an assessment or an instrument never builds it, issue 17)."""


def _model_of(kind: DocumentType) -> type[Document]:
    """The model of one kind of document, building no other."""
    if kind == "summary":
        from ._model import Summary

        return Summary
    return _EAGER[kind]


def _models() -> dict[str, type[Document]]:
    """The model of each kind of document."""
    return {**_EAGER, "summary": _model_of("summary")}


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def document_type(data: JsonValue) -> DocumentType:
    """Which document ``data`` claims to be, from its ``document_type`` member."""
    if not isinstance(data, dict):
        raise DocumentError(Problem("", "document.type", "a document must be a JSON object"))
    kind = data.get("document_type")
    if isinstance(kind, str) and kind in _KINDS:
        return typing.cast(DocumentType, kind)
    reason = (
        "document_type is missing"
        if "document_type" not in data
        else "document_type must be one of instrument, assessment, summary, instrument_variant"
    )
    raise DocumentError(Problem("/document_type", "document.type", reason))


def parse_instrument(data: JsonValue, *, limits: Limits = DEFAULT_LIMITS) -> Instrument:
    """Validate an instrument document; raise :class:`DocumentError` with every problem.

    A value built in memory is held to the ``limits`` of a loaded file first (depth, integer
    range, finite numbers, valid Unicode, string keys), with the loader's codes and pointers.
    """
    return Instrument._parse(data, limits)


def parse_assessment(data: JsonValue, *, limits: Limits = DEFAULT_LIMITS) -> Assessment:
    """Validate an assessment, including the checks it can make without its instrument.

    ``limits`` as for :func:`parse_instrument`.
    """
    return Assessment._parse(data, limits)


def parse_summary(data: JsonValue, *, limits: Limits = DEFAULT_LIMITS) -> Summary:
    """Validate a summary document; raise :class:`DocumentError` with every problem.

    ``limits`` as for :func:`parse_instrument`.
    """
    from ._model import Summary

    if limits is not None:
        check_limits(data, limits)
    return Summary._parse(_current(data), None)


def _current(data: JsonValue) -> JsonValue:
    """A summary of the first format read as the current one (see ``_model._summary_v1``)."""
    return from_v1(data) if isinstance(data, dict) and is_v1(data) else data


def parse_instrument_variant(
    data: JsonValue, *, limits: Limits = DEFAULT_LIMITS
) -> InstrumentVariant:
    """Validate a local variant of an instrument (not yet resolved against its base).

    ``limits`` as for :func:`parse_instrument`.
    """
    return InstrumentVariant._parse(data, limits)


def parse_document(data: JsonValue, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Validate a document of the kind its ``document_type`` names.

    ``limits`` as for :func:`parse_instrument`; they are checked before the type, as when
    loading a file.
    """
    check_limits(data, limits)
    return parse_loaded_document(data)


def parse_loaded(model: type[_M], data: JsonValue) -> _M:
    """Validate a value a loader (``load_bytes``, ``load_path``) returned: its limits are
    proven already, so the value is not walked a second time. Internal: for values from
    anywhere else use ``parse_*``."""
    summary = model.__name__ == "Summary" and model is _model_of("summary")
    return model._parse(_current(data) if summary else data, None)


def parse_loaded_document(data: JsonValue) -> Document:
    """:func:`parse_document` for a value a loader returned (see :func:`parse_loaded`)."""
    kind = document_type(data)
    return _model_of(kind)._parse(_current(data) if kind == "summary" else data, None)


def dump_document(doc: Document) -> dict[str, JsonValue]:
    """The document's minimal canonical JSON value: defaults left out, decimals as strings.

    Loading the result gives an equal model, and dumping that gives the same value again;
    ``extensions`` come back exactly as they went in. A model built without validation
    (``model_construct``, ``model_copy(update=…)``) that holds a value of the wrong type
    (a float NaN for a decimal, an object) raises :class:`WriteError` (``write.not-json``),
    one nested beyond what can be written ``write.too-deep``.
    """
    failure = ""
    try:
        return doc.model_dump(mode="json", by_alias=True, exclude_defaults=True, warnings="error")
    except ValueError as error:  # raised below: pydantic's message shows the value
        failure = str(error)
    if failure.startswith(_TOO_DEEP):
        # Only extensions can nest without bound (far beyond what the loader accepts).
        reason = "the document is nested too deeply to be written"
        raise WriteError(Problem("", "write.too-deep", reason))
    reason = (
        "the document holds a value that cannot be written as JSON: one of the wrong type "
        "for its field, or a cycle (was the model built without validation?)"
    )
    raise WriteError(Problem("", "write.not-json", reason))


_TOO_DEEP = "Maximum serialization depth"
"""How pydantic's serializer begins the error for a value nested beyond its limit; every
other serialization error is a value of the wrong type or a cycle."""


def document_fingerprint(doc: Document) -> str:
    """Content fingerprint, the same for JSON and YAML, ``2``/``"2"``/``2.0``, any key order
    and defaults spelt out or left out. ``$schema`` is an editor hint and is left out."""
    known = _FINGERPRINTS.get(id(doc))
    if known is not None and known[0]() is doc:
        return known[1]
    # An assessment (fingerprinted in every summary) through pydantic's Python mode, whose
    # dates orjson writes natively (the JSON mode calls a serializer per date); anything
    # orjson would write differently goes the JSON way. The other documents hold exact
    # decimals, which orjson cannot write: they take the JSON way at once.
    if isinstance(doc, Assessment):
        with contextlib.suppress(ValueError):  # built without validation: dumped below
            native = doc.model_dump(by_alias=True, exclude_defaults=True, warnings=False)
            native.pop("$schema", None)
            fast = native_fingerprint(native)
            if fast is not None:
                return fast
    data = dump_document(doc)
    data.pop("$schema", None)
    return plain_fingerprint(data)


def trusted_instrument(data: Mapping[str, Any]) -> Instrument:
    """The instrument a value known to be valid describes, built without validation.

    For the bundled instruments' JSON twins only, which ``tools/bundle_instruments.py``
    writes after the validating parse and the compile step accepted them (tests prove the
    result equal to :func:`parse_instrument`'s). Validating them built the Instrument's
    validator and serializer, about a tenth of a ``kwg-check validate`` that reads one
    (issue 17); the fingerprint is computed from the value, so compiling needs neither.
    """
    instrument = construct(Instrument, data)
    plain = dump(Instrument, data)
    plain.pop("$schema", None)
    key = id(instrument)
    forget = functools.partial(_forget, key)
    _FINGERPRINTS[key] = (weakref.ref(instrument, forget), plain_fingerprint(plain))
    return instrument


_FINGERPRINTS: dict[int, tuple[weakref.ref[Any], str]] = {}
"""The fingerprints of the trusted instruments alive, by ``id``: a document is immutable, so
its fingerprint is computed once, from the value it was built from (the weak reference tells
an instrument from a later object at the same address, and removes the entry with it)."""


def _forget(key: int, _gone: weakref.ref[Any]) -> None:
    _FINGERPRINTS.pop(key, None)


def model_problems(exc: pydantic.ValidationError, data: JsonValue) -> list[Problem]:
    """Turn a pydantic error into problems with library codes, pointers and reasons.

    ``data`` is the validated input; the model is recognised by the error's title when it is
    one of the documents' models (else pointers are built from the data alone).
    """
    return problems_from(exc, data, _model_by_title(exc.title))


# --------------------------------------------------------------------------------------------
# Models by name, for model_problems
# --------------------------------------------------------------------------------------------


def _model_by_title(title: str) -> type[BaseModel] | None:
    """The model an error was raised for, if it is one of ours (else pointers use data only)."""
    return _index_models().get(title)


@functools.cache
def _index_models() -> dict[str, type[BaseModel]]:
    """Every model reachable from the documents, by class name (unique names only: an
    ambiguous title falls back to pointers from the data alone)."""
    by_name: dict[str, list[type[BaseModel]]] = {}
    for model in set().union(*map(models_reached, _models().values())):
        by_name.setdefault(model.__name__, []).append(model)
    return {name: models[0] for name, models in by_name.items() if len(models) == 1}
