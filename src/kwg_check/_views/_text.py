"""A readable overview of a summary for a terminal.

Labels come from the instrument in the chosen language; the overview's own words exist in
German and English. Free text from the assessment never appears: the summary holds none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from .._model import Instrument, Item, Summary
from .._model._types import LocalizedText
from .._types import Lang
from .._vocabulary import format_date, format_number, label, localized, render_warning, word

__all__ = ["render_summary_text"]


def _label(text: LocalizedText | None, fallback: str, texts: str) -> str:
    """An instrument's text in ``texts``, the language of its texts (see ``text_language``)."""
    return fallback if text is None else localized(text, texts)


def _unanswered(summary: Summary, instrument: Instrument, lang: Lang, texts: str) -> list[str]:
    """The concerns no available resource answers yet: the protection plan's gaps."""
    plan = summary.protection
    if plan is None or not plan.unanswered:
        return []
    domains = {domain.id: domain for domain in instrument.domains}
    names = ", ".join(
        f"{_label(domains[d].label if d in domains else None, d, texts)} [{d}]"
        for d in plan.unanswered
    )
    return [f"{word('text.unanswered', lang)}: {names}"]


def _subject_line(summary: Summary, lang: Lang) -> str:
    """Assessment, case, date, and the subject's age and kind where it has them."""
    subject = summary.assessment
    parts = [
        f"{word('text.assessment', lang)} {subject.id}",
        f"{word('text.case', lang)} {subject.case_id}",
        format_date(subject.assessment_date, lang),
    ]
    if subject.age_months is not None:
        parts.append(f"{word('text.age', lang)} {subject.age_months}")
    if subject.subject_kind is not None:
        kind = label("subject", subject.subject_kind, lang)
        parts.append(f"{word('text.subject', lang)}: {kind}")
    return ", ".join(parts)


def _members_line(summary: Summary, lang: Lang) -> list[str]:
    """The members of a family subject, pseudonymously, with role and age."""
    members = summary.assessment.members
    if not members:
        return []
    shown = [
        word("text.member", lang, id=m.id, role=label("member", m.role, lang), n=m.age_months)
        for m in members
    ]
    return [f"{word('text.members', lang)}: {', '.join(shown)}"]


def result_lines(
    summary: Summary, instrument: Instrument, lang: Lang, texts: str | None = None
) -> list[str]:
    """The further results: each value by label and id, with the values the unknowns allow
    and what to clarify first (shared by the text and the report, which indent alike)."""
    texts = texts or lang
    lines: list[str] = []
    definitions = {result.id: result for result in instrument.results}
    items = {item.id: item for item in instrument.items}
    for entry in summary.results or ():
        result = definitions[entry.id]
        names = {value.id: _label(value.label, value.id, texts) for value in result.outcomes}
        lines.append(
            f"{_label(result.label, entry.id, texts)}: {names[entry.value]} [{entry.value}]"
        )
        if entry.range is not None:
            low, high = entry.range.lowest, entry.range.highest
            lines.append(
                _range_line(
                    word("text.result_range", lang),
                    f"{names[low]} [{low}]",
                    f"{names[high]} [{high}]",
                    entry.range.method,
                    lang,
                )
            )
        if entry.clarify_first:
            lines.append(_clarify_line(entry.clarify_first, items, lang, texts))
    return lines


def _range_line(title: str, lowest: str, highest: str, method: str, lang: Lang) -> str:
    """What the unknowns allow, from ``lowest`` to ``highest``, and how it was found."""
    return f"  {title}: {lowest} … {highest} ({label('range_method', method, lang)})"


def _clarify_line(ids: Sequence[str], items: Mapping[str, Item], lang: Lang, texts: str) -> str:
    """The unknown items to clarify first, by label and id."""
    names = ", ".join(f"{_label(items[i].label, i, texts)} [{i}]" for i in ids)
    return f"  {word('text.clarify', lang)}: {names}"


def render_summary_text(
    summary: Summary, instrument: Instrument, lang: Lang, texts: str | None = None
) -> str:
    """Render the summary as plain text lines (the instrument gives the labels, in
    ``texts``: its own language when the library's words fall back to English)."""
    texts = texts or lang

    def w(key: str) -> str:
        return word(f"text.{key}", lang)

    def num(value: Decimal) -> str:
        return format_number(value, lang)

    outcomes = {outcome.id: outcome for outcome in instrument.outcomes}
    flags = {flag.id: flag for flag in instrument.flags}
    indices = {index.id: index for index in instrument.indices}
    items = {item.id: item for item in instrument.items}
    checks = {check.id: check for check in instrument.process_checks}

    def band_name(index_id: str, band_id: str) -> str:
        for band in indices[index_id].bands or ():
            if band.id == band_id:
                return _label(band.label, band_id, texts)
        return band_id

    def outcome_name(outcome_id: str | None) -> str:
        if outcome_id is None:
            return "—"
        return f"{_label(outcomes[outcome_id].label, outcome_id, texts)} [{outcome_id}]"

    def item_name(kind: str, ident: str, params: Mapping[str, object]) -> str:
        """A warning names items by label and id, like the rest of the text."""
        if kind == "item" and ident in items:
            return f"{_label(items[ident].label, ident, texts)} [{ident}]"
        return ident

    out = summary.outcome
    lines = [
        f"{_label(instrument.title, instrument.id, texts)} ({instrument.id} {instrument.version})",
        _subject_line(summary, lang),
        *_members_line(summary, lang),
        "",
    ]
    raised = [flag for flag in summary.flags if flag.raised]
    acute = [flag for flag in raised if flags[flag.id].severity == "acute"]
    if acute:
        names = ", ".join(_label(flags[f.id].label, f.id, texts) for f in acute)
        lines.append(f"!! {w('flags')}: {names}")
    if out.status == "not_assessable":
        lines.append(f"{w('outcome')}: {w('not_assessable')}")
    elif out.status == "judgement":
        lines.append(f"{w('outcome')} ({w('judgement')}): {outcome_name(out.final)}")
    else:
        lines.append(
            f"{w('outcome')}: {w('computed')} {outcome_name(out.computed)}"
            f" → {w('final')} {outcome_name(out.final)}"
        )
    policies = {policy.id: policy for policy in instrument.policy_overrides}
    for step in summary.trace:
        if step.kind == "policy_override" and step.id in policies:
            name = _label(policies[step.id].rationale, step.id, texts)
            lines.append(f"  {w('policy')} [{step.id}]: {name}")
    if out.floor is not None:
        lines.append(f"  {w('floor')}: {outcome_name(out.floor)}")
    if out.override is not None:
        key = "override" if out.override.kind == "discretionary_override" else "final_rating"
        moved = f" ({out.override.levels:+d} {w('levels')})" if out.override.levels else ""
        lines.append(f"  {w(key)} {out.override.author}{moved}")
    if out.traffic_light or out.statistic_category:
        lines.append(
            f"  {label('traffic', out.traffic_light, lang) if out.traffic_light else ''} · "
            f"{w('statistic')}: "
            f"{label('category', out.statistic_category, lang) if out.statistic_category else '—'}"
        )
    lines.extend(result_lines(summary, instrument, lang, texts))
    if out.forms_of_endangerment:
        forms = ", ".join(label("form", form, lang) for form in out.forms_of_endangerment)
        lines.append(f"{w('forms')}: {forms}")
    if raised:
        lines.append(f"{w('flags')}:")
        lines.extend(
            f"  {label('severity', flags[flag.id].severity, lang):<8} "
            f"{_label(flags[flag.id].label, flag.id, texts)}"
            for flag in raised
        )
    if summary.indices:
        lines.append(f"{w('indices')}:")
        spans = {r.id: r for r in summary.unknowns.indices or ()}
        for result in summary.indices:
            value = "—" if result.value is None else num(result.value)
            band = f"  {band_name(result.id, result.band)}" if result.band else ""
            name = _label(indices[result.id].label, result.id, texts)
            span = spans.get(result.id)
            if span is not None and span.lowest != span.highest:
                low = "—" if span.lowest is None else num(span.lowest)
                high = "—" if span.highest is None else num(span.highest)
                band += f"  ({w('index_range')} {low} … {high})"
            lines.append(
                f"  {label('side', indices[result.id].side, lang):<10} {name}: {value}{band}"
            )
    lines.append(
        f"{w('resources')}: "
        + ", ".join(
            f"{label('resource', r.category, lang)} {r.available}/{r.unavailable}"
            for r in summary.resources
        )
    )
    lines.extend(_unanswered(summary, instrument, lang, texts))
    done = summary.completeness
    minimum = f"; {w('minimum')} {num(done.minimum)}" if done.minimum is not None else ""
    lines.append(
        f"{w('completeness')}: {done.known}/{done.applicable} {w('known')} "
        f"({num(done.ratio)}{minimum})"
    )
    unknowns = summary.unknowns
    if unknowns.items:
        names = ", ".join(_label(items[i].label, i, texts) for i in unknowns.items)
        lines.append(f"{w('unknown')}: {names}")
        if unknowns.range.lowest is not None:
            lines.append(
                _range_line(
                    w("range"),
                    outcome_name(unknowns.range.lowest),
                    outcome_name(unknowns.range.highest),
                    unknowns.range.method,
                    lang,
                )
            )
        if unknowns.clarify_first:
            lines.append(_clarify_line(unknowns.clarify_first, items, lang, texts))
    if summary.process_checks:
        lines.append(f"{w('checks')}:")
        results = [label("check_result", check.result, lang) for check in summary.process_checks]
        width = max(map(len, results))
        lines.extend(
            f"  {result:<{width}} "
            f"{_label(checks[check.id].label, check.id, texts)} "
            f"({checks[check.id].legal_reference})"
            for result, check in zip(results, summary.process_checks, strict=True)
        )
    if summary.warnings:
        lines.append(f"{w('warnings')}:")
        lines.extend(
            f"  {warning.pointer}: {warning.code}: {render_warning(warning, lang, item_name)}"
            for warning in summary.warnings
        )
    return "\n".join(lines) + "\n"
