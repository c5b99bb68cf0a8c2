"""Agreement between two raters: exact agreement and Cohen's kappa, per item and outcome.

Line *n* of the first rater's assessments and line *n* of the second rater's are the same
case, rated independently (§ 79a SGB VIII quality development, instrument reliability). The
API scores both sides; this module only counts what the summaries say.

Per item and for the computed outcome:

* ``n``: the pairs in which both raters gave a level (the item's counting level, as the
  summary records it). ``unknown``: the pairs in which the item applied to at least one side
  but at least one rater gave no level (the scale's unknown marker, no answer, or the item did
  not apply to the other side; for the outcome: not assessable). Unknown pairs are counted
  apart, never as agreement and never in ``n``. Pairs in which the item applied to neither
  side are not counted at all.
* ``agreement``: the share of the ``n`` pairs with the same level.
* ``kappa``: Cohen's (unweighted) kappa, ``(p_o − p_e) / (1 − p_e)``, always.
* ``kappa_linear`` and ``kappa_quadratic``: weighted kappa, ``1 − Σ w·o / Σ w·e`` with the
  weights ``|i − j|`` and ``(i − j)²`` over the positions of the levels on their scale (all
  the scale's levels, observed or not; the unknown marker is no position). Only for ordinal
  ratings: risk, protective and safety items (their scale's levels are ordered from least to
  most pronounced) and the outcome (ordered by severity). Context items are nominal: their
  levels name circumstances, not an order of concern (the engine treats them alike: they
  are never assumed monotone), so their weighted kappas are ``None``.

Kappa is ``None`` when it is undefined: no pairs, or chance agreement is certain (``p_e = 1``,
both raters used one and the same level throughout; weighted: ``Σ w·e = 0``). Every number is
an exact :class:`~fractions.Fraction`; the JSON output rounds half-even to six decimal places
only when writing, and the Markdown and CSV outputs round the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Literal

import attrs

from .._model import Instrument, Summary
from .._types import (
    AGREEMENT_FORMATS,
    AgreementFormat,
    Lang,
    checked_format,
    language,
    text_language,
)
from .._vocabulary import format_number, localized, word

__all__ = [
    "Agreement",
    "Rating",
    "cohen_kappa",
    "render_agreement",
    "tabulate_agreement",
]

Weights = Literal["none", "linear", "quadratic"]
PLACES = Decimal("0.000001")
"""Written numbers are rounded half-even to six decimal places (computed exactly)."""


def cohen_kappa(
    first: Sequence[int], second: Sequence[int], categories: int, weights: Weights = "none"
) -> Fraction | None:
    """Cohen's kappa of two raters' categories (positions ``0 … categories − 1``), exactly.

    ``None`` when undefined: no pairs, or an expected disagreement of zero (``p_e = 1``).

    >>> cohen_kappa([0, 0, 1, 1], [0, 1, 1, 1], 2)
    Fraction(1, 2)
    """
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = Counter(zip(first, second, strict=True))
    rows, columns = Counter(first), Counter(second)
    cells = [(i, j) for i in range(categories) for j in range(categories)]
    disagreement = sum((_weight(i, j, weights) * observed[i, j] for i, j in cells), Fraction(0))
    expected = sum(
        (_weight(i, j, weights) * Fraction(rows[i] * columns[j], n) for i, j in cells),
        Fraction(0),
    )
    if expected == 0:
        return None
    return 1 - disagreement / expected


def _weight(i: int, j: int, weights: Weights) -> int:
    """The disagreement weight of a pair of positions (0 on the diagonal)."""
    match weights:
        case "none":
            return int(i != j)
        case "linear":
            return abs(i - j)
        case "quadratic":
            return (i - j) ** 2


@attrs.frozen
class Rating:
    """The agreement of two raters on one item or on the outcome (see the module docstring)."""

    n: int
    unknown: int
    agreement: Fraction | None
    kappa: Fraction | None
    kappa_linear: Fraction | None
    kappa_quadratic: Fraction | None


@attrs.frozen
class Agreement:
    """Agreement of two raters over ``pairs`` cases: per item (instrument order) and outcome."""

    instrument: Instrument
    pairs: int
    items: Mapping[str, Rating]
    outcome: Rating


_Side = tuple[bool, int | None]
"""(applies, position of the level or ``None`` for no level) of one rating."""


def _rating(sides: Iterable[tuple[_Side, _Side]], categories: int, ordinal: bool) -> Rating:
    """Count the pairs and compute the agreement of one item or of the outcome."""
    first: list[int] = []
    second: list[int] = []
    unknown = 0
    for (applies_a, a), (applies_b, b) in sides:
        if a is not None and b is not None:
            first.append(a)
            second.append(b)
        elif applies_a or applies_b:
            unknown += 1
    n = len(first)
    same = sum(a == b for a, b in zip(first, second, strict=True))

    def kappa(weights: Weights) -> Fraction | None:
        return cohen_kappa(first, second, categories, weights)

    return Rating(
        n=n,
        unknown=unknown,
        agreement=Fraction(same, n) if n else None,
        kappa=kappa("none"),
        kappa_linear=kappa("linear") if ordinal else None,
        kappa_quadratic=kappa("quadratic") if ordinal else None,
    )


def tabulate_agreement(
    pairs: Sequence[tuple[Summary, Summary]], instrument: Instrument
) -> Agreement:
    """The agreement of two raters whose summaries of the same cases are paired."""
    items: dict[str, Rating] = {}
    scales = {scale.id: scale for scale in instrument.scales}
    for item in instrument.items:
        levels = [level.id for level in scales[item.scale].levels]
        sides = [(_item_side(a, item.id, levels), _item_side(b, item.id, levels)) for a, b in pairs]
        items[item.id] = _rating(sides, len(levels), ordinal=item.kind != "context")
    outcomes = [outcome.id for outcome in instrument.outcomes]
    outcome_sides = [(_outcome_side(a, outcomes), _outcome_side(b, outcomes)) for a, b in pairs]
    return Agreement(
        instrument, len(pairs), items, _rating(outcome_sides, len(outcomes), ordinal=True)
    )


def _item_side(summary: Summary, item: str, levels: Sequence[str]) -> _Side:
    result = next((found for found in summary.items if found.id == item), None)
    if result is None or result.status == "not_applicable":
        return False, None
    if result.status != "answered" or result.level not in levels:
        return True, None
    return True, levels.index(result.level)


def _outcome_side(summary: Summary, outcomes: Sequence[str]) -> _Side:
    computed = summary.outcome.computed
    return True, None if computed is None else outcomes.index(computed)


# --------------------------------------------------------------------------------------------
# Rendering: Markdown, CSV, JSON
# --------------------------------------------------------------------------------------------

_COLUMNS = ("n", "unknown", "agreement", "kappa", "kappa_linear", "kappa_quadratic")


def _rounded(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PLACES, rounding=ROUND_HALF_EVEN
    )


def _number(value: int | Fraction | None) -> int | float | None:
    """A JSON number: the six-place decimal, written as the shortest float that reads back
    as it (``0.5``, ``0.333333``)."""
    if isinstance(value, int) or value is None:
        return value
    rounded = _rounded(value)
    return None if rounded is None else float(rounded)


def _rows(result: Agreement) -> list[tuple[str, str, Rating]]:
    """(kind, id, rating): the items in instrument order, then the outcome (id empty)."""
    rows = [("item", item, rating) for item, rating in result.items.items()]
    return [*rows, ("outcome", "", result.outcome)]


def _json(result: Agreement) -> str:
    def values(rating: Rating) -> dict[str, int | float | None]:
        return {column: _number(getattr(rating, column)) for column in _COLUMNS}

    value = {
        "instrument": {"id": result.instrument.id, "version": result.instrument.version},
        "pairs": result.pairs,
        "items": {item: values(rating) for item, rating in result.items.items()},
        "outcome": values(result.outcome),
    }
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _label(result: Agreement, row: str, lang: Lang, texts: str) -> str:
    """An item's label (in ``texts``, the language of the instrument's texts), or the
    outcome's row name (``row`` empty)."""
    item = next((item for item in result.instrument.items if item.id == row), None)
    return word("agreement.outcome", lang) if item is None else localized(item.label, texts)


def _cell(value: int | Fraction | None, lang: Lang) -> str:
    if isinstance(value, int):
        return str(value)
    rounded = _rounded(value)
    return "–" if rounded is None else format_number(rounded.normalize(), lang)


def _markdown(result: Agreement, lang: Lang, texts: str) -> str:
    title = localized(result.instrument.title, texts)
    heads = [word(f"agreement.column.{column}", lang) for column in _COLUMNS]
    lines = [
        f"# {word('agreement.title', lang)}: {title} {result.instrument.version}",
        "",
        word("agreement.pairs", lang, n=result.pairs),
        "",
        f"| {word('agreement.column.item', lang)} | {' | '.join(heads)} |",
        "|---|" + "---:|" * len(heads),
    ]
    for _, row, rating in _rows(result):
        cells = " | ".join(_cell(getattr(rating, column), lang) for column in _COLUMNS)
        lines.append(f"| {_label(result, row, lang, texts)} | {cells} |")
    lines += ["", word("agreement.note", lang)]
    return "\n".join(lines) + "\n"


def _csv(result: Agreement, lang: Lang, texts: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("kind", "item", "label", *_COLUMNS))
    for kind, row, rating in _rows(result):
        numbers = (_number(getattr(rating, column)) for column in _COLUMNS)
        cells = ("" if number is None else str(number) for number in numbers)
        writer.writerow((kind, row, _label(result, row, lang, texts), *cells))
    return out.getvalue()


def render_agreement(
    agreement: Agreement, *, lang: Lang | None = None, format: AgreementFormat = "md"
) -> str:
    """The agreement as a Markdown table, CSV (``kind,item,label,n,…``; the outcome's row
    has kind ``outcome``) or JSON.

    JSON and CSV hold the stable ids and numbers (CSV also a label in ``lang``); ``None``
    (undefined) is JSON ``null`` and an empty CSV cell. Without ``lang`` the labels are in
    the instrument's language.
    """
    result = agreement
    chosen = language(lang, result.instrument)
    texts = text_language(lang, result.instrument)
    match checked_format(format, AGREEMENT_FORMATS):
        case "json":
            return _json(result)
        case "csv":
            return _csv(result, chosen, texts)
        case "md":
            return _markdown(result, chosen, texts)
