"""Safe loading layer: untrusted bytes → plain JSON value, plus canonical JSON and fingerprints.

Everything above this layer may assume that a loaded value is a tree of ``None``, ``bool``,
``int`` (within ±(2**53 - 1)), finite ``float``, ``str`` (valid Unicode), ``list`` and ``dict``
with ``str`` keys, no deeper than :attr:`Limits.max_depth`; :func:`check_value` holds a value
built in memory to exactly the same rules, with the same codes and pointers. Every failure is a
:class:`~kwg_check._errors.LoadError` whose reason never quotes the input: documents hold
special-category social data, so only codes, JSON pointers, line/column numbers and sizes are
reported. Original parser exceptions are not chained either (their messages and marks quote the
document), so logging a traceback cannot leak content.

YAML is accepted as a plain superset of JSON, not as a serialisation of Python objects:

* Only the parser layer of PyYAML is used (via a ``SafeLoader`` subclass, preferring the libyaml
  based ``CSafeLoader``); the value is built from parser events by this module, iteratively, so
  no PyYAML constructor ever runs and nesting depth never costs Python recursion.
* Anchors, aliases and merge keys (``<<``) are rejected at the first event that carries them,
  so alias bombs fail before anything is built.
* Plain scalars are resolved with the YAML 1.2 *core schema* instead of PyYAML's YAML 1.1
  rules: ``null``/``~``/empty, ``true``/``false`` (also ``True``/``TRUE`` …), decimal,
  ``0o`` octal and ``0x`` hex integers, floats with optional exponent, ``.inf``/``.nan``.
  Consequently ``yes``/``no``/``on``/``off``, dates such as ``2024-01-31``, ``1_000``,
  sexagesimal numbers and ``=`` all stay strings, and ``012`` is the decimal 12.
* Explicit tags are allowed only for the JSON types (``!!str``, ``!!int``, ``!!float``,
  ``!!bool``, ``!!null``, ``!!seq``, ``!!map``) and the non-specific ``!``; the value must fit
  the tag's core-schema form.
* Text is kept exactly. Line breaks are LF and CR LF, as YAML 1.2 and editors count them;
  NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) are ordinary
  characters (PyYAML follows YAML 1.1 and would fold or drop them), so they stay in every
  scalar as written, and line numbers in errors count LF only. A CR not followed by LF is
  refused (``load.yaml-line-break``): YAML 1.2 reads it as a line break where editors show
  none, so any reading would change some text silently; write ``\\r`` in double quotes.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs
import orjson

from kwg_check._errors import (
    ArgumentError,
    KwgCheckError,
    LoadError,
    Problem,
    WriteError,
    safe_pointer,
)

if TYPE_CHECKING:  # PyYAML is imported when YAML is first read: JSON alone never needs it
    import yaml
    from yaml.events import Event, ScalarEvent

__all__ = [
    "DEFAULT_LIMITS",
    "JsonValue",
    "Limits",
    "canonical_json",
    "check_value",
    "dump_json",
    "dump_plain_json",
    "fingerprint",
    "load_bytes",
    "load_path",
    "load_text",
]

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A parsed JSON document: the only shape that leaves this module."""

Format: TypeAlias = Literal["json", "yaml", "auto"]

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer every JSON implementation (including JavaScript's doubles) reads exactly."""

_BOM = b"\xef\xbb\xbf"
_JSON_WHITESPACE = b" \t\r\n"
_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _count(default: int) -> Any:
    """A limit field: a positive ``int`` with a default."""
    return attrs.field(
        default=default, validator=[attrs.validators.instance_of(int), attrs.validators.ge(1)]
    )


@attrs.frozen
class Limits:
    """Resource bounds, so hostile input stays cheap: a case system may load instruments
    and assessments from shared repositories it does not control.

    ``max_bytes`` and ``max_depth`` apply before and during parsing (codes
    ``load.too-large``, ``load.too-deep``). The others bound the size of an instrument and
    are checked first when it is compiled or validated (``compile_instrument``,
    ``instrument_problems``); the defaults lie far above any real instrument (which has
    fewer than 500 items and chains of two or three):

    * ``max_items``, ``max_indices``, ``max_flags``: items, indices and flags
      (``compile.too-many-items``, ``compile.too-many-indices``, ``compile.too-many-flags``);
    * ``max_rules``: rules of the decision table, policy overrides and process checks, each
      (``compile.too-many-rules``);
    * ``max_chain_depth``: the longest chain of indices over indices, of flags over flags,
      or of items whose applicability reads another item (``compile.chain-too-deep``).

    Each error points at the first element past the limit. Conditions are nested no deeper
    than ``max_depth`` allows in the file.
    """

    max_bytes: int = attrs.field(
        default=4 * 1024 * 1024,
        validator=[attrs.validators.instance_of(int), attrs.validators.ge(0)],
    )
    max_depth: int = _count(64)
    max_items: int = _count(50_000)
    max_indices: int = _count(10_000)
    max_flags: int = _count(10_000)
    max_rules: int = _count(10_000)
    max_chain_depth: int = _count(256)


DEFAULT_LIMITS = Limits()
"""The limits every loader applies unless the caller passes its own."""

_SUFFIX_FORMATS: dict[str, Format] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def _problem(code: str, reason: str, path: tuple[str | int, ...] = ()) -> Problem:
    # Keys can carry content: only identifier-shaped ones are shown (as in every error).
    return Problem(safe_pointer(path), code, reason)


# --------------------------------------------------------------------------------------------
# Public loading functions
# --------------------------------------------------------------------------------------------


def load_bytes(
    data: bytes, *, format: Format = "auto", limits: Limits = DEFAULT_LIMITS
) -> JsonValue:
    """Parse untrusted bytes (UTF-8 JSON or YAML) into a JSON value, or raise ``LoadError``.

    The checks run cheapest first: size, byte-order mark, UTF-8, then the parser.
    ``format="auto"`` picks JSON when the first non-whitespace byte is ``{`` or ``[``, else YAML.
    """
    if format not in ("json", "yaml", "auto"):
        reason = "the format must be one of json, yaml, auto"
        raise ArgumentError(Problem("", "argument.format", reason))
    if len(data) > limits.max_bytes:
        raise LoadError(
            _problem(
                "load.too-large",
                f"the document has {len(data)} bytes, more than the limit of "
                f"{limits.max_bytes} bytes",
            )
        )
    if data.startswith(_BOM):
        raise LoadError(
            _problem(
                "load.bom",
                "the document starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM",
            )
        )
    text, problem = _decode_utf8(data)
    if problem is not None:
        raise LoadError(problem)
    if format == "auto":
        format = "json" if data.lstrip(_JSON_WHITESPACE)[:1] in (b"{", b"[") else "yaml"
    if format == "json":
        return _load_json(text, limits)
    return _load_yaml(text, limits)


def load_text(text: str, *, format: Format = "auto", limits: Limits = DEFAULT_LIMITS) -> JsonValue:
    """Parse a document given as ``str``; it is measured and checked as its UTF-8 encoding."""
    if len(text) > limits.max_bytes:  # every character needs at least one byte
        raise LoadError(
            _problem(
                "load.too-large",
                f"the document has more than the limit of {limits.max_bytes} bytes",
            )
        )
    data: bytes | None = None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        problem = _problem(
            "load.encoding",
            f"the text contains a lone surrogate at character offset {exc.start}; "
            "it cannot be encoded as UTF-8",
        )
    if data is None:
        raise LoadError(problem)
    return load_bytes(data, format=format, limits=limits)


def load_path(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> JsonValue:
    """Read and parse a file; the format follows the suffix (``.json``, ``.yaml``/``.yml``).

    At most ``max_bytes + 1`` bytes are read, so a huge (or endless) file is rejected as
    too large without being loaded into memory. The path is never echoed in the error: file
    names of case documents can themselves be sensitive.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    format = _SUFFIX_FORMATS.get(suffix, "auto")
    data: bytes | None = None
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        detail = f"{exc.strerror} (errno {exc.errno})" if exc.strerror else type(exc).__name__
        problem = _problem("load.io", f"the file could not be read: {detail}")
    except ValueError:  # e.g. an embedded NUL character in the path
        problem = _problem("load.io", "the file could not be read: the path is not valid")
    if data is None:
        raise LoadError(problem)
    return load_bytes(data, format=format, limits=limits)


def _decode_utf8(data: bytes) -> tuple[str, Problem | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return "", _problem(
            "load.encoding", f"the document is not valid UTF-8 (at byte offset {exc.start})"
        )


# --------------------------------------------------------------------------------------------
# Value checks shared by JSON loading, canonical_json and dump_json
# --------------------------------------------------------------------------------------------


@attrs.frozen
class _BadScalar:
    """Stand-in the JSON hooks return for a rejected number, so the tree walk can report its
    pointer (raising inside ``json.loads`` would lose the position)."""

    code: str
    reason: str


class _DuplicateKeys(dict[str, object]):
    """Marks a JSON object that had a repeated key (``json`` keeps the last value silently)."""


def _int_problem(literal: str, base: int = 10) -> tuple[str, str] | None:
    """Check an integer literal's magnitude *before* converting it.

    Python refuses to convert integers with more than 4300 digits (ValueError), and anything
    beyond ±(2**53 - 1) is not read identically by every JSON implementation.
    """
    digits = literal.lstrip("+-")
    if digits[:2].lower() in ("0x", "0o"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    if len(digits) > 20 or abs(int(digits or "0", base)) > MAX_SAFE_INTEGER:
        return (
            "load.number-range",
            "an integer lies outside ±(2**53 - 1), the range all JSON implementations read exactly",
        )
    return None


_NON_FINITE = (
    "load.non-finite",
    "a number is NaN or infinite (or too large for a double); JSON has no such values",
)


def _json_int(literal: str) -> int | _BadScalar:
    problem = _int_problem(literal)
    return int(literal) if problem is None else _BadScalar(*problem)


def _json_float(literal: str) -> float | _BadScalar:
    value = float(literal)
    return value if math.isfinite(value) else _BadScalar(*_NON_FINITE)


def _json_constant(_literal: str) -> _BadScalar:
    return _BadScalar(*_NON_FINITE)


def _json_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    return result if len(result) == len(pairs) else _DuplicateKeys(result)


class _Unusual(Exception):
    """Something the fast paths leave to the checked ones, which find and report it."""


def _strict_int(literal: str) -> int:
    if _int_problem(literal) is not None:
        raise _Unusual
    return int(literal)


def _strict_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Unusual
    return value


def _strict_constant(_literal: str) -> float:
    raise _Unusual


def _strict_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Unusual
    return result


_STRICT_DECODER = json.JSONDecoder(
    object_pairs_hook=_strict_object,
    parse_int=_strict_int,
    parse_float=_strict_float,
    parse_constant=_strict_constant,
)
"""Gives up (``_Unusual``) at the first value the checked parser would mark."""

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
"""A \\u escape of a surrogate: the only way a lone surrogate gets into decoded UTF-8 JSON."""


def _too_deep(value: object, max_depth: int) -> bool:
    """Whether arrays and objects nest more than ``max_depth`` levels (containers only)."""
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        below = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) is dict or type(child) is list:
                    below.append(child)
        level = below
    return False


_DUPLICATE_REASON = "an object has the same key more than once; one of the values would be lost"
_SURROGATE_REASON = "a string contains a lone surrogate code point; it is not valid Unicode text"

_Link: TypeAlias = tuple["_Link", str | int] | None
"""A path as a parent-linked chain: children share their parent's path without copying it."""


def _link_path(link: _Link) -> tuple[str | int, ...]:
    tokens: list[str | int] = []
    while link is not None:
        link, token = link
        tokens.append(token)
    return tuple(reversed(tokens))


def _scalar_problem(value: object, *, in_memory: bool = False) -> tuple[str, str] | None:
    """Return (code, reason) if ``value`` is not an acceptable JSON scalar, else ``None``.

    ``in_memory`` also accepts what the models themselves hold in Python (a ``date``, a
    finite ``Decimal``), so ``Model.model_validate(model.model_dump())`` works.
    """
    if in_memory and type(value) is datetime.date:
        return None
    if in_memory and type(value) is Decimal:
        return None if value.is_finite() else _NON_FINITE
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return None if _SURROGATE.search(value) is None else ("load.encoding", _SURROGATE_REASON)
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            return _int_problem("9" * 21)  # the same code and reason as for parsed literals
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else _NON_FINITE
    if isinstance(value, _BadScalar):
        return value.code, value.reason
    return "load.not-json", f"a value of type {type(value).__name__} is not a JSON value"


def _check_tree(value: object, *, max_depth: int | None, producing: bool) -> None:
    """Walk a value iteratively and raise ``LoadError`` for the first thing that is not JSON.

    ``producing`` is true when checking a caller's value before serialising it: then every
    problem is a :class:`WriteError` ``write.not-json`` (nothing was loaded) and reference
    cycles are detected. The walk keeps
    one iterator per open container, never a list of all pending children, so a wide document
    (a million array entries) costs no more memory than the value itself. Otherwise the model
    scalars of :func:`_scalar_problem` are accepted, except below an ``extensions`` key: the
    case system's own data is kept as JSON and written back as it came.
    """

    def fail(code: str, reason: str, link: _Link) -> KwgCheckError:
        if producing:
            reason = f"the value cannot be written as JSON: {reason}"
            return WriteError(_problem("write.not-json", reason, _link_path(link)))
        return LoadError(_problem(code, reason, _link_path(link)))

    # One frame per open container: its children still to check, its path and depth.
    stack: list[tuple[Iterator[tuple[str | int, object]], _Link, int, object, bool]] = []
    active: set[int] = set()  # ids of the open containers (cycle detection when producing)

    def enter(item: object, link: _Link, depth: int, native: bool) -> None:
        if not isinstance(item, dict | list):
            problem = _scalar_problem(item, in_memory=native)
            if problem is not None:
                raise fail(*problem, link)
            return
        if max_depth is not None and depth > max_depth:
            raise fail(
                "load.too-deep",
                f"arrays and objects are nested more than {max_depth} levels deep",
                link,
            )
        if producing:
            if id(item) in active:
                raise fail("load.not-json", "it contains a reference cycle", link)
            active.add(id(item))
        if isinstance(item, _DuplicateKeys):
            raise fail("load.duplicate-key", _DUPLICATE_REASON, link)
        children = enumerate(item) if isinstance(item, list) else iter(item.items())
        stack.append((children, link, depth, item, native))

    enter(value, None, 1, not producing)
    while stack:
        children, link, depth, container, native = stack[-1]
        step = next(children, None)
        if step is None:
            stack.pop()
            active.discard(id(container))
            continue
        token, child = step
        if isinstance(container, dict):
            if not isinstance(token, str):
                raise fail("load.non-string-key", "an object key is not a string", link)
            if _SURROGATE.search(token) is not None:
                raise fail("load.encoding", _SURROGATE_REASON, link)
        enter(child, (link, token), depth + 1, native and token != _EXTENSIONS)


def check_value(value: object, limits: Limits = DEFAULT_LIMITS) -> None:
    """Hold a value built in memory to the rules a loaded document meets, or raise ``LoadError``.

    Callers that hand over a dict instead of bytes get the limits of the file path, with the
    same code, pointer and reason as the loader gives for the same content in a JSON file:
    depth, integer range, finite numbers, valid Unicode, string keys, JSON types only. (The
    byte size limit has no meaning for a value already in memory.) A reference cycle is
    reported as too deep. The common, clean value costs one quick pass; anything doubtful
    goes to the checked walk the JSON loader uses, which names the first fault.
    """
    if not _plain(value, limits.max_depth):
        _check_tree(value, max_depth=limits.max_depth, producing=False)


_EXTENSIONS = "extensions"
"""Below this key the case system's own data is held to plain JSON (see ``_check_tree``)."""


def _plain(value: Any, levels: int, native: bool = True) -> bool:
    """Whether ``value`` is plainly JSON within ``levels`` levels of nesting (a fast,
    recursive pass; ``False`` means "let the checked walk decide", not "bad"). ``native``
    accepts the model scalars (``date``, finite ``Decimal``) too."""
    kind = type(value)
    if kind is str:
        return value.isascii() or _SURROGATE.search(value) is None
    if kind is dict:
        if not levels:
            return False
        for key, child in value.items():
            if type(key) is not str or not (key.isascii() or _SURROGATE.search(key) is None):
                return False
            if type(child) is str:  # the most common value: no call
                if not (child.isascii() or _SURROGATE.search(child) is None):
                    return False
            elif not _plain(child, levels - 1, native and key != _EXTENSIONS):
                return False
        return True
    if kind is list:
        return bool(levels) and all(_plain(child, levels - 1, native) for child in value)
    if kind is int:
        return bool(-MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER)
    if kind is float:
        return math.isfinite(value)
    if native and kind is Decimal:
        return bool(value.is_finite())
    return value is None or kind is bool or (native and kind is datetime.date)


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def _load_json(text: str, limits: Limits) -> JsonValue:
    """Parse JSON strictly: hooks turn the ``json`` module's lenient spots into errors.

    The common case takes one pass: hooks that give up at the first doubtful number or
    repeated key, then a look for surrogate escapes and a walk over the containers for depth.
    Anything doubtful (or a syntax error) goes to the checked path, which names the fault.
    """
    value: object = None
    with contextlib.suppress(_Unusual, json.JSONDecodeError, RecursionError):
        value = _STRICT_DECODER.decode(text)
        if _ESCAPED_SURROGATE.search(text) is None and not _too_deep(value, limits.max_depth):
            return value  # type: ignore[return-value]  # the hooks and the walk proved the shape
    return _checked_load_json(text, limits)


def _checked_load_json(text: str, limits: Limits) -> JsonValue:
    """The reference parser: marks every doubtful value, then checks the whole tree."""
    problem: Problem | None = None
    value: object = None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        # ``exc.msg`` is fixed text from the json module ("Expecting ',' delimiter", …).
        problem = _problem("load.syntax", f"{exc.msg} (line {exc.lineno}, column {exc.colno})")
    except RecursionError:
        problem = _problem(
            "load.too-deep",
            f"arrays and objects are nested more than {limits.max_depth} levels deep",
        )
    if problem is not None:
        raise LoadError(problem)
    _check_tree(value, max_depth=limits.max_depth, producing=False)
    return value  # type: ignore[return-value]  # _check_tree proved the shape


# --------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"

_NULL_RE = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL_RE = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT_RE = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_FLOAT_RE = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)
_MERGE_RE = re.compile(r"<<\Z")


def _core_schema_resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """Implicit resolvers of the YAML 1.2 core schema, in PyYAML's first-character table form.

    Order matters within a first character: integers are tried before floats.
    """
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    rules: list[tuple[str, re.Pattern[str], str]] = [
        (_NULL, _NULL_RE, "~nN"),
        (_BOOL, _BOOL_RE, "tTfF"),
        (_INT, _INT_RE, "-+0123456789"),
        (_FLOAT, _FLOAT_RE, "-+0123456789."),
        (_MERGE, _MERGE_RE, "<"),
    ]
    for tag, regexp, first in rules:
        for char in first:
            table.setdefault(char, []).append((tag, regexp))
    table.setdefault("", []).append((_NULL, _NULL_RE))
    return table


class _Frame:
    """One open YAML collection while events are turned into a value."""

    __slots__ = ("container", "key")

    def __init__(self, container: list[JsonValue] | dict[str, JsonValue]) -> None:
        self.container = container
        self.key: str | None = None  # mapping only: the key whose value comes next


def _yaml_path(stack: list[_Frame]) -> tuple[str | int, ...]:
    """Pointer tokens of the node being read (for a key: of its mapping); built only on error."""
    tokens: list[str | int] = []
    for frame in stack:
        if isinstance(frame.container, list):
            tokens.append(len(frame.container))
        elif frame.key is not None:
            tokens.append(frame.key)
    return tuple(tokens)


class _JsonYamlMixin:
    """Builds a JSON value from a SafeLoader's event stream (no composer, no constructor).

    Mixed into a ``SafeLoader``/``CSafeLoader`` subclass, which supplies the parser methods
    and ``resolve``; the subclass carries its own resolver table so the global loaders keep
    their behaviour. The loop is iterative, so depth costs no Python recursion.
    """

    yaml_implicit_resolvers = _core_schema_resolvers()
    restore: dict[int, str] | None = None
    """Stand-in → original character, when ``_load_yaml`` hid YAML 1.1 breaks from the parser."""
    lone_cr = ""
    """The stand-in of a CR without LF (with ``restore``): a scalar holding it is refused."""

    # Supplied by the loader base classes.
    check_event: Callable[..., bool]
    get_event: Callable[[], Event]
    resolve: Callable[..., str]

    def load_json_value(self, max_depth: int) -> JsonValue:
        """Read exactly one document (or none → ``None``) and return its value."""
        from yaml.events import DocumentStartEvent, StreamEndEvent

        self.get_event()  # StreamStartEvent
        if self.check_event(StreamEndEvent):
            return None
        self.get_event()  # DocumentStartEvent
        value = self._document(max_depth)
        self.get_event()  # DocumentEndEvent
        if self.check_event(DocumentStartEvent):
            event = self.get_event()
            raise LoadError(
                _problem(
                    "load.yaml-multi-document",
                    f"the stream holds more than one YAML document (second at {_at(event)})",
                )
            )
        return value

    def _document(self, max_depth: int) -> JsonValue:
        from yaml.events import (
            AliasEvent,
            MappingEndEvent,
            MappingStartEvent,
            NodeEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
        )

        stack: list[_Frame] = []
        while True:
            event = self.get_event()
            if isinstance(event, SequenceEndEvent | MappingEndEvent):
                finished = stack.pop().container
                if not stack:
                    return finished
                _attach(stack, finished)
                continue
            if not isinstance(event, NodeEvent):  # pragma: no cover - the parser guarantees it
                raise LoadError(_problem("load.syntax", f"unexpected YAML event at {_at(event)}"))
            if isinstance(event, AliasEvent) or event.anchor is not None:
                raise _yaml_error(
                    "load.yaml-alias", "YAML anchors and aliases are not accepted", event, stack
                )
            top = stack[-1].container if stack else None
            is_key = isinstance(top, dict) and stack[-1].key is None
            if isinstance(event, ScalarEvent):
                if self.restore is not None:
                    self._restore_text(event, stack)
                if is_key:
                    stack[-1].key = self._key(event, stack)
                    continue
                value = self._scalar(event, stack)
                if not stack:
                    return value
                _attach(stack, value)
                continue
            assert isinstance(event, SequenceStartEvent | MappingStartEvent)
            is_seq = isinstance(event, SequenceStartEvent)
            if event.tag not in (None, "!", _SEQ if is_seq else _MAP):
                raise _tag_error(event, stack)
            if is_key:
                raise _yaml_error(
                    "load.non-string-key",
                    "a mapping key is an array or object; keys must be strings",
                    event,
                    stack,
                )
            if len(stack) >= max_depth:
                raise _yaml_error(
                    "load.too-deep",
                    f"arrays and objects are nested more than {max_depth} levels deep",
                    event,
                    stack,
                )
            stack.append(_Frame([] if is_seq else {}))

    def _restore_text(self, event: ScalarEvent, stack: list[_Frame]) -> None:
        """Put the hidden characters back into a scalar; refuse one that holds a lone CR."""
        assert self.restore is not None
        if self.lone_cr in event.value:  # an escaped \r is no stand-in and stays
            raise _yaml_error("load.yaml-line-break", _LONE_CR_REASON, event, stack)
        event.value = event.value.translate(self.restore)

    def _tag(self, event: ScalarEvent) -> str:
        if event.tag == "!":  # the non-specific tag: a string, per the YAML spec
            return _STR
        if event.tag is not None:
            return event.tag
        if not event.implicit[0]:  # quoted or block scalar
            return _STR
        from yaml import ScalarNode

        return self.resolve(ScalarNode, event.value, (True, False))

    def _key(self, event: ScalarEvent, stack: list[_Frame]) -> str:
        tag = self._tag(event)
        if tag == _MERGE:
            raise _yaml_error("load.yaml-alias", "YAML merge keys are not accepted", event, stack)
        if tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
            raise _tag_error(event, stack)
        if tag != _STR:
            raise _yaml_error(
                "load.non-string-key",
                f"a mapping key reads as {tag.removeprefix(_TAG)}, not as a string; quote it",
                event,
                stack,
            )
        key = event.value
        if _SURROGATE.search(key) is not None:
            raise _yaml_error("load.encoding", _SURROGATE_REASON, event, stack)
        if key in stack[-1].container:
            raise _yaml_error("load.duplicate-key", _DUPLICATE_REASON, event, stack)
        return key

    def _scalar(self, event: ScalarEvent, stack: list[_Frame]) -> JsonValue:
        tag = self._tag(event)
        text = event.value
        if tag == _STR:
            if _SURROGATE.search(text) is not None:
                raise _yaml_error("load.encoding", _SURROGATE_REASON, event, stack)
            return text
        if tag == _NULL and _NULL_RE.match(text):
            return None
        if tag == _BOOL and _BOOL_RE.match(text):
            return text.lower() == "true"
        if tag == _INT and _INT_RE.match(text):
            base = {"0x": 16, "0o": 8}.get(text[:2], 10)
            problem = _int_problem(text, base)
            if problem is not None:
                raise _yaml_error(*problem, event, stack)
            return int(text, base)  # int() accepts the 0x/0o prefix with a matching base
        if tag == _FLOAT and _FLOAT_RE.match(text):
            number = math.inf if text[-3:].lower() in ("inf", "nan") else float(text)
            if not math.isfinite(number):
                raise _yaml_error(*_NON_FINITE, event, stack)
            return number
        if tag == _MERGE and event.tag is None:
            return text  # a plain "<<" as a value is just text; only a "<<" key merges
        raise _tag_error(event, stack)


def _attach(stack: list[_Frame], value: JsonValue) -> None:
    frame = stack[-1]
    if isinstance(frame.container, list):
        frame.container.append(value)
    else:
        assert frame.key is not None
        frame.container[frame.key] = value
        frame.key = None


def _yaml_error(code: str, reason: str, event: Event, stack: list[_Frame]) -> LoadError:
    return LoadError(_problem(code, f"{reason} ({_at(event)})", _yaml_path(stack)))


def _tag_error(event: Event, stack: list[_Frame]) -> LoadError:
    # The tag itself is document text and is therefore not quoted.
    return _yaml_error(
        "load.yaml-tag",
        "only the YAML tags !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are "
        "accepted, each with a value of its form",
        event,
        stack,
    )


def _at(event: Event) -> str:
    mark = event.start_mark
    return "position unknown" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"


@functools.cache
def _loaders() -> dict[str, type[_JsonYamlMixin]]:
    """The loader classes, made when YAML is first read (importing PyYAML is a good part of
    a short command's start-up, issue 17): ``_PyYamlLoader``, the pure-Python fallback, and
    ``_CYamlLoader``, libyaml's parser when it is installed (same events, much faster
    scanning)."""
    import yaml

    class _PyYamlLoader(_JsonYamlMixin, yaml.SafeLoader):
        """Pure-Python fallback."""

    found: dict[str, type[_JsonYamlMixin]] = {"_PyYamlLoader": _PyYamlLoader}
    if getattr(yaml, "__with_libyaml__", False):

        class _CYamlLoader(_JsonYamlMixin, yaml.CSafeLoader):
            """libyaml parser: same events, much faster scanning."""

        found["_CYamlLoader"] = _CYamlLoader
    return found


_YamlLoader: type[_JsonYamlMixin] | None = None
"""The loader to use; ``None``: libyaml's when it is installed (the tests run both)."""


if TYPE_CHECKING:
    _PyYamlLoader: type[_JsonYamlMixin]
    _CYamlLoader: type[_JsonYamlMixin]
else:

    def __getattr__(name: str) -> type[_JsonYamlMixin]:
        """The loader classes by their names (PEP 562; see ``_loaders``)."""
        loaders = _loaders() if name in ("_PyYamlLoader", "_CYamlLoader") else {}
        if name not in loaders:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return loaders[name]


_YAML_1_1_BREAK = re.compile("[\x85\u2028\u2029]|\r(?!\n)")
"""What PyYAML (YAML 1.1) reads as a line break but YAML 1.2 and editors do not."""

_LONE_CR = re.compile("\r(?!\n)")
_ESCAPE_CODE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")
_STAND_IN_POOL = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
"""Private-use code points: printable, non-space and no break to PyYAML and to libyaml."""

_LONE_CR_REASON = (
    "a carriage return (CR) is not followed by a line feed: YAML 1.2 reads it as a line break, "
    "editors do not; end lines with LF or CR LF and write \\r inside double quotes"
)


def _stand_ins(text: str) -> dict[str, str] | None:
    """Map each YAML 1.1 break character to a private-use character the text cannot produce.

    The stand-ins are absent from the text and from every ``\\x``/``\\u``/``\\U`` escape in
    it, so a scalar holding one after parsing held the original character. ``None`` if the text
    uses so many private-use characters that four free ones cannot be found.
    """
    taken = {ord(char) for char in set(text)}
    taken.update(
        int("".join(match.groups(default="")), 16) for match in _ESCAPE_CODE.finditer(text)
    )
    free = (chr(code) for pool in _STAND_IN_POOL for code in pool if code not in taken)
    chosen = dict(zip(("\x85", "\u2028", "\u2029", "\r"), free, strict=False))
    return chosen if len(chosen) == 4 else None


def _load_yaml(text: str, limits: Limits) -> JsonValue:
    """Parse YAML; characters PyYAML would take for line breaks are hidden from it first.

    PyYAML's reader and scanner (and libyaml) treat NEL, U+2028, U+2029 and a lone CR as line
    breaks (YAML 1.1). Each is replaced by a private-use stand-in before parsing and put back in
    every scalar, so YAML 1.2 semantics hold: the characters are content, lines end at LF only.
    """
    if _YAML_1_1_BREAK.search(text) is None:
        return _parse_yaml(text, None, limits)
    lone_cr = _LONE_CR.search(text)
    stand_ins = _stand_ins(text)
    failure: LoadError | None = None
    value: JsonValue = None
    if stand_ins is None:
        failure = LoadError(
            _problem(
                "load.yaml-line-break",
                "the YAML text holds NEL, U+2028 or U+2029 and uses nearly every private-use "
                "character, so it cannot be read exactly; write it as JSON",
            )
        )
    else:
        separators = {ord(char): stand_ins[char] for char in "\x85\u2028\u2029"}
        hidden = _LONE_CR.sub(stand_ins["\r"], text.translate(separators))
        try:
            value = _parse_yaml(hidden, stand_ins, limits)
        except LoadError as error:
            failure = error
    if lone_cr is not None and (failure is None or failure.code != "load.yaml-line-break"):
        # A lone CR outside scalars (a comment, between tokens) is refused as well; it is also
        # the likeliest cause of any syntax error the stand-in caused.
        start = lone_cr.start()
        line = text.count("\n", 0, start) + 1
        column = start - text.rfind("\n", 0, start)
        failure = LoadError(
            _problem("load.yaml-line-break", f"{_LONE_CR_REASON} (line {line}, column {column})")
        )
    if failure is not None:
        raise failure
    return value


def _parse_yaml(text: str, stand_ins: dict[str, str] | None, limits: Limits) -> JsonValue:
    import yaml

    problem: Problem | None = None
    value: JsonValue = None
    loader: _JsonYamlMixin | None = None
    try:
        # The pure-Python reader already checks the characters here, so this is inside the try.
        loaders = _loaders()
        chosen = _YamlLoader or loaders.get("_CYamlLoader", loaders["_PyYamlLoader"])
        loader = chosen(text)  # type: ignore[call-arg]
        if stand_ins is not None:
            loader.restore = {ord(hidden): original for original, hidden in stand_ins.items()}
            loader.lone_cr = stand_ins["\r"]
        value = loader.load_json_value(limits.max_depth)
    except yaml.MarkedYAMLError as exc:
        problem = _yaml_error_problem(exc.problem, exc.problem_mark)
    except yaml.reader.ReaderError as exc:
        problem = _problem(
            "load.syntax",
            f"the YAML text contains a character YAML forbids (offset {exc.position})",
        )
    except yaml.YAMLError:
        problem = _problem("load.syntax", "the YAML text is not well-formed")
    except ValueError:
        # The pure-Python scanner raises ValueError for \U escapes beyond U+10FFFF.
        problem = _problem("load.encoding", "a YAML escape is not a Unicode character")
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        problem = _problem("load.too-deep", "the YAML document is nested too deeply")
    finally:
        if loader is not None:
            loader.dispose()  # type: ignore[attr-defined]
    if problem is not None:
        raise LoadError(problem)
    return value


def _yaml_error_problem(message: str | None, mark: yaml.Mark | None) -> Problem:
    """Map a PyYAML error to a problem; its message is not copied (it may quote the text)."""
    where = "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"
    # Two libyaml messages (fixed text) name conditions that have their own codes.
    message = message or ""
    if message.startswith("found invalid Unicode character escape"):
        return _problem("load.encoding", f"a YAML escape is not a Unicode character{where}")
    if message.startswith("exceeded maximum nesting depth"):
        return _problem("load.too-deep", f"the YAML text is nested too deeply{where}")
    return _problem("load.syntax", f"the YAML text is not well-formed{where}")


# --------------------------------------------------------------------------------------------
# Output: canonical JSON (RFC 8785), fingerprints, readable JSON
# --------------------------------------------------------------------------------------------


def _es_number(value: float) -> str:
    """Format a finite float like ECMAScript's ``Number.prototype.toString`` (RFC 8785 §3.2.2.3).

    Python's ``repr`` yields the same shortest round-trip digits; only the layout differs.
    """
    if value == 0:
        return "0"  # also for -0.0
    if value < 0:
        return "-" + _es_number(-value)
    decimal = Decimal(repr(value))
    coefficient = "".join(map(str, decimal.as_tuple().digits))
    exponent = decimal.as_tuple().exponent
    assert isinstance(exponent, int)
    n = len(coefficient) + exponent  # the decimal point sits after n digits
    digits = coefficient.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    sign = "+" if n - 1 >= 0 else "-"
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{sign}{abs(n - 1)}"


def _json_string(value: str) -> str:
    # With ensure_ascii=False the json module escapes exactly what RFC 8785 demands:
    # '"', '\\', \b \f \n \r \t in short form and other controls as lowercase \u00xx.
    return json.dumps(value, ensure_ascii=False)


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be")


def canonical_json(value: JsonValue) -> bytes:
    """Serialise ``value`` per RFC 8785 (JCS): the byte form behind fingerprints.

    Keys are sorted by UTF-16 code units, there is no whitespace, and numbers are written as
    ECMAScript writes them, so a JavaScript or Java implementation produces the same bytes.
    """
    text = _fast_text(_write_canonical, value)
    if text is not None:
        return text.encode("utf-8")
    return _checked_canonical_json(value)


def _checked_canonical_json(value: JsonValue) -> bytes:
    """The reference writer: checks the whole value first, never recurses, names the fault."""
    _check_tree(value, max_depth=None, producing=True)
    parts: list[str] = []
    # Entries are (is_literal, payload): literal text to copy, or a value still to write.
    stack: list[tuple[bool, object]] = [(False, value)]
    while stack:
        literal, item = stack.pop()
        if literal:
            parts.append(item)  # type: ignore[arg-type]
        elif item is None:
            parts.append("null")
        elif item is True:
            parts.append("true")
        elif item is False:
            parts.append("false")
        elif isinstance(item, str):
            parts.append(_json_string(item))
        elif isinstance(item, int):
            parts.append(int.__repr__(item))
        elif isinstance(item, float):
            parts.append(_es_number(item))
        elif isinstance(item, list):
            sequence: list[tuple[bool, object]] = [(True, "[")]
            for index, child in enumerate(item):
                if index:
                    sequence.append((True, ","))
                sequence.append((False, child))
            sequence.append((True, "]"))
            stack.extend(reversed(sequence))
        else:
            assert isinstance(item, dict)
            sequence = [(True, "{")]
            for index, key in enumerate(sorted(item, key=_utf16_key)):
                sequence.append((True, ("," if index else "") + _json_string(key) + ":"))
                sequence.append((False, item[key]))
            sequence.append((True, "}"))
            stack.extend(reversed(sequence))
    return "".join(parts).encode("utf-8")


def fingerprint(value: JsonValue) -> str:
    """Identify a document by content, independent of key order, formatting and JSON/YAML."""
    return "sha256:" + hashlib.sha256(canonical_json(value)).hexdigest()


def dump_json(value: JsonValue) -> str:
    """Readable, stable JSON for files people read and diff: 2-space indent, keys as given."""
    text = _fast_text(_write_readable, value)
    if text is not None:
        return text + "\n"
    return _checked_dump_json(value)


def _checked_dump_json(value: JsonValue) -> str:
    """The reference writer (``json.dumps``) behind a check of the whole value."""
    _check_tree(value, max_depth=None, producing=True)
    text: str | None = None
    with contextlib.suppress(RecursionError):  # the error is raised outside: no chained context
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    if text is None:
        raise WriteError(_problem("write.too-deep", "the value is nested too deeply to write"))
    return text + "\n"


# --------------------------------------------------------------------------------------------
# orjson for values the library built itself
# --------------------------------------------------------------------------------------------
# orjson writes plain JSON values byte for byte as ``json.dumps(..., ensure_ascii=False)``
# does (same escapes, same layout with OPT_INDENT_2), about ten times faster. Only numbers
# differ: orjson formats floats its own way and writes NaN and infinities as ``null``. So
# output with a float- or null-like token goes to the reference writer, as does anything
# orjson refuses (a subclass, a non-string key, an integer beyond 2**53, a lone surrogate,
# deep nesting). orjson also writes tuples, enums and UUIDs, which ``dump_json`` refuses:
# that is why this writer is for values the library built (dicts, lists, strings, integers,
# booleans), such as a summary from ``score_document``, and ``dump_json`` stays exact.

_ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_STRICT_INTEGER
)
_FOLDED = bytes.maketrans(b"123456789E" + bytes(range(0xF1, 0x100)), b"000000000e" + b"\xf0" * 15)
"""Maps every digit to 0 and E to e, so three plain searches find every float candidate, and
every UTF-8 lead byte of a character beyond U+FFFF (0xF0-0xF4; 0xF5-0xFF never occur) to
0xF0, so one more finds those: one pass in C over the text for every check."""
_TOKEN = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|null")
_BEFORE_TOKEN = frozenset(b" \n:[,")
_AFTER_TOKEN = frozenset(b" \n,]}")


def _float_or_null(text: bytes, folded: bytes | None = None) -> bool:
    """Whether ``text`` may hold a float or a ``null`` token outside a string: a whole
    number or ``null`` between JSON delimiters (one inside a string, such as ``"x: 1.5,"``,
    is a false alarm, which only costs the slower writer). Plain substring searches, not a
    regular expression over the whole text: this runs on every summary written. ``folded``:
    ``text`` translated by ``_FOLDED``, when the caller has it already."""
    if folded is None:
        folded = text.translate(_FOLDED)
    for needle in (b"null", b"0.", b"0e"):
        at = folded.find(needle)
        while at >= 0:
            if _token_at(text, at):
                return True
            at = folded.find(needle, at + 1)
    return False


def _token_at(text: bytes, at: int) -> bool:
    """Whether a number (or ``null``) token standing on its own includes position ``at``."""
    start = at
    while start and text[start - 1] in b"0123456789-":
        start -= 1
    if start and text[start - 1] not in _BEFORE_TOKEN:
        return False
    token = _TOKEN.match(text, start)
    return token is not None and (token.end() == len(text) or text[token.end()] in _AFTER_TOKEN)


def dump_plain_json(value: JsonValue, *, readable: bool = True) -> bytes:
    """``dump_json(value)`` (``readable``) or ``json.dumps(value, ensure_ascii=False,
    separators=(",", ":"))`` as UTF-8, byte for byte, through orjson where it gives those
    bytes. For values built by the library only (see above); raises like ``dump_json``."""
    option = _ORJSON_OPTIONS | orjson.OPT_INDENT_2 if readable else _ORJSON_OPTIONS
    try:
        text = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        text = None
    if text is not None and not _float_or_null(text):
        return text + b"\n" if readable else text
    if readable:
        return dump_json(value).encode("utf-8")
    return _checked_compact_json(value)


def plain_fingerprint(value: JsonValue) -> str:
    """``fingerprint(value)`` for a value the library built (see above), its canonical bytes
    written by orjson where they are the same: keys sorted by orjson agree with UTF-16 order
    while no key has a character beyond U+FFFF, and a float (written the ECMAScript way) or
    ``null`` takes the reference writer."""
    return "sha256:" + hashlib.sha256(_plain_canonical_json(value)).hexdigest()


def native_fingerprint(value: object) -> str | None:
    """``fingerprint`` of the JSON value of ``value``, a model's dump in pydantic's Python
    mode, whose dates are ``date`` objects: orjson writes a date as its ISO text, as the JSON
    mode's serializer does, and skipping that serializer (a Python call per date) is what
    this is for. ``None`` when orjson would not write the canonical bytes, or cannot write
    the value at all (a decimal, a float, ``null``, a key beyond U+FFFF): then the caller
    dumps the JSON value and takes ``plain_fingerprint``."""
    text = _orjson_canonical(value, _NATIVE_OPTIONS)
    return None if text is None else "sha256:" + hashlib.sha256(text).hexdigest()


_NATIVE_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_STRICT_INTEGER
)
"""``_ORJSON_OPTIONS`` with dates written natively."""


def _plain_canonical_json(value: JsonValue) -> bytes:
    text = _orjson_canonical(value, _ORJSON_OPTIONS)
    return canonical_json(value) if text is None else text


def _orjson_canonical(value: object, options: int) -> bytes | None:
    """The canonical bytes as orjson writes them, or ``None`` where those could differ."""
    try:
        text = orjson.dumps(value, option=options | orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None
    folded = text.translate(_FOLDED)
    # A UTF-8 lead byte 0xF0-0xF4 starts a character beyond U+FFFF (in a key or a value).
    if b"\xf0" in folded or _float_or_null(text, folded):
        return None
    return text


def _checked_compact_json(value: JsonValue) -> bytes:
    """The reference compact writer (``json.dumps``) behind a check of the whole value."""
    _check_tree(value, max_depth=None, producing=True)
    text: str | None = None
    with contextlib.suppress(RecursionError):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if text is None:
        raise WriteError(_problem("write.too-deep", "the value is nested too deeply to write"))
    return text.encode("utf-8")


# --------------------------------------------------------------------------------------------
# Fast writers: the common case (plain dict, list, str, int, float, bool, None) in one pass
# --------------------------------------------------------------------------------------------
# They write the same text as the checked writers above. Anything out of the ordinary — a
# subclass, a non-string key, a number out of range, a lone surrogate, deep nesting or a
# cycle — makes them give up (``None``), and the checked writer produces the text or the
# error, so both paths fail exactly alike.

_encode_string: Callable[[str], str] = json.encoder.encode_basestring
"""The json module's C string encoder (what ``json.dumps(s, ensure_ascii=False)`` uses)."""


def _fast_text(writer: Callable[[Any, list[str], str], None], value: object) -> str | None:
    parts: list[str] = []
    try:
        writer(value, parts, "")
        text = "".join(parts)
        text.encode("utf-8")  # a lone surrogate cannot be encoded: leave it to the check
    except (_Unusual, RecursionError, UnicodeEncodeError, TypeError):
        return None  # TypeError: a key that is not a string, met while sorting or joining
    return text


def _scalar_text(value: Any, number: Callable[[float], str]) -> str:
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return number(value)
    raise _Unusual


def _write_readable(value: Any, parts: list[str], indent: str) -> None:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, without the generator overhead."""
    kind = type(value)
    if kind is not dict and kind is not list:
        parts.append(_scalar_text(value, float.__repr__))
        return
    if not value:
        parts.append("{}" if kind is dict else "[]")
        return
    inner = indent + "  "
    opening = ("{\n" if kind is dict else "[\n") + inner
    if kind is dict:
        for key, child in value.items():
            if type(key) is not str:
                raise _Unusual
            parts.append(opening + _encode_string(key) + ": ")
            opening = ",\n" + inner
            if type(child) is str:  # the most common value: no call
                parts.append(_encode_string(child))
            else:
                _write_readable(child, parts, inner)
    else:
        for child in value:
            parts.append(opening)
            opening = ",\n" + inner
            _write_readable(child, parts, inner)
    parts.append("\n" + indent + ("}" if kind is dict else "]"))


def _write_canonical(value: Any, parts: list[str], indent: str) -> None:
    """RFC 8785 text, as ``_checked_canonical_json`` writes it (``indent`` is unused)."""
    kind = type(value)
    if kind is dict:
        keys = list(value)
        joined = "".join(keys)  # a non-string key raises TypeError
        # Below U+10000 code-point order is UTF-16 order; other keys need the slow sort.
        keys.sort(key=None if joined.isascii() else _utf16_key)
        opening = "{"
        for key in keys:
            parts.append(opening + _encode_string(key) + ":")
            opening = ","
            _write_canonical(value[key], parts, indent)
        parts.append("}" if keys else "{}")
    elif kind is list:
        opening = "["
        for child in value:
            parts.append(opening)
            opening = ","
            _write_canonical(child, parts, indent)
        parts.append("]" if value else "[]")
    else:
        parts.append(_scalar_text(value, _es_number))
