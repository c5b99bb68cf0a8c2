"""The types shared by the public functions, declared once, and the rules that go with them.

Every public function spells its parameters the same way: the document first, then
``instrument: InstrumentLike | None = None``, then the keyword-only ``registry=``, ``lang=``
and ``format=``. The types of those parameters live here, so that ``Lang`` means the same
in every view, and so does the rule for a language that is not given: the instrument's own
default language (:func:`default_language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias, TypeVar, get_args

from ._engine import CompiledInstrument
from ._errors import ArgumentError, Problem
from ._model import Instrument

__all__ = [
    "COMPARISON_FORMATS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "REPORT_FORMATS",
    "STATISTIC_FORMATS",
    "ComparisonFormat",
    "InstrumentLike",
    "Lang",
    "ReportFormat",
    "StatisticFormat",
    "checked_format",
    "default_language",
    "language",
]

Lang: TypeAlias = Literal["de", "en"]
"""A language the library writes in: German (``de``) or English (``en``)."""

LANGUAGES: tuple[Lang, ...] = get_args(Lang)

DEFAULT_LANGUAGE: Lang = "de"
"""The language of an instrument that names none (today: every instrument) and of the
German § 99 SGB VIII statistic."""

InstrumentLike: TypeAlias = Instrument | CompiledInstrument
"""An instrument document, or one compiled already (pass the compiled one to score many
assessments without compiling again)."""

ReportFormat: TypeAlias = Literal["html", "md"]
"""A report for people: one self-contained HTML file, or Markdown."""

ComparisonFormat: TypeAlias = Literal["text", "md", "html"]
"""A reassessment comparison: plain text, Markdown or one HTML file."""

StatisticFormat: TypeAlias = Literal["md", "csv", "json"]
"""The § 99 statistic: Markdown tables, CSV or JSON."""

REPORT_FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
COMPARISON_FORMATS: tuple[ComparisonFormat, ...] = get_args(ComparisonFormat)
STATISTIC_FORMATS: tuple[StatisticFormat, ...] = get_args(StatisticFormat)

_F = TypeVar("_F", bound=str)


def default_language(instrument: InstrumentLike | None) -> Lang:
    """The language used when none is given: the instrument's own default language.

    Instruments do not name their languages yet; until they do, every instrument (and a
    view without one) is German, the language of the bundled § 8a instrument.
    """
    return DEFAULT_LANGUAGE


def language(lang: str | None, instrument: InstrumentLike | None) -> Lang:
    """The language to write in: ``lang`` when given, else the instrument's default.

    Raises :class:`ArgumentError` (``argument.language``) for a language the library does
    not write.
    """
    if lang is None:
        return default_language(instrument)
    for known in LANGUAGES:
        if lang == known:
            return known
    reason = f"the language must be one of {', '.join(LANGUAGES)}"
    raise ArgumentError(Problem("", "argument.language", reason))


def checked_format(format: str, allowed: Sequence[_F]) -> _F:
    """``format`` when it is one of ``allowed``; else :class:`ArgumentError`
    (``argument.format``)."""
    for known in allowed:
        if format == known:
            return known
    reason = f"the format must be one of {', '.join(allowed)}"
    raise ArgumentError(Problem("", "argument.format", reason))
