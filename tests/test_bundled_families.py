"""The bundled SDM-style, CANS-style and SPJ-style instruments and their examples.

Each instrument must validate, compile (the SDM and CANS ones as verified monotone) and
score its fictional examples exactly as the catalogs claim. The expected index values below
are computed by hand from the example files; the comments show the arithmetic.
"""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwg_check._engine import compile_instrument, instrument_problems, score
from kwg_check._errors import DocumentError, OverrideError
from kwg_check._io import load_path
from kwg_check._model import Assessment, Instrument, Summary
from kwg_check._vocabulary import localized
from strategies import examples

DATA = Path(__file__).resolve().parent.parent / "src" / "kwg_check" / "data"
FAMILIES = ("sdm_risk", "cans_needs", "spj_judgement")
PREFIX = {"sdm_risk": "sdm-", "cans_needs": "cans-", "spj_judgement": "spj-"}
SCHEMA_LINE = (
    "# yaml-language-server: $schema=https://schemas.kwg-check.de/v1/instrument.schema.json"
)


def _instrument_data(family: str) -> Any:
    return load_path(DATA / "instruments" / f"{family}.yaml")


def _instrument(family: str) -> Instrument:
    return Instrument.model_validate(_instrument_data(family))


def _example_data(family: str, name: str) -> dict[str, Any]:
    data = json.loads((DATA / "examples" / family / f"{name}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _score(family: str, data: dict[str, Any]) -> Summary:
    return score(compile_instrument(_instrument(family)), Assessment.model_validate(data))


def _example(family: str, name: str) -> Summary:
    return _score(family, _example_data(family, name))


def _catalog(family: str) -> list[dict[str, Any]]:
    entries = json.loads((DATA / "examples" / family / "catalog.json").read_text("utf-8"))
    assert isinstance(entries, list)
    return entries


def _indices(summary: Summary) -> dict[str, tuple[Decimal | None, str | None]]:
    return {index.id: (index.value, index.band) for index in summary.indices}


def _flags(summary: Summary) -> dict[str, bool]:
    return {flag.id: flag.raised for flag in summary.flags}


def _checks(summary: Summary) -> dict[str, str]:
    return {check.id: check.result for check in summary.process_checks}


def _items(summary: Summary) -> dict[str, tuple[str, str | None]]:
    return {item.id: (item.status, item.level) for item in summary.items}


CATALOG = [(family, entry) for family in FAMILIES for entry in _catalog(family)]


# --- every instrument ------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_instrument_validates_and_compiles(family: str) -> None:
    instrument = _instrument(family)
    assert instrument.id == family
    assert instrument_problems(instrument) == []
    compiled = compile_instrument(instrument)
    assert compiled.id == family


@pytest.mark.parametrize("family", FAMILIES)
def test_instrument_file_names_its_schema_and_its_limits(family: str) -> None:
    path = DATA / "instruments" / f"{family}.yaml"
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    instrument = _instrument(family)
    assert instrument.licence == "CC-BY-4.0"
    assert instrument.sources, "names the public sources that inspired the structure"
    assert instrument.disclaimer is not None
    assert "not validated" in localized(instrument.disclaimer, "en") or "not been" in localized(
        instrument.disclaimer, "en"
    )
    assert "real cases" in localized(instrument.disclaimer, "en")
    assert "realer Fälle" in localized(instrument.disclaimer, "de")


@pytest.mark.parametrize("family", ["sdm_risk", "cans_needs"])
def test_monotone_declaration_is_verified_not_just_claimed(family: str) -> None:
    assert _instrument(family).monotone is True
    # Reversing the order of the table's rule outcomes must make the verification fail.
    data = _instrument_data(family)
    outcomes = [rule["outcome"] for rule in data["decision_table"]]
    for rule, outcome in zip(data["decision_table"], reversed(outcomes), strict=True):
        rule["outcome"] = outcome
    with pytest.raises(DocumentError) as caught:
        compile_instrument(Instrument.model_validate(data))
    assert "instrument.not-monotone" in {problem.code for problem in caught.value.problems}


# --- catalogs and examples ---------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_catalog_lists_every_example_once(family: str) -> None:
    entries = _catalog(family)
    names = [entry["name"] for entry in entries]
    assert len(names) == len(set(names))
    outcome_ids = {outcome.id for outcome in _instrument(family).outcomes}
    for entry in entries:
        assert set(entry) == {
            "name",
            "file",
            "description",
            "expected_final",
            "expected_computed",
        }
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["name"])
        assert entry["name"].startswith(PREFIX[family])
        assert entry["file"] == f"{entry['name']}.json"
        assert entry["description"]
        assert "\n" not in entry["description"]
        assert entry["expected_final"] in outcome_ids
        assert entry["expected_computed"] is None or entry["expected_computed"] in outcome_ids
    files = {path.name for path in (DATA / "examples" / family).glob("*.json")}
    assert files - {"catalog.json"} == {entry["file"] for entry in entries}


@pytest.mark.parametrize(("family", "entry"), CATALOG, ids=[e["name"] for _, e in CATALOG])
def test_example_scores_to_its_catalog_claim(family: str, entry: dict[str, Any]) -> None:
    data = _example_data(family, entry["name"])
    assert data["instrument"] == {"id": family, "version": "1.0.0"}
    assert data["assessment_date"].startswith("2026-")
    summary = _score(family, data)
    assert summary.outcome.final == entry["expected_final"]
    assert summary.outcome.computed == entry["expected_computed"]
    # The examples are meant as good practice: every process check passes, nothing to warn.
    assert all(result != "fail" for result in _checks(summary).values()), _checks(summary)
    assert summary.warnings == []


# --- SDM: actuarial indices, the higher band, policy and discretionary overrides -------------


def test_sdm_higher_band_counts() -> None:
    summary = _example("sdm_risk", "sdm-max-band-high")
    indices = _indices(summary)
    # neglect: current 1 + prior one 1 + (prior help unknown: left out) + three children 1
    #          + substance past 1 + mental health 1 + housing unstable 1 + child needs 0
    #          + no support 1 = 7  → 6 ≤ 7 ≤ 8: high
    assert indices["neglect_index"] == (Decimal(7), "high")
    # abuse: harsh discipline 1 × weight 2 = 2 + domestic violence one 1 = 3 → 2 ≤ 3 ≤ 4: moderate
    assert indices["abuse_index"] == (Decimal(3), "moderate")
    # max_band: the higher of (high, moderate) is high, the third band
    assert indices["risk_level"] == (Decimal(3), "high")
    assert summary.outcome.computed == "high"
    assert summary.outcome.final == "high"
    assert summary.outcome.override is None
    assert summary.outcome.traffic_light == "red"
    # 20 of 21 applicable items known: 20/21 = 0.95238… → 0.9524 ≥ 0.9
    assert (summary.completeness.known, summary.completeness.applicable) == (20, 21)
    assert summary.completeness.ratio == Decimal("0.9524")
    assert summary.completeness.sufficient
    # The unknown item could only move neglect from 7 to 8: still high.
    assert summary.unknowns.items == ["n_prior_help"]
    assert summary.unknowns.range.method == "exact_monotone"
    assert (summary.unknowns.range.lowest, summary.unknowns.range.highest) == ("high", "high")
    assert summary.unknowns.clarify_first == []
    assert summary.outcome.forms_of_endangerment == [
        "neglect",
        "psychological_abuse",
        "physical_abuse",
    ]


def test_sdm_policy_override_forces_very_high() -> None:
    summary = _example("sdm_risk", "sdm-policy-override")
    indices = _indices(summary)
    assert indices["neglect_index"] == (Decimal(0), "low")
    # abuse: one earlier report 1 → below the cut-off 2: low
    assert indices["abuse_index"] == (Decimal(1), "low")
    assert indices["risk_level"] == (Decimal(1), "low")
    matched = [step for step in summary.trace if step.kind == "rule" and step.result]
    assert [(step.id, step.result) for step in matched] == [("r-low", "low")]
    policies = [step.id for step in summary.trace if step.kind == "policy_override"]
    assert policies == ["po-sexual-abuse-access"]
    assert summary.outcome.computed == "very_high"
    assert summary.outcome.final == "very_high"
    assert summary.outcome.forms_of_endangerment == ["sexual_violence"]
    assert _checks(summary)["pc-parents"] == "pass"  # not involved, reason documented


def test_sdm_discretionary_override_one_level_up() -> None:
    summary = _example("sdm_risk", "sdm-discretionary-override")
    indices = _indices(summary)
    # neglect: current 1 + substance current 2 = 3 → exactly the cut-off of moderate
    assert indices["neglect_index"] == (Decimal(3), "moderate")
    # abuse: domestic violence one 1 → one below the cut-off 2: low
    assert indices["abuse_index"] == (Decimal(1), "low")
    assert indices["risk_level"] == (Decimal(2), "moderate")
    assert summary.outcome.computed == "moderate"
    assert summary.outcome.final == "high"
    override = summary.outcome.override
    assert override is not None
    assert (override.kind, override.outcome, override.author, override.levels) == (
        "discretionary_override",
        "high",
        "FK-07",
        1,
    )
    assert summary.assessment.age_months == 7


@pytest.mark.parametrize("outcome", ["very_high", "low"])
def test_sdm_discretionary_override_beyond_policy_is_rejected(outcome: str) -> None:
    data = _example_data("sdm_risk", "sdm-discretionary-override")
    data["override"]["outcome"] = outcome  # two levels up, or one down: both outside policy
    with pytest.raises(OverrideError) as caught:
        _score("sdm_risk", data)
    assert caught.value.code == "override.out-of-policy"
    assert caught.value.pointer.startswith("/override")


SDM_NEGLECT = [
    "n_current_neglect",
    "n_prior_reports",
    "n_prior_help",
    "n_children",
    "n_substance",
    "n_mental_health",
    "n_housing",
    "n_child_needs",
    "n_no_support",
]
SDM_ABUSE = [
    "a_current_abuse",
    "a_prior_reports",
    "a_prior_injury",
    "a_harsh_discipline",
    "a_domestic_violence",
    "a_caregiver_history",
    "a_child_behaviour",
    "a_blames_child",
]
SDM_SAFETY = ["s_sexual_abuse_access", "s_infant_injury", "s_serious_injury", "s_child_death"]
BANDS = ["low", "moderate", "high", "very_high"]


def _levels(instrument: Instrument) -> dict[str, list[tuple[str, Decimal]]]:
    """Item id → its scale's (level, points) in order."""
    scales = {scale.id: scale for scale in instrument.scales}
    return {
        item.id: [(level.id, level.points or Decimal(0)) for level in scales[item.scale].levels]
        for item in instrument.items
    }


def _sdm_band(value: Decimal, cutoffs: tuple[int, int, int]) -> str:
    return BANDS[sum(value >= cutoff for cutoff in cutoffs)]


def _base(family: str, age_months: int) -> dict[str, Any]:
    return {
        "document_type": "assessment",
        "id": "GE-2026-9999-1",
        "instrument": {"id": family, "version": "1.0.0"},
        "subject": {"case_id": "K-2026-9999", "age_months": age_months},
        "assessment_date": "2026-09-01",
        "assessors": [{"id": "FK-01", "role": "social_worker"}],
        "answers": {},
    }


@settings(max_examples=examples(40), deadline=None)
@given(data=st.data())
def test_sdm_outcome_is_the_higher_band_raised_by_policy(data: st.DataObject) -> None:
    instrument = _instrument("sdm_risk")
    levels = _levels(instrument)
    assessment = _base("sdm_risk", data.draw(st.integers(0, 215), label="age"))
    chosen: dict[str, tuple[str, Decimal]] = {}
    for item in SDM_NEGLECT + SDM_ABUSE + SDM_SAFETY:
        chosen[item] = data.draw(st.sampled_from(levels[item]), label=item)
        assessment["answers"][item] = {"level": chosen[item][0]}
    summary = _score("sdm_risk", assessment)
    neglect = sum((chosen[item][1] for item in SDM_NEGLECT), Decimal(0))
    abuse = (
        sum((chosen[item][1] for item in SDM_ABUSE), Decimal(0)) + chosen["a_harsh_discipline"][1]
    )  # that item's weight is 2: count it once more
    indices = _indices(summary)
    assert indices["neglect_index"] == (neglect, _sdm_band(neglect, (3, 6, 9)))
    assert indices["abuse_index"] == (abuse, _sdm_band(abuse, (2, 5, 8)))
    higher = max(
        BANDS.index(_sdm_band(neglect, (3, 6, 9))), BANDS.index(_sdm_band(abuse, (2, 5, 8)))
    )
    assert indices["risk_level"] == (Decimal(higher + 1), BANDS[higher])
    policy = any(chosen[item][0] == "yes" for item in SDM_SAFETY)
    assert summary.outcome.computed == ("very_high" if policy else BANDS[higher])


# --- CANS: a profile of actionable needs and usable strengths ---------------------------------


def test_cans_profile_counts_actionable_needs_and_usable_strengths() -> None:
    summary = _example("cans_needs", "cans-action-needed")
    indices = _indices(summary)
    # life functioning: family 2, school 2 (living 1, sleep 1, health 0, development 0) → 2
    assert indices["lf_actionable"] == (Decimal(2), None)
    # emotions: regulation 2 (anxiety 1, mood 0, trauma unknown never counts) → 1
    assert indices["ce_actionable"] == (Decimal(1), None)
    # risk behaviours: self-harm 0, danger to others 1, running away 0 → 0
    assert indices["rb_actionable"] == (Decimal(0), None)
    # caregivers, the higher rating counts: supervision max(1,2)=2, mental health max(2,0)=2,
    # stress max(2,2)=2; involvement 1, knowledge 1, substance 0 → 3
    assert indices["cg_actionable"] == (Decimal(3), None)
    assert indices["actionable_needs"] == (Decimal(6), "many")  # 2 + 1 + 0 + 3 = 6 ≥ 4
    assert indices["immediate_needs"] == (Decimal(0), None)
    # strengths (0 centerpiece, 1 useful): relationships 1, interests 0 → 2 of the child's;
    # family bonds 1, natural supports 0, day care/school 1 (community 3) → 3
    assert indices["child_usable_strengths"] == (Decimal(2), None)
    assert indices["family_usable_strengths"] == (Decimal(3), None)
    assert indices["usable_strengths"] == (Decimal(5), None)
    assert _flags(summary) == {"danger_to_self_or_others": False, "few_usable_strengths": False}
    items = _items(summary)
    assert items["cg_supervision"] == ("answered", "2")
    assert items["ce_attachment"][0] == "not_applicable"  # 103 months: older than six
    assert items["ce_trauma"][0] == "unknown"
    # The unrated trauma item alone could turn the plan into immediate action.
    assert summary.unknowns.items == ["ce_trauma"]
    assert summary.unknowns.range.method == "exact_monotone"
    assert (summary.unknowns.range.lowest, summary.unknowns.range.highest) == (
        "action_needed",
        "immediate_action",
    )
    assert summary.unknowns.clarify_first == ["ce_trauma"]
    assert summary.outcome.computed == "action_needed"


def test_cans_need_rated_three_calls_for_immediate_action() -> None:
    summary = _example("cans_needs", "cans-immediate-action")
    indices = _indices(summary)
    # family 2, school 2, sleep 2 → 3; anxiety 2, mood 3, trauma 2 → 3; self-harm 3 → 1;
    # knowledge 2, stress 2 → 2; total 3 + 3 + 1 + 2 = 9
    assert indices["lf_actionable"] == (Decimal(3), None)
    assert indices["ce_actionable"] == (Decimal(3), None)
    assert indices["rb_actionable"] == (Decimal(1), None)
    assert indices["cg_actionable"] == (Decimal(2), None)
    assert indices["actionable_needs"] == (Decimal(9), "many")
    assert indices["immediate_needs"] == (Decimal(2), None)  # mood 3, self-harm 3
    # interests 1 is the only usable strength; the family's are all 2 or 3
    assert indices["usable_strengths"] == (Decimal(1), None)
    assert _flags(summary) == {"danger_to_self_or_others": True, "few_usable_strengths": True}
    assert summary.outcome.floor == "immediate_action"
    assert summary.outcome.computed == "immediate_action"
    assert summary.unknowns.items == []


def test_cans_without_actionable_need_needs_no_action() -> None:
    data = _example_data("cans_needs", "cans-action-needed")
    for item, answer in data["answers"].items():
        if item.startswith("st_"):
            continue  # strengths never decide the plan
        if "caregivers" in answer:
            answer["caregivers"] = {cg: min(lv, "1") for cg, lv in answer["caregivers"].items()}
        else:
            answer["level"] = "1"
    summary = _score("cans_needs", data)
    assert _indices(summary)["actionable_needs"] == (Decimal(0), "none")
    assert summary.outcome.computed == "no_action"


def _cans_applies(item: str, age: int) -> bool:
    """Applicability as the instrument documents it (school from 3, attachment below 6,
    risk behaviours from 6)."""
    if item in ("lf_school", "st_educational"):
        return age >= 36
    if item == "ce_attachment":
        return age < 72
    return not item.startswith("rb_") or age >= 72


@settings(max_examples=examples(40), deadline=None)
@given(data=st.data())
def test_cans_plan_follows_the_highest_applicable_need(data: st.DataObject) -> None:
    instrument = _instrument("cans_needs")
    age = data.draw(st.integers(0, 215), label="age")
    assessment = _base("cans_needs", age)
    ratings: dict[str, str] = {}
    for item in instrument.items:
        if not _cans_applies(item.id, age):
            continue
        ratings[item.id] = data.draw(st.sampled_from(["0", "1", "2", "3"]), label=item.id)
        if item.per_caregiver:
            assessment["answers"][item.id] = {"caregivers": {"CG-1": ratings[item.id]}}
        else:
            assessment["answers"][item.id] = {"level": ratings[item.id]}
    summary = _score("cans_needs", assessment)
    indices = _indices(summary)
    by_id = {index.id: index for index in instrument.indices}
    for index in ("lf_actionable", "ce_actionable", "rb_actionable", "cg_actionable"):
        expected = sum(1 for item in by_id[index].items if int(ratings.get(item, "0")) >= 2)
        assert indices[index][0] == Decimal(expected)
    usable = sum(
        1 for item, level in ratings.items() if item.startswith("st_") and level in ("0", "1")
    )
    assert indices["usable_strengths"][0] == Decimal(usable)
    highest = max((int(lv) for item, lv in ratings.items() if not item.startswith("st_")))
    expected_outcome = {3: "immediate_action", 2: "action_needed"}.get(highest, "no_action")
    assert summary.outcome.computed == expected_outcome


# --- SPJ: the professionals' own rating, every rated item shown -----------------------------


@pytest.mark.parametrize(
    ("name", "rating", "counts"),
    [
        # historical high: adversity; contextual high: stress; individual high: none;
        # at least moderate: 3 + 3 + 3 = 9; protective present: attachment, engagement, school
        ("spj-moderate-risk", "moderate", (1, 1, 0, 9, 3)),
        # historical high: violence, failed help (adversity unknown); contextual high: stress,
        # isolation, partner violence; individual high: attributions, anger, insight;
        # at least moderate: 3 + 4 + 4 = 11; protective present: attachment, day care
        ("spj-high-risk", "high", (2, 3, 3, 11, 2)),
    ],
)
def test_spj_final_is_the_assessors_rating(
    name: str, rating: str, counts: tuple[int, int, int, int, int]
) -> None:
    data = _example_data("spj_judgement", name)
    summary = _score("spj_judgement", data)
    assert summary.outcome.status == "judgement"
    assert summary.outcome.computed is None
    assert summary.outcome.final == rating
    override = summary.outcome.override
    assert override is not None
    assert (override.kind, override.outcome, override.author) == (
        "final_rating",
        rating,
        data["final_rating"]["author"],
    )
    indices = _indices(summary)
    names = [
        "historical_high",
        "contextual_high",
        "individual_high",
        "risk_present",
        "protective_present",
    ]
    assert tuple(indices[index][0] for index in names) == tuple(Decimal(n) for n in counts)
    # Every item appears, grouped by domain in instrument order, with its rating.
    instrument = _instrument("spj_judgement")
    assert [item.id for item in summary.items] == [item.id for item in instrument.items]
    for item in summary.items:
        answer = data["answers"][item.id]["level"]
        if answer == "unknown":
            assert item.status == "unknown"
        else:
            assert (item.status, item.level) == ("answered", answer)


def test_spj_specialist_check_applies_only_to_providers() -> None:
    youth_office = _example("spj_judgement", "spj-moderate-risk")
    provider = _example("spj_judgement", "spj-high-risk")
    assert _checks(youth_office)["pc-specialist"] == "not_applicable"
    assert _checks(provider)["pc-specialist"] == "pass"


def test_spj_unknown_factor_is_listed_but_no_formula_ranges_it() -> None:
    summary = _example("spj_judgement", "spj-high-risk")
    assert summary.unknowns.items == ["h_caregiver_adversity"]
    assert summary.unknowns.range.method == "none"
    assert summary.unknowns.range.lowest is None
    assert summary.unknowns.range.highest is None


def test_spj_without_final_rating_warns_and_leaves_final_open() -> None:
    data = copy.deepcopy(_example_data("spj_judgement", "spj-moderate-risk"))
    del data["final_rating"]
    summary = _score("spj_judgement", data)
    assert summary.outcome.final is None
    assert [warning.code for warning in summary.warnings] == ["judgement.missing"]


@settings(max_examples=examples(25), deadline=None)
@given(data=st.data())
def test_spj_never_computes_an_outcome(data: st.DataObject) -> None:
    instrument = _instrument("spj_judgement")
    levels = _levels(instrument)
    assessment = _base("spj_judgement", 100)
    for item in instrument.items:
        assessment["answers"][item.id] = {"level": data.draw(st.sampled_from(levels[item.id]))[0]}
    rating = data.draw(st.sampled_from(["low", "moderate", "high"]), label="rating")
    assessment["final_rating"] = {"outcome": rating, "author": "FK-01", "justification": "x"}
    summary = _score("spj_judgement", assessment)
    assert summary.outcome.computed is None
    assert summary.outcome.final == rating
