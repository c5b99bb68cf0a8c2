"""The types shared by the public functions, declared once, and the rules that go with them.

Every public function spells its parameters the same way: the document first, then
``instrument: InstrumentLike | None = None``, then the keyword-only ``registry=``, ``lang=``
and ``format=``. The types of those parameters live here, so that ``Lang`` means the same
in every view, and so does the rule for a language that is not given: the instrument's own
default language (:func:`default_language`).
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
import io
import os
import re
import sys
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, get_args

import attrs

from ._errors import ArgumentError, LanguageFallbackWarning, Problem
from ._io import JsonValue

if TYPE_CHECKING:  # at run time imported on first use: ``--help`` builds no model (issue 17)
    from ._engine import CompiledInstrument
    from ._model import Instrument

__all__ = [
    "AGREEMENT_FORMATS",
    "COMPARISON_FORMATS",
    "CONSULT_FORMATS",
    "DEFAULT_LANGUAGE",
    "INSTRUMENT_DIFF_FORMATS",
    "LANGUAGES",
    "REPORT_FORMATS",
    "STATISTIC_FORMATS",
    "AgreementFormat",
    "ComparisonFormat",
    "ConsultFormat",
    "InstrumentDiffFormat",
    "InstrumentLike",
    "Lang",
    "ReportFormat",
    "StatisticFormat",
    "checked_arguments",
    "checked_format",
    "default_language",
    "language",
    "library_fallback",
    "library_language",
    "text_language",
]

Lang: TypeAlias = Literal["de", "en"]
"""A language the library writes in: German (``de``) or English (``en``)."""

LANGUAGES: tuple[Lang, ...] = get_args(Lang)

DEFAULT_LANGUAGE: Lang = "de"
"""The language of an instrument that names none (today: every instrument) and of the
German § 99 SGB VIII statistic."""

if TYPE_CHECKING:
    InstrumentLike: TypeAlias = Instrument | CompiledInstrument
    """An instrument document, or one compiled already (pass the compiled one to score many
    assessments without compiling again)."""
else:  # PEP 562: ``from ._types import InstrumentLike`` comes here

    def __getattr__(name: str) -> object:
        """``InstrumentLike`` is made on first use: it names the instrument model and the
        compiled instrument, which the language and format rules here do not need."""
        if name != "InstrumentLike":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from ._engine import CompiledInstrument
        from ._model import Instrument

        value = globals()[name] = Instrument | CompiledInstrument
        return value


ReportFormat: TypeAlias = Literal["html", "md"]
"""A report for people: one self-contained HTML file, or Markdown."""

ComparisonFormat: TypeAlias = Literal["text", "md", "html"]
"""A reassessment comparison: plain text, Markdown or one HTML file."""

StatisticFormat: TypeAlias = Literal["md", "csv", "json"]
"""The § 99 statistic: Markdown tables, CSV or JSON."""

InstrumentDiffFormat: TypeAlias = Literal["text", "md", "json"]
"""Instrument differences and their impact: plain text, Markdown or JSON."""
ConsultFormat: TypeAlias = Literal["text", "json", "md", "html"]
"""A collegial consultation: plain text, JSON (stable ids), Markdown or one HTML file."""

AgreementFormat: TypeAlias = Literal["md", "csv", "json"]
"""The agreement of two raters: a Markdown table, CSV or JSON."""

REPORT_FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
COMPARISON_FORMATS: tuple[ComparisonFormat, ...] = get_args(ComparisonFormat)
STATISTIC_FORMATS: tuple[StatisticFormat, ...] = get_args(StatisticFormat)
INSTRUMENT_DIFF_FORMATS: tuple[InstrumentDiffFormat, ...] = get_args(InstrumentDiffFormat)
CONSULT_FORMATS: tuple[ConsultFormat, ...] = get_args(ConsultFormat)
AGREEMENT_FORMATS: tuple[AgreementFormat, ...] = get_args(AgreementFormat)

_F = TypeVar("_F", bound=str)


def default_language(instrument: InstrumentLike | None) -> Lang:
    """The language used when none is given: the instrument's default language (the first
    of its ``languages``; German for an instrument that names none, and for a view without
    one). An instrument in a language the library does not write gets English for the
    library's own words (:func:`library_fallback` says when), its texts in its own language.
    """
    if instrument is None:
        return DEFAULT_LANGUAGE
    return library_language(_document(instrument).languages[0])


def library_fallback(instrument: InstrumentLike | None) -> str | None:
    """The instrument's default language when the library does not write it (its own words
    are then English), else ``None``."""
    if instrument is None:
        return None
    default = _document(instrument).languages[0]
    return None if default in LANGUAGES else default


def _document(instrument: InstrumentLike) -> Instrument:
    from ._engine import CompiledInstrument

    return instrument.instrument if isinstance(instrument, CompiledInstrument) else instrument


def library_language(tag: str) -> Lang:
    """``tag`` when the library writes it, else English (the fallback for the library's
    words)."""
    for known in LANGUAGES:
        if tag == known:
            return known
    return "en"


def language(lang: str | None, instrument: InstrumentLike | None) -> Lang:
    """The language to write in: ``lang`` when given, else the instrument's default.

    Raises :class:`ArgumentError` (``argument.language``) for a language the library does
    not write, or one the instrument is not written in. Without ``lang``, an instrument in
    a language the library does not write gets English and a
    :class:`~kwg_check.LanguageFallbackWarning` (its texts: :func:`text_language`).
    """
    if lang is None:
        fallback = library_fallback(instrument)
        if fallback is not None:
            warnings.warn(LanguageFallbackWarning(fallback), stacklevel=1)
        return default_language(instrument)
    if instrument is not None and lang not in _document(instrument).languages:
        written = ", ".join(_document(instrument).languages)
        reason = f"the instrument is written in {written} only"
        raise ArgumentError(Problem("", "argument.language", reason))
    for known in LANGUAGES:
        if lang == known:
            return known
    reason = f"the language must be one of {', '.join(LANGUAGES)}"
    raise ArgumentError(Problem("", "argument.language", reason))


def text_language(lang: str | None, instrument: InstrumentLike | None) -> str:
    """The language of the instrument's own texts: ``lang`` when given, else the
    instrument's default language, also one the library does not write (a French
    instrument's labels stay French while the library's words fall back to English)."""
    if lang is not None or instrument is None:
        return lang or DEFAULT_LANGUAGE
    return _document(instrument).languages[0]


def checked_format(format: str, allowed: Sequence[_F]) -> _F:
    """``format`` when it is one of ``allowed``; else :class:`ArgumentError`
    (``argument.format``)."""
    for known in allowed:
        if format == known:
            return known
    reason = f"the format must be one of {', '.join(allowed)}"
    raise ArgumentError(Problem("", "argument.format", reason))


# --------------------------------------------------------------------------------------------
# Argument types, checked at the door
# --------------------------------------------------------------------------------------------

_Function = TypeVar("_Function", bound=Callable[..., Any])


@functools.cache
def _documents() -> dict[type, str]:
    """Documents and the name in the functions that make them from data (``parse_*``) or a
    file (``load_*``): the hint for the commonest mistake, data passed where a model belongs.
    """
    from ._model import Assessment, Instrument, Summary

    return {Instrument: "instrument", Assessment: "assessment", Summary: "summary"}


_NAMES: dict[object, str] = {type(None): "None", bytes: "bytes", os.PathLike: "a path"}

_ARTICLE = re.compile(r"\ban? ")

_BINARY_FILES = (io.BufferedIOBase, io.RawIOBase)
"""What ``typing.BinaryIO`` is at run time: a file opened for bytes (a text file is not)."""


@attrs.frozen
class _Expected:
    """What one parameter accepts: instances of ``kinds``, or else any iterable (a text or
    bytes aside) whose items are ``items``, each checked as the function reads it."""

    kinds: tuple[type, ...]
    items: _Expected | None
    description: str


def _name(kind: object) -> str:
    """A type as a reason names it: ``an Assessment``, ``a str``, ``None``."""
    if kind in _NAMES:
        return _NAMES[kind]
    name = getattr(kind, "__name__", str(kind))
    return f"{'an' if name[:1] in 'AEIOUaeiou' else 'a'} {name}"


def _expected(annotation: object) -> _Expected | None:
    """The check of an annotation, or ``None`` where the function checks the value itself:
    JSON data (its faults have ``load.*``, ``schema.*`` or ``write.*`` codes and pointers)
    and literals (``argument.language``, ``argument.format``)."""
    if annotation is JsonValue or annotation is inspect.Parameter.empty:
        return None
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    kinds: list[type] = []
    items: _Expected | None = None
    names: list[str] = []
    for member in get_args(annotation) if union else (annotation,):
        origin = typing.get_origin(member) or member
        if origin is collections.abc.Iterable:
            items = _expected(get_args(member)[0])
            if items is None:
                return None
            names.append("an iterable of " + _ARTICLE.sub("", items.description))
        elif member is typing.BinaryIO:
            kinds += _BINARY_FILES
            names.append("a binary file")
        elif isinstance(origin, type):
            kinds.append(origin)
            names.append(_name(origin))
        else:  # Literal, Any, a type variable: the function's own check
            return None
    described = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return _Expected(tuple(kinds), items, described)


def _got(value: object) -> str:
    """The type of a wrong value, never the value itself (it may be case data)."""
    return "None" if value is None else type(value).__name__


def _hint(value: object, expected: _Expected) -> str:
    """How to make the document the parameter wants from what was passed, if it is data or
    a file name."""
    known = _documents()
    documents = [known[kind] for kind in expected.kinds if kind in known]
    documents = ["document"] if len(documents) == len(known) else documents
    if not documents or not isinstance(value, dict | list | str | bytes | os.PathLike):
        return ""
    verb, what = ("parse", "data") if isinstance(value, dict | list) else ("load", "a file")
    functions = " or ".join(f"kwg_check.{verb}_{document}" for document in documents)
    return f" (use {functions} for {what})"


def _checked(name: str, value: object, expected: _Expected) -> object:
    """``value`` when it is of the expected type (an iterable comes back wrapped, so that
    its items are checked as they are read); else :class:`ArgumentError`."""
    if isinstance(value, expected.kinds):
        return value
    items = expected.items
    if items is not None and isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return _each(name, value, items)
    reason = f"{name} must be {expected.description}{_hint(value, expected)}, got {_got(value)}"
    raise ArgumentError(Problem("", "argument.type", reason))


def _each(name: str, values: Iterable[object], expected: _Expected) -> Iterator[object]:
    for index, value in enumerate(values):
        yield _checked(f"{name}[{index}]", value, expected)


_Expectations: TypeAlias = tuple[list[tuple[str, _Expected | None]], dict[str, _Expected | None]]
"""A function's checks: its positional parameters in order, and every parameter by name."""


class _LazyNames(dict[str, object]):
    """A module's names for evaluating annotations, those it makes on first use (PEP 562:
    ``InstrumentLike`` here, ``Document`` in ``_documents``) included."""

    def __init__(self, module: types.ModuleType) -> None:
        super().__init__()
        self.module = module

    def __missing__(self, name: str) -> object:
        try:
            return getattr(self.module, name)
        except AttributeError:
            raise KeyError(name) from None  # a builtin, or a name nobody defines


def _expectations(function: Callable[..., Any]) -> _Expectations:
    """Each parameter's check: in order for positional arguments, by name for the rest."""
    lazy = _LazyNames(sys.modules[function.__module__])
    parameters = inspect.signature(function, eval_str=True, locals=lazy).parameters.values()
    named = {parameter.name: _expected(parameter.annotation) for parameter in parameters}
    positional = [
        (parameter.name, named[parameter.name])
        for parameter in parameters
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    ]
    return positional, named


def checked_arguments(function: _Function) -> _Function:
    """``function``, refusing arguments of the wrong type with :class:`ArgumentError`
    (``argument.type``) instead of failing somewhere inside with ``AttributeError`` or
    ``TypeError``.

    The types are the function's own annotations, read on its first call; the reason names
    the parameter, the expected type and the type that was given, never the value. Applied
    once, at the door: to every function ``kwg_check`` exports and to the registry's methods.
    """
    expectations: _Expectations | None = None

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal expectations
        if expectations is None:
            expectations = _expectations(function)
        positional, named = expectations
        args = (
            tuple(
                value if expected is None else _checked(name, value, expected)
                for (name, expected), value in zip(positional, args, strict=False)
            )
            + args[len(positional) :]
        )
        for name, value in kwargs.items():
            expected = named.get(name)
            if expected is not None:
                kwargs[name] = _checked(name, value, expected)
        return function(*args, **kwargs)

    return typing.cast(_Function, call)
