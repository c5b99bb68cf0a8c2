"""The published JSON Schema files: generated, self-contained, portable and offline.

The schema files are the format's contract for programs in any language. These tests prove
that the committed files are exactly what the models generate, that they are valid Draft
2020-12 and pass ajv in strict mode, that they document every property, and that validating
against them never touches the network nor echoes a document's contents.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing.exceptions

from kwg_check._errors import NotFoundError
from kwg_check._schema import (
    DIALECT,
    SCHEMA_MAJOR,
    SCHEMA_NAMES,
    SCHEMA_ROOT,
    SchemaGenerationError,
    _verify,
    generate_schema,
    registry,
    render_schema,
    schema_id,
    schema_problems,
    schema_text,
    validator,
)

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "schemas"
BUNDLED = ROOT / "src" / "kwg_check" / "schemas"
MARKER = "Erika-Mustermann-SECRET-7431"
"""Planted in invalid documents: must never appear in a problem."""


def subschemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every subschema, walking only schema positions (never enum/const/default values)."""
    if not isinstance(node, dict):
        return
    yield node
    for key in ("properties", "$defs"):
        for sub in node.get(key, {}).values():
            yield from subschemas(sub)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            yield from subschemas(sub)
    for key in ("items", "additionalProperties", "propertyNames", "not"):
        yield from subschemas(node.get(key))


def owners(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, object schema) for the document itself and every definition."""
    yield str(schema["title"]), schema
    yield from schema.get("$defs", {}).items()


# --- (a) generated, not hand-written --------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_published_file_is_exactly_what_the_models_generate(name: str) -> None:
    expected = render_schema(name).encode("utf-8")
    published = (PUBLISHED / f"{name}.schema.json").read_bytes()
    assert published == expected, "run: python tools/generate_schemas.py"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_package_ships_the_same_bytes_as_the_published_file(name: str) -> None:
    published = (PUBLISHED / f"{name}.schema.json").read_bytes()
    assert (BUNDLED / f"{name}.schema.json").read_bytes() == published
    assert schema_text(name).encode("utf-8") == published


def test_only_the_three_schemas_are_published() -> None:
    expected = {f"{name}.schema.json" for name in SCHEMA_NAMES}
    assert {p.name for p in PUBLISHED.glob("*.json")} == expected
    assert {p.name for p in BUNDLED.glob("*.json")} == expected


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_generation_is_deterministic(name: str) -> None:
    assert render_schema(name) == render_schema(name)
    definitions = json.loads(schema_text(name))["$defs"]
    assert list(definitions) == sorted(definitions)


@pytest.mark.integration
def test_generator_check_mode_passes_on_the_committed_tree() -> None:
    script = ROOT / "tools" / "generate_schemas.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.integration
def test_generator_check_mode_lists_a_drifted_file(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "tools", copy / "tools")
    shutil.copytree(PUBLISHED, copy / "schemas")
    shutil.copytree(BUNDLED, copy / "src" / "kwg_check" / "schemas")
    drifted = copy / "schemas" / "summary.schema.json"
    drifted.write_text(drifted.read_text(encoding="utf-8") + " ", encoding="utf-8")
    script = copy / "tools" / "generate_schemas.py"

    check = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 1
    assert "schemas/summary.schema.json" in check.stderr
    assert "instrument.schema.json" not in check.stderr

    subprocess.run([sys.executable, str(script)], capture_output=True, check=True)
    assert drifted.read_bytes() == render_schema("summary").encode("utf-8")


# --- (b) valid Draft 2020-12, with the expected identity ---------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads(schema_text(name))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    major = SCHEMA_MAJOR[name]
    assert schema["$id"] == f"{SCHEMA_ROOT}v{major}/{name}.schema.json" == schema_id(name)
    assert schema["title"]
    assert schema["description"]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_never_accepts_null(name: str) -> None:
    """Optional fields are left out, never null: pydantic's anyOf [X, null] is gone."""
    for sub in subschemas(json.loads(schema_text(name))):
        kind = sub.get("type")
        assert kind != "null"
        assert not isinstance(kind, list), "no union types (ajv strictTypes)"
        assert sub.get("default", ...) is not None


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_default_is_valid_against_its_own_schema(name: str) -> None:
    """Defaults are annotations for readers and editors; they must not contradict."""
    with_default = [s for s in subschemas(json.loads(schema_text(name))) if "default" in s]
    for sub in with_default:
        assert "$ref" not in sub
        assert jsonschema.Draft202012Validator(sub).is_valid(sub["default"]), sub
    assert name == "assessment" or with_default


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_uses_no_keyword_outside_the_portable_core(name: str) -> None:
    for sub in subschemas(json.loads(schema_text(name))):
        assert not {"discriminator", "format", "patternProperties"} & set(sub)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_patterns_read_the_same_in_python_and_ecmascript(name: str) -> None:
    for sub in subschemas(json.loads(schema_text(name))):
        pattern = sub.get("pattern")
        if pattern is None:
            continue
        re.compile(pattern)
        assert pattern.startswith("^(?:")
        assert pattern.endswith("(?![\\s\\S])")
        # \d, \w and \b are Unicode-aware in Python; $ matches before a final newline.
        assert not re.search(r"\\[dDwWbBAZz]|(?<!\\)\$", pattern), pattern


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "string", "format": "date"},
        {"discriminator": {"propertyName": "check"}},
        {"type": "null"},
        {"type": "string", "default": None},
        {"type": ["string", "integer"]},
        {"$ref": "https://example.org/remote.schema.json"},
        {"type": "string", "pattern": "^[0-9]+$"},
        {"type": "string", "pattern": "^\\d+(?![\\s\\S])"},
        {"type": "object", "properties": {"inner": {"$id": "https://example.org/x"}}},
    ],
)
def test_generator_refuses_to_publish_a_non_portable_schema(bad: dict[str, Any]) -> None:
    schema = {"$schema": DIALECT, "$id": schema_id("summary"), "$defs": {"Part": bad}}
    with pytest.raises(SchemaGenerationError) as caught:
        _verify(schema)
    assert caught.value.code == "schema.not-portable"
    assert caught.value.pointer.startswith("/$defs/Part")


def test_unknown_schema_name_is_not_found() -> None:
    for call in (generate_schema, render_schema, schema_text, validator, schema_id):
        with pytest.raises(NotFoundError) as caught:
            call("questionnaire")
        assert caught.value.code == "schema.unknown"


# --- (c) every property documents itself ----------------------------------------------


def undocumented(attribute: str) -> set[tuple[str, str, str]]:
    found = set()
    for name in SCHEMA_NAMES:
        for owner, node in owners(json.loads(schema_text(name))):
            for sub in subschemas({k: v for k, v in node.items() if k != "$defs"}):
                for prop, prop_schema in sub.get("properties", {}).items():
                    if prop_schema is True:
                        continue  # the "exactly one of" branches only name a property
                    if not prop_schema.get(attribute):
                        found.add((name, owner, prop))
    return found


def test_every_property_has_a_title() -> None:
    assert undocumented("title") == set()


def test_every_property_has_a_description() -> None:
    assert undocumented("description") == set()


# --- (d) self-contained -------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_ref_is_local_and_resolves(name: str) -> None:
    schema = json.loads(schema_text(name))
    refs = [sub["$ref"] for sub in subschemas(schema) if "$ref" in sub]
    assert refs, "the schema uses definitions"
    for ref in refs:
        assert ref.startswith("#/$defs/"), ref
        assert ref.removeprefix("#/$defs/") in schema["$defs"]
    ids = [sub for sub in subschemas(schema) if "$id" in sub]
    assert ids == [schema], "only the root carries an $id"


# --- (e) a second, independent validator: ajv in strict mode --------------------------


def ajv_or_skip() -> list[str]:
    """The ajv command; skipped locally without node_modules, never in CI."""
    installed = (ROOT / "node_modules" / "ajv-cli").is_dir() and shutil.which("npx")
    if not installed:
        if os.environ.get("CI"):
            pytest.fail("ajv is missing in CI: run `npm ci` before the tests")
        pytest.skip("ajv not installed: run `npm ci` to check the schemas with ajv")
    return ["npx", "--no-install", "ajv"]


@pytest.mark.integration
def test_ajv_compiles_all_schemas_in_strict_draft_2020_mode() -> None:
    command = [*ajv_or_skip(), "compile", "--spec=draft2020", "--strict=true"]
    for name in SCHEMA_NAMES:
        command += ["-s", f"schemas/{name}.schema.json"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for name in SCHEMA_NAMES:
        assert f"schema schemas/{name}.schema.json is valid" in output
    assert "strict mode" not in output, output


@pytest.mark.integration
def test_ajv_check_really_runs_in_draft_2020_mode() -> None:
    """Without --spec=draft2020 ajv does not know our dialect, so the flag is load-bearing."""
    command = [*ajv_or_skip(), "compile", "--strict=true", "-s", "schemas/summary.schema.json"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "2020-12" in result.stdout + result.stderr


PROBES = [
    "",
    "a",
    "a\n",
    "\na",
    "a\r",
    "a\u2028",
    "a b",
    "A",
    "ä",
    "x" * 64,
    "x" * 65,
    "0",
    "-0",
    "1.5",
    "1.5000000",
    "1e3",
    "١",
    "2024-02-29",
    "2023-02-29",
    "2000-02-29",
    "2100-02-29",
    "2024-02-29\n",
    "2024-13-01",
    "2024-0١-01",
    "1.0.0",
    "1.0.0-rc.1",
    "01.0.0",
    "sha256:" + "0a" * 32,
    "sha256:" + "0A" * 32,
    "case-7f3a",
    "case:7f3a",
]


@pytest.mark.integration
def test_patterns_give_the_same_verdicts_in_python_and_javascript() -> None:
    """Each pattern, run by Python's re and by JavaScript's RegExp with the u flag (as ajv
    does), accepts and rejects the same probe strings."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing in CI")
        pytest.skip("node not installed")
    patterns = sorted(
        {
            sub["pattern"]
            for name in SCHEMA_NAMES
            for sub in subschemas(json.loads(schema_text(name)))
            if "pattern" in sub
        }
    )
    script = (
        "const {patterns, probes} = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(patterns.map("
        "p => probes.map(s => new RegExp(p, 'u').test(s)))));"
    )
    payload = json.dumps({"patterns": patterns, "probes": PROBES})
    result = subprocess.run(
        [node, "-e", script], input=payload, capture_output=True, text=True, check=True
    )
    in_javascript = json.loads(result.stdout)
    in_python = [[re.search(p, s) is not None for s in PROBES] for p in patterns]
    assert in_python == in_javascript
    assert any(any(row) for row in in_python)
    assert not all(all(row) for row in in_python)


def test_package_json_script_is_the_strict_check() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    script = package["scripts"]["check-schemas"]
    assert "--spec=draft2020" in script
    assert "--strict=true" in script
    for name in SCHEMA_NAMES:
        assert f"-s schemas/{name}.schema.json" in script
    assert package["private"] is True
    pinned = package["devDependencies"]
    assert set(pinned) == {"ajv", "ajv-cli", "fhirpath"}  # fhirpath: tests/test_fhir_sdc.py
    assert all(re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version) for version in pinned.values())
    assert pinned["ajv"].startswith("8.")
    assert pinned["ajv-cli"].startswith("5.")


# --- (f) offline only ---------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) every attempt to open a connection."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_registry_holds_the_three_bundled_schemas(no_network: list[object]) -> None:
    for name in SCHEMA_NAMES:
        assert registry().contents(schema_id(name)) == json.loads(schema_text(name))
    assert no_network == []


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.org/remote.schema.json",
        f"{SCHEMA_ROOT}v1/questionnaire.schema.json",
        "https://json-schema.org/draft/2019-09/schema",
        "file:///etc/hostname",
    ],
)
def test_registry_refuses_any_other_uri_without_network(uri: str, no_network: list[object]) -> None:
    with pytest.raises(referencing.exceptions.NoSuchResource):
        registry().get_or_retrieve(uri)
    assert no_network == []


def test_remote_ref_in_a_schema_fails_offline(no_network: list[object]) -> None:
    remote = {"$ref": "https://example.org/remote.schema.json"}
    check = jsonschema.Draft202012Validator(remote, registry=registry())
    with pytest.raises(referencing.exceptions.Unresolvable):
        check.is_valid({})
    assert no_network == []


def test_validator_is_cached_and_draft_2020_12() -> None:
    for name in SCHEMA_NAMES:
        check = validator(name)
        assert check is validator(name)
        assert isinstance(check, jsonschema.Draft202012Validator)
        assert check.format_checker is None


# --- (g) problems name a pointer and a code, never the contents ---------------------------


def base_assessment() -> dict[str, Any]:
    return {
        "document_type": "assessment",
        "id": "assess-0001",
        "instrument": {"id": "demo-bogen", "version": "1.0.0"},
        "subject": {"case_id": "case-7f3a", "age_months": 30},
        "assessment_date": "2024-03-01",
        "assessors": [{"id": "fk-001", "role": "social_worker"}],
    }


def test_valid_document_has_no_problems() -> None:
    assert schema_problems("assessment", base_assessment()) == []


def test_problems_point_at_each_fault_with_a_code_and_never_echo_contents() -> None:
    doc = base_assessment()
    doc["id"] = MARKER + " with spaces"  # pattern
    doc["subject"]["birth_date"] = "2024-01-01"  # both birth date and age: oneOf
    doc["assessment_date"] = MARKER  # pattern
    doc["initiated_by"] = MARKER  # enum
    doc["assessors"][0]["role"] = {"note": MARKER}  # type
    doc["assessors"][0]["nickname"] = MARKER  # additionalProperties, safe key
    doc["assessors"].append({"id": "fk-002"})  # required
    doc[MARKER + " (Mutter)"] = 1  # additionalProperties, key that is not an identifier
    doc["answers"] = {"item-1": {"level": "1", "note": "x" * 20_001}}  # maxLength
    doc["family_view"] = {"statement": None}  # null for an optional field

    problems = schema_problems("assessment", doc)

    found = {(p.pointer, p.code) for p in problems}
    assert found == {
        ("", "schema.unknown-field"),
        ("/id", "schema.pattern"),
        ("/subject", "schema.value"),
        ("/assessment_date", "schema.value"),
        ("/initiated_by", "schema.enum"),
        ("/assessors/0/role", "schema.type"),
        ("/assessors/0", "schema.unknown-field"),
        ("/assessors/1", "schema.required"),
        ("/answers/item-1/note", "schema.length"),
        ("/family_view/statement", "schema.null"),
    }
    assert problems == sorted(problems)
    for problem in problems:
        assert MARKER not in str(problem)
        assert "x" * 50 not in problem.reason
    reasons = {(p.pointer, p.code): p.reason for p in problems}
    assert reasons[("/assessors/1", "schema.required")] == 'missing required property "role"'
    assert "nickname" in reasons[("/assessors/0", "schema.unknown-field")]
    assert "1 unknown property" in reasons[("", "schema.unknown-field")]
    assert "birth_date" in reasons[("/subject", "schema.value")]
    assert "age_months" in reasons[("/subject", "schema.value")]
    assert "calendar date" in reasons[("/assessment_date", "schema.value")]
    assert "pseudonymous id" in reasons[("/id", "schema.pattern")]
    assert '"day_care"' in reasons[("/initiated_by", "schema.enum")]
    assert reasons[("/assessors/0/role", "schema.type")] == "must be a string"
    assert reasons[("/answers/item-1/note", "schema.length")].endswith("20000 characters")


def test_pointer_stops_before_a_key_that_is_not_an_identifier() -> None:
    """A key can itself be sensitive text (a name typed where an item id belongs)."""
    doc = base_assessment()
    doc["answers"] = {MARKER + " Müller": {"level": 7}, "a~b/c": {"level": "1", "x": 1}}

    problems = schema_problems("assessment", doc)

    assert {(p.pointer, p.code) for p in problems} == {
        ("/answers", "schema.pattern"),
        ("/answers", "schema.type"),
        ("/answers", "schema.unknown-field"),
    }
    assert all(MARKER not in str(p) and "Müller" not in str(p) for p in problems)


def test_pointer_runs_through_identifier_keys_in_maps() -> None:
    doc = base_assessment()
    doc["answers"] = {"item.1": {"caregivers": {"cg:1": 3}}}
    problems = schema_problems("assessment", doc)
    assert [(p.pointer, p.code) for p in problems] == [
        ("/answers/item.1/caregivers/cg:1", "schema.type")
    ]


def base_instrument() -> dict[str, Any]:
    fixture = ROOT / "tests" / "schema_fixtures" / "instrument-valid-base.json"
    document: dict[str, Any] = json.loads(fixture.read_text(encoding="utf-8"))["document"]
    return document


def test_problem_inside_the_one_alternative_that_fits_is_reported_precisely() -> None:
    doc = base_instrument()
    doc["flags"][0]["when"] = {"flag": MARKER + " not an id"}
    doc["items"][0]["applies_when"] = {"age_months": {"below_months": 0}}
    problems = schema_problems("instrument", doc)
    assert [(p.pointer, p.code) for p in problems] == [
        ("/flags/0/when/flag", "schema.pattern"),
        ("/items/0/applies_when/age_months/below_months", "schema.range"),
    ]
    assert all(MARKER not in str(p) for p in problems)


def test_condition_that_fits_no_kind_is_reported_at_the_condition() -> None:
    doc = base_instrument()
    doc["flags"][0]["when"] = {"flag": "acute", "any": [{"flag": "acute"}]}
    doc["decision_table"][0]["when"] = {}
    problems = schema_problems("instrument", doc)
    assert [(p.pointer, p.code) for p in problems] == [
        ("/decision_table/0/when", "schema.union"),
        ("/flags/0/when", "schema.union"),
    ]


def test_binary_float_for_an_exact_decimal_is_explained() -> None:
    doc = base_instrument()
    doc["items"][0]["weight"] = 1.5
    [problem] = schema_problems("instrument", doc)
    assert (problem.pointer, problem.code) == ("/items/0/weight", "schema.type")
    assert "exact decimal" in problem.reason


def test_problems_for_a_non_object_document() -> None:
    problems = schema_problems("summary", [MARKER])
    assert [(p.pointer, p.code, p.reason) for p in problems] == [
        ("", "schema.type", "must be an object")
    ]
