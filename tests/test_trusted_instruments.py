"""The bundled instruments are built from their JSON twins without validation (issue 17).

``kwg-check validate`` of an assessment read its bundled instrument through the validating
parse, which built the Instrument's validator and serializer on every start. The twins are
written by ``tools/bundle_instruments.py`` only after that parse and the compile step
accepted the instrument, so the registry builds them with ``_model._trusted.construct``.
These tests prove the result the same as the validating parse's — the same model, field by
field, the same fields given, the same fingerprint, the same compiled result — and that
everything else is still validated.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import kwg_check
from kwg_check import _registry
from kwg_check._documents import (
    document_fingerprint,
    dump_document,
    parse_loaded,
    trusted_instrument,
)
from kwg_check._io import load_path
from kwg_check._model import Instrument
from kwg_check._model._trusted import dump
from tool_support import ROOT, load_tool

PACKAGE = Path(kwg_check.__file__).resolve().parent
BUNDLED = sorted((PACKAGE / "data" / "instruments").iterdir())
INSTRUMENTS = [p for p in BUNDLED if _registry.bundled_value(p)["document_type"] == "instrument"]  # type: ignore[call-overload,index]


def _same(built: object, parsed: object, path: str = "") -> None:
    """Equal values of the same types all the way down, and the same fields given in every
    model (``exclude_unset`` dumps read them; ``==`` does not compare them)."""
    assert type(built) is type(parsed), path
    if isinstance(parsed, BaseModel):
        assert isinstance(built, BaseModel)
        assert built.model_fields_set == parsed.model_fields_set, path
        assert built.__pydantic_extra__ == parsed.__pydantic_extra__, path
        for name in type(parsed).model_fields:
            _same(getattr(built, name), getattr(parsed, name), f"{path}/{name}")
    elif isinstance(parsed, list):
        assert isinstance(built, list)
        assert len(built) == len(parsed), path
        for position, (a, b) in enumerate(zip(built, parsed, strict=True)):
            _same(a, b, f"{path}/{position}")
    elif isinstance(parsed, dict):
        assert isinstance(built, dict)
        assert list(built) == list(parsed), path
        for key in parsed:
            _same(built[key], parsed[key], f"{path}/{key}")
    else:
        assert built == parsed, path


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda p: p.name)
def test_a_bundled_instrument_built_from_its_twin_equals_the_validating_parse(
    path: Path,
) -> None:
    value: Any = _registry.bundled_value(path)
    parsed = parse_loaded(Instrument, value)
    built = trusted_instrument(value)
    assert built == parsed
    _same(built, parsed)
    assert dump(Instrument, value) == dump_document(parsed)
    assert document_fingerprint(built) == document_fingerprint(parsed)
    assert dump_document(built) == dump_document(parsed)  # pydantic's own dump of it too


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda p: p.name)
def test_the_registry_reads_a_bundled_instrument_without_validating_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the bundled instrument was validated")

    monkeypatch.setattr(_registry, "parse_instrument_or_variant", refused)
    document = _registry.bundled_document(path)
    assert document == parse_loaded(Instrument, load_path(path))


def test_every_example_scores_the_same_with_the_instruments_validated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same compiled instrument, same summary bytes, for every bundled example."""
    built = kwg_check.InstrumentRegistry()
    monkeypatch.setattr(_registry, "trusted_instrument", lambda v: parse_loaded(Instrument, v))
    validated = kwg_check.InstrumentRegistry()
    for example in kwg_check.examples():
        data = kwg_check.example_data(example.name)
        assessment = kwg_check.parse_assessment(data)
        ref = assessment.instrument
        fast, slow = built.compiled(ref.id, ref.version), validated.compiled(ref.id, ref.version)
        assert fast.fingerprint == slow.fingerprint
        assert fast.instrument == slow.instrument
        summaries = [
            kwg_check.dump_document(kwg_check.score_assessment(assessment, compiled))
            for compiled in (fast, slow)
        ]
        assert summaries[0] == summaries[1], example.name


def test_an_edited_bundled_file_is_validated(tmp_path: Path) -> None:
    """A file whose twin was not made from its bytes is read itself and validated."""
    (tmp_path / "instruments").mkdir()
    (tmp_path / "parsed").mkdir()
    source = PACKAGE / "data" / "instruments" / "sdm_risk.yaml"
    copy = tmp_path / "instruments" / "sdm_risk.yaml"
    copy.write_bytes(source.read_bytes().replace(b'version: "1.0.0"', b"version: one", 1))
    twin = _registry.parsed_twin(source).read_text(encoding="utf-8")
    _registry.parsed_twin(copy).write_text(twin, encoding="utf-8")  # the old bytes' twin
    with pytest.raises(kwg_check.DocumentError) as raised:
        _registry.bundled_document(copy)
    assert [p.pointer for p in raised.value.problems] == ["/version"]


def test_user_instruments_are_still_validated(tmp_path: Path) -> None:
    value: Any = _registry.bundled_value(PACKAGE / "data" / "instruments" / "sdm_risk.yaml")
    value["version"] = "one"
    (tmp_path / "bad.json").write_text(kwg_check.dump_json(value), encoding="utf-8")
    with pytest.raises(kwg_check.DocumentError):
        kwg_check.InstrumentRegistry([tmp_path])
    with pytest.raises(kwg_check.DocumentError):
        kwg_check.parse_instrument(value)


def test_validate_builds_no_instrument_validator() -> None:
    """Checking an assessment against a bundled instrument builds the assessment's validator
    only: neither the instrument's nor the recursive conditions' (whole-process check)."""
    example = PACKAGE / "data" / "examples" / "kwg_8a" / "kwg8a-grey-zone-unknowns.json"
    code = (
        "from kwg_check.cli import main\n"
        f"assert main(['validate', {str(example)!r}]) == 0\n"
        "from kwg_check._model import Assessment, Instrument\n"
        "from kwg_check._model.conditions import All, Any_, Not\n"
        "print([m.__pydantic_complete__ for m in (Assessment, Instrument, All, Any_, Not)])\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert run.stdout.splitlines()[-1] == "[True, False, False, False, False]"


def test_a_problem_inside_a_nested_condition_points_at_its_field() -> None:
    """The recursive conditions are completed with the model holding them, so a problem's
    pointer follows their fields (they were completed at import before, issue 17)."""
    value: Any = _registry.bundled_value(PACKAGE / "data" / "instruments" / "cans_needs.yaml")
    value["flags"][0]["when"] = {"not": {"index": {"index": "x", "op": ">=", "value": 1.25}}}
    with pytest.raises(kwg_check.DocumentError) as raised:
        kwg_check.parse_instrument(value)
    assert [p.pointer for p in raised.value.problems] == ["/flags/0/when/not/index/value"]


def test_the_tool_writes_no_twin_for_an_instrument_that_does_not_compile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A twin vouches for its instrument: the tool refuses one the compile step refuses."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))  # the tool's own helper module
    tool = load_tool("bundle_instruments")
    value: Any = _registry.bundled_value(PACKAGE / "data" / "instruments" / "sdm_risk.yaml")
    assert tool._valid(value) is value
    value["items"][0]["scale"] = "no_such_scale"  # valid to the schema, refused by compile
    with pytest.raises(kwg_check.DocumentError):
        tool._valid(value)
