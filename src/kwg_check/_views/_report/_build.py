"""Building the report's document from a scored assessment: the decision first, then details.

Views only render: the summary, the instrument and the comparison come in already computed
(the API layer resolves, scores and compares).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import get_args

import attrs

from ..._model import Assessment, Instrument, Summary
from ..._model.assessment import Answer, Resource, ResourceCategory
from ..._model.instrument import Item, Scale
from ..._model.summary import ItemResult
from ..._types import Lang
from ..._version import __version__
from ..._vocabulary import plural
from .._compare import Change, Comparison
from ._document import (
    _CONTEXT,
    _SIDES,
    _Alert,
    _Block,
    _Chart,
    _Document,
    _Facts,
    _free,
    _Heading,
    _ident,
    _List,
    _one_line,
    _Para,
    _percent,
    _ProfileRow,
    _Section,
    _SideValue,
    _Table,
    _Verdict,
)
from ._labels import _Labels
from ._network import SECTORS, NetworkMap, NetworkNode


def _build(
    assessment: Assessment,
    summary: Summary,
    instrument: Instrument,
    lang: Lang,
    comparison: Comparison | None,
    trace: bool,
    resolved: Sequence[Assessment] = (),
    *,
    texts: str | None = None,
) -> _Document:
    """The decision first (page 1 in print), then the details, then the appendix; the
    instrument's texts in ``texts`` (default: ``lang``)."""
    labels = _Labels([instrument], lang, texts)
    header: list[_Block] = [_Facts(tuple(_header_facts(assessment, summary, instrument, labels)))]
    if instrument.disclaimer is not None:
        disclaimer = f"{labels.w('disclaimer')}: {labels.t(instrument.disclaimer)}"
        header.append(_Para(disclaimer, "note"))
    flags = {flag.id: flag for flag in instrument.flags}
    acute = [flags[f.id] for f in summary.flags if f.raised and flags[f.id].severity == "acute"]
    if acute:
        lines = [labels.flag(flag.id) for flag in acute]
        floors = [f.minimum_outcome for f in acute if f.minimum_outcome is not None]
        if summary.outcome.floor is not None or floors:
            floor = summary.outcome.floor or floors[0]
            lines.append(labels.w("acute.floor", outcome=labels.outcome(floor)))
        header.append(_Alert(labels.w("acute.title"), tuple(lines)))
    details = [
        _resource_section(assessment, summary, labels),
        _unknown_section(summary, instrument, labels),
        _process_section(assessment, summary, instrument, labels),
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
    flags = {flag.id: flag for flag in instrument.flags}
    raised = [flags[f.id] for f in summary.flags if f.raised and flags[f.id].severity != "acute"]
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


def _further_results(summary: Summary, labels: _Labels) -> list[_Block]:
    """Each further result beside the outcome: its value, the values the unknowns allow and
    what to clarify first for it (the same facts the text overview prints)."""
    if not summary.results:
        return []
    facts: list[tuple[str, str]] = []
    for entry in summary.results:
        lines = [labels.result_value(entry.id, entry.value)]
        if entry.range is not None:
            low = labels.result_value(entry.id, entry.range.lowest)
            high = labels.result_value(entry.id, entry.range.highest)
            span = labels.w("result.range", low=low, high=high)
            if entry.range.method == "conservative":  # an exact range needs no caveat
                span += f"; {labels.label('range_method', entry.range.method)}"
            lines.append(span)
        if entry.clarify_first:
            items = ", ".join(labels.item(i) for i in entry.clarify_first)
            lines.append(labels.w("result.clarify", items=items))
        facts.append((labels.result(entry.id), "\n".join(lines)))
    return [_Heading(labels.w("results")), _Facts(tuple(facts))]


def _failed_checks(summary: Summary, instrument: Instrument, labels: _Labels) -> list[_Block]:
    """The process checks not met, with their legal reference: a fault in the procedure."""
    if not summary.process_checks:
        return []
    failed = [check for check in summary.process_checks if check.result == "fail"]
    blocks: list[_Block] = [_Heading(labels.w("checks.failed"))]
    if not failed:
        return [*blocks, _Para(labels.w("checks.all_met"))]
    laws = {check.id: check.legal_reference for check in instrument.process_checks}
    lines = tuple(
        f"{labels.check(c.id)} ({_free(laws[c.id])}): {labels.message(c.reason)}" for c in failed
    )
    return [*blocks, _List(lines)]


def _decision_section(
    assessment: Assessment, summary: Summary, instrument: Instrument, labels: _Labels
) -> _Section:
    """Page 1: everything a decision rests on, before any detail."""
    blocks: list[_Block] = [_verdict(assessment, summary, instrument, labels)]
    blocks.extend(_further_results(summary, labels))
    blocks.extend(_open_questions(summary, labels))
    blocks.extend(_failed_checks(summary, instrument, labels))
    meaning = next(
        (o.description for o in instrument.outcomes if o.id == summary.outcome.final), None
    )
    if meaning is not None:
        blocks.extend([_Heading(labels.w("meaning")), _Para(labels.t(meaning))])
    blocks.append(_Para(labels.w("support"), "note"))
    return _Section("decision", labels.w("section.outcome"), tuple(blocks))


def _item_bounds(item: Item, scale: Scale) -> tuple[Decimal, Decimal]:
    """The lowest and highest points an item can count."""
    points = [level.points or Decimal(0) for level in scale.levels]
    if item.response == "multiple" and item.combine == "sum":
        return min([Decimal(0), *points]), sum((p for p in points if p > 0), Decimal(0))
    return min(points), max(points)


def _profile_rows(summary: Summary, instrument: Instrument, labels: _Labels) -> list[_ProfileRow]:
    kinds = {"risk": ("risk", "safety"), "protective": ("protective",)}
    defined = {item.id: item for item in instrument.items}
    rows = []
    for domain in instrument.domains:
        values: dict[str, _SideValue | None] = {}
        for side in _SIDES:
            results = [
                r
                for r in summary.items
                if defined[r.id].domain == domain.id
                and defined[r.id].kind in kinds[side]
                and r.status != "not_applicable"
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
        blocks.extend([_Heading(labels.w("indices")), _index_table(summary, instrument, labels)])
    return _Section("profile", labels.w("section.profile"), tuple(blocks))


def _index_table(summary: Summary, instrument: Instrument, labels: _Labels) -> _Table:
    """Every index with its value and band; under unknowns also the lowest and highest
    value the completions give it (the total of 7 that could be 9)."""
    sides = {index.id: index.side for index in instrument.indices}
    header = (labels.w("index"), labels.w("side"), labels.w("value"), labels.w("band"))
    rows = [
        (
            labels.index(index.id),
            labels.label("side", sides[index.id]),
            labels.num(index.value),
            labels.band(index.id, index.band),
        )
        for index in summary.indices
    ]
    ranges = summary.unknowns.indices
    if ranges is None:
        return _Table(header, tuple(rows))
    spans = {
        span.id: labels.w(
            "index.range.value", low=labels.num(span.lowest), high=labels.num(span.highest)
        )
        for span in ranges
    }
    return _Table(
        (*header, labels.w("index.range")),
        tuple(
            (*row, spans.get(index.id, "—"))
            for row, index in zip(rows, summary.indices, strict=True)
        ),
    )


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


def _unknown_section(summary: Summary, instrument: Instrument, labels: _Labels) -> _Section:
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
    domains = {item.id: item.domain for item in instrument.items}
    lines = []
    for ident in unknowns.items:
        line = labels.item(ident)
        if ident in status:
            domain = labels.domain(domains[ident])
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


def _process_section(
    assessment: Assessment, summary: Summary, instrument: Instrument, labels: _Labels
) -> _Section:
    blocks: list[_Block] = []
    if summary.process_checks:
        laws = {check.id: check.legal_reference for check in instrument.process_checks}
        blocks.append(
            _Table(
                (labels.w("check"), labels.w("result"), labels.w("legal"), labels.w("reason")),
                tuple(
                    (
                        labels.check(check.id),
                        labels.label("check_result", check.result),
                        _free(laws[check.id]),
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
    """Every item in one table, grouped by domain, then the anchors of the concerning ratings.

    A row of its own goes to each item that needs reading: concerning, not (yet) known, or
    carrying evidence or a note. Unremarkable items (rated, not concerning, nothing written)
    share one row per domain and level, as do the items that do not apply to the child: the
    printed report stays short without hiding any rating. An anchor belongs to a scale level,
    which many items share: it is printed once, and only for the levels a concerning rating
    chose (those are the ones a reader has to weigh); an item's own anchor (``Item.anchors``)
    is printed under the item.
    """
    results = {result.id: result for result in summary.items}
    rows: list[tuple[str, ...]] = []
    concerning = _ConcerningLevels(set(), [])
    for domain in instrument.domains:
        items = [item for item in instrument.items if item.domain == domain.id]
        if items:
            rows.append((labels.t(domain.label, domain.id),))
            rows.extend(_domain_rows(items, assessment, results, labels, concerning))
    header = (labels.w("item"), labels.w("rating"), labels.w("evidence"))
    blocks: list[_Block] = [_Table(header, tuple(rows), "items")]
    anchors = _anchor_rows(instrument, concerning.scale_levels, labels) + _item_anchor_rows(
        concerning.item_levels, labels
    )
    if anchors:
        blocks.append(_Heading(labels.w("anchors")))
        blocks.append(_Table((labels.w("level"), labels.w("anchor")), anchors, "anchors"))
    return _Section("items", labels.w("section.items"), tuple(blocks))


@attrs.define
class _ConcerningLevels:
    """The levels concerning ratings chose: of a shared scale, or with the item's own anchor."""

    scale_levels: set[tuple[str, str]]
    item_levels: list[tuple[Item, str]]

    def add(self, item: Item, levels: Sequence[str]) -> None:
        for level in levels:
            if item.anchors is not None and level in item.anchors:
                self.item_levels.append((item, level))
            else:
                self.scale_levels.add((item.scale, level))


def _domain_rows(
    items: Sequence[Item],
    assessment: Assessment,
    results: Mapping[str, ItemResult],
    labels: _Labels,
    concerning_levels: _ConcerningLevels,
) -> list[tuple[str, ...]]:
    """One domain's rows: items to read one by one, then the shared rows (see above)."""
    rows: list[tuple[str, ...]] = []
    shared: dict[str, list[str]] = {}  # rating words -> the items rated so, in order
    for item in items:
        result = results.get(item.id)
        status = result.status if result is not None else "missing"
        answer = assessment.answers.get(item.id)
        concerning = result is not None and result.concerning
        if status == "not_applicable":
            rating = labels.label("item_status", "not_applicable")
        elif _unremarkable(status, concerning, answer):
            rating = _rating(item, answer, False, labels)
        else:
            if concerning:
                concerning_levels.add(item, _chosen(answer, status))
            rating = _rating(item, answer, concerning, labels)
            rows.append((labels.item(item.id), rating, _evidence(answer, labels)))
            continue
        shared.setdefault(rating, []).append(labels.item(item.id))
    not_applicable = labels.label("item_status", "not_applicable")
    order = sorted(shared, key=lambda rating: rating == not_applicable)  # not applicable last
    rows.extend(("; ".join(shared[rating]), rating, "") for rating in order)
    return rows


def _unremarkable(status: str, concerning: bool, answer: Answer | None) -> bool:
    """Rated, not concerning, one rating for all, and nothing written that needs reading."""
    return (
        status == "answered"
        and not concerning
        and answer is not None
        and answer.caregivers is None
        and not answer.evidence
        and not answer.note
    )


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


def _input_values(summary: Summary) -> dict[str, dict[str, object]]:
    """What each reference a trace step can name stands for, from the summary's sections:
    the steps hold references only (summary format v2), the appendix shows the values."""
    values: dict[str, dict[str, object]] = {}
    for item in summary.items:
        values[item.id] = {"level": item.level, "points": item.points, "weight": item.weight}
    for index in summary.indices:
        values[index.id] = {"value": index.value, "band": index.band}
    for flag in summary.flags:
        values[flag.id] = {"raised": flag.raised}
    out = summary.outcome
    values["computed"] = {"outcome": out.computed}
    values["floor"] = {"outcome": out.floor}
    if out.override is not None:
        values["override"] = values[out.override.kind] = {"outcome": out.override.outcome}
    return values


def _trace_inputs(inputs: Sequence[str], values: dict[str, dict[str, object]]) -> str:
    """Each trace input on its own line, as ``ref key=value …`` (only the values set)."""
    lines = []
    for ref in inputs:
        shown = values.get(ref, {})
        words = [ref, *(f"{key}={_trace_result(v)}" for key, v in shown.items() if v is not None)]
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
    values = _input_values(summary)
    rows = tuple(
        (
            str(number),
            _ident(step.kind),
            _ident(step.id),
            _trace_inputs(step.inputs, values),
            _trace_result(step.result),
            labels.message(step.explanation),
        )
        for number, step in enumerate(summary.trace, start=1)
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
