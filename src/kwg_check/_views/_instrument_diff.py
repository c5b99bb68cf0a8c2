"""Instrument differences and their impact, rendered as text, Markdown or JSON.

Both are computed before they reach this module (:mod:`kwg_check._instrument_diff`): the
views only word them. Pointers and field names are data (they name places in the instrument
document) and are printed as they are; outcome ids are shown by the instruments' labels.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from .._instrument_diff import Impact, InstrumentChange, InstrumentDiff
from .._io import JsonValue
from .._types import INSTRUMENT_DIFF_FORMATS, InstrumentDiffFormat, Lang, checked_format
from .._vocabulary import localized, plural, word

__all__ = ["diff_json", "impact_json", "render_impact", "render_instrument_diff"]


def _entry(change: InstrumentChange) -> dict[str, JsonValue]:
    entry: dict[str, JsonValue] = {
        "pointer": change.pointer,
        "change": change.change,
        "field": change.field,
    }
    if change.old is not None:
        entry["old"] = change.old
    if change.new is not None:
        entry["new"] = change.new
    return entry


def diff_json(diff: InstrumentDiff) -> dict[str, JsonValue]:
    """The differences as a JSON value: ``score_affecting`` and ``cosmetic`` lists of
    ``{"pointer", "change", "field", "old"?, "new"?}``, and both instruments' ids and
    versions."""
    return {
        "old": {"id": diff.old_id, "version": diff.old_version},
        "new": {"id": diff.new_id, "version": diff.new_version},
        "version_bumped": diff.version_bumped,
        "score_affecting": [_entry(change) for change in diff.score_affecting],
        "cosmetic": [_entry(change) for change in diff.cosmetic],
    }


def _shown(value: JsonValue) -> str:
    """A short value (a number, an id, a flag) as printed beside its pointer; longer values
    (texts, conditions, whole members) are left to ``--format json``."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) <= 40):
        return json.dumps(value, ensure_ascii=False)
    return "…"


def _line(change: InstrumentChange, lang: Lang) -> str:
    kind = word(f"idiff.change.{change.change}", lang)
    if change.field.endswith("#order"):
        kind = word("idiff.order", lang)
    values = ""
    if change.change == "changed" and not change.field.endswith("#order"):
        values = f": {_shown(change.old)} → {_shown(change.new)}"
    return f"{change.pointer} ({kind}){values}"


def _diff_lines(diff: InstrumentDiff, lang: Lang, markdown: bool) -> Iterator[str]:
    old, new = f"{diff.old_id} {diff.old_version}", f"{diff.new_id} {diff.new_version}"
    yield f"{'# ' if markdown else ''}{word('idiff.title', lang, old=old, new=new)}"
    sections = (("score_affecting", diff.score_affecting), ("cosmetic", diff.cosmetic))
    for key, changes in sections:
        yield ""
        heading = plural(f"idiff.{key}", len(changes), lang)
        yield f"## {heading}" if markdown else heading
        if markdown and changes:
            yield ""
        for change in changes:
            yield f"- `{_line(change, lang)}`" if markdown else f"  {_line(change, lang)}"
    if diff.bump_missing:
        yield ""
        yield word("idiff.bump_missing", lang)


def render_instrument_diff(
    diff: InstrumentDiff, *, lang: Lang, format: InstrumentDiffFormat = "text"
) -> str:
    """The differences as plain text, Markdown or JSON."""
    return _rendered(format, lambda: diff_json(diff), lambda md: _diff_lines(diff, lang, md))


def _rendered(
    format: str,
    value: Callable[[], JsonValue],
    lines: Callable[[bool], Iterator[str]],
) -> str:
    """One of the three formats: the JSON value, or the lines as Markdown or plain text."""
    match checked_format(format, INSTRUMENT_DIFF_FORMATS):
        case "json":
            return json.dumps(value(), indent=2, ensure_ascii=False) + "\n"
        case "md":
            return "\n".join(lines(True)) + "\n"
        case "text":
            return "\n".join(lines(False)) + "\n"


# --------------------------------------------------------------------------------------------
# Impact
# --------------------------------------------------------------------------------------------


def impact_json(impact: Impact) -> dict[str, JsonValue]:
    """The impact as a JSON value: ``assessments``, ``changed``, ``table`` (old → new →
    count), ``changed_ids``, each change with its causes, and the inputs not scored."""
    return {
        "assessments": impact.assessments,
        "changed": impact.changed,
        "table": {old: dict(row) for old, row in impact.table.items()},
        "changed_ids": [change.assessment_id for change in impact.changes],
        "changes": [
            {
                "id": change.assessment_id,
                "old": change.old,
                "new": change.new,
                "causes": list(change.causes),
            }
            for change in impact.changes
        ],
        "not_scored": [{"input": name, "code": code} for name, code in impact.failed],
        "differences": diff_json(impact.diff),
    }


def _outcome_name(ident: str, impact: Impact, lang: Lang) -> str:
    """An outcome's label in either instrument; a status without outcome in words."""
    for instrument in (impact.new, impact.old):
        for outcome in instrument.outcomes:
            if outcome.id == ident:
                return localized(outcome.label, lang)
    return word(f"impact.status.{ident}", lang)


def _impact_lines(impact: Impact, lang: Lang, markdown: bool) -> Iterator[str]:
    diff = impact.diff
    old, new = f"{diff.old_id} {diff.old_version}", f"{diff.new_id} {diff.new_version}"
    yield f"{'# ' if markdown else ''}{word('impact.title', lang, old=old, new=new)}"
    yield ""
    yield plural("impact.assessments", impact.assessments, lang)
    yield plural("impact.changed", impact.changed, lang)
    if impact.failed:
        yield plural("impact.not_scored", len(impact.failed), lang)
    yield from _table(impact, lang, markdown)
    if impact.changes:
        yield ""
        heading = word("impact.changed_ids", lang)
        yield f"## {heading}" if markdown else heading
        if markdown:
            yield ""
    for change in impact.changes:
        before = _outcome_name(change.old, impact, lang)
        after = _outcome_name(change.new, impact, lang)
        causes = ", ".join(change.causes)
        text = (
            f"{change.assessment_id}: {before} → {after} ({word('impact.causes', lang)} {causes})"
        )
        yield f"- {text}" if markdown else f"  {text}"
    for name, code in impact.failed:
        yield f"{'- ' if markdown else '  '}{name}: {code}"


def _table(impact: Impact, lang: Lang, markdown: bool) -> Iterator[str]:
    """The cross-table: old outcomes as rows, new ones as columns."""
    columns = impact.columns
    yield ""
    heading = word("impact.table", lang)
    yield f"## {heading}" if markdown else heading
    yield ""
    names = [_outcome_name(column, impact, lang) for column in columns]
    cells = [
        [_outcome_name(old, impact, lang), *(str(row.get(c, 0)) for c in columns)]
        for old, row in impact.table.items()
    ]
    if markdown:
        yield "| | " + " | ".join(names) + " |"
        yield "|---|" + "---:|" * len(columns)
        yield from ("| " + " | ".join(cell) + " |" for cell in cells)
        return
    widths = [max(len(r[i]) for r in [["", *names], *cells]) for i in range(len(columns) + 1)]
    for row in [["", *names], *cells]:
        yield "  " + "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))


def render_impact(impact: Impact, *, lang: Lang, format: InstrumentDiffFormat = "text") -> str:
    """The impact as plain text, Markdown or JSON; the instruments' labels name outcomes."""
    return _rendered(
        format, lambda: impact_json(impact), lambda md: _impact_lines(impact, lang, md)
    )
