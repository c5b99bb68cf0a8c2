"""The § 99 SGB VIII statistic of § 8a assessments, tabulated from summary documents.

Summaries hold no free text, so they can be counted anywhere. Every input is either counted
or reported as skipped: summaries of instruments without a § 99 mapping appear as "not
applicable", summaries without a final outcome as "no final outcome", and inputs that are
not valid summaries (including the error records of ``score-batch``) as skipped, never
silently dropped.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, TypeVar, get_args

import attrs

from .._batch import bounded_lines
from .._documents import parse_loaded
from .._errors import KwgCheckError, Problem
from .._io import DEFAULT_LIMITS, JsonValue, load_bytes, load_path
from .._model import Summary
from .._model._types import EndangermentForm
from .._model.assessment import Initiator
from .._model.instrument import StatisticCategory
from .._types import STATISTIC_FORMATS, Lang, StatisticFormat, checked_format, language
from .._vocabulary import VOCABULARY, label, word

__all__ = [
    "Statistic",
    "read_documents",
    "read_statistic",
    "render_statistic",
    "tabulate_statistic",
]

CATEGORIES = (*get_args(StatisticCategory), "not_applicable", "no_outcome")
FORMS = get_args(EndangermentForm)
ENDANGERMENT = ("acute_endangerment", "latent_endangerment")
# Destatis age groups (completed years): under 3, 3 to under 6, …, 16 to under 18.
AGE_LIMITS = (
    (3, "under_3"),
    (6, "3_to_6"),
    (9, "6_to_9"),
    (12, "9_to_12"),
    (14, "12_to_14"),
    (16, "14_to_16"),
    (18, "16_to_18"),
)
AGE_GROUPS = (*(name for _, name in AGE_LIMITS), "18_and_over")
INITIATORS = (*get_args(Initiator), "not_recorded")
OVERRIDES = ("overridden", "not_overridden", "up", "down", "unchanged")

SECTIONS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "forms": (*FORMS, "cases_with_forms", "cases_without_forms"),
    "age_group": AGE_GROUPS,
    "initiated_by": INITIATORS,
    "overrides": OVERRIDES,
}


@attrs.frozen
class Statistic:
    """Counts of the § 99 SGB VIII statistic: section → row → count, rows in a fixed order."""

    summaries: int
    """Summaries counted."""
    skipped: int
    """Inputs that were not valid summaries (reported, not counted)."""
    sections: Mapping[str, Mapping[str, int]]
    """``category``, ``forms``, ``age_group``, ``initiated_by``, ``overrides``; every row is
    present, zeros included, so two statistics always have the same shape."""


def _statistic_age(summary: Summary) -> int:
    """The age the statistic counts: the subject's own, for a family subject its youngest
    child member's (a household without children counts as 18 and over)."""
    ref = summary.assessment
    if ref.age_months is not None:
        return ref.age_months
    children = [m.age_months for m in ref.members or () if m.role == "child"]
    return min(children, default=18 * 12)


def _age_group(age_months: int) -> str:
    years = age_months // 12
    return next((name for limit, name in AGE_LIMITS if years < limit), "18_and_over")


def _category(summary: Summary) -> str:
    outcome = summary.outcome
    if outcome.final is None:
        return "no_outcome"
    return outcome.statistic_category or "not_applicable"


def tabulate_statistic(summaries: Iterable[Summary]) -> Statistic:
    """Count summaries into the § 99 SGB VIII statistic (streaming: only counts are kept).

    Forms of endangerment are counted for acute and latent endangerment only, as the official
    statistic does; an override's direction follows the instrument's outcome order.
    """
    counts = {name: dict.fromkeys(rows, 0) for name, rows in SECTIONS.items()}
    total = 0
    for summary in summaries:
        total += 1
        category = _category(summary)
        counts["category"][category] += 1
        if category in ENDANGERMENT:
            forms = summary.outcome.forms_of_endangerment
            for form in forms:
                counts["forms"][form] += 1
            counts["forms"]["cases_with_forms" if forms else "cases_without_forms"] += 1
        counts["age_group"][_age_group(_statistic_age(summary))] += 1
        counts["initiated_by"][summary.assessment.initiated_by or "not_recorded"] += 1
        override = summary.outcome.override
        if override is None or override.kind != "discretionary_override":
            counts["overrides"]["not_overridden"] += 1
            continue
        counts["overrides"]["overridden"] += 1
        levels = override.levels or 0
        counts["overrides"]["up" if levels > 0 else "down" if levels < 0 else "unchanged"] += 1
    return Statistic(total, 0, counts)


# --------------------------------------------------------------------------------------------
# Reading summaries: files, directories, JSON Lines (plain summaries or score-batch records)
# --------------------------------------------------------------------------------------------

Report = Callable[[str, Sequence[Problem]], None]
SUMMARY_SUFFIXES = (".json", ".yaml", ".yml")
LINES_SUFFIXES = (".jsonl", ".ndjson")


def _prefixed(problems: Iterable[Problem], prefix: str) -> list[Problem]:
    return [Problem(prefix + p.pointer, p.code, p.reason) for p in problems]


def _from_line(value: JsonValue) -> Summary | list[Problem]:
    if isinstance(value, dict) and "line" in value and "document_type" not in value:
        if "problems" in value:
            reason = f"the batch could not score input line {value['line']}"
            return [Problem("/problems", "stats.unscored-line", reason)]
        try:
            return parse_loaded(Summary, value.get("summary"))
        except KwgCheckError as error:
            return _prefixed(error.problems, "/summary")
    try:
        return parse_loaded(Summary, value)
    except KwgCheckError as error:
        return list(error.problems)


_Found = TypeVar("_Found")


def _lines(
    name: str, stream: BinaryIO, parse: Callable[[JsonValue], _Found | list[Problem]]
) -> Iterator[tuple[str, _Found | list[Problem]]]:
    for number, raw in enumerate(bounded_lines(stream, DEFAULT_LIMITS.max_bytes), start=1):
        where = f"{name}:{number}"
        content = raw.removesuffix(b"\n").removesuffix(b"\r")
        if not content.strip(b" \t"):
            yield where, [Problem("", "stats.empty-line", "the line is empty")]
            continue
        try:
            value = load_bytes(content, format="json")
        except KwgCheckError as error:
            yield where, list(error.problems)
            continue
        yield where, parse(value)


def _document(
    path: Path, parse: Callable[[JsonValue], _Found | list[Problem]]
) -> tuple[str, _Found | list[Problem]]:
    try:
        return str(path), parse(load_path(path))
    except KwgCheckError as error:
        return str(path), list(error.problems)


def read_documents(
    paths: Iterable[str], parse: Callable[[JsonValue], _Found | list[Problem]]
) -> Iterator[tuple[str, _Found | list[Problem]]]:
    """Each input's name (``FILE`` or ``FILE:LINE``) and what ``parse`` made of it: files,
    directories (recursively, every JSON, YAML and JSON Lines file) and JSON Lines (``-``:
    stdin). Used for summaries here and for assessments by ``impact``."""
    for name in paths:
        path = Path(name)
        if name == "-":
            yield from _lines("-", sys.stdin.buffer, parse)
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix in SUMMARY_SUFFIXES + LINES_SUFFIXES:
                    yield from read_documents([str(child)], parse)
        elif path.suffix in LINES_SUFFIXES:
            with path.open("rb") as stream:
                yield from _lines(name, stream, parse)
        else:
            yield _document(path, parse)


def read_statistic(paths: Iterable[str], report: Report) -> Statistic:
    """Tabulate summary files, directories (recursively) and JSON Lines (``-``: stdin).

    Every input that is not a valid summary is passed to ``report`` with its problems and
    counted as skipped.
    """
    skipped = 0

    def valid() -> Iterator[Summary]:
        nonlocal skipped
        for name, found in read_documents(paths, _from_line):
            if isinstance(found, Summary):
                yield found
            else:
                skipped += 1
                report(name, found)

    statistic = tabulate_statistic(valid())
    return attrs.evolve(statistic, skipped=skipped)


# --------------------------------------------------------------------------------------------
# Rendering: the same numbers as Markdown, CSV and JSON
# --------------------------------------------------------------------------------------------


def _rows(statistic: Statistic) -> Iterator[tuple[str, str, int]]:
    """(section, row, count) in the order of every format, the totals first."""
    yield "totals", "summaries", statistic.summaries
    yield "totals", "skipped_invalid", statistic.skipped
    for section, rows in statistic.sections.items():
        for row, count in rows.items():
            yield section, row, count


_CONCEPTS = {
    "category": "category",
    "forms": "form",
    "age_group": "age_group",
    "initiated_by": "initiator",
}
"""Sections whose rows are the vocabulary's shared concepts (the rest are the statistic's own)."""


def _row_label(section: str, row: str, lang: Lang) -> str:
    """A row's label: the shared concept's label where there is one, so that the statistic,
    the report and the text name a category, a form or an initiator alike."""
    concept = _CONCEPTS.get(section)
    if concept is not None and f"{concept}.{row}" in VOCABULARY:
        return label(concept, row, lang)
    if section == "overrides":
        return word(f"stats.override.{row}", lang)
    return word(f"stats.{row}", lang)


def _markdown(statistic: Statistic, lang: Lang) -> str:
    lines = [f"# {word('stats.title', lang)}"]
    heading = word("stats.count", lang)
    current = None
    for section, row, count in _rows(statistic):
        if section != current:
            current = section
            title = word(f"stats.section.{section}", lang)
            lines += ["", f"## {title}", "", f"| | {heading} |"]
            lines.append("|---|---:|")
        lines.append(f"| {_row_label(section, row, lang)} | {count} |")
    return "\n".join(lines) + "\n"


def _csv(statistic: Statistic, lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "row", "label", "count"))
    for section, row, count in _rows(statistic):
        writer.writerow((section, row, _row_label(section, row, lang), count))
    return out.getvalue()


def _json(statistic: Statistic) -> str:
    value: dict[str, dict[str, int]] = {}
    for section, row, count in _rows(statistic):
        value.setdefault(section, {})[row] = count
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def render_statistic(
    statistic: Statistic, *, lang: Lang | None = None, format: StatisticFormat = "md"
) -> str:
    """The statistic as Markdown tables, CSV (``section,row,label,count``) or JSON.

    ``lang`` chooses the labels of Markdown and CSV (default: German, the language of the
    § 99 SGB VIII statistic); JSON holds only the stable codes.
    """
    format = checked_format(format, STATISTIC_FORMATS)
    chosen = language(lang, None)
    if format == "json":
        return _json(statistic)
    return _markdown(statistic, chosen) if format == "md" else _csv(statistic, chosen)
