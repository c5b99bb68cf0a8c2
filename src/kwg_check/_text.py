"""A readable overview of a summary for a terminal.

Labels come from the instrument in the chosen language; the overview's own words exist in
German and English. Free text from the assessment never appears: the summary holds none.
"""

from __future__ import annotations

from ._model import Instrument, Summary
from ._model._types import LocalizedText, format_decimal
from ._types import Lang

__all__ = ["render_summary_text"]

_WORDS: dict[str, dict[Lang, str]] = {
    "assessment": {"de": "Einschätzung", "en": "Assessment"},
    "case": {"de": "Fall", "en": "case"},
    "age": {"de": "Alter in Monaten", "en": "age in months"},
    "outcome": {"de": "Ergebnis", "en": "Outcome"},
    "computed": {"de": "berechnet", "en": "computed"},
    "final": {"de": "abschließend", "en": "final"},
    "not_assessable": {
        "de": "nicht einschätzbar (zu wenig bekannt)",
        "en": "not assessable (too little is known)",
    },
    "judgement": {"de": "fachliche Gesamteinschätzung", "en": "professional judgement"},
    "none": {"de": "keines", "en": "none"},
    "policy": {"de": "Vorgabe", "en": "policy override"},
    "floor": {"de": "Untergrenze durch Gefährdungsmerkmale", "en": "floor set by raised flags"},
    "override": {"de": "Abweichung durch Fachkraft", "en": "override by"},
    "final_rating": {"de": "Einschätzung durch Fachkraft", "en": "final rating by"},
    "levels": {"de": "Stufen", "en": "levels"},
    "statistic": {"de": "Statistik § 99 SGB VIII", "en": "§ 99 SGB VIII statistic"},
    "forms": {"de": "Gefährdungsformen", "en": "Forms of endangerment"},
    "flags": {"de": "Ausgelöste Merkmale", "en": "Raised flags"},
    "indices": {"de": "Indizes", "en": "Indices"},
    "resources": {
        "de": "Ressourcen (verfügbar/nicht verfügbar)",
        "en": "Resources (available/not)",
    },
    "completeness": {"de": "Vollständigkeit", "en": "Completeness"},
    "known": {"de": "bekannt", "en": "known"},
    "minimum": {"de": "Mindestwert", "en": "minimum"},
    "unknown": {"de": "Unbekannt", "en": "Unknown"},
    "range": {"de": "mögliche Ergebnisse", "en": "possible outcomes"},
    "clarify": {"de": "Zuerst klären", "en": "Clarify first"},
    "checks": {"de": "Verfahrensprüfungen", "en": "Process checks"},
    "warnings": {"de": "Hinweise", "en": "Warnings"},
}

_RESOURCE_WORDS: dict[str, dict[Lang, str]] = {
    "personal": {"de": "persönlich", "en": "personal"},
    "family": {"de": "Familie", "en": "family"},
    "social_network": {"de": "soziales Netz", "en": "social network"},
    "material": {"de": "materiell", "en": "material"},
    "infrastructural": {"de": "Sozialraum", "en": "neighbourhood"},
}


def _label(text: LocalizedText | None, fallback: str, lang: Lang) -> str:
    if text is None:
        return fallback
    return text.de if lang == "de" else text.en


def render_summary_text(summary: Summary, instrument: Instrument, lang: Lang) -> str:
    """Render the summary as plain text lines (the instrument gives the labels)."""

    def word(key: str) -> str:
        return _WORDS[key][lang]

    outcomes = {outcome.id: outcome for outcome in instrument.outcomes}
    flags = {flag.id: flag for flag in instrument.flags}
    indices = {index.id: index for index in instrument.indices}
    items = {item.id: item for item in instrument.items}

    def outcome_name(outcome_id: str | None) -> str:
        if outcome_id is None:
            return "—"
        return f"{_label(outcomes[outcome_id].label, outcome_id, lang)} [{outcome_id}]"

    subject = summary.assessment
    out = summary.outcome
    lines = [
        f"{_label(instrument.title, instrument.id, lang)} ({instrument.id} {instrument.version})",
        f"{word('assessment')} {subject.id}, {word('case')} {subject.case_id}, "
        f"{subject.assessment_date.isoformat()}, {word('age')} {subject.age_months}",
        "",
    ]
    raised = [flag for flag in summary.flags if flag.raised]
    acute = [flag for flag in raised if flag.severity == "acute"]
    if acute:
        names = ", ".join(_label(flags[f.id].label, f.id, lang) for f in acute)
        lines.append(f"!! {word('flags')}: {names}")
    if out.status == "not_assessable":
        lines.append(f"{word('outcome')}: {word('not_assessable')}")
    elif out.status == "judgement":
        lines.append(f"{word('outcome')} ({word('judgement')}): {outcome_name(out.final)}")
    else:
        lines.append(
            f"{word('outcome')}: {word('computed')} {outcome_name(out.computed)}"
            f" → {word('final')} {outcome_name(out.final)}"
        )
    policies = {policy.id: policy for policy in instrument.policy_overrides}
    for step in summary.trace:
        if step.kind == "policy_override" and step.id in policies:
            name = _label(policies[step.id].rationale, step.id, lang)
            lines.append(f"  {word('policy')} [{step.id}]: {name}")
    if out.floor is not None:
        lines.append(f"  {word('floor')}: {outcome_name(out.floor)}")
    if out.override is not None:
        key = "override" if out.override.kind == "discretionary_override" else "final_rating"
        moved = f" ({out.override.levels:+d} {word('levels')})" if out.override.levels else ""
        lines.append(f"  {word(key)} {out.override.author}{moved}")
    if out.traffic_light or out.statistic_category:
        lines.append(
            f"  {out.traffic_light or ''} · {word('statistic')}: {out.statistic_category or '—'}"
        )
    if out.forms_of_endangerment:
        lines.append(f"{word('forms')}: {', '.join(out.forms_of_endangerment)}")
    if raised:
        lines.append(f"{word('flags')}:")
        lines.extend(
            f"  {flag.severity:<8} {_label(flags[flag.id].label, flag.id, lang)}" for flag in raised
        )
    if summary.indices:
        lines.append(f"{word('indices')}:")
        for result in summary.indices:
            value = "—" if result.value is None else format_decimal(result.value)
            band = f"  {result.band}" if result.band else ""
            label = _label(indices[result.id].label, result.id, lang)
            lines.append(f"  {result.side:<10} {label}: {value}{band}")
    lines.append(
        f"{word('resources')}: "
        + ", ".join(
            f"{_RESOURCE_WORDS[r.category][lang]} {r.available}/{r.unavailable}"
            for r in summary.resources
        )
    )
    done = summary.completeness
    minimum = (
        f"; {word('minimum')} {format_decimal(done.minimum)}" if done.minimum is not None else ""
    )
    lines.append(
        f"{word('completeness')}: {done.known}/{done.applicable} {word('known')} "
        f"({format_decimal(done.ratio)}{minimum})"
    )
    unknowns = summary.unknowns
    if unknowns.items:
        lines.append(f"{word('unknown')}: {', '.join(unknowns.items)}")
        if unknowns.range.lowest is not None:
            lines.append(
                f"  {word('range')}: {outcome_name(unknowns.range.lowest)} … "
                f"{outcome_name(unknowns.range.highest)} ({unknowns.range.method})"
            )
        if unknowns.clarify_first:
            names = ", ".join(
                f"{_label(items[i].label, i, lang)} [{i}]" for i in unknowns.clarify_first
            )
            lines.append(f"  {word('clarify')}: {names}")
    if summary.process_checks:
        lines.append(f"{word('checks')}:")
        lines.extend(
            f"  {check.result:<14} {check.id} ({check.legal_reference})"
            for check in summary.process_checks
        )
    if summary.warnings:
        lines.append(f"{word('warnings')}:")
        lines.extend(
            f"  {warning.pointer}: {warning.code}: {warning.reason}" for warning in summary.warnings
        )
    return "\n".join(lines) + "\n"
