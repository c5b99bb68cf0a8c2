"""HL7 FHIR R4 interoperability: instruments as Questionnaires, assessments as responses.

The mapping is specified in ``docs/fhir.md``; this module is its only implementation. It
writes and reads plain JSON values, so the library needs no FHIR package at run time (the
tests validate the output with the ``fhir.resources`` models).

Export and import are inverse for every assessment that fits its instrument: importing an
exported response gives an equal assessment, field for field. Import is strict: whatever
the mapping does not cover is rejected with ``fhir.unsupported`` and a JSON pointer into the
resource, never dropped. Only display texts (``item.text``, ``Coding.display``) are ignored,
because they are derived from the instrument. Reasons never quote the resource.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal, assert_never

import attrs

from .._documents import dump_document, parse_assessment
from .._engine import CompiledInstrument, assessment_problems
from .._engine._assessment import age_months
from .._errors import (
    DocumentError,
    InstrumentMismatchError,
    KwgCheckError,
    Problem,
    escape_pointer_token,
    safe_pointer_token,
)
from .._io import JsonValue, canonical_json, load_text
from .._model import Assessment, Instrument
from .._model._types import LocalizedText, format_decimal
from .._model.assessment import (
    Closeness,
    Initiator,
    ResourceCategory,
    ResourceKind,
    ResourceSector,
)
from .._model.conditions import (
    AgeBand,
    All,
    AnswerAtLeast,
    AnswerIn,
    AnswerInTest,
    Any_,
    BandAtLeast,
    Condition,
    ContextIs,
    FlagRaised,
    IndexCompare,
    Not,
    ResultIs,
)
from .._model.instrument import Index, Item, Scale
from .._types import Lang
from .._vocabulary import label, localized, word
from ._fhir_instrument import MAPPING_KEY
from ._fhirpath import Expressions

__all__ = [
    "BASE_URL",
    "assessment_from_response",
    "questionnaire",
    "questionnaire_instrument",
    "questionnaire_response",
    "questionnaire_url",
]
JsonObject = dict[str, JsonValue]

BASE_URL = "https://schemas.kwg-check.de/fhir"
"""Root of every URI the mapping defines (code systems, identifier systems, extensions)."""
_EXT = f"{BASE_URL}/StructureDefinition/"
EXT_ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
EXT_ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
EXT_CALCULATED = _SDC + "sdc-questionnaire-calculatedExpression"
EXT_ENABLE_WHEN_EXPRESSION = _SDC + "sdc-questionnaire-enableWhenExpression"
EXT_KIND = _EXT + "item-kind"
EXT_WEIGHT = _EXT + "item-weight"
EXT_PER_CAREGIVER = _EXT + "per-caregiver"
EXT_NOT_EXPRESSED = _EXT + "applicability-not-expressed"
EXT_CAREGIVER = _EXT + "caregiver"
EXT_EVIDENCE = _EXT + "evidence"
EXT_NOTE = _EXT + "note"
EXT_FINGERPRINT = _EXT + "instrument-fingerprint"
EXT_EXTENSIONS = _EXT + "assessment-extensions"
EXT_SCHEMA = _EXT + "schema"
INSTRUMENT_ID_SYSTEM = f"{BASE_URL}/instrument-id"
ASSESSMENT_ID_SYSTEM = f"{BASE_URL}/assessment-id"
CASE_ID_SYSTEM = f"{BASE_URL}/case-id"

_PREFIX = "kwg:"
"""Prefix of every linkId that is not an item id; item ids cannot contain ``:``."""
_SUBJECT = _PREFIX + "subject"
_BIRTH_DATE = _SUBJECT + ".birth_date"
_AGE = _SUBJECT + ".age_months"
_DOMAIN = _PREFIX + "domain."
_INDICES = _PREFIX + "indices"
_INDEX = _PREFIX + "index."
_EVIDENCE = _PREFIX + "evidence."
_NOTE = _PREFIX + "note."
_EVIDENCE_PARTS = (("observation", "text"), ("source", "string"), ("date", "date"))
"""The evidence's fields and their item types (``text`` and ``string`` carry valueString)."""
_SHOWN_KEY = re.compile(r"[A-Za-z0-9_.$-]{1,64}")
"""Object keys shown in pointers; others are replaced by ``~unknown`` (never echoed)."""


# --------------------------------------------------------------------------------------------
# The assessment's own sections, as questionnaire items
# --------------------------------------------------------------------------------------------

FieldType = Literal["group", "string", "text", "boolean", "date", "integer", "choice", "outcome"]
_VALUE_KEY: dict[str, str] = {
    "string": "valueString",
    "text": "valueString",
    "boolean": "valueBoolean",
    "date": "valueDate",
    "integer": "valueInteger",
    "choice": "valueCoding",
    "outcome": "valueCoding",
}
_PYTHON_TYPE: dict[str, type] = {
    "valueString": str,
    "valueBoolean": bool,
    "valueDate": str,
    "valueInteger": int,
    "valueCoding": dict,
}


@attrs.frozen
class _Field:
    """One assessment field as a questionnaire item (``choice``: fixed codes; ``outcome``:
    the instrument's outcomes)."""

    name: str
    type: FieldType
    de: str
    en: str
    repeats: bool = False
    children: tuple[_Field, ...] = ()
    codes: tuple[str, ...] = ()
    system: str = ""
    """For ``choice``: the last segment of the code system's URI."""
    concept: str = ""
    """For ``choice``: the vocabulary's concept that labels the codes."""


_PARTICIPATION = (
    _Field("involved", "boolean", "Beteiligt", "Involved"),
    _Field("reason_if_not", "text", "Grund, falls nicht beteiligt", "Reason if not involved"),
)
_JUDGEMENT = (
    _Field("outcome", "outcome", "Ergebnis", "Outcome"),
    _Field("author", "string", "Verantwortliche Fachkraft (Pseudonym)", "Responsible (pseudonym)"),
    _Field("justification", "text", "Begründung", "Justification"),
)
_SECTIONS = (
    _Field(
        "initiated_by",
        "choice",
        "Bekannt geworden durch",
        "Made known by",
        codes=typing.get_args(Initiator),
        system="initiator",
        concept="initiator",
    ),
    _Field(
        "assessors",
        "group",
        "Fachkräfte",
        "Assessors",
        repeats=True,
        children=(
            _Field("id", "string", "Fachkraft (Pseudonym)", "Professional (pseudonym)"),
            _Field("role", "string", "Rolle", "Role"),
        ),
    ),
    _Field(
        "participation",
        "group",
        "Beteiligung",
        "Participation",
        children=(
            _Field("parents", "group", "Eltern", "Parents", children=_PARTICIPATION),
            _Field("child", "group", "Kind", "Child", children=_PARTICIPATION),
        ),
    ),
    _Field(
        "consultations",
        "group",
        "Beratungen",
        "Consultations",
        repeats=True,
        children=(
            _Field("role", "string", "Rolle", "Role"),
            _Field("by", "string", "Beratende Fachkraft (Pseudonym)", "Consulted (pseudonym)"),
            _Field("date", "date", "Datum", "Date"),
        ),
    ),
    _Field(
        "family_view",
        "group",
        "Sicht der Familie",
        "The family's view",
        children=(
            _Field("statement", "text", "Sicht der Familie", "How the family sees it"),
            _Field("will", "text", "Wille der Familie", "What the family wants"),
            _Field(
                "goals",
                "group",
                "Ziele der Familie",
                "The family's goals",
                repeats=True,
                children=(
                    _Field("goal", "text", "Ziel in ihren Worten", "Goal in their words"),
                    _Field("addresses", "string", "Betrifft", "Is about", repeats=True),
                ),
            ),
        ),
    ),
    _Field(
        "resources",
        "group",
        "Ressourcen",
        "Resources",
        repeats=True,
        children=(
            _Field(
                "category",
                "choice",
                "Art",
                "Category",
                codes=typing.get_args(ResourceCategory),
                system="resource-category",
                concept="resource",
            ),
            _Field("label", "string", "Wer oder was", "Who or what"),
            _Field("available", "boolean", "Verfügbar", "Available"),
            _Field("note", "text", "Wie sie helfen kann", "How it can help"),
            _Field(
                "kind",
                "choice",
                "Wer oder was (Art)",
                "Kind",
                codes=typing.get_args(ResourceKind),
                system="resource-kind",
            ),
            _Field(
                "sector",
                "choice",
                "Sektor",
                "Sector",
                codes=typing.get_args(ResourceSector),
                system="resource-sector",
            ),
            _Field(
                "closeness",
                "choice",
                "Nähe",
                "Closeness",
                codes=typing.get_args(Closeness),
                system="closeness",
            ),
            _Field("wanted", "boolean", "Von der Familie gewünscht", "Wanted by the family"),
            _Field("planned", "boolean", "Geplante Hilfe", "Planned help"),
            _Field(
                "addresses", "string", "Begegnet der Sorge", "Answers the concern", repeats=True
            ),
        ),
    ),
    _Field(
        "resolves",
        "string",
        "Löst die Einschätzungen auf",
        "Resolves the assessments",
        repeats=True,
    ),
    _Field("override", "group", "Abweichung", "Discretionary override", children=_JUDGEMENT),
    _Field(
        "final_rating", "group", "Abschließende Einschätzung", "Final rating", children=_JUDGEMENT
    ),
)


def questionnaire_url(instrument: Instrument) -> str:
    """The Questionnaire's canonical URL (without version) for an instrument."""
    return f"{BASE_URL}/Questionnaire/{instrument.id}"


def questionnaire_instrument(resource: JsonValue) -> tuple[str, str]:
    """Instrument id and version named by a response's ``questionnaire`` canonical, so the
    instrument can be looked up before the response is read."""
    canonical = resource.get("questionnaire") if isinstance(resource, dict) else None
    prefix = f"{BASE_URL}/Questionnaire/"
    if isinstance(canonical, str) and canonical.startswith(prefix) and "|" in canonical:
        instrument_id, _, version = canonical.removeprefix(prefix).partition("|")
        if _SHOWN_KEY.fullmatch(instrument_id) and _SHOWN_KEY.fullmatch(version):
            return instrument_id, version
    reason = "the response must answer a kwg_check Questionnaire, as url|version"
    raise InstrumentMismatchError(Problem("/questionnaire", "fhir.foreign-questionnaire", reason))


def _canonical(instrument: Instrument) -> str:
    return f"{questionnaire_url(instrument)}|{instrument.version}"


def _scale_system(instrument: Instrument, scale_id: str) -> str:
    return f"{BASE_URL}/CodeSystem/{instrument.id}/scale/{scale_id}"


def _field_system(instrument: Instrument, field: _Field) -> str:
    if field.type == "outcome":
        return f"{BASE_URL}/CodeSystem/{instrument.id}/outcome"
    return f"{BASE_URL}/CodeSystem/{field.system}"


def _fhir_decimal(value: Decimal, pointer: str) -> int | float:
    """A FHIR decimal as a JSON number whose shortest text is exactly the decimal."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    number = float(format_decimal(value))
    if Decimal(repr(number)) != value:
        reason = "the decimal has more digits than a JSON number keeps exactly"
        raise DocumentError(Problem(pointer, "fhir.decimal-inexact", reason))
    return number


# --------------------------------------------------------------------------------------------
# Instrument → Questionnaire
# --------------------------------------------------------------------------------------------


def questionnaire(compiled: CompiledInstrument, lang: Lang) -> JsonObject:
    """The instrument as a FHIR R4 Questionnaire in one language, to render forms with.

    Items keep their ids as linkIds, answer options carry the level points as the standard
    ``ordinalValue`` extension, age bands become ``enableWhen``. See ``docs/fhir.md``. Only
    a compiled (so: sound) instrument is published.
    """
    instrument = compiled.instrument
    look = _Lookup.of(instrument)
    by_domain: dict[str, list[JsonValue]] = {}
    for position, item in enumerate(instrument.items):
        by_domain.setdefault(item.domain, []).append(_question(look, position, item, lang))
    items: list[JsonValue] = [_subject_group(lang)]
    for domain in instrument.domains:
        children = by_domain.pop(domain.id, [])
        if children:
            items.append(_group(_DOMAIN + domain.id, _text(domain.label, lang), children))
    scores: list[JsonValue] = [_index_question(look, index, lang) for index in instrument.indices]
    if scores:
        items.append(_group(_INDICES, word("fhir.indices", lang), scores))
    items.extend(
        _field_question(instrument, field, _PREFIX + field.name, lang) for field in _SECTIONS
    )
    resource: JsonObject = {
        "resourceType": "Questionnaire",
        "language": lang,
        "url": questionnaire_url(instrument),
        "identifier": [{"system": INSTRUMENT_ID_SYSTEM, "value": instrument.id}],
        "version": instrument.version,
        "name": _machine_name(instrument.id),
        "title": _text(instrument.title, lang),
        "status": "active",
    }
    if instrument.description is not None:
        resource["description"] = _text(instrument.description, lang)
    resource["copyright"] = instrument.licence
    resource["item"] = items
    return resource


def _text(text: LocalizedText, lang: Lang) -> str:
    return localized(text, lang)


def _machine_name(instrument_id: str) -> str:
    """FHIR's computable name: starts with a capital, letters, digits and ``_`` only."""
    words = re.split(r"[^a-z0-9]+", instrument_id)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name[:1].isalpha() else "I" + name


_WHOLE_VALUED = frozenset({"count_at_least", "count_strengths", "count_concerns", "max_band"})
"""Index kinds whose value is always a whole number: their questions are integers."""


def _index_question(look: _Lookup, index: Index, lang: Lang) -> JsonObject:
    """A read-only question a renderer fills in from the index's ``calculatedExpression``
    while the form is filled; marked not expressed when FHIRPath cannot compute it."""
    expression = look.expressions.index(index)
    extension: JsonObject = (
        {"url": EXT_NOT_EXPRESSED, "valueBoolean": True}
        if expression is None
        else {"url": EXT_CALCULATED, "valueExpression": _fhirpath(expression)}
    )
    counted = index.aggregation in _WHOLE_VALUED
    return {
        "extension": [extension],
        "linkId": _INDEX + index.id,
        "text": _text(index.label, lang),
        "type": "integer" if counted else "decimal",
        "readOnly": True,
    }


def not_expressed(questionnaire: JsonObject) -> list[str]:
    """linkIds of the Questionnaire's items whose kwg rule (applicability or calculation) is
    not expressed, in document order: the command lists them."""
    found: list[str] = []

    def visit(items: JsonValue) -> None:
        for item in typing.cast(list[JsonObject], items):
            extensions = typing.cast(list[JsonObject], item.get("extension", []))
            if any(ext.get("url") == EXT_NOT_EXPRESSED for ext in extensions):
                found.append(typing.cast(str, item["linkId"]))
            visit(item.get("item", []))

    visit(questionnaire.get("item", []))
    return found


def _group(link_id: str, text: str, children: list[JsonValue], repeats: bool = False) -> JsonObject:
    group: JsonObject = {"linkId": link_id, "text": text, "type": "group"}
    if repeats:
        group["repeats"] = True
    group["item"] = children
    return group


def _subject_group(lang: Lang) -> JsonObject:
    de = lang == "de"
    return _group(
        _SUBJECT,
        "Kind" if de else "Child",
        [
            {"linkId": _BIRTH_DATE, "text": "Geburtsdatum" if de else "Birth date", "type": "date"},
            {
                "linkId": _AGE,
                "text": "Alter in vollendeten Monaten am Einschätzungstag"
                if de
                else "Age in completed months on the assessment date",
                "type": "integer",
                "required": True,
            },
        ],
    )


def _coding(system: str, code: str, display: str | None) -> JsonObject:
    coding: JsonObject = {"system": system, "code": code}
    if display is not None:
        coding["display"] = display
    return coding


@attrs.frozen
class _Lookup:
    """Items and scales by id (first definition), with the scales' positions: looked up
    once per instrument, so a questionnaire takes time linear in the instrument's size."""

    instrument: Instrument
    items: Mapping[str, Item]
    scales: Mapping[str, tuple[int, Scale]]
    expressions: Expressions

    @classmethod
    def of(cls, instrument: Instrument) -> _Lookup:
        items: dict[str, Item] = {}
        for item in instrument.items:
            items.setdefault(item.id, item)
        scales: dict[str, tuple[int, Scale]] = {}
        for position, scale in enumerate(instrument.scales):
            scales.setdefault(scale.id, (position, scale))
        return cls(instrument, items, scales, Expressions.of(instrument))


def _question(look: _Lookup, position: int, item: Item, lang: Lang) -> JsonObject:
    instrument = look.instrument
    scale_position, scale = look.scales[item.scale]
    system = _scale_system(instrument, scale.id)
    pointer = f"/scales/{scale_position}"
    options: list[JsonValue] = [
        _option(
            _coding(system, level.id, _text(level.label, lang)),
            None
            if level.points is None
            else _fhir_decimal(level.points, f"{pointer}/levels/{n}/points"),
        )
        for n, level in enumerate(scale.levels)
    ]
    if scale.unknown is not None:
        unknown = scale.unknown
        score = instrument.unknown_points(scale)
        score_pointer = f"{pointer}/unknown/scores_as"
        if unknown.scores_as is None:
            score_pointer = "/unknown_scores_as"
        options.append(
            _option(
                _coding(system, unknown.id, _text(unknown.label, lang)),
                None if score is None else _fhir_decimal(score, score_pointer),
            )
        )
    extensions: list[JsonValue] = [
        {"url": EXT_KIND, "valueCode": item.kind},
        {
            "url": EXT_WEIGHT,
            "valueDecimal": _fhir_decimal(item.weight, f"/items/{position}/weight"),
        },
    ]
    if item.per_caregiver:
        extensions.append({"url": EXT_PER_CAREGIVER, "valueBoolean": True})
    question: JsonObject = {"extension": extensions, "linkId": item.id}
    if item.codes:
        question["code"] = [{"system": code.system, "code": code.code} for code in item.codes]
    question["text"] = _text(item.label, lang)
    question["type"] = "choice"
    if item.applies_when is not None:
        enable = _enable_when(look, item.applies_when)
        expression = look.expressions.condition(item.applies_when)
        if enable is None and expression is not None:
            extensions.append(
                {"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": _fhirpath(expression)}
            )
        elif enable is None:
            extensions.append({"url": EXT_NOT_EXPRESSED, "valueBoolean": True})
        else:
            behaviour, conditions = enable
            question["enableWhen"] = list(conditions)
            if len(conditions) > 1:
                question["enableBehavior"] = behaviour
    if item.response == "multiple" or item.per_caregiver:
        question["repeats"] = True
    question["answerOption"] = options
    question["item"] = _record_questions(item.id, lang)
    return question


def _record_questions(item_id: str, lang: Lang) -> list[JsonValue]:
    """The evidence (a repeating group) and the note of an answer, as questions nested under
    the item's question: standard elements a form filler shows and keeps, in the response
    under the answer (``answer.item``)."""
    evidence = _EVIDENCE + item_id
    children: list[JsonValue] = [
        {"linkId": f"{evidence}.{name}", "text": word(f"fhir.evidence.{name}", lang), "type": kind}
        for name, kind in _EVIDENCE_PARTS
    ]
    return [
        _group(evidence, word("fhir.evidence", lang), children, repeats=True),
        {"linkId": _NOTE + item_id, "text": word("fhir.note", lang), "type": "text"},
    ]


def _option(coding: JsonObject, points: int | float | None) -> JsonObject:
    """An answer option scored where SDC renderers and FHIRPath ``weight()`` look: the
    option's own ``ordinalValue`` (R4) and ``itemWeight`` (its successor) extensions."""
    option: JsonObject = {}
    if points is not None:
        option["extension"] = [
            {"url": EXT_ORDINAL, "valueDecimal": points},
            {"url": EXT_ITEM_WEIGHT, "valueDecimal": points},
        ]
    option["valueCoding"] = coding
    return option


def _fhirpath(expression: str, name: str | None = None) -> JsonObject:
    """An R4 ``Expression`` in FHIRPath."""
    value: JsonObject = {} if name is None else {"name": name}
    value.update({"language": "text/fhirpath", "expression": expression})
    return value


EnableWhen = tuple[Literal["all", "any"], tuple[JsonObject, ...]]


def _enable_when(look: _Lookup, condition: Condition) -> EnableWhen | None:
    """``enableWhen`` for the conditions FHIR can express, ``None`` for the others."""
    match condition:
        case AgeBand():
            age = condition.age_months
            if age.of != "subject":
                return None  # the response holds the subject's age only
            bounds = [(">=", age.from_months), ("<", age.below_months)]
            return "all", tuple(
                {"question": _AGE, "operator": op, "answerInteger": months}
                for op, months in bounds
                if months is not None
            )
        case ContextIs():
            return _one_of(look, condition.context)
        case AnswerIn():
            return _one_of(look, condition.answer_in)
        case All():
            return _joined(look, "all", condition.all)
        case Any_():
            return _joined(look, "any", condition.any)
        case Not() | AnswerAtLeast() | IndexCompare() | BandAtLeast() | FlagRaised() | ResultIs():
            return None
        case _:
            assert_never(condition)


def _one_of(look: _Lookup, test: AnswerInTest) -> EnableWhen | None:
    """One answer out of a set of levels: any of several ``=`` tests."""
    item = look.items[test.item]
    if item.response == "multiple" or item.per_caregiver:
        return None  # '=' on a repeating question is not 'one of these levels'
    system = _scale_system(look.instrument, item.scale)
    return "any", tuple(
        {"question": item.id, "operator": "=", "answerCoding": _coding(system, level, None)}
        for level in test.levels
    )


def _joined(
    look: _Lookup, behaviour: Literal["all", "any"], conditions: Sequence[Condition]
) -> EnableWhen | None:
    """All or any of the parts, when each part is a single test or joined the same way."""
    joined: list[JsonObject] = []
    for part in (_enable_when(look, condition) for condition in conditions):
        if part is None or (len(part[1]) > 1 and part[0] != behaviour):
            return None
        joined.extend(part[1])
    return behaviour, tuple(joined)


def _field_question(instrument: Instrument, field: _Field, link_id: str, lang: Lang) -> JsonObject:
    text = field.de if lang == "de" else field.en
    if field.type == "group":
        children: list[JsonValue] = [
            _field_question(instrument, child, f"{link_id}.{child.name}", lang)
            for child in field.children
        ]
        return _group(link_id, text, children, field.repeats)
    question: JsonObject = {"linkId": link_id, "text": text}
    if field.type in ("choice", "outcome"):
        question["type"] = "choice"
        system = _field_system(instrument, field)
        codes: list[tuple[str, str | None]]
        if field.type == "outcome":
            codes = [(o.id, _text(o.label, lang)) for o in instrument.outcomes]
        else:
            codes = [(code, label(field.concept, code, lang)) for code in field.codes]
        question["answerOption"] = [
            {"valueCoding": _coding(system, code, display)} for code, display in codes
        ]
    else:
        question["type"] = field.type
    if field.repeats:
        question["repeats"] = True
    return question


# --------------------------------------------------------------------------------------------
# Assessment → QuestionnaireResponse
# --------------------------------------------------------------------------------------------


def _checked(assessment: Assessment, compiled: CompiledInstrument) -> None:
    """Raise as scoring would when the assessment does not fit the instrument."""
    problems = assessment_problems(compiled, assessment)
    mismatch = [p for p in problems if p.code.startswith("instrument.")]
    if mismatch:
        raise InstrumentMismatchError(mismatch)
    if problems:
        raise DocumentError(problems)


def questionnaire_response(assessment: Assessment, compiled: CompiledInstrument) -> JsonObject:
    """The assessment as a FHIR R4 QuestionnaireResponse to the instrument's Questionnaire.

    The assessment must fit the instrument (as for scoring). Every field is carried, so
    :func:`assessment_from_response` gives the same assessment back.
    """
    _checked(assessment, compiled)
    instrument = compiled.instrument
    data = dump_document(assessment)
    bad = [
        Problem(pointer, "fhir.string", _BAD_STRING)
        for pointer in _bad_strings({k: v for k, v in data.items() if k != "extensions"}, "")
    ]
    if bad:
        raise DocumentError(bad)
    subject: JsonObject = {"linkId": _BIRTH_DATE}
    subject_items: list[JsonValue] = []
    if assessment.subject.birth_date is not None:
        subject["answer"] = [{"valueDate": assessment.subject.birth_date.isoformat()}]
        subject_items.append(subject)
    age = age_months(assessment)
    if age is not None:
        subject_items.append({"linkId": _AGE, "answer": [{"valueInteger": age}]})
    items: list[JsonValue] = [{"linkId": _SUBJECT, "item": subject_items}]
    for domain in instrument.domains:
        answered: list[JsonValue] = [
            _answer_item(instrument, item, data["answers"])
            for item in instrument.items
            if item.domain == domain.id and item.id in assessment.answers
        ]
        if answered:
            items.append({"linkId": _DOMAIN + domain.id, "item": answered})
    for field in _SECTIONS:
        if field.name in data:
            items.extend(_field_items(instrument, field, _PREFIX + field.name, data[field.name]))
    extensions: list[JsonValue] = []
    if assessment.instrument.fingerprint is not None:
        extensions.append(
            {"url": EXT_FINGERPRINT, "valueString": assessment.instrument.fingerprint}
        )
    if assessment.extensions is not None:
        text = canonical_json(data["extensions"]).decode("utf-8")
        extensions.append({"url": EXT_EXTENSIONS, "valueString": text})
    if assessment.schema_ is not None:
        extensions.append({"url": EXT_SCHEMA, "valueUri": assessment.schema_})
    resource: JsonObject = {"resourceType": "QuestionnaireResponse"}
    if extensions:
        resource["extension"] = extensions
    resource.update(
        {
            "identifier": {"system": ASSESSMENT_ID_SYSTEM, "value": assessment.id},
            "questionnaire": _canonical(instrument),
            "status": "completed",
            "subject": {
                "identifier": {"system": CASE_ID_SYSTEM, "value": assessment.subject.case_id}
            },
            "authored": assessment.assessment_date.isoformat(),
            "item": items,
        }
    )
    return resource


_BAD_STRING = (
    "FHIR strings have non-whitespace content and no control characters but tab, CR and LF: "
    "leave the field out or write a text"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _bad_strings(value: JsonValue, pointer: str) -> Iterator[str]:
    """Pointers to the strings FHIR cannot carry (``extensions`` travel as JSON text)."""
    if isinstance(value, str) and (not value or value.isspace() or _CONTROL.search(value)):
        yield pointer
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _bad_strings(child, f"{pointer}/{escape_pointer_token(key)}")
    elif isinstance(value, list):
        for n, child in enumerate(value):
            yield from _bad_strings(child, f"{pointer}/{n}")


def _answer_item(instrument: Instrument, item: Item, answers: JsonValue) -> JsonObject:
    answer = typing.cast(JsonObject, typing.cast(JsonObject, answers)[item.id])
    system = _scale_system(instrument, item.scale)

    def coded(level: JsonValue) -> JsonObject:
        code = typing.cast(str, level)
        return {"valueCoding": _coding(system, code, None)}

    values: list[JsonValue]
    if "level" in answer:
        values = [coded(answer["level"])]
    elif "levels" in answer:
        values = [coded(level) for level in typing.cast(list[JsonValue], answer["levels"])]
    else:
        caregivers = typing.cast(JsonObject, answer["caregivers"])
        values = [
            {"extension": [{"url": EXT_CAREGIVER, "valueString": caregiver}], **coded(level)}
            for caregiver, level in caregivers.items()
        ]
    records: list[JsonValue] = []
    for evidence in typing.cast(list[JsonObject], answer.get("evidence", [])):
        evidence_id = _EVIDENCE + item.id
        parts: list[JsonValue] = [
            {
                "linkId": f"{evidence_id}.{name}",
                "answer": [{"valueDate" if kind == "date" else "valueString": evidence[name]}],
            }
            for name, kind in _EVIDENCE_PARTS
            if name in evidence
        ]
        records.append({"linkId": evidence_id, "item": parts})
    if "note" in answer:
        records.append({"linkId": _NOTE + item.id, "answer": [{"valueString": answer["note"]}]})
    if records:
        values[0] = {**typing.cast(JsonObject, values[0]), "item": records}
    return {"linkId": item.id, "answer": values}


def _field_items(
    instrument: Instrument, field: _Field, link_id: str, value: JsonValue
) -> list[JsonValue]:
    values = typing.cast(list[JsonValue], value) if field.repeats else [value]
    if field.repeats and field.type != "group":  # one item, one answer per value (qrs-2)
        return [
            {"linkId": link_id, "answer": [_field_answer(instrument, field, v) for v in values]}
        ]
    items: list[JsonValue] = []
    for one in values:
        if field.type == "group":
            fields = typing.cast(JsonObject, one)
            children: list[JsonValue] = [
                child_item
                for child in field.children
                if child.name in fields
                for child_item in _field_items(
                    instrument, child, f"{link_id}.{child.name}", fields[child.name]
                )
            ]
            items.append({"linkId": link_id, "item": children} if children else {"linkId": link_id})
        else:
            items.append({"linkId": link_id, "answer": [_field_answer(instrument, field, one)]})
    return items


def _field_answer(instrument: Instrument, field: _Field, value: JsonValue) -> JsonObject:
    if field.type in ("choice", "outcome"):
        value = _coding(_field_system(instrument, field), typing.cast(str, value), None)
    return {_VALUE_KEY[field.type]: value}


# --------------------------------------------------------------------------------------------
# QuestionnaireResponse → Assessment
# --------------------------------------------------------------------------------------------

_CONVERTED_TOP = frozenset(
    {"resourceType", "identifier", "questionnaire", "status", "subject", "authored", "item"}
    | {"id", "meta", "text", "language"}
)
"""What a response may hold (kwg's own responses also their ``extension``)."""
_GROUP_KEYS = frozenset({"linkId", "text", "item"})
_FIELD_KEYS = frozenset({"linkId", "text", "answer"})
_ANSWER_KEYS = frozenset({"linkId", "text", "answer", "extension"})
_EXTENSION_KEYS = frozenset({"url", "extension", "valueString", "valueDate", "valueUri"})
_UNSUPPORTED = "this element is not covered by the kwg_check mapping (see docs/fhir.md)"

Entries = dict[str, list[tuple[JsonObject, str]]]
"""Response items by linkId, each with its pointer, in document order."""


def _token(key: str) -> str:
    """A pointer token for an object key: shown only when it looks like a field name."""
    return safe_pointer_token(key)


class _Reader:
    """Reads one resource, collecting every problem; each problem points into the resource."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.origin: dict[str, str] = {}
        """Assessment pointer → resource pointer, to point later problems at the resource."""

    def fail(self, pointer: str, code: str, reason: str) -> None:
        self.problems.append(Problem(pointer, code, reason))

    def object(self, value: JsonValue, pointer: str, allowed: frozenset[str]) -> JsonObject:
        if not isinstance(value, dict):
            self.fail(pointer, "fhir.type", "must be a JSON object")
            return {}
        for key in value:
            if key not in allowed:
                self.fail(f"{pointer}/{_token(key)}", "fhir.unsupported", _UNSUPPORTED)
        return value

    def array(self, value: JsonValue, pointer: str) -> list[tuple[JsonValue, str]]:
        if not isinstance(value, list) or not value:
            self.fail(pointer, "fhir.type", "must be a non-empty JSON array")
            return []
        return [(element, f"{pointer}/{n}") for n, element in enumerate(value)]

    def value(self, owner: JsonObject, key: str, kind: type, pointer: str) -> JsonValue:
        """``owner[key]`` when it has the JSON type ``kind`` (``bool`` is no ``int`` here)."""
        value = owner.get(key)
        if type(value) is not kind:
            what = "is missing" if value is None else "has the wrong JSON type"
            self.fail(f"{pointer}/{key}", "fhir.type", f"{key} {what}")
            return None
        return value

    def code(self, value: JsonValue, pointer: str, system: str, codes: Sequence[str]) -> str | None:
        """The code of a Coding from the given system and list of codes."""
        coding = self.object(value, pointer, frozenset({"system", "code", "display"}))
        code = self.value(coding, "code", str, pointer)
        if coding.get("system") != system:
            reason = "the coding is not from the code system the Questionnaire offers here"
            self.fail(pointer + "/system", "fhir.unknown-code", reason)
        elif code is not None and code not in codes:
            reason = "the code is not an answer option of this question"
            self.fail(pointer + "/code", "fhir.unknown-code", reason)
        return typing.cast(str | None, code)

    def extensions(
        self, owner: JsonObject, pointer: str, allowed: Sequence[str], repeating: str = ""
    ) -> dict[str, list[tuple[JsonObject, str]]]:
        """An element's extensions by URL; only ``allowed`` URLs, once (``repeating``: more)."""
        found: dict[str, list[tuple[JsonObject, str]]] = {}
        if "extension" not in owner:
            return found
        for extension, at in self.array(owner["extension"], pointer + "/extension"):
            ext = self.object(extension, at, _EXTENSION_KEYS)
            url = ext.get("url")
            if not isinstance(url, str) or url not in allowed:
                self.fail(
                    at + "/url", "fhir.unsupported", "the extension is not part of the mapping"
                )
            elif url in found and url != repeating:
                self.fail(at, "fhir.duplicate", "the extension appears more than once")
            else:
                found.setdefault(url, []).append((ext, at))
        return found

    def items(
        self, owner: JsonObject, pointer: str, allowed: Sequence[str], repeating: Sequence[str]
    ) -> Entries:
        """An element's items by linkId: only ``allowed`` ones, once unless ``repeating``."""
        found: Entries = {}
        if "item" not in owner:
            return found
        for element, at in self.array(owner["item"], pointer + "/item"):
            if not isinstance(element, dict):
                self.fail(at, "fhir.type", "must be a JSON object")
                continue
            link_id = self.value(element, "linkId", str, at)
            if not isinstance(link_id, str):
                continue
            if link_id not in allowed:
                reason = "the linkId is not an item of the instrument's Questionnaire here"
                self.fail(at + "/linkId", "fhir.unknown-item", reason)
            elif link_id in found and link_id not in repeating:
                self.fail(at + "/linkId", "fhir.duplicate", "the item appears more than once")
            else:
                found.setdefault(link_id, []).append((element, at))
        return found

    def answer(self, item: JsonObject, pointer: str, key: str) -> tuple[JsonValue, str]:
        """The only answer's ``value[x]`` of a non-repeating question, with its pointer."""
        answers = self.array(
            self.object(item, pointer, _FIELD_KEYS).get("answer"), pointer + "/answer"
        )
        if len(answers) > 1:
            self.fail(pointer + "/answer", "fhir.cardinality", "the question takes one answer")
        if not answers:
            return None, pointer
        answer, at = answers[0]
        kind = _PYTHON_TYPE[key]
        return self.value(self.object(answer, at, frozenset({key})), key, kind, at), f"{at}/{key}"


@attrs.frozen
class Supplied:
    """What a form filler's response lacks, given by the caller: ids the renderer cannot
    know. Each is used only when the response does not carry it."""

    case_id: str | None = None
    assessment_id: str | None = None
    assessors: tuple[tuple[str, str], ...] = ()
    """(id, role) of each assessor."""
    age_months: int | None = None
    """The child's age in completed months, for a response that has no age item (one to a
    Questionnaire that ``fhir instrument`` converted)."""


_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?")
"""A FHIR date or dateTime down to the day; the assessment keeps the day."""


def assessment_from_response(
    resource: JsonValue, compiled: CompiledInstrument, supplied: Supplied = Supplied()
) -> Assessment:
    """Read a QuestionnaireResponse to the instrument's Questionnaire back into an assessment.

    Accepts what form fillers write besides the mapping (``id``, ``meta``, ``text``,
    ``language``, a dateTime ``authored``, a ``subject`` reference, the computed index
    items) and takes what the response lacks from ``supplied``.

    Raises :class:`InstrumentMismatchError` (``fhir.foreign-questionnaire``) when the
    response answers another questionnaire, and :class:`DocumentError` with every problem
    otherwise (``fhir.*`` codes); pointers point into the resource, reasons never quote it.
    """
    instrument = compiled.instrument
    mapping = (instrument.extensions or {}).get(MAPPING_KEY)
    if mapping is not None:
        return _converted_assessment(resource, compiled, mapping, supplied)
    reason = (
        f"the response does not answer the Questionnaire of instrument {instrument.id} "
        f"{instrument.version}"
    )
    reader, qr = _opened(resource, _CONVERTED_TOP | {"extension"}, [_canonical(instrument)], reason)
    data: JsonObject = {"document_type": "assessment"}
    data["id"] = _identifier(
        reader, qr.get("identifier"), "/identifier", ASSESSMENT_ID_SYSTEM, supplied.assessment_id
    )
    data["instrument"] = {"id": instrument.id, "version": instrument.version}
    data["assessment_date"] = _authored(reader, qr)
    reader.origin.update(
        {
            "/id": "/identifier/value",
            "/instrument": "/questionnaire",
            "/assessment_date": "/authored",
        }
    )
    _read_extensions(reader, qr, data)
    sections = {_PREFIX + field.name: field for field in _SECTIONS}
    domains = {_DOMAIN + domain.id: domain.id for domain in instrument.domains}
    repeating = [link_id for link_id, field in sections.items() if field.repeats]
    entries = reader.items(qr, "", [_SUBJECT, _INDICES, *domains, *sections], repeating)
    data["subject"], age = _read_subject(reader, qr, entries.get(_SUBJECT, []), supplied)
    answers: JsonObject = {}
    for link_id, found in entries.items():
        if link_id in domains:
            group, at = found[0]
            reader.object(group, at, _GROUP_KEYS)
            items = [item for item in instrument.items if item.domain == domains[link_id]]
            questions = reader.items(group, at, [item.id for item in items], ())
            for item in items:
                if item.id in questions:
                    answer = _read_answer(reader, instrument, item, *questions[item.id][0])
                    answers[item.id] = answer
        elif link_id in sections:
            field = sections[link_id]
            data[field.name] = _read_field(reader, instrument, field, link_id, found, field.name)
    if answers:
        data["answers"] = answers
    _supply_assessors(data, supplied)
    return _assessment(reader, data, compiled, age)


def _opened(
    resource: JsonValue, top: frozenset[str], canonicals: Sequence[str], reason: str
) -> tuple[_Reader, JsonObject]:
    """A reader on a completed QuestionnaireResponse to one of the ``canonicals`` (any, when
    there are none); ``reason`` says which Questionnaire it must answer."""
    reader = _Reader()
    qr = reader.object(resource, "", top)
    if qr.get("resourceType") != "QuestionnaireResponse":
        reader.fail("/resourceType", "fhir.resource-type", "must be QuestionnaireResponse")
        raise DocumentError(reader.problems)
    if canonicals and qr.get("questionnaire") not in canonicals:
        raise InstrumentMismatchError(
            Problem("/questionnaire", "fhir.foreign-questionnaire", reason)
        )
    if qr.get("status") != "completed":
        reader.fail("/status", "fhir.unsupported", "only completed responses are imported")
    return reader, qr


def _supply_assessors(data: JsonObject, supplied: Supplied) -> None:
    if "assessors" not in data and supplied.assessors:
        data["assessors"] = [{"id": ident, "role": role} for ident, role in supplied.assessors]


def _assessment(
    reader: _Reader,
    data: JsonObject,
    compiled: CompiledInstrument,
    age: tuple[JsonValue, str] | None,
) -> Assessment:
    """The assessment built from what was read, with every problem in one error: the
    resource's own, then the document's and the instrument's where the resource was sound
    enough to build one, each pointed into the resource."""
    problems = list(reader.problems)
    try:
        assessment = parse_assessment(data)
        _checked(assessment, compiled)
    except InstrumentMismatchError as error:  # a pinned fingerprint of another document
        raise InstrumentMismatchError(_moved(reader.origin, error.problems)) from None
    except KwgCheckError as error:
        shown = [problem.pointer for problem in problems]
        problems.extend(
            p for p in _moved(reader.origin, error.problems) if not _near(p.pointer, shown)
        )
        raise DocumentError(sorted(set(problems))) from None
    if age is not None and age[0] != age_months(assessment):
        reason = "the age does not agree with the birth date on the assessment date"
        problems.append(Problem(age[1], "fhir.inconsistent", reason))
    if problems:
        raise DocumentError(sorted(set(problems)))
    return assessment


def _near(pointer: str, shown: Sequence[str]) -> bool:
    """Whether a problem at ``pointer`` is about an element already reported (the same
    element, one inside it, or one it is inside): each element's problem is said once."""
    return any(
        pointer == other or other.startswith(pointer + "/") or pointer.startswith(other + "/")
        for other in shown
    )


def _authored(reader: _Reader, qr: JsonObject) -> JsonValue:
    """The day of ``authored`` (a date or a dateTime, as form fillers write it)."""
    authored = reader.value(qr, "authored", str, "")
    if isinstance(authored, str):
        match = _DATE_TIME.fullmatch(authored)
        if match is None:
            reader.fail("/authored", "fhir.type", "authored must be a FHIR date or dateTime")
            return None
        return match.group(1)
    return authored


def _identifier(
    reader: _Reader, value: JsonValue, pointer: str, system: str, supplied: str | None = None
) -> JsonValue:
    """The identifier's value; when the element is missing, the supplied one."""
    if value is None:
        if supplied is None:
            reader.fail(pointer, "fhir.missing", "the identifier is missing")
        return supplied
    identifier = reader.object(value, pointer, frozenset({"system", "value"}))
    if identifier and identifier.get("system") != system:
        reader.fail(pointer + "/system", "fhir.unsupported", f"the system must be {system}")
    return reader.value(identifier, "value", str, pointer)


def _read_extensions(reader: _Reader, qr: JsonObject, data: JsonObject) -> None:
    found = reader.extensions(qr, "", (EXT_FINGERPRINT, EXT_EXTENSIONS, EXT_SCHEMA))
    for url, key in ((EXT_FINGERPRINT, "valueString"), (EXT_EXTENSIONS, "valueString")):
        for ext, at in found.get(url, []):
            value = reader.value(ext, key, str, at)
            if url == EXT_FINGERPRINT:
                typing.cast(JsonObject, data["instrument"])["fingerprint"] = value
                reader.origin["/instrument/fingerprint"] = at
            elif isinstance(value, str):
                try:
                    data["extensions"] = load_text(value, format="json")
                except KwgCheckError:
                    reason = "the value must be the extensions object as JSON text"
                    reader.fail(at + "/valueString", "fhir.invalid-extension", reason)
                reader.origin["/extensions"] = at
    for ext, at in found.get(EXT_SCHEMA, []):
        data["$schema"] = reader.value(ext, "valueUri", str, at)
        reader.origin["/$schema"] = at


def _read_subject(
    reader: _Reader, qr: JsonObject, found: list[tuple[JsonObject, str]], supplied: Supplied
) -> tuple[JsonObject, tuple[JsonValue, str] | None]:
    """The subject, and the age answer still to check against the birth date, if both.
    A form filler's ``subject`` is a reference (to a Patient the case system knows); the
    pseudonymous case id then comes from ``supplied``."""
    reference = qr.get("subject")
    keys = frozenset({"identifier", "reference", "display", "type"})
    subject_ref = {} if reference is None else reader.object(reference, "/subject", keys)
    case_id = _identifier(
        reader,
        subject_ref.get("identifier"),
        "/subject/identifier" if reference is not None else "/subject",
        CASE_ID_SYSTEM,
        supplied.case_id,
    )
    subject: JsonObject = {"case_id": case_id}
    reader.origin["/subject"] = "/subject/identifier/value"
    if not found:
        reader.fail("/item", "fhir.missing", "the child's age (item kwg:subject) is missing")
        return subject, None
    group, at = found[0]
    reader.object(group, at, _GROUP_KEYS)
    children = reader.items(group, at, (_BIRTH_DATE, _AGE), ())
    age = reader.answer(*children[_AGE][0], "valueInteger") if _AGE in children else None
    if _BIRTH_DATE in children:
        birth, reader.origin["/subject/birth_date"] = reader.answer(
            *children[_BIRTH_DATE][0], "valueDate"
        )
        subject["birth_date"] = birth
        return subject, age
    if age is None:
        reader.fail(at, "fhir.missing", "the child's age or birth date is missing")
    else:
        subject["age_months"], reader.origin["/subject/age_months"] = age
    return subject, None


def _read_answer(
    reader: _Reader, instrument: Instrument, item: Item, question: JsonObject, pointer: str
) -> JsonObject:
    reader.object(question, pointer, _ANSWER_KEYS)
    path = f"/answers/{item.id}"
    reader.origin[path] = pointer
    scale = next(s for s in instrument.scales if s.id == item.scale)
    codes = [level.id for level in scale.levels]
    if scale.unknown is not None:
        codes.append(scale.unknown.id)
    system = _scale_system(instrument, scale.id)
    levels: list[JsonValue] = []
    caregivers: JsonObject = {}
    allowed = (EXT_CAREGIVER,) if item.per_caregiver else ()
    records: Entries = {}
    record_ids = [_EVIDENCE + item.id, _NOTE + item.id]
    for answer, at in reader.array(question.get("answer"), pointer + "/answer"):
        value = reader.object(answer, at, frozenset({"valueCoding", "extension", "item"}))
        for link_id, found_here in reader.items(value, at, record_ids, record_ids[:1]).items():
            if link_id in records and link_id != record_ids[0]:
                reader.fail(
                    found_here[0][1] + "/linkId", "fhir.duplicate", "the note is given twice"
                )
            records.setdefault(link_id, []).extend(found_here)
        levels.append(reader.code(value.get("valueCoding"), at + "/valueCoding", system, codes))
        found = reader.extensions(value, at, allowed)
        if item.per_caregiver:
            caregiver = None
            if EXT_CAREGIVER not in found:
                reason = "a per-caregiver answer must name its caregiver (extension caregiver)"
                reader.fail(at, "fhir.missing", reason)
            else:
                ext, ext_at = found[EXT_CAREGIVER][0]
                caregiver = reader.value(ext, "valueString", str, ext_at)
            if isinstance(caregiver, str):
                if caregiver in caregivers:
                    reader.fail(at, "fhir.duplicate", "the caregiver is rated twice")
                caregivers[caregiver] = levels[-1]
                reader.origin[f"{path}/caregivers/{escape_pointer_token(caregiver)}"] = at
    result: JsonObject = {}
    if item.per_caregiver:
        result["caregivers"] = caregivers
    elif item.response == "multiple":
        result["levels"] = levels
    else:
        if len(levels) > 1:
            reader.fail(pointer + "/answer", "fhir.cardinality", "the question takes one answer")
        result["level"] = levels[0] if levels else None
    found = reader.extensions(question, pointer, (EXT_EVIDENCE, EXT_NOTE), repeating=EXT_EVIDENCE)
    evidence: list[JsonValue] = []
    for ext, at in found.get(EXT_EVIDENCE, []):
        reader.origin[f"{path}/evidence/{len(evidence)}"] = at
        evidence.append(_read_evidence(reader, ext, at))
    for group, at in records.get(record_ids[0], []):
        reader.origin[f"{path}/evidence/{len(evidence)}"] = at
        evidence.append(_read_evidence_items(reader, item.id, group, at))
    if evidence:
        result["evidence"] = evidence
    notes = [
        (reader.value(ext, "valueString", str, at), at) for ext, at in found.get(EXT_NOTE, [])
    ] + [reader.answer(note, at, "valueString") for note, at in records.get(record_ids[1], [])]
    if len(notes) > 1:
        reader.fail(notes[1][1], "fhir.duplicate", "the note is given twice")
    for note, at in notes[:1]:
        result["note"] = note
        reader.origin[f"{path}/note"] = at
    return result


def _read_evidence_items(
    reader: _Reader, item_id: str, group: JsonObject, pointer: str
) -> JsonObject:
    """One evidence group of an answer (``answer.item``), as a form filler returns it."""
    reader.object(group, pointer, _GROUP_KEYS)
    names = {f"{_EVIDENCE}{item_id}.{name}": (name, kind) for name, kind in _EVIDENCE_PARTS}
    evidence: JsonObject = {}
    for link_id, found in reader.items(group, pointer, list(names), ()).items():
        name, kind = names[link_id]
        evidence[name], _ = reader.answer(
            *found[0], "valueDate" if kind == "date" else "valueString"
        )
    if "observation" not in evidence:
        reader.fail(pointer, "fhir.missing", "evidence needs an observation")
    return evidence


def _read_evidence(reader: _Reader, ext: JsonObject, pointer: str) -> JsonObject:
    parts = reader.extensions(ext, pointer, ("observation", "source", "date"))
    evidence: JsonObject = {}
    for name, key in (
        ("observation", "valueString"),
        ("source", "valueString"),
        ("date", "valueDate"),
    ):
        for part, at in parts.get(name, []):
            evidence[name] = reader.value(part, key, str, at)
    if "observation" not in evidence:
        reader.fail(pointer, "fhir.missing", "evidence needs an observation")
    return evidence


def _read_field(
    reader: _Reader,
    instrument: Instrument,
    field: _Field,
    link_id: str,
    found: list[tuple[JsonObject, str]],
    path: str,
) -> JsonValue:
    values: list[JsonValue] = []
    for n, (item, pointer) in enumerate(found):
        here = f"/{path}/{n}" if field.repeats else f"/{path}"
        reader.origin[here] = pointer
        if field.type == "group":
            reader.object(item, pointer, _GROUP_KEYS)
            links = {f"{link_id}.{child.name}": child for child in field.children}
            repeating = [link for link, child in links.items() if child.repeats]
            entries = reader.items(item, pointer, list(links), repeating)
            group: JsonObject = {}
            for child_link, child_found in entries.items():
                child = links[child_link]
                group[child.name] = _read_field(
                    reader, instrument, child, child_link, child_found, f"{here[1:]}/{child.name}"
                )
            values.append(group)
            continue
        if field.repeats:  # a list of values: the answers of one item (qrs-2)
            key = _VALUE_KEY[field.type]
            answers = reader.object(item, pointer, _FIELD_KEYS).get("answer")
            for answer, at in reader.array(answers, pointer + "/answer"):
                one = reader.object(answer, at, frozenset({key}))
                value = reader.value(one, key, _PYTHON_TYPE[key], at)
                reader.origin[f"/{path}/{len(values)}"] = f"{at}/{key}"
                values.append(_field_value(reader, instrument, field, value, f"{at}/{key}"))
            continue
        value, at = reader.answer(item, pointer, _VALUE_KEY[field.type])
        reader.origin[here] = at
        values.append(_field_value(reader, instrument, field, value, at))
    return values if field.repeats else values[0]


def _field_value(
    reader: _Reader, instrument: Instrument, field: _Field, value: JsonValue, at: str
) -> JsonValue:
    """A field's answer value; a coding's code, checked against the field's codes."""
    if field.type in ("choice", "outcome") and value is not None:
        codes = (
            [outcome.id for outcome in instrument.outcomes]
            if field.type == "outcome"
            else list(field.codes)
        )
        return reader.code(value, at, _field_system(instrument, field), codes)
    return value


def _moved(origin: dict[str, str], problems: Sequence[Problem]) -> list[Problem]:
    """Problems of the built assessment, pointed at the resource element they came from."""
    moved = []
    for problem in problems:
        pointer, target = problem.pointer, ""
        while pointer:
            if pointer in origin:
                target = origin[pointer]
                break
            pointer = pointer.rpartition("/")[0]
        moved.append(Problem(target, problem.code, problem.reason))
    return sorted(set(moved))


# --------------------------------------------------------------------------------------------
# A response to a Questionnaire that ``fhir instrument`` converted
# --------------------------------------------------------------------------------------------


@attrs.frozen
class _Mapping:
    """The verbatim FHIR names of a converted instrument (its ``extensions.fhir``)."""

    questionnaire: str
    items: Mapping[str, str]
    """linkId → item id."""
    levels: Mapping[str, Mapping[tuple[str | None, str], str]]
    """Scale id → (system, code) → level id."""
    computed: frozenset[str]
    """linkIds of the calculated items (ignored: kwg computes the indices)."""

    @classmethod
    def read(cls, value: JsonValue) -> _Mapping:
        """The mapping, or :class:`DocumentError` (``fhir.invalid-extension``) when the
        instrument's ``extensions.fhir`` is not what ``fhir instrument`` writes."""
        try:
            data = typing.cast(JsonObject, value)
            items = {
                str(link): str(item)
                for item, link in typing.cast(JsonObject, data["items"]).items()
            }
            levels: dict[str, dict[tuple[str | None, str], str]] = {}
            for scale, codes in typing.cast(JsonObject, data["levels"]).items():
                levels[scale] = {}
                for level, code in typing.cast(JsonObject, codes).items():
                    coding = typing.cast(JsonObject, code)
                    system = coding.get("system")
                    key = (None if system is None else str(system), str(coding["code"]))
                    levels[scale][key] = level
            computed = frozenset(
                str(link) for link in typing.cast(JsonObject, data["indices"]).values()
            )
            return cls(str(data["questionnaire"]), items, levels, computed)
        except (KeyError, TypeError, AttributeError):
            reason = "the instrument's FHIR mapping is not as fhir instrument writes it"
            raise DocumentError(
                Problem(f"/extensions/{MAPPING_KEY}", "fhir.invalid-extension", reason)
            ) from None


def _converted_assessment(
    resource: JsonValue, compiled: CompiledInstrument, value: JsonValue, supplied: Supplied
) -> Assessment:
    """An assessment from a response to a converted Questionnaire: its answers by the
    verbatim linkIds and codes the instrument keeps; ids and age from ``supplied``."""
    instrument = compiled.instrument
    mapping = _Mapping.read(value)
    canonicals = [mapping.questionnaire, mapping.questionnaire.partition("|")[0]]
    reason = (
        f"the response does not answer the Questionnaire instrument {instrument.id} was made of"
    )
    reader, qr = _opened(resource, _CONVERTED_TOP, canonicals if canonicals[0] else [], reason)
    data: JsonObject = {"document_type": "assessment"}
    identifier = qr.get("identifier")
    if identifier is None:
        data["id"] = _identifier(reader, None, "/identifier", "", supplied.assessment_id)
    else:
        ident = reader.object(identifier, "/identifier", frozenset({"system", "value", "use"}))
        data["id"] = reader.value(ident, "value", str, "/identifier")
    data["instrument"] = {"id": instrument.id, "version": instrument.version}
    data["assessment_date"] = _authored(reader, qr)
    reader.origin.update({"/id": "/identifier/value", "/assessment_date": "/authored"})
    reference = qr.get("subject")
    keys = frozenset({"identifier", "reference", "display", "type"})
    subject_ref = {} if reference is None else reader.object(reference, "/subject", keys)
    case = subject_ref.get("identifier")
    if case is not None:
        case_object = reader.object(case, "/subject/identifier", frozenset({"system", "value"}))
        case_id = reader.value(case_object, "value", str, "/subject/identifier")
    else:
        case_id = _identifier(reader, None, "/subject", "", supplied.case_id)
    data["subject"] = {"case_id": case_id}
    if supplied.age_months is None:
        reader.fail("/subject", "fhir.missing", "the child's age is missing (give it as an option)")
    else:
        typing.cast(JsonObject, data["subject"])["age_months"] = supplied.age_months
    answers: JsonObject = {}
    _converted_items(reader, instrument, mapping, qr, "", answers)
    if answers:
        data["answers"] = answers
    _supply_assessors(data, supplied)
    return _assessment(reader, data, compiled, None)


def _converted_items(
    reader: _Reader,
    instrument: Instrument,
    mapping: _Mapping,
    owner: JsonObject,
    pointer: str,
    answers: JsonObject,
) -> None:
    """Every answered item, at any depth: groups are read through, calculated items skipped."""
    if "item" not in owner:
        return
    items = {item.id: item for item in instrument.items}
    for element, at in reader.array(owner["item"], pointer + "/item"):
        item = reader.object(element, at, frozenset({"linkId", "text", "answer", "item"}))
        link_id = reader.value(item, "linkId", str, at)
        if not isinstance(link_id, str) or link_id in mapping.computed:
            continue
        if link_id not in mapping.items:
            if "answer" in item:
                reason = "the linkId is not an item of the converted instrument"
                reader.fail(at + "/linkId", "fhir.unknown-item", reason)
            _converted_items(reader, instrument, mapping, item, at, answers)
            continue
        question = items[mapping.items[link_id]]
        if question.id in answers:
            reader.fail(at + "/linkId", "fhir.duplicate", "the item appears more than once")
            continue
        reader.origin[f"/answers/{question.id}"] = at
        levels: list[JsonValue] = []
        codes = mapping.levels.get(question.scale, {})
        for answer, answer_at in reader.array(item.get("answer"), at + "/answer"):
            value = reader.object(answer, answer_at, frozenset({"valueCoding"}))
            coding_at = answer_at + "/valueCoding"
            coding = reader.object(value.get("valueCoding"), coding_at, _CODING_KEYS)
            code = reader.value(coding, "code", str, coding_at)
            system = coding.get("system")
            level = codes.get((system if isinstance(system, str) else None, str(code)))
            if level is None and code is not None:
                reason = "the coding is not an answer option of this question"
                reader.fail(coding_at, "fhir.unknown-code", reason)
            levels.append(level)
        if question.response == "multiple":
            answers[question.id] = {"levels": levels}
        else:
            if len(levels) > 1:
                reader.fail(at + "/answer", "fhir.cardinality", "the question takes one answer")
            answers[question.id] = {"level": levels[0] if levels else None}


_CODING_KEYS = frozenset({"system", "code", "display", "version", "userSelected"})
