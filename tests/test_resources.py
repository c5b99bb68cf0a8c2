"""Resources tied to the concerns they answer, the family's goals, the consensus's ``resolves``,
the process check ``concerns_answered``, and the report's network map and planning table."""

from __future__ import annotations

import copy
import json
import math
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check import ArgumentError, DocumentError
from kwg_check._model import Assessment, Summary
from strategies import examples

GREY = "kwg8a-grey-zone-unknowns"
FOLLOW_UP = "kwg8a-grey-zone-follow-up"
CONSENSUS = "kwg8a-consult-consensus"
RATERS = ("kwg8a-consult-rater-fk05", "kwg8a-consult-rater-fk17")
SECRET = "GEHEIM-Frau-Muster-7781"


def data_of(name: str) -> Any:
    return copy.deepcopy(kwg_check.example_data(name))


def assessment_of(name: str) -> Assessment:
    return kwg_check.parse_assessment(kwg_check.example_data(name))


def kwg8a_with_check(**requirement: Any) -> kwg_check.Instrument:
    """The bundled kwg_8a with its concerns_answered check (``protection_plan``, the sixth)
    given another requirement: a test instrument."""
    data: Any = kwg_check.dump_document(
        kwg_check.resolve_instrument(assessment_of(GREY)).instrument
    )
    (check,) = (c for c in data["process_checks"] if c["id"] == "protection_plan")
    assert data["process_checks"].index(check) == 5
    check["requirement"] = {"check": "concerns_answered", **requirement}
    return kwg_check.parse_instrument(data)


def check_result(summary: Summary) -> tuple[str, str, dict[str, Any]]:
    check = next(c for c in summary.process_checks if c.id == "protection_plan")
    return check.result, check.reason.code, dict(check.reason.params)


# --- old documents stay valid ------------------------------------------------------------


def test_an_assessment_without_the_new_fields_scores_and_lists_its_concerns() -> None:
    data = data_of(GREY)
    for resource in data["resources"]:
        for key in ("kind", "sector", "closeness", "wanted", "planned", "addresses"):
            resource.pop(key, None)
    data["family_view"].pop("goals")
    summary = kwg_check.score_assessment(kwg_check.parse_assessment(data))
    assert summary.protection is not None
    assert [c.domain for c in summary.protection.concerns] == summary.protection.unanswered
    assert all(not c.resources and not c.planned for c in summary.protection.concerns)


def test_a_summary_written_before_protection_existed_stays_valid() -> None:
    document: Any = kwg_check.score_document(assessment_of(GREY))
    del document["protection"]
    assert kwg_check.validate_document(document) == []
    assert kwg_check.parse_summary(document).protection is None


# --- the model ---------------------------------------------------------------------------


def test_a_consensus_cannot_resolve_itself_or_name_an_assessment_twice() -> None:
    data = data_of(CONSENSUS)
    data["resolves"] = [data["id"], "GE-X-1", "GE-X-1"]
    with pytest.raises(DocumentError) as caught:
        kwg_check.parse_assessment(data)
    found = {(p.pointer, p.code) for p in caught.value.problems}
    assert found == {
        ("/resolves/0", "assessment.resolves-itself"),
        ("/resolves/2", "assessment.duplicate-resolved"),
    }


def test_an_addressed_id_must_be_an_item_or_domain_and_the_goal_is_never_echoed() -> None:
    data = data_of(FOLLOW_UP)
    data["resources"][1]["addresses"] = ["supervision", "no_such_item"]
    data["family_view"]["goals"][0] = {"goal": SECRET, "addresses": [SECRET.lower()]}
    with pytest.raises(DocumentError) as caught:
        kwg_check.score_assessment(kwg_check.parse_assessment(data))
    found = {(p.pointer, p.code) for p in caught.value.problems}
    assert found == {
        ("/resources/1/addresses/1", "assessment.unknown-concern"),
        ("/family_view/goals/0/addresses/0", "assessment.unknown-concern"),
    }
    assert SECRET.lower() not in str(caught.value)
    assert SECRET not in str(caught.value)


def test_the_schema_carries_the_new_fields() -> None:
    schema: Any = json.loads(kwg_check.schema_text("assessment"))
    defs = schema["$defs"]
    resource = defs["Resource"]["properties"]
    assert {"kind", "sector", "closeness", "wanted", "planned", "addresses"} <= set(resource)
    assert "goals" in defs["FamilyView"]["properties"]
    assert "resolves" in schema["properties"]
    assert kwg_check.validate_document(kwg_check.example_data(CONSENSUS)) == []
    wrong = data_of(CONSENSUS)
    wrong["resources"][1]["sector"] = "church"
    assert kwg_check.validate_document(wrong, schema_only=True) != []


# --- the summary -------------------------------------------------------------------------


def test_the_grey_zone_summary_ties_resources_and_goals_to_concerns() -> None:
    summary = kwg_check.score_assessment(assessment_of(GREY))
    assert summary.protection is not None
    concerns = {c.domain: c for c in summary.protection.concerns}
    assert list(concerns) == [
        "basic_care",
        "development",
        "appearance",
        "parenting",
        "risk_factors",
    ]
    # the neighbour (nutrition) and the after-school care (supervision, development)
    assert concerns["basic_care"].resources == [2, 4]
    assert concerns["basic_care"].goals == [0]
    # the grandmother addresses social isolation but is not available: neither listed
    assert concerns["risk_factors"].resources == [0]
    assert concerns["risk_factors"].planned == [5]  # debt counselling, planned
    assert summary.protection.unanswered == ["appearance", "parenting"]


@given(st.data())
@settings(max_examples=examples(25))
def test_unanswered_is_exactly_the_concerns_without_an_available_answer(data: Any) -> None:
    base = data_of(FOLLOW_UP)
    domains = ["basic_care", "development", "appearance", "parenting", "risk_factors"]
    for resource in base["resources"]:
        resource["addresses"] = data.draw(st.lists(st.sampled_from(domains), unique=True))
        resource["available"] = data.draw(st.booleans())
        resource["planned"] = data.draw(st.booleans())
    assessment = kwg_check.parse_assessment(base)
    summary = kwg_check.score_assessment(assessment, kwg8a_with_check())
    assert summary.protection is not None
    for concern in summary.protection.concerns:
        answering = [
            pos for pos, r in enumerate(assessment.resources) if concern.domain in r.addresses
        ]
        resources = assessment.resources
        assert concern.resources == [p for p in answering if resources[p].available]
        assert concern.planned == [
            p for p in answering if resources[p].planned and not resources[p].available
        ]
    unanswered = [c.domain for c in summary.protection.concerns if not c.resources]
    assert summary.protection.unanswered == unanswered
    result = check_result(summary)[0]
    open_ = [c for c in summary.protection.concerns if not c.resources and not c.planned]
    assert result == ("fail" if open_ else "pass")


# --- the process check -------------------------------------------------------------------


def test_the_check_fails_at_latent_endangerment_and_names_the_open_concerns() -> None:
    summary = kwg_check.score_assessment(
        assessment_of(GREY), kwg8a_with_check(from_outcome="latent")
    )
    assert summary.outcome.final == "latent"
    assert check_result(summary) == (
        "fail",
        "concerns_open",
        {"domains": ["appearance", "parenting"]},
    )
    assert summary.protection is not None
    assert [c.domain for c in summary.protection.concerns] == [
        "basic_care",
        "development",
        "appearance",
        "parenting",
        "risk_factors",
    ]


def test_planned_help_answers_a_concern_for_the_check() -> None:
    data = data_of(GREY)
    data["resources"][5]["addresses"] += ["appearance", "parenting"]  # planned, not available
    summary = kwg_check.score_assessment(
        kwg_check.parse_assessment(data), kwg8a_with_check(from_outcome="latent")
    )
    assert check_result(summary) == ("pass", "concerns_answered", {"n": 5})
    assert summary.protection is not None
    assert summary.protection.unanswered == ["appearance", "parenting"]  # not answered *yet*


def test_the_check_does_not_apply_below_its_outcome() -> None:
    summary = kwg_check.score_assessment(
        assessment_of(GREY), kwg8a_with_check(from_outcome="acute")
    )
    assert check_result(summary) == (
        "not_applicable",
        "concerns_below_outcome",
        {"outcome": "acute"},
    )


def test_the_check_passes_when_the_follow_up_answers_every_concern() -> None:
    summary = kwg_check.score_assessment(assessment_of(FOLLOW_UP), kwg8a_with_check())
    assert check_result(summary) == ("pass", "concerns_answered", {"n": 5})


def test_the_checks_outcome_must_exist() -> None:
    with pytest.raises(DocumentError) as caught:
        kwg_check.compile_instrument(kwg8a_with_check(from_outcome="no_such_outcome"))
    assert [(p.pointer, p.code) for p in caught.value.problems] == [
        ("/process_checks/5/requirement/from_outcome", "ref.unknown-outcome")
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_check_reads_as_a_sentence_in_both_languages(lang: str) -> None:
    instrument = kwg8a_with_check(from_outcome="latent")
    text = kwg_check.render_report(assessment_of(GREY), instrument, lang=lang, format="md")  # type: ignore[arg-type]
    expected = {
        "de": "Sorgen ohne Ressource oder geplante Hilfe, die ihnen begegnet: Erscheinungsbild",
        "en": "concerns without an answering resource or planned help: The child's appearance",
    }[lang]
    assert expected in text
    sheet = kwg_check.describe_instrument(instrument, lang=lang)  # type: ignore[arg-type]
    assert {"de": "ab dem Ergebnis", "en": "from the outcome"}[lang] in sheet


# --- the report --------------------------------------------------------------------------


class _Svg(HTMLParser):
    """The network figure's elements with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figure" and dict(attrs).get("id") == "network-map":
            self.inside = True
        if self.inside:
            self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.inside = False


WORDS = {
    "de": ("Netzwerkkarte", "Schutzplanung", "Sorge", "Ziel der Familie", "Professionelle Hilfen"),
    "en": (
        "Network map",
        "Protection planning",
        "Concern",
        "The family's goal",
        "Professional helpers",
    ),
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_grey_zone_report_draws_the_network_map(lang: str) -> None:
    assessment = assessment_of(GREY)
    document = kwg_check.render_report(assessment, lang=lang)  # type: ignore[arg-type]
    parser = _Svg()
    parser.feed(document)
    elements = parser.elements
    assert [tag for tag, _ in elements[:2]] == ["figure", "svg"]
    nodes = [a for tag, a in elements if tag == "g" and a.get("class") == "resource"]
    placed = [(n, r) for n, r in enumerate(assessment.resources, 1) if r.sector is not None]
    assert [(a["data-number"], a["data-sector"], a["data-available"]) for a in nodes] == [
        (str(n), r.sector, str(r.available).lower()) for n, r in placed
    ]
    ties = [a for tag, a in elements if tag == "line" and "tie" in (a.get("class") or "")]
    dashed = [a for a in ties if a.get("stroke-dasharray")]
    assert len(ties) == len(placed)
    assert {a["class"] for a in dashed} == {"tie not-available"}
    assert len(dashed) == sum(not r.available for _, r in placed)
    sectors = [
        a["data-sector"] for tag, a in elements if tag == "text" and a.get("class") == "sector"
    ]
    assert sectors == ["family", "friends_and_neighbours", "school_or_work", "professional_helpers"]
    title, *_, helpers = WORDS[lang]
    assert helpers in document
    assert title in document
    # closeness: the distant grandmother lies further out than the close after-school care
    circles = [a for tag, a in elements if tag == "circle" and a.get("r") == "11"]
    far = [math.hypot(float(str(a["cx"])) - 360, float(str(a["cy"])) - 262) for a in circles]
    numbers = [n for n, _ in placed]
    assert far[numbers.index(2)] > far[numbers.index(5)]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("format", ["html", "md"])
def test_the_grey_zone_report_has_the_planning_table(lang: str, format: str) -> None:
    document = kwg_check.render_report(assessment_of(GREY), lang=lang, format=format)  # type: ignore[arg-type]
    _, planning, concern, goal, _ = WORDS[lang]
    assert planning in document
    if format == "html":
        table = re.search(r'<table class="planning">(.*?)</table>', document, re.S)
        assert table is not None
        header = re.findall(r"<th scope=\"col\">(.*?)</th>", table.group(1))
        assert header[0] == concern
        assert header[2] == goal.replace("'", "&#x27;")
        rows = re.findall(r"<tr><td>(.*?)</tr>", table.group(1), re.S)
        assert len(rows) == 5
        assert "Schuldner- und Mietberatung" in rows[4]
        assert "Ich will im Hort bleiben." in rows[0]
    else:
        lines = document.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(f"| {concern} |"))
        assert len([line for line in lines[start + 2 : start + 8] if line.startswith("|")]) == 5
    other = "Sorge" if lang == "en" else "Concern |"
    assert other not in document


def test_the_consensus_report_shows_where_it_departed_from_the_ratings() -> None:
    raters = [assessment_of(name) for name in RATERS]
    document = kwg_check.render_report(
        assessment_of(CONSENSUS), lang="en", format="md", resolved=raters
    )
    section = document.split("## Consensus", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Item | Consensus | GE-2026-0112-FK05 | GE-2026-0112-FK17 |"
    assert [row.split(" | ")[0] for row in rows[2:]] == [
        "| Supervision",
        "| Emotional signs",
        "| Missing daily structure and rules",
        "| Help acceptance",
    ]
    assert rows[4] == "| Missing daily structure and rules | marked | marked | severe |"
    without = kwg_check.render_report(assessment_of(CONSENSUS), lang="de", format="md")
    assert "Dem Bericht nicht beigefügt: GE-2026-0112-FK05, GE-2026-0112-FK17." in without


def test_a_report_refuses_a_rating_the_consensus_does_not_resolve() -> None:
    with pytest.raises(ArgumentError) as caught:
        kwg_check.render_report(assessment_of(CONSENSUS), resolved=[assessment_of(GREY)])
    assert caught.value.problems[0].code == "argument.not-resolved"


def test_the_cli_report_takes_the_resolved_ratings(tmp_path: Any, capsys: Any) -> None:
    from kwg_check.cli import main

    paths = []
    for name in (CONSENSUS, *RATERS):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(kwg_check.example_data(name)), encoding="utf-8")
        paths.append(str(path))
    code = main(
        [
            "report",
            paths[0],
            "--resolved",
            paths[1],
            "--resolved",
            paths[2],
            "--format",
            "md",
            "--lang",
            "en",
        ]
    )
    assert code == 0
    assert "| Item | Consensus | GE-2026-0112-FK05 | GE-2026-0112-FK17 |" in capsys.readouterr().out
