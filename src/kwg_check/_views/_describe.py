"""Instrument sheets: an instrument rendered as Markdown for the people who review it.

Before an agency adopts an instrument, someone has to read every scale, cut-off and rule of
it. The sheet shows all of them in instrument order, in German or English, with conditions
written in words. It is deterministic (same instrument, same bytes), so sheets can be kept
in version control and checked for staleness.

Texts taken from the instrument are escaped so that they cannot break the sheet: angle
brackets become entities (no HTML gets through), backslashes, pipes and backticks are
escaped, and line breaks become ``<br>`` inside tables and spaces in headings and list items.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import assert_never

from .._engine import CompiledInstrument
from .._lifecycle import declared_changes
from .._model import InstrumentVariant
from .._model._types import LocalizedText
from .._model.conditions import (
    AgeBand,
    AgeTest,
    All,
    AnswerAtLeast,
    AnswerIn,
    Any_,
    BandAtLeast,
    Condition,
    ContextIs,
    FlagRaised,
    IndexCompare,
    Not,
    ResultIs,
)
from .._model.instrument import (
    AssessorRoleCheck,
    Band,
    ConcernsAnsweredCheck,
    ConsultationCheck,
    DecisionRule,
    EvidenceCheck,
    Index,
    Instrument,
    Item,
    ItemMigration,
    MinAssessorsCheck,
    ParticipationCheck,
    ProcessCheck,
    Scale,
)
from .._types import InstrumentLike, Lang, language, text_language
from .._vocabulary import format_number, label, localized, plural, word

__all__ = ["describe_instrument"]

_OPS = {"<": "<", "<=": "≤", "==": "=", "!=": "≠", ">=": "≥", ">": ">"}


def describe_instrument(
    instrument: InstrumentLike,
    *,
    lang: Lang | None = None,
    variant: InstrumentVariant | None = None,
) -> str:
    """Render the instrument as a Markdown sheet in German (``de``) or English (``en``).

    Without ``lang`` the sheet is in the instrument's own language. For an instrument
    resolved from a local variant, pass the ``variant`` (``InstrumentRegistry.variant``) to
    list what it changes relative to its base.
    """
    if isinstance(instrument, CompiledInstrument):
        instrument = instrument.instrument
    texts = text_language(lang, instrument)
    return _Sheet(instrument, language(lang, instrument), variant, texts).render()


# --- escaping -----------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Make instrument text inert: no HTML, no table breaks."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return escaped.replace("<", "&lt;").replace(">", "&gt;")


def _line(text: str) -> str:
    """Instrument text for a heading or list item: one line."""
    return " ".join(part.strip() for part in _escape(text).splitlines() if part.strip())


def _cell(text: str) -> str:
    """Instrument text for a table cell: line breaks become ``<br>``."""
    return "<br>".join(part.strip() for part in _escape(text).splitlines() if part.strip())


def _code(ident: str) -> str:
    """An id in code font. Ids are pattern-restricted, so they need no escaping."""
    return f"`{ident}`"


def _codes(idents: Iterable[str]) -> str:
    return ", ".join(_code(ident) for ident in idents)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell if cell else " " for cell in cells) + " |"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = [_row(header), _row(["---"] * len(header))]
    lines.extend(_row(row) for row in rows)
    return lines


# --- the sheet ----------------------------------------------------------------------------


def _whole_by_itself(
    index: Index, items: Mapping[str, Item], scales: Mapping[str, Scale]
) -> bool | None:
    """Whether the index is whole-valued judging by its aggregation and items alone;
    ``None``: as whole-valued as its input indices."""
    if index.aggregation in ("count_at_least", "max_band", "count_strengths", "count_concerns"):
        return True
    if index.aggregation in ("mean", "prorated_sum", "rounded") or (
        index.aggregation == "scaled" and index.rounding is not None
    ):
        return index.rounding is not None and index.rounding.places == 0
    factor = index.factor
    if factor is not None and factor != factor.to_integral_value():
        return False
    for item_id in index.items:
        item = items.get(item_id)
        scale = scales.get(item.scale) if item is not None else None
        if item is None or scale is None:
            return False
        points = [level.points or Decimal(0) for level in scale.levels]
        if scale.unknown is not None and scale.unknown.scores_as is not None:
            points.append(scale.unknown.scores_as)
        if index.aggregation == "weighted_sum":
            points.append(item.weight)
        if any(value != value.to_integral_value() for value in points):
            return False
    return None


def _whole_valued(instrument: Instrument) -> dict[str, bool]:
    """Per index id, whether the index can only take whole numbers, so bands read as '3–5'.

    A depth-first walk over the input indices with an explicit stack, each index judged
    once: an instrument's chains can be as long as its file allows. An index on a cycle
    (an invalid instrument) is not whole-valued, nor is one reading an unknown index.
    """
    items = {item.id: item for item in instrument.items}
    scales = {scale.id: scale for scale in instrument.scales}
    indices = {index.id: index for index in instrument.indices}
    table: dict[str, bool] = {}
    for root in indices.values():
        stack: list[tuple[Index, Iterator[str]]] = []
        active: set[str] = set()
        pending: Index | None = root if root.id not in table else None
        while pending is not None or stack:
            if pending is not None:
                by_itself = _whole_by_itself(pending, items, scales)
                if by_itself is None and pending.id not in active:
                    stack.append((pending, iter(pending.indices)))
                    active.add(pending.id)
                else:  # judged alone, or on a cycle
                    table[pending.id] = bool(by_itself)
                    if not by_itself:  # not whole, and neither is anything on the stack
                        table.update((entry.id, False) for entry, _ in stack)
                        stack.clear()
                pending = None
                continue
            index, inputs = stack[-1]
            name = next(inputs, None)
            if name is None:
                table.setdefault(index.id, True)
                active.discard(index.id)
                stack.pop()
            elif table.get(name, True) is False or name not in indices:
                table.update((entry.id, False) for entry, _ in stack)
                stack.clear()
            elif name not in table:
                pending = indices[name]
    return table


class _Sheet:
    """Builds the sheet's lines section by section, in instrument order."""

    def __init__(
        self,
        instrument: Instrument,
        lang: Lang,
        variant: InstrumentVariant | None = None,
        texts: str | None = None,
    ) -> None:
        self.ins = instrument
        self.variant = variant
        self.lang: Lang = lang
        self.texts: str = texts or lang
        """The language of the instrument's texts (its own when the library falls back)."""
        self.lines: list[str] = []
        self.whole = _whole_valued(instrument)

    # words

    def w(self, key: str, **fields: str) -> str:
        return word(f"sheet.{key}", self.lang, **fields)

    def t(self, text: LocalizedText) -> str:
        return localized(text, self.texts)

    def num(self, value: Decimal) -> str:
        return format_number(value, self.lang)

    # output

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def heading(self, level: int, text: str) -> None:
        if self.lines and self.lines[-1] != "":
            self.add("")
        self.add("#" * level + " " + text, "")

    def render(self) -> str:
        self.header()
        self.changes()
        self.migrations()
        self.scales()
        self.domains()
        self.indices()
        self.flags()
        self.outcomes()
        self.decision()
        self.results()
        judgement = self.ins.method == "professional_judgement"
        if not judgement or self.ins.policy_overrides:
            self.policy()
        if not judgement or self.ins.discretionary_override is not None:
            self.discretionary()
        self.checks()
        self.add("", "---", "", f"_{self.w('footer')}_")
        text = "\n".join(self.lines)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip("\n") + "\n"

    # sections

    def header(self) -> None:
        ins = self.ins
        self.add(f"# {_line(self.t(ins.title))}", "")
        method = self.w(f"method.{ins.method}")
        monotone = self.w("monotone.yes" if ins.monotone else "monotone.no")
        minimum = (
            self.num(ins.minimum_completeness)
            if ins.minimum_completeness is not None
            else self.w("completeness.none")
        )
        rows = [
            [self.w("id"), _code(ins.id)],
            [self.w("version"), _cell(ins.version)],
            [self.w("licence"), _cell(ins.licence)],
            [self.w("subjects"), self.subjects()],
            [self.w("method"), method],
            [self.w("monotone"), monotone],
            [self.w("completeness"), minimum],
        ]
        if ins.stale_after_days is not None:
            rows.append([self.w("stale"), self.w("days", n=str(ins.stale_after_days))])
        if ins.derives_from is not None:
            base = ins.derives_from
            rows.append([self.w("derives_from"), f"{_code(base.id)} {_cell(base.version)}"])
        if ins.unknown_scores_as is not None:
            rows.append([self.w("unknown_default"), self.num(ins.unknown_scores_as)])
        self.add(*_table(["", ""], rows))
        if ins.disclaimer is not None:
            self.add("")
            self.add(f"> **{self.w('disclaimer')}:** {_line(self.t(ins.disclaimer))}")
        if ins.description is not None:
            self.heading(2, self.w("description"))
            self.add(_line(self.t(ins.description)))
        self.heading(2, self.w("sources"))
        if not ins.sources:
            self.add(self.w("sources.none"))
        for source in ins.sources:
            url = f" — {_line(source.url)}" if source.url else ""
            self.add(f"- {_line(source.citation)}{url}")

    def subjects(self) -> str:
        """Who the instrument assesses: an assessment of another kind is refused."""
        return ", ".join(label("subject", kind, self.lang) for kind in self.ins.subject_kinds)

    def changes(self) -> None:
        """What a variant changes relative to its base, in the order it applies them."""
        if self.variant is None:
            return
        base = self.variant.derives_from
        self.heading(2, self.w("variant", base=_code(base.id), version=_cell(base.version)))
        for kind, target in declared_changes(self.variant):
            self.add(f"- {self.w(f'variant.{kind}')}: {_code(target)}")

    def migrations(self) -> None:
        """How assessments of earlier versions are carried over (and back, inverted)."""
        if not self.ins.migrations:
            return
        self.heading(2, self.w("migrations"))
        for migration in self.ins.migrations:
            self.heading(3, self.w("migration.from", version=_cell(migration.from_version)))
            for old, fate in migration.items.items():
                self.add(f"- {_code(old)} {self.fate(fate)}")
        self.add("", self.w("migration.rest"))

    def fate(self, fate: ItemMigration) -> str:
        if fate.to is not None:
            text = self.w("migration.to", item=_code(fate.to))
            if fate.levels:
                pairs = ", ".join(f"{_code(a)} → {_code(b)}" for a, b in fate.levels.items())
                text = f"{text}; {self.w('migration.levels', levels=pairs)}"
            return text
        if fate.split is not None:
            return self.w("migration.split", items=", ".join(_code(p.to) for p in fate.split))
        return self.w("migration.drop")

    def scales(self) -> None:
        self.heading(2, self.w("scales"))
        for scale in self.ins.scales:
            self.scale(scale)

    def scale(self, scale: Scale) -> None:
        self.heading(3, f"{_code(scale.id)} — {_line(self.t(scale.label))}")
        bipolar = any(level.pole is not None for level in scale.levels)
        header = [self.w("level"), self.w("points"), self.w("label"), self.w("anchor")]
        if bipolar:
            header.insert(2, self.w("pole"))
        rows = []
        for level in scale.levels:
            row = [
                _code(level.id),
                self.num(level.points) if level.points is not None else "",
                _cell(self.t(level.label)),
                _cell(self.t(level.anchor)) if level.anchor else "",
            ]
            if bipolar:
                row.insert(2, self.w(f"pole.{level.pole}") if level.pole else "")
            rows.append(row)
        self.add(*_table(header, rows), "")
        if scale.levels[0].points is None:
            self.add(self.w("scale.unscored"), "")
        unknown = scale.unknown
        points = self.ins.unknown_points(scale)
        if unknown is None:
            self.add(self.w("unknown.none"))
        elif points is None:
            self.add(self.w("unknown.unscored", id=unknown.id, label=_line(self.t(unknown.label))))
        else:
            self.add(
                self.w(
                    "unknown.scored",
                    id=unknown.id,
                    label=_line(self.t(unknown.label)),
                    points=self.num(points),
                )
            )

    def domains(self) -> None:
        self.heading(2, self.w("domains"))
        declared = {domain.id for domain in self.ins.domains}
        for domain in self.ins.domains:
            self.heading(3, f"{_code(domain.id)} — {_line(self.t(domain.label))}")
            if domain.description is not None:
                self.add(_line(self.t(domain.description)), "")
            items = [item for item in self.ins.items if item.domain == domain.id]
            if not items:
                self.add(self.w("domain.empty"))
            for item in items:
                self.item(item)
        orphans = [item for item in self.ins.items if item.domain not in declared]
        if orphans:
            self.heading(3, self.w("domain.orphans"))
            for item in orphans:
                self.item(item)

    def item(self, item: Item) -> None:
        self.heading(4, f"{_code(item.id)} — {_line(self.t(item.label))}")
        response = self.w("response.single")
        if item.response == "multiple":
            response = self.w(f"response.multiple.{item.combine}")
        if item.per_caregiver:
            side = "protective" if item.kind == "protective" else "risk"
            response = f"{response}; {self.w(f'per_caregiver.{side}')}"
        applies = (
            self.w("applies.always")
            if item.applies_when is None
            else self.w("applies.when", condition=self.condition(item.applies_when))
        )
        scale = next((s for s in self.ins.scales if s.id == item.scale), None)
        first_concern = (
            next((level.id for level in scale.levels if level.pole == "concern"), None)
            if scale is not None
            else None
        )
        if item.kind in ("risk", "safety"):
            concerning = (
                _code(item.concerning_from)
                if item.concerning_from is not None
                else _code(first_concern)
                if first_concern is not None
                else self.w("concerning.default")
            )
        else:
            concerning = self.w("concerning.never")
        entries = [
            (self.w("kind"), self.w(f"kind.{item.kind}")),
            (self.w("scale"), _code(item.scale)),
            (self.w("weight"), self.num(item.weight)),
            (self.w("response"), response),
            (self.w("applies"), applies),
            (self.w("concerning"), concerning),
        ]
        if item.evidence_required_from is not None:
            entries.append((self.w("evidence"), _code(item.evidence_required_from)))
        if item.indicates:
            entries.append((self.w("forms"), ", ".join(self.form(f) for f in item.indicates)))
        if item.guidance is not None:
            entries.append((self.w("guidance"), _line(self.t(item.guidance))))
        for level, anchor in (item.anchors or {}).items():
            entries.append((f"{self.w('anchor')} {_code(level)}", _line(self.t(anchor))))
        if item.codes:
            codes = ", ".join(f"{_cell(code.system)} {_code(code.code)}" for code in item.codes)
            entries.append((self.w("codes"), codes))
        self.add(*(f"- {name}: {value}" for name, value in entries))
        if item.anchors_by_age:
            self.add(f"- {self.w('anchors')}:")
            for one in item.anchors_by_age:
                age = "" if one.age_months is None else f" ({self.age(one.age_months)})"
                self.add(f"  - {_code(one.level)}{age}: {_line(self.t(one.anchor))}")

    def form(self, form: str) -> str:
        return label("form", form, self.lang)

    def indices(self) -> None:
        self.heading(2, self.w("indices"))
        if not self.ins.indices:
            self.add(self.w("indices.none"))
        for index in self.ins.indices:
            self.index(index)

    def index(self, index: Index) -> None:
        self.heading(3, f"{_code(index.id)} — {_line(self.t(index.label))}")
        if index.aggregation == "count_at_least":
            aggregation = (
                self.w("agg.count_at_least", level=index.at_least)
                if index.at_least is not None
                else self.w("agg.count_at_least.unset")
            )
        elif index.aggregation == "max_band":
            aggregation = self.w("agg.max_band")
        elif index.aggregation in ("count_strengths", "count_concerns"):
            aggregation = self.w(f"agg.{index.aggregation}")
        elif index.aggregation == "prorated_sum":
            share = self.num(index.minimum_answered) if index.minimum_answered else "0"
            aggregation = self.w("agg.prorated_sum", share=share)
        elif index.aggregation in ("scaled", "rounded", "difference"):
            first, second = [*index.indices, "", ""][:2]
            factor = self.num(index.factor) if index.factor is not None else ""
            aggregation = self.w(
                f"agg.{index.aggregation}", index=_code(first), minus=_code(second), factor=factor
            )
        else:
            aggregation = self.w(f"agg.{index.aggregation}", what=self.aggregated(index))
        entries = [
            (self.w("side"), label("side", index.side, self.lang)),
            (self.w("aggregation"), aggregation),
        ]
        if index.items:
            entries.append((self.w("inputs.items"), _codes(index.items)))
        if index.indices:
            entries.append((self.w("inputs.indices"), _codes(index.indices)))
        if index.rounding is not None:
            text = self.w(
                "rounding.text",
                places=str(index.rounding.places),
                mode=self.w(f"mode.{index.rounding.mode}"),
            )
            entries.append((self.w("rounding"), text))
        self.add(*(f"- {name}: {value}" for name, value in entries))
        if index.bands:
            self.add("")
            if index.aggregation == "max_band":
                rows = [
                    [_code(band.id), _cell(self.t(band.label)), str(rank)]
                    for rank, band in enumerate(index.bands, start=1)
                ]
                self.add(*_table([self.w("band"), self.w("label"), self.w("rank")], rows))
            else:
                self.bands(index, index.bands)

    def aggregated(self, index: Index) -> str:
        """What a sum, mean, maximum or minimum is taken of."""
        points = self.w("what.weighted" if index.aggregation == "weighted_sum" else "what.points")
        if index.items and index.indices:
            return self.w("what.both", points=points)
        return points if index.items else self.w("what.values")

    def bands(self, index: Index, bands: Sequence[Band]) -> None:
        whole = self.whole[index.id]
        rows = []
        for position, band in enumerate(bands):
            low = band.at_least if position > 0 else None
            high = bands[position + 1].at_least if position + 1 < len(bands) else None
            cutoff = self.num(band.at_least) if band.at_least is not None else ""
            rows.append(
                [
                    _code(band.id),
                    _cell(self.t(band.label)),
                    cutoff,
                    self.band_range(low, high, whole),
                ]
            )
        header = [self.w("band"), self.w("label"), self.w("cutoff"), self.w("values")]
        self.add(*_table(header, rows))

    def band_range(self, low: Decimal | None, high: Decimal | None, whole: bool) -> str:
        """Inclusive range of values in a band; whole numbers for whole-valued indices."""
        if whole:
            first = math.ceil(low) if low is not None else None
            last = math.ceil(high) - 1 if high is not None else None
            if first is not None and last is not None:
                if first > last:
                    return self.w("range.int.none")
                if first == last:
                    return self.w("range.int.one", low=str(first))
                return self.w("range.int.from_to", low=str(first), high=str(last))
            if last is not None:
                return self.w("range.int.upto", high=str(last))
            if first is not None:
                return self.w("range.from", low=str(first))
            return self.w("range.all")
        if low is not None and high is not None:
            return self.w("range.from_to", low=self.num(low), high=self.num(high))
        if high is not None:
            return self.w("range.below", high=self.num(high))
        if low is not None:
            return self.w("range.from", low=self.num(low))
        return self.w("range.all")

    def flags(self) -> None:
        self.heading(2, self.w("flags"))
        if not self.ins.flags:
            self.add(self.w("flags.none"))
        for flag in self.ins.flags:
            self.heading(3, f"{_code(flag.id)} — {_line(self.t(flag.label))}")
            floor = (
                _code(flag.minimum_outcome)
                if flag.minimum_outcome is not None
                else self.w("floor.none")
            )
            entries = [
                (self.w("severity"), label("severity", flag.severity, self.lang)),
                (self.w("raised_when"), self.condition(flag.when)),
                (self.w("floor"), floor),
            ]
            if flag.indicates:
                entries.append((self.w("forms"), ", ".join(self.form(f) for f in flag.indicates)))
            self.add(*(f"- {name}: {value}" for name, value in entries))

    def outcomes(self) -> None:
        self.heading(2, self.w("outcomes"))
        self.add(self.w("outcomes.note"), "")
        header = [
            "#",
            self.w("outcome"),
            self.w("label"),
            self.w("traffic"),
            self.w("category"),
            self.w("description"),
        ]
        rows = [
            [
                str(rank),
                _code(outcome.id),
                _cell(self.t(outcome.label)),
                label("traffic", outcome.traffic_light, self.lang)
                if outcome.traffic_light
                else self.w("none"),
                label("category", outcome.statistic_category, self.lang)
                if outcome.statistic_category
                else self.w("none"),
                _cell(self.t(outcome.description)) if outcome.description else "",
            ]
            for rank, outcome in enumerate(self.ins.outcomes, start=1)
        ]
        self.add(*_table(header, rows))

    def decision(self) -> None:
        table = self.ins.decision_table
        if self.ins.method == "professional_judgement" and table is None:
            self.heading(2, self.w("judgement"))
            self.add(self.w("judgement.note"))
            return
        self.heading(2, self.w("decision"))
        if table is None:
            self.add(self.w("decision.missing"))
            return
        self.add(self.w("decision.note"), "")
        self.rows(table)

    def rows(self, table: Sequence[DecisionRule]) -> None:
        """A first-match table: the decision table or a further result's."""
        header = ["#", self.w("rule"), self.w("condition"), self.w("outcome"), self.w("rationale")]
        rows = [
            [
                str(number),
                _code(rule.id),
                self.condition(rule.when) if rule.when is not None else self.w("otherwise"),
                _code(rule.outcome),
                _cell(self.t(rule.rationale)),
            ]
            for number, rule in enumerate(table, start=1)
        ]
        self.add(*_table(header, rows))

    def results(self) -> None:
        """Each further result: its values in order, then its table."""
        for result in self.ins.results:
            self.heading(
                2, f"{self.w('result')}: {_line(self.t(result.label))} ({_code(result.id)})"
            )
            if result.description is not None:
                self.add(_cell(self.t(result.description)), "")
            self.add(self.w("result.note"), "")
            values = [[_code(v.id), _cell(self.t(v.label))] for v in result.outcomes]
            self.add(*_table([self.w("id"), self.w("label")], values), "")
            self.rows(result.table)

    def policy(self) -> None:
        self.heading(2, self.w("policy"))
        if not self.ins.policy_overrides:
            self.add(self.w("policy.none"))
            return
        self.add(self.w("policy.note"), "")
        header = [self.w("override"), self.w("condition"), self.w("at_least"), self.w("rationale")]
        rows = [
            [
                _code(override.id),
                self.condition(override.when),
                _code(override.minimum_outcome),
                _cell(self.t(override.rationale)),
            ]
            for override in self.ins.policy_overrides
        ]
        self.add(*_table(header, rows))

    def discretionary(self) -> None:
        self.heading(2, self.w("discretionary"))
        policy = self.ins.discretionary_override
        if policy is None:
            self.add(self.w("discretionary.none"))
            return
        if policy.max_levels_down == 0:
            self.add(
                self.w(
                    "discretionary.up_only", up=plural("levels", policy.max_levels_up, self.lang)
                )
            )
            return
        self.add(
            self.w(
                "discretionary.allowed",
                up=plural("levels", policy.max_levels_up, self.lang),
                down=plural("levels", policy.max_levels_down, self.lang),
            )
        )

    def checks(self) -> None:
        self.heading(2, self.w("checks"))
        if not self.ins.process_checks:
            self.add(self.w("checks.none"))
            return
        header = [
            self.w("check"),
            self.w("label"),
            self.w("requirement"),
            self.w("applies"),
            self.w("legal"),
        ]
        rows = [
            [
                _code(check.id),
                _cell(self.t(check.label)),
                self.requirement(check),
                self.w("applies.always")
                if check.applies_when is None
                else self.w("applies.when", condition=self.condition(check.applies_when)),
                _cell(check.legal_reference),
            ]
            for check in self.ins.process_checks
        ]
        self.add(*_table(header, rows))

    def requirement(self, check: ProcessCheck) -> str:
        req = check.requirement
        if isinstance(req, MinAssessorsCheck):
            return self.w("req.min_assessors", count=str(req.count))
        if isinstance(req, ParticipationCheck):
            return self.w(f"req.participation.{req.party}")
        if isinstance(req, ConsultationCheck):
            return self.w("req.consultation", role=req.role)
        if isinstance(req, AssessorRoleCheck):
            return self.w("req.assessor_role", role=req.role)
        if isinstance(req, ConcernsAnsweredCheck):
            if req.from_outcome is None:
                return self.w("req.concerns_answered")
            return self.w("req.concerns_answered.from", outcome=_code(req.from_outcome))
        assert isinstance(req, EvidenceCheck)
        return self.w("req.evidence")

    # conditions in words

    def condition(self, cond: Condition) -> str:
        """One condition in words; nested conditions are bracketed."""
        match cond:
            case All():
                return self.w("c.all", parts="; ".join(self.condition(c) for c in cond.all))
            case Any_():
                return self.w("c.any", parts="; ".join(self.condition(c) for c in cond.any))
            case Not():
                return self.w("c.not", part=self.condition(cond.not_))
            case AnswerAtLeast():
                test = cond.answer_at_least
                return self.w("c.answer_at_least", item=test.item, level=test.level)
            case AnswerIn():
                test_in = cond.answer_in
                levels = self.alternatives(test_in.levels)
                return self.w("c.answer_in", item=test_in.item, levels=levels)
            case ContextIs():
                ctx = cond.context
                return self.w("c.context", item=ctx.item, levels=self.alternatives(ctx.levels))
            case IndexCompare():
                idx = cond.index
                op, value = _OPS[idx.op], self.num(idx.value)
                return self.w("c.index", index=idx.index, op=op, value=value)
            case BandAtLeast():
                return self.w("c.band", index=cond.band.index, band=cond.band.band)
            case FlagRaised():
                return self.w("c.flag", flag=cond.flag)
            case AgeBand():
                return self.age(cond.age_months)
            case ResultIs():
                rtest = cond.result
                whose = "result" if rtest.result is not None else "outcome"
                if rtest.at_least is not None:
                    return self.w(
                        f"c.{whose}_at_least", result=rtest.result or "", value=rtest.at_least
                    )
                values = self.alternatives(rtest.in_ or ())
                return self.w(f"c.{whose}_in", result=rtest.result or "", values=values)
            case _:
                assert_never(cond)

    def alternatives(self, levels: Sequence[str]) -> str:
        return self.w("c.or").join(_code(level) for level in levels)

    def age(self, test: AgeTest) -> str:
        low, high = test.from_months, test.below_months
        if low is not None and high is not None:
            band = self.w("c.age.between", low=str(low), high=str(high))
        elif low is not None:
            band = self.w("c.age.from", low=str(low))
        elif high is not None:
            band = self.w("c.age.below", high=str(high))
        else:
            band = self.w("c.age.any")
        whose = test.of
        return band if whose == "subject" else self.w(f"c.age.of.{whose}", band=band)
