"""The SDC export checked by an independent FHIRPath engine (fhirpath.js, from npm).

A renderer scores a form with FHIRPath ``weight()`` on the answer options' ``ordinalValue``
and computes read-only items from their ``calculatedExpression``. These tests evaluate
exactly that with fhirpath.js on the exported response of every bundled example and compare
with kwg's own summary: if kwg and a renderer ever disagree on a number, a test fails.
"""

from __future__ import annotations

import functools
import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import kwg_check
from kwg_check import (
    assessment_to_questionnaire_response,
    instrument_to_questionnaire,
    score_assessment,
    score_document,
)
from kwg_check._io import load_path
from kwg_check._views._fhir import (
    EXT_CALCULATED,
    EXT_ENABLE_WHEN_EXPRESSION,
    EXT_NOT_EXPRESSED,
    EXT_ORDINAL,
)
from test_fhir import example, instruments, walk
from tool_support import ROOT, require_node_package

FIXTURES = Path(__file__).parent / "fixtures" / "documents"

SCRIPT = Path(__file__).parent / "js" / "fhirpath_eval.js"
EXAMPLES = [entry.name for entry in kwg_check.examples()]


def evaluate(
    resource: dict[str, Any], expressions: list[str], questionnaire: dict[str, Any] | None = None
) -> list[list[Any]]:
    """Each expression's result by fhirpath.js (R4 model, ``%questionnaire`` set)."""
    return evaluate_each([(resource, expression) for expression in expressions], questionnaire)


def evaluate_each(
    pairs: list[tuple[dict[str, Any], str]], questionnaire: dict[str, Any] | None = None
) -> list[list[Any]]:
    """Each (resource, expression)'s result by fhirpath.js, in one run of node."""
    return run_fhirpath(
        {
            "resource": pairs[0][0] if pairs else {},
            "questionnaire": questionnaire,
            "expressions": [
                {"expression": expression, "resource": resource} for resource, expression in pairs
            ],
        }
    )


def run_fhirpath(request: dict[str, Any]) -> list[list[Any]]:
    """The values of a request to tests/js/fhirpath_eval.js (one run of node), in order;
    an expression fhirpath.js cannot evaluate fails the test."""
    require_node_package("fhirpath")
    done = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    results = json.loads(done.stdout, parse_float=Decimal)
    errors = [result["error"] for result in results if "error" in result]
    assert not errors
    return [result["value"] for result in results]


def extension(item: dict[str, Any], url: str) -> dict[str, Any] | None:
    return next((ext for ext in item.get("extension", []) if ext["url"] == url), None)


def number(value: Any) -> Decimal:
    return Decimal(str(value)).normalize()


@functools.cache
def exported(name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Questionnaire, response and kwg's summary for a bundled example."""
    assessment, instrument = example(name)
    questionnaire = instrument_to_questionnaire(instrument, lang="en")
    response = assessment_to_questionnaire_response(assessment, instrument)
    return questionnaire, response, score_document(assessment, instrument)


def evaluate_examples(
    expressions: dict[str, list[str]],
) -> dict[str, list[list[Any]]]:
    """Each bundled example's expressions evaluated on its exported response (its own
    Questionnaire as ``%questionnaire``), all in one run of node: a run costs about a
    second, so one per example and test made up a large part of the suite's time."""
    names = list(expressions)
    request: dict[str, Any] = {
        "resource": {},
        "questionnaire": None,
        "questionnaires": [exported(name)[0] for name in names],
        "expressions": [
            {"expression": expression, "resource": exported(name)[1], "questionnaire": n}
            for n, name in enumerate(names)
            for expression in expressions[name]
        ],
    }
    values = iter(run_fhirpath(request))
    return {name: [next(values) for _ in expressions[name]] for name in names}


def _calculated(name: str) -> dict[str, str]:
    """Index id → the calculatedExpression of its read-only item in the example's export."""
    questionnaire = exported(name)[0]
    return {
        item["linkId"].removeprefix("kwg:index."): ext["valueExpression"]["expression"]
        for item in walk(questionnaire["item"])
        if (ext := extension(item, EXT_CALCULATED)) is not None
    }


def test_every_calculated_expression_gives_kwgs_index_value() -> None:
    calculated = {name: _calculated(name) for name in EXAMPLES}
    assert all(calculated.values()), "an export computes no index in the renderer"
    values = evaluate_examples({name: list(c.values()) for name, c in calculated.items()})
    for name in EXAMPLES:
        summary = exported(name)[2]
        expected = {index["id"]: index.get("value") for index in summary["indices"]}
        for index_id, value in zip(calculated[name], values[name], strict=True):
            want = expected[index_id]
            got = [number(v) for v in value]
            assert got == ([] if want is None else [number(want)]), (name, index_id)


def _answered(name: str) -> list[dict[str, Any]]:
    """The summary's scored results of single-answer items not rated per caregiver."""
    items = {item.id: item for item in example(name)[1].items}
    return [
        result
        for result in exported(name)[2]["items"]
        if "points" in result
        and items[result["id"]].response == "single"
        and not items[result["id"]].per_caregiver
    ]


def test_weight_of_every_scored_single_item_is_kwgs_points() -> None:
    answered = {name: _answered(name) for name in EXAMPLES}
    expressions = {
        name: [
            f"%resource.repeat(item).where(linkId='{result['id']}').answer.value.weight()"
            for result in results
        ]
        for name, results in answered.items()
    }
    values = evaluate_examples(expressions)
    for name, results in answered.items():
        for result, value in zip(results, values[name], strict=True):
            assert [number(v) for v in value] == [number(result["points"])], (name, result["id"])


CONDITIONS: dict[str, Any] = {
    "gated": {"answer_at_least": {"item": "nutrition", "level": "1"}},
    "not_gated": {"not": {"answer_in": {"item": "nutrition", "levels": ["2"]}}},
    "two_bands": {
        "any": [
            {"age_months": {"from_months": 0, "below_months": 12}},
            {"age_months": {"from_months": 60, "below_months": 120}},
        ]
    },
    "mixed": {
        "any": [
            {"answer_at_least": {"item": "nutrition", "level": "2"}},
            {"not": {"age_months": {"from_months": 24}}},
        ]
    },
}
"""Conditions ``enableWhen`` cannot hold: each needs an ``enableWhenExpression``."""


def conditional_instrument() -> kwg_check.Instrument:
    """The test instrument with one item per condition above (none of the bundled
    instruments needs an enableWhenExpression: their conditions are age bands)."""
    data = load_path(FIXTURES / "instrument_valid.json")
    for item_id, condition in CONDITIONS.items():
        data["items"].append(  # type: ignore[call-overload,index,union-attr]
            {
                "id": item_id,
                "domain": "care",
                "kind": "risk",
                "label": {"de": item_id, "en": item_id},
                "scale": "severity",
                "applies_when": condition,
            }
        )
    return kwg_check.parse_instrument(data)


def conditional_assessments() -> list[kwg_check.Assessment]:
    """Assessments on both sides of every condition: nutrition at each level, unknown and
    unanswered; ages inside and outside the bands."""
    base: Any = load_path(FIXTURES / "assessment_valid.json")
    found = []
    for nutrition in ("0", "1", "2", "unknown", None):
        for age in (6, 12, 30, 60, 119, 120):
            data = json.loads(json.dumps(base))
            data["subject"] = {"case_id": "C-1", "age_months": age}
            answers: dict[str, Any] = {"violence": {"level": "no"}}
            answers |= {item: {"level": "1"} for item in CONDITIONS}
            if nutrition is not None:
                answers["nutrition"] = {"level": nutrition}
            data["answers"] = answers
            found.append(kwg_check.parse_assessment(data))
    return found


def test_enable_when_expressions_agree_with_kwgs_applicability() -> None:
    """``answer_at_least``, ``not`` and an ``any`` of two-sided age bands become
    enableWhenExpressions; fhirpath.js enables exactly the items kwg finds applicable."""
    instrument = conditional_instrument()
    questionnaire: Any = instrument_to_questionnaire(instrument, lang="en")
    expressions = {
        item["linkId"]: ext["valueExpression"]["expression"]
        for item in walk(questionnaire["item"])
        if (ext := extension(item, EXT_ENABLE_WHEN_EXPRESSION)) is not None
    }
    assert sorted(expressions) == sorted(CONDITIONS)
    pairs, expected = [], []
    for assessment in conditional_assessments():
        response = assessment_to_questionnaire_response(assessment, instrument)
        status = {r.id: r.status for r in score_assessment(assessment, instrument).items}
        for link_id, expression in expressions.items():
            pairs.append((response, expression))
            expected.append([status[link_id] != "not_applicable"])
    assert {str(e) for e in expected} == {"[True]", "[False]"}
    assert evaluate_each(pairs, questionnaire) == expected


@pytest.mark.parametrize("instrument", instruments(), ids=lambda i: i.id)
def test_scores_sit_on_the_answer_option_where_renderers_read_them(instrument: Any) -> None:
    questionnaire: Any = instrument_to_questionnaire(instrument, lang="de")
    for item in walk(questionnaire["item"]):
        for option in item.get("answerOption", []):
            assert "display" in option["valueCoding"], item["linkId"]
            assert "extension" not in option["valueCoding"]
            scores = {
                ext["url"]: ext["valueDecimal"]
                for ext in option.get("extension", [])
                if "valueDecimal" in ext
            }
            assert len(set(scores.values())) <= 1
            assert not scores or EXT_ORDINAL in scores


def test_every_index_is_computed_or_marked_not_expressed() -> None:
    for instrument in instruments():
        questionnaire: Any = instrument_to_questionnaire(instrument, lang="en")
        indices = [
            item for item in walk(questionnaire["item"]) if item["linkId"].startswith("kwg:index.")
        ]
        assert [item["linkId"] for item in indices] == [
            f"kwg:index.{index.id}" for index in instrument.indices
        ]
        for item in indices:
            assert item["readOnly"] is True
            marks = {ext["url"] for ext in item["extension"]}
            assert len(marks & {EXT_CALCULATED, EXT_NOT_EXPRESSED}) == 1


# --------------------------------------------------------------------------------------------
# FHIR R4 invariants, by fhirpath.js (the fhir.resources models do not check them)
# --------------------------------------------------------------------------------------------

QUESTIONNAIRE_ITEM_INVARIANTS = {
    # the published que-1 wraps type and item in trace(), which only logs: left out here
    "que-1": "(type='group' implies item.empty().not()) and (type='display' implies item.empty())",
    "que-3": "type!='display' or code.empty()",
    "que-4": "answerOption.empty() or answerValueSet.empty()",
    "que-5": "(type ='choice' or type = 'open-choice' or type = 'decimal' or type = 'integer' or "
    "type = 'date' or type = 'dateTime' or type = 'time' or type = 'string' or "
    "type = 'quantity') or (answerValueSet.empty() and answerOption.empty())",
    "que-6": "type!='display' or (required.empty() and repeats.empty())",
    "que-8": "(type!='group' and type!='display') or initial.empty()",
    "que-9": "type!='display' or readOnly.empty()",
    "que-10": "(type in ('boolean' | 'decimal' | 'integer' | 'string' | 'text' | 'url' | "
    "'open-choice')) or maxLength.empty()",
    "que-11": "answerOption.empty() or initial.empty()",
    # R4 publishes "count() > 2" for "more than one enableWhen"; R4B corrected it to > 1,
    # and the HL7 validator checks >= 2: the stricter, intended rule is checked.
    "que-12": "enableWhen.count() > 1 implies enableBehavior.exists()",
    "que-13": "repeats=true or initial.count() <= 1",
}
"""Questionnaire.item constraints of FHIR R4 (4.0.1), as published in its StructureDefinition."""
QUESTIONNAIRE_INVARIANTS = {
    "que-0": "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')",
    "que-2": "descendants().linkId.isDistinct()",
    "que-7": "repeat(item).enableWhen.all(operator = 'exists' implies (answer is boolean))",
    **{
        key: f"repeat(item).all({expression})"
        for key, expression in QUESTIONNAIRE_ITEM_INVARIANTS.items()
    },
}
"""Every que-* constraint, evaluated on the Questionnaire (que-7 sits on enableWhen)."""
RESPONSE_INVARIANTS = {
    "qrs-1": "repeat(answer | item).all((answer.exists() and item.exists()).not())",
    "qrs-2": "(%resource | repeat(answer | item)).all(repeat(answer|item).select(item.where("
    "answer.value.exists()).linkId.isDistinct()).allTrue() and "
    "item.where(answer.value.exists()).linkId.isDistinct())",
}
"""The QuestionnaireResponse.item constraints qrs-1 and qrs-2 on every item at any depth;
qrs-2 also on the response itself (so on the top-level items too, which is stricter)."""


def broken_invariants(
    resource: dict[str, Any], invariants: dict[str, str]
) -> list[tuple[str, list[Any]]]:
    """The invariants fhirpath.js does not find true on the resource."""
    values = evaluate(resource, list(invariants.values()))
    return [(key, value) for key, value in zip(invariants, values, strict=True) if value != [True]]


@pytest.mark.parametrize("instrument", instruments(), ids=lambda i: i.id)
def test_exported_questionnaires_keep_the_fhir_invariants(instrument: Any) -> None:
    questionnaire = instrument_to_questionnaire(instrument, lang="de")
    assert broken_invariants(questionnaire, QUESTIONNAIRE_INVARIANTS) == []


def test_exported_responses_keep_the_fhir_invariants() -> None:
    pairs = [
        (exported(name)[1], expression)
        for name in EXAMPLES
        for expression in RESPONSE_INVARIANTS.values()
    ]
    assert {str(value) for value in evaluate_each(pairs)} == {"[True]"}


def test_the_invariant_checks_find_broken_resources() -> None:
    """The checks are not vacuous: each catches the fault it is about."""
    questionnaire: Any = instrument_to_questionnaire(instruments()[0], lang="en")
    broken = json.loads(json.dumps(questionnaire))
    first = broken["item"][1]
    first["item"].append(dict(first["item"][0]))  # que-2: a linkId twice
    broken["item"].append({"linkId": "empty", "type": "group"})  # que-1
    question = first["item"][0]
    question["enableWhen"] = [
        {"question": "kwg:subject.age_months", "operator": ">", "answerInteger": n} for n in (1, 2)
    ]  # que-12
    question["answerValueSet"] = "#x"  # que-4
    broken["name"] = "lower"  # que-0
    assert sorted(key for key, _ in broken_invariants(broken, QUESTIONNAIRE_INVARIANTS)) == [
        "que-0",
        "que-1",
        "que-12",
        "que-2",
        "que-4",
    ]
    response: Any = json.loads(json.dumps(exported(EXAMPLES[0])[1]))
    group = response["item"][1]
    group["answer"] = [{"valueString": "x"}]  # qrs-1
    group["item"].append(dict(group["item"][0]))  # qrs-2
    assert [key for key, _ in broken_invariants(response, RESPONSE_INVARIANTS)] == [
        "qrs-1",
        "qrs-2",
    ]
