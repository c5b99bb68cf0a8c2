"""A third-party FHIR R4 Questionnaire with SDC scoring, turned into an instrument document.

The way in (``kwg-check fhir instrument``): choice items whose answer options carry scores
(``ordinalValue`` or ``itemWeight`` on the option, on its coding, or on the concept of a
contained ValueSet or CodeSystem) become scored items; choice items without scores become
context items; ``enableWhen`` becomes ``applies_when``; a recognised ``calculatedExpression``
(a sum of item scores, ``weight().sum()``, ``answers().sum(...)``) becomes a ``sum`` index,
and a ``total`` sum index over every scored item is added when no expression sums them all.
Nothing is guessed: what is not understood is a warning (``fhir.not-converted``) with its
pointer into the Questionnaire, never dropped silently. Bands and classifications cannot be
read from a Questionnaire; the instrument has one outcome, ``not_classified``, for the
author to replace.

Ids must match kwg's id pattern, so linkIds and answer codes are sanitised (lower case,
other characters as ``_``); the verbatim linkIds, codes and code systems are kept in the
instrument's ``extensions.fhir`` (:data:`MAPPING_KEY`), which ``fhir import`` reads to take
the Questionnaire's responses. The instrument's language is the Questionnaire's
``language`` or the caller's ``lang``; no translation is invented.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation

import attrs

from .._documents import parse_instrument
from .._engine import compile_instrument
from .._errors import ArgumentError, DocumentError, Problem
from .._io import JsonValue
from .._model import Instrument
from .._model._patterns import LANGUAGE_PATTERN, SEMVER_PATTERN
from .._types import library_language
from .._vocabulary import word

__all__ = ["MAPPING_KEY", "QuestionnaireConversion", "convert_questionnaire"]

JsonObject = dict[str, JsonValue]

MAPPING_KEY = "fhir"
"""Key of the instrument's ``extensions`` that holds the verbatim FHIR linkIds and codes."""

_ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
_ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
_CALCULATED = _SDC + "sdc-questionnaire-calculatedExpression"
_ENABLE_WHEN_EXPRESSION = _SDC + "sdc-questionnaire-enableWhenExpression"
_VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
_SCORE_URLS = (_ORDINAL, _ITEM_WEIGHT)
_CHOICE = ("choice", "open-choice", "coding")
_NOT_CONVERTED = "fhir.not-converted"


@attrs.frozen
class QuestionnaireConversion:
    """The instrument made from a Questionnaire, and what could not be converted."""

    instrument: Instrument
    """The instrument document (valid and compiled once; add bands and a classification)."""
    warnings: tuple[Problem, ...]
    """``fhir.not-converted`` warnings, each pointing into the Questionnaire, in order."""


@attrs.frozen
class _Option:
    system: str | None
    code: str
    display: str | None
    score: Decimal | None
    pointer: str


@attrs.frozen
class _Question:
    link_id: str
    id: str
    domain: str
    text: str
    pointer: str
    options: tuple[_Option, ...]
    repeats: bool
    value_set: tuple[str, str] | None
    """The contained ValueSet's id and its title (or name, or id), when the options come
    from one: the scale's id and label."""
    conditions: tuple[tuple[JsonObject, str], ...]
    """The item's and its groups' ``enableWhen`` owners, each with its pointer."""

    @property
    def scored(self) -> bool:
        return any(option.score is not None for option in self.options)


class _Converter:
    """Reads one Questionnaire; collects questions, calculated items and warnings."""

    def __init__(self, resource: JsonObject) -> None:
        self.resource = resource
        self.warnings: list[Problem] = []
        self.questions: list[_Question] = []
        self.calculated: list[tuple[JsonObject, str, str]] = []
        """Items with a calculatedExpression: item, pointer, index id."""
        self.domains: dict[str, str] = {}
        self.ids: set[str] = set()
        self.contained = {
            typing.cast(str, res.get("id")): res
            for res in _objects(resource.get("contained"))
            if isinstance(res.get("id"), str)
        }
        self.systems = {
            typing.cast(str, res.get("url")): res
            for res in self.contained.values()
            if res.get("resourceType") == "CodeSystem" and isinstance(res.get("url"), str)
        }
        self.variables: dict[str, str] = {}
        self._read_variables(resource)
        self.scale_ids: set[str] = set()
        self.scale_of: dict[str, str] = {}
        """Question id → scale id."""
        self.level_of: dict[str, dict[tuple[str | None, str], str]] = {}
        """Scale id → (system, code) of an option → level id."""

    def warn(self, pointer: str, reason: str) -> None:
        self.warnings.append(Problem(pointer, _NOT_CONVERTED, reason))

    def _read_variables(self, owner: JsonObject) -> None:
        for ext in _objects(owner.get("extension")):
            value = ext.get("valueExpression")
            if ext.get("url") == _VARIABLE and isinstance(value, dict):
                name, expression = value.get("name"), value.get("expression")
                if isinstance(name, str) and isinstance(expression, str):
                    self.variables[name] = expression

    def walk(
        self,
        items: JsonValue,
        pointer: str,
        domain: str | None,
        conditions: tuple[tuple[JsonObject, str], ...],
    ) -> None:
        for n, item in enumerate(_objects(items)):
            at = f"{pointer}/item/{n}"
            link_id, kind = item.get("linkId"), item.get("type")
            if not isinstance(link_id, str) or not isinstance(kind, str):
                self.warn(at, "the item has no linkId or type")
                continue
            self._read_variables(item)
            own = (*conditions, (item, at)) if "enableWhen" in item else conditions
            if _extension(item, _ENABLE_WHEN_EXPRESSION) is not None:
                reason = "enableWhenExpression is not converted: the item is always applicable"
                self.warn(at, reason)
            if _extension(item, _CALCULATED) is not None:
                self.calculated.append((item, at, link_id))
            elif kind == "group":
                here = domain
                if here is None:
                    here = _unique(link_id, set(self.domains), "group")
                    self.domains[here] = _text(item, link_id)
                self.walk(item.get("item"), at, here, own)
                continue
            elif kind in _CHOICE:
                self._question(item, at, link_id, domain, own)
            elif kind != "display":
                self.warn(at, f"items of type {_shown(kind)} are not converted")
            if "item" in item:
                self.warn(at + "/item", "items nested under a question are not converted")

    def _question(
        self,
        item: JsonObject,
        pointer: str,
        link_id: str,
        domain: str | None,
        conditions: tuple[tuple[JsonObject, str], ...],
    ) -> None:
        options = self._options(item, pointer)
        if not options:
            self.warn(pointer, "the choice item has no coded answer options")
            return
        if domain is None:
            domain = "items"
            self.domains.setdefault(domain, "")
        question = _Question(
            link_id,
            _unique(link_id, self.ids, "item"),
            domain,
            _text(item, link_id),
            pointer,
            tuple(options),
            item.get("repeats") is True,
            self._value_set_name(item.get("answerValueSet")),
            conditions,
        )
        self.questions.append(question)

    def _value_set_name(self, reference: JsonValue) -> tuple[str, str] | None:
        if not isinstance(reference, str) or reference.removeprefix("#") not in self.contained:
            return None
        resource = self.contained[reference.removeprefix("#")]
        ident = _string(resource, "id")
        return ident, _string(resource, "title") or _string(resource, "name") or ident

    def _options(self, item: JsonObject, pointer: str) -> list[_Option]:
        """The coded answer options with their scores, from the item or its value set."""
        options: list[_Option] = []
        for n, option in enumerate(_objects(item.get("answerOption"))):
            at = f"{pointer}/answerOption/{n}"
            coding = option.get("valueCoding")
            if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
                self.warn(at, "only coded answer options (valueCoding) are converted")
                continue
            score = _first(_score(option), _score(coding))
            system = coding.get("system")
            code = typing.cast(str, coding["code"])
            if score is None and isinstance(system, str):
                score = self._system_score(system, code)
            options.append(self._option(coding, score, at))
        value_set = item.get("answerValueSet")
        if isinstance(value_set, str):
            options.extend(self._value_set(value_set, pointer + "/answerValueSet"))
        return options

    def _option(self, coding: JsonObject, score: Decimal | None, at: str) -> _Option:
        system, display = coding.get("system"), coding.get("display")
        return _Option(
            system if isinstance(system, str) else None,
            typing.cast(str, coding["code"]),
            display if isinstance(display, str) else None,
            score,
            at,
        )

    def _system_score(self, system: str, code: str) -> Decimal | None:
        for concept in _objects(self.systems.get(system, {}).get("concept")):
            if concept.get("code") == code:
                return _first(_score(concept), _property_score(concept))
        return None

    def _value_set(self, reference: str, pointer: str) -> list[_Option]:
        """Options of a contained ValueSet (``#id``): its concepts, or a contained
        CodeSystem's concepts when the ValueSet includes the whole system."""
        resource = self.contained.get(reference.removeprefix("#"))
        if not reference.startswith("#") or resource is None:
            self.warn(pointer, "only contained value sets (#id) are converted")
            return []
        options: list[_Option] = []
        if resource.get("resourceType") == "CodeSystem":
            includes: list[JsonObject] = [{"system": resource.get("url")}]
        else:
            compose = resource.get("compose")
            includes = _objects(compose.get("include") if isinstance(compose, dict) else None)
        for n, include in enumerate(includes):
            system = include.get("system")
            concepts = _objects(include.get("concept"))
            if not concepts and isinstance(system, str) and system in self.systems:
                concepts = _objects(self.systems[system].get("concept"))
            for m, concept in enumerate(concepts):
                code = concept.get("code")
                if not isinstance(code, str):
                    continue
                score = _first(_score(concept), _property_score(concept))
                if score is None and isinstance(system, str):
                    score = self._system_score(system, code)
                coding: JsonObject = {"system": system, "code": code}
                coding["display"] = concept.get("display")
                options.append(self._option(coding, score, f"{pointer}/include/{n}/concept/{m}"))
        if not options:
            self.warn(pointer, "the value set lists no concepts")
        return options


def convert_questionnaire(resource: JsonValue, lang: str | None) -> QuestionnaireConversion:
    """The instrument for a Questionnaire (see the module docstring), with its warnings.

    Raises :class:`DocumentError` when the resource is not a Questionnaire or has no
    convertible choice item, and :class:`ArgumentError` when no language is known.
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise DocumentError(Problem("/resourceType", "fhir.resource-type", "must be Questionnaire"))
    written = resource.get("language")
    tag = lang if lang is not None else written
    if not isinstance(tag, str) or re.fullmatch(LANGUAGE_PATTERN, tag) is None:
        reason = "the Questionnaire names no language: give one (--lang)"
        raise ArgumentError(Problem("/language", "argument.language", reason))
    if isinstance(written, str) and written != tag:
        reason = "the Questionnaire is written in another language; texts are not translated"
        raise ArgumentError(Problem("/language", "argument.language", reason))
    converter = _Converter(resource)
    converter.walk(resource.get("item"), "", None, ())
    if not converter.questions:
        reason = "the Questionnaire has no choice item with coded answer options"
        raise DocumentError(Problem("/item", "fhir.nothing-to-convert", reason))
    data = _instrument(converter, resource, tag)
    instrument = parse_instrument(data)
    compile_instrument(instrument)
    warnings = sorted(converter.warnings, key=lambda warning: _document_order(warning.pointer))
    return QuestionnaireConversion(instrument, tuple(warnings))


def _document_order(pointer: str) -> list[tuple[int, str]]:
    """A pointer's sort key in document order (``/item/2`` before ``/item/10``)."""
    return [(int(t), "") if t.isdigit() else (-1, t) for t in pointer.split("/")]


def _instrument(converter: _Converter, resource: JsonObject, tag: str) -> JsonObject:
    """The instrument document's JSON value."""
    said = library_language(tag)
    questions = converter.questions
    scales, levels = _scales(converter, tag)
    items: list[JsonValue] = [_item(converter, question, tag) for question in questions]
    indices, index_links = _indices(converter, tag)
    title = _string(resource, "title") or _string(resource, "name") or "Questionnaire"
    mapping: JsonObject = {
        "questionnaire": _canonical(resource),
        "items": {question.id: question.link_id for question in questions},
        "levels": levels,
        "indices": index_links,
    }
    data: JsonObject = {
        "document_type": "instrument",
        "id": _sanitised(_string(resource, "name") or _string(resource, "id") or title)
        or "questionnaire",
        "version": _version(converter, resource),
        "languages": [tag],
        "title": {tag: title},
    }
    if _string(resource, "description"):
        data["description"] = {tag: _string(resource, "description")}
    copyright_ = _string(resource, "copyright")
    if not copyright_:
        converter.warn("/copyright", "the Questionnaire states no copyright: licence 'unknown'")
    data["licence"] = (copyright_ or "unknown")[:200]
    data["scales"] = scales
    data["domains"] = [
        {"id": domain, "label": {tag: text or title}} for domain, text in converter.domains.items()
    ]
    data["items"] = items
    data["indices"] = indices
    outcome = "not_classified"
    data["outcomes"] = [{"id": outcome, "label": {tag: word("fhir.not-classified", said)}}]
    data["decision_table"] = [
        {"id": "default", "outcome": outcome, "rationale": {tag: word("fhir.no-rule", said)}}
    ]
    data["extensions"] = {MAPPING_KEY: mapping}
    return data


def _scales(converter: _Converter, tag: str) -> tuple[list[JsonValue], JsonObject]:
    """One scale per distinct set of options (the first question's text is its label), and
    the verbatim codes by scale and level; fills ``converter.scale_of`` and ``level_of``."""
    scales: list[JsonValue] = []
    codes: JsonObject = {}
    by_options: dict[tuple[tuple[str | None, str, str | None, Decimal | None], ...], str] = {}
    for question in converter.questions:
        key = tuple((o.system, o.code, o.display, o.score) for o in question.options)
        if key not in by_options:
            name = question.value_set[0] if question.value_set else f"{question.id}.options"
            scale_id = by_options[key] = _unique(name, converter.scale_ids, "scale")
            scale, codes[scale_id], levels = _scale(converter, question, scale_id, tag)
            scales.append(scale)
            converter.level_of[scale_id] = levels
        converter.scale_of[question.id] = by_options[key]
    return scales, codes


def _scale(
    converter: _Converter, question: _Question, scale_id: str, tag: str
) -> tuple[JsonObject, JsonObject, dict[tuple[str | None, str], str]]:
    """The scale of a question's options: scored options are levels, a single unscored one
    among scored ones is the unknown marker; unscored options of an unscored (context)
    question are levels with 0 points."""
    taken: set[str] = set()
    unscored = [o for o in question.options if o.score is None]
    unknown = unscored[0] if question.scored and len(unscored) == 1 else None
    levels: list[JsonValue] = []
    codes: JsonObject = {}
    level_of: dict[tuple[str | None, str], str] = {}
    label = question.value_set[1] if question.value_set else question.text
    scale: JsonObject = {"id": scale_id, "label": {tag: label[:500]}}
    for option in question.options:
        if option.score is None and question.scored and option is not unknown:
            reason = "the option has no score among scored options: answers with it are refused"
            converter.warn(option.pointer, reason)
            continue
        level_id = _unique(option.code, taken, "level")
        code: JsonObject = {"code": option.code}
        if option.system is not None:
            code["system"] = option.system
        codes[level_id] = code
        level_of[(option.system, option.code)] = level_id
        text: JsonObject = {tag: (option.display or option.code)[:500]}
        if option is unknown:
            scale["unknown"] = {"id": level_id, "label": text}
        else:
            points = option.score if option.score is not None else Decimal(0)
            levels.append({"id": level_id, "label": text, "points": str(points)})
    scale["levels"] = levels
    return scale, codes, level_of


def _item(converter: _Converter, question: _Question, tag: str) -> JsonObject:
    item: JsonObject = {
        "id": question.id,
        "domain": question.domain,
        "kind": "risk" if question.scored else "context",
        "label": {tag: question.text},
        "scale": converter.scale_of[question.id],
    }
    if question.repeats:
        item.update({"response": "multiple", "combine": "sum"})
    condition = _conditions(converter, question)
    if condition is not None:
        item["applies_when"] = condition
    return item


def _conditions(converter: _Converter, question: _Question) -> JsonValue:
    """``enableWhen`` of the item and its groups as one condition; ``None`` without any, or
    when a part is not understood (then the item is always applicable, with a warning)."""
    parts: list[JsonValue] = []
    for owner, pointer in question.conditions:
        tests: list[JsonValue] = []
        for n, enable in enumerate(_objects(owner.get("enableWhen"))):
            test = _enable_when(converter, enable)
            if test is None:
                reason = "the enableWhen is not converted: the item is always applicable"
                converter.warn(f"{pointer}/enableWhen/{n}", reason)
                return None
            tests.append(test)
        if len(tests) == 1:
            parts.append(tests[0])
        elif tests:
            behaviour = "any" if owner.get("enableBehavior") == "any" else "all"
            parts.append({behaviour: tests})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"all": parts}


def _enable_when(converter: _Converter, enable: JsonObject) -> JsonValue:
    """One ``enableWhen`` on a coded answer (``=``, ``!=``) as a condition, else ``None``."""
    target = next((q for q in converter.questions if q.link_id == enable.get("question")), None)
    coding = enable.get("answerCoding")
    operator = enable.get("operator")
    if target is None or target.repeats or not isinstance(coding, dict):
        return None
    if operator not in ("=", "!="):
        return None
    level_of = converter.level_of[converter.scale_of[target.id]]
    system = coding.get("system")
    levels = [
        level
        for (option_system, code), level in level_of.items()
        if code == coding.get("code") and (system is None or option_system == system)
    ]
    if len(levels) != 1:
        return None
    test: JsonValue = {"answer_in": {"item": target.id, "levels": list[JsonValue](levels)}}
    return test if operator == "=" else {"not": test}


# --------------------------------------------------------------------------------------------
# calculatedExpression → sum index
# --------------------------------------------------------------------------------------------

_SELECT_ALL = r"%resource(?:\.repeat\(item\)|(?:\.item)+)\.answer\.value"
_SCORE = r"(?:weight|ordinal)\(\)"
_ALL = (
    re.compile(rf"{_SELECT_ALL}\.{_SCORE}\.sum\(\)"),
    re.compile(rf"(?:%resource\.)?answers\(\)(?:\.value)?\.{_SCORE}\.sum\(\)"),
    re.compile(rf"(?:%resource\.)?answers\(\)\.sum\((?:\$this\.)?(?:value\.)?{_SCORE}\)"),
)
_TERM = re.compile(
    r"%resource(?:\.repeat\(item\)|(?:\.item)+)\.where\(linkId\s*=\s*'(?P<link>[^'\\]+)'\)"
    rf"\.answer\.value\.{_SCORE}(?:\.sum\(\))?"
)
_VARIABLE_NAME = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)")


def _indices(converter: _Converter, tag: str) -> tuple[list[JsonValue], JsonObject]:
    """Sum indices of the recognised calculated items, and ``total`` unless one of them
    sums every scored item already; with the calculated items' verbatim linkIds."""
    scored = [question.id for question in converter.questions if question.scored]
    indices: list[JsonValue] = []
    links: JsonObject = {}
    taken: set[str] = set()
    for item, pointer, link_id in converter.calculated:
        ext = typing.cast(JsonObject, _extension(item, _CALCULATED))
        summed = _summed(converter, ext.get("valueExpression"), scored)
        if summed is None:
            reason = "the calculatedExpression is not a recognised sum of item scores"
            converter.warn(pointer, reason)
            continue
        index_id = _unique(link_id, taken, "index")
        label = _text(item, link_id)
        indices.append(
            {
                "id": index_id,
                "label": {tag: label},
                "aggregation": "sum",
                "items": list[JsonValue](summed),
            }
        )
        links[index_id] = link_id
    if scored and not any(
        sorted(typing.cast(list[str], index["items"])) == sorted(scored)  # type: ignore[index,call-overload]
        for index in indices
    ):
        total = _unique("total", taken, "total")
        label = word("fhir.total", library_language(tag))
        indices.append(
            {
                "id": total,
                "label": {tag: label},
                "aggregation": "sum",
                "items": list[JsonValue](scored),
            }
        )
    return indices, links


def _summed(converter: _Converter, value: JsonValue, scored: Sequence[str]) -> list[str] | None:
    """The ids of the items a recognised sum adds up, or ``None``."""
    if not isinstance(value, dict) or not isinstance(value.get("expression"), str):
        return None
    if value.get("language", "text/fhirpath") != "text/fhirpath":
        return None
    expression = _expanded(converter, typing.cast(str, value["expression"]))
    if expression is None:
        return None
    if any(pattern.fullmatch(expression) for pattern in _ALL):
        return list(scored)
    ids: list[str] = []
    by_link = {question.link_id: question for question in converter.questions}
    for term in _terms(expression):
        match = _TERM.fullmatch(term)
        question = by_link.get(match.group("link")) if match else None
        if question is None or not question.scored or question.id in ids:
            return None
        ids.append(question.id)
    return ids or None


def _expanded(converter: _Converter, expression: str) -> str | None:
    """The expression without blanks, variables replaced by their (expanded) expressions."""
    text = re.sub(r"\s+", "", expression)
    for _ in range(10):
        names = [name for name in _VARIABLE_NAME.findall(text) if name != "resource"]
        if not names:
            return text
        for name in names:
            if name not in converter.variables:
                return None
            text = text.replace(
                f"%{name}", "(" + re.sub(r"\s+", "", converter.variables[name]) + ")"
            )
    return None


def _terms(expression: str) -> Iterator[str]:
    """The top-level terms of a ``+`` chain, outer parentheses removed."""
    depth, start = 0, 0
    for n, char in enumerate(expression + "+"):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "+" and depth == 0:
            term = expression[start:n]
            while term.startswith("(") and term.endswith(")") and _balanced(term[1:-1]):
                term = term[1:-1]
            if "+" in term and term != expression:
                yield from _terms(term)
            else:
                yield term
            start = n + 1


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --------------------------------------------------------------------------------------------
# Small readers
# --------------------------------------------------------------------------------------------


def _first(*scores: Decimal | None) -> Decimal | None:
    """The first score given (``0`` is a score)."""
    return next((score for score in scores if score is not None), None)


def _objects(value: JsonValue) -> list[JsonObject]:
    return [one for one in value if isinstance(one, dict)] if isinstance(value, list) else []


def _extension(owner: JsonObject, url: str) -> JsonObject | None:
    return next((ext for ext in _objects(owner.get("extension")) if ext.get("url") == url), None)


def _decimal(value: JsonValue) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _score(owner: JsonObject) -> Decimal | None:
    """An ``ordinalValue`` or ``itemWeight`` extension's decimal."""
    for url in _SCORE_URLS:
        ext = _extension(owner, url)
        if ext is not None:
            return _decimal(ext.get("valueDecimal", ext.get("valueInteger")))
    return None


def _property_score(concept: JsonObject) -> Decimal | None:
    """A CodeSystem concept's score property (``itemWeight``, ``ordinalValue``, ``weight``)."""
    for prop in _objects(concept.get("property")):
        if prop.get("code") in ("itemWeight", "ordinalValue", "weight"):
            return _decimal(prop.get("valueDecimal", prop.get("valueInteger")))
    return None


def _string(owner: JsonObject, key: str) -> str:
    value = owner.get(key)
    return value.strip() if isinstance(value, str) else ""


def _text(item: JsonObject, link_id: str) -> str:
    return (_string(item, "text") or link_id)[:500]


def _shown(kind: str) -> str:
    return kind if re.fullmatch(r"[a-z-]{1,20}", kind) else "~unknown"


def _unique(text: str, taken: set[str], fallback: str) -> str:
    """A kwg id for ``text``, not yet in ``taken`` (``_2``, ``_3`` … appended), now taken."""
    base = _sanitised(text) or fallback
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"_{n}"
        candidate = base[: 64 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _sanitised(text: str) -> str:
    """``text`` as a kwg id: lower case, other characters ``_``, starting alphanumeric."""
    lowered = re.sub(r"[^a-z0-9_.-]", "_", text.lower()).lstrip("_.-")
    return lowered[:64]


def _canonical(resource: JsonObject) -> str:
    url = _string(resource, "url")
    version = _string(resource, "version")
    return f"{url}|{version}" if url and version else url


def _version(converter: _Converter, resource: JsonObject) -> str:
    """The Questionnaire's version when it is a semantic version (``2.1`` → ``2.1.0``)."""
    version = _string(resource, "version")
    if re.fullmatch(r"\d{1,6}(\.\d{1,6}){0,1}", version):
        version += ".0" * (2 - version.count("."))
    if re.fullmatch(SEMVER_PATTERN, version):
        return version
    converter.warn("/version", "the version is not a semantic version: the instrument is 1.0.0")
    return "1.0.0"
