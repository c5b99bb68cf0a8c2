"""Reports for people: an assessment as a document for the case file, the team and the court.

A report is built once as a list of sections made of plain-text blocks (paragraphs, facts,
tables, the outcome box, the profile chart), then written out as one self-contained HTML file
or as Markdown. It leads with the decision — the outcome in its traffic-light colour, the
range the unknowns allow, what to clarify first, the process checks not met, the profile —
which prints on the first A4 page; the details follow, the trace only on request.

Identifiers, versions and dates are marked with :func:`_ident`; HTML keeps each of them whole
on one line (no ``K-|2026`` or ``infant_crying_stre|ss``). Every printed page carries the case,
the assessment and the date in its top margin and its number in the bottom margin (CSS page
margin boxes, written as escaped CSS strings).
Escaping happens in exactly one place per format, so every text taken from the documents —
observations, notes, the family's words, justifications, even instrument labels — reaches
the reader as inert text: the HTML carries no script and a content security policy that
forbids any, and the Markdown cannot leave its table cell, link anywhere or embed HTML.

Text from the documents is *isolated* as well: a bidi control in a note (say an unterminated
U+202E RIGHT-TO-LEFT OVERRIDE) reorders only that note, never the words after it. Builders mark
such text with :func:`_free`; the HTML writer puts each marked line into ``<bdi>`` (SVG text
into FSI … PDI) and closes whatever the line left open, Markdown and plain text drop the marks.

Labels come from the instrument in the chosen language; the report's own words exist in
German and English. The trace in the appendix (``trace=True``) keeps the engine's own
(English) wording, so it can be compared with the summary document word for word.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal, get_args

import attrs

from .._model import Assessment, Instrument, Summary
from .._model._types import LocalizedText
from .._model.assessment import Answer, Resource, ResourceCategory
from .._model.instrument import Item, Scale
from .._model.summary import Message, TraceInput, Warning
from .._types import (
    COMPARISON_FORMATS,
    REPORT_FORMATS,
    ComparisonFormat,
    Lang,
    ReportFormat,
    checked_format,
    language,
)
from .._version import __version__
from .._vocabulary import (
    format_date,
    format_number,
    label,
    localized,
    plural,
    render_message,
    render_warning,
    word,
)
from ._compare import Change, Comparison
from ._network import SECTORS, NetworkMap, NetworkNode, network_svg

__all__ = ["render_comparison", "report"]

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


# --- labels from the instruments ----------------------------------------------------------


class _Labels:
    """Labels of instrument elements in one language; the first instrument that knows wins."""

    def __init__(self, instruments: Sequence[Instrument], lang: Lang) -> None:
        self.lang: Lang = lang
        self.instruments = instruments

    def w(self, key: str, **fields: object) -> str:
        return word(f"report.{key}", self.lang, **fields)

    def label(self, concept: str, ident: str) -> str:
        """The vocabulary's label of a library id (a form, a role, a check result …)."""
        return label(concept, ident, self.lang)

    def num(self, value: Decimal | None) -> str:
        return "—" if value is None else format_number(value, self.lang)

    def date(self, value: date) -> str:
        return format_date(value, self.lang)

    def t(self, text: LocalizedText | None, fallback: str = "") -> str:
        if text is None:
            return fallback
        return _free(localized(text, self.lang))

    def sheet(self, key: str) -> str:
        return word(f"sheet.{key}", self.lang)

    def _find(self, attribute: str, ident: str) -> LocalizedText | None:
        for instrument in self.instruments:
            for element in getattr(instrument, attribute):
                if element.id == ident:
                    label: LocalizedText = element.label
                    return label
        return None

    def outcome(self, ident: str | None) -> str:
        if ident is None:
            return "—"
        return self.t(self._find("outcomes", ident), ident)

    def item(self, ident: str) -> str:
        return self.t(self._find("items", ident), ident)

    def index(self, ident: str) -> str:
        return self.t(self._find("indices", ident), ident)

    def flag(self, ident: str) -> str:
        return self.t(self._find("flags", ident), ident)

    def domain(self, ident: str) -> str:
        return self.t(self._find("domains", ident), ident)

    def check(self, ident: str) -> str:
        return self.t(self._find("process_checks", ident), ident)

    def item_def(self, ident: str) -> tuple[Item, Scale] | None:
        for instrument in self.instruments:
            scales = {scale.id: scale for scale in instrument.scales}
            for item in instrument.items:
                if item.id == ident and item.scale in scales:
                    return item, scales[item.scale]
        return None

    def level(self, item_id: str, level_id: str) -> str:
        found = self.item_def(item_id)
        if found is not None:
            scale = found[1]
            for level in scale.levels:
                if level.id == level_id:
                    return self.t(level.label, level_id)
            if scale.unknown is not None and scale.unknown.id == level_id:
                return self.t(scale.unknown.label, level_id)
        return level_id

    def band(self, index_id: str, band_id: str | None) -> str:
        if band_id is None:
            return "—"
        for instrument in self.instruments:
            for index in instrument.indices:
                for band in index.bands or ():
                    if index.id == index_id and band.id == band_id:
                        return self.t(band.label, band_id)
        return band_id

    def resource_category(self, category: str) -> str:
        return label("resource", category, self.lang)

    def name(self, kind: str, ident: str, params: Mapping[str, object]) -> str:
        """How a message names an id: by the instrument's label where it has one."""
        match kind:
            case "item" | "index" | "flag" | "outcome" | "domain":
                named: str = getattr(self, kind)(ident)
                return named
            case "level":
                return self.level(str(params.get("item", "")), ident)
            case "band":
                return self.band(str(params.get("index", "")), ident)
        return _ident(ident)

    def message(self, message: Message) -> str:
        return render_message(message, self.lang, self.name)

    def warning(self, warning: Warning) -> str:
        return render_warning(warning, self.lang, self.name)


def _percent(share: Decimal) -> str:
    return str(int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_CONTEXT)))


# --- building the report ------------------------------------------------------------------


def report(
    assessment: Assessment,
    summary: Summary,
    instrument: Instrument,
    comparison: Comparison | None,
    *,
    lang: Lang | None,
    format: ReportFormat,
    trace: bool = False,
    resolved: Sequence[Assessment] = (),
) -> str:
    """Render a scored assessment as a report for people: one HTML file or Markdown.

    The decision comes first (the first printed page), the details follow. ``comparison``
    (with an earlier assessment of the same child) adds its section; ``trace`` adds the
    engine's trace to the appendix; ``resolved`` (the independent ratings a consensus
    resolves) adds where the consensus departed from them. The public
    :func:`kwg_check.render_report` scores and compares first.
    """
    format = checked_format(format, REPORT_FORMATS)
    lang = language(lang, instrument)
    document = _build(assessment, summary, instrument, lang, comparison, trace, resolved)
    return _html(document) if format == "html" else _markdown(document)


def render_comparison(
    comparison: Comparison, *, lang: Lang | None = None, format: ComparisonFormat = "text"
) -> str:
    """Render a reassessment comparison as plain text, Markdown or one HTML file.

    Without ``lang`` it is written in the new assessment's instrument's language.
    """
    lang = language(lang, comparison.new_instrument)
    format = checked_format(format, COMPARISON_FORMATS)
    labels = _Labels([comparison.new_instrument, comparison.old_instrument], lang)
    section = _comparison_section(comparison, labels)
    if format == "text":
        return _comparison_text(comparison, labels)
    document = _Document(
        lang,
        labels.w("comparison.title"),
        f"{labels.w('case')} {comparison.case_id}",
        (),
        (section,),
        labels.w("footer", version=__version__, support=labels.w("support")),
    )
    return _html(document) if format == "html" else _markdown(document)


def _build(
    assessment: Assessment,
    summary: Summary,
    instrument: Instrument,
    lang: Lang,
    comparison: Comparison | None,
    trace: bool,
    resolved: Sequence[Assessment] = (),
) -> _Document:
    """The decision first (page 1 in print), then the details, then the appendix."""
    labels = _Labels([instrument], lang)
    header: list[_Block] = [_Facts(tuple(_header_facts(assessment, summary, instrument, labels)))]
    if instrument.disclaimer is not None:
        disclaimer = f"{labels.w('disclaimer')}: {labels.t(instrument.disclaimer)}"
        header.append(_Para(disclaimer, "note"))
    acute = [f for f in summary.flags if f.raised and f.severity == "acute"]
    if acute:
        lines = [labels.flag(flag.id) for flag in acute]
        floors = [f.minimum_outcome for f in acute if f.minimum_outcome is not None]
        if summary.outcome.floor is not None or floors:
            floor = summary.outcome.floor or floors[0]
            lines.append(labels.w("acute.floor", outcome=labels.outcome(floor)))
        header.append(_Alert(labels.w("acute.title"), tuple(lines)))
    details = [
        _resource_section(assessment, summary, labels),
        _unknown_section(summary, labels),
        _process_section(assessment, summary, labels),
        _item_section(assessment, summary, instrument, labels),
    ]
    if comparison is not None:
        details.append(_comparison_section(comparison, labels))
    if assessment.resolves:
        details.append(_consensus_section(assessment, resolved, instrument, labels))
    sections = [
        _decision_section(assessment, summary, instrument, labels),
        _profile_section(summary, instrument, labels),
        *details,
        _appendix(summary, labels, trace),
    ]
    ref = summary.assessment
    title = f"{labels.w('report')} — {labels.w('case')} {_ident(ref.case_id)}"
    running = " · ".join(
        (
            f"{labels.w('case')} {ref.case_id}",
            f"{labels.w('assessment')} {ref.id}",
            labels.date(ref.assessment_date),
        )
    )
    return _Document(
        lang,
        title,
        labels.t(instrument.title, instrument.id),
        tuple(header),
        tuple(sections),
        labels.w("footer", version=__version__, support=labels.w("support")),
        running,
        labels.w("page.number"),
    )


def _age(months: int, labels: _Labels) -> str:
    """An age in years and months, with the total in months."""
    years, rest = divmod(months, 12)
    return labels.w(
        "age.value",
        years=plural("report.age.years", years, labels.lang),
        months=plural("report.age.months", rest, labels.lang),
        total=months,
    )


def _header_facts(
    assessment: Assessment, summary: Summary, instrument: Instrument, labels: _Labels
) -> Iterable[tuple[str, str]]:
    ref = summary.assessment
    yield labels.w("case"), _ident(ref.case_id)
    yield labels.w("assessment"), _ident(ref.id)
    yield labels.w("date"), _ident(labels.date(ref.assessment_date))
    if ref.subject_kind is not None:
        yield labels.w("subject"), labels.label("subject", ref.subject_kind)
    if ref.age_months is not None:
        age = labels.w("age" if ref.subject_kind is None else "age.subject")
        yield age, _age(ref.age_months, labels)
    for member in ref.members or ():
        role = labels.label("member", member.role)
        yield labels.w("member", id=member.id, role=role), _age(member.age_months, labels)
    yield labels.w("instrument"), _ident(f"{instrument.id} {instrument.version}")
    yield (
        labels.w("assessors"),
        ", ".join(f"{_ident(a.id)} ({labels.label('role', a.role)})" for a in assessment.assessors),
    )
    if assessment.initiated_by is not None:
        yield labels.w("initiated_by"), labels.label("initiator", assessment.initiated_by)


def _verdict(
    assessment: Assessment, summary: Summary, instrument: Instrument, labels: _Labels
) -> _Verdict:
    """Final and computed outcome, why they are what they are, and who decided."""
    out = summary.outcome
    final = labels.outcome(out.final)
    if out.traffic_light is not None:
        final = f"{final} ({labels.sheet('traffic')}: {labels.label('traffic', out.traffic_light)})"
    final = f"{labels.w('final')}: {final}"
    facts: list[tuple[str, str]] = []
    if out.status == "computed":
        facts.append((labels.w("computed"), labels.outcome(out.computed)))
    else:
        facts.append((labels.w("computed"), labels.w(f"status.{out.status}")))
    if out.statistic_category is not None:
        facts.append((labels.sheet("category"), labels.label("category", out.statistic_category)))
    if out.forms_of_endangerment:
        forms = ", ".join(labels.label("form", form) for form in out.forms_of_endangerment)
        facts.append((labels.sheet("forms"), forms))
    if out.floor is not None:
        facts.append((labels.w("floor"), labels.outcome(out.floor)))
    policies = {policy.id: policy for policy in instrument.policy_overrides}
    for step in summary.trace:
        if (
            step.kind == "policy_override"
            and step.id in policies
            and step.result not in (None, False)
        ):
            facts.append((labels.w("policy"), labels.t(policies[step.id].rationale, step.id)))
    judgement = assessment.override or assessment.final_rating
    if out.override is not None:
        moved = ""
        if out.override.levels:
            moved = " · " + plural("report.override.levels", out.override.levels, labels.lang)
        author = _ident(out.override.author)
        facts.append((labels.w(f"override.{out.override.kind}"), f"{author}{moved}"))
        if judgement is not None:
            facts.append((labels.w("justification"), _free(judgement.justification)))
    raised = [f for f in summary.flags if f.raised and f.severity != "acute"]
    if raised:
        names = "\n".join(
            f"{labels.flag(f.id)} ({labels.label('severity', f.severity)})" for f in raised
        )
        facts.append((labels.w("flags.raised"), names))
    return _Verdict(final, out.traffic_light, tuple(facts))


def _open_questions(summary: Summary, labels: _Labels) -> list[_Block]:
    """How much is known, which outcomes the unknowns allow, and what to clarify first."""
    done = summary.completeness
    facts = [
        (
            labels.w("completeness"),
            labels.w(
                "completeness.value",
                known=done.known,
                total=done.applicable,
                percent=_percent(done.ratio),
            ),
        )
    ]
    unknowns = summary.unknowns
    if unknowns.items and unknowns.range.lowest is not None:
        value = labels.w(
            "range.value",
            low=labels.outcome(unknowns.range.lowest),
            high=labels.outcome(unknowns.range.highest),
        )
        facts.append(
            (labels.w("range"), f"{value}\n{labels.label('range_method', unknowns.range.method)}")
        )
    blocks: list[_Block] = [_Facts(tuple(facts))]
    if unknowns.items:
        blocks.append(_Heading(labels.w("clarify")))
        if unknowns.clarify_first:
            items = tuple(labels.item(i) for i in unknowns.clarify_first)
            blocks.append(_List(items, ordered=True, style="columns"))
        else:
            blocks.append(_Para(labels.w("clarify.none")))
    return blocks


def _failed_checks(summary: Summary, labels: _Labels) -> list[_Block]:
    """The process checks not met, with their legal reference: a fault in the procedure."""
    if not summary.process_checks:
        return []
    failed = [check for check in summary.process_checks if check.result == "fail"]
    blocks: list[_Block] = [_Heading(labels.w("checks.failed"))]
    if not failed:
        return [*blocks, _Para(labels.w("checks.all_met"))]
    lines = tuple(
        f"{labels.check(c.id)} ({_free(c.legal_reference)}): {labels.message(c.reason)}"
        for c in failed
    )
    return [*blocks, _List(lines)]


def _decision_section(
    assessment: Assessment, summary: Summary, instrument: Instrument, labels: _Labels
) -> _Section:
    """Page 1: everything a decision rests on, before any detail."""
    blocks: list[_Block] = [_verdict(assessment, summary, instrument, labels)]
    blocks.extend(_open_questions(summary, labels))
    blocks.extend(_failed_checks(summary, labels))
    meaning = next(
        (o.description for o in instrument.outcomes if o.id == summary.outcome.final), None
    )
    if meaning is not None:
        blocks.extend([_Heading(labels.w("meaning")), _Para(labels.t(meaning))])
    blocks.append(_Para(labels.w("support"), "note"))
    return _Section("decision", labels.w("section.outcome"), tuple(blocks))


def _item_bounds(item: Item, scale: Scale) -> tuple[Decimal, Decimal]:
    """The lowest and highest points an item can count."""
    points = [level.points for level in scale.levels]
    if item.response == "multiple" and item.combine == "sum":
        return min([Decimal(0), *points]), sum((p for p in points if p > 0), Decimal(0))
    return min(points), max(points)


def _profile_rows(summary: Summary, instrument: Instrument, labels: _Labels) -> list[_ProfileRow]:
    kinds = {"risk": ("risk", "safety"), "protective": ("protective",)}
    rows = []
    for domain in instrument.domains:
        values: dict[str, _SideValue | None] = {}
        for side in _SIDES:
            results = [
                r
                for r in summary.items
                if r.domain == domain.id and r.kind in kinds[side] and r.status != "not_applicable"
            ]
            if not results:
                values[side] = None
                continue
            known, unknown, answered = Decimal(0), 0, 0
            for result in results:
                if result.status != "answered":
                    unknown += 1
                    continue
                answered += 1
                found = labels.item_def(result.id)
                if result.points is None or found is None:
                    continue
                low, high = _item_bounds(*found)
                if high > low:
                    share = _CONTEXT.divide(result.points - low, high - low)
                    known += min(max(share, Decimal(0)), Decimal(1))
            total = len(results)
            values[side] = _SideValue(
                _CONTEXT.divide(known, total),
                _CONTEXT.divide(Decimal(unknown), total),
                total,
                answered,
            )
        if values["risk"] is not None or values["protective"] is not None:
            rows.append(
                _ProfileRow(labels.t(domain.label, domain.id), values["risk"], values["protective"])
            )
    return rows


def _side_text(value: _SideValue | None, labels: _Labels) -> str:
    if value is None:
        return "—"
    if value.unknown:
        text = labels.w(
            "profile.value.unknown", known=_percent(value.known), unknown=_percent(value.unknown)
        )
    else:
        text = labels.w("profile.value", known=_percent(value.known))
    return f"{text}\n{labels.w('profile.items', known=value.known_items, total=value.total)}"


def _profile_section(summary: Summary, instrument: Instrument, labels: _Labels) -> _Section:
    rows = _profile_rows(summary, instrument, labels)
    blocks: list[_Block] = []
    if rows:
        table = _Table(
            (labels.w("profile.domain"), labels.w("profile.risk"), labels.w("profile.protective")),
            tuple(
                (row.label, _side_text(row.risk, labels), _side_text(row.protective, labels))
                for row in rows
            ),
            "profile-table",
        )
        blocks.append(
            _Chart(
                labels.w("section.profile"),
                labels.w("profile.desc"),
                tuple(rows),
                (
                    labels.w("profile.risk"),
                    labels.w("profile.protective"),
                    labels.w("profile.unknown"),
                ),
                table,
            )
        )
    else:
        blocks.append(_Para(labels.w("profile.none")))
    blocks.insert(1, _Para(labels.w("profile.intro"), "note"))
    if summary.indices:
        blocks.append(_Heading(labels.w("indices")))
        blocks.append(
            _Table(
                (labels.w("index"), labels.w("side"), labels.w("value"), labels.w("band")),
                tuple(
                    (
                        labels.index(index.id),
                        labels.label("side", index.side),
                        labels.num(index.value),
                        labels.band(index.id, index.band),
                    )
                    for index in summary.indices
                ),
            )
        )
    return _Section("profile", labels.w("section.profile"), tuple(blocks))


def _resource_section(assessment: Assessment, summary: Summary, labels: _Labels) -> _Section:
    blocks: list[_Block] = [_Heading(labels.w("resources.map"))]
    order = list(get_args(ResourceCategory))
    resources = sorted(
        enumerate(assessment.resources, start=1), key=lambda nr: order.index(nr[1].category)
    )
    if resources:
        blocks.append(
            _Table(
                (
                    labels.w("network.number"),
                    labels.w("resource.category"),
                    labels.w("resource"),
                    labels.w("network.place"),
                    labels.w("resource.available"),
                    labels.w("network.wanted"),
                    labels.w("resource.note"),
                ),
                tuple(
                    (
                        str(n),
                        labels.resource_category(r.category),
                        _free(r.label),
                        _network_place(r, labels),
                        labels.w("yes" if r.available else "no"),
                        _yes_no(r.wanted, labels),
                        _free(r.note or ""),
                    )
                    for n, r in resources
                ),
                style="resources",
            )
        )
    else:
        blocks.append(_Para(labels.w("resources.none")))
    blocks.extend(_planning_blocks(assessment, summary, labels))
    blocks.extend(_network_blocks(assessment, labels))
    blocks.append(_Heading(labels.w("family.title")))
    view = assessment.family_view
    if view is None or (view.statement is None and view.will is None):
        blocks.append(_Para(labels.w("family.none")))
    else:
        for key, text in (("statement", view.statement), ("will", view.will)):
            if text is not None:
                blocks.extend(
                    [_Para(labels.w(f"family.{key}"), "strong"), _Para(_free(text), "quote")]
                )
        if view.goals:
            blocks.append(_Para(labels.w("family.goals"), "strong"))
            blocks.append(_List(tuple(_free(goal.goal) for goal in view.goals)))
    return _Section("resources", labels.w("section.resources"), tuple(blocks))


def _yes_no(value: bool | None, labels: _Labels) -> str:
    return "—" if value is None else labels.w("yes" if value else "no")


def _network_place(resource: Resource, labels: _Labels) -> str:
    """Sector and closeness in words ("—" when the resource is not placed in the map)."""
    if resource.sector is None:
        return "—"
    place = labels.label("sector", resource.sector)
    if resource.closeness is not None:
        place += f", {labels.label('closeness', resource.closeness)}"
    return place


def _network_blocks(assessment: Assessment, labels: _Labels) -> list[_Block]:
    """The network map of the resources placed in a sector, numbered as in the resource
    table above it (which names every one of them in words)."""
    nodes = tuple(
        NetworkNode(n, _free(r.label), r.sector, r.closeness or "middle", r.available, r.wanted)
        for n, r in enumerate(assessment.resources, start=1)
        if r.sector is not None
    )
    if not nodes:
        return []
    network = NetworkMap(
        labels.w("network.title"),
        plural("report.network.description", len(nodes), labels.lang),
        labels.w("network.family"),
        (
            labels.label("sector", SECTORS[0]),
            labels.label("sector", SECTORS[1]),
            labels.label("sector", SECTORS[2]),
            labels.label("sector", SECTORS[3]),
        ),
        (
            labels.w("network.available"),
            labels.w("network.unavailable"),
            labels.w("network.unwanted"),
        ),
        nodes,
    )
    return [_Heading(labels.w("network.title")), network]


def _planning_blocks(assessment: Assessment, summary: Summary, labels: _Labels) -> list[_Block]:
    """The protection-planning table: concern → resources that answer it → family's goal."""
    plan = summary.protection
    if plan is None:
        return []
    blocks: list[_Block] = [_Heading(labels.w("planning.title"))]
    if not plan.concerns:
        return [*blocks, _Para(labels.w("planning.none"))]
    resources = assessment.resources
    goals = assessment.family_view.goals if assessment.family_view is not None else []
    rows = []
    for concern in plan.concerns:
        answering = [_free(resources[p].label) for p in concern.resources]
        answering += [
            labels.w("planning.planned", resource=_free(resources[p].label))
            for p in concern.planned
        ]
        rows.append(
            (
                labels.domain(concern.domain)
                + "\n"
                + ", ".join(labels.item(item) for item in concern.items),
                "\n".join(answering) or labels.w("planning.open"),
                "\n".join(_free(goals[p].goal) for p in concern.goals) or "—",
            )
        )
    header = (
        labels.w("planning.concern"),
        labels.w("planning.resources"),
        labels.w("planning.goal"),
    )
    blocks.append(_Table(header, tuple(rows), style="planning"))
    if plan.unanswered:
        domains = ", ".join(labels.domain(d) for d in plan.unanswered)
        blocks.append(_Para(labels.w("planning.unanswered", domains=domains), "strong"))
    return blocks


def _answer_words(item: str, answer: Answer | None, labels: _Labels) -> str:
    if answer is None:
        return "—"
    if answer.caregivers is not None:
        return ", ".join(
            f"{_ident(who)}: {labels.level(item, level)}"
            for who, level in answer.caregivers.items()
        )
    return ", ".join(labels.level(item, level) for level in _chosen(answer, "answered"))


def _same_rating(first: Answer | None, second: Answer | None) -> bool:
    if first is None or second is None:
        return first is second
    return (first.level, first.levels, first.caregivers) == (
        second.level,
        second.levels,
        second.caregivers,
    )


def _consensus_section(
    assessment: Assessment,
    resolved: Sequence[Assessment],
    instrument: Instrument,
    labels: _Labels,
) -> _Section:
    """Where the consensus departed from the independent ratings it resolves, item by item."""
    given = [a for a in resolved if a.id in assessment.resolves]
    facts = [(labels.w("consensus.resolves"), ", ".join(_ident(i) for i in assessment.resolves))]
    blocks: list[_Block] = [_Facts(tuple(facts))]
    missing = [i for i in assessment.resolves if i not in {a.id for a in given}]
    if missing:
        blocks.append(
            _Para(labels.w("consensus.missing", ids=", ".join(_ident(i) for i in missing)), "note")
        )
    rows = []
    for item in instrument.items:
        consensus = assessment.answers.get(item.id)
        others = [a.answers.get(item.id) for a in given]
        if all(_same_rating(consensus, other) for other in others):
            continue
        rows.append(
            (
                labels.item(item.id),
                _answer_words(item.id, consensus, labels),
                *(_answer_words(item.id, other, labels) for other in others),
            )
        )
    if given and rows:
        header = (
            labels.w("consensus.item"),
            labels.w("consensus.consensus"),
            *(_ident(a.id) for a in given),
        )
        blocks.append(_Table(header, tuple(rows), style="consensus"))
    elif given:
        blocks.append(_Para(labels.w("consensus.same")))
    return _Section("consensus", labels.w("section.consensus"), tuple(blocks))


def _unknown_section(summary: Summary, labels: _Labels) -> _Section:
    """Completeness against the minimum and every unknown item (the range is on page 1)."""
    done = summary.completeness
    facts = []
    if done.minimum is not None:
        facts.append((labels.w("completeness.minimum"), f"{_percent(done.minimum)} %"))
    facts.append(
        (labels.w("completeness.sufficient"), labels.w("yes" if done.sufficient else "no"))
    )
    unknowns = summary.unknowns
    blocks: list[_Block] = [_Facts(tuple(facts))]
    if not unknowns.items:
        blocks.append(_Para(labels.w("unknowns.none")))
        return _Section("unknowns", labels.w("section.unknowns"), tuple(blocks))
    status = {item.id: item for item in summary.items}
    lines = []
    for ident in unknowns.items:
        line = labels.item(ident)
        if ident in status:
            domain = labels.domain(status[ident].domain)
            line += f" ({domain}): {labels.label('item_status', status[ident].status)}"
        lines.append(line)
    blocks.extend([_Heading(labels.w("unknown.items")), _List(tuple(lines), style="columns")])
    return _Section("unknowns", labels.w("section.unknowns"), tuple(blocks))


def _participation(assessment: Assessment, party: str, labels: _Labels) -> str:
    value = getattr(assessment.participation, party)
    if value is None:
        return labels.w("participation.unrecorded")
    if value.involved:
        return labels.w("participation.involved")
    text = labels.w("participation.not_involved")
    if value.reason_if_not:
        text += f"\n{labels.w('participation.reason')}: {_free(value.reason_if_not)}"
    return text


def _process_section(assessment: Assessment, summary: Summary, labels: _Labels) -> _Section:
    blocks: list[_Block] = []
    if summary.process_checks:
        blocks.append(
            _Table(
                (labels.w("check"), labels.w("result"), labels.w("legal"), labels.w("reason")),
                tuple(
                    (
                        labels.check(check.id),
                        labels.label("check_result", check.result),
                        _free(check.legal_reference),
                        labels.message(check.reason),
                    )
                    for check in summary.process_checks
                ),
            )
        )
    else:
        blocks.append(_Para(labels.w("checks.none")))
    facts = [
        (labels.w("participation.parents"), _participation(assessment, "parents", labels)),
        (labels.w("participation.child"), _participation(assessment, "child", labels)),
    ]
    if assessment.consultations:
        facts.append(
            (
                labels.w("consultations"),
                "\n".join(
                    f"{_ident(c.by)} ({labels.label('role', c.role)})"
                    + (f", {_ident(labels.date(c.date))}" if c.date else "")
                    for c in assessment.consultations
                ),
            )
        )
    blocks.extend([_Heading(labels.w("participation")), _Facts(tuple(facts))])
    if summary.warnings:
        blocks.append(_Heading(labels.w("warnings")))
        blocks.append(
            _List(tuple(f"{w.pointer}: {w.code}: {labels.warning(w)}" for w in summary.warnings))
        )
    return _Section("process", labels.w("section.process"), tuple(blocks))


def _chosen(answer: Answer | None, status: str) -> list[str]:
    """The level ids an answer chose (none for items that do not apply)."""
    if status == "not_applicable" or answer is None:
        return []
    if answer.level is not None:
        return [answer.level]
    if answer.levels is not None:
        return list(answer.levels)
    return list((answer.caregivers or {}).values())


def _evidence(answer: Answer | None, labels: _Labels) -> str:
    """Every evidence entry (observation, source, date) and the note, one per line."""
    if answer is None:
        return ""
    lines: list[str] = []
    for entry in answer.evidence:
        origin = ", ".join(
            part
            for part in (
                _free(entry.source or ""),
                _ident(labels.date(entry.date)) if entry.date else None,
            )
            if part
        )
        lines.append(_free(entry.observation) + (f" ({origin})" if origin else ""))
    if answer.note:
        lines.append(f"{labels.w('note')}: {_free(answer.note)}")
    return "\n".join(lines)


def _rating(item: Item, answer: Answer | None, concerning: bool, labels: _Labels) -> str:
    if answer is None:
        rating = labels.label("item_status", "missing")
    elif answer.caregivers is not None:
        rating = "\n".join(
            f"{_ident(who)}: {labels.level(item.id, level)}"
            for who, level in answer.caregivers.items()
        )
    else:
        chosen = _chosen(answer, "answered")
        rating = ", ".join(labels.level(item.id, level) for level in chosen)
    return rating + (f"\n({labels.w('concerning')})" if concerning else "")


def _item_section(
    assessment: Assessment, summary: Summary, instrument: Instrument, labels: _Labels
) -> _Section:
    """Every item in one table, grouped by domain, then the anchors of the chosen levels.

    An anchor belongs to a scale level, which many items share: it is printed once, not in
    every row; an item's own anchor (``Item.anchors``) is printed under the item. Items
    that do not apply to the child share one row per domain.
    """
    results = {result.id: result for result in summary.items}
    rows: list[tuple[str, ...]] = []
    chosen_levels: set[tuple[str, str]] = set()
    own_anchors: list[tuple[Item, str]] = []
    for domain in instrument.domains:
        items = [item for item in instrument.items if item.domain == domain.id]
        if not items:
            continue
        rows.append((labels.t(domain.label, domain.id),))
        not_applicable = []
        for item in items:
            result = results.get(item.id)
            status = result.status if result is not None else "missing"
            if status == "not_applicable":
                not_applicable.append(labels.item(item.id))
                continue
            answer = assessment.answers.get(item.id)
            concerning = result is not None and result.concerning
            for level in _chosen(answer, status):
                if item.anchors is not None and level in item.anchors:
                    own_anchors.append((item, level))
                else:
                    chosen_levels.add((item.scale, level))
            rows.append(
                (
                    labels.item(item.id),
                    _rating(item, answer, concerning, labels),
                    _evidence(answer, labels),
                )
            )
        if not_applicable:
            rows.append(
                ("; ".join(not_applicable), labels.label("item_status", "not_applicable"), "")
            )
    header = (labels.w("item"), labels.w("rating"), labels.w("evidence"))
    blocks: list[_Block] = [_Table(header, tuple(rows), "items")]
    anchors = _anchor_rows(instrument, chosen_levels, labels) + _item_anchor_rows(
        own_anchors, labels
    )
    if anchors:
        blocks.append(_Heading(labels.w("anchors")))
        blocks.append(_Table((labels.w("level"), labels.w("anchor")), anchors, "anchors"))
    return _Section("items", labels.w("section.items"), tuple(blocks))


def _anchor_rows(
    instrument: Instrument, chosen: set[tuple[str, str]], labels: _Labels
) -> tuple[tuple[str, ...], ...]:
    """Per scale (in instrument order) the chosen levels that have an anchor."""
    rows: list[tuple[str, ...]] = []
    for scale in instrument.scales:
        levels = [
            (labels.t(level.label, level.id), labels.t(level.anchor))
            for level in scale.levels
            if level.anchor is not None and (scale.id, level.id) in chosen
        ]
        if levels:
            rows.append((labels.t(scale.label, scale.id),))
            rows.extend(levels)
    return tuple(rows)


def _item_anchor_rows(
    chosen: Sequence[tuple[Item, str]], labels: _Labels
) -> tuple[tuple[str, ...], ...]:
    """The items' own anchors of their chosen levels, each under the item's label."""
    rows: list[tuple[str, ...]] = []
    for item, level in chosen:
        assert item.anchors is not None
        rows.append((labels.item(item.id),))
        rows.append((labels.level(item.id, level), labels.t(item.anchors[level])))
    return tuple(rows)


def _trace_inputs(inputs: Sequence[TraceInput]) -> str:
    """Each trace input on its own line, as ``ref key=value …`` (only the fields set)."""
    lines = []
    for given in inputs:
        data = given.model_dump(mode="json", exclude_none=True)
        ref = data.pop("ref")
        words = [str(ref), *(f"{key}={value}" for key, value in data.items())]
        lines.append(" ".join(_ident(word) for word in words))
    return "\n".join(lines)


def _trace_result(result: object) -> str:
    if result is None:
        return "—"
    return str(result).lower() if isinstance(result, bool) else str(result)


def _appendix(summary: Summary, labels: _Labels, trace: bool) -> _Section:
    """Fingerprints always; the trace only when asked for (it is in the summary document)."""
    facts = (
        (labels.w("engine"), _ident(f"{summary.engine.name} {summary.engine.version}")),
        (
            labels.w("fingerprint.instrument"),
            f"{_ident(summary.instrument.id)} {_ident(summary.instrument.version)}\n"
            f"{_ident(summary.instrument.fingerprint)}",
        ),
        (
            labels.w("fingerprint.assessment"),
            f"{_ident(summary.assessment.id)}\n{_ident(summary.assessment.fingerprint)}",
        ),
    )
    blocks: list[_Block] = [
        _Heading(labels.w("fingerprints")),
        _Facts(facts),
        _Para(labels.w("fingerprint.note"), "note"),
    ]
    if not trace:
        blocks.append(_Para(labels.w("trace.omitted"), "note"))
        title = labels.w("section.appendix.fingerprints")
        return _Section("appendix", title, tuple(blocks))
    rows = tuple(
        (
            str(step.step),
            _ident(step.kind),
            _ident(step.id),
            _trace_inputs(step.inputs),
            _trace_result(step.result),
            labels.message(step.explanation),
        )
        for step in summary.trace
    )
    blocks.extend(
        [
            _Heading(labels.w("trace")),
            _Table(
                tuple(
                    labels.w(f"trace.{key}")
                    for key in ("step", "kind", "id", "inputs", "result", "explanation")
                ),
                rows,
                "trace",
            ),
        ]
    )
    return _Section("appendix", labels.w("section.appendix"), tuple(blocks), new_page=True)


# --- the comparison -----------------------------------------------------------------------


def _change_value(change: Change, value: str | None, labels: _Labels) -> str:
    if value is None:
        return "—"
    if change.kind == "outcome":
        return labels.outcome(value)
    if change.kind == "band":
        return labels.band(change.id, value)
    if change.kind == "item":
        if value in ("unknown", "missing", "not_applicable"):
            found = labels.item_def(change.id)
            if value == "unknown" and found is not None and found[1].unknown is not None:
                return labels.level(change.id, found[1].unknown.id)
            return labels.label("item_status", value)
        return labels.level(change.id, value)
    if change.kind == "flag":
        return labels.w(f"cmp.flag.{value}")
    if change.kind == "resource":
        if change.label is None:
            return labels.w("cmp.resource.count", count=value)
        return labels.w(f"cmp.resource.{value}")
    return labels.num(Decimal(value))  # an index value: an exact decimal as people write it


def _change_row(change: Change, labels: _Labels) -> tuple[str, str, str, str, str]:
    if change.kind == "outcome":
        element = labels.w(f"cmp.outcome.{change.id}")
    elif change.kind in ("index", "band"):
        element = labels.index(change.id)
    elif change.kind == "flag":
        element = labels.flag(change.id)
    elif change.kind == "item":
        element = labels.item(change.id)
    else:
        category = labels.resource_category(change.id)
        element = category if change.label is None else f"{_free(change.label)} ({category})"
    direction = labels.w(f"cmp.{change.direction}")
    if change.kind == "resource":
        direction = labels.w(f"cmp.resource.{change.direction}")
    return (
        labels.w(f"cmp.kind.{change.kind}"),
        element,
        _change_value(change, change.old, labels),
        _change_value(change, change.new, labels),
        direction,
    )


def _comparison_facts(comparison: Comparison, labels: _Labels) -> tuple[tuple[str, str], ...]:
    def side(summary: Summary) -> str:
        ref = summary.assessment
        return (
            f"{ref.id}, {labels.date(ref.assessment_date)} · "
            f"{summary.instrument.id} {summary.instrument.version}"
        )

    return (
        (labels.w("case"), comparison.case_id),
        (labels.w("cmp.previous"), side(comparison.old)),
        (labels.w("cmp.current"), side(comparison.new)),
    )


def _span(ends: tuple[str | None, str | None], labels: _Labels) -> str:
    """A range of outcomes in words: one outcome when both ends are the same."""
    low, high = ends
    if low == high:
        return labels.outcome(low)
    return labels.w("cmp.range.span", low=labels.outcome(low), high=labels.outcome(high))


def _party_value(value: str | None, labels: _Labels) -> str:
    return labels.w("participation.unrecorded" if value is None else f"participation.{value}")


def _resource_name(change: Change, labels: _Labels) -> str:
    category = labels.resource_category(change.id)
    if change.label is not None:
        return f"{_free(change.label)} ({category})"
    old, new = (labels.w("cmp.resource.count", count=v or "0") for v in (change.old, change.new))
    return f"{category} ({old} → {new})"


def _headline(comparison: Comparison, labels: _Labels) -> tuple[str, ...]:
    """Practice's first questions, answered in order: outcome, range, participation, flags
    raised or cleared, resources gained or lost."""
    outcome = comparison.outcome
    span = comparison.range
    lines = [
        labels.w(
            f"cmp.outcome.{outcome.direction}",
            old=labels.outcome(outcome.old),
            new=labels.outcome(outcome.new),
        ),
        labels.w(
            f"cmp.range.{span.direction}",
            old=_span(span.old, labels),
            new=_span(span.new, labels),
        ),
    ]
    for change in comparison.participation:
        lines.append(
            labels.w(
                f"cmp.participation.{change.direction}",
                party=labels.w(f"participation.{change.id}"),
                old=_party_value(change.old, labels),
                new=_party_value(change.new, labels),
            )
        )
    lines.extend(
        labels.w(f"cmp.flag.{change.direction}", flag=labels.flag(change.id))
        for change in comparison.flags
    )
    for change in comparison.resources:
        gained = change.direction in ("up", "added")
        key = "cmp.resource.gained" if gained else "cmp.resource.lost"
        lines.append(labels.w(key, resource=_resource_name(change, labels)))
    return tuple(lines)


def _comparison_section(comparison: Comparison, labels: _Labels) -> _Section:
    blocks: list[_Block] = [
        _Facts(_comparison_facts(comparison, labels)),
        _Heading(labels.w("cmp.glance")),
        _List(_headline(comparison, labels)),
        _Heading(labels.w("cmp.all")),
    ]
    if comparison.changes:
        header = tuple(
            labels.w(f"cmp.{key}") for key in ("what", "element", "before", "after", "change")
        )
        rows = tuple(_change_row(change, labels) for change in comparison.changes)
        blocks.append(_Table(header, rows))
    else:
        blocks.append(_Para(labels.w("cmp.none")))
    return _Section("comparison", labels.w("section.comparison"), tuple(blocks))


def _comparison_text(comparison: Comparison, labels: _Labels) -> str:
    lines = [labels.w("comparison.title")]
    lines.extend(f"{name}: {value}" for name, value in _comparison_facts(comparison, labels))
    lines.append("")
    lines.extend(_one_line(statement) for statement in _headline(comparison, labels))
    lines.append("")
    if not comparison.changes:
        lines.append(labels.w("cmp.none"))
    for change in comparison.changes:
        what, element, before, after, direction = (
            _one_line(cell) for cell in _change_row(change, labels)
        )
        lines.append(f"{what}: {element}: {before} → {after} ({direction})")
    return "\n".join(lines) + "\n"


_JOINERS = "\u200c\u200d"


def _one_line(text: str) -> str:
    """Free text on one line, without control characters that could rewrite a terminal.

    Bidi controls become spaces too (Markdown and terminals cannot isolate them); ZERO WIDTH
    JOINER and NON-JOINER stay, as they are part of the text (emoji, Persian, Indic scripts).
    """
    cleaned = "".join(c if c.isprintable() or c in _JOINERS else " " for c in _plain(text))
    return " ".join(cleaned.split())


# --- HTML ---------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1d2730; --muted: #56636e; --rule: #d3dae0; --soft: #f3f5f7;
  --risk: #b0502a; --protect: #2c7a6a; --alert: #a3161b;
  --green: #2e7d32; --yellow: #f2b705; --red: #c62828; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff; font-size: 10.5pt; line-height: 1.4;
  font-family: "Source Sans 3", "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
body { max-width: 190mm; margin: 0 auto; padding: 12mm 8mm 16mm; }
p, li, dd, td, blockquote { hyphens: auto; }
h1, h2, h3, th, dt { hyphens: manual; }
.id { white-space: nowrap; hyphens: none; word-break: keep-all; overflow-wrap: normal; }
header.doc { border-bottom: 2px solid var(--ink); padding-bottom: 1.5mm; margin-bottom: 2mm; }
h1 { font-size: 1.6rem; font-weight: 600; margin: 0 0 0.5mm; letter-spacing: -0.01em; }
.subtitle { color: var(--muted); margin: 0 0 1.5mm; }
h2 { font-size: 1.25rem; font-weight: 600; margin: 5mm 0 1.5mm; padding-bottom: 0.5mm;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; font-weight: 600; margin: 2.5mm 0 1mm; }
p { margin: 0 0 1.5mm; }
p.note { color: var(--muted); font-size: 0.9rem; }
p.strong { font-weight: 600; margin: 2mm 0 0.5mm; }
blockquote { margin: 0 0 2mm; padding: 1.5mm 4mm; border-left: 3px solid var(--protect);
  background: #f1f7f5; font-style: italic; }
blockquote p { margin: 0; }
dl.facts { display: grid; grid-template-columns: minmax(32mm, max-content) minmax(0, 1fr);
  gap: 0.6mm 4mm; margin: 0 0 1.5mm; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: break-word; }
header.doc dl.facts { grid-template-columns: repeat(2, 30mm minmax(0, 1fr)); }
header.doc p.note { font-size: 0.8rem; margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2.5mm; font-size: 0.9rem;
  line-height: 1.3; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.5mm;
  border-bottom: 1px solid var(--rule); overflow-wrap: break-word; }
th { background: var(--soft); font-weight: 600; }
thead { display: table-header-group; }
table.trace { font-size: 0.75rem; }
table.trace th { white-space: nowrap; }
table.items td:first-child { width: 37%; }
table.items td:nth-child(2) { width: 23%; }
table.anchors td:first-child { width: 22%; }
tr.group th { background: #fff; border-bottom: 1.5px solid var(--ink); padding-top: 2mm; }
.alert { border: 2px solid var(--alert); background: #fcf0f0; padding: 2mm 4mm;
  margin: 0 0 3mm; }
.alert h2 { color: var(--alert); border: 0; margin: 0 0 1mm; padding: 0; }
.alert ul { margin: 0; padding-left: 5mm; }
section#decision h2 { margin-top: 2mm; }
.verdict { border: 1px solid var(--rule); border-left: 8mm solid var(--muted);
  padding: 1.5mm 4mm; margin: 0 0 2mm; background: var(--soft); }
.verdict.light-green { border-color: var(--green); background: #eaf4ea; }
.verdict.light-yellow { border-color: var(--yellow); background: #fdf5dc; }
.verdict.light-red { border-color: var(--red); background: #fbeaea; }
.verdict .final { font-size: 1.3rem; font-weight: 600; margin: 0 0 1mm; }
.verdict dl.facts { margin: 0; }
figure { margin: 1mm 0 1mm; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 1mm; }
figure#network-map { max-width: 120mm; margin: 1mm auto; }
ol, ul { margin: 0 0 1.5mm; padding-left: 6mm; }
ol.columns, ul.columns { columns: 2; column-gap: 8mm; }
footer { margin-top: 5mm; border-top: 1px solid var(--rule); padding-top: 1.5mm;
  color: var(--muted); font-size: 0.8rem; }
@page { size: A4; margin: 13mm 13mm 13mm; }
@media print {
  html { font-size: 8.5pt; }
  body { max-width: none; padding: 0; }
  section.new-page { break-before: page; page-break-before: always; }
  section#profile figure { max-width: 150mm; margin: 0 auto; }
  section#resources figure#network-map { float: right; width: 75mm; margin: 0 0 2mm 4mm; }
  section#resources::after { content: ""; display: block; clear: both; }
  figcaption, table.profile-table { display: none; }
  h2, h3, p.strong, tr.group { break-after: avoid; page-break-after: avoid; }
  tr, .alert, .verdict, figure, blockquote, dl.facts, li {
    break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _css_string(text: str) -> str:
    """Text as a CSS string: every character outside printable ASCII, and quotes, escaped."""
    escaped = "".join(
        char if " " <= char <= "~" and char not in '"\\<>' else f"\\{ord(char):06x}"
        for char in _plain(text)
    )
    return f'"{escaped}"'


def _page_css(document: _Document) -> str:
    """Case, assessment and date atop every printed page, the page number below.

    CSS page-margin boxes (Chromium 131+, Safari 18.2+); other browsers print their own
    header and footer instead.
    """
    if not document.running and not document.page_number:
        return ""
    boxes = []
    if document.running:
        boxes.append(f"@top-left {{ content: {_css_string(document.running)}; }}")
    if document.page_number:
        parts = re.split(r"\{(page|pages)\}", document.page_number)
        content = " ".join(
            f"counter({part})" if position % 2 else _css_string(part)
            for position, part in enumerate(parts)
            if part
        )
        boxes.append(f"@bottom-right {{ content: {content}; }}")
    style = "font-size: 8pt; color: #56636e; font-family: sans-serif;"
    return "@page { " + " ".join(b.replace("; }", f"; {style} }}") for b in boxes) + " }\n"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _bdi(escaped: str) -> str:
    return f"<bdi>{escaped}</bdi>"


def _unbroken(escaped: str) -> str:
    return f'<span class="id">{escaped}</span>'


def _esc(text: str) -> str:
    """Text as inert HTML; line breaks become ``<br>``, document text is isolated in ``<bdi>``.

    Identifiers stand in ``<span class="id">``, which the style sheet never breaks.
    """
    return _isolated_lines(text, _bdi, "<br>", _escape, _unbroken)


def _svg_isolate(escaped: str) -> str:
    return f"{_FSI}{escaped}{_PDI}"


def _svg_esc(text: str) -> str:
    """Text for SVG, which has no ``<bdi>``: document text between FSI and PDI."""
    return _isolated_lines(text, _svg_isolate, " ", _escape)


def _html(document: _Document) -> str:
    lang = document.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(_plain(document.title))}</title>",
        f"<style>{_CSS}{_page_css(document)}</style>",
        "</head>",
        "<body>",
        '<header class="doc">',
        f"<h1>{_esc(document.title)}</h1>",
        f'<p class="subtitle">{_esc(document.subtitle)}</p>',
    ]
    parts.extend(_html_block(block) for block in document.header if not isinstance(block, _Alert))
    parts.append("</header>")
    parts.extend(_html_block(block) for block in document.header if isinstance(block, _Alert))
    parts.append("<main>")
    for section in document.sections:
        cls = ' class="new-page"' if section.new_page else ""
        parts.append(f'<section id="{section.id}"{cls}>')
        parts.append(f"<h2>{_esc(section.title)}</h2>")
        parts.extend(_html_block(block) for block in section.blocks)
        parts.append("</section>")
    parts.extend(
        ["</main>", f"<footer><p>{_esc(document.footer)}</p></footer>", "</body>", "</html>"]
    )
    return "\n".join(parts) + "\n"


def _html_table(table: _Table) -> str:
    cls = f' class="{table.style}"' if table.style else ""
    head = "".join(f'<th scope="col">{_esc(cell)}</th>' for cell in table.header)
    body = "\n".join(_html_row(row, len(table.header)) for row in table.rows)
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def _html_row(row: Sequence[str], width: int) -> str:
    """A table row; a row of one cell heads the group of rows below it."""
    if len(row) == 1 and width > 1:
        return f'<tr class="group"><th colspan="{width}" scope="rowgroup">{_esc(row[0])}</th></tr>'
    return "<tr>" + "".join(f"<td>{_esc(cell)}</td>" for cell in row) + "</tr>"


def _html_block(block: _Block) -> str:
    if isinstance(block, _Para):
        if block.style == "quote":
            return f"<blockquote><p>{_esc(block.text)}</p></blockquote>"
        cls = "" if block.style == "p" else f' class="{block.style}"'
        return f"<p{cls}>{_esc(block.text)}</p>"
    if isinstance(block, _Facts):
        rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in block.rows)
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(block, _Table):
        return _html_table(block)
    if isinstance(block, _List):
        tag = "ol" if block.ordered else "ul"
        cls = f' class="{block.style}"' if block.style else ""
        return (
            f"<{tag}{cls}>"
            + "".join(f"<li>{_esc(item)}</li>" for item in block.items)
            + f"</{tag}>"
        )
    if isinstance(block, _Alert):
        items = "".join(f"<li>{_esc(line)}</li>" for line in block.lines)
        title = f"<h2>{_esc(block.title)}</h2>"
        return f'<div class="alert" role="alert" id="acute">{title}<ul>{items}</ul></div>'
    if isinstance(block, _Heading):
        return f"<h3>{_esc(block.text)}</h3>"
    if isinstance(block, _Verdict):
        return _html_verdict(block)
    if isinstance(block, NetworkMap):
        return _html_network(block)
    return _svg_figure(block)


def _html_network(network: NetworkMap) -> str:
    """The network map as a figure (the resource table above names every node in words)."""
    return (
        f'<figure id="network-map">\n{network_svg(network, _tag)}\n'
        f"<figcaption>{_esc(network.description)}</figcaption>\n</figure>"
    )


def _html_verdict(verdict: _Verdict) -> str:
    """The outcome box, coloured by its traffic light; the light is also named in words."""
    light = f" light-{verdict.light}" if verdict.light else ""
    rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in verdict.facts)
    return (
        f'<div class="verdict{light}" id="verdict"><p class="final">{_esc(verdict.final)}</p>'
        f'<dl class="facts">{rows}</dl></div>'
    )


# The chart's geometry, in SVG user units.
_WIDTH, _PITCH, _TOP, _BAR = 720, 32, 44, 14
_CENTER, _HALF = 360, Decimal(310)


def _num(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=_CONTEXT), "f")


def _tag(name: str, text: str | None = None, /, **attributes: object) -> str:
    """One SVG element; ``font_size`` becomes ``font-size``. Text is escaped."""
    attributes_text = "".join(
        f' {key.replace("_", "-")}="{html.escape(str(value), quote=True)}"'
        for key, value in attributes.items()
    )
    if text is None:
        return f"<{name}{attributes_text}/>"
    return f"<{name}{attributes_text}>{_svg_esc(text)}</{name}>"


_RISK, _PROTECT, _MUTED, _GRID = "#b0502a", "#2c7a6a", "#56636e", "#d3dae0"


def _svg_bars(y: int, value: _SideValue | None, direction: int) -> list[str]:
    """The known part (solid) and the unknown part (hatched) of one side of one domain."""
    if value is None:
        return []
    colour, hatch = (_RISK, "risk") if direction < 0 else (_PROTECT, "protect")
    known = value.known * _HALF
    unknown = value.unknown * _HALF
    bars = []
    if known:
        x = _CENTER - known if direction < 0 else Decimal(_CENTER)
        bars.append(_tag("rect", x=_num(x), y=y, width=_num(known), height=_BAR, fill=colour))
    if unknown:
        x = _CENTER - known - unknown if direction < 0 else _CENTER + known
        bars.append(
            _tag(
                "rect",
                x=_num(x),
                y=y,
                width=_num(unknown),
                height=_BAR,
                fill=f"url(#hatch-{hatch})",
                stroke=colour,
                stroke_width="0.8",
            )
        )
    return bars


def _hatch(name: str, background: str, colour: str) -> str:
    return (
        f'<pattern id="hatch-{name}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{background}"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{colour}" stroke-width="1.6"/></pattern>'
    )


def _svg_figure(chart: _Chart) -> str:
    """The diverging bar chart: risks to the left, strengths to the right, one scale."""
    rows = chart.rows
    bottom = _TOP + len(rows) * _PITCH - 8
    height = bottom + 30
    risk_word, protect_word, unknown_word = chart.words
    out = [
        '<figure id="profile-chart">',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_WIDTH} {height}" '
        'aria-labelledby="chart-title chart-desc" font-size="13">',
        _tag("title", chart.title, id="chart-title"),
        _tag("desc", chart.description, id="chart-desc"),
        "<defs>",
        _hatch("risk", "#f6e6de", _RISK),
        _hatch("protect", "#dff0eb", _PROTECT),
        "</defs>",
        _tag("text", f"◀ {risk_word}", x=_CENTER - 8, y=14, text_anchor="end", fill=_RISK),
        _tag("text", f"{protect_word} ▶", x=_CENTER + 8, y=14, fill=_PROTECT),
    ]
    for step in range(-4, 5):
        x = _num(_CENTER + step * _CONTEXT.divide(_HALF, Decimal(4)))
        out.append(
            _tag(
                "line",
                x1=x,
                y1=_TOP - 12,
                x2=x,
                y2=bottom,
                stroke="#1d2730" if step == 0 else _GRID,
                stroke_width="1.2" if step == 0 else "0.7",
            )
        )
        anchor = "start" if step == -4 else "end" if step == 4 else "middle"
        text = f"{abs(step) * 25} %"
        out.append(
            _tag("text", text, x=x, y=_TOP - 16, text_anchor=anchor, font_size="9.5", fill=_MUTED)
        )
    for position, row in enumerate(rows):
        y = _TOP + position * _PITCH
        label = _plain(row.label)
        label = _free(label if len(label) <= 70 else label[:69] + "…")
        out.append(_tag("text", label, x=4, y=y + 8, fill="#1d2730"))
        if row.risk is not None:
            risk = _short(row.risk)
            out.append(_tag("text", risk, x=4, y=y + 24, font_size=10, fill=_RISK))
        if row.protective is not None:
            protect = _short(row.protective)
            out.append(
                _tag(
                    "text",
                    protect,
                    x=_WIDTH - 4,
                    y=y + 24,
                    text_anchor="end",
                    font_size=10,
                    fill=_PROTECT,
                )
            )
        out.extend(_svg_bars(y + 13, row.risk, -1))
        out.extend(_svg_bars(y + 13, row.protective, 1))
    legend = bottom + 20
    swatch: dict[str, object] = {"y": legend - 9, "width": 12, "height": 10}
    out.extend(
        [
            _tag("rect", x=4, fill=_RISK, **swatch),
            _tag("text", risk_word, x=20, y=legend, font_size="10"),
            _tag("rect", x=110, fill=_PROTECT, **swatch),
            _tag("text", protect_word, x=126, y=legend, font_size="10"),
            _tag("rect", x=220, fill="url(#hatch-risk)", stroke=_RISK, **swatch),
            _tag("rect", x=234, fill="url(#hatch-protect)", stroke=_PROTECT, **swatch),
            _tag("text", unknown_word, x=250, y=legend, font_size="10"),
            "</svg>",
            f"<figcaption>{_esc(chart.description)}</figcaption>",
            "</figure>",
            _html_table(chart.table),
        ]
    )
    return "\n".join(out)


def _short(value: _SideValue) -> str:
    text = f"{_percent(value.known)} %"
    return f"{text} +?" if value.unknown else text


# --- Markdown -----------------------------------------------------------------------------

_MD_ESCAPES = str.maketrans(
    {
        **{char: "\\" + char for char in "\\`*_[]|~#!@"},
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)


def _md(text: str) -> str:
    """Text as inert Markdown on one line: no HTML, links, emphasis or cell breaks.

    Line breaks become ``<br>``; ``://`` and ``www.`` are broken up so that extended
    Markdown does not turn them into links.
    """
    lines = []
    for line in text.split("\n"):
        escaped = _one_line(line).translate(_MD_ESCAPES)
        lines.append(escaped.replace("://", "\\://").replace("www.", "www\\."))
    return "<br>".join(line for line in lines if line)


def _md_table(table: _Table) -> list[str]:
    """A pipe table; a group heading (a row of one cell) in bold, the other cells empty."""
    width = len(table.header)

    def row(cells: Sequence[str]) -> str:
        if len(cells) == 1 and width > 1:
            return f"| **{_md(cells[0])}** |" + "   |" * (width - 1)
        return "| " + " | ".join(_md(cell) or " " for cell in cells) + " |"

    return (
        [row(table.header), "| " + " | ".join("---" for _ in table.header) + " |"]
        + [row(cells) for cells in table.rows]
        + [""]
    )


def _md_block(block: _Block) -> list[str]:
    if isinstance(block, _Para):
        if block.style == "quote":
            return [f"> {_md(block.text)}", ""]
        if block.style == "strong":
            return [f"**{_md(block.text)}**", ""]
        if block.style == "note":
            return [f"_{_md(block.text)}_", ""]
        return [_md(block.text), ""]
    if isinstance(block, _Facts):
        return [f"- **{_md(key)}:** {_md(value)}" for key, value in block.rows] + [""]
    if isinstance(block, _Table):
        return _md_table(block)
    if isinstance(block, _List):
        return [
            f"{number}. {_md(item)}" if block.ordered else f"- {_md(item)}"
            for number, item in enumerate(block.items, start=1)
        ] + [""]
    if isinstance(block, _Alert):
        return (
            [f"> **{_md(block.title)}**", ">"] + [f"> - {_md(line)}" for line in block.lines] + [""]
        )
    if isinstance(block, _Heading):
        return [f"### {_md(block.text)}", ""]
    if isinstance(block, _Verdict):
        facts = [f"- **{_md(key)}:** {_md(value)}" for key, value in block.facts]
        return [f"**{_md(block.final)}**", "", *facts, ""]
    if isinstance(block, NetworkMap):
        return [f"_{_md(block.description)}_", ""]
    return _md_table(block.table)


def _markdown(document: _Document) -> str:
    lines = [f"# {_md(document.title)}", "", f"_{_md(document.subtitle)}_", ""]
    for block in document.header:
        lines.extend(_md_block(block))
    for section in document.sections:
        lines.extend([f"## {_md(section.title)}", ""])
        for block in section.blocks:
            lines.extend(_md_block(block))
    lines.extend(["---", "", f"_{_md(document.footer)}_"])
    return "\n".join(lines).rstrip("\n") + "\n"
