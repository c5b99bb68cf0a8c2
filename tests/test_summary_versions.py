"""Summaries written by earlier releases keep verifying.

``tests/fixtures/summaries_v1`` holds summaries in the first summary format (schema
``…/v1/summary.schema.json``), written by the engine before the compact summary (issue 17),
each beside the assessment it was scored from. A later format must not strand them: the
library and ``kwg-check verify`` read and verify them as they are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kwg_check
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
