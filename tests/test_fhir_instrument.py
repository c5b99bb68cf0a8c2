"""Third-party Questionnaires in: ``fhir instrument`` → bands added → ``fhir import`` → score.

The fixture ``fixtures/fhir/mood-check-9.questionnaire.json`` is a fictional PHQ-9-style form
written for these tests (own wording, not a clinical instrument): nine items scored 0–3 by
``itemWeight`` on the concepts of a contained CodeSystem, reached through a contained
ValueSet, and a total by ``calculatedExpression``. Its official bands (as a PHQ-9-style
author would publish them) are 0–4, 5–9, 10–14, 15–19 and 20–27. Responses are written as a
form renderer writes them; fhirpath.js evaluates the form's own expression on each, so the
official total is the renderer's, not kwg's.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check import (
    ArgumentError,
    DocumentError,
    InstrumentMismatchError,
    questionnaire_response_to_assessment,
    questionnaire_to_instrument,
    score_assessment,
)
from strategies import examples
from test_fhir_sdc import evaluate_each

FIXTURE = Path(__file__).parent / "fixtures" / "fhir" / "mood-check-9.questionnaire.json"
SYSTEM = "https://example.org/fictional/CodeSystem/mood-frequency"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
BANDS = [
    ("minimal", None),
    ("mild", 5),
    ("moderate", 10),
    ("moderately_severe", 15),
    ("severe", 20),
]
EDGES = {0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate"}
EDGES |= {15: "moderately_severe", 19: "moderately_severe", 20: "severe", 27: "severe"}


def questionnaire() -> dict[str, Any]:
    form: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return form


def with_bands(instrument: kwg_check.Instrument) -> kwg_check.Instrument:
    """What the author adds after the conversion: the form's published bands."""
    data: Any = kwg_check.dump_document(instrument)
    data["indices"][0]["bands"] = [
        {"id": band, "label": {"en": band.replace("_", " ")}}
        | ({} if at is None else {"at_least": str(at)})
        for band, at in BANDS
    ]
    return kwg_check.parse_instrument(data)


def scores_for(total: int) -> list[int]:
    """Nine item scores 0–3 that add up to ``total``."""
    scores: list[int] = []
    for _ in range(9):
        scores.append(min(3, total - sum(scores)))
    return scores


def rendered_response(scores: list[int]) -> dict[str, Any]:
    """A response as a form renderer saves it: meta, a dateTime, codings with display, the
    computed total, no identifier or subject identifier, and the unscored question answered."""
    displays = ["Not at all", "On a few days", "On more than half the days", "Almost every day"]
    answers = [
        {
            "linkId": f"/mood/Q{n}",
            "text": "...",
            "answer": [
                {
                    "valueCoding": {
                        "system": SYSTEM,
                        "code": f"MF-{score}",
                        "display": displays[score],
                    }
                }
            ],
        }
        for n, score in enumerate(scores, 1)
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "meta": {"profile": ["http://hl7.org/fhir/4.0/StructureDefinition/QuestionnaireResponse"]},
        "questionnaire": "https://example.org/fictional/Questionnaire/mood-check-9|2.1",
        "status": "completed",
        "authored": "2026-11-02T10:15:00+01:00",
        "subject": {"reference": "Patient/p-17"},
        "item": [
            {"linkId": "/mood", "text": "...", "item": answers},
            {"linkId": "/mood/TOTAL", "answer": [{"valueInteger": sum(scores)}]},
            {
                "linkId": "/difficulty",
                "answer": [
                    {
                        "valueCoding": {
                            "system": "https://example.org/fictional/CodeSystem/difficulty",
                            "code": "some",
                        }
                    }
                ],
            },
        ],
    }


def imported(response: dict[str, Any], instrument: kwg_check.Instrument) -> kwg_check.Assessment:
    return questionnaire_response_to_assessment(
        response,
        instrument,
        case_id="C-17",
        assessment_id="A-17",
        assessors=[("fk-1", "social_worker"), ("fk-2", None)],
        age_months=140,
    )


def test_the_converted_instrument_keeps_items_scores_and_verbatim_codes() -> None:
    converted = questionnaire_to_instrument(questionnaire())
    instrument = converted.instrument
    assert instrument.languages == ["en"]
    assert instrument.version == "2.1.0"
    scored = [item for item in instrument.items if item.kind == "risk"]
    assert [item.id for item in scored] == [f"mood_q{n}" for n in range(1, 10)]
    assert {item.scale for item in scored} == {"mood-frequency"}
    (scale,) = [s for s in instrument.scales if s.id == "mood-frequency"]
    assert [(lv.id, lv.points) for lv in scale.levels] == [
        (f"mf-{n}", Decimal(n)) for n in range(4)
    ]
    (context,) = [item for item in instrument.items if item.kind == "context"]
    assert context.id == "difficulty"
    (index,) = instrument.indices
    assert (index.id, index.aggregation, index.items) == (
        "mood_total",
        "sum",
        [i.id for i in scored],
    )
    assert index.label.get("en") == "Mood check total score"
    mapping = (instrument.extensions or {})["fhir"]
    assert mapping["items"]["mood_q3"] == "/mood/Q3"
    assert mapping["levels"]["mood-frequency"]["mf-2"] == {"code": "MF-2", "system": SYSTEM}
    assert mapping["indices"] == {"mood_total": "/mood/TOTAL"}
    assert [(w.pointer, w.code) for w in converted.warnings] == [("/item/3", "fhir.not-converted")]


def test_official_totals_and_bands_at_every_band_edge() -> None:
    """The done-when of issue 14: convert, add bands, import renderer responses, score."""
    instrument = with_bands(questionnaire_to_instrument(questionnaire()).instrument)
    form = questionnaire()
    (expression,) = [
        ext["valueExpression"]["expression"]
        for item in form["item"]
        for ext in item.get("extension", [])
        if ext["url"] == CALCULATED
    ]
    responses = {total: rendered_response(scores_for(total)) for total in EDGES}
    official = evaluate_each([(r, expression) for r in responses.values()], form)
    assert [[Decimal(str(v)) for v in value] for value in official] == [[t] for t in EDGES]
    for total, band in EDGES.items():
        response = responses[total]
        summary = score_assessment(imported(response, instrument), instrument)
        (index,) = summary.indices
        assert (index.value, index.band) == (Decimal(total), band), total


def test_the_imported_assessment_keeps_what_the_options_supply() -> None:
    instrument = questionnaire_to_instrument(questionnaire()).instrument
    assessment = imported(rendered_response(scores_for(12)), instrument)
    assert assessment.id == "A-17"
    assert assessment.subject.case_id == "C-17"
    assert assessment.subject.age_months == 140
    assert str(assessment.assessment_date) == "2026-11-02"
    assert [(a.id, a.role) for a in assessment.assessors] == [
        ("fk-1", "social_worker"),
        ("fk-2", kwg_check.UNSPECIFIED_ROLE),
    ]
    assert assessment.answers["mood_q1"].level == "mf-3"
    assert assessment.answers["difficulty"].level == "some"


def test_a_response_with_foreign_codes_or_items_is_refused_with_every_problem() -> None:
    instrument = questionnaire_to_instrument(questionnaire()).instrument
    response = rendered_response(scores_for(3))
    response["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] = "MF-9"
    response["item"][0]["item"][1]["answer"][0]["valueCoding"]["system"] = "urn:other"
    response["item"].append({"linkId": "/comment", "answer": [{"valueString": "x"}]})
    with pytest.raises(DocumentError) as raised:
        questionnaire_response_to_assessment(response, instrument, case_id="C-1")
    assert [(p.pointer, p.code) for p in raised.value.problems] == [
        ("/identifier", "fhir.missing"),
        ("/item/0/item/0/answer/0/valueCoding", "fhir.unknown-code"),
        ("/item/0/item/1/answer/0/valueCoding", "fhir.unknown-code"),
        ("/item/3/linkId", "fhir.unknown-item"),
        ("/subject", "fhir.missing"),
    ]


def test_a_response_to_another_questionnaire_is_a_mismatch() -> None:
    instrument = questionnaire_to_instrument(questionnaire()).instrument
    response = rendered_response(scores_for(3))
    response["questionnaire"] = "https://example.org/other|1"
    with pytest.raises(InstrumentMismatchError) as raised:
        imported(response, instrument)
    assert raised.value.problems[0].code == "fhir.foreign-questionnaire"


def option(code: str, score: int | None, on: str = "option") -> dict[str, Any]:
    coding: dict[str, Any] = {"system": "urn:s", "code": code, "display": code.lower()}
    scored = [] if score is None else [{"url": ORDINAL, "valueDecimal": score}]
    if on == "coding" and scored:
        coding["extension"] = scored
        return {"valueCoding": coding}
    return ({"extension": scored} if scored else {}) | {"valueCoding": coding}


def small(items: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    form = {"resourceType": "Questionnaire", "language": "de", "version": "1.0.0"}
    return form | {"copyright": "CC0-1.0", "item": items, **top}


def choice(link_id: str, options: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {"linkId": link_id, "text": link_id, "type": "choice", "answerOption": options, **more}


def test_scores_on_the_coding_an_unscored_option_and_enable_when_are_converted() -> None:
    gate = choice("Gate", [option("Y", None), option("N", None)])
    first = choice("A", [option("A0", 0, "coding"), option("A1", 2, "coding"), option("DK", None)])
    second = choice(
        "B",
        [option("B0", 0), option("B1", 1)],
        enableWhen=[
            {"question": "Gate", "operator": "=", "answerCoding": {"system": "urn:s", "code": "Y"}},
            {"question": "A", "operator": "!=", "answerCoding": {"code": "A0"}},
        ],
        enableBehavior="any",
    )
    converted = questionnaire_to_instrument(small([gate, first, second]))
    data: Any = kwg_check.dump_document(converted.instrument)
    scale_a = data["scales"][1]
    assert [lv["points"] for lv in scale_a["levels"]] == ["0", "2"]
    assert scale_a["unknown"]["id"] == "dk"
    assert data["items"][2]["applies_when"] == {
        "any": [
            {"answer_in": {"item": "gate", "levels": ["y"]}},
            {"not": {"answer_in": {"item": "a", "levels": ["a0"]}}},
        ]
    }
    assert converted.warnings == ()
    assert data["indices"][0]["id"] == "total"
    assert data["title"] == {"de": "Questionnaire"}


RECOGNISED = [
    "%resource.repeat(item).answer.value.weight().sum()",
    "%resource.item.answer.value.ordinal().sum()",
    "answers().sum(value.weight())",
    "%resource.answers().value.weight().sum()",
    "%a + %b",
    "(%resource.item.where(linkId='A').answer.value.weight()"
    " + %resource.item.where(linkId = 'B').answer.value.ordinal())",
]


@pytest.mark.parametrize("expression", RECOGNISED)
def test_recognised_calculated_expressions_become_the_sum_index(expression: str) -> None:
    variables = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/variable",
            "valueExpression": {
                "name": name,
                "language": "text/fhirpath",
                "expression": f"%resource.item.where(linkId='{link}').answer.value.weight()",
            },
        }
        for name, link in (("a", "A"), ("b", "B"))
    ]
    total = {
        "linkId": "Sum",
        "text": "Summe",
        "type": "decimal",
        "extension": [
            {
                "url": CALCULATED,
                "valueExpression": {"language": "text/fhirpath", "expression": expression},
            }
        ],
    }
    items = [choice("A", [option("0", 0), option("1", 1)]), choice("B", [option("0", 0)]), total]
    converted = questionnaire_to_instrument(small(items, extension=variables))
    assert converted.warnings == ()
    (index,) = converted.instrument.indices
    assert (index.id, index.items) == ("sum", ["a", "b"])


@pytest.mark.parametrize(
    "expression",
    ["%resource.item.answer.value.weight().max()", "%a * 2", "%unknown + %a", "iif(true, 1, 0)"],
)
def test_other_calculated_expressions_are_warned_about_never_dropped(expression: str) -> None:
    total = {
        "linkId": "Sum",
        "type": "decimal",
        "extension": [{"url": CALCULATED, "valueExpression": {"expression": expression}}],
    }
    converted = questionnaire_to_instrument(small([choice("A", [option("0", 0)]), total]))
    assert [(w.pointer, w.code) for w in converted.warnings] == [("/item/1", "fhir.not-converted")]
    assert [index.id for index in converted.instrument.indices] == ["total"]


def test_what_is_not_understood_is_listed_with_its_pointer() -> None:
    items = [
        choice("A", [option("0", 0), {"valueInteger": 1}, option("X", None), option("Y", None)]),
        choice(
            "B",
            [option("0", 0)],
            enableWhen=[{"question": "A", "operator": ">", "answerInteger": 1}],
        ),
        {"linkId": "D", "type": "date"},
        {"linkId": "S", "type": "choice", "answerValueSet": "http://loinc.org/vs/LL358-3"},
    ]
    converted = questionnaire_to_instrument(small(items))
    assert [w.pointer for w in converted.warnings] == [
        "/item/0/answerOption/1",
        "/item/0/answerOption/2",
        "/item/0/answerOption/3",
        "/item/1/enableWhen/0",
        "/item/2",
        "/item/3",
        "/item/3/answerValueSet",
    ]
    assert converted.instrument.items[1].applies_when is None


def test_refusals() -> None:
    with pytest.raises(DocumentError) as raised:
        questionnaire_to_instrument({"resourceType": "QuestionnaireResponse"})
    assert raised.value.problems[0].code == "fhir.resource-type"
    with pytest.raises(DocumentError) as raised:
        questionnaire_to_instrument(small([{"linkId": "T", "type": "string"}]))
    assert raised.value.problems[0].code == "fhir.nothing-to-convert"
    without_language = questionnaire()
    del without_language["language"]
    with pytest.raises(ArgumentError):
        questionnaire_to_instrument(without_language)
    assert questionnaire_to_instrument(without_language, language="en").instrument.languages == [
        "en"
    ]
    with pytest.raises(ArgumentError):  # no invented translations
        questionnaire_to_instrument(questionnaire(), language="de")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kwg_check", *args], input=stdin, capture_output=True, text=True
    )


def test_the_commands_round_trip(tmp_path: Path) -> None:
    """``fhir instrument`` → bands → ``fhir import`` with --assessor ID → ``score``."""
    made = run("fhir", "instrument", str(FIXTURE), "-o", str(tmp_path / "i.json"))
    assert made.returncode == 0, made.stderr
    assert (
        made.stderr
        == f"{FIXTURE}:/item/3: fhir.not-converted: items of type text are not converted\n"
    )
    instrument = with_bands(kwg_check.load_instrument(tmp_path / "i.json"))
    (tmp_path / "i.json").write_text(json.dumps(kwg_check.dump_document(instrument)))
    (tmp_path / "r.json").write_text(json.dumps(rendered_response(scores_for(15))))
    options = ["--case-id", "C-1", "--assessment-id", "A-1", "--age-months", "100"]
    done = run(
        "fhir", "import", str(tmp_path / "r.json"), "--instrument", str(tmp_path / "i.json"),
        *options, "--assessor", "fk-1", "--assessor", "team:fk-2:lead",
        "-o", str(tmp_path / "a.json"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assessment = kwg_check.load_assessment(tmp_path / "a.json")
    assert [(a.id, a.role) for a in assessment.assessors] == [
        ("fk-1", "unspecified"),
        ("team:fk-2", "lead"),
    ]
    scored = run(
        "score", str(tmp_path / "a.json"), "--instrument", str(tmp_path / "i.json"),
        "--format", "json",
    )  # fmt: skip
    summary = json.loads(scored.stdout)
    assert [(i["value"], i["band"]) for i in summary["indices"]] == [("15", "moderately_severe")]


def test_the_fixture_is_untouched_by_conversion() -> None:
    form = questionnaire()
    before = copy.deepcopy(form)
    questionnaire_to_instrument(form)
    assert form == before


LINK_IDS = st.text(alphabet="Qq1/._- Ä", min_size=1, max_size=6)
CODES = st.text(alphabet="Aa0-_ .", min_size=1, max_size=4)


@st.composite
def scored_forms(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], int]:
    """A scored Questionnaire with clashing-after-sanitising linkIds and codes, a response
    choosing one option per question, and the response's total score."""
    link_ids = draw(st.lists(LINK_IDS, min_size=1, max_size=5, unique=True))
    items, answers, total = [], [], 0
    for link_id in link_ids:
        codes = draw(st.lists(CODES, min_size=1, max_size=4, unique=True))
        scores = draw(st.lists(st.integers(0, 5), min_size=len(codes), max_size=len(codes)))
        items.append(choice(link_id, [option(c, s) for c, s in zip(codes, scores, strict=True)]))
        chosen = draw(st.integers(0, len(codes) - 1))
        total += scores[chosen]
        coding = {"system": "urn:s", "code": codes[chosen]}
        answers.append({"linkId": link_id, "answer": [{"valueCoding": coding}]})
    form = small(items, url="urn:form", version="1.0.0")
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "urn:form|1.0.0",
        "status": "completed",
        "authored": "2026-01-02",
        "item": answers,
    }
    return form, response, total


@settings(max_examples=examples(40), deadline=None)
@given(scored_forms())
def test_any_scored_form_converts_and_its_responses_score_their_total(
    case: tuple[dict[str, Any], dict[str, Any], int],
) -> None:
    """Sanitised ids never clash (``Q1``, ``q1``, ``/q1`` are three items), every linkId and
    code is kept verbatim, and kwg's total is the sum of the chosen options' scores."""
    form, response, total = case
    converted = questionnaire_to_instrument(form)
    assert converted.warnings == ()
    instrument = converted.instrument
    mapping = (instrument.extensions or {})["fhir"]
    assert sorted(mapping["items"].values()) == sorted(i["linkId"] for i in form["item"])
    summary = score_assessment(imported(response, instrument), instrument)
    assert [(index.id, index.value) for index in summary.indices] == [("total", Decimal(total))]


def test_the_command_reports_a_refused_questionnaire_as_file_pointer_code(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"resourceType": "Patient"}), encoding="utf-8")
    done = run("fhir", "instrument", str(path))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{path}:/resourceType: fhir.resource-type: must be Questionnaire\n"
