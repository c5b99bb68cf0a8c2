"""The public Python API: a small surface, layers that only look down, and the front door."""

from __future__ import annotations

import ast
import inspect
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kwg_check
from kwg_check._api import json_differences

PACKAGE = Path(kwg_check.__file__).resolve().parent

# Lower number = lower layer. A module may import its own layer and the layers below it.
LAYERS = {
    "_errors": 0,
    "_codes": 0,
    "_version": 0,
    "_io": 1,
    "_model": 2,
    "_documents": 3,
    "_schema": 3,
    "_engine": 4,
    "_registry": 5,
    "_lifecycle": 5,
    "_instrument_diff": 5,
    "_types": 5,
    "_vocabulary": 5,
    "_phrases": 5,
    "_batch": 6,
    "_check": 6,
    "_views": 6,
    "_api": 7,
    "cli": 8,
    "__main__": 9,
    "__init__": 9,
}


def layer_of(path: Path) -> tuple[str, int]:
    top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    return top, LAYERS[top]


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    depth = len(path.relative_to(PACKAGE).parts) - 1
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.level > depth:  # reaches the package root
                target = (node.module or "").split(".")[0]
                names.update([target] if target else [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kwg_check."):
            names.add((node.module or "").split(".")[1])
    return names


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_modules_import_only_their_own_layer_or_below(path: Path) -> None:
    own_name, own_layer = layer_of(path)
    for name in imported_layers(path):
        assert name in LAYERS, f"{own_name} imports unknown module {name}"
        assert LAYERS[name] <= own_layer, f"{own_name} (layer {own_layer}) imports {name}"


def test_every_public_name_exists_and_is_documented() -> None:
    for name in kwg_check.__all__:
        value = getattr(kwg_check, name)
        if inspect.isroutine(value) or inspect.isclass(value):
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"
    assert sorted(kwg_check.__all__) == sorted(set(kwg_check.__all__))


def test_one_exception_hierarchy() -> None:
    for name in (
        "ArgumentError",
        "WriteError",
        "LoadError",
        "DocumentError",
        "InstrumentMismatchError",
        "OverrideError",
        "NotFoundError",
        "ComparisonError",
    ):
        assert issubclass(getattr(kwg_check, name), kwg_check.KwgCheckError)


def example_bytes(name: str) -> bytes:
    return json.dumps(kwg_check.example_data(name)).encode()


def test_load_accepts_paths_and_bytes_alike(tmp_path: Path) -> None:
    data = kwg_check.example_data("kwg8a-no-need-preschool")
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from_yaml = kwg_check.load_assessment(path)
    from_bytes = kwg_check.load_assessment(example_bytes("kwg8a-no-need-preschool"))
    assert from_yaml == from_bytes
    assert kwg_check.document_fingerprint(from_yaml) == kwg_check.document_fingerprint(from_bytes)


def test_load_document_recognises_the_kind() -> None:
    document = kwg_check.load_document(example_bytes("kwg8a-no-need-preschool"))
    assert isinstance(document, kwg_check.Assessment)


def test_score_and_verify_round_trip() -> None:
    assessment = kwg_check.load_assessment(example_bytes("kwg8a-override-one-level-up"))
    summary = kwg_check.score_assessment(assessment)
    stored = kwg_check.parse_summary(
        json.loads(kwg_check.dump_json(kwg_check.dump_document(summary)))
    )
    assert kwg_check.verify_summary(stored, assessment) == []


def test_verify_lists_each_difference_by_pointer() -> None:
    assessment = kwg_check.load_assessment(example_bytes("kwg8a-override-one-level-up"))
    data = kwg_check.dump_document(kwg_check.score_assessment(assessment))
    outcome = data["outcome"]
    assert isinstance(outcome, dict)
    outcome["final"] = "acute"
    differences = kwg_check.verify_summary(kwg_check.parse_summary(data), assessment)
    assert [d.pointer for d in differences] == ["/outcome/final"]
    assert differences[0].stored == "acute"


def test_registry_adds_a_users_directory_and_rejects_duplicates(tmp_path: Path) -> None:
    instrument = kwg_check.InstrumentRegistry().get("sdm_risk")
    data = kwg_check.dump_document(instrument)
    data["id"] = "office_variant"
    (tmp_path / "variant.json").write_text(json.dumps(data), encoding="utf-8")
    registry = kwg_check.InstrumentRegistry([tmp_path])
    assert "office_variant" in {entry.id for entry in registry.entries()}
    assert registry.compiled("office_variant").id == "office_variant"

    # The same instrument twice (same fingerprint) is one instrument, known once.
    (tmp_path / "copy.json").write_text(json.dumps(data), encoding="utf-8")
    assert [e.id for e in kwg_check.InstrumentRegistry([tmp_path]).entries()].count(
        "office_variant"
    ) == 1
    # Another instrument with the same id and version is an error naming both files.
    data["title"] = {"de": "Abweichende Fassung", "en": "Diverging copy"}
    (tmp_path / "other.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(kwg_check.DocumentError) as raised:
        kwg_check.InstrumentRegistry([tmp_path])
    assert raised.value.code == "registry.duplicate"
    assert str(tmp_path / "copy.json") in raised.value.reason
    assert str(tmp_path / "other.json") in raised.value.reason
    assert "Diverging" not in raised.value.reason


@pytest.mark.parametrize(
    ("text", "error", "pointer", "code"),
    [
        ('{"id": "Frau ZZ", ', kwg_check.LoadError, "", "load.syntax"),
        ('{"document_type": "instrument", "id": ["Frau ZZ"]}', kwg_check.DocumentError, "/id",
         "schema.type"),
    ],
    ids=["syntax", "schema"],
)  # fmt: skip
def test_registry_directory_problems_name_the_file(
    tmp_path: Path, text: str, error: type[kwg_check.KwgCheckError], pointer: str, code: str
) -> None:
    """The file's path is the caller's own argument: every reason names it (the CLI puts it
    before the pointer); the pointer is the document's and nothing of the content shows."""
    path = tmp_path / "office.json"
    path.write_text(text, encoding="utf-8")
    for add in (
        lambda: kwg_check.InstrumentRegistry([tmp_path]),
        lambda: kwg_check.InstrumentRegistry(bundled=False).add_directory(tmp_path),
    ):
        with pytest.raises(error) as raised:
            add()
        assert all(p.reason.startswith(f"in {path}: ") for p in raised.value.problems)
        assert (pointer, code) in {(p.pointer, p.code) for p in raised.value.problems}
        assert "Frau" not in str(raised.value)
        assert raised.value.__cause__ is None


def test_an_unknown_reference_names_the_instruments_the_caller_gave() -> None:
    """Not "pass the instrument file" when one was passed: which ones, and that they do not
    match; a bundled instrument copied from another registry is not one the caller gave."""
    registry = kwg_check.InstrumentRegistry()
    with pytest.raises(kwg_check.NotFoundError) as raised:
        registry.get("office_variant", "1.0.0")
    assert "pass the instrument file" in raised.value.reason
    variant = kwg_check.dump_document(registry.get("sdm_risk"))
    variant["id"] = "office_variant"
    registry.add(kwg_check.parse_instrument(variant))
    registry.add(registry.get("kwg_8a"), "bundled:kwg_8a.yaml")
    with pytest.raises(kwg_check.NotFoundError) as raised:
        registry.get("other_office", "2.0.0")
    assert raised.value.reason == (
        "no instrument other_office version 2.0.0 is known: the "
        "given instrument(s) (office_variant 1.0.0) do not match the instrument reference "
        "other_office version 2.0.0"
    )


def test_registry_picks_the_highest_version_when_none_is_given() -> None:
    registry = kwg_check.InstrumentRegistry(bundled=False)
    instrument = kwg_check.InstrumentRegistry().get("sdm_risk")
    for version in ("1.2.0", "1.10.0", "1.10.0-rc.1"):
        registry.add(instrument.model_copy(update={"version": version}))
    assert registry.get("sdm_risk").version == "1.10.0"
    with pytest.raises(kwg_check.NotFoundError):
        registry.get("sdm_risk", "2.0.0")


def test_validate_document_returns_problems_instead_of_raising() -> None:
    assert kwg_check.validate_document(kwg_check.example_data("kwg8a-no-need-preschool")) == []
    problems = kwg_check.validate_document({"document_type": "assessment"})
    assert problems
    assert all(isinstance(p, kwg_check.Problem) for p in problems)


def test_example_names_are_unique_across_instruments_and_carry_their_family() -> None:
    names = [example.name for example in kwg_check.examples()]
    assert len(names) == len(set(names))
    prefixes = {"kwg_8a": "kwg8a-", "sdm_risk": "sdm-", "cans_needs": "cans-"}
    prefixes["spj_judgement"] = "spj-"
    for example in kwg_check.examples():
        assert example.name.startswith(prefixes[example.instrument])


# --- validate against the instrument, registry messages, verify (issue 12) ------------------


def test_validate_document_reports_an_unknown_instrument_instead_of_passing() -> None:
    data = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    assert isinstance(data, dict)
    data["instrument"] = {"id": "kwg8a", "version": "1.0.0"}
    problems = kwg_check.validate_document(data)
    assert [(p.pointer, p.code) for p in problems] == [
        ("/instrument", "registry.unknown-instrument")
    ]
    assert "did you mean kwg_8a?" in problems[0].reason
    assert kwg_check.validate_document(data, schema_only=True) == []


def test_validate_document_checks_against_the_instrument_given() -> None:
    instrument = kwg_check.InstrumentRegistry().get("kwg_8a")
    variant = instrument.model_copy(update={"id": "office_variant"})
    data = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    assert isinstance(data, dict)
    assert kwg_check.validate_document(data, instrument) == []
    assert kwg_check.validate_document(data, kwg_check.compile_instrument(instrument)) == []
    problems = kwg_check.validate_document(data, variant)
    assert [(p.pointer, p.code) for p in problems] == [("/instrument/id", "instrument.mismatch")]
    summary = kwg_check.dump_document(kwg_check.score_assessment(kwg_check.parse_assessment(data)))
    assert kwg_check.validate_document(summary, instrument) == []
    problems = kwg_check.validate_document(summary, variant)
    assert [p.code for p in problems] == ["instrument.mismatch", "instrument.fingerprint"]


def test_registry_of_a_missing_directory_names_the_directory() -> None:
    with pytest.raises(kwg_check.NotFoundError) as raised:
        kwg_check.InstrumentRegistry(["missing/"])
    assert raised.value.code == "registry.directory"
    assert "'missing/'" in raised.value.reason


def test_registry_adds_the_same_instrument_twice_as_one() -> None:
    """The bundled file passed explicitly is the bundled instrument, not a duplicate."""
    registry = kwg_check.InstrumentRegistry()
    before = registry.entries()
    registry.add(kwg_check.load_instrument(PACKAGE / "data" / "instruments" / "kwg_8a.yaml"))
    assert registry.entries() == before
    changed = registry.get("kwg_8a", "1.0.0").model_copy(update={"minimum_completeness": None})
    with pytest.raises(kwg_check.DocumentError) as raised:
        registry.add(changed, "office/kwg_8a.yaml")
    assert raised.value.code == "registry.duplicate"
    assert raised.value.reason.endswith("the bundled file kwg_8a.yaml and office/kwg_8a.yaml")


def test_registry_with_instrument_returns_a_new_registry_and_leaves_this_one() -> None:
    registry = kwg_check.InstrumentRegistry()
    before = registry.entries()
    shared = registry.compiled("sdm_risk")
    variant = registry.get("kwg_8a").model_copy(update={"id": "office_variant"})
    extended = registry.with_instrument(variant, "office/variant.yaml")
    assert registry.entries() == before
    with pytest.raises(kwg_check.NotFoundError):
        registry.get("office_variant")
    assert extended.get("office_variant") is variant
    assert extended.get("kwg_8a") is registry.get("kwg_8a")
    assert extended.compiled("sdm_risk") is shared  # compiled once, shared
    assert [e.origin for e in extended.entries() if e.id == "office_variant"] == [
        "office/variant.yaml"
    ]
    assert len(extended.entries()) == len(before) + 1


def test_registry_with_instrument_puts_the_given_one_in_place_of_its_namesake() -> None:
    registry = kwg_check.InstrumentRegistry()
    original = registry.get("kwg_8a")
    changed = original.model_copy(update={"minimum_completeness": None})
    compiled = kwg_check.compile_instrument(changed)
    extended = registry.with_instrument(compiled)
    assert extended.get("kwg_8a") is changed
    assert extended.compiled("kwg_8a") is compiled  # not compiled again
    assert registry.get("kwg_8a") is original
    assert registry.compiled("kwg_8a") is not compiled
    with pytest.raises(kwg_check.ArgumentError):
        registry.with_instrument("kwg_8a")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parse", "name", "reason"),
    [
        (
            kwg_check.parse_summary,
            "kwg8a-no-need-preschool",
            "expected a summary, got an assessment",
        ),
        (
            kwg_check.parse_instrument,
            "kwg8a-no-need-preschool",
            "expected an instrument, got an assessment",
        ),
    ],
)
def test_a_document_of_another_kind_is_one_problem(
    parse: Callable[[kwg_check.JsonValue], object], name: str, reason: str
) -> None:
    with pytest.raises(kwg_check.DocumentError) as raised:
        parse(kwg_check.example_data(name))
    assert [(p.pointer, p.code, p.reason) for p in raised.value.problems] == [
        ("/document_type", "document.wrong-type", reason)
    ]


def test_verify_reports_an_emptied_list_once_with_both_values() -> None:
    assessment = kwg_check.load_assessment(example_bytes("kwg8a-grey-zone-unknowns"))
    data = kwg_check.dump_document(kwg_check.score_assessment(assessment))
    unknowns = data["unknowns"]
    assert isinstance(unknowns, dict)
    clarify = unknowns["clarify_first"]
    assert isinstance(clarify, list)
    assert len(clarify) == 5
    unknowns["clarify_first"] = []
    differences = kwg_check.verify_summary(kwg_check.parse_summary(data), assessment)
    assert differences == [kwg_check.Difference("/unknowns/clarify_first", [], clarify)]


_keys = st.sampled_from(["a", "b", "a/b", "~"])
_leaves = st.booleans() | st.integers(-2, 2) | st.sampled_from(["", "1", "x"])
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=8,
)
"""JSON values as documents hold them (never null), small enough to collide often."""


def _at(value: kwg_check.JsonValue, pointer: str) -> kwg_check.JsonValue:
    """The value at a JSON pointer, or ``None`` where there is none."""
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


@given(stored=_values, recomputed=_values)
def test_differences_are_empty_iff_equal_and_show_the_real_values(
    stored: kwg_check.JsonValue, recomputed: kwg_check.JsonValue
) -> None:
    differences = json_differences(stored, recomputed)
    equal = json.dumps(stored, sort_keys=True) == json.dumps(recomputed, sort_keys=True)
    assert (differences == []) == equal
    assert len({d.pointer for d in differences}) == len(differences)
    for difference in differences:
        assert difference.stored == _at(stored, difference.pointer)
        assert difference.recomputed == _at(recomputed, difference.pointer)
        assert difference.stored is not None or difference.recomputed is not None
