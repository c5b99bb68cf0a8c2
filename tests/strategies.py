"""Shared hypothesis strategies and document helpers for the fuzz, parity and round-trip tests.

* :class:`SchemaStrategies` generates documents from the *published* schema files (not from
  the models), so the schema and the models can be compared on documents neither wrote.
* :func:`mutated` breaks valid documents the way real files break: fields dropped, list
  entries duplicated, values retyped, nested deeper, strings swapped for huge or odd Unicode.
* :func:`json_text` writes a value as JSON text, optionally with one object's first member
  repeated, because a Python ``dict`` cannot hold the duplicate keys a file can.
* :func:`bundled_documents` are the instruments, examples and their summaries that ship with
  the package: the richest valid documents there are.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pydantic
from hypothesis import settings
from hypothesis import strategies as st

import kwg_check
from kwg_check._errors import Problem
from kwg_check._io import load_path
from kwg_check._schema import SCHEMA_NAMES, schema_text, validator

MARKER = "Max Mustermann, geb. 1.1.1990"
"""Planted text: must never appear in a problem, whatever the document looks like."""


REFERENCE_EXAMPLES = 100
"""The count a property's ``@settings`` names is relative to this (see :func:`examples`)."""
CI_EXAMPLES = 35
"""Examples of a property that names no count under the ``ci`` profile (``conftest.py``):
35 % of the reference, so the README's test command stays within its time budget (the
suite grew past 4,600 tests; exploration belongs to the ``long`` profile)."""
LONG_EXAMPLES = 7_500
"""The same under the ``long`` profile: 75 times the reference, about 214 times ``ci``."""


def examples(count: int) -> int:
    """A property's ``max_examples``: ``count`` scaled like the active profile's own count
    against :data:`REFERENCE_EXAMPLES` (35 % under ``ci``, 75 times under ``long``).

    Write ``@settings(max_examples=examples(40))`` rather than a bare number, so the long run
    explores every property more and the ``ci`` counts stay sized for the suite's time budget.
    """
    active = settings.default
    assert active is not None
    return max(1, round(count * active.max_examples / REFERENCE_EXAMPLES))


def is_json(value: Any) -> bool:
    """Whether ``value`` is a JSON document as the loader defines it (I-JSON: no NaN, no
    integer beyond 2**53, no lone surrogate). Only such documents reach a JSON Schema
    validator in another language, so only they are compared in the parity properties."""
    try:
        kwg_check.canonical_json(value)
    except kwg_check.WriteError:
        return False
    return True


MODELS: dict[str, type[pydantic.BaseModel]] = {
    "instrument": kwg_check.Instrument,
    "assessment": kwg_check.Assessment,
    "summary": kwg_check.Summary,
    "instrument_variant": kwg_check.InstrumentVariant,
}


def schema_accepts(name: str, document: Any) -> bool:
    return validator(name).is_valid(document)


def model_accepts(name: str, document: Any) -> bool:
    """The schema-level verdict of the model: pydantic's own validator, which reads fields by
    alias only (``model_validate`` adds the limits and the checks no schema can make)."""
    try:
        MODELS[name].__pydantic_validator__.validate_python(document, by_name=False)
    except pydantic.ValidationError:
        return False
    return True


def assert_problem_list(problems: list[Problem]) -> None:
    """Problems are the library's own, each with a code and a reason that echoes no case
    text (the planted ``MARKER``)."""
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.code
        assert problem.reason
        assert MARKER not in problem.reason


def assert_same_verdict(name: str, document: Any) -> bool | None:
    """The schema's and the model's verdicts agree; returns the verdict, or ``None`` for a
    value that is no JSON document (there is nothing to compare)."""
    if not is_json(document):
        return None
    by_schema = schema_accepts(name, document)
    by_model = model_accepts(name, document)
    assert by_schema == by_model, (
        f"{name}: schema says {'valid' if by_schema else 'invalid'}, model says "
        f"{'valid' if by_model else 'invalid'}: {json.dumps(document, ensure_ascii=False)[:2000]}"
    )
    return by_schema


# --- arbitrary JSON and odd text -------------------------------------------------------------

ODD_STRINGS = [
    "",
    " ",
    "\x00",
    "\u202e\u2066gnp.exe",  # right-to-left override and isolate
    "\u200b\u200d\ufeff",  # zero-width characters and a BOM inside the text
    "e\u0301\u0301\u0301",  # stacked combining accents
    "\U0001f9d2\U0001f3fd\u200d\U0001f9d1",  # emoji sequence
    "\uffff\U0010ffff",  # non-characters at the edges of the planes
    "\ud800",  # lone surrogate: not valid Unicode text
    "a\udc00b",
    "\u2028\u2029\r\n\t",
    "１２３",  # full-width digits (not ASCII digits)
    "١٫٥",  # Arabic-Indic digits
    "1e400",
    "-0",
    "0x10",
    "2024-02-30",
    "$ref",
    "~1/~0",
    "${jndi:ldap://example.invalid/a}",
    "{{7*7}}",
    "!!python/object:os.system",
]
odd_text = (
    st.sampled_from(ODD_STRINGS)
    | st.text(st.characters(codec="utf-8"), max_size=12)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
    | st.integers(20_001, 40_000).map(lambda n: ("ä\u0301" * n)[:n])
)
"""Strings a schema may or may not allow: controls, surrogates, lookalike digits, huge text."""

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | odd_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=20,
)
"""Arbitrary values, including what JSON cannot hold (NaN, surrogates, huge integers)."""

plain_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8"), max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
"""JSON values every implementation reads the same: what ``extensions`` may hold."""


# --- documents generated from the published schemas -------------------------------------------

_LOOKAHEAD_END = "(?![\\s\\S])"
_MAX_DEPTH = 3
_HANDLED = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "default", "type", "const",
    "enum", "properties", "required", "additionalProperties", "propertyNames",
    "minProperties", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern",
    "minimum", "maximum", "anyOf", "oneOf", "allOf", "not",
}  # fmt: skip

_small_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


class SchemaStrategies:
    """Hypothesis strategies for documents described by one published schema.

    Written here because hypothesis-jsonschema cannot follow the recursive condition
    definitions and no longer runs with current Hypothesis releases. It covers exactly the
    keywords the published schemas use and refuses any other, so it cannot silently
    ignore a constraint. "Exactly one of" groups are generated as independent optional
    properties, so documents with none, one or several of them all occur; likewise the rules
    between an object's fields (``allOf``/``not`` on a subject's kind, members and age) are
    left to chance, so documents on both sides of each rule occur.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.root = schema
        self.recursive = {name for name in self.defs if name in self._reachable(name)}

    def _refs(self, node: Any) -> set[str]:
        if isinstance(node, dict):
            found = {node["$ref"].removeprefix("#/$defs/")} if "$ref" in node else set()
            for key, value in node.items():
                if key not in ("const", "enum", "default", "$defs"):
                    found |= self._refs(value)
            return found
        if isinstance(node, list):
            return set().union(*(self._refs(v) for v in node)) if node else set()
        return set()

    def _reachable(self, start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self._refs(self.defs[start]))
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self._refs(self.defs[name]))
        return seen

    def document(self) -> st.SearchStrategy[Any]:
        strategy = self.build(self.root, 0)
        assert strategy is not None
        return strategy

    def build(self, node: Any, depth: int) -> st.SearchStrategy[Any] | None:
        """The strategy for a subschema, or None where the depth bound forbids a value."""
        if node is True:
            return _small_json
        unknown = set(node) - _HANDLED
        assert not unknown, f"generator does not know {unknown}"
        if "$ref" in node:
            name = node["$ref"].removeprefix("#/$defs/")
            if name in self.recursive and depth >= _MAX_DEPTH:
                return None
            return self.build(self.defs[name], depth + 1)
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if kind == "object":
            return self._object(node, depth)
        if kind == "array":
            return self._array(node, depth)
        if kind == "string":
            return self._string(node)
        if kind == "integer":
            ints = st.integers(node.get("minimum"), node.get("maximum"))
            # 2.0 is an integer to JSON Schema; the model must agree.
            return ints | ints.filter(lambda i: abs(i) < 2**53).map(float)
        if kind == "boolean":
            return st.booleans()
        branches = [self.build(sub, depth) for sub in node.get("anyOf", node.get("oneOf", []))]
        possible = [b for b in branches if b is not None]
        assert branches, f"cannot generate {node}"
        return st.one_of(possible) if possible else None

    def _object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any] | None:
        extra = node.get("additionalProperties", False)
        if extra is not False:
            keys = self._string(node.get("propertyNames", {"type": "string"}))
            values = self.build(extra, depth)
            if values is None:
                return None
            return st.dictionaries(keys, values, min_size=node.get("minProperties", 0), max_size=3)
        required, optional = {}, {}
        for key, sub in node.get("properties", {}).items():
            strategy = self.build(sub, depth)
            if key in node.get("required", []):
                if strategy is None:
                    return None
                required[key] = strategy
            elif strategy is not None:
                optional[key] = strategy
        return st.fixed_dictionaries(required, optional=optional)

    def _array(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any] | None:
        low = node.get("minItems", 0)
        items = self.build(node["items"], depth)
        if items is None:
            return st.just([]) if low == 0 else None
        return st.lists(items, min_size=low, max_size=min(node.get("maxItems", low + 3), low + 3))

    def _string(self, node: dict[str, Any]) -> st.SearchStrategy[str]:
        pattern = node.get("pattern")
        if pattern is not None:
            assert pattern.endswith(_LOOKAHEAD_END)
            pattern = pattern.removesuffix(_LOOKAHEAD_END)
            # Hypothesis cannot generate from the lookahead; \Z means the same in Python.
            plain = _plain_pattern(pattern)
            return st.from_regex(pattern + r"\Z") if plain is None else plain
        low = node.get("minLength", 0)
        return st.text(min_size=low, max_size=min(node.get("maxLength", low + 12), low + 12))


_PLAIN_PIECE = re.compile(r"(\[[^\]\\^][^\]\\]*\]|[A-Za-z0-9:])(?:\{(\d+)(?:,(\d+))?\})?")


@functools.cache
def _plain_pattern(pattern: str) -> st.SearchStrategy[str] | None:
    """The strings of a pattern that is only a sequence of ASCII letters, digits and character
    classes, each maybe with a count (the id, key and fingerprint patterns), drawn piece by
    piece: five times faster than ``st.from_regex``, which the schema generators spend
    most of their time in. ``None`` for any other pattern."""
    if not (pattern.isascii() and pattern.startswith("^(?:") and pattern.endswith(")")):
        return None
    body, pieces, position = pattern[4:-1], [], 0
    while position < len(body):
        match = _PLAIN_PIECE.match(body, position)
        if match is None:
            return None
        atom, low, high = match.groups()
        alphabet = "".join(c for c in map(chr, range(32, 127)) if re.fullmatch(atom, c))
        least = int(low or 1)
        most = int(high) if high else least
        pieces.append(st.text(st.sampled_from(alphabet), min_size=least, max_size=most))
        position = match.end()
    return st.tuples(*pieces).map("".join)


GENERATORS = {name: SchemaStrategies(json.loads(schema_text(name))) for name in SCHEMA_NAMES}
"""One generator per published schema, by document type."""


# --- mutations of valid documents ------------------------------------------------------------

Path_ = tuple[str | int, ...]


def node_paths(value: Any, path: Path_ = ()) -> list[Path_]:
    """Every position in a document, the root included."""
    found = [path]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += node_paths(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += node_paths(sub, (*path, index))
    return found


def replace(document: Any, path: Path_, new: Callable[[Any], Any]) -> Any:
    """Replace the value at ``path`` (in place) by ``new(old)``; return the document."""
    if not path:
        return new(document)
    parent = document
    for token in path[:-1]:
        parent = parent[token]
    parent[path[-1]] = new(parent[path[-1]])
    return document


def drop(document: Any, path: Path_) -> Any:
    """Remove the member or entry at ``path`` (in place); return the document."""
    if path:
        parent = document
        for token in path[:-1]:
            parent = parent[token]
        del parent[path[-1]]
    return document


def with_unknown_key(value: Any) -> Any:
    return {**value, "unknown_key": 1} if isinstance(value, dict) else value


def duplicate_entry(value: Any) -> Any:
    """A list with its first entry twice (ids, assessors, levels: duplicates must be caught)."""
    return [value[0], *value] if isinstance(value, list) and value else value


def deepen(levels: int) -> Callable[[Any], Any]:
    def wrap(value: Any) -> Any:
        for _ in range(levels):
            value = [value] if levels % 2 else {"value": value}
        return value

    return wrap


def retype(value: Any) -> Any:
    """The same content in the neighbouring JSON type (number ↔ string, list ↔ object …)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return False


MUTATIONS: dict[str, Callable[[Any], Any]] = {
    "null": lambda v: None,
    "float 2.0": lambda v: 2.0,
    "float 1.5": lambda v: 1.5,
    "int 2": lambda v: 2,
    "negative": lambda v: -v if isinstance(v, int | float) else v,
    "huge int": lambda v: 2**53,
    "string 2": lambda v: "2",
    "string x": lambda v: "x",
    "true": lambda v: True,
    "empty list": lambda v: [],
    "empty object": lambda v: {},
    "huge string": lambda v: "a" * 20_001,
    "unknown key": with_unknown_key,
    "duplicate entry": duplicate_entry,
    "retype": retype,
    "nest in list": lambda v: [v],
    "nest in object": lambda v: {"value": v},
    "deepen 70": deepen(70),
    "trailing newline": lambda v: v + "\n" if isinstance(v, str) else v,
    "as float": lambda v: float(v) if isinstance(v, int) and not isinstance(v, bool) else v,
    "marker": lambda v: MARKER,
    "marker key": lambda v: {**v, MARKER + " (Vater)": MARKER} if isinstance(v, dict) else v,
    "marker in list": lambda v: [*v, MARKER] if isinstance(v, list) else v,
}


def _swap_with(document: Any) -> list[Any]:
    """Scalars of the document itself: swapping them in keeps ids plausible but misplaced."""
    return [
        value
        for path in node_paths(document)
        if not isinstance(value := _at(document, path), dict | list)
    ]


def _at(document: Any, path: Path_) -> Any:
    for token in path:
        document = document[token]
    return document


@st.composite
def mutated(draw: st.DrawFn, document: Any, max_changes: int = 2) -> Any:
    """A copy of ``document`` with one to ``max_changes`` mutations at random positions."""
    document = copy.deepcopy(document)
    scalars = _swap_with(document)
    for _ in range(draw(st.integers(1, max_changes))):
        path = draw(st.sampled_from(node_paths(document)))
        how = draw(st.sampled_from(["drop", "odd text", "own scalar", *MUTATIONS]))
        if how == "drop":
            document = drop(document, path)
        elif how == "odd text":
            text = draw(odd_text)
            document = replace(document, path, lambda v, t=text: t)  # type: ignore[misc]
        elif how == "own scalar" and scalars:
            other = draw(st.sampled_from(scalars))
            document = replace(document, path, lambda v, o=other: o)  # type: ignore[misc]
        elif how in MUTATIONS:
            document = replace(document, path, MUTATIONS[how])
    return document


# --- JSON text with duplicate keys -----------------------------------------------------------


def json_text(value: Any, duplicate_at: Path_ | None = None) -> str:
    """``value`` as compact JSON text; the object at ``duplicate_at`` repeats its first member.

    Surrogates are written as ``\\uXXXX`` escapes, so any Python string has a text form.
    """
    if isinstance(value, dict):
        members = [
            f"{json.dumps(key)}:{json_text(item, _below(duplicate_at, key))}"
            for key, item in value.items()
        ]
        if duplicate_at == () and members:
            members.insert(1, members[0])
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        return (
            "["
            + ",".join(json_text(item, _below(duplicate_at, i)) for i, item in enumerate(value))
            + "]"
        )
    return json.dumps(value)


def _below(path: Path_ | None, token: str | int) -> Path_ | None:
    return path[1:] if path and path[0] == token else None


# --- the documents that ship with the package ------------------------------------------------


@functools.cache
def _bundled() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    folder = Path(str(resources.files("kwg_check") / "data" / "instruments"))
    for path in sorted(folder.iterdir()):
        value = kwg_check.load_json(path)
        assert isinstance(value, dict)
        found[f"{value['document_type']}:{path.stem}"] = value
    for example in kwg_check.examples():
        value = kwg_check.example_data(example.name)
        assert isinstance(value, dict)
        found[f"assessment:{example.name}"] = value
        summary = kwg_check.score_assessment(kwg_check.parse_assessment(value))
        found[f"summary:{example.name}"] = kwg_check.dump_document(summary)
    return found


def bundled_documents(kind: str | None = None) -> dict[str, dict[str, Any]]:
    """Bundled instruments, example assessments and their summaries as JSON values, by name
    (``instrument:kwg_8a``, ``assessment:<example>``, ``summary:<example>``); copies."""
    return {
        name: copy.deepcopy(value)
        for name, value in _bundled().items()
        if kind is None or name.startswith(kind + ":")
    }


# --- the real forms of issue 13 (test fixtures) ----------------------------------------------

FORMS = Path(__file__).parent / "fixtures" / "forms"


@functools.cache
def _forms() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(FORMS.glob("*.yaml")):
        value = load_path(path)
        assert isinstance(value, dict)
        found[f"instrument:{path.stem}"] = value
    return found


def form_answers(compiled: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Answers to a compiled form: for each item nothing, or one level or the unknown marker
    (per caregiver: one such rating for each of two parents)."""
    per_item = {}
    for item in compiled.items:
        choices = [*item.scale.levels, *([item.scale.unknown_id] if item.scale.unknown_id else [])]
        rating = st.sampled_from(choices)
        if item.per_caregiver:
            answer = st.builds(lambda a, b: {"caregivers": {"p1": a, "p2": b}}, rating, rating)
        else:
            answer = st.builds(lambda level: {"level": level}, rating)
        per_item[item.id] = st.none() | answer
    return st.fixed_dictionaries(per_item).map(
        lambda answers: {key: value for key, value in answers.items() if value is not None}
    )


# --- every new part of issue 13 in valid documents -------------------------------------------

ENGINE_INSTRUMENTS = Path(__file__).parent / "engine_instruments"
_SUBJECTS = {
    "family_reassessment": {
        "kind": "family",
        "case_id": "fam-0042",
        "members": [
            {"id": "c-1", "role": "child", "age_months": 20},
            {"id": "p-1", "role": "caregiver", "age_months": 400},
        ],
    },
    "caregiver_questionnaire": {"kind": "caregiver", "case_id": "c-0007", "age_months": 400},
}
"""A subject of each kind the engine instruments accept besides a child."""
_ANSWERS = {
    "family_reassessment": {"prior_reports": "two_or_more", "plan_progress": "cannot_obtain"},
    "caregiver_questionnaire": {},
}
"""Answers that leave items unknown, so the summaries carry ranges of results and indices."""


def _assessment(name: str, instrument: dict[str, Any]) -> dict[str, Any]:
    return {
        "document_type": "assessment",
        "id": f"as-{name.replace('_', '-')}",
        "instrument": {"id": instrument["id"], "version": instrument["version"]},
        "subject": _SUBJECTS[name],
        "assessment_date": "2024-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
        "answers": {item: {"level": level} for item, level in _ANSWERS[name].items()},
    }


@functools.cache
def _new_parts() -> dict[str, dict[str, Any]]:
    found = copy.deepcopy(_forms())
    for name in sorted(_SUBJECTS):
        value = load_path(ENGINE_INSTRUMENTS / f"{name}.yaml")
        assert isinstance(value, dict)
        instrument = kwg_check.parse_instrument(value)
        assessment = _assessment(name, value)
        summary = kwg_check.score_assessment(kwg_check.parse_assessment(assessment), instrument)
        found[f"instrument:{name}"] = value
        found[f"assessment:{name}"] = assessment
        found[f"summary:{name}"] = kwg_check.dump_document(summary)
    return found


def new_part_documents(kind: str | None = None) -> dict[str, dict[str, Any]]:
    """Valid documents with every construct issue 13 added, by name (``instrument:<stem>``,
    ``assessment:<stem>``, ``summary:<stem>``); copies. The real forms (bipolar scales,
    poles, item codes, anchors per age group, arithmetic indices), the family reassessment
    (further results, a family subject with members, an applicability reading the youngest
    child) and the caregiver questionnaire, with an assessment of each engine instrument and
    its summary (further results with ranges, index ranges under unknowns)."""
    return {
        name: copy.deepcopy(value)
        for name, value in _new_parts().items()
        if kind is None or name.startswith(kind + ":")
    }
