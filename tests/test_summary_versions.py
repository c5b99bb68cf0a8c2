"""Summaries written by earlier releases keep verifying.

``tests/fixtures/summaries_v1`` holds summaries in the first summary format (schema
``…/v1/summary.schema.json``), written by the engine before the compact summary (issue 17),
each beside the assessment it was scored from. A later format must not strand them: the
library and ``kwg-check verify`` read and verify them as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import kwg_check
from kwg_check._model._summary_v1 import is_v1
from kwg_check.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "summaries_v1"
NAMES = sorted(path.name.removesuffix(".summary.json") for path in FIXTURES.glob("*.summary.json"))


def test_the_v1_fixtures_are_there() -> None:
    assert len(NAMES) >= 4
    assert all((FIXTURES / f"{name}.assessment.json").is_file() for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_v1_summary_verifies_through_the_api(name: str) -> None:
    summary = kwg_check.load_summary(FIXTURES / f"{name}.summary.json")
    assessment = kwg_check.load_assessment(FIXTURES / f"{name}.assessment.json")
    assert kwg_check.verify_summary(summary, assessment) == []


@pytest.mark.parametrize("name", NAMES)
def test_a_v1_summary_verifies_on_the_command_line(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = FIXTURES / f"{name}.summary.json"
    code = main(["verify", str(summary), str(FIXTURES / f"{name}.assessment.json")])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert "bestätigt" in err


def test_a_changed_v1_summary_does_not_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "kwg8a-override-one-level-up"
    text = (FIXTURES / f"{name}.summary.json").read_text(encoding="utf-8")
    tampered = tmp_path / "tampered.json"
    tampered.write_text(text.replace('"final": "latent"', '"final": "acute"', 1), "utf-8")
    assert tampered.read_text(encoding="utf-8") != text
    code = main(["verify", str(tampered), str(FIXTURES / f"{name}.assessment.json")])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "/outcome/final: verify.difference" in out


def test_a_member_added_later_is_compared_when_the_summary_has_it() -> None:
    """Leaving ``/unknowns/indices`` out is what a v1 summary does; holding a wrong one is
    still a difference."""
    name = "kwg8a-grey-zone-unknowns"
    assessment = kwg_check.load_assessment(FIXTURES / f"{name}.assessment.json")
    fresh = kwg_check.dump_document(kwg_check.score_assessment(assessment))
    unknowns = fresh["unknowns"]
    assert isinstance(unknowns, dict)
    ranges = unknowns["indices"]
    assert isinstance(ranges, list)
    assert ranges
    first = ranges[0]
    assert isinstance(first, dict)
    first["highest"] = "999"
    tampered = kwg_check.parse_summary(fresh)
    pointers = [d.pointer for d in kwg_check.verify_summary(tampered, assessment)]
    assert pointers == ["/unknowns/indices/0/highest"]


V1_SCHEMA = Path(__file__).parent.parent / "schemas" / "v1" / "summary.schema.json"


@pytest.mark.parametrize("name", NAMES)
def test_a_v1_summary_is_valid_under_the_frozen_v1_schema_only(name: str) -> None:
    """The major version went up because v1 summaries no longer validate (issue 17); the
    frozen v1 schema still describes them."""
    frozen = json.loads(V1_SCHEMA.read_text(encoding="utf-8"))
    assert frozen["$id"] == "https://schemas.kwg-check.de/v1/summary.schema.json"
    current = json.loads(kwg_check.schema_text("summary"))
    assert current["$id"] == "https://schemas.kwg-check.de/v2/summary.schema.json"
    data = json.loads((FIXTURES / f"{name}.summary.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(frozen).iter_errors(data)) == []
    assert list(jsonschema.Draft202012Validator(current).iter_errors(data)) != []


@pytest.mark.parametrize("name", NAMES)
def test_a_v1_summary_reads_as_the_v2_summary_scored_now(name: str) -> None:
    """Reading a v1 summary leaves out what v2 does not hold; the rest is the same summary
    the engine writes today (engine version aside), in v2's shape."""
    data = json.loads((FIXTURES / f"{name}.summary.json").read_text(encoding="utf-8"))
    assert is_v1(data)
    read = kwg_check.dump_document(kwg_check.load_summary(FIXTURES / f"{name}.summary.json"))
    assessment = kwg_check.load_assessment(FIXTURES / f"{name}.assessment.json")
    fresh = kwg_check.dump_document(kwg_check.score_assessment(assessment))
    assert not is_v1(fresh)
    fresh.pop("protection", None)  # added after v1: a v1 summary never has it
    unknowns = fresh["unknowns"]
    assert isinstance(unknowns, dict)
    unknowns.pop("indices", None)  # added after v1 (issue 13)
    assert {**read, "engine": None} == {**fresh, "engine": None}


def test_a_summary_written_before_protection_existed_still_verifies() -> None:
    """``protection`` came after the first format: a stored summary without it verifies, and
    a wrong one is a difference."""
    assessment = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    fresh = kwg_check.dump_document(kwg_check.score_assessment(assessment))
    assert isinstance(fresh, dict)
    protection = fresh.pop("protection")
    assert kwg_check.verify_summary(kwg_check.parse_summary(fresh), assessment) == []
    assert isinstance(protection, dict)
    protection["unanswered"] = []
    fresh["protection"] = protection
    pointers = [
        d.pointer for d in kwg_check.verify_summary(kwg_check.parse_summary(fresh), assessment)
    ]
    assert pointers
    assert all(p.startswith("/protection/unanswered") for p in pointers)


def test_reading_a_malformed_v1_summary_gives_document_errors_only() -> None:
    """The v1 reading passes values of an unexpected shape on for the model to report: an
    object where a trace step's kind should be drops that step (v2 reads decisions only),
    one where the final outcome should be is a problem with its pointer, never a crash."""
    data = json.loads((FIXTURES / "spj-high-risk.summary.json").read_text(encoding="utf-8"))
    data["trace"][0]["kind"] = {"not": "a kind"}
    data["outcome"]["final"] = {"not": "an outcome"}
    assert is_v1(data)
    with pytest.raises(kwg_check.DocumentError) as info:
        kwg_check.parse_summary(data)
    assert [p.pointer for p in info.value.problems] == ["/outcome/final"]
