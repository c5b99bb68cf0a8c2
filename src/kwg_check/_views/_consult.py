"""Collegial consultation: where professionals who rated one case independently differ.

§ 8a Abs. 1 SGB VIII asks for the risk to be assessed by several professionals together.
They may rate first on their own — several assessments of one case, on one date, with one
instrument, each by other assessors — and then meet. This module prepares the meeting:

* **raters**: each assessment is one rater, named by its assessors' pseudonymous ids in
  the order listed, joined by ``+`` (``FK-05+FK-17``: two colleagues who rated together).
  ``+`` is not allowed in an id, so a rater's name is never ambiguous.
* **differing items**: the items whose answers differ (level, the set of levels of an "all
  that apply" item, or the level per caregiver; evidence and notes are not compared), with
  every rater's answer (``None``: not answered).
* **outcomes**: each rater's computed outcome (``None``: not assessable, or an instrument
  that leaves the outcome to the professionals).
* **outcome range**: the outcomes the consultation can reach: the engine's range of the
  computed outcome over the unknowns (``_engine/_range.py``), for the *open* assessment: the
  first rater's assessment with every differing item left open (unanswered). Every answer the
  differing items could take is tried, not only the raters' ones: the consensus may settle
  on a level nobody chose. Items that every rater left unknown stay open too.
* **discuss first**: the differences that alone move an outcome: an item is listed when
  giving one rater's assessment another rater's answer to it (all else as that rater rated)
  changes that rater's computed outcome. The largest move (in outcome ranks; to or from
  "not assessable" counts as the widest) first, then instrument order. Differences that move
  an outcome only together are not listed; the outcome range shows that they could.

The API checks the assessments (:func:`check_consultable`), scores them, the open
assessment (:func:`open_assessment`) and every swap (:func:`swaps`); :func:`consultation`
assembles the result from the scored data and :func:`render_consultation` writes it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence

import attrs

from .._documents import dump_document, parse_assessment
from .._errors import ComparisonError, Problem
from .._io import JsonValue
from .._model import Assessment, Instrument, Summary
from .._model.assessment import Answer
from .._types import (
    CONSULT_FORMATS,
    ConsultFormat,
    Lang,
    checked_format,
    language,
    text_language,
)
from .._vocabulary import localized, word

__all__ = [
    "Consultation",
    "DifferingItem",
    "Swap",
    "check_consultable",
    "consultation",
    "differing_items",
    "discuss_first",
    "open_assessment",
    "rater",
    "render_consultation",
    "swaps",
]

RATER_JOIN = "+"


def rater(assessment: Assessment) -> str:
    """The rater's name: the assessors' ids in the order listed, joined by ``+``."""
    return RATER_JOIN.join(assessor.id for assessor in assessment.assessors)


def check_consultable(assessments: Sequence[Assessment]) -> None:
    """Raise :class:`ComparisonError` unless the assessments are independent ratings of one
    case: at least two, one case (same subject), one date, one instrument (id and version),
    no assessor in two of them. Pointers point into the list (``/1/subject/case_id``)."""
    if len(assessments) < 2:
        raise ComparisonError.single("", "consult.too-few", "give at least two assessments")
    first = assessments[0]
    problems: list[Problem] = []
    seen: set[str] = {assessor.id for assessor in first.assessors}
    for index, other in enumerate(assessments[1:], start=1):
        problems += _mismatches(first, other, index)
        for position, assessor in enumerate(other.assessors):
            if assessor.id in seen:
                problems.append(
                    Problem(
                        f"/{index}/assessors/{position}/id",
                        "consult.shared-assessor",
                        "this assessor also rated in an earlier assessment; a consultation "
                        "compares independent ratings",
                    )
                )
            seen.add(assessor.id)
    if problems:
        raise ComparisonError(problems)


def _mismatches(first: Assessment, other: Assessment, index: int) -> list[Problem]:
    """How ``other`` (at ``index``) is not a rating of the first assessment's case."""
    problems = []
    if other.subject.case_id != first.subject.case_id:
        problems.append(
            Problem(
                f"/{index}/subject/case_id",
                "consult.case-mismatch",
                "the case id differs from the first assessment's",
            )
        )
    elif other.subject != first.subject:
        problems.append(
            Problem(
                f"/{index}/subject",
                "consult.subject-mismatch",
                "the birth date or age differs from the first assessment's",
            )
        )
    if other.assessment_date != first.assessment_date:
        problems.append(
            Problem(
                f"/{index}/assessment_date",
                "consult.date-mismatch",
                "the assessment date differs from the first assessment's",
            )
        )
    ref, first_ref = other.instrument, first.instrument
    if (ref.id, ref.version) != (first_ref.id, first_ref.version):
        problems.append(
            Problem(
                f"/{index}/instrument",
                "consult.instrument-mismatch",
                "the instrument (id or version) differs from the first assessment's",
            )
        )
    return problems


def _value(answer: Answer | None) -> JsonValue:
    """What an answer says, without evidence and notes: a level, the sorted levels, or the
    level per caregiver; ``None`` when the item is not answered."""
    if answer is None:
        return None
    if answer.level is not None:
        return answer.level
    if answer.levels is not None:
        return list[JsonValue](sorted(answer.levels))
    return dict[str, JsonValue](sorted((answer.caregivers or {}).items()))


@attrs.frozen
class DifferingItem:
    """An item the raters answered differently: rater → answer (``None``: not answered)."""

    item: str
    ratings: Mapping[str, JsonValue]


def differing_items(
    assessments: Sequence[Assessment], instrument: Instrument
) -> list[DifferingItem]:
    """The items whose answers differ between the raters, in instrument order."""
    found = []
    for item in instrument.items:
        ratings = {rater(a): _value(a.answers.get(item.id)) for a in assessments}
        values = list(ratings.values())
        if any(value != values[0] for value in values):
            found.append(DifferingItem(item.id, ratings))
    return found


def open_assessment(first: Assessment, differing: Sequence[DifferingItem]) -> Assessment:
    """The first assessment with every differing item unanswered and no judgement of its
    own: the assessment whose unknowns are the consultation's open questions."""
    data = dump_document(first)
    answers = data.get("answers")
    open_items = {entry.item for entry in differing}
    if isinstance(answers, dict):
        data["answers"] = {key: value for key, value in answers.items() if key not in open_items}
    data.pop("override", None)
    data.pop("final_rating", None)
    return parse_assessment(data)


@attrs.frozen
class Swap:
    """One rater's assessment with one differing item answered as another rater did."""

    item: str
    rater: int
    """Position of the rater whose assessment is changed."""
    assessment: Assessment


def swaps(assessments: Sequence[Assessment], differing: Sequence[DifferingItem]) -> list[Swap]:
    """For every differing item and rater, the rater's assessment with each other answer
    some other rater gave to the item (each distinct answer once)."""
    data = [_answers(assessment) for assessment in assessments]
    found = []
    for entry in differing:
        for index, own in enumerate(assessments):
            tried = [_value(own.answers.get(entry.item))]
            for other, answers in zip(assessments, data, strict=True):
                value = _value(other.answers.get(entry.item))
                if value in tried:
                    continue
                tried.append(value)
                changed = _answered(own, entry.item, answers.get(entry.item))
                found.append(Swap(entry.item, index, changed))
    return found


def _answers(assessment: Assessment) -> dict[str, JsonValue]:
    """The assessment's answers as JSON values, by item id."""
    data = dump_document(assessment)
    answers = data.get("answers")
    return dict(answers) if isinstance(answers, dict) else {}


def _answered(assessment: Assessment, item: str, answer: JsonValue) -> Assessment:
    """The assessment with ``item`` answered as ``answer`` (``None``: unanswered)."""
    data = dump_document(assessment)
    answers = _answers(assessment)
    answers.pop(item, None)
    if answer is not None:
        answers[item] = answer
    data["answers"] = answers
    return parse_assessment(data)


def discuss_first(
    summaries: Sequence[Summary],
    swapped: Sequence[tuple[Swap, Summary]],
    instrument: Instrument,
) -> tuple[str, ...]:
    """The differing items whose swap moves a rater's computed outcome, largest move first
    (see the module docstring); ``summaries`` are the raters' own, in order."""
    order = [outcome.id for outcome in instrument.outcomes]
    rank = {ident: position for position, ident in enumerate(order)}
    moves: dict[str, int] = {}
    for swap, summary in swapped:
        before = summaries[swap.rater].outcome.computed
        after = summary.outcome.computed
        if before == after:
            continue
        unknown = before is None or after is None
        move = len(order) if unknown else abs(rank[str(after)] - rank[str(before)])
        moves[swap.item] = max(move, moves.get(swap.item, 0))
    position = {item.id: index for index, item in enumerate(instrument.items)}
    return tuple(sorted(moves, key=lambda item: (-moves[item], position[item])))


@attrs.frozen
class Consultation:
    """What a collegial consultation starts from (see the module docstring)."""

    instrument: Instrument
    case_id: str
    raters: tuple[str, ...]
    differing: tuple[DifferingItem, ...]
    outcomes: Mapping[str, str | None]
    lowest: str | None
    highest: str | None
    discuss_first: tuple[str, ...]


def consultation(
    assessments: Sequence[Assessment],
    summaries: Sequence[Summary],
    differing: Sequence[DifferingItem],
    opened: Summary,
    swapped: Sequence[tuple[Swap, Summary]],
    instrument: Instrument,
) -> Consultation:
    """Assemble the consultation from the checked assessments, their summaries (same order),
    their :func:`differing_items`, the summary of the :func:`open_assessment` and the
    scored :func:`swaps`."""
    unknowns = opened.unknowns
    return Consultation(
        instrument=instrument,
        case_id=assessments[0].subject.case_id,
        raters=tuple(rater(a) for a in assessments),
        differing=tuple(differing),
        outcomes={
            rater(a): s.outcome.computed for a, s in zip(assessments, summaries, strict=True)
        },
        lowest=unknowns.range.lowest,
        highest=unknowns.range.highest,
        discuss_first=discuss_first(summaries, swapped, instrument),
    )


# --------------------------------------------------------------------------------------------
# Rendering: JSON (ids only), plain text, Markdown, HTML
# --------------------------------------------------------------------------------------------


def _json(result: Consultation) -> str:
    value = {
        "case_id": result.case_id,
        "instrument": {"id": result.instrument.id, "version": result.instrument.version},
        "raters": list(result.raters),
        "differing_items": [
            {"item": entry.item, "ratings": dict(entry.ratings)} for entry in result.differing
        ],
        "outcomes": dict(result.outcomes),
        "outcome_range": {"lowest": result.lowest, "highest": result.highest},
        "discuss_first": list(result.discuss_first),
    }
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@attrs.frozen
class _Labels:
    """The instrument's words for ids, in one language."""

    instrument: Instrument
    lang: Lang
    texts: str
    """The language of the instrument's texts (its own when the library falls back)."""

    def item(self, ident: str) -> str:
        found = next(item for item in self.instrument.items if item.id == ident)
        return localized(found.label, self.texts)

    def outcome(self, ident: str | None) -> str:
        if ident is None:
            return word("consult.no-outcome", self.lang)
        found = next(outcome for outcome in self.instrument.outcomes if outcome.id == ident)
        return localized(found.label, self.texts)

    def answer(self, ident: str, value: JsonValue) -> str:
        """An answer in words: level labels (per caregiver ``id: level``)."""
        if value is None:
            return word("consult.not-answered", self.lang)
        if isinstance(value, list):
            return ", ".join(self.answer(ident, level) for level in value)
        if isinstance(value, dict):
            return "; ".join(f"{key}: {self.answer(ident, level)}" for key, level in value.items())
        return self._level(ident, str(value))

    def _level(self, ident: str, level: str) -> str:
        item = next(item for item in self.instrument.items if item.id == ident)
        scale = next(scale for scale in self.instrument.scales if scale.id == item.scale)
        found = next((entry for entry in scale.levels if entry.id == level), None)
        if found is not None:
            return localized(found.label, self.texts)
        if scale.unknown is not None and scale.unknown.id == level:
            return localized(scale.unknown.label, self.texts)
        return level


def _sections(result: Consultation, labels: _Labels) -> list[tuple[str, list[list[str]]]]:
    """(heading, rows) in every human format's order: a table whose first row is the
    header, or a single cell, which is a paragraph."""
    lang = labels.lang
    outcome_rows = [[word("consult.rater", lang), word("consult.outcome", lang)]]
    outcome_rows += [[name, labels.outcome(outcome)] for name, outcome in result.outcomes.items()]
    reach = word(
        "consult.range-value",
        lang,
        lowest=labels.outcome(result.lowest),
        highest=labels.outcome(result.highest),
    )
    if result.lowest is None and result.highest is None:
        reach = word("consult.no-range", lang)
    differing_rows = [[word("consult.item", lang), *result.raters]]
    for entry in result.differing:
        answers = [labels.answer(entry.item, entry.ratings[name]) for name in result.raters]
        differing_rows.append([labels.item(entry.item), *answers])
    if not result.differing:
        differing_rows.append([word("consult.all-agree", lang), *("" for _ in result.raters)])
    first_rows = [[word("consult.item", lang)]]
    first_rows += [[labels.item(item)] for item in result.discuss_first]
    if not result.discuss_first:
        first_rows.append([word("consult.none-first", lang)])
    return [
        (word("consult.outcomes", lang), outcome_rows),
        (word("consult.range", lang), [[reach]]),
        (word("consult.differing", lang), differing_rows),
        (word("consult.discuss-first", lang), first_rows),
    ]


def _title(result: Consultation, lang: Lang) -> str:
    return word("consult.title", lang, case=result.case_id)


def _text(result: Consultation, labels: _Labels) -> str:
    lines = [_title(result, labels.lang)]
    for heading, rows in _sections(result, labels):
        lines += ["", heading + ":"]
        lines += ["  " + " | ".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(result: Consultation, labels: _Labels) -> str:
    lines = [f"# {_title(result, labels.lang)}"]
    for heading, rows in _sections(result, labels):
        lines += ["", f"## {heading}", ""]
        if len(rows[0]) == 1 and len(rows) == 1:
            lines.append(_cell(rows[0][0]))
            continue
        lines.append("| " + " | ".join(_cell(cell) for cell in rows[0]) + " |")
        lines.append("|" + "---|" * len(rows[0]))
        lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows[1:]]
    return "\n".join(lines) + "\n"


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3em .6em;"
    "text-align:left}"
)


def _html(result: Consultation, labels: _Labels) -> str:
    escape = html.escape
    title = escape(_title(result, labels.lang))
    parts = [
        f'<!DOCTYPE html>\n<html lang="{labels.lang}">\n<head>\n<meta charset="utf-8">',
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>",
    ]
    for heading, rows in _sections(result, labels):
        parts.append(f"<h2>{escape(heading)}</h2>")
        if len(rows[0]) == 1 and len(rows) == 1:
            parts.append(f"<p>{escape(rows[0][0])}</p>")
            continue
        head = "".join(f"<th>{escape(cell)}</th>" for cell in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
            for row in rows[1:]
        )
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def render_consultation(
    consultation: Consultation, *, lang: Lang | None = None, format: ConsultFormat = "text"
) -> str:
    """The consultation as plain text, JSON (stable ids only), Markdown or one HTML file;
    without ``lang`` in the instrument's language."""
    result = consultation
    texts = text_language(lang, result.instrument)
    labels = _Labels(result.instrument, language(lang, result.instrument), texts)
    match checked_format(format, CONSULT_FORMATS):
        case "json":
            return _json(result)
        case "text":
            return _text(result, labels)
        case "md":
            return _markdown(result, labels)
        case "html":
            return _html(result, labels)
