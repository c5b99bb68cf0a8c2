"""FHIR R4 interoperability: Questionnaire and QuestionnaireResponse export, and import back.

The resources are validated with the ``fhir.resources`` R4B models (the package offers no R4
models; the elements used here are the same in R4 and R4B, see docs/fhir.md). Those models
check structure and types, not code values, so the R4 value sets used are checked here too.
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check import (
    Assessment,
    DocumentError,
    Instrument,
    InstrumentMismatchError,
    KwgCheckError,
    assessment_to_questionnaire_response,
    canonical_json,
    dump_document,
    dump_json,
    instrument_to_questionnaire,
    questionnaire_response_to_assessment,
)
from kwg_check._registry import bundled_registry
from kwg_check._views._fhir import (
    EXT_ENABLE_WHEN_EXPRESSION,
    EXT_EVIDENCE,
    EXT_FINGERPRINT,
    EXT_ITEM_WEIGHT,
    EXT_NOT_EXPRESSED,
    EXT_NOTE,
    EXT_ORDINAL,
    questionnaire_instrument,
    questionnaire_url,
)
from kwg_check._vocabulary import localized
from kwg_check.cli import main
from strategies import examples

SECRET = "Erika Mustermann, Hauptstr. 5"
"""Free text planted in bad resources; it must never come back in an error."""

R4_ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
    "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip
R4_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}


def fhir_model(name: str, *, optional: bool = False) -> Any:
    """An R4B model class of fhir.resources; locally without it the test is skipped (or,
    when the check is ``optional``, ``None`` is returned). Never missing in CI."""
    try:
        module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("fhir.resources is missing in CI: install the 'test' extra")
        if optional:
            return None
        pytest.skip("fhir.resources is not installed (pip install 'kwg-check[fhir]')")
    return getattr(module, name)


def instruments() -> list[Instrument]:
    registry = bundled_registry()
    return [registry.get(entry.id, entry.version) for entry in registry.entries()]


def example(name: str) -> tuple[Assessment, Instrument]:
    assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
    ref = assessment.instrument
    return assessment, bundled_registry().get(ref.id, ref.version)


def walk(items: list[Any]) -> list[dict[str, Any]]:
    """Every item of a Questionnaire or response, depth first."""
    found: list[dict[str, Any]] = []
    for item in items:
        found.append(item)
        found.extend(walk(item.get("item", [])))
        for answer in item.get("answer", []):
            found.extend(walk(answer.get("item", [])))
    return found


def as_json(value: Any) -> Any:
    """The value as another program reads it: through JSON text, decimals kept exact."""
    return json.loads(dump_json(value), parse_float=Decimal)


@functools.cache
def kwg8a() -> Instrument:
    return bundled_registry().get("kwg_8a", "1.1.0")


def exported(name: str = "kwg8a-grey-zone-unknowns") -> dict[str, Any]:
    assessment, instrument = example(name)
    return copy.deepcopy(assessment_to_questionnaire_response(assessment, instrument))


def rejection(resource: Any, instrument: Instrument | None = None) -> KwgCheckError:
    with pytest.raises(KwgCheckError) as info:
        questionnaire_response_to_assessment(resource, instrument or kwg8a())
    error = info.value
    assert SECRET not in str(error)
    assert all(SECRET not in p.pointer and SECRET not in p.reason for p in error.problems)
    return error


def codes_at(error: KwgCheckError) -> set[tuple[str, str]]:
    return {(p.pointer, p.code) for p in error.problems}


def question(resource: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(item for item in walk(resource["item"]) if item["linkId"] == link_id)


# --------------------------------------------------------------------------------------------
# Questionnaire
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("instrument", instruments(), ids=lambda i: i.id)
def test_every_bundled_instrument_exports_a_valid_r4_questionnaire(
    instrument: Instrument, lang: str
) -> None:
    """The models accept it, and every code is from the R4 value set of its element."""
    questionnaire = as_json(instrument_to_questionnaire(instrument, lang=lang))  # type: ignore[arg-type]
    fhir_model("Questionnaire").model_validate(questionnaire)
    assert questionnaire["status"] in {"draft", "active", "retired", "unknown"}
    assert questionnaire["version"] == instrument.version
    assert questionnaire["title"] == getattr(instrument.title, lang)
    link_ids = [item["linkId"] for item in walk(questionnaire["item"])]
    assert len(link_ids) == len(set(link_ids))
    for item in walk(questionnaire["item"]):
        assert item["type"] in R4_ITEM_TYPES
        for condition in item.get("enableWhen", []):
            assert condition["operator"] in R4_OPERATORS
            assert condition["question"] in link_ids
        assert item.get("enableBehavior", "all") in {"all", "any"}


@pytest.mark.parametrize("instrument", instruments(), ids=lambda i: i.id)
def test_every_item_is_a_choice_question_with_its_levels_points_and_unknown(
    instrument: Instrument,
) -> None:
    """linkId = item id; one option per level with the exact points as ordinalValue; the
    unknown marker is an option of its own, scored only when the instrument says so."""
    questionnaire = as_json(instrument_to_questionnaire(instrument, lang="en"))
    questions = {item["linkId"]: item for item in walk(questionnaire["item"])}
    for item in instrument.items:
        scale = next(s for s in instrument.scales if s.id == item.scale)
        answer_options = questions[item.id]["answerOption"]
        options = [option["valueCoding"] for option in answer_options]
        expected: list[tuple[str, str, Decimal | None]] = [
            (level.id, localized(level.label, "en"), level.points) for level in scale.levels
        ]
        if scale.unknown is not None:
            expected.append(
                (scale.unknown.id, localized(scale.unknown.label, "en"), scale.unknown.scores_as)
            )
        got = [
            (
                coding["code"],
                coding["display"],
                next((e["valueDecimal"] for e in option.get("extension", [])), None),
            )
            for coding, option in zip(options, answer_options, strict=True)
        ]
        assert got == expected
        # where SDC renderers and weight() read scores: the option's own extensions
        assert all("extension" not in coding for coding in options)
        assert all(
            [e["url"] for e in option.get("extension", [])] in ([], [EXT_ORDINAL, EXT_ITEM_WEIGHT])
            for option in answer_options
        )
        assert len({coding["system"] for coding in options}) == 1
        repeats = item.response == "multiple" or item.per_caregiver
        assert questions[item.id].get("repeats", False) == repeats
        # The bundled instruments' conditions are age bands: all of them are expressed.
        assert ("enableWhen" in questions[item.id]) == (item.applies_when is not None)
        assert EXT_NOT_EXPRESSED not in {e["url"] for e in questions[item.id]["extension"]}


def test_decimal_points_are_written_as_json_numbers_with_their_exact_digits() -> None:
    """1.5 must reach a Java or JavaScript reader as 1.5, not as a rounded binary float."""
    data = dump_document(bundled_registry().get("spj_judgement"))
    levels: Any = data["scales"]
    levels[0]["levels"][1]["points"] = "0.000001"
    levels[0]["levels"][2]["points"] = "4.1"
    text = dump_json(instrument_to_questionnaire(kwg_check.parse_instrument(data)))
    assert '"valueDecimal": 4.1' in text
    assert {Decimal("0.000001"), Decimal("4.1")} <= {
        e["valueDecimal"]
        for item in walk(json.loads(text, parse_float=Decimal)["item"])
        for option in item.get("answerOption", [])
        for e in option.get("extension", [])
    }


def test_a_decimal_a_json_number_cannot_hold_exactly_is_rejected_not_rounded() -> None:
    data = dump_document(bundled_registry().get("spj_judgement"))
    levels: Any = data["scales"]
    levels[0]["levels"][2]["points"] = "123456789012.123456"
    with pytest.raises(DocumentError) as info:
        instrument_to_questionnaire(kwg_check.parse_instrument(data))
    assert codes_at(info.value) == {("/scales/0/levels/2/points", "fhir.decimal-inexact")}


def test_age_bands_become_enable_when_on_the_age_item() -> None:
    """from_months → '>=', below_months → '<', both → enableBehavior all."""
    questionnaire = instrument_to_questionnaire(kwg8a())
    item = question(questionnaire, "early_development_support")
    assert item["enableWhen"] == [
        {"question": "kwg:subject.age_months", "operator": ">=", "answerInteger": 36},
        {"question": "kwg:subject.age_months", "operator": "<", "answerInteger": 72},
    ]
    assert item["enableBehavior"] == "all"
    assert question(questionnaire, "infant_feeding")["enableWhen"] == [
        {"question": "kwg:subject.age_months", "operator": "<", "answerInteger": 36}
    ]


ON_MULTIPLE = {"answer_in": {"item": "h_prior_protection", "levels": ["high"]}}


def with_condition(condition: dict[str, Any], multiple: str = "") -> dict[str, Any]:
    data = dump_document(bundled_registry().get("spj_judgement"))
    items: Any = data["items"]
    for item in items:
        if item["id"] == multiple:
            item["response"] = "multiple"
    items[1]["applies_when"] = condition
    item_id = items[1]["id"]
    return question(instrument_to_questionnaire(kwg_check.parse_instrument(data)), item_id)


def test_conditions_enable_when_can_express_are_expressed() -> None:
    """Levels of a single-choice item, and all/any of such tests where one behaviour fits."""
    item = with_condition(
        {
            "all": [
                {"age_months": {"from_months": 12}},
                {"context": {"item": "setting", "levels": ["provider"]}},
            ]
        }
    )
    assert [(c["question"], c["operator"]) for c in item["enableWhen"]] == [
        ("kwg:subject.age_months", ">="),
        ("setting", "="),
    ]
    assert item["enableWhen"][1]["answerCoding"]["code"] == "provider"
    assert item["enableBehavior"] == "all"
    assert EXT_NOT_EXPRESSED not in {e["url"] for e in item["extension"]}


@pytest.mark.parametrize(
    "condition",
    [
        {"not": {"age_months": {"from_months": 36}}},
        {
            "any": [
                {"age_months": {"from_months": 12, "below_months": 36}},
                {"age_months": {"from_months": 120}},
            ]
        },
        {"answer_at_least": {"item": "h_prior_protection", "level": "moderate"}},
    ],
    ids=["not", "any-of-bands", "at-least"],
)
def test_conditions_enable_when_cannot_express_become_enable_when_expressions(
    condition: dict[str, Any],
) -> None:
    """No approximate enableWhen: the exact condition as an SDC enableWhenExpression
    (tests/test_fhir_sdc.py evaluates them with fhirpath.js)."""
    item = with_condition(condition)
    assert "enableWhen" not in item
    urls = [e["url"] for e in item["extension"]]
    assert EXT_ENABLE_WHEN_EXPRESSION in urls
    assert EXT_NOT_EXPRESSED not in urls


@pytest.mark.parametrize(
    "condition",
    [
        ON_MULTIPLE,
        {"not": ON_MULTIPLE},
        {"all": [{"age_months": {"from_months": 36}}, ON_MULTIPLE]},
    ],
    ids=["answer-in", "not", "all"],
)
def test_conditions_fhirpath_cannot_express_are_marked_not_dropped(
    condition: dict[str, Any],
) -> None:
    """A test on an item of several answers reads its counting level, which no answer's
    code is: the item stays enabled and says its condition is not expressed."""
    item = with_condition(condition, multiple="h_prior_protection")
    assert "enableWhen" not in item
    assert {"url": EXT_NOT_EXPRESSED, "valueBoolean": True} in item["extension"]
    assert EXT_ENABLE_WHEN_EXPRESSION not in [e["url"] for e in item["extension"]]


# --------------------------------------------------------------------------------------------
# QuestionnaireResponse and the round trip
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [e.name for e in kwg_check.examples()])
def test_every_bundled_example_exports_a_valid_response_that_imports_to_the_same_assessment(
    name: str,
) -> None:
    """The mapping covers every assessment field, so the round trip is the identity."""
    assessment, instrument = example(name)
    response = as_json(assessment_to_questionnaire_response(assessment, instrument))
    fhir_model("QuestionnaireResponse").model_validate(response)
    assert response["status"] == "completed"
    assert response["questionnaire"] == f"{questionnaire_url(instrument)}|{instrument.version}"
    link_ids = {item["linkId"] for item in walk(instrument_to_questionnaire(instrument)["item"])}  # type: ignore[arg-type]
    assert {item["linkId"] for item in walk(response["item"])} <= link_ids
    back = questionnaire_response_to_assessment(json.loads(dump_json(response)), instrument)
    assert same_document(back, assessment)


def same_document(one: Assessment, other: Assessment) -> bool:
    """Equal as documents: the same RFC 8785 canonical JSON bytes (what docs/fhir.md claims).

    Python ``==`` would be weaker: it also holds for ``1`` against ``1.0`` or ``True``, for
    ``0`` against ``-0.0``; canonical JSON tells ``true`` from ``1`` and compares the value
    every JSON implementation reads, whatever the key order and the spelling of numbers.
    """
    return canonical_json(dump_document(one)) == canonical_json(dump_document(other))


def test_the_round_trip_is_exact_under_canonical_json_not_byte_for_byte() -> None:
    """What the claim does not cover: key order and number spelling in ``extensions``."""
    data: Any = copy.deepcopy(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    data["extensions"] = {"z": 1.0, "a": -0.0, "n": {"y": True, "x": [0.1, 1e300, None]}}
    assessment = kwg_check.parse_assessment(data)
    response = assessment_to_questionnaire_response(assessment, kwg8a())
    back = questionnaire_response_to_assessment(as_json_plain(response), kwg8a())
    assert same_document(back, assessment)
    assert back.extensions == {"a": 0, "n": {"x": [0.1, 1e300, None], "y": True}, "z": 1}
    assert list(back.extensions or {}) == ["a", "n", "z"]  # written in canonical order
    assert dump_json(dump_document(back)) != dump_json(dump_document(assessment))


def test_the_response_names_the_child_only_by_pseudonymous_ids() -> None:
    """Subject is an identifier reference (no display, no name); the date is the
    assessment date, not the time of export."""
    assessment, instrument = example("kwg8a-grey-zone-unknowns")
    response = assessment_to_questionnaire_response(assessment, instrument)
    assert response["subject"] == {
        "identifier": {
            "system": "https://schemas.kwg-check.de/fhir/case-id",
            "value": assessment.subject.case_id,
        }
    }
    assert response["authored"] == assessment.assessment_date.isoformat()


def test_export_refuses_an_assessment_for_another_instrument() -> None:
    assessment, _ = example("kwg8a-grey-zone-unknowns")
    with pytest.raises(InstrumentMismatchError):
        assessment_to_questionnaire_response(assessment, bundled_registry().get("sdm_risk"))


@pytest.mark.parametrize("text", ["", " ", "\xa0", "\n\t", "line\x00break", "bell\x07"])
def test_export_refuses_text_fhir_cannot_carry_with_a_pointer_into_the_assessment(
    text: str,
) -> None:
    """FHIR strings have non-whitespace content and no control characters; changing the text
    silently would break the round trip, so the export says where the problem is."""
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["family_view"] = {"will": text}
    with pytest.raises(DocumentError) as info:
        assessment_to_questionnaire_response(kwg_check.parse_assessment(data), kwg8a())
    assert codes_at(info.value) == {("/family_view/will", "fhir.string")}


def test_an_age_without_a_birth_date_round_trips_as_the_age_item() -> None:
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["subject"] = {"case_id": "K-1", "age_months": 40}
    assessment = kwg_check.parse_assessment(data)
    response = assessment_to_questionnaire_response(assessment, kwg8a())
    assert question(response, "kwg:subject")["item"] == [
        {"linkId": "kwg:subject.age_months", "answer": [{"valueInteger": 40}]}
    ]
    assert same_document(questionnaire_response_to_assessment(response, kwg8a()), assessment)


TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r"), min_size=1
).filter(lambda text: not text.isspace())
"""Free text FHIR can carry: non-whitespace content, no control characters but tab, CR, LF."""


def answers_for(instrument: Instrument) -> st.SearchStrategy[dict[str, Any]]:
    """Any answers an instrument accepts: a level or unknown per item, lists for 'all that
    apply' items, one level per caregiver for per-caregiver items, some with evidence and
    notes."""
    scales = {scale.id: scale for scale in instrument.scales}
    per_item: dict[str, st.SearchStrategy[dict[str, Any]]] = {}
    for item in instrument.items:
        scale = scales[item.scale]
        codes = [level.id for level in scale.levels]
        if scale.unknown is not None:
            codes.append(scale.unknown.id)
        level = st.sampled_from(codes)
        shape: st.SearchStrategy[dict[str, Any]]
        if item.per_caregiver:
            shape = st.dictionaries(
                st.sampled_from(["CG-1", "CG-2", "CG-3"]), level, min_size=1
            ).map(lambda c: {"caregivers": c})
        elif item.response == "multiple":
            known = [level.id for level in scale.levels]
            shape = st.lists(st.sampled_from(known), min_size=1, unique=True).map(
                lambda levels: {"levels": levels}
            )
        else:
            shape = level.map(lambda code: {"level": code})
        evidence = st.lists(
            st.fixed_dictionaries(
                {"observation": TEXT},
                optional={
                    "source": TEXT.filter(lambda t: len(t) <= 500),
                    "date": st.just("2024-01-31"),
                },
            ),
            max_size=2,
        )
        extra = st.fixed_dictionaries({}, optional={"evidence": evidence, "note": TEXT})
        per_item[item.id] = st.tuples(shape, extra).map(lambda pair: {**pair[0], **pair[1]})
    return st.fixed_dictionaries({}, optional=per_item)


MAX_SAFE = 2**53 - 1
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-MAX_SAFE, max_value=MAX_SAFE)
    | st.floats(allow_nan=False, allow_infinity=False).filter(
        # RFC 8785 writes 1e20 as the integer 100000000000000000000, which the strict loader
        # refuses (beyond 2**53 - 1) when the import reads the text back: see docs/fhir.md.
        lambda f: not (f.is_integer() and MAX_SAFE < abs(f) < 1e21)
    )
    | st.text(st.characters(codec="utf-8"), max_size=8)
)
EXTENSIONS = st.dictionaries(
    st.text(st.characters(codec="utf-8"), max_size=6),
    st.recursive(
        JSON_SCALARS,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=4), children, max_size=3)
        ),
        max_leaves=8,
    ),
    max_size=4,
)
"""Any ``extensions`` object: nested values, floats such as ``-0.0`` and ``1.0``, any keys."""

RESOURCE = st.fixed_dictionaries(
    {
        "category": st.sampled_from(["personal", "family", "social_network", "material"]),
        "label": TEXT.filter(lambda t: len(t) <= 500),
        "available": st.booleans(),
    },
    optional={"note": TEXT},
)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_is_the_identity_for_generated_answers(data: st.DataObject) -> None:
    """Levels, unknowns, multiple choices, caregivers, evidence, notes and resources all come
    back unchanged, and every generated response is a valid R4B QuestionnaireResponse."""
    instrument = data.draw(st.sampled_from(instruments()), label="instrument")
    answers = data.draw(answers_for(instrument), label="answers")
    document: Any = {
        "document_type": "assessment",
        "id": "as-1",
        "instrument": {"id": instrument.id, "version": instrument.version},
        "subject": data.draw(
            st.sampled_from(
                [
                    {"case_id": "c-1", "age_months": 50},
                    {"case_id": "c-1", "birth_date": "2019-02-28"},
                ]
            )
        ),
        "assessment_date": "2024-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
        "answers": answers,
        "resources": data.draw(st.lists(RESOURCE, max_size=3), label="resources"),
        "family_view": data.draw(
            st.fixed_dictionaries({}, optional={"statement": TEXT, "will": TEXT}), label="view"
        ),
    }
    if data.draw(st.booleans(), label="has extensions"):
        document["extensions"] = data.draw(EXTENSIONS, label="extensions")
    assessment = kwg_check.parse_assessment(document)
    response = assessment_to_questionnaire_response(assessment, instrument)
    model = fhir_model("QuestionnaireResponse", optional=True)
    if model is not None:
        model.model_validate(as_json(response))
    back = questionnaire_response_to_assessment(as_json_plain(response), instrument)
    assert same_document(back, assessment)


def as_json_plain(value: Any) -> Any:
    return json.loads(dump_json(value))


# --------------------------------------------------------------------------------------------
# Import: what is rejected, where, and never with the resource's contents
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "canonical",
    [
        "https://schemas.kwg-check.de/fhir/Questionnaire/kwg_8a|2.0.0",
        "https://schemas.kwg-check.de/fhir/Questionnaire/sdm_risk|1.0.0",
        "http://example.org/Questionnaire/phq-9",
        None,
    ],
)
def test_a_response_to_another_questionnaire_is_refused(canonical: str | None) -> None:
    response = exported()
    response["questionnaire"] = canonical
    error = rejection(response)
    assert isinstance(error, InstrumentMismatchError)
    assert codes_at(error) == {("/questionnaire", "fhir.foreign-questionnaire")}


def test_an_unknown_link_id_is_refused_with_its_pointer_and_without_echo() -> None:
    response = exported()
    response["item"][1]["item"].append({"linkId": SECRET, "answer": [{"valueString": SECRET}]})
    at = len(response["item"][1]["item"]) - 1
    error = rejection(response)
    assert codes_at(error) == {(f"/item/1/item/{at}/linkId", "fhir.unknown-item")}


def test_an_item_in_the_wrong_domain_group_is_an_unknown_item_there() -> None:
    response = exported()
    moved = response["item"][1]["item"].pop(0)
    response["item"][2]["item"].append(moved)
    error = rejection(response)
    assert {code for _, code in codes_at(error)} == {"fhir.unknown-item"}


def test_a_code_outside_the_scale_is_refused() -> None:
    response = exported()
    coding = response["item"][1]["item"][0]["answer"][0]["valueCoding"]
    coding["code"] = SECRET
    error = rejection(response)
    assert codes_at(error) == {("/item/1/item/0/answer/0/valueCoding/code", "fhir.unknown-code")}


def test_a_coding_from_another_system_is_refused() -> None:
    response = exported()
    response["item"][1]["item"][0]["answer"][0]["valueCoding"]["system"] = "http://loinc.org"
    error = rejection(response)
    assert codes_at(error) == {("/item/1/item/0/answer/0/valueCoding/system", "fhir.unknown-code")}


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ("author", {"display": SECRET}),
        ("encounter", {"reference": "Encounter/1"}),
        ("basedOn", [{"reference": "ServiceRequest/1"}]),
    ],
)
def test_elements_outside_the_mapping_are_refused_not_dropped(element: str, value: Any) -> None:
    response = exported()
    response[element] = value
    assert codes_at(rejection(response)) == {(f"/{element}", "fhir.unsupported")}


def test_a_key_that_is_not_a_field_name_is_not_shown_in_the_pointer() -> None:
    response = exported()
    response["item"][0][SECRET] = 1
    assert codes_at(rejection(response)) == {("/item/0/~unknown", "fhir.unsupported")}


def test_an_unknown_extension_is_refused() -> None:
    response = exported()
    response["extension"].append({"url": "http://example.org/x", "valueString": SECRET})
    error = rejection(response)
    assert codes_at(error) == {("/extension/1/url", "fhir.unsupported")}


def test_a_pinned_fingerprint_of_another_instrument_document_is_a_mismatch() -> None:
    response = exported()
    response["extension"].append({"url": EXT_FINGERPRINT, "valueString": "sha256:" + "0" * 64})
    error = rejection(response)
    assert isinstance(error, InstrumentMismatchError)
    assert codes_at(error) == {("/extension/1", "instrument.fingerprint")}


def test_only_completed_responses_are_imported() -> None:
    response = exported()
    response["status"] = "in-progress"
    assert codes_at(rejection(response)) == {("/status", "fhir.unsupported")}


def test_invalid_values_are_reported_at_the_resource_element_they_came_from() -> None:
    """The assessment's own validation runs on the built document; its problems are moved
    to the resource's pointers, still without the contents."""
    response = exported()
    response["subject"]["identifier"]["value"] = SECRET
    response["authored"] = "2026-02-30"
    error = rejection(response)
    assert {pointer for pointer, _ in codes_at(error)} == {
        "/subject/identifier/value",
        "/authored",
    }


def test_a_single_choice_question_with_two_answers_is_refused() -> None:
    response = exported()
    answers = response["item"][1]["item"][0]["answer"]
    answers.append(copy.deepcopy(answers[0]))
    assert codes_at(rejection(response)) == {("/item/1/item/0/answer", "fhir.cardinality")}


def test_an_age_that_contradicts_the_birth_date_is_refused() -> None:
    """With a birth date the age item is derived; silently ignoring a different age would
    lose what the sender said."""
    response = exported()
    age = question(response, "kwg:subject.age_months")
    age["answer"][0]["valueInteger"] += 1
    assert codes_at(rejection(response)) == {
        ("/item/0/item/1/answer/0/valueInteger", "fhir.inconsistent")
    }


def test_a_caregiver_rated_twice_is_refused() -> None:
    response = exported("cans-action-needed")
    item = question(response, "cg_supervision")
    item["answer"][1]["extension"] = copy.deepcopy(item["answer"][0]["extension"])
    error = rejection(response, bundled_registry().get("cans_needs"))
    assert {code for _, code in codes_at(error)} == {"fhir.duplicate"}


def test_a_response_that_is_not_a_questionnaire_response_is_refused() -> None:
    error = rejection({"resourceType": "Questionnaire"})
    assert codes_at(error) == {("/resourceType", "fhir.resource-type")}
    assert isinstance(rejection([SECRET]), DocumentError)


def test_the_instrument_is_found_from_the_questionnaire_canonical() -> None:
    assert questionnaire_instrument(exported()) == ("kwg_8a", "1.1.0")
    with pytest.raises(InstrumentMismatchError):
        questionnaire_instrument({"questionnaire": "http://example.org/Questionnaire/x|1"})


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_cli_exports_and_imports_a_bundled_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """questionnaire, response and import write JSON; import gives the example back."""
    source = tmp_path / "assessment.json"
    source.write_text(dump_json(kwg_check.example_data("sdm-policy-override")), encoding="utf-8")
    questionnaire, response, back = (tmp_path / n for n in ("q.json", "r.json", "a.json"))
    assert (
        main(["fhir", "questionnaire", "sdm_risk", "--lang", "en", "-o", str(questionnaire)]) == 0
    )
    assert json.loads(questionnaire.read_text(encoding="utf-8"))["language"] == "en"
    assert main(["fhir", "response", str(source), "-o", str(response)]) == 0
    assert main(["fhir", "import", str(response), "-o", str(back)]) == 0
    assert json.loads(back.read_text(encoding="utf-8")) == dump_document(
        kwg_check.parse_assessment(kwg_check.example_data("sdm-policy-override"))
    )
    assert main(["fhir", "import", str(response)]) == 0
    assert json.loads(capsys.readouterr().out)["document_type"] == "assessment"


def test_cli_reports_import_problems_as_file_pointer_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    response = exported()
    response["status"] = "entered-in-error"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    assert main(["fhir", "import", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"{path}:/status: fhir.unsupported: only completed responses are imported\n"
    )


def test_cli_fhir_without_subcommand_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["fhir"])
    assert info.value.code == 2


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value that can be replaced (the root excluded)."""
    found = [here] if here else []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, child in children:
        found.extend(paths(child, (*here, key)))
    return found


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from([SECRET, "", "completed"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from([SECRET, "linkId", "answer", "item", "valueString", "url"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=examples(100), deadline=None)
@given(data=st.data())
def test_a_damaged_response_raises_only_library_errors_that_do_not_echo(
    data: st.DataObject,
) -> None:
    """Whatever part of a response is replaced by whatever JSON, import either succeeds or
    raises a KwgCheckError whose pointers and reasons never contain the planted text."""
    response = exported()
    place = data.draw(st.sampled_from(paths(response)), label="place")
    owner: Any = response
    for key in place[:-1]:
        owner = owner[key]
    owner[place[-1]] = data.draw(JSON, label="value")
    problems: tuple[kwg_check.Problem, ...] = ()
    try:
        questionnaire_response_to_assessment(response, kwg8a())
    except KwgCheckError as error:
        problems = error.problems
    assert all(SECRET not in p.reason and SECRET not in p.pointer for p in problems)


def test_cli_lists_what_renderers_cannot_compute_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """cans_needs counts ratings per caregiver, which FHIRPath here does not spell out."""
    out = tmp_path / "q.json"
    assert main(["fhir", "questionnaire", "cans_needs", "--lang", "en", "-o", str(out)]) == 0
    lines = capsys.readouterr().err.splitlines()
    questionnaire = json.loads(out.read_text(encoding="utf-8"))
    marked = [
        item["linkId"]
        for item in walk(questionnaire["item"])
        if any(e["url"] == EXT_NOT_EXPRESSED for e in item.get("extension", []))
    ]
    assert marked
    assert [line.split(": ")[1] for line in lines] == marked
    assert main(["fhir", "questionnaire", "kwg_8a", "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""


def renderer_shaped(name: str) -> tuple[dict[str, Any], Assessment]:
    """The example's response as a form filler writes it: resource id, meta, narrative, a
    dateTime authored, a Patient reference for the subject, no identifier, and the values
    it computed for the index items."""
    assessment = example(name)[0]
    response = exported(name)
    del response["identifier"]
    response["subject"] = {"reference": "Patient/p-17"}
    response["authored"] = assessment.assessment_date.isoformat() + "T10:15:00+01:00"
    response.update(
        {
            "id": "qr-1",
            "meta": {"lastUpdated": "2026-11-29T10:15:00+01:00"},
            "text": {"status": "generated", "div": "<div>…</div>"},
        }
    )
    response["item"].append(
        {
            "linkId": "kwg:indices",
            "item": [{"linkId": "kwg:index.x", "answer": [{"valueDecimal": 1}]}],
        }
    )
    return response, assessment


@pytest.mark.parametrize("name", ["kwg8a-grey-zone-unknowns", "cans-action-needed"])
def test_a_response_shaped_by_a_form_filler_imports_with_the_ids_it_lacks(name: str) -> None:
    response, assessment = renderer_shaped(name)
    again = questionnaire_response_to_assessment(
        response,
        case_id=assessment.subject.case_id,
        assessment_id=assessment.id,
    )
    assert canonical_json(dump_document(again)) == canonical_json(dump_document(assessment))
    assert kwg_check.score_document(again) == kwg_check.score_document(assessment)


def test_assessors_come_from_the_caller_when_the_response_has_none() -> None:
    response, assessment = renderer_shaped("kwg8a-grey-zone-unknowns")
    response["item"] = [item for item in response["item"] if item["linkId"] != "kwg:assessors"]
    again = questionnaire_response_to_assessment(
        response,
        case_id="c-1",
        assessment_id="a-1",
        assessors=[(a.id, a.role) for a in assessment.assessors],
    )
    assert again.assessors == assessment.assessors


def test_every_problem_of_a_form_fillers_response_is_reported_in_one_pass() -> None:
    """Missing ids, a bad status and an answer outside the scale: one error with all."""
    response, _ = renderer_shaped("kwg8a-grey-zone-unknowns")
    response["status"] = "in-progress"
    question(response, "nutrition")["answer"][0]["valueCoding"]["code"] = "nonsense"
    response["authored"] = "29.11.2026"
    error = rejection(response)
    assert {
        ("/identifier", "fhir.missing"),
        ("/subject/identifier", "fhir.missing"),
        ("/status", "fhir.unsupported"),
        ("/authored", "fhir.type"),
    } <= codes_at(error)
    assert any(p.code == "fhir.unknown-code" for p in error.problems)
    assert all("missing" in p.reason for p in error.problems if p.code == "fhir.missing")


def test_cli_import_takes_the_missing_ids_from_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    response, assessment = renderer_shaped("kwg8a-grey-zone-unknowns")
    source = tmp_path / "qr.json"
    source.write_text(json.dumps(response), encoding="utf-8")
    out = tmp_path / "a.json"
    args = ["fhir", "import", str(source), "-o", str(out)]
    assert main(args) == 1
    assert "/identifier: fhir.missing" in capsys.readouterr().err
    ids = ["--case-id", assessment.subject.case_id, "--assessment-id", assessment.id]
    assert main([*args, *ids]) == 0
    again = kwg_check.parse_assessment(json.loads(out.read_text(encoding="utf-8")))
    assert canonical_json(dump_document(again)) == canonical_json(dump_document(assessment))


# --------------------------------------------------------------------------------------------
# Evidence and notes in standard elements (answer.item), which form fillers keep
# --------------------------------------------------------------------------------------------


def without_item_extensions(value: Any) -> Any:
    """The resource as a renderer that keeps no extension on items or answers returns it."""
    if isinstance(value, list):
        return [without_item_extensions(one) for one in value]
    if isinstance(value, dict):
        kept = {k: without_item_extensions(v) for k, v in value.items()}
        if "linkId" in value or any(k.startswith("value") for k in value):
            kept.pop("extension", None)
        return kept
    return value


def test_every_question_asks_for_evidence_and_a_note_in_nested_items() -> None:
    questionnaire: Any = instrument_to_questionnaire(kwg8a(), lang="en")
    nutrition = question(questionnaire, "nutrition")
    evidence, note = nutrition["item"]
    assert (evidence["linkId"], evidence["type"], evidence["repeats"]) == (
        "kwg:evidence.nutrition",
        "group",
        True,
    )
    assert [(i["linkId"], i["type"]) for i in evidence["item"]] == [
        ("kwg:evidence.nutrition.observation", "text"),
        ("kwg:evidence.nutrition.source", "string"),
        ("kwg:evidence.nutrition.date", "date"),
    ]
    assert (note["linkId"], note["type"], note["text"]) == ("kwg:note.nutrition", "text", "Note")


@pytest.mark.parametrize("name", ["spj-high-risk", "spj-moderate-risk", "sdm-max-band-high"])
def test_evidence_and_notes_survive_a_renderer_that_drops_item_extensions(name: str) -> None:
    """(Per-caregiver answers still name their caregiver in an extension: kwg_8a and CANS
    responses need a renderer that keeps answer extensions, see docs/fhir.md.)"""
    assessment, instrument = example(name)
    response = without_item_extensions(exported(name))
    assert any(a.evidence for a in assessment.answers.values())
    again = questionnaire_response_to_assessment(response, instrument)
    assert canonical_json(dump_document(again)) == canonical_json(dump_document(assessment))


def test_evidence_and_notes_sit_under_the_first_answer() -> None:
    response = exported("kwg8a-grey-zone-unknowns")
    answered = [item for item in walk(response["item"]) if "answer" in item]
    assert all("extension" not in item for item in answered)
    assessment = example("kwg8a-grey-zone-unknowns")[0]
    item_id, answer = next((i, a) for i, a in assessment.answers.items() if a.evidence and a.note)
    records = question(response, item_id)["answer"][0]["item"]
    assert [record["linkId"] for record in records] == [
        *[f"kwg:evidence.{item_id}"] * len(answer.evidence),
        f"kwg:note.{item_id}",
    ]


def test_evidence_and_notes_in_the_earlier_extensions_still_import() -> None:
    """Responses exported before the nested items carried them as extensions."""
    name = "spj-high-risk"
    response = exported(name)
    for item in walk(response["item"]):
        for answer in item.get("answer", []):
            extensions = []
            for record in answer.pop("item", []):
                if record["linkId"].startswith("kwg:note."):
                    extensions.append(
                        {"url": EXT_NOTE, "valueString": record["answer"][0]["valueString"]}
                    )
                    continue
                parts = [
                    {"url": part["linkId"].rpartition(".")[2], **part["answer"][0]}
                    for part in record["item"]
                ]
                extensions.append({"url": EXT_EVIDENCE, "extension": parts})
            if extensions:
                item["extension"] = extensions
    assessment, instrument = example(name)
    again = questionnaire_response_to_assessment(response, instrument)
    assert canonical_json(dump_document(again)) == canonical_json(dump_document(assessment))


def test_a_note_given_twice_or_evidence_without_observation_is_refused() -> None:
    response = exported("kwg8a-grey-zone-unknowns")
    assessment, instrument = example("kwg8a-grey-zone-unknowns")
    item_id = next(i for i, a in assessment.answers.items() if a.evidence and a.note)
    answer = question(response, item_id)["answer"][0]
    note = next(r for r in answer["item"] if r["linkId"] == f"kwg:note.{item_id}")
    answer["item"].append(copy.deepcopy(note))
    evidence = next(r for r in answer["item"] if r["linkId"] == f"kwg:evidence.{item_id}")
    evidence["item"] = [p for p in evidence["item"] if not p["linkId"].endswith(".observation")]
    error = rejection(response, instrument)
    assert {p.code for p in error.problems} == {"fhir.duplicate", "fhir.missing"}


def test_a_list_of_values_is_one_item_with_several_answers_and_the_split_form_imports() -> None:
    """qrs-2: repeated answers are combined in one item's answers (``addresses`` lists);
    responses that wrote one item per value still import."""
    name = "kwg8a-grey-zone-follow-up"
    assessment, instrument = example(name)
    response = exported(name)
    lists = [item for item in walk(response["item"]) if item["linkId"].endswith(".addresses")]
    assert any(len(item["answer"]) > 1 for item in lists)
    for owner in walk(response["item"]):
        split: list[Any] = []
        for child in owner.get("item", []):
            if child["linkId"].endswith(".addresses"):
                split.extend({"linkId": child["linkId"], "answer": [a]} for a in child["answer"])
            else:
                split.append(child)
        if "item" in owner:
            owner["item"] = split
    again = questionnaire_response_to_assessment(response, instrument)
    assert canonical_json(dump_document(again)) == canonical_json(dump_document(assessment))
