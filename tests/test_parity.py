"""The published schemas accept exactly the documents the models accept.

Case systems validate with the schema files, often without Python; the library validates with
the models. A document that one accepts and the other rejects is a bug in the contract. The
verdicts are compared on hand-written fixtures for every tricky area, on documents generated
from the published schemas themselves, and on mutations of valid documents.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError

from kwg_check import (
    KwgCheckError,
    parse_assessment,
    parse_instrument,
    parse_instrument_variant,
    parse_summary,
)
from kwg_check._model._patterns import (
    FINGERPRINT_PATTERN,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    NAME_PATTERN,
    PSEUDONYM_PATTERN,
    SEMVER_PATTERN,
    validated,
)
from kwg_check._model.variant import TARGET_PATTERN
from kwg_check._schema import SCHEMA_NAMES, schema_problems
from strategies import (
    MARKER,
    assert_same_verdict,
    examples,
    model_accepts,
    mutated,
    new_part_documents,
    schema_accepts,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "schema_fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
PARSERS: dict[str, Any] = {
    "instrument": parse_instrument,
    "instrument_variant": parse_instrument_variant,
    "assessment": parse_assessment,
    "summary": parse_summary,
}

PYTHON_NAME_FIXTURE = "assessment-invalid-python-name-of-schema-field.json"

PARITY = settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def load_fixture(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- fixtures -------------------------------------------------------------------------


def test_fixtures_cover_every_schema_both_ways() -> None:
    seen = set()
    for path in FIXTURE_FILES:
        data = load_fixture(path)
        assert set(data) == {"description", "schema", "valid", "document"}, path.name
        verdict = "valid" if data["valid"] else "invalid"
        assert path.name.startswith(f"{data['schema']}-{verdict}-"), path.name
        seen.add((data["schema"], data["valid"]))
    assert seen == {(name, valid) for name in SCHEMA_NAMES for valid in (True, False)}
    assert len(FIXTURE_FILES) >= 20


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_schema_and_model_give_the_expected_verdict(path: Path) -> None:
    data = load_fixture(path)
    name, document, expected = data["schema"], data["document"], data["valid"]
    assert model_accepts(name, document) is expected, "model verdict"
    assert schema_accepts(name, document) is expected, "schema verdict"


def test_plain_model_validate_reads_fields_by_alias_only() -> None:
    data = load_fixture(FIXTURES / PYTHON_NAME_FIXTURE)
    assert model_accepts(data["schema"], data["document"]) is data["valid"]


@pytest.mark.integration
def test_ajv_gives_the_expected_verdict_on_every_fixture(tmp_path: Path) -> None:
    """The same fixtures through a JavaScript validator: the contract holds outside Python."""
    installed = (ROOT / "node_modules" / "ajv-cli").is_dir() and shutil.which("npx")
    if not installed:
        if os.environ.get("CI"):
            pytest.fail("ajv is missing in CI: run `npm ci` before the tests")
        pytest.skip("ajv not installed: run `npm ci` to check the fixtures with ajv")
    for name in SCHEMA_NAMES:
        expected: dict[str, bool] = {}
        command = ["npx", "--no-install", "ajv", "validate", "--spec=draft2020", "--strict=true"]
        command += ["-s", f"schemas/{name}.schema.json"]
        for path in FIXTURE_FILES:
            data = load_fixture(path)
            if data["schema"] != name:
                continue
            target = tmp_path / path.name
            target.write_text(json.dumps(data["document"], ensure_ascii=False), encoding="utf-8")
            expected[str(target)] = data["valid"]
            command += ["-d", str(target)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        output = result.stdout + result.stderr
        for written, valid in expected.items():
            assert f"{written} {'valid' if valid else 'invalid'}" in output, (written, output)


# --- documents generated from the published schemas -------------------------------------


# --- mutations of valid documents ---------------------------------------------------------

_VALID_FIXTURES = [
    (data["schema"], data["document"]) for data in map(load_fixture, FIXTURE_FILES) if data["valid"]
]


@pytest.mark.parametrize(
    ("name", "document"),
    _VALID_FIXTURES,
    ids=[p.stem for p in FIXTURE_FILES if load_fixture(p)["valid"]],
)
def test_mutated_documents_get_the_same_verdict(name: str, document: Any) -> None:
    @PARITY
    @given(mutated(document))
    def check(candidate: Any) -> None:
        assert_same_verdict(name, candidate)

    check()


_NEW_PARTS = new_part_documents()


@pytest.mark.parametrize("name", sorted(_NEW_PARTS))
def test_mutated_documents_with_the_new_parts_get_the_same_verdict(name: str) -> None:
    """Further results, subject kinds and members, poles, codes, anchors per age group and
    arithmetic indices (issue 13), broken the way files break: schema and models agree."""
    kind = name.partition(":")[0]

    @settings(PARITY, max_examples=examples(20))
    @given(mutated(_NEW_PARTS[name]))
    def check(candidate: Any) -> None:
        assert_same_verdict(kind, candidate)

    assert assert_same_verdict(kind, _NEW_PARTS[name]) is True
    check()


@pytest.mark.parametrize(
    ("name", "document"),
    _VALID_FIXTURES[::3],
    ids=[p.stem for p in FIXTURE_FILES if load_fixture(p)["valid"]][::3],
)
def test_problems_exist_exactly_for_rejected_documents_and_never_echo(
    name: str, document: Any
) -> None:
    @PARITY
    @given(mutated(document))
    def check(candidate: Any) -> None:
        problems = schema_problems(name, candidate)
        assert (problems == []) is schema_accepts(name, candidate)
        for problem in problems:
            assert MARKER not in str(problem)
            assert "Mustermann" not in problem.pointer
            assert problem.code.startswith("schema.")

    check()


# --- one code per fault, whichever path finds it ----------------------------------------------

_SAME_FAULT_OTHER_PLACE = {
    # The schema also says "exactly one of birth_date, age_months"; the model stops at null.
    "assessment-invalid-age-null-beside-birth-date",
    # A tagged union: the model names the union, the schema the tag inside it.
    "instrument-invalid-requirement-unknown-check",
}


@pytest.mark.parametrize(
    "path",
    [p for p in FIXTURE_FILES if "-invalid-" in p.name],
    ids=[p.stem for p in FIXTURE_FILES if "-invalid-" in p.name],
)
def test_schema_and_model_name_a_fault_with_the_same_code(path: Path) -> None:
    """Finding: the schema path used JSON Schema keywords as codes (``schema.additional
    Properties``, ``schema.maxLength``, ``schema.oneOf``) where the models say
    ``schema.unknown-field``, ``schema.length``, ``schema.union``/``schema.value``."""
    data = load_fixture(path)
    name, document = data["schema"], data["document"]
    with pytest.raises(KwgCheckError) as raised:
        PARSERS[name](document)
    by_model = {problem.code for problem in raised.value.problems}
    by_schema = {problem.code for problem in schema_problems(name, document)}
    if path.stem in _SAME_FAULT_OTHER_PLACE:
        assert by_model & by_schema or by_model == {"schema.union"}
    else:
        assert by_schema == by_model


# --- patterns: the models' Rust form and the schemas' portable form ---------------------------

_PATTERNS = [
    ID_PATTERN,
    LANGUAGE_PATTERN,
    NAME_PATTERN,
    PSEUDONYM_PATTERN,
    SEMVER_PATTERN,
    FINGERPRINT_PATTERN,
    TARGET_PATTERN,
]


@pytest.mark.parametrize("pattern", _PATTERNS)
def test_a_models_pattern_accepts_what_the_published_pattern_accepts(pattern: str) -> None:
    """The models validate patterns with Rust's engine (``validated``: ``$`` for the end),
    the schemas hold the form Python ``re`` and ECMAScript read alike (``anchored``): the
    same strings pass both, a final newline included (Python's ``$`` would let it pass)."""
    adapter: TypeAdapter[str] = TypeAdapter(
        Annotated[str, Field(pattern=validated(pattern))],
        config=ConfigDict(regex_engine="rust-regex", strict=True),
    )
    published = re.compile(pattern)

    @settings(max_examples=examples(100), deadline=None)
    @given(
        text=st.from_regex(published, fullmatch=True)
        | st.from_regex(published, fullmatch=True).map(lambda s: s + "\n")
        | st.from_regex(published, fullmatch=True).map(lambda s: "\n" + s)
        | st.text(max_size=70)
    )
    def check(text: str) -> None:
        try:
            adapter.validate_python(text)
            rust = True
        except ValidationError:
            rust = False
        assert rust is (published.search(text) is not None), repr(text)

    check()
