"""Errors never echo document content, and nothing but the library's errors escapes parsing,
building a model directly, or any public function that takes a document.

A marker is planted into every string of valid documents (values, keys, extensions, free
texts, ids) and the documents are broken in many ways at once. The marker may then appear
nowhere in a problem's reason, and in a pointer only as a whole token that is an object key
of the input in identifier form (pointers name keys; other keys become ``~unknown``).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check._documents import (
    document_type,
    parse_assessment,
    parse_document,
    parse_instrument,
    parse_summary,
)
from kwg_check._errors import DocumentError, KwgCheckError, LoadError
from kwg_check._io import JsonValue, load_path
from kwg_check._model._types import Part
from strategies import MODELS, bundled_documents, examples, node_paths

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
VALID = ["instrument_valid.json", "assessment_valid.json", "summary_valid.json"]
PARSER_OF: dict[str, Callable[[JsonValue], object]] = {
    "instrument": parse_instrument,
    "assessment": parse_assessment,
    "summary": parse_summary,
}
PARSERS: list[Callable[[JsonValue], object]] = [
    parse_document,
    parse_instrument,
    parse_assessment,
    parse_summary,
]

TRACE = "5b1f"
"""Part of every marker: if it shows up where it may not, content leaked."""
SAFE = f"ZZ-MARKER-{TRACE}"
"""Identifier-shaped: may appear in a pointer, but only as an object key of the input."""
UNSAFE = f"Frau ZZ MARKER:{TRACE} / ~ü"
"""Not identifier-shaped (like a name): may appear nowhere."""
SHOWN_KEY = re.compile(r"[A-Za-z0-9_.$-]{1,64}")


def load(name: str) -> Any:
    return load_path(FIXTURES / name)


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def assert_no_echo(data: JsonValue, error: KwgCheckError) -> None:
    """The marker is in no reason; in pointers only as an identifier-shaped input key."""
    for problem in error.problems:
        assert TRACE not in problem.reason, problem
        assert TRACE not in problem.code, problem
        nodes: list[Any] = [data]  # where the pointer may be; several after "~unknown"
        for raw in problem.pointer.split("/")[1:]:
            token = unescape(raw)
            if TRACE in token:
                assert SHOWN_KEY.fullmatch(token), problem
                assert any(isinstance(node, dict) and token in node for node in nodes), problem
            nodes = [child for node in nodes for child in children(node, raw)]
    pointers = {problem.pointer for problem in error.problems}
    texts = [str(error), repr(error), *map(str, error.args)]
    texts.append("".join(traceback.format_exception(error)))
    for text in texts:
        for pointer in sorted(pointers, key=len, reverse=True):
            text = text.replace(pointer, "")
        assert TRACE not in text


def children(node: Any, raw: str) -> list[Any]:
    """The nodes a pointer token can lead to from ``node`` (any hidden key for "~unknown")."""
    if raw == "~unknown" and isinstance(node, dict):
        return [item for key, item in node.items() if not SHOWN_KEY.fullmatch(key)]
    token = unescape(raw)
    if isinstance(node, dict) and token in node:
        return [node[token]]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return [node[int(token)]]
    return []


def check(data: JsonValue, parse: Callable[[JsonValue], object] = parse_document) -> int:
    """Parse; return the number of problems (0 when the document is valid)."""
    try:
        parse(data)
    except DocumentError as caught:
        error = caught
    else:
        return 0
    assert_no_echo(data, error)
    assert error.__context__ is None
    assert error.__cause__ is None
    return len(error.problems)


# --------------------------------------------------------------------------------------------
# Ways to plant the marker and to break a document
# --------------------------------------------------------------------------------------------


def map_strings(value: Any, change: Callable[[str], JsonValue]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [map_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    return value


def map_keys(value: Any, change: Callable[[str, int], str]) -> Any:
    if isinstance(value, list):
        return [map_keys(item, change) for item in value]
    if isinstance(value, dict):
        return {
            change(key, n): map_keys(item, change) for n, (key, item) in enumerate(value.items())
        }
    return value


def add_members(value: Any, members: dict[str, JsonValue]) -> Any:
    if isinstance(value, list):
        return [add_members(item, members) for item in value]
    if isinstance(value, dict):
        return {**{key: add_members(item, members) for key, item in value.items()}, **members}
    return value


def map_scalars(value: Any, change: Callable[[Any], JsonValue]) -> Any:
    if isinstance(value, list):
        return [map_scalars(item, change) for item in value]
    if isinstance(value, dict):
        return {key: map_scalars(item, change) for key, item in value.items()}
    return change(value)


def objects_to_lists(value: Any, depth: int = 0) -> Any:
    """Every object below the top becomes an array of its values and the marker."""
    if isinstance(value, list):
        return [objects_to_lists(item, depth + 1) for item in value]
    if isinstance(value, dict) and depth == 0:
        return {key: objects_to_lists(item, depth + 1) for key, item in value.items()}
    if isinstance(value, dict):
        return [*(objects_to_lists(item, depth + 1) for item in value.values()), UNSAFE]
    return value


def lists_to_objects(value: Any) -> Any:
    if isinstance(value, list):
        return {UNSAFE: [lists_to_objects(item) for item in value], SAFE: UNSAFE}
    if isinstance(value, dict):
        return {key: lists_to_objects(item) for key, item in value.items()}
    return value


def keep_type(document: Any, broken: Any) -> Any:
    """Keep ``document_type`` so that every variant reaches the model of its kind."""
    if isinstance(broken, dict):
        broken["document_type"] = document["document_type"]
    return broken


VARIANTS: dict[str, Callable[[Any], Any]] = {
    "every string is the marker": lambda d: map_strings(d, lambda s: UNSAFE),
    "every string is the id-shaped marker": lambda d: map_strings(d, lambda s: SAFE),
    "the marker appended to every string": lambda d: map_strings(d, lambda s: s + UNSAFE),
    "the marker prepended to every string": lambda d: map_strings(d, lambda s: SAFE + s),
    "decimal- and date-like strings with the marker": lambda d: map_strings(
        d, lambda s: f"1.5{TRACE}" if len(s) % 2 else f"2024-01-0{TRACE}"
    ),
    "long strings with the marker": lambda d: map_strings(d, lambda s: (UNSAFE * 1500)[:20_001]),
    "every key is the marker": lambda d: map_keys(d, lambda k, n: f"{UNSAFE}{n}"),
    "every key is an id-shaped marker": lambda d: map_keys(d, lambda k, n: f"{SAFE}-{n}"),
    "the marker appended to every key": lambda d: map_keys(d, lambda k, n: k + SAFE),
    "unknown members everywhere": lambda d: add_members(
        d, {SAFE: UNSAFE, UNSAFE: {SAFE: [UNSAFE]}, f"{SAFE}/~x": SAFE}
    ),
    "every scalar is an object with the marker": lambda d: map_scalars(
        d, lambda v: {UNSAFE: UNSAFE, SAFE: [SAFE]}
    ),
    "every scalar is a list of markers": lambda d: map_scalars(d, lambda v: [UNSAFE, SAFE]),
    "every number and bool is the marker": lambda d: map_scalars(
        d, lambda v: UNSAFE if isinstance(v, int | float) else v
    ),
    "every object is a list": objects_to_lists,
    "every list is an object": lists_to_objects,
}


@pytest.mark.parametrize("name", VALID)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_planted_markers_are_never_echoed(name: str, variant: str) -> None:
    document = load(name)
    broken = keep_type(document, VARIANTS[variant](load(name)))
    count = check(broken)
    assert count > 0  # the variant really breaks the document
    assert check(broken, PARSER_OF[document["document_type"]]) > 0


@pytest.mark.parametrize("name", VALID)
def test_markers_in_free_text_and_extensions_are_accepted_and_not_needed_in_errors(
    name: str,
) -> None:
    data = load(name)
    data["extensions"] = {UNSAFE: UNSAFE, SAFE: [SAFE, {UNSAFE: 1.5}]}
    if data["document_type"] == "summary":
        assert check(data) == 1  # a summary has no extensions
    else:
        assert check(data) == 0


def test_semantic_problems_do_not_echo() -> None:
    data = load("assessment_valid.json")
    data["assessors"] = [{"id": SAFE, "role": "x"}, {"id": SAFE, "role": "y"}]
    data["answers"] = {SAFE: {"levels": [SAFE, SAFE]}, UNSAFE: {"levels": [UNSAFE, UNSAFE]}}
    data["final_rating"] = {"outcome": SAFE, "author": SAFE, "justification": UNSAFE}
    data["subject"] = {"case_id": SAFE, "birth_date": "2030-01-01"}
    assert check(data) == 12
    with pytest.raises(DocumentError) as info:
        parse_assessment(data)
    assert {p.code for p in info.value.problems} == {
        "schema.pattern",  # answer keys, levels and the outcome are not item ids
        "answer.duplicate-level",
        "assessment.duplicate-assessor",
        "assessment.override-and-final-rating",
        "assessment.birth-after-date",
    }


@pytest.mark.parametrize("value", [UNSAFE, SAFE, [UNSAFE], {UNSAFE: SAFE}])
def test_document_type_errors_do_not_echo(value: JsonValue) -> None:
    data: JsonValue = {"document_type": value, UNSAFE: SAFE}
    with pytest.raises(DocumentError) as info:
        document_type(data)
    assert_no_echo(data, info.value)
    assert check(data) == 1


# --------------------------------------------------------------------------------------------
# Property: arbitrary JSON, and valid documents with arbitrary parts replaced
# --------------------------------------------------------------------------------------------

markers = st.sampled_from([SAFE, UNSAFE, f"{SAFE}/x", "1.5" + TRACE, TRACE])
strings = markers | st.text(max_size=6) | st.sampled_from(["instrument", "assessment", "summary"])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | strings,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(strings, children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=examples(150), deadline=None)
@given(value=json_values)
def test_arbitrary_json_raises_only_document_errors(value: JsonValue) -> None:
    for parse in PARSERS:
        check(value, parse)


@settings(max_examples=examples(150), deadline=None)
@given(
    kind=st.sampled_from(["instrument", "assessment", "summary"]),
    members=st.dictionaries(strings, json_values, max_size=6),
)
def test_arbitrary_objects_of_each_kind_raise_only_document_errors(
    kind: str, members: dict[str, JsonValue]
) -> None:
    check({**members, "document_type": kind})


def replaced(document: Any, path: tuple[str | int, ...], value: JsonValue) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(document, list) and isinstance(head, int) and head < len(document):
        changed: Any = list(document)
    elif isinstance(document, dict) and head in document:
        changed = dict(document)
    else:
        return document  # an earlier change removed the path
    changed[head] = replaced(document[head], tuple(rest), value)
    return changed


DOCUMENTS = {name: load(name) for name in VALID}


@settings(max_examples=examples(200), deadline=None)
@given(data=st.data())
def test_valid_documents_with_parts_replaced_raise_only_clean_document_errors(
    data: st.DataObject,
) -> None:
    document = DOCUMENTS[data.draw(st.sampled_from(VALID))]
    changes = data.draw(
        st.lists(
            st.tuples(st.sampled_from(node_paths(document)), json_values), min_size=1, max_size=4
        )
    )
    broken = document
    for path, value in changes:
        broken = replaced(broken, path, value)
    check(broken)


# --------------------------------------------------------------------------------------------
# Scoring: markers in every free-text field of the bundled documents
# --------------------------------------------------------------------------------------------

FREE_TEXT = {
    "reason_if_not", "statement", "will", "observation", "source", "note", "label",
    "justification", "description", "guidance", "anchor", "rationale", "citation", "title",
    "disclaimer", "de", "en",
}  # fmt: skip
"""Members that hold prose (assessment free text, instrument labels and explanations)."""


def plant(value: Any, inside: bool = False) -> Any:
    """The marker added to every string under a free-text member, and to ``extensions``."""
    if isinstance(value, dict):
        planted = {key: plant(item, inside or key in FREE_TEXT) for key, item in value.items()}
        if "document_type" in value and value["document_type"] != "summary":
            planted["extensions"] = {UNSAFE: UNSAFE, "note": [UNSAFE]}
        return planted
    if isinstance(value, list):
        return [plant(item, inside) for item in value]
    if isinstance(value, str) and inside:
        return f"{value} {UNSAFE}"[:500]
    return value


def test_every_free_text_of_the_bundled_documents_is_planted() -> None:
    """Guards the test below: the marker reaches labels, evidence, notes and reasons."""
    planted = plant(bundled_documents("assessment")["assessment:kwg8a-grey-zone-unknowns"])
    text = str(planted)
    assert text.count(TRACE) > 20
    assert f"{TRACE}" in str(planted["answers"])
    assert f"{TRACE}" in str(planted["family_view"])


@pytest.mark.filterwarnings("error")  # a Python warning would fail the test (and be read)
@pytest.mark.parametrize("name", sorted(bundled_documents("assessment")))
def test_scoring_with_markers_in_every_free_text_echoes_none_of_them(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Not in the summary (its warnings included), not in a log record, not in an error."""
    caplog.set_level(logging.DEBUG)
    assessment_value = plant(bundled_documents("assessment")[name])
    reference = assessment_value["instrument"]
    instrument_value = plant(
        next(
            value
            for value in bundled_documents("instrument").values()
            if (value["id"], value["version"]) == (reference["id"], reference["version"])
        )
    )
    instrument = parse_instrument(instrument_value)
    assessment = parse_assessment(assessment_value)
    compiled = kwg_check.compile_instrument(instrument)
    summary = kwg_check.score_assessment(assessment, compiled)
    assert TRACE not in kwg_check.dump_json(kwg_check.dump_document(summary))
    assert all(TRACE not in str(w.params) and TRACE not in w.pointer for w in summary.warnings)
    # Now break the answers: every error about them must stay clean too.
    broken = {**assessment_value, "answers": {
        item: {**answer, "level": "zz_no_such_level"} if "level" in answer else answer
        for item, answer in assessment_value["answers"].items()
    }}  # fmt: skip
    problems = kwg_check.assessment_problems(parse_assessment(broken), compiled)
    assert problems
    assert all(TRACE not in str(problem) for problem in problems)
    assert all(TRACE not in record.getMessage() for record in caplog.records)


# --------------------------------------------------------------------------------------------
# Direct construction of the models is the parse path (issue 12)
# --------------------------------------------------------------------------------------------


def constructors(model: type[pydantic.BaseModel]) -> dict[str, Callable[[Any], object]]:
    """Every way pydantic offers to build a model from data."""
    return {
        "Model(**data)": lambda data: model(**data),
        "model_validate": model.model_validate,
        "model_validate_json": lambda data: model.model_validate_json(json.dumps(data)),
        "model_validate_json (bytes)": lambda data: model.model_validate_json(
            json.dumps(data).encode()
        ),
    }


def raised(action: Callable[[], object]) -> KwgCheckError | None:
    """The library error ``action`` raises (anything else fails the test), or ``None``."""
    try:
        action()
    except KwgCheckError as error:
        return error
    return None


@pytest.mark.parametrize("name", VALID)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_constructing_a_model_directly_gives_the_problems_of_the_parse_path(
    name: str, variant: str
) -> None:
    document = load(name)
    kind = document["document_type"]
    broken = keep_type(document, VARIANTS[variant](load(name)))
    expected = raised(lambda: PARSER_OF[kind](broken))
    assert isinstance(expected, DocumentError)
    for way, construct in constructors(MODELS[kind]).items():
        error = raised(lambda: construct(broken))  # noqa: B023 - called at once
        assert isinstance(error, DocumentError), way
        assert error.problems == expected.problems, way
        assert_no_echo(broken, error)
        assert error.__context__ is None, way
        assert error.__cause__ is None, way


def test_the_exact_case_of_the_issue_raises_a_clean_document_error() -> None:
    """``Assessment(...)`` with bad data raised pydantic's error, which showed the input."""
    data = load("assessment_valid.json")
    data["assessors"] = ["Mutter trinkt, Kind sagt Vater schlägt"]
    with pytest.raises(DocumentError) as info:
        kwg_check.Assessment(**data)
    assert (info.value.pointer, info.value.code) == ("/assessors/0", "schema.type")
    assert "Mutter" not in "".join(traceback.format_exception(info.value))


def test_nested_models_are_built_in_their_parent_and_report_to_it() -> None:
    """The overridden ``__init__`` is pydantic's in effect: nested objects are validated in
    the parent (every problem at once, pointers from the document root)."""
    assert not any(model.__pydantic_custom_init__ for model in all_models())
    data = load("assessment_valid.json")
    data["assessors"] = [{"id": UNSAFE, "role": "x"}, {"id": "a", "role": UNSAFE}]
    with pytest.raises(DocumentError) as info:
        kwg_check.Assessment(**data)
    assert [(p.pointer, p.code) for p in info.value.problems] == [
        ("/assessors/0/id", "schema.pattern"),
        ("/assessors/1/role", "schema.pattern"),
    ]


def all_models() -> list[type[pydantic.BaseModel]]:
    found: list[type[pydantic.BaseModel]] = []
    pending: list[type[pydantic.BaseModel]] = [Part]
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found


@pytest.mark.parametrize("model", all_models()[1:], ids=lambda m: m.__name__)
def test_every_model_built_from_bad_data_raises_a_clean_document_error(
    model: type[pydantic.BaseModel],
) -> None:
    """Nested models too (``Answer``, ``Item``, …): pointers relative to the object."""
    data: dict[str, Any] = {UNSAFE: UNSAFE, "id": [UNSAFE], "extensions": {"x": 2**60}}
    for way, construct in constructors(model).items():
        error = raised(lambda: construct(data))  # noqa: B023 - called at once
        # JSON text goes through the loader, as a file would: its faults are LoadErrors.
        assert isinstance(error, LoadError if "json" in way else DocumentError), way
        assert_no_echo(data, error)
    assert pydantic_hides_input(model)


def pydantic_hides_input(model: type[pydantic.BaseModel]) -> bool:
    """Even pydantic's own error (from its validator, bypassing ours) does not show input."""
    try:
        model.__pydantic_validator__.validate_python({"id": [UNSAFE]})
    except pydantic.ValidationError as error:
        return TRACE not in str(error)
    return True


# --------------------------------------------------------------------------------------------
# Every public function that takes a document (issue 12)
# --------------------------------------------------------------------------------------------

INSTRUMENT = kwg_check.parse_instrument(load_path(FIXTURES / "instrument_valid.json"))
TAKES_DATA: dict[str, Callable[[Any], object]] = {
    "document_type": kwg_check.document_type,
    "parse_assessment": kwg_check.parse_assessment,
    "parse_document": kwg_check.parse_document,
    "parse_instrument": kwg_check.parse_instrument,
    "parse_instrument_variant": kwg_check.parse_instrument_variant,
    "parse_summary": kwg_check.parse_summary,
    "validate_document": kwg_check.validate_document,
    "questionnaire_response_to_assessment": lambda data: (
        kwg_check.questionnaire_response_to_assessment(data, INSTRUMENT)
    ),
    "questionnaire_to_instrument": kwg_check.questionnaire_to_instrument,
    "canonical_json": kwg_check.canonical_json,
    "dump_json": kwg_check.dump_json,
    "fingerprint": kwg_check.fingerprint,
}
"""Public functions whose document arrives as a JSON value."""
WRITERS = {"canonical_json", "dump_json", "fingerprint"}
"""They write any value JSON can hold, at any depth."""
TAKES_BYTES: dict[str, Callable[[bytes], object]] = {
    "load_assessment": kwg_check.load_assessment,
    "load_document": kwg_check.load_document,
    "load_instrument": kwg_check.load_instrument,
    "load_json": kwg_check.load_json,
    "load_summary": kwg_check.load_summary,
    "score_lines": lambda data: list(kwg_check.score_lines([data.replace(b"\n", b" ")])),
}
"""Public functions whose document arrives as bytes (or a file)."""
TAKES_MODELS = {
    "assessment_problems", "assessment_to_questionnaire_response", "compare",
    "compile_instrument", "default_language", "describe_instrument", "document_fingerprint",
    "dump_document",
    "instrument_problems", "instrument_to_questionnaire", "migrate_assessment",
    "render_comparison", "render_report",
    "render_statistic", "resolve_instrument", "score_assessment", "score_document",
    "summary_text", "tabulate_statistic", "verify_summary",
    "lint_instrument", "diff_instruments", "render_instrument_diff", "instrument_impact",
    "render_impact", "consult", "render_consultation", "agreement", "render_agreement",
}  # fmt: skip
"""Public functions that take validated models (built by the functions above or by the
models themselves, which are tested above); scoring them with markers is tested below."""
TAKES_NO_DOCUMENT = {"example_data", "examples", "schema_text"}


def test_every_public_function_is_classified_by_how_it_takes_documents() -> None:
    """A new public function must be added to one of the lists, and so to the tests."""
    functions = {
        name
        for name in kwg_check.__all__
        if inspect.isfunction(inspect.unwrap(getattr(kwg_check, name)))  # not type aliases
    }
    classified = TAKES_DATA.keys() | TAKES_BYTES.keys() | TAKES_MODELS | TAKES_NO_DOCUMENT
    assert functions == classified


def deep_list(depth: int) -> Any:
    value: Any = UNSAFE
    for _ in range(depth):
        value = [value]
    return value


NOT_JSON: dict[str, Any] = {
    "integer beyond 2**53": {UNSAFE: [2**60, UNSAFE]},
    "NaN": {UNSAFE: float("nan")},
    "lone surrogate": {UNSAFE: UNSAFE + "\ud800"},
    "key that is not a string": {UNSAFE: {1: UNSAFE}},
    "tuple": {UNSAFE: (UNSAFE,)},
    "bytes": {UNSAFE: UNSAFE.encode()},
    "too deep": {UNSAFE: deep_list(70)},
}


def clean_outcome(data: Any, action: Callable[[], object]) -> None:
    """``action`` returns, or raises a library error; neither its problems nor its error
    show the marker (writers such as ``dump_json`` return the data itself: not checked)."""
    error = raised(action)
    if error is not None:
        assert_no_echo(data, error)
        assert error.__cause__ is None


@pytest.mark.parametrize("function", sorted(TAKES_DATA))
@pytest.mark.parametrize("name", VALID)
def test_public_functions_taking_data_raise_only_clean_library_errors(
    function: str, name: str
) -> None:
    call = TAKES_DATA[function]
    for variant in VARIANTS.values():
        broken = keep_type(load(name), variant(load(name)))
        clean_outcome(broken, lambda: call(broken))  # noqa: B023 - called at once
        if function == "validate_document":
            for problem in kwg_check.validate_document(broken):
                assert TRACE not in problem.reason
    for case, value in NOT_JSON.items():
        clean_outcome(value, lambda: call(value))  # noqa: B023 - called at once
        writes_any_depth = function in WRITERS and case == "too deep"
        if function != "validate_document" and not writes_any_depth:
            assert raised(lambda: call(value)) is not None, case  # noqa: B023 - called at once


@pytest.mark.parametrize("function", sorted(TAKES_BYTES))
@pytest.mark.parametrize("name", VALID)
def test_public_functions_taking_bytes_raise_only_clean_library_errors(
    function: str, name: str
) -> None:
    call = TAKES_BYTES[function]
    for variant in VARIANTS.values():
        broken = keep_type(load(name), variant(load(name)))
        clean_outcome(broken, lambda: call(json.dumps(broken).encode()))  # noqa: B023
    for value in NOT_JSON.values():
        with contextlib.suppress(TypeError, ValueError):  # not all of them can be JSON text
            text = json.dumps(value).encode()
            clean_outcome(value, lambda: call(text))  # noqa: B023 - called at once


def test_score_lines_reports_problems_that_do_not_echo() -> None:
    broken = map_strings(load("assessment_valid.json"), lambda s: UNSAFE)
    (result,) = kwg_check.score_lines([json.dumps(broken).encode()])
    assert result.problems
    for problem in result.problems:
        assert TRACE not in problem.reason
        assert TRACE not in problem.pointer
