"""Fast paths give exactly what the reference paths give.

The hot path bytes → assessment → summary → JSON has shortcuts: a one-pass JSON loader,
one-pass writers for canonical and readable JSON, summaries built from the engine's output
without validating it again, ``score_document``, which writes the summary's JSON value
without building the model, clarify-first from the ends of a chain of answers, and the
re-evaluation of only what one changed answer reaches.
Each shortcut must be invisible: the same bytes, the same models, the same errors.
"""

from __future__ import annotations

import copy
import json
import math
from decimal import Decimal, localcontext
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import kwg_check
from kwg_check._engine import _range
from kwg_check._engine._evaluate import CONTEXT, evaluate, reevaluate
from kwg_check._engine._runtime import State
from kwg_check._engine._score import _Scoring, score_json
from kwg_check._errors import LoadError, WriteError
from kwg_check._io import (
    DEFAULT_LIMITS,
    JsonValue,
    Limits,
    _checked_canonical_json,
    _checked_compact_json,
    _checked_dump_json,
    _checked_load_json,
    _float_or_null,
    _load_json,
    _plain_canonical_json,
    canonical_json,
    dump_json,
    dump_plain_json,
    fingerprint,
)
from kwg_check._model import Summary
from kwg_check._model._trusted import construct, dump
from kwg_check._model.summary import ItemResult
from strategies import examples

# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


class _Str(str):
    """A str subclass: the fast writers leave it to the checked path."""


_keys = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["a", "b", "é", "\U0001f600", "\ufb33", "\ud800", "\r", "1"]),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["\ud800x", '\x00\x1f"\\', "\u2028"]),
)
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_keys, children, max_size=4),
        st.dictionaries(st.integers(0, 3), children, min_size=1, max_size=2),
        st.builds(_Str, st.text(max_size=3)),
        st.builds(lambda c: [c] * 2, children),
    ),
    max_leaves=20,
)


def _outcome(write: Any, value: object) -> tuple[object, ...]:
    try:
        return "ok", write(value)
    except (LoadError, WriteError) as error:
        return "error", type(error).__name__, error.problems


@settings(max_examples=examples(200), deadline=None)
@given(value=_values)
def test_fast_writers_write_and_fail_exactly_like_the_checked_ones(value: object) -> None:
    """Same text for plain values; same error (code, pointer, reason) for everything else."""
    assert _outcome(canonical_json, value) == _outcome(_checked_canonical_json, value)
    assert _outcome(dump_json, value) == _outcome(_checked_dump_json, value)


@pytest.mark.parametrize(
    "value",
    [
        [math.nan],
        {"a": [1, {"b": 2**53}]},
        {"k": "\udcff"},
        {1: "x"},
        {"x": (1, 2)},
        [_Str("s")],
        {"\ufb33": 1, "\U0001f600": 2, "a": 3},
    ],
    ids=["nan", "big-int", "surrogate", "int-key", "tuple", "str-subclass", "utf16-order"],
)
def test_unusual_values_take_the_checked_path(value: object) -> None:
    """Each of these is out of the ordinary for the fast writers (keys beyond U+FFFF sort
    differently by code point and by UTF-16 code unit); the result is the reference one."""
    assert _outcome(canonical_json, value) == _outcome(_checked_canonical_json, value)
    assert _outcome(dump_json, value) == _outcome(_checked_dump_json, value)


def test_cycles_and_deep_values_are_reported_as_before() -> None:
    """Recursion in the fast writers never escapes: the checked writers report the fault."""
    cycle: list[object] = []
    cycle.append(cycle)
    deep: object = []
    for _ in range(5000):
        deep = [deep]
    for value in (cycle, deep):
        assert _outcome(canonical_json, value) == _outcome(_checked_canonical_json, value)
        assert _outcome(dump_json, value) == _outcome(_checked_dump_json, value)


# --------------------------------------------------------------------------------------------
# Loading JSON
# --------------------------------------------------------------------------------------------

_json_scalars = st.sampled_from(
    [
        "0",
        "-0",
        "1.5",
        "1e400",
        "-1e400",
        "1e-400",
        "-0.0",
        "1.0",
        "1E2",
        "0.1",
        "2.5e-8",
        "123456789.123456789e3",
        "17976931348623157e292",
        "NaN",
        "Infinity",
        "9007199254740991",
        "9007199254740992",
        "-12345678901234567890123",
        "true",
        "null",
        '"text"',
        '"\\ud800"',
        '"\\uDC00x"',
        '"\\\\ud800"',
        '"\\u00e9"',
        "[1,]",
        '"unterminated',
    ]
)
_json_texts = st.recursive(
    _json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(lambda items: "[" + ",".join(items) + "]"),
        st.lists(st.tuples(st.sampled_from(["a", "b", "\\ud834"]), children), max_size=3).map(
            lambda pairs: "{" + ",".join(f'"{k}":{v}' for k, v in pairs) + "}"
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=examples(200), deadline=None)
@given(text=_json_texts, depth=st.integers(1, 4))
def test_fast_json_loading_equals_the_checked_loading(text: str, depth: int) -> None:
    """Same value (types and signs too) for good JSON; same error for bad numbers, repeated
    keys, surrogates, depth beyond the limit and syntax errors."""
    limits = Limits(max_depth=depth)
    fast = _outcome(lambda t: _load_json(t, limits), text)
    checked = _outcome(lambda t: _checked_load_json(t, limits), text)
    assert fast == checked
    # == takes 1 for 1.0 and 0.0 for -0.0: the values must also have the same types and signs.
    assert repr(fast) == repr(checked)


@settings(max_examples=examples(200), deadline=None)
@given(
    number=st.floats(allow_nan=False, allow_infinity=False),
    spelling=st.sampled_from(["{!r}", "{:.17e}", "{:.3E}", "{:.25f}", "{:.0f}"]),
)
def test_the_fast_parser_reads_every_float_as_the_checked_one(number: float, spelling: str) -> None:
    """Shortest, exponent, rounded and long fixed spellings: the same double, bit for bit."""
    text = "[" + spelling.format(number) + "]"
    fast = _outcome(lambda t: _load_json(t, DEFAULT_LIMITS), text)
    checked = _outcome(lambda t: _checked_load_json(t, DEFAULT_LIMITS), text)
    assert repr(fast) == repr(checked)  # an integer spelling beyond 2**53: the same error


# --------------------------------------------------------------------------------------------
# Summaries built without validation
# --------------------------------------------------------------------------------------------


def _fields_sets(model: BaseModel) -> object:
    """Every nested model's set fields: what ``exclude_unset`` would see."""
    nested: dict[str, object] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            nested[name] = _fields_sets(value)
        elif isinstance(value, list):
            nested[name] = [_fields_sets(v) for v in value if isinstance(v, BaseModel)]
    return (sorted(model.model_fields_set), nested)


def _variants() -> list[tuple[str, dict[str, Any]]]:
    """Every bundled example, and each with one answer left out (missing and unknown items,
    other ranges and clarifications)."""
    result = []
    for example in kwg_check.examples():
        data = kwg_check.example_data(example.name)
        assert isinstance(data, dict)
        result.append((example.name, data))
        answers = data.get("answers")
        assert isinstance(answers, dict)
        for item in list(answers)[::3]:
            variant = copy.deepcopy(data)
            variant["answers"] = {k: v for k, v in answers.items() if k != item}
            result.append((f"{example.name}-without-{item}", variant))
    return result


@pytest.mark.parametrize(("name", "data"), _variants(), ids=[n for n, _ in _variants()])
def test_constructed_summary_equals_the_validated_one(name: str, data: dict[str, Any]) -> None:
    """The engine's output, built without validation, is the model validation would build:
    equal, with the same set fields, the same dump, and valid when validated after all."""
    assessment = kwg_check.parse_assessment(data)
    compiled = kwg_check.resolve_instrument(assessment)
    failure: kwg_check.KwgCheckError | None = None
    try:
        with localcontext(CONTEXT):
            raw = _Scoring(compiled, assessment).run()
    except kwg_check.KwgCheckError as error:
        failure = error
    if failure is not None:  # not scorable: both public paths fail alike
        for public in (kwg_check.score_assessment, kwg_check.score_document):
            with pytest.raises(type(failure)) as raised:
                public(assessment, compiled)
            assert raised.value.problems == failure.problems
        return
    validated = Summary.model_validate(raw)
    built = construct(Summary, raw)
    assert built == validated
    assert _fields_sets(built) == _fields_sets(validated)
    assert kwg_check.dump_document(built) == kwg_check.dump_document(validated)
    assert kwg_check.score_assessment(assessment, compiled) == validated
    document = kwg_check.score_document(assessment, compiled)
    assert document == kwg_check.dump_document(validated)
    assert kwg_check.dump_json(document) == kwg_check.dump_json(kwg_check.dump_document(validated))
    # The bytes the CLI and score-batch write, straight from the engine's data.
    assert score_json(compiled, assessment) == kwg_check.dump_json(document).encode()
    compact = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    assert score_json(compiled, assessment, readable=False) == compact


def test_dump_writes_fields_in_model_order_whatever_the_order_given() -> None:
    """The JSON value lists fields as ``model_dump`` does, in the model's order."""
    given = {"weight": Decimal("2.50"), "id": "x", "concerning": True, "level": "low"}
    expected = ItemResult.model_validate(given).model_dump(
        mode="json", by_alias=True, exclude_defaults=True
    )
    assert list(dump(ItemResult, given).items()) == list(expected.items())
    assert list(expected) == ["id", "level", "weight", "concerning"]


@pytest.mark.parametrize("build", [construct, dump])
def test_trusted_building_rejects_unknown_fields_and_null(build: Any) -> None:
    """Trusted input still has a shape: a stray key or a null is a programming error."""
    with pytest.raises(TypeError):
        build(ItemResult, {"id": "x", "surprise": 1})
    with pytest.raises(TypeError):
        build(ItemResult, {"id": "x", "level": None})


# --------------------------------------------------------------------------------------------
# Clarify first: the ends of a chain of answers in a monotone instrument
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), _variants(), ids=[n for n, _ in _variants()])
def test_clarify_first_from_the_chain_ends_equals_trying_every_answer(
    name: str, data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trying only the least and most pronounced answer lists the same items in the same
    order as trying every answer (monotone instruments; the others try every answer)."""
    assessment = kwg_check.parse_assessment(data)
    compiled = kwg_check.resolve_instrument(assessment)
    with localcontext(CONTEXT):
        scoring = _Scoring(compiled, assessment)
        shortcut = scoring.unknowns(None), scoring.unknowns(0)
        monkeypatch.setattr(_range, "_chain_corners", lambda domain: None)
        every_answer = scoring.unknowns(None), scoring.unknowns(0)
    assert shortcut == every_answer


def _state_fields(state: State) -> tuple[object, ...]:
    return tuple(getattr(state, name) for name in State.__slots__)


@pytest.mark.parametrize(("name", "data"), _variants(), ids=[n for n, _ in _variants()])
def test_reevaluating_one_changed_answer_equals_evaluating_everything(
    name: str, data: dict[str, Any]
) -> None:
    """For every item and every answer it can take, evaluating only what the item reaches
    (through indices, flags and the applicability of other items) gives the very state a
    full evaluation gives."""
    assessment = kwg_check.parse_assessment(data)
    compiled = kwg_check.resolve_instrument(assessment)
    with localcontext(CONTEXT):
        scoring = _Scoring(compiled, assessment)
        tried = 0
        for item in compiled.items:
            for answer in [None, *(item.completions or ())]:
                trial = list(scoring.raw)
                trial[item.pos] = answer
                full = evaluate(compiled, scoring.age, trial)
                changed = reevaluate(compiled, scoring.s, trial, [item.pos])
                assert _state_fields(changed) == _state_fields(full), (item.id, answer)
                tried += 1
    assert tried > 0


# --------------------------------------------------------------------------------------------
# orjson for the library's own values
# --------------------------------------------------------------------------------------------


@settings(max_examples=examples(200), deadline=None)
@given(value=_values)
def test_the_orjson_writer_writes_and_fails_exactly_like_the_checked_ones(value: object) -> None:
    """Readable: the bytes of ``dump_json``; compact: the bytes of ``json.dumps`` with
    ``separators=(",", ":")``; floats, NaN, big integers, subclasses and surrogates included
    (they take the reference writer), errors the same."""
    readable = _outcome(lambda v: dump_plain_json(v), value)
    assert readable == _outcome(lambda v: _checked_dump_json(v).encode(), value)
    compact = _outcome(lambda v: dump_plain_json(v, readable=False), value)
    assert compact == _outcome(_checked_compact_json, value)


@pytest.mark.parametrize("value", [[1.5], {"a": 1e16}, [-0.0], {"a": [math.inf]}, [None]])
def test_floats_and_null_leave_orjson_for_the_reference_writer(value: object) -> None:
    """orjson writes 1e16 and NaN differently from ``json.dumps``: the guard sees them."""
    assert _float_or_null(orjson.dumps(value))
    assert _outcome(dump_plain_json, value) == _outcome(
        lambda v: _checked_dump_json(v).encode(), value
    )


@pytest.mark.parametrize("name", [example.name for example in kwg_check.examples()])
def test_summaries_take_the_orjson_path_and_keep_their_bytes(name: str) -> None:
    """A summary has no float and no null: orjson writes it, byte for byte as before."""
    data = kwg_check.dump_json(kwg_check.example_data(name)).encode()
    assessment = kwg_check.load_assessment(data)
    summary = kwg_check.score_document(assessment)
    assert not _float_or_null(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    assert dump_plain_json(summary) == dump_json(summary).encode()
    expected = json.dumps(summary, ensure_ascii=False, separators=(",", ":")).encode()
    assert dump_plain_json(summary, readable=False) == expected


def test_a_string_that_looks_like_a_float_is_only_a_false_alarm() -> None:
    value: JsonValue = {"k": "x: 1.5, null"}
    assert _float_or_null(orjson.dumps(value, option=orjson.OPT_INDENT_2))
    assert dump_plain_json(value) == dump_json(value).encode()


@settings(max_examples=examples(200), deadline=None)
@given(value=_values)
def test_the_orjson_fingerprint_is_the_reference_fingerprint(value: object) -> None:
    """Keys beyond U+FFFF (UTF-16 order differs), floats, NaN, subclasses: same bytes or the
    same error as the reference canonical writer."""
    assert _outcome(_plain_canonical_json, value) == _outcome(_checked_canonical_json, value)


@pytest.mark.parametrize("name", [example.name for example in kwg_check.examples()])
def test_document_fingerprints_are_those_of_the_reference_writer(name: str) -> None:
    data = kwg_check.dump_json(kwg_check.example_data(name)).encode()
    assessment = kwg_check.load_assessment(data)
    value = kwg_check.dump_document(assessment)
    value.pop("$schema", None)
    assert kwg_check.document_fingerprint(assessment) == fingerprint(value)
    assert _plain_canonical_json(value) == _checked_canonical_json(value)
