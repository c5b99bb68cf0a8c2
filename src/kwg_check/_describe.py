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

from ._engine import CompiledInstrument
from ._model._types import LocalizedText, format_decimal
from ._model.conditions import (
    AgeBand,
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
)
from ._model.instrument import (
    AssessorRoleCheck,
    Band,
    ConsultationCheck,
    EvidenceCheck,
    Index,
    Instrument,
    Item,
    MinAssessorsCheck,
    ParticipationCheck,
    ProcessCheck,
    Scale,
)
from ._types import InstrumentLike, Lang, language

__all__ = ["describe_instrument", "sheet_word"]

# The sheet's own words: key → (English, German).
_WORDS: dict[str, tuple[str, str]] = {
    "id": ("Id", "Kennung"),
    "version": ("Version", "Version"),
    "licence": ("Licence", "Lizenz"),
    "method": ("Method", "Methode"),
    "method.decision_table": ("decision table", "Entscheidungstabelle"),
    "method.professional_judgement": (
        "structured professional judgement",
        "strukturierte fachliche Einschätzung",
    ),
    "monotone": ("Monotone", "Monoton"),
    "monotone.yes": (
        "declared; verified when the instrument is compiled",
        "erklärt; wird beim Kompilieren des Instruments geprüft",
    ),
    "monotone.no": ("not declared", "nicht erklärt"),
    "completeness": ("Minimum completeness", "Mindestvollständigkeit"),
    "completeness.none": ("none", "keine"),
    "stale": ("Evidence counts as stale after", "Belege gelten als veraltet nach"),
    "days": ("{n} days", "{n} Tagen"),
    "disclaimer": ("Disclaimer", "Hinweis"),
    "description": ("Description", "Beschreibung"),
    "sources": ("Sources", "Quellen"),
    "sources.none": ("No sources named.", "Keine Quellen genannt."),
    "scales": ("Scales", "Skalen"),
    "level": ("Level", "Stufe"),
    "points": ("Points", "Punkte"),
    "label": ("Label", "Bezeichnung"),
    "anchor": ("Anchor", "Ankerbeispiel"),
    "unknown.scored": (
        "Unknown marker `{id}` ({label}): scores {points} points by the instrument's rule "
        "and is still reported as unknown.",
        "Unbekannt-Markierung `{id}` ({label}): zählt nach der Regel des Instruments "
        "{points} Punkte und wird trotzdem als unbekannt ausgewiesen.",
    ),
    "unknown.unscored": (
        "Unknown marker `{id}` ({label}): left out of every aggregation, never counted as "
        "zero, and reported as unknown.",
        "Unbekannt-Markierung `{id}` ({label}): fließt in keine Berechnung ein, zählt nie "
        "als null und wird als unbekannt ausgewiesen.",
    ),
    "unknown.none": (
        "This scale has no unknown marker: every item on it must be rated.",
        "Diese Skala hat keine Unbekannt-Markierung: Jedes Merkmal auf ihr muss "
        "eingeschätzt werden.",
    ),
    "domains": ("Domains and items", "Bereiche und Merkmale"),
    "domain.orphans": ("Items of undeclared domains", "Merkmale nicht erklärter Bereiche"),
    "domain.empty": ("No items.", "Keine Merkmale."),
    "kind": ("Kind", "Art"),
    "kind.risk": ("risk factor", "Risikofaktor"),
    "kind.protective": ("protective factor (strength)", "Schutzfaktor (Stärke)"),
    "kind.safety": ("safety item (acute danger)", "Sicherheitsmerkmal (akute Gefahr)"),
    "kind.context": ("context (never scored)", "Kontext (wird nie gewertet)"),
    "scale": ("Scale", "Skala"),
    "weight": ("Weight", "Gewicht"),
    "response": ("Response", "Antwort"),
    "response.single": ("one level", "eine Stufe"),
    "response.multiple.highest": (
        "all that apply; the highest level counts",
        "alles Zutreffende; die höchste Stufe zählt",
    ),
    "response.multiple.sum": (
        "all that apply; the points of the chosen levels are added",
        "alles Zutreffende; die Punkte der gewählten Stufen werden addiert",
    ),
    "per_caregiver.risk": (
        "rated per caregiver; the highest rating counts",
        "je Bezugsperson eingeschätzt; die höchste Einschätzung zählt",
    ),
    "per_caregiver.protective": (
        "rated per caregiver; the lowest rating counts",
        "je Bezugsperson eingeschätzt; die niedrigste Einschätzung zählt",
    ),
    "applies": ("Applies", "Gilt"),
    "applies.always": ("always", "immer"),
    "applies.when": ("when {condition}", "wenn {condition}"),
    "concerning": ("Concerning from", "Besorgniserregend ab"),
    "concerning.default": (
        "any level above the first",
        "jeder Stufe über der ersten",
    ),
    "concerning.never": (
        "never (not a risk or safety item)",
        "nie (kein Risiko-/Sicherheitsmerkmal)",
    ),
    "evidence": ("Evidence required from", "Belege erforderlich ab"),
    "forms": ("Forms of endangerment (§ 99 SGB VIII)", "Gefährdungsformen (§ 99 SGB VIII)"),
    "guidance": ("Guidance", "Hinweise"),
    "indices": ("Indices", "Indizes"),
    "indices.none": ("No indices.", "Keine Indizes."),
    "side": ("Side", "Seite"),
    "side.risk": ("risk", "Risiko"),
    "side.protective": ("protective", "Schutz"),
    "side.needs": ("needs", "Bedarf"),
    "side.other": ("other", "sonstige"),
    "aggregation": ("Aggregation", "Berechnung"),
    "agg.sum": ("sum of {what}", "Summe {what}"),
    "agg.weighted_sum": ("sum of {what}", "Summe {what}"),
    "agg.mean": ("mean of {what}", "Mittelwert {what}"),
    "agg.max": ("highest of {what}", "Höchstwert {what}"),
    "agg.min": ("lowest of {what}", "Tiefstwert {what}"),
    "what.points": ("the items' points", "der Punkte der Merkmale"),
    "what.weighted": ("the items' points × weight", "von Punkten × Gewicht der Merkmale"),
    "what.values": ("the indices' values", "der Werte der Indizes"),
    "what.both": (
        "{points} and the indices' values",
        "{points} und der Werte der Indizes",
    ),
    "agg.count_at_least": (
        "number of items rated `{level}` or a later level of their scale",
        "Zahl der Merkmale, die mit `{level}` oder einer späteren Stufe ihrer Skala "
        "eingeschätzt sind",
    ),
    "agg.count_at_least.unset": (
        "number of items at or above a level (level not set)",
        "Zahl der Merkmale ab einer Stufe (Stufe nicht angegeben)",
    ),
    "agg.max_band": (
        "the highest band among the input indices (value: its rank, counted from 1)",
        "das höchste Band der Eingangsindizes (Wert: sein Rang, ab 1 gezählt)",
    ),
    "inputs.items": ("Items", "Merkmale"),
    "inputs.indices": ("Indices", "Indizes"),
    "rounding": ("Rounding", "Rundung"),
    "rounding.text": ("{places} decimal places, {mode}", "{places} Nachkommastellen, {mode}"),
    "mode.half_up": ("half up", "kaufmännisch"),
    "mode.half_even": ("half to even", "zur geraden Ziffer"),
    "mode.down": ("towards zero", "zur Null hin"),
    "mode.up": ("away from zero", "von der Null weg"),
    "band": ("Band", "Band"),
    "cutoff": ("Cut-off (at least)", "Schwelle (mindestens)"),
    "values": ("Values", "Werte"),
    "rank": ("Rank", "Rang"),
    "range.all": ("every value", "jeder Wert"),
    "range.below": ("below {high}", "unter {high}"),
    "range.from_to": ("{low} to below {high}", "{low} bis unter {high}"),
    "range.from": ("{low} or more", "{low} und mehr"),
    "range.int.upto": ("up to {high}", "bis {high}"),
    "range.int.from_to": ("{low}–{high}", "{low}–{high}"),
    "range.int.one": ("{low}", "{low}"),
    "range.int.none": ("no whole value", "kein ganzzahliger Wert"),
    "flags": ("Flags", "Signale"),
    "flags.none": ("No flags.", "Keine Signale."),
    "severity": ("Severity", "Schweregrad"),
    "severity.acute": ("acute", "akut"),
    "severity.serious": ("serious", "ernst"),
    "severity.notice": ("notice", "Hinweis"),
    "raised_when": ("Raised when", "Ausgelöst, wenn"),
    "floor": ("Minimum outcome while raised", "Mindestergebnis, solange ausgelöst"),
    "floor.none": ("none", "keines"),
    "outcomes": ("Outcomes", "Ergebnisse"),
    "outcomes.note": ("From the least to the most severe.", "Vom leichtesten zum schwersten."),
    "outcome": ("Outcome", "Ergebnis"),
    "traffic": ("Traffic light", "Ampel"),
    "traffic.green": ("green", "grün"),
    "traffic.yellow": ("yellow", "gelb"),
    "traffic.red": ("red", "rot"),
    "category": ("§ 99 SGB VIII category", "Kategorie nach § 99 SGB VIII"),
    "category.acute_endangerment": ("acute endangerment", "akute Kindeswohlgefährdung"),
    "category.latent_endangerment": ("latent endangerment", "latente Kindeswohlgefährdung"),
    "category.need_for_help": (
        "no endangerment, but need for help",
        "keine Kindeswohlgefährdung, aber Hilfebedarf",
    ),
    "category.no_need_for_help": (
        "no endangerment and no need for help",
        "keine Kindeswohlgefährdung und kein Hilfebedarf",
    ),
    "decision": ("Decision table", "Entscheidungstabelle"),
    "decision.note": (
        "Rules are tried in order; the first that matches gives the outcome.",
        "Die Regeln werden der Reihe nach geprüft; die erste zutreffende bestimmt das Ergebnis.",
    ),
    "decision.missing": ("No decision table is given.", "Keine Entscheidungstabelle angegeben."),
    "judgement": ("Professional judgement", "Fachliche Einschätzung"),
    "judgement.note": (
        "There is no formula. The professionals give the final rating themselves, with "
        "author and justification; indices and flags only describe the ratings.",
        "Es gibt keine Formel. Die Fachkräfte geben die Gesamteinschätzung selbst ab, mit "
        "verantwortlicher Person und Begründung; Indizes und Signale beschreiben nur die "
        "Einschätzungen.",
    ),
    "rule": ("Rule", "Regel"),
    "condition": ("Condition", "Bedingung"),
    "rationale": ("Rationale", "Begründung"),
    "otherwise": ("otherwise (default rule)", "sonst (Standardregel)"),
    "policy": ("Policy overrides", "Vorgeschriebene Heraufstufungen"),
    "policy.note": (
        "Applied after the decision table: while the condition holds, the outcome is at "
        "least the one named.",
        "Nach der Entscheidungstabelle angewandt: Solange die Bedingung gilt, ist das "
        "Ergebnis mindestens das genannte.",
    ),
    "policy.none": ("None.", "Keine."),
    "override": ("Override", "Heraufstufung"),
    "at_least": ("At least", "Mindestens"),
    "discretionary": ("Discretionary override", "Abweichung nach fachlichem Ermessen"),
    "discretionary.allowed": (
        "The professionals may move the computed outcome by at most {up} level(s) up and "
        "{down} level(s) down, never below the minimum outcome of a raised flag, and always "
        "with author and justification.",
        "Die Fachkräfte dürfen das berechnete Ergebnis um höchstens {up} Stufe(n) anheben "
        "und {down} Stufe(n) absenken, nie unter das Mindestergebnis eines ausgelösten "
        "Signals, und stets mit verantwortlicher Person und Begründung.",
    ),
    "discretionary.up_only": (
        "The professionals may raise the computed outcome by at most {up} level(s), never "
        "lower it, and always with author and justification.",
        "Die Fachkräfte dürfen das berechnete Ergebnis um höchstens {up} Stufe(n) anheben, "
        "nie absenken, und stets mit verantwortlicher Person und Begründung.",
    ),
    "discretionary.none": (
        "Not allowed: the computed outcome is final.",
        "Nicht vorgesehen: Das berechnete Ergebnis ist endgültig.",
    ),
    "checks": ("Process checks", "Verfahrensprüfungen"),
    "checks.none": ("None.", "Keine."),
    "check": ("Check", "Prüfung"),
    "requirement": ("Requirement", "Anforderung"),
    "legal": ("Legal reference", "Rechtsgrundlage"),
    "req.min_assessors": (
        "at least {count} different professionals assessed together",
        "mindestens {count} verschiedene Fachkräfte haben gemeinsam eingeschätzt",
    ),
    "req.participation.parents": (
        "the parents were involved, or the reason why not is documented",
        "die Eltern waren beteiligt, oder der Grund dagegen ist dokumentiert",
    ),
    "req.participation.child": (
        "the child was involved, or the reason why not is documented",
        "das Kind war beteiligt, oder der Grund dagegen ist dokumentiert",
    ),
    "req.consultation": (
        "a professional with the role `{role}` was consulted",
        "eine Fachkraft mit der Rolle `{role}` wurde beratend hinzugezogen",
    ),
    "req.assessor_role": (
        "at least one assessor has the role `{role}`",
        "mindestens eine einschätzende Fachkraft hat die Rolle `{role}`",
    ),
    "req.evidence": (
        "every answer at or above its item's evidence level carries evidence",
        "jede Antwort ab der Belegstufe ihres Merkmals ist belegt",
    ),
    "footer": (
        "This sheet is generated from the instrument document; change the instrument, "
        "not the sheet.",
        "Dieses Blatt wird aus dem Instrumentdokument erzeugt; geändert wird das "
        "Instrument, nicht das Blatt.",
    ),
    "none": ("—", "—"),
    "form.neglect": ("neglect", "Vernachlässigung"),
    "form.psychological_abuse": ("psychological abuse", "psychische Misshandlung"),
    "form.physical_abuse": ("physical abuse", "körperliche Misshandlung"),
    "form.sexual_violence": ("sexual violence", "sexuelle Gewalt"),
    # Conditions in words.
    "c.all": ("all of: ({parts})", "alle: ({parts})"),
    "c.any": ("any of: ({parts})", "mindestens eine: ({parts})"),
    "c.not": ("not ({part})", "nicht ({part})"),
    "c.answer_at_least": (
        "answer to `{item}` at least `{level}`",
        "Antwort zu `{item}` mindestens `{level}`",
    ),
    "c.answer_in": ("answer to `{item}` is {levels}", "Antwort zu `{item}` ist {levels}"),
    "c.context": ("context `{item}` is {levels}", "Kontext `{item}` ist {levels}"),
    "c.index": ("index `{index}` {op} {value}", "Index `{index}` {op} {value}"),
    "c.band": ("band of `{index}` at least `{band}`", "Band von `{index}` mindestens `{band}`"),
    "c.flag": ("flag `{flag}` raised", "Signal `{flag}` ausgelöst"),
    "c.age.between": ("age {low}–<{high} months", "Alter {low}–<{high} Monate"),
    "c.age.from": ("age at least {low} months", "Alter ab {low} Monaten"),
    "c.age.below": ("age below {high} months", "Alter unter {high} Monaten"),
    "c.age.any": ("any age", "jedes Alter"),
    "c.or": (" or ", " oder "),
}

_OPS = {"<": "<", "<=": "≤", "==": "=", "!=": "≠", ">=": "≥", ">": ">"}


def describe_instrument(instrument: InstrumentLike, *, lang: Lang | None = None) -> str:
    """Render the instrument as a Markdown sheet in German (``de``) or English (``en``).

    Without ``lang`` the sheet is in the instrument's own language.
    """
    if isinstance(instrument, CompiledInstrument):
        instrument = instrument.instrument
    return _Sheet(instrument, language(lang, instrument)).render()


def sheet_word(key: str, lang: Lang) -> str:
    """One of the sheet's own words, so that reports name things exactly as sheets do."""
    return _WORDS[key][1 if lang == "de" else 0]


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


def _dec(value: Decimal) -> str:
    return format_decimal(value)


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
    if index.aggregation in ("count_at_least", "max_band"):
        return True
    if index.aggregation == "mean":
        return index.rounding is not None and index.rounding.places == 0
    for item_id in index.items:
        item = items.get(item_id)
        scale = scales.get(item.scale) if item is not None else None
        if item is None or scale is None:
            return False
        points = [level.points for level in scale.levels]
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

    def __init__(self, instrument: Instrument, lang: Lang) -> None:
        self.ins = instrument
        self.lang: Lang = lang
        self.lines: list[str] = []
        self.whole = _whole_valued(instrument)

    # words

    def w(self, key: str, **fields: str) -> str:
        text = _WORDS[key][1 if self.lang == "de" else 0]
        return text.format(**fields) if fields else text

    def t(self, text: LocalizedText) -> str:
        return text.de if self.lang == "de" else text.en

    # output

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def heading(self, level: int, text: str) -> None:
        if self.lines and self.lines[-1] != "":
            self.add("")
        self.add("#" * level + " " + text, "")

    def render(self) -> str:
        self.header()
        self.scales()
        self.domains()
        self.indices()
        self.flags()
        self.outcomes()
        self.decision()
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
            _dec(ins.minimum_completeness)
            if ins.minimum_completeness is not None
            else self.w("completeness.none")
        )
        rows = [
            [self.w("id"), _code(ins.id)],
            [self.w("version"), _cell(ins.version)],
            [self.w("licence"), _cell(ins.licence)],
            [self.w("method"), method],
            [self.w("monotone"), monotone],
            [self.w("completeness"), minimum],
        ]
        if ins.stale_after_days is not None:
            rows.append([self.w("stale"), self.w("days", n=str(ins.stale_after_days))])
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

    def scales(self) -> None:
        self.heading(2, self.w("scales"))
        for scale in self.ins.scales:
            self.scale(scale)

    def scale(self, scale: Scale) -> None:
        self.heading(3, f"{_code(scale.id)} — {_line(self.t(scale.label))}")
        header = [self.w("level"), self.w("points"), self.w("label"), self.w("anchor")]
        rows = [
            [
                _code(level.id),
                _dec(level.points),
                _cell(self.t(level.label)),
                _cell(self.t(level.anchor)) if level.anchor else "",
            ]
            for level in scale.levels
        ]
        self.add(*_table(header, rows), "")
        unknown = scale.unknown
        if unknown is None:
            self.add(self.w("unknown.none"))
        elif unknown.scores_as is None:
            self.add(self.w("unknown.unscored", id=unknown.id, label=_line(self.t(unknown.label))))
        else:
            self.add(
                self.w(
                    "unknown.scored",
                    id=unknown.id,
                    label=_line(self.t(unknown.label)),
                    points=_dec(unknown.scores_as),
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
        if item.kind in ("risk", "safety"):
            concerning = (
                _code(item.concerning_from)
                if item.concerning_from is not None
                else self.w("concerning.default")
            )
        else:
            concerning = self.w("concerning.never")
        entries = [
            (self.w("kind"), self.w(f"kind.{item.kind}")),
            (self.w("scale"), _code(item.scale)),
            (self.w("weight"), _dec(item.weight)),
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
        self.add(*(f"- {name}: {value}" for name, value in entries))

    def form(self, form: str) -> str:
        return self.w(f"form.{form}")

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
        else:
            aggregation = self.w(f"agg.{index.aggregation}", what=self.aggregated(index))
        entries = [
            (self.w("side"), self.w(f"side.{index.side}")),
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
            cutoff = _dec(band.at_least) if band.at_least is not None else ""
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
            return self.w("range.from_to", low=_dec(low), high=_dec(high))
        if high is not None:
            return self.w("range.below", high=_dec(high))
        if low is not None:
            return self.w("range.from", low=_dec(low))
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
                (self.w("severity"), self.w(f"severity.{flag.severity}")),
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
                self.w(f"traffic.{outcome.traffic_light}")
                if outcome.traffic_light
                else self.w("none"),
                self.w(f"category.{outcome.statistic_category}")
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
            self.add(self.w("discretionary.up_only", up=str(policy.max_levels_up)))
            return
        self.add(
            self.w(
                "discretionary.allowed",
                up=str(policy.max_levels_up),
                down=str(policy.max_levels_down),
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
        assert isinstance(req, EvidenceCheck)
        return self.w("req.evidence")

    # conditions in words

    def condition(self, cond: Condition) -> str:
        """One condition in words; nested conditions are bracketed."""
        if isinstance(cond, All):
            return self.w("c.all", parts="; ".join(self.condition(c) for c in cond.all))
        if isinstance(cond, Any_):
            return self.w("c.any", parts="; ".join(self.condition(c) for c in cond.any))
        if isinstance(cond, Not):
            return self.w("c.not", part=self.condition(cond.not_))
        if isinstance(cond, AnswerAtLeast):
            test = cond.answer_at_least
            return self.w("c.answer_at_least", item=test.item, level=test.level)
        if isinstance(cond, AnswerIn):
            test_in = cond.answer_in
            return self.w(
                "c.answer_in", item=test_in.item, levels=self.alternatives(test_in.levels)
            )
        if isinstance(cond, ContextIs):
            ctx = cond.context
            return self.w("c.context", item=ctx.item, levels=self.alternatives(ctx.levels))
        if isinstance(cond, IndexCompare):
            idx = cond.index
            return self.w("c.index", index=idx.index, op=_OPS[idx.op], value=_dec(idx.value))
        if isinstance(cond, BandAtLeast):
            return self.w("c.band", index=cond.band.index, band=cond.band.band)
        if isinstance(cond, FlagRaised):
            return self.w("c.flag", flag=cond.flag)
        assert isinstance(cond, AgeBand)
        return self.age(cond)

    def alternatives(self, levels: Sequence[str]) -> str:
        return self.w("c.or").join(_code(level) for level in levels)

    def age(self, cond: AgeBand) -> str:
        low, high = cond.age_months.from_months, cond.age_months.below_months
        if low is not None and high is not None:
            return self.w("c.age.between", low=str(low), high=str(high))
        if low is not None:
            return self.w("c.age.from", low=str(low))
        if high is not None:
            return self.w("c.age.below", high=str(high))
        return self.w("c.age.any")
