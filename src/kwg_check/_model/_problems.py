"""Pydantic errors → problems, and the one validation every way into a model goes through.

Parsing (``parse_*``), direct construction (``Assessment(**data)``) and ``model_validate``
all go through ``Part._parse``: first the limits a loaded document meets
(:func:`check_limits`: depth, number range, Unicode, …, with the loader's codes and
pointers), then :func:`validate`: the strict pydantic models, whose every fault becomes a
:class:`Problem` (code ``schema.<kind>`` plus a JSON pointer), plus the checks a document can
make on its own.
Problems are sorted by pointer, so the same document always yields the same error, and only
:class:`~kwg_check._errors.DocumentError` leaves.

No error ever quotes the document: reasons are written here from the error *type* and the
model's own constraints (bounds, patterns, allowed values), never from pydantic's message or
input, and the pydantic exception is not chained. Pointers name keys, and keys can carry
content too, so a pointer token that is an object key appears verbatim only when it looks
like an identifier (as every field name does), or when it is a key of an id-keyed object
(``answers``, ``caregivers``) that passed its id pattern; any other key is replaced by
:data:`~kwg_check._errors.UNKNOWN_KEY`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs
import pydantic
from pydantic import BaseModel, Tag
from pydantic_core import ErrorDetails

from .._errors import DocumentError, LoadError, Problem, safe_pointer
from .._io import Limits, check_value
from ._patterns import PATTERN_MEANINGS, published

__all__ = ["check_limits", "problems_from", "sorted_problems", "validate"]

_M = typing.TypeVar("_M", bound=BaseModel)


def validate(
    model: type[_M],
    data: object,
    *,
    checks: Callable[[Any], Iterable[Problem]] | None = None,
    instance: _M | None = None,
    strings: bool = False,
    options: Mapping[str, Any] | None = None,
) -> _M:
    """Validate ``data`` as ``model``; raise :class:`DocumentError` with every problem.

    ``checks`` add the problems the document can find on its own
    (on the raw value, so they add to schema problems). ``instance`` is filled in place
    (``__init__``); ``strings`` validates in pydantic's strings mode; ``options`` go to the
    validator (``strict``, ``context``, …). A field is spelt only by its alias (``$schema``,
    ``not``), as the published JSON Schema demands, unless ``by_name`` says otherwise.
    """
    problems: list[Problem] = []
    if checks is not None:
        problems.extend(checks(data))
    given: dict[str, Any] = {"by_name": False, **(options or {})}
    result: _M | None = None
    validator = model.__pydantic_validator__
    try:
        if strings:
            result = validator.validate_strings(typing.cast(Any, data), **given)
        else:
            result = validator.validate_python(data, self_instance=instance, **given)
    except pydantic.ValidationError as exc:
        problems.extend(problems_from(exc, data, model))
    # Raised outside the except block: the pydantic error (which quotes input) is not chained.
    if problems:
        raise DocumentError(sorted_problems(problems))
    assert result is not None
    return result


def check_limits(data: object, limits: Limits) -> None:
    """The limits of a loaded file (:func:`~kwg_check._io.check_value`) for a value given as
    data: the loader's code, pointer and reason, raised as :class:`DocumentError`."""
    problems: tuple[Problem, ...] = ()
    try:
        check_value(data, limits)
    except LoadError as error:
        problems = error.problems
    if problems:  # raised outside the except block: nothing is chained
        raise DocumentError(problems)


def problems_from(
    exc: pydantic.ValidationError, data: object, root: type[BaseModel] | None
) -> list[Problem]:
    """Turn a pydantic error into problems with library codes, pointers and reasons.

    ``data`` is the validated input and ``root`` the model it was validated as (``None``:
    unknown): pointers are built by walking both along each error's location, because
    pydantic's locations also hold union tags and member labels that are not path steps.
    """
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
    return sorted_problems(problems)


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
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


def _locate(error: ErrorDetails, data: object, root: type[BaseModel] | None) -> _Located:
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
    return safe_pointer(item.tokens, {index for index, loc in item.id_keys if loc not in bad_keys})


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
        meaning = PATTERN_MEANINGS.get(published(pattern)) if isinstance(pattern, str) else None
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
    if not isinstance(pattern, str):
        return "has a bad form"
    return f"must match the pattern {published(pattern)}"


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
