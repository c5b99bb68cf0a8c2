"""Documents layer: JSON value → validated model, model → minimal JSON value and fingerprint.

Parsing runs the strict pydantic models and turns *every* fault into a :class:`Problem`
(code ``schema.<kind>`` plus a JSON pointer), then adds the checks an assessment can make on
its own (``assessment.*``, ``answer.*``). Checks against an instrument belong to the compile
layer. Problems are sorted by pointer, so the same document always yields the same error.

No error ever quotes the document: reasons are written here from the error *type* and the
model's own constraints (bounds, patterns, allowed values), never from pydantic's message or
input, and the pydantic exception is not chained. Pointers name keys, and keys can carry
content too, so a pointer token that is an object key appears verbatim only when it looks
like an identifier, ``^[A-Za-z0-9_.$-]{1,64}$`` (as every field name does), or when it is a
key of an id-keyed object (``answers``, ``caregivers``) that passed its id pattern. Any other
key is replaced by the token ``~unknown``, which is deliberately not a valid RFC 6901 token:
it cannot be mistaken for a real key.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, TypeAlias

import attrs
import pydantic
from pydantic import BaseModel, ConfigDict, Tag, TypeAdapter
from pydantic_core import ErrorDetails

from ._errors import DocumentError, Problem, escape_pointer_token
from ._io import JsonValue, fingerprint
from ._model import Assessment, Instrument, Summary
from ._model._types import (
    FINGERPRINT_PATTERN,
    ID_PATTERN,
    PSEUDONYM_PATTERN,
    SEMVER_PATTERN,
    IsoDate,
)

__all__ = [
    "Document",
    "DocumentType",
    "document_fingerprint",
    "document_type",
    "dump_document",
    "model_problems",
    "parse_assessment",
    "parse_document",
    "parse_instrument",
    "parse_summary",
]

DocumentType: TypeAlias = Literal["instrument", "assessment", "summary"]
Document: TypeAlias = Instrument | Assessment | Summary

_MODELS: dict[str, type[Instrument] | type[Assessment] | type[Summary]] = {
    "instrument": Instrument,
    "assessment": Assessment,
    "summary": Summary,
}
_MAX_AGE_MONTHS = 300
"""Oldest subject the models accept (``age_months`` ≤ 300); a birth date must agree."""

_UNKNOWN_KEY = "~unknown"
"""Pointer token standing in for an object key that is not shown (see module docstring)."""
_SHOWN_KEY = re.compile(r"[A-Za-z0-9_.$-]{1,64}")


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def document_type(data: JsonValue) -> DocumentType:
    """Which document ``data`` claims to be, from its ``document_type`` member."""
    if not isinstance(data, dict):
        raise DocumentError(Problem("", "document.type", "a document must be a JSON object"))
    kind = data.get("document_type")
    if isinstance(kind, str) and kind in _MODELS:
        return typing.cast(DocumentType, kind)
    reason = (
        "document_type is missing"
        if "document_type" not in data
        else "document_type must be one of instrument, assessment, summary"
    )
    raise DocumentError(Problem("/document_type", "document.type", reason))


def parse_instrument(data: JsonValue) -> Instrument:
    """Validate an instrument document; raise :class:`DocumentError` with every problem."""
    return _validate(Instrument, data, ())


def parse_assessment(data: JsonValue) -> Assessment:
    """Validate an assessment, including the checks it can make without its instrument."""
    return _validate(Assessment, data, _assessment_problems(data))


def parse_summary(data: JsonValue) -> Summary:
    """Validate a summary document; raise :class:`DocumentError` with every problem."""
    return _validate(Summary, data, ())


def parse_document(data: JsonValue) -> Document:
    """Validate a document of the kind its ``document_type`` names."""
    kind = document_type(data)
    if kind == "instrument":
        return parse_instrument(data)
    if kind == "assessment":
        return parse_assessment(data)
    return parse_summary(data)


def dump_document(doc: Document) -> dict[str, JsonValue]:
    """The document's minimal canonical JSON value: defaults left out, decimals as strings.

    Loading the result gives an equal model, and dumping that gives the same value again;
    ``extensions`` come back exactly as they went in.
    """
    dumped: dict[str, JsonValue] | None = None
    with contextlib.suppress(ValueError):  # raised outside: pydantic's error is not chained
        dumped = doc.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if dumped is None:
        # Only extensions can nest without bound (far beyond what the loader accepts).
        reason = "the document is nested too deeply to be written"
        raise DocumentError(Problem("", "document.too-deep", reason))
    return dumped


def document_fingerprint(doc: Document) -> str:
    """Content fingerprint, the same for JSON and YAML, ``2``/``"2"``/``2.0``, any key order
    and defaults spelt out or left out. ``$schema`` is an editor hint and is left out."""
    data = dump_document(doc)
    data.pop("$schema", None)
    return fingerprint(data)


def model_problems(exc: pydantic.ValidationError, data: JsonValue) -> list[Problem]:
    """Turn a pydantic error into problems with library codes, pointers and reasons.

    ``data`` is the validated input: pointers are built by walking it (and the model's types)
    along each error's location, because pydantic's locations also hold union tags and
    member labels that are not path steps.
    """
    root = _model_by_title(exc.title)
    located = [_locate(error, data, root) for error in exc.errors(include_url=False)]
    bad_keys = {item.id_keys[-1][1] for item in located if item.on_key and item.id_keys}
    problems: list[Problem] = []
    unions: dict[tuple[str | int, ...], list[_Located]] = {}
    for item in located:
        if item.union is None:
            problems.append(_problem(item, bad_keys))
        else:
            unions.setdefault(item.union, []).append(item)
    for members in unions.values():
        problems.extend(_union_problems(members, bad_keys))
    return _sorted(problems)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

_M = typing.TypeVar("_M", Instrument, Assessment, Summary)


def _validate(model: type[_M], data: JsonValue, extra: Sequence[Problem]) -> _M:
    _expect_kind(model, data)
    problems = list(extra)
    result: _M | None = None
    try:
        # by_name=False: a field is spelled only by its alias (``$schema``, ``not``), as the
        # published JSON Schema demands, whatever the model config allows.
        result = model.model_validate(data, by_name=False)
    except pydantic.ValidationError as exc:
        problems.extend(model_problems(exc, data))
    # Raised outside the except block: the pydantic error (which quotes input) is not chained.
    if problems:
        raise DocumentError(_sorted(problems))
    assert result is not None
    return result


_ARTICLES = {"instrument": "an instrument", "assessment": "an assessment", "summary": "a summary"}


def _expect_kind(model: type[_M], data: JsonValue) -> None:
    """One clear problem for a document of another kind (a summary given where an assessment
    is expected), instead of every field the wrong model misses."""
    given = data.get("document_type") if isinstance(data, dict) else None
    wanted = next(kind for kind, known in _MODELS.items() if known is model)
    if isinstance(given, str) and given in _MODELS and given != wanted:
        reason = f"expected {_ARTICLES[wanted]}, got {_ARTICLES[given]}"
        raise DocumentError(Problem("/document_type", "document.wrong-type", reason))


def _sorted(problems: Sequence[Problem]) -> list[Problem]:
    """By pointer (array indices numerically), then code and reason: a stable order.

    Equal problems are kept: hidden keys (``~unknown``) can make two faults look alike.
    """
    return sorted(problems, key=lambda p: (_pointer_key(p.pointer), p.code, p.reason))


def _pointer_key(pointer: str) -> tuple[tuple[int, int, str], ...]:
    tokens = pointer.split("/")[1:]
    return tuple((0, int(t), "") if t.isascii() and t.isdigit() else (1, 0, t) for t in tokens)


# --------------------------------------------------------------------------------------------
# Locating an error: walk the input and the model types along ``loc``
# --------------------------------------------------------------------------------------------


@attrs.frozen
class _Located:
    """A pydantic error with its place in the document resolved."""

    error: ErrorDetails
    tokens: tuple[str | int, ...]
    """Path steps into the document (raw keys; shown or hidden when the pointer is built)."""
    id_keys: tuple[tuple[int, tuple[str | int, ...]], ...]
    """Tokens that are keys of an id-keyed object (``answers``, ``caregivers``): the token's
    index and its location, to learn whether the key passed its id pattern."""
    on_key: bool
    """The error concerns an object key (the last id key), not the member's value."""
    model: type[BaseModel] | None
    """The model the last step landed in, when known (lists allowed fields)."""
    tags: tuple[str, ...]
    """Tags of the tagged union the error sits at, when it sits at one."""
    union: tuple[str | int, ...] | None
    """Location prefix of the plain union the error passed through, if any."""


def _locate(error: ErrorDetails, data: JsonValue, root: type[BaseModel] | None) -> _Located:
    node: Any = data
    tp: Any = root
    tokens: list[str | int] = []
    id_keys: list[tuple[int, tuple[str | int, ...]]] = []
    on_key = after_key = False
    model: type[BaseModel] | None = root
    union: tuple[str | int, ...] | None = None
    loc = error["loc"]
    for position, element in enumerate(loc):
        if element == "[key]" and after_key:
            on_key = True  # the error is about the key just stepped over
            continue
        tp = _unwrap(tp)
        tags = _tags(tp)
        if tags is not None:
            if element in tags:
                tp = tags[element]  # a union tag, not a path step
                continue
            tp = None
        elif _is_union(tp):
            union, tp = tuple(loc[:position]), None  # a member label, not a path step
            continue
        after_key = False
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = _fields(tp).get(element) if isinstance(element, str) else None
            model, tp = tp, (field.annotation if field is not None else None)
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp, after_key = typing.get_args(tp)[1], True
            if _has_step(node, element):
                id_keys.append((len(tokens), tuple(loc[: position + 1])))
        else:
            tp = None
        if _has_step(node, element):
            node = node[element]
            tokens.append(element)
    final = _unwrap(tp)
    end_tags = _tags(final)
    return _Located(
        error=error,
        tokens=tuple(tokens),
        id_keys=tuple(id_keys),
        on_key=on_key,
        model=final if isinstance(final, type) and issubclass(final, BaseModel) else model,
        tags=tuple(str(tag) for tag in end_tags) if end_tags is not None else (),
        union=union,
    )


def _has_step(node: Any, element: str | int) -> bool:
    """Whether ``element`` is a key of the dict ``node`` or a valid index of the list."""
    if isinstance(node, dict):
        return isinstance(element, str) and element in node
    if isinstance(node, list):
        return isinstance(element, int) and 0 <= element < len(node)
    return False


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` (pydantic puts no location step for either)."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if _is_union(tp):
            members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _tags(tp: Any) -> dict[str | int, Any] | None:
    """Members of a tagged union by tag, or ``None`` when ``tp`` is not one."""
    if not _is_union(tp):
        return None
    tagged: dict[str | int, Any] = {}
    for member in typing.get_args(tp):
        if typing.get_origin(member) is not typing.Annotated:
            return None
        tag = next((m.tag for m in member.__metadata__ if isinstance(m, Tag)), None)
        if tag is None:
            return None
        tagged[tag] = typing.get_args(member)[0]
    return tagged


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _model_by_title(title: str) -> type[BaseModel] | None:
    """The model an error was raised for, if it is one of ours (else pointers use data only)."""
    return _MODEL_INDEX.get(title)


def _index_models() -> dict[str, type[BaseModel]]:
    """Every model reachable from the three documents, by class name (unique names only)."""
    seen: dict[str, type[BaseModel] | None] = {}
    pending: list[Any] = list(_MODELS.values())
    while pending:
        tp = pending.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in seen:
                if seen[tp.__name__] is not tp:
                    seen[tp.__name__] = None  # ambiguous title: fall back to data only
                continue
            seen[tp.__name__] = tp
            pending.extend(info.annotation for info in tp.model_fields.values())
        else:
            pending.extend(typing.get_args(tp))
    return {name: tp for name, tp in seen.items() if tp is not None}


_MODEL_INDEX = _index_models()


# --------------------------------------------------------------------------------------------
# Codes and reasons (our own words; never pydantic's message, never the input)
# --------------------------------------------------------------------------------------------

_TYPE_NOUNS = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "a boolean (true or false)",
    "list_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "date_type": "a date string YYYY-MM-DD",
    "decimal_type": "an exact decimal: an integer below 10**12 in magnitude or a decimal "
    "string such as '1.5' (never a binary float)",
    "none_required": "absent",
}
_DECIMAL_NOUN = _TYPE_NOUNS["decimal_type"]
_PATTERN_MEANINGS = {
    ID_PATTERN: "an identifier: 1 to 64 of the characters a-z, 0-9, '_', '.', '-', "
    "beginning with a letter or digit",
    PSEUDONYM_PATTERN: "a pseudonymous identifier (never a name): 1 to 64 of the characters "
    "A-Z, a-z, 0-9, '_', '.', ':', '-', beginning with a letter or digit",
    SEMVER_PATTERN: "a semantic version such as 1.0.0",
    FINGERPRINT_PATTERN: "a fingerprint: 'sha256:' and 64 lower-case hexadecimal digits",
}
_RANGE_WORDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "greater than"),
    "less_than": ("lt", "less than"),
    "multiple_of": ("multiple_of", "a multiple of"),
}
_UNION_TYPES = {"condition", "requirement", "union_tag_invalid", "union_tag_not_found"}


_KeyLocs: TypeAlias = set[tuple[str | int, ...]]


def _problem(item: _Located, bad_keys: _KeyLocs) -> Problem:
    code, reason = _code_and_reason(item)
    if item.on_key:
        reason = f"object key: {reason}"
    return Problem(_located_pointer(item, bad_keys), code, reason)


def _located_pointer(item: _Located, bad_keys: _KeyLocs) -> str:
    """Pointer of an error; keys that passed their id pattern are ids, so they are shown."""
    valid_ids = {index for index, loc in item.id_keys if loc not in bad_keys}
    return _pointer(item.tokens, valid_ids)


def _pointer(tokens: Sequence[str | int], valid_ids: set[int] | None = None) -> str:
    parts: list[str] = []
    for index, token in enumerate(tokens):
        shown = _SHOWN_KEY.fullmatch(str(token)) or (valid_ids and index in valid_ids)
        parts.append(escape_pointer_token(token) if shown else _UNKNOWN_KEY)
    return "".join("/" + part for part in parts)


def _code_and_reason(item: _Located) -> tuple[str, str]:
    error = item.error
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        name = error["loc"][-1] if error["loc"] else "?"
        return "schema.required", f"the required field {name!r} is missing"
    if kind == "extra_forbidden":
        allowed = sorted(_fields(item.model)) if item.model is not None else []
        listed = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return "schema.unknown-field", f"this field is not allowed{listed}"
    if kind in ("literal_error", "enum"):
        return "schema.enum", f"must be one of {ctx.get('expected', 'the allowed values')}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        meaning = _PATTERN_MEANINGS.get(pattern) if isinstance(pattern, str) else None
        return "schema.pattern", f"must be {meaning}" if meaning else _pattern_reason(pattern)
    if kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        return "schema.length", _length_reason(kind, ctx)
    if kind in _RANGE_WORDS:
        key, words = _RANGE_WORDS[kind]
        return "schema.range", f"must be {words} {ctx.get(key)}"
    if kind == "null_value":
        return "schema.null", "null is not allowed; leave the field out instead"
    if kind in _UNION_TYPES:
        return "schema.union", _union_reason(kind, item.tags)
    if kind == "value_error":
        return "schema.value", _value_reason(error, ctx)
    noun = _type_noun(kind, ctx)
    if noun is not None:
        if not item.tokens and kind in ("model_type", "dict_type"):
            return "schema.type", "a document must be a JSON object"
        return "schema.type", f"must be {noun}"
    if kind == "recursion_loop":
        return "schema.invalid", "is nested too deeply"
    if kind == "string_unicode":
        return "schema.invalid", "is not valid Unicode text (it contains a lone surrogate)"
    return "schema.invalid", "is not a valid value here"


def _type_noun(kind: str, ctx: Mapping[str, Any]) -> str | None:
    if kind == "is_instance_of":
        return _DECIMAL_NOUN if ctx.get("class") == "Decimal" else "of another type"
    if kind in _TYPE_NOUNS:
        return _TYPE_NOUNS[kind]
    if kind.endswith("_type"):
        return "of another type"
    return None


def _pattern_reason(pattern: object) -> str:
    # Our own patterns only (they come from the models), so naming one is safe.
    return f"must match the pattern {pattern}" if isinstance(pattern, str) else "has a bad form"


def _length_reason(kind: str, ctx: Mapping[str, Any]) -> str:
    unit = "character" if kind.startswith("string") else "entry"
    if kind.endswith("short"):
        bound, words = ctx.get("min_length"), "at least"
    else:
        bound, words = ctx.get("max_length"), "at most"
    plural = {"character": "characters", "entry": "entries"}[unit] if bound != 1 else unit
    return f"must have {words} {bound} {plural}"


def _union_reason(kind: str, tags: Sequence[str]) -> str:
    listed = ", ".join(tags)
    if kind == "condition":
        return f"a condition must be an object with exactly one of the keys {listed}"
    if kind == "requirement":
        return f"a requirement must be an object whose check is one of {listed}"
    return f"must be exactly one of the forms {listed}" if listed else "matches no allowed form"


def _value_reason(error: ErrorDetails, ctx: Mapping[str, Any]) -> str:
    """Messages of ValueErrors raised by our own validators are ours: safe to show.

    As a guard, a message that contains the (string) input is not shown.
    """
    cause = ctx.get("error")
    message = str(cause) if isinstance(cause, ValueError) else ""
    given = error.get("input")
    if not message or (isinstance(given, str) and len(given) >= 3 and given in message):
        return "is not a valid value here"
    return message


def _union_problems(members: Sequence[_Located], bad_keys: _KeyLocs) -> list[Problem]:
    """One problem per plain union: the specific errors of the member of the right type,
    or, when no member had the right type, one type problem naming every choice."""
    specific = [m for m in members if _type_noun(m.error["type"], m.error.get("ctx") or {}) is None]
    if specific:
        return [_problem(m, bad_keys) for m in specific]
    nouns = []
    for member in members:
        noun = _type_noun(member.error["type"], member.error.get("ctx") or {})
        if noun is not None and noun not in nouns:
            nouns.append(noun)
    first = members[0]
    reason = "must be " + " or ".join(nouns)
    return [Problem(_located_pointer(first, bad_keys), "schema.type", reason)]


# --------------------------------------------------------------------------------------------
# Checks an assessment can make alone (on the raw value, so they add to schema problems)
# --------------------------------------------------------------------------------------------

_DATE = TypeAdapter(IsoDate, config=ConfigDict(strict=True))


def _assessment_problems(data: JsonValue) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    return [
        *_subject_problems(data),
        *_assessor_problems(data.get("assessors")),
        *_answer_problems(data.get("answers")),
        *_judgement_problems(data),
    ]


def _date(value: JsonValue) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return _DATE.validate_python(value)
    except pydantic.ValidationError:
        return None  # reported by the model validation


def _age_months(birth: datetime.date, on: datetime.date) -> int:
    """Completed months: whole months, minus one while the day of the month is not reached."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def _subject_problems(data: dict[str, JsonValue]) -> Iterator[Problem]:
    subject = data.get("subject")
    on = _date(data.get("assessment_date"))
    birth = _date(subject.get("birth_date")) if isinstance(subject, dict) else None
    if birth is None or on is None:
        return
    pointer = "/subject/birth_date"
    if birth > on:
        yield Problem(
            pointer, "assessment.birth-after-date", "the birth date is after the assessment date"
        )
    elif _age_months(birth, on) > _MAX_AGE_MONTHS:
        yield Problem(
            pointer,
            "assessment.age-range",
            f"the child would be older than {_MAX_AGE_MONTHS} months on the assessment date",
        )


def _assessor_problems(assessors: JsonValue) -> Iterator[Problem]:
    if not isinstance(assessors, list):
        return
    seen: set[str] = set()
    for index, assessor in enumerate(assessors):
        ident = assessor.get("id") if isinstance(assessor, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            yield Problem(
                f"/assessors/{index}/id",
                "assessment.duplicate-assessor",
                "an earlier assessor has the same id; each professional is listed once",
            )
        seen.add(ident)


def _answer_problems(answers: JsonValue) -> Iterator[Problem]:
    if not isinstance(answers, dict):
        return
    for item, answer in answers.items():
        levels = answer.get("levels") if isinstance(answer, dict) else None
        if not isinstance(levels, list):
            continue
        seen: set[str] = set()
        for index, level in enumerate(levels):
            if not isinstance(level, str):
                continue
            if level in seen:
                pointer = _pointer(("answers", item, "levels", index))
                yield Problem(pointer, "answer.duplicate-level", "the level is listed twice")
            seen.add(level)


def _judgement_problems(data: dict[str, JsonValue]) -> Iterator[Problem]:
    if data.get("override") is not None and data.get("final_rating") is not None:
        yield Problem(
            "/final_rating",
            "assessment.override-and-final-rating",
            "give either an override of the computed outcome or a final rating, not both",
        )
