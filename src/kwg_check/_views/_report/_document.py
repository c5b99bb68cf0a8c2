"""The report as a neutral document: sections of plain-text blocks, with marked free text.

Builders (:mod:`._build`) make a :class:`_Document`; the writers (:mod:`._html`,
:mod:`._markdown`) print it. Text taken from the documents is marked with :func:`_free` and
identifiers with :func:`_ident` when built; each writer isolates or drops the marks in exactly
one place (:func:`_isolated_lines`, :func:`_plain`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal

import attrs

from ..._types import Lang
from ._network import NetworkMap

_SIDES = ("risk", "protective")
_CONTEXT = Context(prec=28)


# --- free text: marked when built, isolated when written ----------------------------------

_FREE_START, _FREE_END, _FREE_LITERAL = "\ufdd0", "\ufdd1", "\ufdd2"
"""Noncharacters that mark document text inside the report's strings (never printed)."""
_IDENT_START, _IDENT_END = "\ufdd3", "\ufdd4"
"""Noncharacters that mark an identifier or a date: printed whole, never broken or hyphenated."""
_FREE_MARK = re.compile("[\ufdd0-\ufdd4]")
_FREE_TOKEN = re.compile("(\ufdd2[\\s\\S]?|[\ufdd0\ufdd1\ufdd3\ufdd4])")


def _literal(text: str) -> str:
    """Mark characters already in the text stay literal (escaped), so any text survives."""
    return _FREE_MARK.sub(lambda m: _FREE_LITERAL + m.group(), text)


def _free(text: str) -> str:
    """Mark ``text`` as taken from a document or instrument, so the writers isolate it."""
    if not text:
        return text
    return _FREE_START + _literal(text) + _FREE_END


def _ident(text: str) -> str:
    """Mark an identifier, a version or a date, so that HTML never breaks it inside.

    Case ids such as ``K-2026-0134`` and dates contain hyphens, where a browser would break
    a line; a reader copying the id from the printed page must find it whole.
    """
    if not text:
        return text
    return _IDENT_START + _literal(text) + _IDENT_END


@attrs.frozen
class _Run:
    """A piece of a report string: document text (to isolate) and/or an identifier."""

    free: bool
    ident: bool
    text: str


def _runs(text: str) -> Iterator[_Run]:
    """The text between the marks; a truncated mark is harmless."""
    free = ident = 0
    for position, token in enumerate(_FREE_TOKEN.split(text)):
        if position % 2 == 0:
            if token:
                yield _Run(free > 0, ident > 0, token)
        elif token == _FREE_START:
            free += 1
        elif token == _FREE_END:
            free = max(free - 1, 0)
        elif token == _IDENT_START:
            ident += 1
        elif token == _IDENT_END:
            ident = max(ident - 1, 0)
        elif len(token) == 2:
            yield _Run(free > 0, ident > 0, token[1])


def _plain(text: str) -> str:
    """The text without marks: for Markdown and plain text, which have no isolation."""
    if _FREE_MARK.search(text) is None:
        return text
    return "".join(run.text for run in _runs(text))


_OPENS_EMBEDDING = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF
_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI
_PDF, _PDI, _FSI = "\u202c", "\u2069", "\u2068"
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PARAGRAPH_BREAK = re.compile("([\n\r\x1c-\x1e\x85\u2029])")
"""Characters of bidi class B: each ends a bidi paragraph, so each line is isolated alone."""


def _balanced(line: str) -> str:
    """A line of document text that cannot reorder anything outside itself.

    Every embedding, override and isolate the line opens is closed at its end, and a PDI that
    would close the isolate around it gets an FSI of its own in front (UAX #9, X6a–X7).
    """
    if _BIDI_CONTROL.search(line) is None:
        return line
    open_marks: list[str] = []  # the closer each open embedding or isolate needs
    stray = 0
    for char in line:
        if char in _OPENS_EMBEDDING:
            open_marks.append(_PDF)
        elif char in _OPENS_ISOLATE:
            open_marks.append(_PDI)
        elif char == _PDF and open_marks and open_marks[-1] == _PDF:
            open_marks.pop()
        elif char == _PDI:
            if _PDI not in open_marks:
                stray += 1
                continue
            while open_marks.pop() != _PDI:
                pass
    return _FSI * stray + line + "".join(reversed(open_marks))


def _isolated_lines(
    text: str,
    isolate: Callable[[str], str],
    line_break: str,
    escape: Callable[[str], str],
    keep_whole: Callable[[str], str] = str,
) -> str:
    """Write marked text: each line of document text isolated on its own, the rest escaped.

    Identifiers pass through ``keep_whole`` (in HTML a span that is never broken).
    """
    parts: list[str] = []
    for run in _runs(text):
        for position, piece in enumerate(_PARAGRAPH_BREAK.split(run.text)):
            if position % 2:
                parts.append(line_break if piece == "\n" else escape(piece))
            elif piece:
                written = escape(_balanced(piece)) if run.free else escape(piece)
                written = keep_whole(written) if run.ident else written
                parts.append(isolate(written) if run.free else written)
    return "".join(parts)


# --- the neutral document: sections of plain-text blocks ----------------------------------


@attrs.frozen
class _Para:
    text: str
    style: Literal["p", "note", "quote", "strong"] = "p"


@attrs.frozen
class _Facts:
    rows: tuple[tuple[str, str], ...]


@attrs.frozen
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    style: str = ""


@attrs.frozen
class _List:
    items: tuple[str, ...]
    ordered: bool = False
    style: str = ""


@attrs.frozen
class _Alert:
    title: str
    lines: tuple[str, ...]


@attrs.frozen
class _Heading:
    text: str


@attrs.frozen
class _Verdict:
    """The outcome as the reader must see it first: in its traffic-light colour, if any."""

    final: str
    light: Literal["green", "yellow", "red"] | None
    facts: tuple[tuple[str, str], ...]


@attrs.frozen
class _SideValue:
    known: Decimal
    unknown: Decimal
    total: int
    known_items: int


@attrs.frozen
class _ProfileRow:
    label: str
    risk: _SideValue | None
    protective: _SideValue | None


@attrs.frozen
class _Chart:
    title: str
    description: str
    rows: tuple[_ProfileRow, ...]
    words: tuple[str, str, str]
    table: _Table


_Block = _Para | _Facts | _Table | _List | _Alert | _Heading | _Chart | _Verdict | NetworkMap


@attrs.frozen
class _Section:
    id: str
    title: str
    blocks: tuple[_Block, ...]
    new_page: bool = False
    """Printed from the top of a new page (the details after the decision page, the trace)."""


@attrs.frozen
class _Document:
    lang: Lang
    title: str
    subtitle: str
    header: tuple[_Block, ...]
    sections: tuple[_Section, ...]
    footer: str
    running: str = ""
    """Plain text in the top margin of every printed page: case, assessment, date."""
    page_number: str = ""
    """The page number's words, with ``{page}`` and ``{pages}`` (empty: no page numbers)."""


def _percent(share: Decimal) -> str:
    return str(int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_CONTEXT)))


_JOINERS = "\u200c\u200d"


def _one_line(text: str) -> str:
    """Free text on one line, without control characters that could rewrite a terminal.

    Bidi controls become spaces too (Markdown and terminals cannot isolate them); ZERO WIDTH
    JOINER and NON-JOINER stay, as they are part of the text (emoji, Persian, Indic scripts).
    """
    cleaned = "".join(c if c.isprintable() or c in _JOINERS else " " for c in _plain(text))
    return " ".join(cleaned.split())
