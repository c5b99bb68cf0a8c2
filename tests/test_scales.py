"""Scales as real forms have them (issue 13 items 5 and 6): bipolar scales counted as
strengths and as concerns, item anchors per level and age group, items without points, an
instrument-wide unknown policy, external item codes, and the arithmetic index kinds
(prorated, scaled, rounded, difference), each on a fictional but faithful form."""

from __future__ import annotations

import copy
import functools
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from hypothesis import given, settings

from kwg_check import assessment_to_questionnaire_response, instrument_to_questionnaire
from kwg_check._engine import CompiledInstrument, compile_instrument, score
from kwg_check._engine._compile import index_polarities
from kwg_check._engine._lint import index_values
from kwg_check._errors import DocumentError
from kwg_check._io import load_path
from kwg_check._model import Assessment, Instrument
from kwg_check._model.summary import Summary
from kwg_check._types import Lang
from kwg_check._views._describe import describe_instrument
from kwg_check._views._fhir import EXT_CALCULATED, questionnaire
from kwg_check._vocabulary import render_message
from strategies import examples, form_answers
from test_fhir import walk
from test_fhir_sdc import evaluate, extension, number
from test_range import brute_force
from test_trace import rebuild

FORMS = Path(__file__).parent / "fixtures" / "forms"


def _data(name: str) -> dict[str, Any]:
    data = load_path(FORMS / f"{name}.yaml")
    assert isinstance(data, dict)
    return data


@functools.cache
def _compiled(name: str) -> CompiledInstrument:
    return compile_instrument(Instrument.model_validate(_data(name)))


def summary_assessment(c: CompiledInstrument, age: int = 60) -> dict[str, Any]:
    """An assessment document for the form, without answers."""
    return {
        "document_type": "assessment",
        "id": "as-0001",
        "instrument": {"id": c.id, "version": c.version},
        "subject": {"case_id": "case-0001", "age_months": age},
        "assessment_date": "2026-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
    }


def _score(name: str | CompiledInstrument, answers: dict[str, Any], age: int = 60) -> Summary:
    c = _compiled(name) if isinstance(name, str) else name
    return score(c, Assessment.model_validate({**summary_assessment(c, age), "answers": answers}))


def _values(summary: Summary) -> dict[str, Decimal | None]:
    return {index.id: index.value for index in summary.indices}


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DocumentError) as caught:
        compile_instrument(Instrument.model_validate(data))
    return [(p.pointer, p.code) for p in caught.value.problems]


FAMILY = {
    "housing": {"level": "shelter"},
    "housing_stability": {"level": "clear_strength"},
    "income": {"level": "mild_problem"},
    "supervision": {"level": "mild_strength"},
    "discipline": {"level": "baseline"},
    "communication": {"level": "moderate_problem"},
    "mutual_support": {"level": "unknown"},
    "physical_safety": {"level": "mild_strength"},
}


# --- bipolar scales ------------------------------------------------------------------------


def test_one_bipolar_item_counts_as_strength_or_concern_by_its_level() -> None:
    summary = _score("family_functioning", FAMILY)
    values = _values(summary)
    # strengths: housing_stability, supervision, physical_safety; concerns: income, communication
    assert values["strengths"] == 3
    assert values["problems"] == 2
    assert values["balance"] == 1
    poles = {item.id: item.pole for item in summary.items}
    assert poles["housing_stability"] == "strength"
    assert poles["discipline"] == "neutral"
    assert poles["income"] == "concern"
    assert poles["mutual_support"] is None  # unknown: no level, no pole


def test_a_bipolar_item_is_concerning_from_its_first_concern_level() -> None:
    summary = _score("family_functioning", FAMILY)
    concerning = {item.id for item in summary.items if item.concerning}
    assert concerning == {"income", "communication"}


def test_poles_that_are_partial_or_out_of_order_are_refused() -> None:
    data = _data("family_functioning")
    partial = copy.deepcopy(data)
    del partial["scales"][0]["levels"][2]["pole"]
    assert ("/scales/0/levels", "scale.poles") in _problems(partial)
    swapped = copy.deepcopy(data)
    levels = swapped["scales"][0]["levels"]
    levels[0]["pole"], levels[5]["pole"] = "concern", "strength"
    assert ("/scales/0/levels", "scale.poles") in _problems(swapped)


def test_counting_poles_needs_a_bipolar_scale() -> None:
    data = _data("child_protection_sheet")
    for level in data["scales"][0]["levels"]:
        del level["pole"]
    assert ("/indices/1/items/0", "index.poles") in _problems(data)


# --- items without points, default unknown policy ------------------------------------------


def test_an_item_on_a_scale_without_points_is_recorded_never_summed() -> None:
    summary = _score("family_functioning", FAMILY)
    housing = next(item for item in summary.items if item.id == "housing")
    assert housing.level == "shelter"
    assert housing.points is None


def test_a_scale_with_points_on_some_levels_only_is_refused() -> None:
    data = _data("family_functioning")
    data["scales"][1]["levels"][0]["points"] = 1
    assert ("/scales/1/levels", "scale.points-partial") in _problems(data)


def test_summing_an_item_without_points_is_refused() -> None:
    data = _data("family_functioning")
    data["items"][0]["kind"] = "risk"
    data["indices"][0]["items"].append("housing")
    assert ("/indices/0/items/2", "index.unscored-item") in _problems(data)


def test_the_instrument_wide_unknown_policy_scores_unknown_answers() -> None:
    summary = _score("family_functioning", FAMILY)
    support = next(item for item in summary.items if item.id == "mutual_support")
    assert support.status == "unknown"
    assert support.points == 0  # unknown_scores_as: 0, the scale says nothing itself
    data = _data("family_functioning")
    del data["unknown_scores_as"]
    compiled = compile_instrument(Instrument.model_validate(data))
    assert compiled.items[6].scale.unknown_points is None
    data["unknown_scores_as"] = 0
    data["scales"][0]["unknown"]["scores_as"] = -1  # the scale's own rule wins
    compiled = compile_instrument(Instrument.model_validate(data))
    assert compiled.items[6].scale.unknown_points == -1


# --- item codes and anchors ----------------------------------------------------------------


def test_item_codes_are_kept_case_sensitively_in_summary_and_fhir() -> None:
    summary = _score("family_functioning", FAMILY)
    codes = {item.id: [(c.system, c.code) for c in item.codes] for item in summary.items}
    assert codes["income"] == [("https://example.org/family-functioning", "ENV-2a")]
    assert codes["discipline"] == []
    resource = questionnaire(_compiled("family_functioning"), "en")
    found = []

    def walk(items: Any) -> None:
        for item in items:
            if "code" in item:
                found.append((item["linkId"], item["code"]))
            walk(item.get("item", []))

    walk(resource["item"])
    assert (
        "income",
        [{"system": "https://example.org/family-functioning", "code": "ENV-2a"}],
    ) in found


def test_the_same_code_twice_is_refused_but_case_makes_codes_differ() -> None:
    data = _data("family_functioning")
    codes = data["items"][1]["codes"]
    codes.append({"system": codes[0]["system"], "code": "env-1A"})
    compile_instrument(Instrument.model_validate(data))  # another code: fine
    codes.append(dict(codes[0]))
    assert ("/items/1/codes/2", "item.code-duplicate") in _problems(data)


def test_item_anchors_per_age_group_are_described() -> None:
    sheet = describe_instrument(_compiled("child_protection_sheet"), lang="en")
    assert "The infant regularly gets too little milk." in sheet
    assert "age below 12 months" in sheet
    assert "age 12–<72 months" in sheet
    german = describe_instrument(_compiled("child_protection_sheet"), lang="de")
    assert "Der Säugling erhält regelmäßig zu wenig Milch." in german
    assert "Ankerbeispiele dieses Merkmals" in german


def test_an_anchor_for_a_level_the_scale_lacks_or_twice_is_refused() -> None:
    data = _data("child_protection_sheet")
    anchors = data["items"][0]["anchors_by_age"]
    anchors.append(dict(anchors[0]))
    anchors.append({"level": "p3", "anchor": {"de": "x", "en": "x"}})
    problems = _problems(data)
    assert ("/items/0/anchors_by_age/4", "item.anchor-duplicate") in problems
    assert ("/items/0/anchors_by_age/5/level", "ref.unknown-level") in problems


# --- each parent rated separately ----------------------------------------------------------


def test_the_more_concerning_parent_rating_counts() -> None:
    both = {"mother": "p2", "father": "m2"}
    summary = _score("child_protection_sheet", {"nutrition": {"caregivers": both}})
    nutrition = next(item for item in summary.items if item.id == "nutrition")
    assert (nutrition.level, nutrition.points, nutrition.pole) == ("m2", Decimal(-2), "concern")
    assert summary.outcome.forms_of_endangerment == ["neglect"]


# --- arithmetic ------------------------------------------------------------------------------


def _parents(level: str) -> dict[str, Any]:
    return {"caregivers": {"mother": level, "father": level}}


def test_prorating_with_enough_answers() -> None:
    # 3 of 4 care items answered (share 0.75 reached): (2 + 1 - 1) × 4 / 3 = 2.67 → 3
    answers = {"nutrition": _parents("p2"), "hygiene": _parents("p1"), "sleep": _parents("m1")}
    summary = _score("child_protection_sheet", answers)
    care = next(index for index in summary.indices if index.id == "care_score")
    assert (care.value, care.band) == (Decimal(3), "sufficient")


def test_prorating_with_too_few_answers_leaves_the_index_undetermined() -> None:
    summary = _score(
        "child_protection_sheet", {"nutrition": _parents("m2"), "sleep": _parents("m2")}
    )
    care = next(index for index in summary.indices if index.id == "care_score")
    assert care.value is None
    assert care.band is None
    # undetermined, not low: the insufficient-care rule cannot fire on it
    assert summary.outcome.computed == "yellow"


def test_scaled_rounded_and_difference_are_exact() -> None:
    values = _values(_score("family_functioning", FAMILY))
    # ratings 2, -1, 1, 0, -2, 0 (unknown scores 0), 1: sum 1 over 7 → 0.142857… → 0.14
    assert values["mean_per_item"] == Decimal("0.14")
    assert values["percent_rating"] == 1  # 0.14 × 10 = 1.4 → 1 (half up, 0 places)
    assert values["weakest_domain"] == -2  # environment 1, parenting 1, interactions -2
    assert values["strongest_domain"] == 1
    assert values["mean_rounded"] == Decimal("0.1")  # 0.14 → 0.1 (half up, 1 place)


def test_arithmetic_on_an_index_without_value_has_no_value() -> None:
    data = _data("child_protection_sheet")
    data["indices"].append(
        {
            "id": "care_tenths",
            "label": {"de": "x", "en": "x"},
            "aggregation": "scaled",
            "indices": ["care_score"],
            "factor": "0.5",
        }
    )
    compiled = compile_instrument(Instrument.model_validate(data))
    few = _values(_score(compiled, {"nutrition": _parents("m2")}))
    assert few["care_score"] is None
    assert few["care_tenths"] is None
    enough = {"nutrition": _parents("m2"), "hygiene": _parents("m2"), "sleep": _parents("m1")}
    assert _values(_score(compiled, enough))["care_tenths"] == Decimal("-3.5")  # -7 × 0.5


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"aggregation": "scaled", "indices": ["strengths"], "items": []}, "/indices/3/factor"),
        ({"aggregation": "difference", "indices": ["strengths"], "items": []}, "/indices/3"),
        ({"factor": 2}, "/indices/3/factor"),
        ({"minimum_answered": "0.5"}, "/indices/3/minimum_answered"),
    ],
)
def test_malformed_arithmetic_is_refused(change: dict[str, Any], pointer: str) -> None:
    data = _data("family_functioning")
    data["indices"][3].update(change)
    assert (pointer, "index.arithmetic") in _problems(data)


def test_prorating_needs_a_share_between_0_and_1_and_rounding() -> None:
    data = _data("child_protection_sheet")
    data["indices"][0]["minimum_answered"] = "1.5"
    del data["indices"][0]["rounding"]
    problems = _problems(data)
    assert ("/indices/0/minimum_answered", "index.arithmetic") in problems
    assert ("/indices/0", "index.rounding-required") in problems


def test_a_difference_flips_the_polarity_of_its_second_input() -> None:
    compiled = _compiled("family_functioning")
    pols = index_polarities(compiled)
    income = compiled.item_pos["income"]
    assert pols[3][income] == -1  # strengths leave as the level rises
    assert pols[4][income] == 1  # concerns come
    assert pols[5][income] == -1  # strengths − concerns falls


def test_lint_value_sets_cover_the_new_kinds() -> None:
    compiled = _compiled("child_protection_sheet")
    values = index_values(compiled)
    care = values[0]
    assert care is not None
    assert Decimal(8) in care  # four items at +2
    assert Decimal(-8) in care
    assert values[1] == frozenset(Decimal(n) for n in range(7))
    family = index_values(_compiled("family_functioning"))
    balance = family[5]
    assert balance is not None
    assert min(balance) == -7
    assert max(balance) == 7


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=examples(60), deadline=None)
@given(answers=form_answers(_compiled("child_protection_sheet")))
def test_prorating_and_pole_counts_agree_with_the_hand_formula(answers: dict[str, Any]) -> None:
    summary = _score("child_protection_sheet", answers)
    items = {item.id: item for item in summary.items}
    care = [items[i] for i in ("nutrition", "hygiene", "sleep", "supervision")]
    scored = [item.points for item in care if item.points is not None]
    expected = None
    if len(scored) * 4 >= 3 * 4 and scored:  # at least 0.75 of the 4 applicable items
        total = sum(scored, Decimal(0)) * 4
        expected = (total / len(scored)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    values = _values(summary)
    assert values["care_score"] == expected
    poles = [item.pole for item in summary.items]
    assert values["strengths"] == poles.count("strength")
    assert values["concerns"] == poles.count("concern")
    assert all(item.concerning == (item.pole == "concern") for item in summary.items)


def test_the_authoring_guide_example_scores_as_the_guide_says() -> None:
    text = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yml\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)
    (source,) = [block for block in blocks if block.startswith("document_type: instrument\n")]
    data = yaml.safe_load(source)
    compiled = compile_instrument(Instrument.model_validate(data))
    answers = {
        "routines": {"level": "strength"},
        "warmth": {"level": "problem"},
        "conflict": {"level": "serious"},
    }
    summary = _score(compiled, answers)
    values = _values(summary)
    counts = [values[key] for key in ("strengths", "problems", "balance", "total", "total_x10")]
    assert counts == [1, 2, -1, -2, -20]
    assert summary.outcome.computed == "support"
    few = _values(_score(compiled, {"routines": {"level": "strength"}}))
    assert few["total"] is None
    assert few["total_x10"] is None


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        (
            "family_functioning",
            {key: FAMILY[key] for key in ("housing", "housing_stability", "income", "supervision")},
        ),
        ("child_protection_sheet", {"nutrition": _parents("m1"), "warmth": _parents("p2")}),
    ],
)
def test_index_ranges_hold_every_completion_of_the_new_kinds(
    name: str, answers: dict[str, Any]
) -> None:
    """The ranges of counts by pole, prorated sums, scaled, rounded and difference indices
    contain the value of every completion of the unknown items, and are exactly the lowest
    and highest of them unless they say ``conservative``."""
    compiled = _compiled(name)
    summary = _score(name, answers)
    assessment = Assessment.model_validate({**summary_assessment(compiled), "answers": answers})
    _, values = brute_force(compiled, assessment)
    ranges = {r.id: r for r in summary.unknowns.indices or []}
    for index, found in zip(compiled.indices, values, strict=True):
        if not found:
            continue
        bound = ranges[index.id]
        assert bound.lowest is not None
        assert bound.highest is not None
        assert bound.lowest <= min(found), index.id
        assert max(found) <= bound.highest, index.id
        if bound.method != "conservative":
            assert (bound.lowest, bound.highest) == (min(found), max(found)), index.id


def test_fhir_expressions_of_pole_counts_and_differences_give_kwgs_values() -> None:
    """A renderer computes strengths, problems and their difference as kwg does (checked by
    fhirpath.js); prorating and rounding it cannot say are marked not expressed."""
    compiled = _compiled("family_functioning")
    instrument = compiled.instrument
    assessment = Assessment.model_validate({**summary_assessment(compiled), "answers": FAMILY})
    resource = instrument_to_questionnaire(instrument, lang="en")
    response = assessment_to_questionnaire_response(assessment, instrument)
    summary = score(compiled, assessment)
    calculated = {
        item["linkId"].removeprefix("kwg:index."): ext["valueExpression"]["expression"]
        for item in walk(cast("list[Any]", resource["item"]))
        if (ext := extension(item, EXT_CALCULATED)) is not None
    }
    assert {"strengths", "problems", "balance"} <= set(calculated)
    assert "percent_rating" not in calculated  # rounded after scaling: not said in FHIRPath
    values = evaluate(response, list(calculated.values()), resource)
    expected = {index.id: index.value for index in summary.indices}
    for (index_id, _), value in zip(calculated.items(), values, strict=True):
        want = expected[index_id]
        assert [number(v) for v in value] == ([] if want is None else [number(want)]), index_id


@pytest.mark.parametrize(
    ("factor", "code"),
    [("0.000001", "index.precision"), ("999999999999", "index.range")],
)
def test_a_scaled_index_must_stay_exactly_writable(factor: str, code: str) -> None:
    data = _data("family_functioning")
    data["indices"][-1]["factor"] = factor
    del data["indices"][-1]["rounding"]
    assert (f"/indices/{len(data['indices']) - 1}", code) in _problems(data)


def test_rounding_a_scaled_index_keeps_it_writable() -> None:
    data = _data("family_functioning")
    data["indices"][-1]["factor"] = "0.000001"  # rounded to 0 places: exactly writable
    compile_instrument(Instrument.model_validate(data))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_new_trace_step_reads_as_a_sentence(lang: Lang) -> None:
    few = {"nutrition": _parents("m2")}
    enough = {**few, "hygiene": _parents("p1"), "sleep": _parents("p2")}
    steps = [
        step
        for summary in (
            _score("family_functioning", FAMILY),
            _score("child_protection_sheet", few),
            _score("child_protection_sheet", enough),
        )
        for step in summary.trace
    ]
    # Summary format v2 traces decisions only: the new index kinds' values are in
    # ``indices`` and recomputed from the summary and the instrument by the trace test.
    assert steps
    for name, summary in (
        ("family_functioning", _score("family_functioning", FAMILY)),
        ("child_protection_sheet", _score("child_protection_sheet", few)),
        ("child_protection_sheet", _score("child_protection_sheet", enough)),
    ):
        rebuild(_compiled(name).instrument, summary)
    for step in steps:
        sentence = render_message(step.explanation, lang)
        assert "{" not in sentence
        assert sentence


def test_a_rated_item_without_points_is_recorded_without_points() -> None:
    data = _data("family_functioning")
    data["items"][0]["kind"] = "risk"  # housing: a rated item on the scale without points
    compiled = compile_instrument(Instrument.model_validate(data))
    summary = _score(compiled, FAMILY)
    housing = next(item for item in summary.items if item.id == "housing")
    assert (housing.status, housing.level, housing.points) == ("answered", "shelter", None)
