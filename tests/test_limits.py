"""Hostile documents are rejected with a clear error, in bounded time and memory.

A case system passes on whatever it receives. Documents past the size or depth limit, with
numbers of a million digits, huge strings, thousands of repeated keys or YAML alias bombs
must each end in a :class:`~kwg_check.LoadError` or :class:`~kwg_check.DocumentError` that
names the limit — quickly and without memory blow-up.

The bounds (5 s, 64 MB peak of traced allocations) are generous correctness bounds, about a
hundred times what the checks need: they catch quadratic or exponential behaviour, not
slowness. Time is measured without tracing; memory in a second, traced run.
"""

from __future__ import annotations

import datetime
import json
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import kwg_check
from kwg_check import DEFAULT_LIMITS, KwgCheckError

SECONDS = 5.0
PEAK_BYTES = 64 * 1024 * 1024
MAX_BYTES = DEFAULT_LIMITS.max_bytes
EXAMPLE = "kwg8a-grey-zone-unknowns"


def bounded(action: Callable[[], object], peak_bytes: int = PEAK_BYTES) -> KwgCheckError | None:
    """Run ``action`` twice (timed, then traced); return the library error it raised, if any.

    Any other exception propagates and fails the test.
    """
    start = time.perf_counter()
    try:
        action()
    except KwgCheckError as caught:
        error: KwgCheckError | None = caught
    else:
        error = None
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    try:
        action()
    except KwgCheckError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < peak_bytes, f"peak {peak / 2**20:.0f} MiB"
    return error


def rejected(action: Callable[[], object]) -> KwgCheckError:
    error = bounded(action)
    assert error is not None, "accepted"
    return error


def example() -> dict[str, Any]:
    value = kwg_check.example_data(EXAMPLE)
    assert isinstance(value, dict)
    return value


def with_extension(raw: str) -> bytes:
    """The example assessment as JSON text with ``raw`` (JSON text) at /extensions/x."""
    text = json.dumps(example(), ensure_ascii=False)
    return (text[:-1] + ', "extensions": {"x": ' + raw + "}}").encode()


YAML_HEAD = "document_type: assessment\nextensions:\n  x: "


# --- size -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_document_over_the_size_limit_is_rejected_before_parsing(fmt: str) -> None:
    filler = "x" * MAX_BYTES
    data = (f'{{"a": "{filler}"}}' if fmt == "json" else f"a: {filler}\n").encode()
    error = rejected(lambda: kwg_check.load_document(data))
    assert (error.code, error.pointer) == ("load.too-large", "")
    assert str(MAX_BYTES) in error.reason


def test_a_file_over_the_size_limit_is_rejected_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"a": "' + b"x" * (4 * MAX_BYTES) + b'"}')
    error = rejected(lambda: kwg_check.load_document(path))
    assert error.code == "load.too-large"


# --- depth ------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"[" * 100_000, b"{" + b'"a": {' * 100_000, b"- " * 100_000])
def test_endless_nesting_is_too_deep_not_a_recursion_error(data: bytes) -> None:
    error = rejected(lambda: kwg_check.load_document(data))
    assert error.code == "load.too-deep"


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_well_formed_document_nested_past_the_depth_limit_is_rejected(fmt: str) -> None:
    depth = DEFAULT_LIMITS.max_depth  # with the document and /extensions: two levels more
    nested = "[" * depth + "]" * depth
    data = with_extension(nested) if fmt == "json" else (YAML_HEAD + nested + "\n").encode()
    error = rejected(lambda: kwg_check.load_document(data))
    assert error.code == "load.too-deep"
    assert error.pointer.startswith("/extensions/x/0/0")
    assert str(DEFAULT_LIMITS.max_depth) in error.reason


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "code"),
    [
        ("1" + "0" * 1_000_000, "load.number-range"),
        ("-" + "9" * 1_000_000, "load.number-range"),
        ("1" + "0" * 1_000_000 + ".5", "load.non-finite"),
        ("1e1000000", "load.non-finite"),
    ],
    ids=["million-digit integer", "negative", "million-digit float", "huge exponent"],
)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_numbers_of_a_million_digits_are_rejected_cheaply(
    literal: str, code: str, fmt: str
) -> None:
    data = with_extension(literal) if fmt == "json" else (YAML_HEAD + literal + "\n").encode()
    error = rejected(lambda: kwg_check.load_document(data))
    assert (error.code, error.pointer) == (code, "/extensions/x")


def test_a_yaml_hexadecimal_integer_of_a_million_digits_is_rejected_cheaply() -> None:
    data = (YAML_HEAD + "0x" + "f" * 1_000_000 + "\n").encode()
    error = rejected(lambda: kwg_check.load_document(data))
    assert (error.code, error.pointer) == ("load.number-range", "/extensions/x")


def test_a_million_fraction_digits_read_as_the_nearest_double_in_bounded_time() -> None:
    """Not huge in magnitude: every JSON implementation reads it as the same double."""
    assert bounded(lambda: kwg_check.load_document(with_extension("0." + "3" * 1_000_000))) is None
    loaded = kwg_check.load_json(with_extension("0." + "3" * 1_000_000))
    assert isinstance(loaded, dict)
    assert loaded["extensions"] == {"x": 1 / 3}


# --- strings ----------------------------------------------------------------------------------


def test_a_huge_free_text_is_rejected_at_its_field() -> None:
    document = example()
    document["family_view"] = {"statement": "ä\u0301" * 1_000_000}
    data = json.dumps(document, ensure_ascii=False).encode()
    error = rejected(lambda: kwg_check.load_document(data))
    assert (error.code, error.pointer) == ("schema.length", "/family_view/statement")
    assert "20000" in error.reason


def test_a_huge_string_of_escapes_stays_within_bounds() -> None:
    """Six bytes of escape per character: the decoded text is smaller than the input."""
    data = with_extension('"' + "\\u00e4" * ((MAX_BYTES - 10_000) // 6) + '"')
    assert bounded(lambda: kwg_check.load_document(data)) is None


# --- repeated keys, aliases, width ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        ("{" + '"a": 1, ' * 100_000 + '"a": 1}').encode(),
        ("a: 1\n" * 100_000).encode(),
        with_extension("{" + '"k": 0, ' * 100_000 + '"k": 0}'),
    ],
    ids=["json", "yaml", "json-deep-inside"],
)
def test_a_hundred_thousand_repeated_keys_are_rejected(data: bytes) -> None:
    error = rejected(lambda: kwg_check.load_document(data))
    assert error.code == "load.duplicate-key"


BILLION_LAUGHS = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
    f"{name}: &{name} [{','.join(['*' + previous] * 9)}]\n".encode()
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_yaml_billion_laughs_is_rejected_at_the_first_anchor() -> None:
    error = rejected(lambda: kwg_check.load_document(BILLION_LAUGHS))
    assert (error.code, error.pointer) == ("load.yaml-alias", "/a")


def test_a_yaml_alias_bomb_in_flow_style_is_rejected() -> None:
    data = b"x: &x [" + b"a," * 100_000 + b"a]\ny: [" + b"*x," * 100_000 + b"*x]\n"
    error = rejected(lambda: kwg_check.load_document(data))
    assert error.code == "load.yaml-alias"


def test_a_wide_array_up_to_the_size_limit_costs_no_more_than_its_value() -> None:
    """Regression: the tree check once queued a path tuple per entry (60 bytes of memory per
    byte of input: 250 MB for a 4 MB document)."""
    entries = 400_000
    data = with_extension("[" + "0," * (entries - 1) + "0]")
    assert bounded(lambda: kwg_check.load_document(data), peak_bytes=10 * len(data)) is None


def test_an_assessment_with_twenty_thousand_unknown_answers_is_checked_in_bounds() -> None:
    """Semantic checks against the instrument scale with the document, not worse."""
    document = example()
    document["answers"] = {f"zz_{n}": {"level": "none"} for n in range(20_000)}
    data = json.dumps(document).encode()
    assert len(data) < MAX_BYTES
    value = kwg_check.load_json(data)
    assert bounded(lambda: kwg_check.validate_document(value)) is None
    problems = kwg_check.validate_document(value)
    assert len(problems) == 20_000
    assert {p.code for p in problems} == {"answer.unknown-item"}


# --- documents given as data meet the limits of documents given as files ----------------------
# Integrators hand dicts to parse_* (and to the models): those must meet exactly the limits of
# the file path, at parse time, with the same code, pointer and reason (issue 12).


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def with_parts(**members: Any) -> dict[str, Any]:
    """The example assessment with members replaced (``subject`` merged, not replaced)."""
    document = example()
    subject = members.pop("subject", {})
    return {**document, **members, "subject": {**document["subject"], **subject}}


FILE_AND_DATA = {
    "integer beyond 2**53 in extensions": with_parts(extensions={"": 9007199254994944}),
    "negative integer beyond 2**53": with_parts(extensions={"a": [1, -(2**60)]}),
    "integer beyond 2**53 in a typed field": with_parts(subject={"age_months": 2**53}),
    "infinity": with_parts(extensions={"x": float("inf")}),
    "NaN": with_parts(extensions={"x": {"y": [float("nan")]}}),
    "lone surrogate in a value": with_parts(extensions={"x": "a\ud800"}),
    "lone surrogate in a key": with_parts(extensions={"x": {"\udfff": 1}}),
    "lone surrogate in a free text": with_parts(family_view={"statement": "\ud800 b"}),
    "nested past the depth limit": with_parts(extensions={"deep": nested(70)}),
    "nested exactly to the depth limit": with_parts(extensions={"deep": nested(61)}),
    "a key that is not an identifier": with_parts(extensions={"Frau X": 2**60}),
}


def file_problems(document: dict[str, Any]) -> list[kwg_check.Problem]:
    try:
        kwg_check.load_assessment(json.dumps(document).encode())  # ASCII escapes: surrogates too
    except KwgCheckError as error:
        return list(error.problems)
    return []


def data_problems(action: Callable[[], object]) -> list[kwg_check.Problem]:
    try:
        action()
    except kwg_check.DocumentError as error:
        return list(error.problems)
    return []


@pytest.mark.parametrize("case", sorted(FILE_AND_DATA))
def test_a_document_given_as_data_meets_the_limits_of_the_file_path(case: str) -> None:
    document = FILE_AND_DATA[case]
    expected = file_problems(document)
    assert data_problems(lambda: kwg_check.parse_assessment(document)) == expected
    assert data_problems(lambda: kwg_check.parse_document(document)) == expected
    assert data_problems(lambda: kwg_check.Assessment(**document)) == expected
    assert data_problems(lambda: kwg_check.Assessment.model_validate(document)) == expected
    if case == "nested exactly to the depth limit":
        assert expected == []
    else:
        assert len(expected) == 1
        assert expected[0].code.startswith("load.")


def test_the_depth_limit_of_data_follows_the_limits_given() -> None:
    document = with_parts(extensions={"deep": nested(70)})
    roomy = kwg_check.Limits(max_depth=80)
    assert kwg_check.parse_assessment(document, limits=roomy).extensions == {"deep": nested(70)}
    data = json.dumps(document).encode()
    assert kwg_check.load_assessment(data, limits=roomy).extensions == {"deep": nested(70)}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({1: "x"}, "load.non-string-key"),
        ((1, 2), "load.not-json"),
        ({"x"}, "load.not-json"),
        (b"bytes", "load.not-json"),
        (object(), "load.not-json"),
        (Decimal("1.5"), "load.not-json"),  # the case system's data is written back as JSON
        (datetime.date(2026, 1, 5), "load.not-json"),
    ],
)
def test_values_json_cannot_hold_are_rejected_at_their_pointer(value: Any, code: str) -> None:
    document = with_parts(extensions={"x": [value]})
    problems = data_problems(lambda: kwg_check.parse_assessment(document))
    assert [(p.pointer, p.code) for p in problems] == [("/extensions/x/0", code)]


def test_a_reference_cycle_in_data_is_too_deep_not_a_hang() -> None:
    cycle: dict[str, Any] = {}
    cycle["again"] = cycle
    document = with_parts(extensions=cycle)
    error = rejected(lambda: kwg_check.parse_assessment(document))
    assert (error.pointer, error.code) == ("/extensions" + "/again" * 63, "load.too-deep")


@pytest.mark.parametrize("example", kwg_check.examples(), ids=lambda e: e.name)
def test_a_model_dumped_in_python_mode_validates_again(example: kwg_check.Example) -> None:
    """The models' own Python values (dates, decimals) are accepted in memory, so the usual
    pydantic round trip ``model_validate(model.model_dump())`` gives the same model."""
    assessment = kwg_check.parse_assessment(kwg_check.example_data(example.name))
    summary = kwg_check.score_assessment(assessment)
    for model in (assessment, summary):
        dumped = model.model_dump(by_alias=True, exclude_unset=True)
        assert type(model).model_validate(dumped) == model


def test_a_non_finite_decimal_is_rejected_like_a_non_finite_number() -> None:
    document = with_parts()
    document["subject"] = {"case_id": "case-1", "age_months": Decimal("NaN")}
    problems = data_problems(lambda: kwg_check.parse_assessment(document))
    assert [(p.pointer, p.code) for p in problems] == [("/subject/age_months", "load.non-finite")]
