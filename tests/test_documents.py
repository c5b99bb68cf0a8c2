"""Specification of the documents layer: parse, problems, dump and fingerprint.

All documents here are fictional; ids are pseudonyms made up for the tests.
"""

from __future__ import annotations

import copy
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwg_check._documents import (
    document_fingerprint,
    document_type,
    dump_document,
    model_problems,
    parse_assessment,
    parse_document,
    parse_instrument,
    parse_summary,
)
from kwg_check._errors import DocumentError, KwgCheckError, WriteError
from kwg_check._io import JsonValue, canonical_json, load_path
from kwg_check._model import Assessment, Flag, Instrument, Summary
from strategies import examples

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def load(name: str) -> Any:
    return load_path(FIXTURES / name)


def problems_of(data: Any, parse: Any = parse_document) -> list[tuple[str, str]]:
    """(pointer, code) of every problem, in the order reported."""
    with pytest.raises(DocumentError) as info:
        parse(data)
    return [(p.pointer, p.code) for p in info.value.problems]


def only_problem(data: Any, parse: Any = parse_document) -> tuple[str, str]:
    found = problems_of(data, parse)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------------------------
# Valid documents
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "model", "parse"),
    [
        ("instrument_valid.json", Instrument, parse_instrument),
        ("instrument_valid.yaml", Instrument, parse_instrument),
        ("assessment_valid.json", Assessment, parse_assessment),
        ("summary_valid.json", Summary, parse_summary),
    ],
)
def test_valid_fixtures_parse_with_their_own_parser_and_by_dispatch(
    name: str, model: type[Any], parse: Any
) -> None:
    data = load(name)
    assert isinstance(parse(data), model)
    assert isinstance(parse_document(data), model)
    assert parse_document(data) == parse(data)


def test_document_type_reads_the_marker() -> None:
    assert document_type(load("instrument_valid.json")) == "instrument"
    assert document_type(load("assessment_valid.json")) == "assessment"
    assert document_type(load("summary_valid.json")) == "summary"


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ([], ""),
        ("instrument", ""),
        (None, ""),
        ({}, "/document_type"),
        ({"document_type": "Instrument"}, "/document_type"),
        ({"document_type": "report"}, "/document_type"),
        ({"document_type": 1}, "/document_type"),
        ({"document_type": ["instrument"]}, "/document_type"),
    ],
)
def test_document_type_rejects_missing_or_unknown_types(data: Any, pointer: str) -> None:
    for call in (document_type, parse_document):
        with pytest.raises(DocumentError) as info:
            call(data)
        assert [(p.pointer, p.code) for p in info.value.problems] == [(pointer, "document.type")]


def test_a_document_of_another_kind_fails_the_specific_parser_with_one_problem() -> None:
    """Not every field the other kind lacks: one problem that says what was given."""
    problems = problems_of(load("assessment_valid.json"), parse_instrument)
    assert problems == [("/document_type", "document.wrong-type")]


# --------------------------------------------------------------------------------------------
# Invalid fixtures: every problem, with exact code and pointer, sorted by pointer
# --------------------------------------------------------------------------------------------

EXPECTED_PROBLEMS = {
    "instrument_invalid.json": [
        ("", "schema.required"),  # licence
        ("/author", "schema.unknown-field"),
        ("/domains/0/description", "schema.null"),
        ("/flags/0/when/not/index/value", "schema.type"),  # 1.25 is a binary float
        ("/id", "schema.pattern"),
        ("/items/0/applies_when", "schema.union"),  # two condition keys
        ("/items/0/kind", "schema.enum"),
        ("/outcomes", "schema.length"),
        ("/process_checks/0/requirement", "schema.union"),  # unknown check
        ("/scales/0/levels/0/points", "schema.type"),  # 1.5
        ("/scales/0/levels/1/points", "schema.value"),  # "1e3"
        ("/title", "schema.length"),  # no language at all
        ("/version", "schema.pattern"),
    ],
    "assessment_invalid_schema.json": [
        ("/answers/Supervision", "schema.pattern"),  # the key is not an item id
        ("/answers/nutrition", "schema.value"),  # level and levels
        ("/answers/violence/evidence/0", "schema.required"),  # observation
        ("/assessment_date", "schema.value"),  # 2023-02-29
        ("/assessors", "schema.length"),
        ("/instrument/fingerprint", "schema.pattern"),
        ("/resources/0/available", "schema.type"),
        ("/resources/0/category", "schema.enum"),
        ("/subject", "schema.value"),  # birth_date and age_months
    ],
    "assessment_invalid_semantic.json": [
        ("/answers/violence/levels/2", "answer.duplicate-level"),
        ("/assessors/2/id", "assessment.duplicate-assessor"),
        ("/final_rating", "assessment.override-and-final-rating"),
        ("/subject/birth_date", "assessment.birth-after-date"),
    ],
    "summary_invalid.json": [
        ("/assessment/age_months", "schema.range"),
        ("/completeness/known", "schema.range"),
        ("/engine/name", "schema.enum"),
        ("/trace/0/result", "schema.type"),  # one problem for the union str | bool
        ("/trace/1", "schema.required"),  # explanation
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PROBLEMS))
def test_invalid_fixture_reports_every_problem_sorted_by_pointer(name: str) -> None:
    assert problems_of(load(name)) == EXPECTED_PROBLEMS[name]


def test_missing_fields_are_reported_at_their_object_and_named_in_the_reason() -> None:
    with pytest.raises(DocumentError) as info:
        parse_instrument(load("instrument_invalid.json"))
    required = {p.pointer: p.reason for p in info.value.problems if p.code == "schema.required"}
    assert "'licence'" in required[""]
    assert "/title" not in required  # a text needs one language, not every one


def test_reasons_say_what_is_expected() -> None:
    with pytest.raises(DocumentError) as info:
        parse_instrument(load("instrument_invalid.json"))
    reasons = {p.pointer: p.reason for p in info.value.problems}
    assert "'risk', 'protective', 'safety' or 'context'" in reasons["/items/0/kind"]
    assert "semantic version" in reasons["/version"]
    assert "at least 1 entry" in reasons["/outcomes"]
    assert "min_assessors" in reasons["/process_checks/0/requirement"]
    assert "answer_at_least" in reasons["/items/0/applies_when"]
    assert "licence" in reasons["/author"]  # the allowed fields are listed


def test_a_document_with_three_faults_reports_three_problems() -> None:
    data = load("assessment_valid.json")
    data["assessment_date"] = "2024-13-01"
    data["assessors"][1]["role"] = "Team Lead"
    del data["instrument"]["version"]
    assert problems_of(data) == [
        ("/assessment_date", "schema.value"),
        ("/assessors/1/role", "schema.pattern"),
        ("/instrument", "schema.required"),
    ]


def test_schema_and_semantic_problems_are_reported_together() -> None:
    data = load("assessment_valid.json")
    data["assessors"].append({"id": "P-11", "role": "Bad Role"})
    assert problems_of(data) == [
        ("/assessors/2/id", "assessment.duplicate-assessor"),
        ("/assessors/2/role", "schema.pattern"),
    ]


def test_problems_are_ordered_by_pointer_with_numeric_indices() -> None:
    data = load("instrument_valid.json")
    data["scales"][0]["levels"] = [
        {"id": f"l{n}", "label": {"de": "x", "en": "x"}, "points": n} for n in range(12)
    ]
    for level in (2, 10):
        data["scales"][0]["levels"][level]["points"] = 0.5
    assert problems_of(data) == [
        ("/scales/0/levels/2/points", "schema.type"),
        ("/scales/0/levels/10/points", "schema.type"),
    ]


def test_parsing_is_deterministic() -> None:
    data = load("instrument_invalid.json")
    with pytest.raises(DocumentError) as first:
        parse_instrument(data)
    with pytest.raises(DocumentError) as second:
        parse_instrument(copy.deepcopy(data))
    assert first.value.problems == second.value.problems
    assert str(first.value) == str(second.value)


def test_the_pydantic_error_is_not_chained() -> None:
    with pytest.raises(DocumentError) as info:
        parse_instrument(load("instrument_invalid.json"))
    assert info.value.__cause__ is None
    assert info.value.__context__ is None


def test_document_error_is_the_library_error() -> None:
    with pytest.raises(KwgCheckError) as info:
        parse_summary(load("summary_invalid.json"))
    assert isinstance(info.value, DocumentError)
    assert info.value.code == "schema.range"
    assert info.value.pointer == "/assessment/age_months"


# --------------------------------------------------------------------------------------------
# Pointers: union tags and member labels are not path steps; keys are shown only when safe
# --------------------------------------------------------------------------------------------


def flag_condition(condition: Any) -> Any:
    data = load("instrument_valid.json")
    data["flags"][0]["when"] = condition
    return data


@pytest.mark.parametrize(
    ("condition", "pointer", "code"),
    [
        # The tag "index" and the IndexTest field "index" have the same name.
        (
            {"index": {"index": "care_sum", "op": ">=", "value": 0.5}},
            "/flags/0/when/index/value",
            "schema.type",
        ),
        (
            {"index": {"index": "Care Sum", "op": ">=", "value": 1}},
            "/flags/0/when/index/index",
            "schema.pattern",
        ),
        ({"band": {"index": "care_sum", "band": 3}}, "/flags/0/when/band/band", "schema.type"),
        (
            {"not": {"not": {"not": {"flag": "Acute"}}}},
            "/flags/0/when/not/not/not/flag",
            "schema.pattern",
        ),
        (
            {"any": [{"flag": "acute"}, {"all": [{"answer_in": {"item": "x", "levels": []}}]}]},
            "/flags/0/when/any/1/all/0/answer_in/levels",
            "schema.length",
        ),
        ({"any": [{"flag": "acute"}, {}]}, "/flags/0/when/any/1", "schema.union"),
        ({"flag": "acute", "band": {}}, "/flags/0/when", "schema.union"),
        ({"flag": "acute", "note": "x"}, "/flags/0/when/note", "schema.unknown-field"),
        ({"not_": {"flag": "acute"}}, "/flags/0/when", "schema.union"),  # aliases only
        (
            {"age_months": {"from_months": 12.5}},
            "/flags/0/when/age_months/from_months",
            "schema.type",
        ),
        ([{"flag": "acute"}], "/flags/0/when", "schema.union"),
    ],
)
def test_condition_errors_point_into_the_document(condition: Any, pointer: str, code: str) -> None:
    assert only_problem(flag_condition(condition)) == (pointer, code)


def test_requirement_errors_point_into_the_document() -> None:
    data = load("instrument_valid.json")
    data["process_checks"][0]["requirement"] = {
        "check": "min_assessors",
        "count": 0,
        "min_assessors": 2,
    }
    assert problems_of(data) == [
        ("/process_checks/0/requirement/count", "schema.range"),
        ("/process_checks/0/requirement/min_assessors", "schema.unknown-field"),
    ]


def test_schema_key_is_spelt_only_by_its_alias() -> None:
    data = load("assessment_valid.json")
    data["schema_"] = "https://example.org/s.json"
    assert only_problem(data) == ("/schema_", "schema.unknown-field")
    del data["schema_"]
    data["$schema"] = 5
    assert only_problem(data) == ("/$schema", "schema.type")


def test_a_union_of_plain_types_gives_one_problem() -> None:
    data = load("summary_valid.json")
    data["trace"][0]["result"] = {"str": "1.5"}
    data["trace"][1]["result"] = "x" * 201  # a string: only the length is wrong
    with pytest.raises(DocumentError) as info:
        parse_summary(data)
    assert [(p.pointer, p.code) for p in info.value.problems] == [
        ("/trace/0/result", "schema.type"),
        ("/trace/1/result", "schema.length"),
    ]
    assert info.value.problems[0].reason == "must be a string or a boolean (true or false)"


def test_unknown_keys_are_shown_only_when_they_look_like_identifiers() -> None:
    data = load("assessment_valid.json")
    data["subject"]["case.note-2"] = 1
    data["subject"]["Frau Beispiel"] = 1
    data["subject"]["a/b~c"] = 1
    data["subject"]["x" * 65] = 1
    pointers = [pointer for pointer, _ in problems_of(data)]
    assert pointers == [
        "/subject/case.note-2",
        "/subject/~unknown",
        "/subject/~unknown",
        "/subject/~unknown",
    ]


def test_id_keys_are_shown_when_valid_and_hidden_when_not() -> None:
    data = load("assessment_valid.json")
    data["answers"] = {
        "nutrition": {"caregivers": {"P:mother": "Bad Level", "Herr X": "1"}},
        "Frau Beispiel": {"level": "1"},
    }
    with pytest.raises(DocumentError) as info:
        parse_assessment(data)
    found = [(p.pointer, p.code, p.reason.startswith("object key")) for p in info.value.problems]
    assert found == [
        ("/answers/nutrition/caregivers/P:mother", "schema.pattern", False),
        ("/answers/nutrition/caregivers/~unknown", "schema.pattern", True),
        ("/answers/~unknown", "schema.pattern", True),
    ]


def test_a_non_object_document_is_a_type_problem_at_the_root() -> None:
    for parse in (parse_instrument, parse_assessment, parse_summary):
        assert only_problem([1, 2], parse) == ("", "schema.type")


def test_model_problems_converts_a_pydantic_error() -> None:
    data = load("instrument_invalid.json")
    with pytest.raises(pydantic.ValidationError) as info:  # pydantic's own validator, raw
        Instrument.__pydantic_validator__.validate_python(data, by_name=False)
    problems = model_problems(info.value, data)
    assert [(p.pointer, p.code) for p in problems] == EXPECTED_PROBLEMS["instrument_invalid.json"]


def test_model_problems_works_for_a_part_of_a_document() -> None:
    flag: JsonValue = {
        "id": "acute",
        "label": {"de": "Akut", "en": "Acute"},
        "severity": "acute",
        "when": {"index": {"index": "care_sum", "op": ">=", "value": 0.5}},
    }
    with pytest.raises(pydantic.ValidationError) as info:
        Flag.__pydantic_validator__.validate_python(flag)
    assert [(p.pointer, p.code) for p in model_problems(info.value, flag)] == [
        ("/when/index/value", "schema.type")
    ]


def test_model_problems_without_a_known_model_walks_the_data() -> None:
    class Probe(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(strict=True, extra="forbid")
        values: dict[str, list[int]]

    data: JsonValue = {"values": {"a": [1, "2"]}, "other": True}
    with pytest.raises(pydantic.ValidationError) as info:
        Probe.model_validate(data)
    assert [(p.pointer, p.code) for p in model_problems(info.value, data)] == [
        ("/other", "schema.unknown-field"),
        ("/values/a/1", "schema.type"),
    ]


# --------------------------------------------------------------------------------------------
# Assessment checks that need no instrument
# --------------------------------------------------------------------------------------------


def assessment(**changes: Any) -> Any:
    data = load("assessment_valid.json")
    data.update(changes)
    return data


def with_birth_date(birth_date: str, on: str = "2024-02-29") -> Any:
    return assessment(subject={"case_id": "C-1", "birth_date": birth_date}, assessment_date=on)


def test_birth_date_after_assessment_date_is_rejected() -> None:
    assert only_problem(with_birth_date("2024-03-01")) == (
        "/subject/birth_date",
        "assessment.birth-after-date",
    )
    assert isinstance(parse_assessment(with_birth_date("2024-02-29")), Assessment)


@pytest.mark.parametrize(
    ("birth_date", "months"),
    [
        ("1999-02-28", 300),  # 25 years to the month, day reached
        ("1999-01-30", 300),  # 301 months minus one: the 30th is not reached on the 29th
        ("1999-01-29", 301),
        ("1990-06-01", 404),
    ],
)
def test_age_from_birth_date_must_not_exceed_300_months(birth_date: str, months: int) -> None:
    data = with_birth_date(birth_date)
    if months <= 300:
        assert isinstance(parse_assessment(data), Assessment)
    else:
        assert only_problem(data) == ("/subject/birth_date", "assessment.age-range")


def test_age_in_months_is_not_checked_against_a_birth_date_it_does_not_have() -> None:
    data = assessment(subject={"case_id": "C-1", "age_months": 300})
    assert isinstance(parse_assessment(data), Assessment)


def test_duplicate_assessor_ids_are_reported_at_each_repetition() -> None:
    data = assessment(
        assessors=[
            {"id": "P-1", "role": "social_worker"},
            {"id": "P-2", "role": "social_worker"},
            {"id": "P-1", "role": "team_lead"},
            {"id": "P-1", "role": "child_protection_specialist"},
        ]
    )
    assert problems_of(data) == [
        ("/assessors/2/id", "assessment.duplicate-assessor"),
        ("/assessors/3/id", "assessment.duplicate-assessor"),
    ]


def test_duplicate_levels_in_an_answer_are_reported() -> None:
    data = assessment(answers={"injuries": {"levels": ["bruise", "burn", "bruise"]}})
    assert only_problem(data) == ("/answers/injuries/levels/2", "answer.duplicate-level")
    data = assessment(answers={"injuries": {"levels": ["bruise", "burn"]}})
    assert isinstance(parse_assessment(data), Assessment)


def test_override_and_final_rating_exclude_each_other() -> None:
    judgement = {"outcome": "red", "author": "P-12", "justification": "Begründung."}
    both = assessment(final_rating=judgement)  # the fixture has an override already
    assert only_problem(both) == ("/final_rating", "assessment.override-and-final-rating")
    only_final = assessment(final_rating=judgement)
    del only_final["override"]
    assert parse_assessment(only_final).final_rating is not None


def test_semantic_checks_run_only_for_assessments() -> None:
    data = load("summary_valid.json")
    data["assessors"] = [{"id": "P-1"}, {"id": "P-1"}]
    assert problems_of(data) == [("/assessors", "schema.unknown-field")]


# --------------------------------------------------------------------------------------------
# Exact decimals, integers, dates and null
# --------------------------------------------------------------------------------------------


def with_points(points: Any) -> Any:
    data = load("instrument_valid.json")
    data["scales"][0]["levels"][0]["points"] = points
    return data


@pytest.mark.parametrize(
    ("points", "value"),
    [
        (2, Decimal(2)),
        ("2", Decimal(2)),
        (2.0, Decimal(2)),  # JSON Schema counts 2.0 as an integer
        ("1.5", Decimal("1.5")),
        ("-0.25", Decimal("-0.25")),
        ("123456789012.123456", Decimal("123456789012.123456")),
        (-(10**12) + 1, Decimal(-(10**12) + 1)),
    ],
)
def test_decimals_accept_integers_and_decimal_strings(points: Any, value: Decimal) -> None:
    level = parse_instrument(with_points(points)).scales[0].levels[0]
    assert level.points == value
    assert isinstance(level.points, Decimal)


@pytest.mark.parametrize(
    ("points", "code"),
    [
        (1.5, "schema.type"),  # a binary float
        (0.1, "schema.type"),
        (True, "schema.type"),
        (False, "schema.type"),
        (10**12, "schema.type"),
        ("1e3", "schema.value"),
        ("1.", "schema.value"),
        (".5", "schema.value"),
        ("01", "schema.value"),
        ("1.1234567", "schema.value"),
        (" 1", "schema.value"),
        ("1\n", "schema.value"),
        ("NaN", "schema.value"),
        ("١", "schema.value"),  # a non-ASCII digit
        ([1], "schema.type"),
        (None, "schema.null"),
    ],
)
def test_decimals_reject_floats_exponents_and_bools(points: Any, code: str) -> None:
    assert only_problem(with_points(points)) == ("/scales/0/levels/0/points", code)


@pytest.mark.parametrize(
    ("days", "ok"),
    [(30, True), (30.0, True), (30.5, False), ("30", False), (True, False), (0, False)],
)
def test_integers_accept_integral_numbers_only(days: Any, ok: bool) -> None:
    data = load("instrument_valid.json")
    data["stale_after_days"] = days
    if ok:
        assert parse_instrument(data).stale_after_days == 30
    else:
        assert only_problem(data)[0] == "/stale_after_days"


@pytest.mark.parametrize(
    ("date", "code"),
    [
        ("2024-02-29", None),
        ("2028-02-29", None),
        ("2023-02-29", "schema.value"),
        ("1900-02-29", "schema.value"),
        ("2024-04-31", "schema.value"),
        ("2024-01-01\n", "schema.value"),
        ("2024-1-1", "schema.value"),
        ("2024-01-01T00:00:00", "schema.value"),
        ("٢٠٢٤-٠١-٠١", "schema.value"),
        ("1899-12-31", "schema.value"),
        (20240101, "schema.type"),
    ],
)
def test_dates_are_calendar_dates_in_plain_iso_form(date: Any, code: str | None) -> None:
    data = assessment(assessment_date=date)
    if code is None:
        assert parse_assessment(data).assessment_date.isoformat() == date
    else:
        assert only_problem(data) == ("/assessment_date", code)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("instrument_valid.json", ("description",)),
        ("instrument_valid.json", ("extensions",)),
        ("instrument_valid.json", ("items", 0, "applies_when")),
        ("instrument_valid.json", ("scales", 0, "unknown", "scores_as")),
        ("assessment_valid.json", ("initiated_by",)),
        ("assessment_valid.json", ("subject", "age_months")),
        ("assessment_valid.json", ("participation", "parents", "reason_if_not")),
        ("summary_valid.json", ("outcome", "floor")),
        ("summary_valid.json", ("trace", 0, "result")),
    ],
)
def test_null_is_rejected_for_optional_fields(name: str, path: tuple[str | int, ...]) -> None:
    data = load(name)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = None
    pointer = "".join(f"/{step}" for step in path)
    assert only_problem(data) == (pointer, "schema.null")


# --------------------------------------------------------------------------------------------
# Dump: minimal canonical form, round trips, extensions untouched
# --------------------------------------------------------------------------------------------

VALID = ["instrument_valid.json", "assessment_valid.json", "summary_valid.json"]


@pytest.mark.parametrize("name", VALID)
def test_load_dump_load_is_the_identity(name: str) -> None:
    first = parse_document(load(name))
    dumped = dump_document(first)
    second = parse_document(dumped)
    assert second == first
    assert dump_document(second) == dumped
    assert canonical_json(dump_document(second)) == canonical_json(dumped)


def test_dump_is_minimal_and_writes_decimals_as_strings() -> None:
    data = load("instrument_valid.json")
    data["items"][0]["weight"] = 1  # the default
    data["items"][0]["response"] = "single"  # the default
    data["indices"][0]["side"] = "risk"  # the default
    data["sources"] = []  # the default
    dumped: Any = dump_document(parse_instrument(data))
    item = dumped["items"][0]
    assert "weight" not in item
    assert "response" not in item
    assert "side" not in dumped["indices"][0]
    assert "sources" not in dumped
    assert dumped["scales"][0]["levels"][1]["points"] == "1"
    assert dumped["$schema"] == data["$schema"]
    json.dumps(dumped, allow_nan=False)  # a plain JSON value


def test_assessment_dump_keeps_every_given_member() -> None:
    data = load("assessment_valid.json")
    assert dump_document(parse_assessment(data)) == data


def test_extensions_are_preserved_exactly() -> None:
    data = load("assessment_valid.json")
    original = copy.deepcopy(data["extensions"])
    dumped: Any = dump_document(parse_assessment(data))
    extensions = dumped["extensions"]
    assert extensions == original
    assert canonical_json(extensions) == canonical_json(original)
    assert list(extensions) == list(original)  # key order too
    nested = extensions["nested"]
    assert isinstance(nested["e"], float)
    assert math.copysign(1, nested["e"]) == -1
    case = extensions["case_system"]
    assert case["score"] == 2.5
    assert isinstance(case["score"], float)
    assert case["flags"] == [True, False, None]
    assert case["big"] == 12345678901234
    assert isinstance(case["big"], int)
    assert extensions["nothing"] is None
    assert extensions["ünïcødé"] == "✓ — ok"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=examples(100), deadline=None)
@given(extensions=st.dictionaries(st.text(max_size=6), json_values, max_size=5))
def test_any_extensions_survive_the_round_trip(extensions: dict[str, JsonValue]) -> None:
    data = load("assessment_valid.json")
    data["extensions"] = extensions
    dumped = dump_document(parse_assessment(data))
    assert canonical_json(dumped["extensions"]) == canonical_json(extensions)
    assert dump_document(parse_assessment(dumped)) == dumped


def nested_lists(depth: int) -> JsonValue:
    value: JsonValue = []
    for _ in range(depth):
        value = [value]
    return value


def test_too_deep_documents_fail_with_library_errors() -> None:
    """Given as data, not as a file, a document is still held to the loader's depth limit
    (at parse time, not later when it is written)."""
    data = flag_condition({"flag": "acute"})
    for _ in range(2000):
        data["flags"][0]["when"] = {"not": data["flags"][0]["when"]}
    assert only_problem(data)[1] == "load.too-deep"
    deep = assessment(extensions={"deep": nested_lists(5000)})
    with pytest.raises(DocumentError) as info:
        parse_assessment(deep)
    pointer = "/extensions/deep" + "/0" * 62
    assert [(p.pointer, p.code) for p in info.value.problems] == [(pointer, "load.too-deep")]
    assert info.value.__context__ is None


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------


def fingerprint_of(data: Any) -> str:
    return document_fingerprint(parse_document(data))


def test_fingerprint_is_the_same_for_json_and_yaml_spelling() -> None:
    json_doc = load("instrument_valid.json")
    yaml_doc = load("instrument_valid.yaml")
    assert json_doc != yaml_doc  # spelt differently (1 vs 1.0, 3 vs "3")
    assert fingerprint_of(json_doc) == fingerprint_of(yaml_doc)


@pytest.mark.parametrize("spelling", [2, "2", 2.0])
def test_fingerprint_ignores_how_a_decimal_is_spelt(spelling: Any) -> None:
    assert fingerprint_of(with_points(spelling)) == fingerprint_of(with_points(2))


@pytest.mark.parametrize("spelling", ["2.0", "2.000"])
def test_fingerprint_ignores_trailing_zeros_of_decimal_strings(spelling: str) -> None:
    assert fingerprint_of(with_points(spelling)) == fingerprint_of(with_points(2))


def test_fingerprint_ignores_key_order_and_spelt_out_defaults() -> None:
    data = load("instrument_valid.json")
    reordered = json.loads(json.dumps(data), object_pairs_hook=lambda p: dict(reversed(p)))
    assert list(reordered) != list(data)
    explicit = copy.deepcopy(data)
    explicit["items"][0]["response"] = "single"
    explicit["items"][1]["weight"] = "1"
    explicit["monotone"] = False
    assert fingerprint_of(reordered) == fingerprint_of(data) == fingerprint_of(explicit)


def test_fingerprint_ignores_the_schema_hint() -> None:
    data = load("instrument_valid.json")
    hinted = {**data, "$schema": "https://schemas.kwg-check.de/v1/instrument.schema.json"}
    assert fingerprint_of(hinted) == fingerprint_of(data)


def test_fingerprint_changes_with_the_content() -> None:
    base = fingerprint_of(with_points(2))
    assert fingerprint_of(with_points("2.5")) != base
    data = load("assessment_valid.json")
    changed = copy.deepcopy(data)
    changed["extensions"]["case_system"]["ticket"] = "T-100"
    assert fingerprint_of(changed) != fingerprint_of(data)


def test_fingerprint_form() -> None:
    value = fingerprint_of(load("summary_valid.json"))
    assert value.startswith("sha256:")
    assert len(value) == len("sha256:") + 64


def test_dumped_decimals_ignore_the_callers_decimal_context() -> None:
    import decimal

    data = with_points("1.675")
    expected = fingerprint_of(data)
    with decimal.localcontext(decimal.Context(prec=2)):
        assert fingerprint_of(data) == expected


# --------------------------------------------------------------------------------------------
# Writing a model built without validation (issue 12)
# --------------------------------------------------------------------------------------------


def _deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _cycle() -> dict[str, Any]:
    cycle: dict[str, Any] = {}
    cycle["self"] = cycle
    return cycle


def _with_points(points: object) -> Instrument:
    """The valid instrument with its first level's points replaced, unvalidated."""
    instrument = parse_instrument(load_path(FIXTURES / "instrument_valid.json"))
    scale = instrument.scales[0]
    level = scale.levels[0].model_copy(update={"points": points})
    scale = scale.model_copy(update={"levels": [level, *scale.levels[1:]]})
    return instrument.model_copy(update={"scales": [scale, *instrument.scales[1:]]})


@pytest.mark.filterwarnings("error")  # pydantic's serializer warning shows the value
@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: _with_points(math.nan), "write.not-json"),
        (lambda: _with_points("1.5 Frau ZZ"), "write.not-json"),
        (lambda: _with_points(Decimal("sNaN")), "write.not-json"),
        (lambda: _assessment_with_extensions({"cycle": _cycle()}), "write.not-json"),
        (lambda: _assessment_with_extensions({1: "Frau ZZ"}), "write.not-json"),
        (lambda: _assessment_with_extensions({"deep": _deep_list(3000)}), "write.too-deep"),
    ],
    ids=["float NaN", "text", "signalling NaN", "cycle", "integer key", "too deep"],
)
def test_a_model_built_without_validation_is_written_or_refused_with_the_right_code(
    build: Any, code: str
) -> None:
    """A NaN or a text where a decimal belongs was reported as nested too deeply."""
    with pytest.raises(WriteError) as info:
        dump_document(build())
    assert (info.value.pointer, info.value.code) == ("", code)
    assert "Frau" not in str(info.value)
    assert info.value.__context__ is None
    if code == "write.not-json":
        assert "deep" not in info.value.reason


def _assessment_with_extensions(extensions: object) -> Assessment:
    assessment = parse_assessment(load_path(FIXTURES / "assessment_valid.json"))
    return assessment.model_copy(update={"extensions": extensions})
