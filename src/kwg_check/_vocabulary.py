"""The library's vocabulary: every word it prints for people, in German and English.

Views (text, report, sheet, statistic, comparison) and the CLI look their words up here by
key, so one concept reads the same everywhere (``resource.infrastructural`` is
"Sozialraum und Einrichtungen" in every output) and a test can prove that every key exists in
both languages. Keys are grouped by prefix: concepts shared by several views first
(``form.``, ``category.``, ``resource.``, ``initiator.``, ``role.`` …), then the phrases of one
view (``sheet.``, ``report.``, ``text.``, ``stats.``) and the sentences of the summary's
messages: trace explanations and process-check reasons (``explain.<code>``) and warnings
(``warning.<code>``). The summary keeps only a message's code and parameters;
:func:`render_message` and :func:`render_warning` turn them into a sentence here.

A phrase may have placeholders (``{n}``, ``{item}``), the same in both languages. A phrase
that counts something has a plural form: :func:`plural` picks the singular for exactly one,
as German and English both do.

Numbers and dates are written the way each language writes them: German uses a decimal
comma and ``06.05.2026``, English a decimal point and the ISO date ``2026-05-06``, which reads
the same to British and American readers. Stored documents never hold formatted values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

from ._model._types import LocalizedText, format_decimal
from ._model.summary import Message, Warning
from ._phrases import CLI_PHRASES, W
from ._types import Lang

__all__ = [
    "VOCABULARY",
    "W",
    "format_date",
    "format_number",
    "label",
    "localized",
    "plural",
    "render_message",
    "render_warning",
    "word",
]


def word(key: str, lang: Lang, **fields: object) -> str:
    """The phrase ``key`` in ``lang``, its placeholders filled from ``fields``."""
    text = VOCABULARY[key].pick(lang)
    return text.format(**fields) if fields else text


def plural(key: str, count: int, lang: Lang, **fields: object) -> str:
    """The counting phrase ``key`` for ``count`` (placeholder ``{n}``) in ``lang``."""
    return VOCABULARY[key].pick(lang, count).format(n=count, **fields)


def label(concept: str, ident: str, lang: Lang) -> str:
    """The label of a library id (``label("form", "neglect", "de")``), or the id itself
    when the vocabulary has none (a role an agency named itself)."""
    phrase = VOCABULARY.get(f"{concept}.{ident}")
    return ident if phrase is None else phrase.pick(lang)


def localized(text: LocalizedText, lang: str) -> str:
    """An instrument's text in ``lang`` (any tag: a French instrument's texts are shown in
    French, see :func:`kwg_check._types.text_language`); a text not (yet) translated into
    ``lang`` is shown in another language it has: English, German, then its first
    (``lint`` warns about a missing translation with ``lint.translation-missing``)."""
    given = text.translations
    for tag in (lang, "en", "de"):
        if tag in given:
            return given[tag]
    return next(iter(given.values()))


def format_date(value: date, lang: Lang) -> str:
    """A date as people of ``lang`` write it: ``06.05.2026`` or ``2026-05-06``."""
    match lang:
        case "de":
            return value.strftime("%d.%m.%Y")
        case "en":
            return value.isoformat()


def format_number(value: Decimal, lang: Lang) -> str:
    """An exact decimal as people of ``lang`` write it: ``0,7`` or ``0.7`` (never rounded)."""
    text = format_decimal(value)
    match lang:
        case "de":
            return text.replace(".", ",")
        case "en":
            return text


Namer = Callable[[str, str, Mapping[str, object]], str]
"""How a view names an id of a message: ``(kind, id, params)`` → the name it shows, where
``kind`` is ``item``, ``index``, ``flag``, ``outcome``, ``level`` (of ``params["item"]``) or
``band`` (of ``params["index"]``), or the parameter's own name for other ids (``rule``,
``policy``, ``author``). Views that hold the instrument pass its labels."""

_KINDS = {
    "item": "item",
    "items": "item",
    "index": "index",
    "minus": "index",
    "flag": "flag",
    "outcome": "outcome",
    "domains": "domain",
    "computed": "outcome",
    "level": "level",
    "band": "band",
}
"""Which parameters hold ids of the instrument, and of what kind."""
_NUMBERS = frozenset({"points", "value", "cutoff", "minimum", "factor"})
"""Which parameters hold exact decimals (written as strings in the summary)."""


def _ident(kind: str, ident: str, params: Mapping[str, object]) -> str:
    """Without the instrument: the id itself, quoted as the library writes ids in prose."""
    return f"'{ident}'"


def _field(
    key: str, value: object, params: Mapping[str, object], lang: Lang, name: Namer
) -> object:
    if isinstance(value, list):
        return ", ".join(name(_KINDS.get(key, key), str(v), params) for v in value)
    if not isinstance(value, str):
        return value
    if key in _NUMBERS:
        return format_number(Decimal(value), lang)
    if key == "role":
        return label("role", value, lang)
    if key == "mode":
        return label("rounding", value, lang)
    return name(_KINDS.get(key, key), value, params)


def _render(key: str, params: Mapping[str, object], lang: Lang, name: Namer | None) -> str:
    """The phrase ``key`` with the message's parameters as people of ``lang`` read them; a
    count ``n`` picks the plural form."""
    fields = {k: _field(k, v, params, lang, name or _ident) for k, v in params.items()}
    count = params.get("n")
    phrase = VOCABULARY[key].pick(lang, abs(count) if isinstance(count, int) else None)
    return phrase.format(**fields)


def render_message(message: Message, lang: Lang, name: Namer | None = None) -> str:
    """A trace explanation or process-check reason as one sentence in ``lang``."""
    return _render(f"explain.{message.code}", message.params, lang, name)


def render_warning(warning: Warning, lang: Lang, name: Namer | None = None) -> str:
    """A warning's sentence in ``lang`` (its code and pointer are shown beside it)."""
    return _render(f"warning.{warning.code}", warning.params, lang, name)


VOCABULARY: Mapping[str, W] = {
    **CLI_PHRASES,
    "levels": W("{n} level", "{n} Stufe", "{n} levels", "{n} Stufen"),
    "role.social_worker": W("social worker", "sozialpädagogische Fachkraft"),
    "role.team_lead": W("team lead", "Teamleitung"),
    "role.child_protection_specialist": W(
        "child-protection specialist", "insoweit erfahrene Fachkraft"
    ),
    "role.day_care_educator": W("day-care educator", "Kita-Fachkraft"),
    "role.day_care_lead": W("day-care lead", "Kita-Leitung"),
    "role.educator": W("educator", "pädagogische Fachkraft"),
    "role.paediatrician": W("paediatrician", "Kinderarzt oder Kinderärztin"),
    "role.psychologist": W("psychologist", "Psychologe oder Psychologin"),
    "subject.child": W("child", "Kind"),
    "subject.young_adult": W("young adult", "junger Volljähriger oder junge Volljährige"),
    "subject.caregiver": W("caregiver", "Bezugsperson"),
    "subject.family": W("family or household", "Familie oder Haushalt"),
    "member.child": W("child", "Kind"),
    "member.caregiver": W("caregiver", "Bezugsperson"),
    "member.other_adult": W("other adult", "weitere erwachsene Person"),
    "category.acute_endangerment": W("acute endangerment", "akute Kindeswohlgefährdung"),
    "category.latent_endangerment": W("latent endangerment", "latente Kindeswohlgefährdung"),
    "category.need_for_help": W(
        "no endangerment, but need for help",
        "keine Kindeswohlgefährdung, aber Hilfebedarf",
    ),
    "category.no_need_for_help": W(
        "no endangerment and no need for help",
        "keine Kindeswohlgefährdung und kein Hilfebedarf",
    ),
    "form.neglect": W("neglect", "Vernachlässigung"),
    "form.psychological_abuse": W("psychological abuse", "psychische Misshandlung"),
    "form.physical_abuse": W("physical abuse", "körperliche Misshandlung"),
    "form.sexual_violence": W("sexual violence", "sexuelle Gewalt"),
    "resource.personal": W("personal", "persönlich"),
    "resource.family": W("family", "Familie"),
    "resource.social_network": W("social network", "soziales Netz"),
    "resource.material": W("material", "materiell"),
    "resource.infrastructural": W("neighbourhood and institutions", "Sozialraum und Einrichtungen"),
    "sector.family": W("Family", "Familie"),
    "sector.friends_and_neighbours": W("Friends and neighbours", "Freunde und Nachbarschaft"),
    "sector.school_or_work": W("School or work", "Schule oder Arbeit"),
    "sector.professional_helpers": W("Professional helpers", "Professionelle Hilfen"),
    "closeness.close": W("close", "nah"),
    "closeness.middle": W("middle", "mittel"),
    "closeness.distant": W("distant", "fern"),
    "initiator.police_or_court": W(
        "police, court or public prosecutor",
        "Polizei, Gericht, Staatsanwaltschaft",
    ),
    "initiator.school": W("school", "Schule"),
    "initiator.day_care": W("day care", "Kindertageseinrichtung, Kindertagespflege"),
    "initiator.health_services": W("health services", "Gesundheitswesen"),
    "initiator.social_services": W("social services", "soziale Dienste, Jugendamt"),
    "initiator.counselling_or_youth_work": W(
        "counselling or youth work",
        "Beratungsstelle, Jugendarbeit",
    ),
    "initiator.relatives": W("relatives", "Verwandte"),
    "initiator.neighbours_or_acquaintances": W("neighbours or acquaintances", "Nachbarn, Bekannte"),
    "initiator.parents": W("parents", "Eltern, Personensorgeberechtigte"),
    "initiator.child": W("the child or young person", "Kind, Jugendliche(r) selbst"),
    "initiator.anonymous": W("anonymous", "anonym"),
    "initiator.other": W("other", "sonstige"),
    "initiator.not_recorded": W("not recorded", "nicht erfasst"),
    "age_group.under_3": W("under 3 years", "unter 3 Jahre"),
    "age_group.3_to_6": W("3 to under 6 years", "3 bis unter 6 Jahre"),
    "age_group.6_to_9": W("6 to under 9 years", "6 bis unter 9 Jahre"),
    "age_group.9_to_12": W("9 to under 12 years", "9 bis unter 12 Jahre"),
    "age_group.12_to_14": W("12 to under 14 years", "12 bis unter 14 Jahre"),
    "age_group.14_to_16": W("14 to under 16 years", "14 bis unter 16 Jahre"),
    "age_group.16_to_18": W("16 to under 18 years", "16 bis unter 18 Jahre"),
    "age_group.18_and_over": W("18 years and over", "18 Jahre und älter"),
    "consult.title": W(
        "Collegial consultation on case {case}", "Kollegiale Beratung zum Fall {case}"
    ),
    "consult.outcomes": W("Each rater's computed outcome", "Errechnetes Ergebnis jeder Fachkraft"),
    "consult.rater": W("Rater", "Fachkraft"),
    "consult.outcome": W("Computed outcome", "Errechnetes Ergebnis"),
    "consult.no-outcome": W("none (not assessable)", "keines (nicht einschätzbar)"),
    "consult.range": W(
        "Outcomes the consultation can reach", "Ergebnisse, die die Beratung erreichen kann"
    ),
    "consult.range-value": W("from {lowest} to {highest}", "von {lowest} bis {highest}"),
    "consult.no-range": W(
        "The instrument computes no outcome: the professionals decide it together.",
        "Das Instrument errechnet kein Ergebnis: Die Fachkräfte entscheiden es gemeinsam.",
    ),
    "consult.differing": W("Items rated differently", "Unterschiedlich eingeschätzte Merkmale"),
    "consult.item": W("Item", "Merkmal"),
    "consult.not-answered": W("not rated", "nicht eingeschätzt"),
    "consult.all-agree": W(
        "All raters answered every item alike.",
        "Alle Fachkräfte haben jedes Merkmal gleich eingeschätzt.",
    ),
    "consult.discuss-first": W(
        "Discuss first: differences that can change the outcome",
        "Zuerst besprechen: Unterschiede, die das Ergebnis ändern können",
    ),
    "consult.none-first": W(
        "No single difference changes the outcome.",
        "Kein einzelner Unterschied ändert das Ergebnis.",
    ),
    "agreement.title": W("Agreement between two raters", "Übereinstimmung zweier Fachkräfte"),
    "agreement.pairs": W("Cases rated by both: {n}", "Von beiden eingeschätzte Fälle: {n}"),
    "agreement.outcome": W("Computed outcome", "Errechnetes Ergebnis"),
    "agreement.column.item": W("Item", "Merkmal"),
    "agreement.column.n": W("pairs", "Paare"),
    "agreement.column.unknown": W("unknown", "unbekannt"),
    "agreement.column.agreement": W("agreement", "Übereinstimmung"),
    "agreement.column.kappa": W("kappa", "Kappa"),
    "agreement.column.kappa_linear": W("kappa (linear)", "Kappa (linear)"),
    "agreement.column.kappa_quadratic": W("kappa (quadratic)", "Kappa (quadratisch)"),
    "agreement.note": W(
        "Pairs: both raters gave a level. Unknown: at least one gave none; never counted as "
        "agreement. Kappa is Cohen's kappa; weighted kappas only for ordered scales and the "
        "outcome. – means undefined (no pairs, or chance agreement is certain).",
        "Paare: beide Fachkräfte haben eine Stufe angegeben. Unbekannt: mindestens eine hat "
        "keine angegeben; das zählt nie als Übereinstimmung. Kappa ist Cohens Kappa; "
        "gewichtete Kappas nur für geordnete Skalen und das Ergebnis. – heißt nicht definiert "
        "(keine Paare, oder die zufällige Übereinstimmung ist sicher).",
    ),
    "stats.override.overridden": W("with an override", "mit Abweichung"),
    "stats.override.not_overridden": W("without an override", "ohne Abweichung"),
    "stats.override.up": W("more severe than computed", "schwerer als berechnet"),
    "stats.override.down": W("less severe than computed", "weniger schwer als berechnet"),
    "stats.override.unchanged": W("same outcome as computed", "gleiches Ergebnis wie berechnet"),
    "stats.summaries": W("assessments counted", "gezählte Gefährdungseinschätzungen"),
    "stats.skipped_invalid": W("inputs skipped as invalid", "als ungültig übersprungene Eingaben"),
    "stats.not_applicable": W(
        "not applicable (outcome without a § 99 category)",
        "nicht zutreffend (Ergebnis ohne § 99-Kategorie)",
    ),
    "stats.no_outcome": W("no final outcome", "kein abschließendes Ergebnis"),
    "stats.cases_with_forms": W("cases with at least one form", "Fälle mit mindestens einer Art"),
    "stats.cases_without_forms": W("cases without an indicated form", "Fälle ohne angezeigte Art"),
    "stats.section.totals": W("Totals", "Gesamt"),
    "stats.section.category": W("Result of the assessment", "Ergebnis der Gefährdungseinschätzung"),
    "stats.section.forms": W(
        "Forms of endangerment (acute or latent cases; several per case)",
        "Arten der Kindeswohlgefährdung (akute oder latente Fälle; Mehrfachnennungen)",
    ),
    "stats.section.age_group": W("Age of the child", "Alter des Kindes"),
    "stats.section.initiated_by": W("Who made the indications known", "Bekanntwerden durch"),
    "stats.section.overrides": W(
        "Discretionary overrides",
        "Abweichungen der Fachkräfte vom Ergebnis",
    ),
    "stats.title": W("§ 99 SGB VIII statistic of risk assessments", "Statistik nach § 99 SGB VIII"),
    "stats.count": W("count", "Anzahl"),
    # --- instrument differences and their impact (instrument-diff, impact) ------------------
    "idiff.title": W("Differences from {old} to {new}", "Unterschiede von {old} zu {new}"),
    "idiff.score_affecting": W(
        "{n} score-affecting difference",
        "{n} bewertungsrelevanter Unterschied",
        "{n} score-affecting differences",
        "{n} bewertungsrelevante Unterschiede",
    ),
    "idiff.cosmetic": W(
        "{n} cosmetic difference",
        "{n} redaktioneller Unterschied",
        "{n} cosmetic differences",
        "{n} redaktionelle Unterschiede",
    ),
    "idiff.change.added": W("added", "hinzugefügt"),
    "idiff.change.removed": W("removed", "entfernt"),
    "idiff.change.changed": W("changed", "geändert"),
    "idiff.order": W("order changed", "Reihenfolge geändert"),
    "idiff.bump_missing": W(
        "Score-affecting differences need a higher version.",
        "Bewertungsrelevante Unterschiede brauchen eine höhere Version.",
    ),
    "impact.title": W("Impact of {old} → {new}", "Auswirkung von {old} → {new}"),
    "impact.assessments": W(
        "{n} assessment scored under both",
        "{n} Einschätzung unter beiden bewertet",
        "{n} assessments scored under both",
        "{n} Einschätzungen unter beiden bewertet",
    ),
    "impact.changed": W(
        "{n} outcome changed",
        "{n} Ergebnis geändert",
        "{n} outcomes changed",
        "{n} Ergebnisse geändert",
    ),
    "impact.not_scored": W(
        "{n} input not scored under both",
        "{n} Eingabe nicht unter beiden bewertet",
        "{n} inputs not scored under both",
        "{n} Eingaben nicht unter beiden bewertet",
    ),
    "impact.table": W(
        "Previous outcome (rows) by new outcome (columns)",
        "Bisheriges Ergebnis (Zeilen) nach neuem Ergebnis (Spalten)",
    ),
    "impact.changed_ids": W("Changed outcomes", "Geänderte Ergebnisse"),
    "impact.causes": W("differences:", "Unterschiede:"),
    "impact.status.not_assessable": W("not assessable", "nicht einschätzbar"),
    "impact.status.judgement": W("rating still due", "Einschätzung steht aus"),
    "impact.status.computed": W("computed", "berechnet"),
    "sheet.id": W("Id", "Kennung"),
    "sheet.version": W("Version", "Version"),
    "sheet.licence": W("Licence", "Lizenz"),
    "sheet.subjects": W("Assesses", "Eingeschätzt werden"),
    "sheet.method": W("Method", "Methode"),
    "sheet.method.decision_table": W("decision table", "Entscheidungstabelle"),
    "sheet.method.professional_judgement": W(
        "structured professional judgement",
        "strukturierte fachliche Einschätzung",
    ),
    "sheet.monotone": W("Monotone", "Monoton"),
    "sheet.monotone.yes": W(
        "declared; verified when the instrument is compiled",
        "erklärt; wird beim Kompilieren des Instruments geprüft",
    ),
    "sheet.monotone.no": W("not declared", "nicht erklärt"),
    "sheet.completeness": W("Minimum completeness", "Mindestvollständigkeit"),
    "sheet.completeness.none": W("none", "keine"),
    "sheet.stale": W("Evidence counts as stale after", "Belege gelten als veraltet nach"),
    "sheet.days": W("{n} days", "{n} Tagen"),
    "sheet.disclaimer": W("Disclaimer", "Hinweis"),
    "sheet.description": W("Description", "Beschreibung"),
    "sheet.sources": W("Sources", "Quellen"),
    "sheet.sources.none": W("No sources named.", "Keine Quellen genannt."),
    "sheet.derives_from": W("Derived from", "Abgeleitet von"),
    "sheet.variant": W(
        "Changes to the base {base} {version}",
        "Änderungen gegenüber der Vorlage {base} {version}",
    ),
    "sheet.variant.added": W("added", "hinzugefügt"),
    "sheet.variant.removed": W("removed", "entfernt"),
    "sheet.variant.changed": W("changed", "geändert"),
    "sheet.migrations": W("Carried over from earlier versions", "Übernahme aus früheren Versionen"),
    "sheet.migration.from": W("From version {version}", "Aus Version {version}"),
    "sheet.migration.to": W("becomes {item}", "wird zu {item}"),
    "sheet.migration.levels": W("levels {levels}", "Stufen {levels}"),
    "sheet.migration.drop": W(
        "is dropped; its answer is not carried over", "entfällt; die Antwort wird nicht übernommen"
    ),
    "sheet.migration.split": W("is split into {items}", "wird aufgeteilt in {items}"),
    "sheet.migration.rest": W(
        "Every other item keeps its id. Back to that version, the same mapping is read in "
        "reverse; an answer without a single counterpart becomes unknown.",
        "Alle übrigen Merkmale behalten ihre Kennung. Zurück in jene Version wird dieselbe "
        "Zuordnung umgekehrt gelesen; eine Antwort ohne eindeutige Entsprechung wird "
        "unbekannt.",
    ),
    "sheet.scales": W("Scales", "Skalen"),
    "sheet.level": W("Level", "Stufe"),
    "sheet.points": W("Points", "Punkte"),
    "sheet.label": W("Label", "Bezeichnung"),
    "sheet.anchor": W("Anchor", "Ankerbeispiel"),
    "sheet.unknown.scored": W(
        "Unknown marker `{id}` ({label}): scores {points} points by the instrument's rule and "
        "is still reported as unknown.",
        "Unbekannt-Markierung `{id}` ({label}): zählt nach der Regel des Instruments {points} "
        "Punkte und wird trotzdem als unbekannt ausgewiesen.",
    ),
    "sheet.unknown.unscored": W(
        "Unknown marker `{id}` ({label}): left out of every aggregation, never counted as "
        "zero, and reported as unknown.",
        "Unbekannt-Markierung `{id}` ({label}): fließt in keine Berechnung ein, zählt nie als "
        "null und wird als unbekannt ausgewiesen.",
    ),
    "sheet.unknown.none": W(
        "This scale has no unknown marker: every item on it must be rated.",
        "Diese Skala hat keine Unbekannt-Markierung: Jedes Merkmal auf ihr muss eingeschätzt "
        "werden.",
    ),
    "sheet.domains": W("Domains and items", "Bereiche und Merkmale"),
    "sheet.domain.orphans": W("Items of undeclared domains", "Merkmale nicht erklärter Bereiche"),
    "sheet.domain.empty": W("No items.", "Keine Merkmale."),
    "sheet.kind": W("Kind", "Art"),
    "sheet.kind.risk": W("risk factor", "Risikofaktor"),
    "sheet.kind.protective": W("protective factor (strength)", "Schutzfaktor (Stärke)"),
    "sheet.kind.safety": W("safety item (acute danger)", "Sicherheitsmerkmal (akute Gefahr)"),
    "sheet.kind.context": W("context (never scored)", "Kontext (wird nie gewertet)"),
    "sheet.scale": W("Scale", "Skala"),
    "sheet.weight": W("Weight", "Gewicht"),
    "sheet.response": W("Response", "Antwort"),
    "sheet.response.single": W("one level", "eine Stufe"),
    "sheet.response.multiple.highest": W(
        "all that apply; the highest level counts",
        "alles Zutreffende; die höchste Stufe zählt",
    ),
    "sheet.response.multiple.sum": W(
        "all that apply; the points of the chosen levels are added",
        "alles Zutreffende; die Punkte der gewählten Stufen werden addiert",
    ),
    "sheet.per_caregiver.risk": W(
        "rated per caregiver; the highest rating counts",
        "je Bezugsperson eingeschätzt; die höchste Einschätzung zählt",
    ),
    "sheet.per_caregiver.protective": W(
        "rated per caregiver; the lowest rating counts",
        "je Bezugsperson eingeschätzt; die niedrigste Einschätzung zählt",
    ),
    "sheet.applies": W("Applies", "Gilt"),
    "sheet.applies.always": W("always", "immer"),
    "sheet.applies.when": W("when {condition}", "wenn {condition}"),
    "sheet.concerning": W("Concerning from", "Besorgniserregend ab"),
    "sheet.concerning.default": W("any level above the first", "jeder Stufe über der ersten"),
    "sheet.concerning.never": W(
        "never (not a risk or safety item)",
        "nie (kein Risiko-/Sicherheitsmerkmal)",
    ),
    "sheet.evidence": W("Evidence required from", "Belege erforderlich ab"),
    "sheet.forms": W("Forms of endangerment (§ 99 SGB VIII)", "Gefährdungsformen (§ 99 SGB VIII)"),
    "sheet.guidance": W("Guidance", "Hinweise"),
    "sheet.indices": W("Indices", "Indizes"),
    "sheet.indices.none": W("No indices.", "Keine Indizes."),
    "sheet.side": W("Side", "Seite"),
    "side.risk": W("risk", "Risiko"),
    "side.protective": W("protective", "Schutz"),
    "side.needs": W("needs", "Bedarf"),
    "side.other": W("other", "sonstige"),
    "sheet.aggregation": W("Aggregation", "Berechnung"),
    "sheet.agg.sum": W("sum of {what}", "Summe {what}"),
    "sheet.agg.weighted_sum": W("sum of {what}", "Summe {what}"),
    "sheet.agg.mean": W("mean of {what}", "Mittelwert {what}"),
    "sheet.agg.max": W("highest of {what}", "Höchstwert {what}"),
    "sheet.agg.min": W("lowest of {what}", "Tiefstwert {what}"),
    "sheet.what.points": W("the items' points", "der Punkte der Merkmale"),
    "sheet.what.weighted": W("the items' points × weight", "von Punkten × Gewicht der Merkmale"),
    "sheet.what.values": W("the indices' values", "der Werte der Indizes"),
    "sheet.what.both": W("{points} and the indices' values", "{points} und der Werte der Indizes"),
    "sheet.agg.count_at_least": W(
        "number of items rated `{level}` or a later level of their scale",
        "Zahl der Merkmale, die mit `{level}` oder einer späteren Stufe ihrer Skala "
        "eingeschätzt sind",
    ),
    "sheet.agg.count_at_least.unset": W(
        "number of items at or above a level (level not set)",
        "Zahl der Merkmale ab einer Stufe (Stufe nicht angegeben)",
    ),
    "sheet.agg.count_strengths": W(
        "number of items rated at a strength level of their bipolar scale",
        "Zahl der Merkmale, die auf einer Stärken-Stufe ihrer bipolaren Skala eingeschätzt sind",
    ),
    "sheet.agg.count_concerns": W(
        "number of items rated at a concern level of their bipolar scale",
        "Zahl der Merkmale, die auf einer Problem-Stufe ihrer bipolaren Skala eingeschätzt sind",
    ),
    "sheet.agg.prorated_sum": W(
        "sum of the items' points × applicable ÷ answered items, when at least a share of "
        "{share} of the applicable items is answered; otherwise undetermined",
        "Summe der Punkte der Merkmale × zutreffende ÷ beantwortete Merkmale, wenn mindestens "
        "ein Anteil von {share} der zutreffenden Merkmale beantwortet ist; sonst nicht "
        "bestimmbar",
    ),
    "sheet.agg.scaled": W("{index} × {factor}", "{index} × {factor}"),
    "sheet.agg.rounded": W("{index}, rounded", "{index}, gerundet"),
    "sheet.agg.difference": W("{index} minus {minus}", "{index} minus {minus}"),
    "sheet.pole": W("Pole", "Pol"),
    "sheet.pole.strength": W("strength", "Stärke"),
    "sheet.pole.neutral": W("neutral", "neutral"),
    "sheet.pole.concern": W("concern", "Problem"),
    "sheet.scale.unscored": W(
        "The scale gives no points: its items carry information and are never summed.",
        "Die Skala vergibt keine Punkte: ihre Merkmale geben Auskunft und werden nie summiert.",
    ),
    "sheet.codes": W("Codes", "Codes"),
    "sheet.anchors": W("Anchors of this item", "Ankerbeispiele dieses Merkmals"),
    "sheet.unknown_default": W(
        "Unknown answers score by default", "Unbekannte Antworten zählen standardmäßig"
    ),
    "sheet.agg.max_band": W(
        "the highest band among the input indices (value: its rank, counted from 1)",
        "das höchste Band der Eingangsindizes (Wert: sein Rang, ab 1 gezählt)",
    ),
    "sheet.inputs.items": W("Items", "Merkmale"),
    "sheet.inputs.indices": W("Indices", "Indizes"),
    "sheet.rounding": W("Rounding", "Rundung"),
    "sheet.rounding.text": W(
        "{places} decimal places, {mode}",
        "{places} Nachkommastellen, {mode}",
    ),
    "sheet.mode.half_up": W("half up", "kaufmännisch"),
    "sheet.mode.half_even": W("half to even", "zur geraden Ziffer"),
    "sheet.mode.down": W("towards zero", "zur Null hin"),
    "sheet.mode.up": W("away from zero", "von der Null weg"),
    "sheet.band": W("Band", "Einstufung"),
    "sheet.cutoff": W("Cut-off (at least)", "Schwelle (mindestens)"),
    "sheet.values": W("Values", "Werte"),
    "sheet.rank": W("Rank", "Rang"),
    "sheet.range.all": W("every value", "jeder Wert"),
    "sheet.range.below": W("below {high}", "unter {high}"),
    "sheet.range.from_to": W("{low} to below {high}", "{low} bis unter {high}"),
    "sheet.range.from": W("{low} or more", "{low} und mehr"),
    "sheet.range.int.upto": W("up to {high}", "bis {high}"),
    "sheet.range.int.from_to": W("{low}–{high}", "{low}–{high}"),
    "sheet.range.int.one": W("{low}", "{low}"),
    "sheet.range.int.none": W("no whole value", "kein ganzzahliger Wert"),
    "sheet.flags": W("Flags", "Signale"),
    "sheet.flags.none": W("No flags.", "Keine Signale."),
    "sheet.severity": W("Severity", "Schweregrad"),
    "severity.acute": W("acute", "akut"),
    "severity.serious": W("serious", "ernst"),
    "severity.notice": W("notice", "Hinweis"),
    "sheet.raised_when": W("Raised when", "Ausgelöst, wenn"),
    "sheet.floor": W("Minimum outcome while raised", "Mindestergebnis, solange ausgelöst"),
    "sheet.floor.none": W("none", "keines"),
    "sheet.outcomes": W("Outcomes", "Ergebnisse"),
    "sheet.outcomes.note": W(
        "From the least to the most severe.",
        "Vom leichtesten zum schwersten.",
    ),
    "sheet.outcome": W("Outcome", "Ergebnis"),
    "sheet.traffic": W("Traffic light", "Ampel"),
    "traffic.green": W("green", "grün"),
    "traffic.yellow": W("yellow", "gelb"),
    "traffic.red": W("red", "rot"),
    "sheet.category": W("§ 99 SGB VIII category", "Kategorie nach § 99 SGB VIII"),
    "sheet.decision": W("Decision table", "Entscheidungstabelle"),
    "sheet.result": W("Further result", "Weiteres Ergebnis"),
    "sheet.result.note": W(
        "Values, least severe first; the first matching row gives the value. Rows may read "
        "the outcome and other results.",
        "Werte, der mildeste zuerst; die erste zutreffende Zeile ergibt den Wert. Zeilen "
        "dürfen das Ergebnis und andere weitere Ergebnisse lesen.",
    ),
    "sheet.decision.note": W(
        "Rules are tried in order; the first that matches gives the outcome.",
        "Die Regeln werden der Reihe nach geprüft; die erste zutreffende bestimmt das Ergebnis.",
    ),
    "sheet.decision.missing": W(
        "No decision table is given.",
        "Keine Entscheidungstabelle angegeben.",
    ),
    "sheet.judgement": W("Professional judgement", "Fachliche Einschätzung"),
    "sheet.judgement.note": W(
        "There is no formula. The professionals give the final rating themselves, with author "
        "and justification; indices and flags only describe the ratings.",
        "Es gibt keine Formel. Die Fachkräfte geben die Gesamteinschätzung selbst ab, mit "
        "verantwortlicher Person und Begründung; Indizes und Signale beschreiben nur die "
        "Einschätzungen.",
    ),
    "sheet.rule": W("Rule", "Regel"),
    "sheet.condition": W("Condition", "Bedingung"),
    "sheet.rationale": W("Rationale", "Begründung"),
    "sheet.otherwise": W("otherwise (default rule)", "sonst (Standardregel)"),
    "sheet.policy": W("Policy overrides", "Vorgeschriebene Heraufstufungen"),
    "sheet.policy.note": W(
        "Applied after the decision table: while the condition holds, the outcome is at least "
        "the one named.",
        "Nach der Entscheidungstabelle angewandt: Solange die Bedingung gilt, ist das "
        "Ergebnis mindestens das genannte.",
    ),
    "sheet.policy.none": W("None.", "Keine."),
    "sheet.override": W("Override", "Heraufstufung"),
    "sheet.at_least": W("At least", "Mindestens"),
    "sheet.discretionary": W("Discretionary override", "Abweichung nach fachlichem Ermessen"),
    "sheet.discretionary.allowed": W(
        "The professionals may move the computed outcome by at most {up} up and "
        "{down} down, never below the minimum outcome of a raised flag, and always "
        "with author and justification.",
        "Die Fachkräfte dürfen das berechnete Ergebnis um höchstens {up} anheben und "
        "{down} absenken, nie unter das Mindestergebnis eines ausgelösten Signals, "
        "und stets mit verantwortlicher Person und Begründung.",
    ),
    "sheet.discretionary.up_only": W(
        "The professionals may raise the computed outcome by at most {up}, never "
        "lower it, and always with author and justification.",
        "Die Fachkräfte dürfen das berechnete Ergebnis um höchstens {up} anheben, "
        "nie absenken, und stets mit verantwortlicher Person und Begründung.",
    ),
    "sheet.discretionary.none": W(
        "Not allowed: the computed outcome is final.",
        "Nicht vorgesehen: Das berechnete Ergebnis ist endgültig.",
    ),
    "sheet.checks": W("Process checks", "Verfahrensprüfungen"),
    "sheet.checks.none": W("None.", "Keine."),
    "sheet.check": W("Check", "Prüfung"),
    "sheet.requirement": W("Requirement", "Anforderung"),
    "sheet.legal": W("Legal reference", "Rechtsgrundlage"),
    "sheet.req.min_assessors": W(
        "at least {count} different professionals assessed together",
        "mindestens {count} verschiedene Fachkräfte haben gemeinsam eingeschätzt",
    ),
    "sheet.req.participation.parents": W(
        "the parents were involved, or the reason why not is documented",
        "die Eltern waren beteiligt, oder der Grund dagegen ist dokumentiert",
    ),
    "sheet.req.participation.child": W(
        "the child was involved, or the reason why not is documented",
        "das Kind war beteiligt, oder der Grund dagegen ist dokumentiert",
    ),
    "sheet.req.consultation": W(
        "a professional with the role `{role}` was consulted",
        "eine Fachkraft mit der Rolle `{role}` wurde beratend hinzugezogen",
    ),
    "sheet.req.assessor_role": W(
        "at least one assessor has the role `{role}`",
        "mindestens eine einschätzende Fachkraft hat die Rolle `{role}`",
    ),
    "sheet.req.evidence": W(
        "every answer at or above its item's evidence level carries evidence",
        "jede Antwort ab der Belegstufe ihres Merkmals ist belegt",
    ),
    "sheet.req.concerns_answered": W(
        "every concerning domain has an answering resource or planned help",
        "jeder Bereich mit Sorgen hat eine Ressource oder geplante Hilfe, die ihm begegnet",
    ),
    "sheet.req.concerns_answered.from": W(
        "from the outcome {outcome} on: every concerning domain has an answering resource or "
        "planned help",
        "ab dem Ergebnis {outcome}: jeder Bereich mit Sorgen hat eine Ressource oder geplante "
        "Hilfe, die ihm begegnet",
    ),
    "sheet.footer": W(
        "This sheet is generated from the instrument document; change the instrument, not the "
        "sheet.",
        "Dieses Blatt wird aus dem Instrumentdokument erzeugt; geändert wird das Instrument, "
        "nicht das Blatt.",
    ),
    "sheet.none": W("—", "—"),
    "sheet.c.all": W("all of: ({parts})", "alle: ({parts})"),
    "sheet.c.any": W("any of: ({parts})", "mindestens eine: ({parts})"),
    "sheet.c.not": W("not ({part})", "nicht ({part})"),
    "sheet.c.answer_at_least": W(
        "answer to `{item}` at least `{level}`",
        "Antwort zu `{item}` mindestens `{level}`",
    ),
    "sheet.c.answer_in": W("answer to `{item}` is {levels}", "Antwort zu `{item}` ist {levels}"),
    "sheet.c.context": W("context `{item}` is {levels}", "Kontext `{item}` ist {levels}"),
    "sheet.c.index": W("index `{index}` {op} {value}", "Index `{index}` {op} {value}"),
    "sheet.c.band": W(
        "band of `{index}` at least `{band}`",
        "Band von `{index}` mindestens `{band}`",
    ),
    "sheet.c.flag": W("flag `{flag}` raised", "Signal `{flag}` ausgelöst"),
    "sheet.c.age.between": W("age {low}–<{high} months", "Alter {low}–<{high} Monate"),
    "sheet.c.age.from": W("age at least {low} months", "Alter ab {low} Monaten"),
    "sheet.c.age.below": W("age below {high} months", "Alter unter {high} Monaten"),
    "sheet.c.age.any": W("any age", "jedes Alter"),
    "sheet.c.age.of.youngest_child": W("youngest child: {band}", "jüngstes Kind: {band}"),
    "sheet.c.age.of.oldest_child": W("oldest child: {band}", "ältestes Kind: {band}"),
    "sheet.c.or": W(" or ", " oder "),
    "sheet.c.outcome_at_least": W(
        "the outcome at least `{value}`", "das Ergebnis mindestens `{value}`"
    ),
    "sheet.c.outcome_in": W("the outcome is {values}", "das Ergebnis ist {values}"),
    "sheet.c.result_at_least": W(
        "result `{result}` at least `{value}`", "weiteres Ergebnis `{result}` mindestens `{value}`"
    ),
    "sheet.c.result_in": W(
        "result `{result}` is {values}", "weiteres Ergebnis `{result}` ist {values}"
    ),
    "report.report": W("Risk assessment report", "Bericht zur Gefährdungseinschätzung"),
    "report.comparison.title": W(
        "Reassessment comparison", "Vergleich mit der vorherigen Gefährdungseinschätzung"
    ),
    "report.case": W("Case", "Fall"),
    "report.assessment": W("Assessment", "Einschätzung"),
    "report.date": W("Date of assessment", "Datum der Einschätzung"),
    "report.age": W("Age of the child", "Alter des Kindes"),
    "report.age.subject": W("Age", "Alter"),
    "report.subject": W("Subject", "Eingeschätzt wird"),
    "report.member": W("Member {id} ({role})", "Mitglied {id} ({role})"),
    "report.age.value": W(
        "{years}, {months} ({total} months)",
        "{years}, {months} ({total} Monate)",
    ),
    "report.age.years": W("{n} year", "{n} Jahr", "{n} years", "{n} Jahre"),
    "report.age.months": W("{n} month", "{n} Monat", "{n} months", "{n} Monate"),
    "report.instrument": W("Instrument", "Instrument"),
    "report.assessors": W("Assessors", "Einschätzende Fachkräfte"),
    "report.initiated_by": W("Indications made known by", "Anhaltspunkte bekannt geworden durch"),
    "report.disclaimer": W("Note on the instrument", "Hinweis zum Instrument"),
    "report.support": W(
        "The computed outcome supports the professionals' judgement and never replaces it.",
        "Das berechnete Ergebnis unterstützt die fachliche Einschätzung und ersetzt sie nie.",
    ),
    "report.acute.title": W("Acute danger", "Akute Gefahr"),
    "report.acute.floor": W(
        "While raised, the outcome cannot fall below: {outcome}. No resource lowers this.",
        "Solange ausgelöst, liegt das Ergebnis mindestens bei: {outcome}. Keine Ressource "
        "senkt diese Untergrenze.",
    ),
    "report.section.outcome": W("Outcome", "Ergebnis"),
    "report.section.profile": W("Risk and resource profile", "Risiko- und Ressourcenprofil"),
    "report.section.resources": W(
        "Resources and the family's view",
        "Ressourcen und Sicht der Familie",
    ),
    "report.section.unknowns": W("What is unknown", "Was unbekannt ist"),
    "report.section.process": W("Process checks", "Verfahrensprüfungen"),
    "report.section.items": W("Items, ratings and evidence", "Merkmale, Einschätzungen und Belege"),
    "report.section.comparison": W(
        "Changes since the previous assessment",
        "Veränderungen seit der vorherigen Einschätzung",
    ),
    "report.section.appendix": W(
        "Appendix: trace and fingerprints",
        "Anhang: Rechenweg und Fingerabdrücke",
    ),
    "report.final": W("Final outcome", "Abschließendes Ergebnis"),
    "report.computed": W("Computed outcome", "Berechnetes Ergebnis"),
    "report.status.not_assessable": W(
        "not assessable: too little is known (completeness below the instrument's minimum)",
        "nicht einschätzbar: zu wenig bekannt (Vollständigkeit unter dem Mindestwert)",
    ),
    "report.status.judgement": W(
        "none: the instrument has no formula; the professionals rate themselves",
        "keines: Das Instrument hat keine Formel; die Fachkräfte schätzen selbst ein",
    ),
    "report.floor": W("Minimum set by raised flags", "Untergrenze durch ausgelöste Signale"),
    "report.policy": W("Raised by policy", "Heraufgestuft nach Vorgabe"),
    "report.override.discretionary_override": W("Override by", "Abweichung durch"),
    "report.override.final_rating": W("Final rating by", "Gesamteinschätzung durch"),
    "report.override.levels": W("{n:+d} level", "{n:+d} Stufe", "{n:+d} levels", "{n:+d} Stufen"),
    "report.justification": W("Justification", "Begründung"),
    "report.flags.raised": W("Other raised flags", "Weitere ausgelöste Signale"),
    "report.meaning": W("What this means", "Was das bedeutet"),
    "report.profile.intro": W(
        "Each domain on one common scale from 0 to 100 % of what its items can reach: risks "
        "to the left, strengths and protective factors to the right. Hatched parts are items "
        "not yet known: they could reach that far.",
        "Jeder Bereich auf einer gemeinsamen Skala von 0 bis 100 % dessen, was seine Merkmale "
        "erreichen können: Risiken nach links, Stärken und Schutzfaktoren nach rechts. "
        "Schraffiert sind noch unbekannte Merkmale: Sie könnten bis dorthin reichen.",
    ),
    "report.profile.desc": W(
        "Per domain, the share of the maximum on the risk side and on the protective side.",
        "Je Bereich der Anteil am Höchstwert auf der Risikoseite und auf der Schutzseite.",
    ),
    "report.profile.risk": W("Risks", "Risiken"),
    "report.profile.protective": W("Strengths", "Stärken"),
    "report.profile.unknown": W(
        "not yet known (possible share)",
        "noch unbekannt (möglicher Anteil)",
    ),
    "report.profile.domain": W("Domain", "Bereich"),
    "report.profile.value": W("{known} %", "{known} %"),
    "report.profile.value.unknown": W(
        "{known} % (+ up to {unknown} % unknown)",
        "{known} % (+ bis zu {unknown} % unbekannt)",
    ),
    "report.profile.items": W(
        "{known} of {total} items known",
        "{known} von {total} Merkmalen bekannt",
    ),
    "report.profile.none": W(
        "No domain has rated items.",
        "Kein Bereich hat eingeschätzte Merkmale.",
    ),
    "report.indices": W("Indices", "Indizes"),
    "fhir.indices": W("Indices (computed)", "Indizes (berechnet)"),
    "fhir.evidence": W("Evidence", "Belege"),
    "fhir.evidence.observation": W("Observation", "Beobachtung"),
    "fhir.evidence.source": W("Source", "Quelle"),
    "fhir.evidence.date": W("Date", "Datum"),
    "fhir.note": W("Note", "Notiz"),
    "fhir.not-classified": W(
        "Not classified (the Questionnaire defines no classification)",
        "Nicht eingestuft (der Fragebogen legt keine Einstufung fest)",
    ),
    "fhir.no-rule": W(
        "The Questionnaire defines no rule; add bands and a decision table",
        "Der Fragebogen legt keine Regel fest; Einstufungen und Entscheidungstabelle ergänzen",
    ),
    "fhir.total": W("Total score", "Gesamtpunktzahl"),
    "fhir.not-expressed": W(
        "{link_id}: not expressed for form renderers (FHIRPath); kwg-check score computes it",
        "{link_id}: für Formular-Renderer nicht ausgedrückt (FHIRPath); kwg-check score "
        "berechnet es",
    ),
    "report.index": W("Index", "Index"),
    "report.side": W("Side", "Seite"),
    "report.value": W("Value", "Wert"),
    "report.band": W("Band", "Einstufung"),
    "report.resources.map": W("Resource map", "Ressourcenkarte"),
    "report.resource": W("Resource", "Ressource"),
    "report.resource.category": W("Category", "Kategorie"),
    "report.resource.available": W("Available now", "Jetzt verfügbar"),
    "report.resource.note": W("How it can help", "Wie sie helfen kann"),
    "report.resources.none": W("No resources recorded.", "Keine Ressourcen erfasst."),
    "report.network.title": W("Network map", "Netzwerkkarte"),
    "report.network.description": W(
        "The family at the centre, {n} resource in its sector of the network; the closer to "
        "the centre, the closer to the family. Solid lines: available now; dashed: not "
        "available; hollow: not wanted by the family. The numbers refer to the resource table.",
        "Die Familie in der Mitte, {n} Ressource in ihrem Sektor des Netzwerks; je näher der "
        "Mitte, desto näher der Familie. Durchgezogene Linien: jetzt verfügbar; gestrichelt: "
        "nicht verfügbar; hohl: von der Familie nicht gewünscht. Die Nummern verweisen auf "
        "die Ressourcentabelle.",
        "The family at the centre, {n} resources in their sectors of the network; the closer "
        "to the centre, the closer to the family. Solid lines: available now; dashed: not "
        "available; hollow: not wanted by the family. The numbers refer to the resource table.",
        "Die Familie in der Mitte, {n} Ressourcen in ihren Sektoren des Netzwerks; je näher "
        "der Mitte, desto näher der Familie. Durchgezogene Linien: jetzt verfügbar; "
        "gestrichelt: nicht verfügbar; hohl: von der Familie nicht gewünscht. Die Nummern "
        "verweisen auf die Ressourcentabelle.",
    ),
    "report.network.family": W("Family", "Familie"),
    "report.network.available": W("available now", "jetzt verfügbar"),
    "report.network.unavailable": W("not available", "nicht verfügbar"),
    "report.network.unwanted": W("not wanted by the family", "von der Familie nicht gewünscht"),
    "report.network.number": W("No.", "Nr."),
    "report.network.place": W("Place in the network", "Ort im Netzwerk"),
    "report.network.wanted": W("Wanted by the family", "Von der Familie gewünscht"),
    "report.planning.title": W("Protection planning", "Schutzplanung"),
    "report.planning.none": W(
        "No concerning rating: nothing to plan protection for.",
        "Keine auffällige Einschätzung: keine Schutzplanung nötig.",
    ),
    "report.planning.concern": W("Concern", "Sorge"),
    "report.planning.resources": W("Resources that answer it", "Ressourcen, die ihr begegnen"),
    "report.planning.goal": W("The family's goal", "Ziel der Familie"),
    "report.planning.planned": W("{resource} (planned)", "{resource} (geplant)"),
    "report.planning.open": W("none yet", "noch keine"),
    "report.planning.unanswered": W(
        "No available resource answers yet: {domains}.",
        "Noch keine verfügbare Ressource begegnet: {domains}.",
    ),
    "report.family.goals": W(
        "The family's goals, in their words", "Ziele der Familie, in ihren Worten"
    ),
    "report.section.consensus": W("Consensus", "Konsens"),
    "report.consensus.resolves": W(
        "Resolves the independent ratings", "Löst die unabhängigen Einschätzungen auf"
    ),
    "report.consensus.missing": W(
        "Not given to the report: {ids}.", "Dem Bericht nicht beigefügt: {ids}."
    ),
    "report.consensus.item": W("Item", "Merkmal"),
    "report.consensus.consensus": W("Consensus", "Konsens"),
    "report.consensus.same": W(
        "The consensus agrees with every independent rating.",
        "Der Konsens stimmt mit jeder unabhängigen Einschätzung überein.",
    ),
    "report.family.title": W("The family's own view", "Die Sicht der Familie"),
    "report.family.statement": W(
        "How the family sees the situation",
        "Wie die Familie die Lage sieht",
    ),
    "report.family.will": W("What the family wants to change", "Was die Familie ändern möchte"),
    "report.family.none": W(
        "The family's view is not recorded.",
        "Die Sicht der Familie ist nicht erfasst.",
    ),
    "report.yes": W("yes", "ja"),
    "report.no": W("no", "nein"),
    "report.completeness": W("Completeness", "Vollständigkeit"),
    "report.completeness.value": W(
        "{known} of {total} applicable items known ({percent} %)",
        "{known} von {total} zutreffenden Merkmalen bekannt ({percent} %)",
    ),
    "report.completeness.minimum": W("Minimum required", "Mindestens erforderlich"),
    "report.completeness.sufficient": W("Sufficient", "Ausreichend"),
    "report.unknowns.none": W(
        "Every applicable item is rated with a known level.",
        "Jedes zutreffende Merkmal ist mit einer bekannten Stufe eingeschätzt.",
    ),
    "report.range": W("Outcomes the unknowns allow", "Ergebnisse, die das Unbekannte zulässt"),
    "report.range.value": W("from {low} to {high}", "{low} bis {high}"),
    "range_method.none": W("nothing is unknown", "nichts ist unbekannt"),
    "range_method.exact_monotone": W(
        "exact (monotone instrument)",
        "exakt (monotones Instrument)",
    ),
    "range_method.exhaustive": W(
        "exact (every completion tried)",
        "exakt (alle Möglichkeiten geprüft)",
    ),
    "range_method.closed_form": W(
        "exact (read off the independent parts' bounds)",
        "exakt (aus den Schranken unabhängiger Teile abgelesen)",
    ),
    "range_method.branch_and_bound": W(
        "exact (branch and bound over partial answers)",
        "exakt (Suche mit Schranken über Teilantworten)",
    ),
    "range_method.conservative": W(
        "conservative: a bound of every completion, possibly wider",
        "vorsichtig: eine Schranke aller Möglichkeiten, eventuell weiter",
    ),
    "report.clarify": W("Clarify first", "Zuerst klären"),
    "report.results": W("Further results", "Weitere Ergebnisse"),
    "report.result.range": W(
        "the unknowns allow {low} to {high}", "das Unbekannte lässt {low} bis {high} zu"
    ),
    "report.result.clarify": W("clarify first: {items}", "zuerst klären: {items}"),
    "report.index.range": W("Range under unknowns", "Spanne bei Unbekanntem"),
    "report.index.range.value": W("{low} to {high}", "{low} bis {high}"),
    "report.clarify.none": W(
        "No single unknown item could change the outcome by itself.",
        "Kein einzelnes unbekanntes Merkmal könnte das Ergebnis allein ändern.",
    ),
    "report.unknown.items": W("Unknown or missing items", "Unbekannte oder fehlende Merkmale"),
    "report.item": W("Item", "Merkmal"),
    "report.domain": W("Domain", "Bereich"),
    "report.status": W("Status", "Status"),
    "item_status.unknown": W("cannot be assessed", "nicht einschätzbar"),
    "item_status.missing": W("not answered", "nicht beantwortet"),
    "item_status.not_applicable": W("does not apply", "trifft nicht zu"),
    "report.check": W("Check", "Prüfung"),
    "report.result": W("Result", "Ergebnis"),
    "report.legal": W("Legal reference", "Rechtsgrundlage"),
    "report.reason": W("Reason", "Begründung"),
    "check_result.pass": W("met", "erfüllt"),
    "check_result.fail": W("NOT met", "NICHT erfüllt"),
    "check_result.not_applicable": W("does not apply", "nicht anwendbar"),
    "report.checks.none": W(
        "The instrument names no process checks.",
        "Das Instrument nennt keine Verfahrensprüfungen.",
    ),
    "report.participation": W("Participation", "Beteiligung"),
    "report.participation.parents": W("Parents", "Eltern"),
    "report.participation.child": W("Child", "Kind"),
    "report.participation.involved": W("involved", "beteiligt"),
    "report.participation.not_involved": W("not involved", "nicht beteiligt"),
    "report.participation.unrecorded": W("not recorded", "nicht erfasst"),
    "report.participation.reason": W("Reason", "Grund"),
    "report.consultations": W("Consultations", "Beratungen"),
    "report.warnings": W("Warnings", "Hinweise"),
    "report.rating": W("Rating", "Einschätzung"),
    "report.anchor": W("Anchor", "Ankerbeispiel"),
    "report.evidence": W("Evidence and notes", "Belege und Notizen"),
    "report.concerning": W("concerning", "auffällig"),
    "report.note": W("Note", "Notiz"),
    "report.fingerprints": W("Fingerprints", "Fingerabdrücke"),
    "report.engine": W("Computed with", "Berechnet mit"),
    "report.fingerprint.instrument": W("Instrument document", "Instrumentdokument"),
    "report.fingerprint.assessment": W("Assessment document", "Einschätzungsdokument"),
    "report.fingerprint.note": W(
        "SHA-256 over the canonical JSON of each document. kwg-check verify recomputes the "
        "summary from the assessment and checks every number below.",
        "SHA-256 über das kanonische JSON jedes Dokuments. kwg-check verify berechnet die "
        "Zusammenfassung aus der Einschätzung neu und prüft jede Zahl unten.",
    ),
    "report.trace": W("Trace", "Rechenweg"),
    "report.trace.step": W("#", "#"),
    "report.trace.kind": W("Kind", "Art"),
    "report.trace.id": W("Element", "Element"),
    "report.trace.inputs": W("Inputs", "Eingaben"),
    "report.trace.result": W("Result", "Ergebnis"),
    "report.trace.explanation": W("Explanation", "Erläuterung"),
    "report.footer": W(
        "Generated by kwg_check {version} from the assessment document. {support}",
        "Erzeugt von kwg_check {version} aus dem Einschätzungsdokument. {support}",
    ),
    "report.section.appendix.fingerprints": W("Appendix: fingerprints", "Anhang: Fingerabdrücke"),
    "report.trace.omitted": W(
        "The trace is left out of this report. It is part of the summary document; "
        "kwg-check report --trace prints it here.",
        "Der Rechenweg ist in diesem Bericht nicht abgedruckt. Er steht im "
        "Zusammenfassungsdokument; kwg-check report --trace druckt ihn hier mit ab.",
    ),
    "report.page.number": W("Page {page} of {pages}", "Seite {page} von {pages}"),
    "report.checks.failed": W("Process checks not met", "Nicht erfüllte Verfahrensprüfungen"),
    "report.checks.all_met": W(
        "Every process check that applies is met.",
        "Alle anwendbaren Verfahrensprüfungen sind erfüllt.",
    ),
    "report.anchors": W(
        "Anchors of the levels rated concerning", "Ankerbeispiele der auffälligen Stufen"
    ),
    "report.level": W("Level", "Stufe"),
    "report.cmp.previous": W("Previous assessment", "Vorherige Einschätzung"),
    "report.cmp.glance": W("At a glance", "Auf einen Blick"),
    "report.cmp.all": W("Every change", "Alle Veränderungen"),
    "report.cmp.outcome.unchanged": W("Outcome unchanged: {new}.", "Ergebnis unverändert: {new}."),
    "report.cmp.outcome.up": W(
        "Outcome changed: before {old}, now {new} (more severe).",
        "Ergebnis geändert: vorher {old}, jetzt {new} (schwerwiegender).",
    ),
    "report.cmp.outcome.down": W(
        "Outcome changed: before {old}, now {new} (less severe).",
        "Ergebnis geändert: vorher {old}, jetzt {new} (weniger schwerwiegend).",
    ),
    "report.cmp.outcome.changed": W(
        "Outcome changed: before {old}, now {new}.", "Ergebnis geändert: vorher {old}, jetzt {new}."
    ),
    "report.cmp.range.span": W("{low} to {high}", "{low} bis {high}"),
    "report.cmp.range.unchanged": W(
        "The outcomes the unknowns allow are unchanged: {new}.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, ist unverändert: {new}.",
    ),
    "report.cmp.range.narrowed": W(
        "The outcomes the unknowns allow narrowed: before {old}; now {new}.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, hat sich verengt: "
        "vorher {old}; jetzt {new}.",
    ),
    "report.cmp.range.widened": W(
        "The outcomes the unknowns allow widened: before {old}; now {new}.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, hat sich erweitert: "
        "vorher {old}; jetzt {new}.",
    ),
    "report.cmp.range.up": W(
        "The outcomes the unknowns allow moved up: before {old}; now {new}.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, hat sich zum Schwereren "
        "verschoben: vorher {old}; jetzt {new}.",
    ),
    "report.cmp.range.down": W(
        "The outcomes the unknowns allow moved down: before {old}; now {new}.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, hat sich zum Leichteren "
        "verschoben: vorher {old}; jetzt {new}.",
    ),
    "report.cmp.range.changed": W(
        "The outcomes the unknowns allow changed: before {old}; now {new}.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, hat sich verändert: "
        "vorher {old}; jetzt {new}.",
    ),
    "report.cmp.participation.up": W("{party}: now involved.", "{party}: jetzt beteiligt."),
    "report.cmp.participation.down": W(
        "{party}: no longer involved.", "{party}: nicht mehr beteiligt."
    ),
    "report.cmp.participation.changed": W("{party}: {old} → {new}.", "{party}: {old} → {new}."),
    "report.cmp.flag.up": W("Flag raised: {flag}.", "Signal ausgelöst: {flag}."),
    "report.cmp.flag.down": W("Flag cleared: {flag}.", "Signal nicht mehr ausgelöst: {flag}."),
    "report.cmp.resource.gained": W(
        "Resource gained: {resource}.", "Ressource gewonnen: {resource}."
    ),
    "report.cmp.resource.lost": W("Resource lost: {resource}.", "Ressource verloren: {resource}."),
    "report.cmp.current": W("This assessment", "Diese Einschätzung"),
    "report.cmp.what": W("What", "Was"),
    "report.cmp.element": W("Element", "Element"),
    "report.cmp.before": W("Before", "Vorher"),
    "report.cmp.after": W("After", "Nachher"),
    "report.cmp.change": W("Change", "Veränderung"),
    "report.cmp.none": W("Nothing changed.", "Nichts hat sich verändert."),
    "report.cmp.kind.outcome": W("Outcome", "Ergebnis"),
    "report.cmp.kind.index": W("Index", "Index"),
    "report.cmp.kind.band": W("Band", "Einstufung"),
    "report.cmp.kind.flag": W("Flag", "Signal"),
    "report.cmp.kind.item": W("Item", "Merkmal"),
    "report.cmp.kind.resource": W("Resource", "Ressource"),
    "report.cmp.outcome.computed": W("computed", "berechnet"),
    "report.cmp.outcome.final": W("final", "abschließend"),
    "report.cmp.up": W("higher", "höher"),
    "report.cmp.down": W("lower", "niedriger"),
    "report.cmp.changed": W("changed", "verändert"),
    "report.cmp.added": W("added", "neu"),
    "report.cmp.removed": W("removed", "entfallen"),
    "report.cmp.resource.up": W("gained", "gewonnen"),
    "report.cmp.resource.down": W("lost", "verloren"),
    "report.cmp.resource.added": W("gained", "gewonnen"),
    "report.cmp.resource.removed": W("lost", "verloren"),
    "report.cmp.flag.raised": W("raised", "ausgelöst"),
    "report.cmp.flag.not_raised": W("not raised", "nicht ausgelöst"),
    "report.cmp.resource.available": W("available", "verfügbar"),
    "report.cmp.resource.not_available": W("not available", "nicht verfügbar"),
    "report.cmp.resource.count": W("{count} available", "{count} verfügbar"),
    "text.assessment": W("Assessment", "Einschätzung"),
    "text.case": W("case", "Fall"),
    "text.age": W("age in months", "Alter in Monaten"),
    "text.subject": W("subject", "eingeschätzt wird"),
    "text.members": W("Members", "Mitglieder"),
    "text.member": W("{id} ({role}, {n} months)", "{id} ({role}, {n} Monate)"),
    "text.outcome": W("Outcome", "Ergebnis"),
    "text.computed": W("computed", "berechnet"),
    "text.final": W("final", "abschließend"),
    "text.not_assessable": W(
        "not assessable (too little is known)",
        "nicht einschätzbar (zu wenig bekannt)",
    ),
    "text.judgement": W("professional judgement", "fachliche Gesamteinschätzung"),
    "text.none": W("none", "keines"),
    "text.policy": W("policy override", "Vorgabe"),
    "text.floor": W("floor set by raised flags", "Untergrenze durch Gefährdungsmerkmale"),
    "text.override": W("override by", "Abweichung durch Fachkraft"),
    "text.final_rating": W("final rating by", "Einschätzung durch Fachkraft"),
    "text.levels": W("levels", "Stufen"),
    "text.statistic": W("§ 99 SGB VIII statistic", "Statistik § 99 SGB VIII"),
    "text.forms": W("Forms of endangerment", "Gefährdungsformen"),
    "text.flags": W("Raised flags", "Ausgelöste Merkmale"),
    "text.indices": W("Indices", "Indizes"),
    "text.index_range": W("range under unknowns", "Spanne bei Unbekanntem"),
    "text.resources": W("Resources (available/not)", "Ressourcen (verfügbar/nicht verfügbar)"),
    "text.unanswered": W(
        "Concerns no available resource answers yet",
        "Sorgen, denen noch keine verfügbare Ressource begegnet",
    ),
    "text.completeness": W("Completeness", "Vollständigkeit"),
    "text.known": W("known", "bekannt"),
    "text.minimum": W("minimum", "Mindestwert"),
    "text.unknown": W("Unknown", "Unbekannt"),
    "text.range": W("possible outcomes", "mögliche Ergebnisse"),
    "text.result_range": W("possible values", "mögliche Werte"),
    "text.clarify": W("Clarify first", "Zuerst klären"),
    "text.checks": W("Process checks", "Verfahrensprüfungen"),
    "text.warnings": W("Warnings", "Hinweise"),
    "rounding.half_up": W("half up", "kaufmännisch"),
    "rounding.half_even": W("half to even", "mathematisch"),
    "rounding.down": W("towards zero", "zur Null hin"),
    "rounding.up": W("away from zero", "von der Null weg"),
    "warning.answer.not-applicable": W(
        "item {item} does not apply; its answer is reported but not scored",
        "Merkmal {item} trifft nicht zu; seine Antwort wird angezeigt, aber nicht gewertet",
    ),
    "warning.evidence.missing": W(
        "the answer to item {item} is at or above its evidence level and carries no evidence",
        "die Antwort zu Merkmal {item} erreicht die Belegstufe, hat aber keinen Beleg",
    ),
    "warning.evidence.future-date": W(
        "the evidence is dated after the assessment date",
        "der Beleg ist nach dem Datum der Einschätzung datiert",
    ),
    "warning.evidence.stale": W(
        "the evidence is older than {n} day on the assessment date",
        "der Beleg ist am Tag der Einschätzung älter als {n} Tag",
        "the evidence is older than {n} days on the assessment date",
        "der Beleg ist am Tag der Einschätzung älter als {n} Tage",
    ),
    "warning.judgement.missing": W(
        "the instrument leaves the rating to the professionals, and no final rating is given",
        "das Instrument überlässt die Bewertung den Fachkräften, und es fehlt eine abschließende "
        "Bewertung",
    ),
    "warning.override.not-applied": W(
        "the outcome is not assessable (completeness below the minimum), so the override is "
        "not applied",
        "das Ergebnis ist nicht einschätzbar (Vollständigkeit unter dem Mindestwert), daher wird "
        "die Abweichung nicht angewandt",
    ),
    "explain.check_not_applicable": W(
        "the check does not apply to this assessment",
        "die Prüfung gilt für diese Einschätzung nicht",
    ),
    "explain.assessors_counted": W(
        "{n} distinct assessor; at least {required} required",
        "{n} unterschiedliche Fachkraft; mindestens {required} erforderlich",
        "{n} distinct assessors; at least {required} required",
        "{n} unterschiedliche Fachkräfte; mindestens {required} erforderlich",
    ),
    "explain.parents_not_recorded": W(
        "the participation of the parents is not recorded",
        "die Beteiligung der Eltern ist nicht dokumentiert",
    ),
    "explain.parents_involved": W("the parents were involved", "die Eltern waren beteiligt"),
    "explain.parents_not_involved_reason": W(
        "the parents were not involved and a reason is documented",
        "die Eltern waren nicht beteiligt, ein Grund ist dokumentiert",
    ),
    "explain.parents_not_involved_no_reason": W(
        "the parents were not involved and no reason is documented",
        "die Eltern waren nicht beteiligt, und kein Grund ist dokumentiert",
    ),
    "explain.child_not_recorded": W(
        "the participation of the child is not recorded",
        "die Beteiligung des Kindes ist nicht dokumentiert",
    ),
    "explain.child_involved": W("the child was involved", "das Kind war beteiligt"),
    "explain.child_not_involved_reason": W(
        "the child was not involved and a reason is documented",
        "das Kind war nicht beteiligt, ein Grund ist dokumentiert",
    ),
    "explain.child_not_involved_no_reason": W(
        "the child was not involved and no reason is documented",
        "das Kind war nicht beteiligt, und kein Grund ist dokumentiert",
    ),
    "explain.role_consulted": W(
        "a professional with the role {role} was consulted",
        "eine Fachkraft mit der Rolle {role} wurde hinzugezogen",
    ),
    "explain.role_not_consulted": W(
        "no professional with the role {role} was consulted",
        "keine Fachkraft mit der Rolle {role} wurde hinzugezogen",
    ),
    "explain.assessor_role_present": W(
        "an assessor has the role {role}",
        "eine einschätzende Fachkraft hat die Rolle {role}",
    ),
    "explain.assessor_role_missing": W(
        "no assessor has the role {role}",
        "keine einschätzende Fachkraft hat die Rolle {role}",
    ),
    "explain.evidence_complete": W(
        "every answer that requires evidence carries evidence",
        "jede Antwort, die einen Beleg erfordert, hat einen Beleg",
    ),
    "explain.evidence_lacking": W(
        "answers without required evidence: {items}",
        "Antworten ohne erforderlichen Beleg: {items}",
    ),
    "explain.concerns_answered": W(
        "every concern ({n}) has an answering resource or planned help",
        "jede Sorge ({n}) hat eine Ressource oder geplante Hilfe, die ihr begegnet",
    ),
    "explain.concerns_open": W(
        "concerns without an answering resource or planned help: {domains}",
        "Sorgen ohne Ressource oder geplante Hilfe, die ihnen begegnet: {domains}",
    ),
    "explain.concerns_below_outcome": W(
        "the final outcome is less severe than {outcome}",
        "das Ergebnis ist weniger schwer als {outcome}",
    ),
    "explain.flag_raised": W("flag {flag} is raised", "Signal {flag} ist ausgelöst"),
    "explain.flag_not_raised": W("flag {flag} is not raised", "Signal {flag} ist nicht ausgelöst"),
    "explain.item_applies": W(
        "item {item} applies to this child", "Merkmal {item} trifft auf dieses Kind zu"
    ),
    "explain.item_does_not_apply": W(
        "item {item} does not apply to this child",
        "Merkmal {item} trifft auf dieses Kind nicht zu",
    ),
    "explain.item_not_answered": W(
        "item {item} applies but is not answered; it counts nowhere",
        "Merkmal {item} trifft zu, ist aber nicht beantwortet; es zählt nirgends",
    ),
    "explain.caregivers_unknown_left_out": W(
        "the more severe of {n} caregiver rating counts; it is unknown, and unknown answers "
        "are left out of every aggregation",
        "die schwerere von {n} Bewertung der Bezugspersonen zählt; sie ist unbekannt, und "
        "unbekannte Antworten bleiben bei jeder Zusammenfassung außen vor",
        "the more severe of {n} caregiver ratings counts; it is unknown, and unknown answers "
        "are left out of every aggregation",
        "die schwerere von {n} Bewertungen der Bezugspersonen zählt; sie ist unbekannt, und "
        "unbekannte Antworten bleiben bei jeder Zusammenfassung außen vor",
    ),
    "explain.caregivers_unknown_scored": W(
        "the more severe of {n} caregiver rating counts; it is unknown, and the instrument "
        "scores unknown answers as {points} points",
        "die schwerere von {n} Bewertung der Bezugspersonen zählt; sie ist unbekannt, und das "
        "Instrument wertet unbekannte Antworten mit {points} Punkten",
        "the more severe of {n} caregiver ratings counts; it is unknown, and the instrument "
        "scores unknown answers as {points} points",
        "die schwerere von {n} Bewertungen der Bezugspersonen zählt; sie ist unbekannt, und das "
        "Instrument wertet unbekannte Antworten mit {points} Punkten",
    ),
    "explain.caregivers_highest": W(
        "the more severe of {n} caregiver rating counts: the highest, {level}",
        "die schwerere von {n} Bewertung der Bezugspersonen zählt: die höchste, {level}",
        "the more severe of {n} caregiver ratings counts: the highest, {level}",
        "die schwerere von {n} Bewertungen der Bezugspersonen zählt: die höchste, {level}",
    ),
    "explain.caregivers_lowest": W(
        "the more severe of {n} caregiver rating counts: the lowest, {level}",
        "die schwerere von {n} Bewertung der Bezugspersonen zählt: die niedrigste, {level}",
        "the more severe of {n} caregiver ratings counts: the lowest, {level}",
        "die schwerere von {n} Bewertungen der Bezugspersonen zählt: die niedrigste, {level}",
    ),
    "explain.levels_summed": W(
        "sum of the points of {n} selected level",
        "Summe der Punkte von {n} gewählten Stufe",
        "sum of the points of {n} selected levels",
        "Summe der Punkte von {n} gewählten Stufen",
    ),
    "explain.levels_highest": W(
        "the highest of {n} selected level counts",
        "die höchste von {n} gewählten Stufe zählt",
        "the highest of {n} selected levels counts",
        "die höchste von {n} gewählten Stufen zählt",
    ),
    "explain.item_unknown_left_out": W(
        "item {item} is rated unknown; unknown answers are left out of every aggregation",
        "Merkmal {item} ist als unbekannt bewertet; unbekannte Antworten bleiben bei jeder "
        "Zusammenfassung außen vor",
    ),
    "explain.item_unknown_scored": W(
        "item {item} is rated unknown; the instrument scores unknown answers as {points} points",
        "Merkmal {item} ist als unbekannt bewertet; das Instrument wertet unbekannte Antworten "
        "mit {points} Punkten",
    ),
    "explain.level_scored": W(
        "level {level} scores {points} points", "Stufe {level} ergibt {points} Punkte"
    ),
    "explain.band_none": W(
        "index {index} has no value, so no band",
        "Index {index} hat keinen Wert, also keine Einstufung",
    ),
    "explain.band_highest_input": W(
        "the highest input band is {band}", "die höchste Einstufung der Eingaben ist {band}"
    ),
    "explain.band_below_cutoffs": W(
        "value {value} lies below every cut-off: band {band}",
        "Wert {value} liegt unter jeder Schwelle: Einstufung {band}",
    ),
    "explain.band_cutoff_reached": W(
        "value {value} reaches cut-off {cutoff}: band {band}",
        "Wert {value} erreicht die Schwelle {cutoff}: Einstufung {band}",
    ),
    "explain.count_at_least": W(
        "number of answered items at or above level {level}",
        "Anzahl der beantworteten Merkmale ab Stufe {level}",
    ),
    "explain.count_strengths": W(
        "number of answered items at a strength level of their bipolar scale",
        "Anzahl der beantworteten Merkmale auf einer Stärken-Stufe ihrer bipolaren Skala",
    ),
    "explain.count_concerns": W(
        "number of answered items at a concern level of their bipolar scale",
        "Anzahl der beantworteten Merkmale auf einer Problem-Stufe ihrer bipolaren Skala",
    ),
    "explain.prorated_sum": W(
        "sum of the points × {applicable} applicable ÷ {answered} answered items; rounded "
        "{mode} to {n} place",
        "Summe der Punkte × {applicable} zutreffende ÷ {answered} beantwortete Merkmale; "
        "{mode} gerundet auf {n} Stelle",
        "sum of the points × {applicable} applicable ÷ {answered} answered items; rounded "
        "{mode} to {n} places",
        "Summe der Punkte × {applicable} zutreffende ÷ {answered} beantwortete Merkmale; "
        "{mode} gerundet auf {n} Stellen",
    ),
    "explain.prorated_sum_empty": W(
        "undetermined: {answered} of {applicable} applicable items answered, less than the "
        "required share {minimum}",
        "nicht bestimmbar: {answered} von {applicable} zutreffenden Merkmalen beantwortet, "
        "weniger als der geforderte Anteil {minimum}",
    ),
    "explain.scaled": W("{index} × {factor}", "{index} × {factor}"),
    "explain.scaled_rounded": W(
        "{index} × {factor}, rounded {mode} to {n} place",
        "{index} × {factor}, {mode} gerundet auf {n} Stelle",
        "{index} × {factor}, rounded {mode} to {n} places",
        "{index} × {factor}, {mode} gerundet auf {n} Stellen",
    ),
    "explain.rounded": W(
        "{index} rounded {mode} to {n} place",
        "{index} {mode} gerundet auf {n} Stelle",
        "{index} rounded {mode} to {n} places",
        "{index} {mode} gerundet auf {n} Stellen",
    ),
    "explain.difference": W("{index} minus {minus}", "{index} minus {minus}"),
    "explain.arithmetic_empty": W(
        "no value: an input index has no value",
        "kein Wert: ein Eingabe-Index hat keinen Wert",
    ),
    "explain.level_recorded": W(
        "level {level} is recorded; the scale gives no points",
        "Stufe {level} ist festgehalten; die Skala vergibt keine Punkte",
    ),
    "explain.max_band": W(
        "rank (from 1) of the highest band among the input indices",
        "Rang (ab 1) der höchsten Einstufung unter den Eingabe-Indizes",
    ),
    "explain.sum": W(
        "sum of the items' points and the indices' values; counted items: {item_count}, "
        "counted indices: {index_count}",
        "Summe der Punkte der Merkmale und der Werte der Indizes; gezählte Merkmale: "
        "{item_count}, gezählte Indizes: {index_count}",
    ),
    "explain.weighted_sum": W(
        "sum of the points times weight; counted items: {item_count}, counted indices: "
        "{index_count}",
        "Summe der Punkte mal Gewicht; gezählte Merkmale: {item_count}, gezählte Indizes: "
        "{index_count}",
    ),
    "explain.mean": W(
        "mean; counted items: {item_count}, counted indices: {index_count}; rounded {mode} "
        "to {n} place",
        "Mittelwert; gezählte Merkmale: {item_count}, gezählte Indizes: {index_count}; "
        "{mode} gerundet auf {n} Stelle",
        "mean; counted items: {item_count}, counted indices: {index_count}; rounded {mode} "
        "to {n} places",
        "Mittelwert; gezählte Merkmale: {item_count}, gezählte Indizes: {index_count}; "
        "{mode} gerundet auf {n} Stellen",
    ),
    "explain.max": W(
        "highest value; counted items: {item_count}, counted indices: {index_count}",
        "höchster Wert; gezählte Merkmale: {item_count}, gezählte Indizes: {index_count}",
    ),
    "explain.min": W(
        "lowest value; counted items: {item_count}, counted indices: {index_count}",
        "niedrigster Wert; gezählte Merkmale: {item_count}, gezählte Indizes: {index_count}",
    ),
    "explain.sum_empty": W(
        "the sum has no value: nothing could be aggregated",
        "die Summe hat keinen Wert: nichts war zusammenzufassen",
    ),
    "explain.weighted_sum_empty": W(
        "the weighted sum has no value: nothing could be aggregated",
        "die gewichtete Summe hat keinen Wert: nichts war zusammenzufassen",
    ),
    "explain.mean_empty": W(
        "the mean has no value: nothing could be aggregated",
        "der Mittelwert hat keinen Wert: nichts war zusammenzufassen",
    ),
    "explain.max_empty": W(
        "the highest value does not exist: nothing could be aggregated",
        "es gibt keinen höchsten Wert: nichts war zusammenzufassen",
    ),
    "explain.min_empty": W(
        "the lowest value does not exist: nothing could be aggregated",
        "es gibt keinen niedrigsten Wert: nichts war zusammenzufassen",
    ),
    "explain.completeness": W(
        "{known} of {n} applicable item is answered with a known level",
        "{known} von {n} zutreffenden Merkmal ist mit bekannter Stufe beantwortet",
        "{known} of {n} applicable items are answered with a known level",
        "{known} von {n} zutreffenden Merkmalen sind mit bekannter Stufe beantwortet",
    ),
    "explain.completeness_met": W(
        "{known} of {n} applicable item is answered with a known level; the minimum {minimum} "
        "is met",
        "{known} von {n} zutreffenden Merkmal ist mit bekannter Stufe beantwortet; der "
        "Mindestwert {minimum} ist erreicht",
        "{known} of {n} applicable items are answered with a known level; the minimum "
        "{minimum} is met",
        "{known} von {n} zutreffenden Merkmalen sind mit bekannter Stufe beantwortet; der "
        "Mindestwert {minimum} ist erreicht",
    ),
    "explain.completeness_not_met": W(
        "{known} of {n} applicable item is answered with a known level; the minimum {minimum} "
        "is not met",
        "{known} von {n} zutreffenden Merkmal ist mit bekannter Stufe beantwortet; der "
        "Mindestwert {minimum} ist nicht erreicht",
        "{known} of {n} applicable items are answered with a known level; the minimum "
        "{minimum} is not met",
        "{known} von {n} zutreffenden Merkmalen sind mit bekannter Stufe beantwortet; der "
        "Mindestwert {minimum} ist nicht erreicht",
    ),
    "explain.default_rule_applies": W(
        "default rule {rule} applies: outcome {outcome}",
        "Auffangregel {rule} greift: Ergebnis {outcome}",
    ),
    "explain.rule_matches": W(
        "rule {rule} matches: outcome {outcome}", "Regel {rule} trifft zu: Ergebnis {outcome}"
    ),
    "explain.rule_does_not_match": W("rule {rule} does not match", "Regel {rule} trifft nicht zu"),
    "explain.result_row_matches": W(
        "{result}: row {rule} matches: {outcome}",
        "{result}: Zeile {rule} trifft zu: {outcome}",
    ),
    "explain.result_default_row": W(
        "{result}: default row {rule} applies: {outcome}",
        "{result}: Auffangzeile {rule} greift: {outcome}",
    ),
    "explain.result_row_does_not_match": W(
        "{result}: row {rule} does not match", "{result}: Zeile {rule} trifft nicht zu"
    ),
    "explain.policy_holds": W(
        "policy override {policy} holds: the outcome is at least {outcome}",
        "Vorgabe {policy} greift: das Ergebnis ist mindestens {outcome}",
    ),
    "explain.floor_set": W(
        "raised flags set a floor: the outcome is never below {outcome}",
        "ausgelöste Signale bestimmen eine Untergrenze: das Ergebnis ist nie niedriger als "
        "{outcome}",
    ),
    "explain.final_rating": W(
        "final rating by {author}: outcome {outcome}",
        "abschließende Bewertung durch {author}: Ergebnis {outcome}",
    ),
    "explain.override_applied": W(
        "discretionary override by {author}: {n:+d} level from {computed} to {outcome}, "
        "within the instrument's policy",
        "fachliche Abweichung durch {author}: {n:+d} Stufe von {computed} nach {outcome}, "
        "im Rahmen der Vorgaben des Instruments",
        "discretionary override by {author}: {n:+d} levels from {computed} to {outcome}, "
        "within the instrument's policy",
        "fachliche Abweichung durch {author}: {n:+d} Stufen von {computed} nach {outcome}, "
        "im Rahmen der Vorgaben des Instruments",
    ),
    "explain.not_assessable_floor": W(
        "not assessable: completeness is below the minimum; the floor {outcome} of the raised "
        "flags is the final outcome",
        "nicht einschätzbar: die Vollständigkeit liegt unter dem Mindestwert; die Untergrenze "
        "{outcome} der ausgelösten Signale ist das Endergebnis",
    ),
    "explain.not_assessable_no_floor": W(
        "not assessable: completeness is below the minimum; no flag sets a floor, so there is "
        "no final outcome",
        "nicht einschätzbar: die Vollständigkeit liegt unter dem Mindestwert; kein Signal "
        "bestimmt eine Untergrenze, also gibt es kein Endergebnis",
    ),
    "explain.final_rating_missing": W(
        "no final outcome: the professionals' final rating is missing",
        "kein Endergebnis: die abschließende Bewertung der Fachkräfte fehlt",
    ),
    "explain.outcome_decided": W(
        "final outcome {outcome}, decided by the professionals",
        "Endergebnis {outcome}, von den Fachkräften entschieden",
    ),
    "explain.outcome_computed": W(
        "final outcome {outcome}, as computed", "Endergebnis {outcome}, wie berechnet"
    ),
}
