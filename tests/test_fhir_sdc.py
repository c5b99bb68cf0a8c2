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
    score_document,
)
from kwg_check._views._fhir import (
    EXT_CALCULATED,
    EXT_ENABLE_WHEN_EXPRESSION,
    EXT_NOT_EXPRESSED,
    EXT_ORDINAL,
)
from test_fhir import example, instruments, walk
from tool_support import ROOT, require_node_package

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
    require_node_package("fhirpath")
    request = {
        "resource": pairs[0][0] if pairs else {},
        "questionnaire": questionnaire,
        "expressions": [
            {"expression": expression, "resource": resource} for resource, expression in pairs
        ],
    }
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


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_calculated_expression_gives_kwgs_index_value(name: str) -> None:
    questionnaire, response, summary = exported(name)
    calculated = {
        item["linkId"].removeprefix("kwg:index."): ext["valueExpression"]["expression"]
        for item in walk(questionnaire["item"])
        if (ext := extension(item, EXT_CALCULATED)) is not None
    }
    assert calculated, "no index is computed by the renderer"
    values = evaluate(response, list(calculated.values()), questionnaire)
    expected = {index["id"]: index.get("value") for index in summary["indices"]}
    for (index_id, _), value in zip(calculated.items(), values, strict=True):
        want = expected[index_id]
        got = [number(v) for v in value]
        assert got == ([] if want is None else [number(want)]), index_id


@pytest.mark.parametrize("name", EXAMPLES)
def test_weight_of_every_scored_single_item_is_kwgs_points(name: str) -> None:
    questionnaire, response, summary = exported(name)
    items = {item.id: item for item in example(name)[1].items}
    answered = [
        result
        for result in summary["items"]
        if "points" in result
        and items[result["id"]].response == "single"
        and not items[result["id"]].per_caregiver
    ]
    expressions = [
        f"%resource.repeat(item).where(linkId='{result['id']}').answer.value.weight()"
        for result in answered
    ]
    values = evaluate(response, expressions, questionnaire)
    for result, value in zip(answered, values, strict=True):
        assert [number(v) for v in value] == [number(result["points"])], result["id"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_enable_when_expressions_agree_with_kwgs_applicability(name: str) -> None:
    questionnaire, response, summary = exported(name)
    conditional = [
        (item["linkId"], ext["valueExpression"]["expression"])
        for item in walk(questionnaire["item"])
        if (ext := extension(item, EXT_ENABLE_WHEN_EXPRESSION)) is not None
    ]
    if not conditional:
        pytest.skip("no item of this instrument needs an enableWhenExpression")
    values = evaluate(response, [expression for _, expression in conditional], questionnaire)
    status = {result["id"]: result["status"] for result in summary["items"]}
    for (link_id, _), value in zip(conditional, values, strict=True):
        assert value == [status[link_id] != "not_applicable"], link_id


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
