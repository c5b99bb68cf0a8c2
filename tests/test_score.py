"""Scoring, computed by hand: each expectation is a literal with the arithmetic beside it.

Three test-only instruments (tests/engine_instruments/):

* ``actuarial``: SDM-style neglect and abuse indices (sums), bands by inclusive cut-offs,
  "the higher band counts" (max_band), a decision table by that band, a policy override for
  an immediate threat, discretionary overrides up to one level up; declared monotone.
* ``child_protection``: a §8a-style checklist with an acute-danger floor, protective items,
  minimum completeness 0.75, age-banded and context-dependent items, per-caregiver and
  "all that apply" answers, unknowns with and without ``scores_as``, a rounded mean and
  process checks of every kind.
* ``judgement``: structured professional judgement, no formula.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine_support import assessment, compiled, instrument_data
from kwg_check._engine import assessment_problems, compile_instrument, score
from kwg_check._errors import DocumentError, InstrumentMismatchError, OverrideError
from kwg_check._model import Instrument, Summary
from kwg_check._vocabulary import render_message


def answers(**given: Any) -> dict[str, Any]:
    """Shorthand: a string is a level, a list the selected levels, a dict per caregiver."""
    result: dict[str, Any] = {}
    for item, value in given.items():
        if isinstance(value, str):
            result[item] = {"level": value}
        elif isinstance(value, list):
            result[item] = {"levels": value}
        elif "level" in value or "levels" in value or "caregivers" in value:
            result[item] = value
        else:
            result[item] = {"caregivers": value}
    return result


def run(name: str, given: dict[str, Any], **fields: Any) -> Summary:
    return score(compiled(name), assessment(name, given, **fields))


def index(summary: Summary, ident: str) -> tuple[Decimal | None, str | None]:
    found = next(i for i in summary.indices if i.id == ident)
    return found.value, found.band


def item(summary: Summary, ident: str) -> Any:
    return next(i for i in summary.items if i.id == ident)


def warnings(summary: Summary) -> list[tuple[str, str]]:
    return [(w.pointer, w.code) for w in summary.warnings]


# ==========================================================================================
# Actuarial instrument
# ==========================================================================================

ZERO_NEGLECT = {"n1": "none", "n2": "none", "n3": "no", "n4": "no", "n5": "none"}
ZERO_ABUSE = {"a1": "none", "a2": "none", "a3": "no", "a4": "no", "a5": "none"}
NO_THREAT = {"s1": "no"}


def actuarial(**changes: str) -> Summary:
    return run("actuarial", answers(**{**ZERO_NEGLECT, **ZERO_ABUSE, **NO_THREAT, **changes}))


# Neglect bands: low < 2 ≤ moderate < 5 ≤ high < 8 ≤ very_high (inclusive cut-offs).
NEGLECT_BOUNDARIES = [
    ({}, "0", "low"),
    ({"n3": "yes"}, "1", "low"),  # 1: one below the first cut-off
    ({"n1": "two_plus"}, "2", "moderate"),  # 2: exactly at the cut-off
    ({"n1": "two_plus", "n5": "two_plus"}, "4", "moderate"),  # 2 + 2: one below high
    ({"n1": "two_plus", "n5": "two_plus", "n3": "yes"}, "5", "high"),  # 2 + 2 + 1
    ({"n1": "two_plus", "n5": "two_plus", "n2": "severe"}, "7", "high"),  # 2 + 2 + 3
    ({"n1": "two_plus", "n5": "two_plus", "n2": "severe", "n3": "yes"}, "8", "very_high"),
    (  # 2 + 3 + 1 + 1 + 2: the maximum
        {"n1": "two_plus", "n2": "severe", "n3": "yes", "n4": "yes", "n5": "two_plus"},
        "9",
        "very_high",
    ),
]


@pytest.mark.parametrize(("changes", "value", "band"), NEGLECT_BOUNDARIES)
def test_neglect_index_cut_offs_are_inclusive(
    changes: dict[str, str], value: str, band: str
) -> None:
    summary = actuarial(**changes)
    assert index(summary, "neglect_index") == (Decimal(value), band)
    # The abuse index is 0 (low), so the higher band is the neglect band, and so is the outcome.
    assert index(summary, "abuse_index") == (Decimal(0), "low")
    assert summary.outcome.computed == band
    assert summary.outcome.final == band


# Abuse bands: low < 2 ≤ moderate < 4 ≤ high < 6 ≤ very_high.
ABUSE_BOUNDARIES = [
    ({"a4": "yes"}, "1", "low"),
    ({"a3": "yes", "a4": "yes"}, "2", "moderate"),  # 1 + 1
    ({"a2": "severe"}, "3", "moderate"),  # one below high
    ({"a1": "one", "a2": "severe"}, "4", "high"),  # 1 + 3
    ({"a1": "two_plus", "a2": "severe"}, "5", "high"),  # 2 + 3: one below very_high
    ({"a1": "two_plus", "a2": "severe", "a3": "yes"}, "6", "very_high"),  # 2 + 3 + 1
]


@pytest.mark.parametrize(("changes", "value", "band"), ABUSE_BOUNDARIES)
def test_abuse_index_cut_offs_are_inclusive(changes: dict[str, str], value: str, band: str) -> None:
    summary = actuarial(**changes)
    assert index(summary, "abuse_index") == (Decimal(value), band)
    assert summary.outcome.computed == band


def test_the_higher_band_counts() -> None:
    # neglect 2 + 2 + 1 = 5 (high), abuse 1 + 1 = 2 (moderate): max_band = high, rank 3.
    summary = actuarial(n1="two_plus", n5="two_plus", n3="yes", a3="yes", a4="yes")
    assert index(summary, "neglect_index") == (Decimal(5), "high")
    assert index(summary, "abuse_index") == (Decimal(2), "moderate")
    assert index(summary, "risk_level") == (Decimal(3), "high")
    assert summary.outcome.computed == "high"
    assert summary.outcome.traffic_light == "red"
    assert summary.outcome.statistic_category == "latent_endangerment"
    # Rules tried in order until the first match.
    rules = [(s.id, s.result) for s in summary.trace if s.kind == "rule"]
    assert rules == [("r_very_high", False), ("r_high", "high")]


def test_the_policy_override_forces_the_top_outcome_for_an_immediate_threat() -> None:
    summary = actuarial(s1="yes")
    assert index(summary, "risk_level") == (Decimal(1), "low")
    assert summary.outcome.computed == "very_high"  # table: low; policy: at least very_high
    assert summary.outcome.final == "very_high"
    assert summary.outcome.forms_of_endangerment == ["physical_abuse"]  # s1 is concerning
    policy = [s for s in summary.trace if s.kind == "policy_override"]
    assert [(s.id, s.result) for s in policy] == [("po_threat", "very_high")]


def test_a_discretionary_override_of_one_level_up_is_final() -> None:
    summary = run(
        "actuarial",
        answers(**{**ZERO_NEGLECT, **ZERO_ABUSE, **NO_THREAT, "n1": "two_plus"}),
        override={"outcome": "high", "author": "tl-1", "justification": "Sichtbare Not."},
    )
    assert summary.outcome.computed == "moderate"
    assert summary.outcome.final == "high"
    assert summary.outcome.override is not None
    assert summary.outcome.override.model_dump(exclude_none=True) == {
        "kind": "discretionary_override",
        "outcome": "high",
        "author": "tl-1",
        "levels": 1,
    }
    assert summary.outcome.traffic_light == "red"


@pytest.mark.parametrize(("outcome", "levels"), [("very_high", 2), ("low", -1)])
def test_overrides_beyond_the_policy_are_refused(outcome: str, levels: int) -> None:
    # Computed moderate; the policy allows one level up and none down.
    with pytest.raises(OverrideError) as caught:
        run(
            "actuarial",
            answers(**{**ZERO_NEGLECT, **ZERO_ABUSE, **NO_THREAT, "n1": "two_plus"}),
            override={"outcome": outcome, "author": "tl-1", "justification": "x"},
        )
    assert (caught.value.pointer, caught.value.code) == (
        "/override/outcome",
        "override.out-of-policy",
    )
    assert f"{levels:+d}" in caught.value.reason


def test_an_override_needs_a_policy() -> None:
    data = instrument_data("actuarial")
    del data["discretionary_override"]
    c = compile_instrument(Instrument.model_validate(data))
    a = assessment(
        "actuarial",
        answers(n1="one"),
        override={"outcome": "high", "author": "tl-1", "justification": "x"},
    )
    with pytest.raises(OverrideError) as caught:
        score(c, a)
    assert (caught.value.pointer, caught.value.code) == ("/override", "override.not-allowed")


def test_a_complete_assessment_has_no_unknowns() -> None:
    summary = actuarial(n1="one")
    assert summary.unknowns.items == []
    assert summary.unknowns.range.model_dump(exclude_none=True) == {
        "lowest": "low",
        "highest": "low",
        "method": "none",
    }
    assert summary.unknowns.clarify_first == []
    assert summary.completeness.ratio == Decimal("1.0000")


def test_unknowns_of_a_monotone_instrument_get_an_exact_range() -> None:
    summary = run(
        "actuarial",
        answers(n1="one", n2="unknown", n3="yes", a2="serious", s1="no"),
    )
    # Known: neglect 1 + 1 = 2 (moderate), abuse 2 (moderate) → moderate.
    assert summary.outcome.computed == "moderate"
    assert summary.unknowns.items == ["n2", "n4", "n5", "a1", "a3", "a4", "a5"]
    # Lowest corner: unknowns at their lowest → still moderate. Highest: n2 severe, n4 yes,
    # n5 two_plus → neglect 1 + 3 + 1 + 1 + 2 = 8 → very_high.
    assert summary.unknowns.range.model_dump(exclude_none=True) == {
        "lowest": "moderate",
        "highest": "very_high",
        "method": "exact_monotone",
    }
    # Alone, n2 severe gives neglect 5 (high); a1 or a5 two_plus give abuse 4 (high); n4, n5,
    # a3 and a4 alone stay within moderate. Equal spreads keep instrument order.
    assert summary.unknowns.clarify_first == ["n2", "a1", "a5"]
    assert item(summary, "n2").status == "unknown"
    assert item(summary, "n2").points is None  # no scores_as: left out, not counted as 0
    assert item(summary, "n4").status == "missing"


def test_age_and_resources_are_reported_even_without_risk() -> None:
    summary = run(
        "actuarial",
        answers(**ZERO_NEGLECT, **ZERO_ABUSE, **NO_THREAT),
        resources=[
            {"category": "family", "label": "Großmutter", "available": True},
            {"category": "family", "label": "Onkel", "available": False},
            {"category": "infrastructural", "label": "Sportverein", "available": True},
        ],
    )
    assert [(r.category, r.available, r.unavailable) for r in summary.resources] == [
        ("personal", 0, 0),
        ("family", 1, 1),
        ("social_network", 0, 0),
        ("material", 0, 0),
        ("infrastructural", 1, 0),
    ]
    assert summary.outcome.final == "low"
    assert summary.outcome.forms_of_endangerment == []


# ==========================================================================================
# §8a-style instrument
# ==========================================================================================

GREY_ZONE = answers(
    ctx_setting="kinship",
    care_nutrition={
        "level": "marked",
        "evidence": [
            {"observation": "Beobachtung beim Hausbesuch.", "date": "2024-03-01"},
            {"observation": "Ältere Meldung.", "date": "2023-08-01"},
        ],
    },
    care_hygiene={"cg-a": "mild", "cg-b": "marked"},
    supervision_hazards=["traffic", "household"],
    coop_acceptance="unknown",
    acute_injury="absent",
    prot_caregiver={"cg-a": "strong", "cg-b": "partial"},
    prot_network="weak",
    prot_kinship="strong",
    health_checkups="mild",
)
GREY_ZONE_FIELDS: dict[str, Any] = {
    # 2019-05-20 → 2024-03-10: (2024 - 2019) × 12 + (3 - 5) = 58, day 10 < 20 → 57 months.
    "subject": {"case_id": "case-0002", "birth_date": "2019-05-20"},
    "assessors": [
        {"id": "sw-1", "role": "social_worker"},
        {"id": "tl-2", "role": "team_lead"},
    ],
    "participation": {
        "parents": {"involved": True},
        "child": {"involved": False, "reason_if_not": "Schutz des Kindes."},
    },
    "resources": [
        {"category": "family", "label": "Tante", "available": True},
        {"category": "social_network", "label": "Nachbarin", "available": False},
    ],
}


def grey_zone(**fields: Any) -> Summary:
    return run("child_protection", GREY_ZONE, **{**GREY_ZONE_FIELDS, **fields})


def test_grey_zone_items() -> None:
    summary = grey_zone()
    assert summary.assessment.age_months == 57
    statuses = {i.id: (i.status, i.level, i.points, i.concerning) for i in summary.items}
    assert statuses == {
        "ctx_setting": ("answered", "kinship", None, False),  # context: never scored
        "care_nutrition": ("answered", "marked", Decimal(2), True),
        # The more severe caregiver rating counts: max(mild, marked) = marked.
        "care_hygiene": ("answered", "marked", Decimal(2), True),
        "health_checkups": ("not_applicable", None, None, False),  # only below 36 months
        "health_school": ("not_applicable", None, None, False),  # only from 72 months
        # All that apply, summed: traffic 1 + household 1 = 2; the highest level counts.
        "supervision_hazards": ("answered", "traffic", Decimal(2), True),
        "coop_acceptance": ("unknown", "unknown", None, False),
        "acute_injury": ("answered", "absent", Decimal(0), False),
        "acute_sexual": ("missing", None, None, False),
        # Protective, per caregiver: the lower rating counts: min(strong, partial).
        "prot_caregiver": ("answered", "partial", Decimal(1), False),
        "prot_network": ("answered", "weak", Decimal(0), False),
        "prot_kinship": ("answered", "strong", Decimal(2), False),  # setting is kinship
    }
    assert item(summary, "care_nutrition").evidence == 2


def test_grey_zone_indices() -> None:
    summary = grey_zone()
    # nutrition 2 × weight 2 = 4, hygiene 2 × 1.5 = 3.0; the unknown counts nowhere: 7.0
    assert index(summary, "risk_weighted") == (Decimal("7.0"), None)
    # (2 + 2) / 2 = 2.00 ≥ 2: band high
    assert index(summary, "risk_mean") == (Decimal("2.00"), "high")
    # nutrition and hygiene are at or above "marked"
    assert index(summary, "marked_count") == (Decimal(2), None)
    # partial 1 + weak 0 + strong 2 = 3
    assert index(summary, "protective_sum") == (Decimal(3), None)
    assert [(f.id, f.raised) for f in summary.flags] == [
        ("acute_danger", False),
        ("several_marked", True),
    ]


def test_grey_zone_outcome() -> None:
    summary = grey_zone()
    # 9 applicable non-context items, 7 known (coop unknown, acute_sexual missing):
    # 7 / 9 = 0.7777… → 0.7778 ≥ 0.75
    completeness = summary.completeness
    assert (completeness.applicable, completeness.known) == (9, 7)
    assert completeness.ratio == Decimal("0.7778")
    assert completeness.sufficient is True
    # r_endangerment: mean 2.00 ≥ 2 but protective 3 is not < 2; r_latent: mean ≥ 2 → latent.
    assert summary.outcome.status == "computed"
    assert summary.outcome.computed == "latent"
    assert summary.outcome.floor is None
    assert summary.outcome.final == "latent"
    assert summary.outcome.traffic_light == "yellow"
    assert summary.outcome.statistic_category == "latent_endangerment"
    assert summary.outcome.forms_of_endangerment == ["neglect"]


def test_grey_zone_unknowns() -> None:
    summary = grey_zone()
    assert summary.unknowns.items == ["coop_acceptance", "acute_sexual"]
    # 4 × 2 = 8 completions. acute_sexual present raises the acute flag: endangerment.
    # Absent: coop none gives mean (2 + 2 + 0) / 3 = 1.33 but two marked items → latent;
    # coop severe gives 2.33 with protection 3 → latent.
    assert summary.unknowns.range.model_dump(exclude_none=True) == {
        "lowest": "latent",
        "highest": "endangerment",
        "method": "exhaustive",
    }
    # coop alone never changes "latent"; acute_sexual alone can.
    assert summary.unknowns.clarify_first == ["acute_sexual"]


def test_grey_zone_process_checks_and_warnings() -> None:
    summary = grey_zone()
    checks = {c.id: c.result for c in summary.process_checks}
    assert checks == {
        "pc_assessors": "pass",  # sw-1 and tl-2
        "pc_parents": "pass",  # involved
        "pc_child": "pass",  # not involved, reason documented (57 months ≥ 36)
        "pc_specialist": "fail",  # nobody consulted
        "pc_social_worker": "pass",
        "pc_evidence": "pass",  # nutrition is marked and has evidence
    }
    # 2023-08-01 → 2024-03-10: 30 + 30 + 31 + 30 + 31 + 31 + 29 + 10 = 222 days > 180.
    assert warnings(summary) == [
        ("/answers/care_nutrition/evidence/1/date", "evidence.stale"),
        ("/answers/health_checkups", "answer.not-applicable"),
    ]
    assert [(r.category, r.available, r.unavailable) for r in summary.resources][1:3] == [
        ("family", 1, 0),
        ("social_network", 0, 1),
    ]


def test_process_checks_fail_with_reasons() -> None:
    summary = run(
        "child_protection",
        answers(care_nutrition="severe", acute_injury={"level": "present", "evidence": []}),
        subject={"case_id": "case-0003", "age_months": 40},
        participation={"child": {"involved": False}},
        consultations=[{"role": "child_protection_specialist", "by": "isef-1"}],
        assessors=[{"id": "tl-1", "role": "team_lead"}],
    )
    results = {c.id: (c.result, render_message(c.reason, "en")) for c in summary.process_checks}
    assert results["pc_assessors"] == ("fail", "1 distinct assessor; at least 2 required")
    assert results["pc_parents"] == ("fail", "the participation of the parents is not recorded")
    assert results["pc_child"] == (
        "fail",
        "the child was not involved and no reason is documented",
    )
    assert results["pc_specialist"][0] == "pass"
    assert results["pc_social_worker"] == ("fail", "no assessor has the role social worker")
    assert results["pc_evidence"] == (
        "fail",
        "answers without required evidence: 'care_nutrition', 'acute_injury'",
    )
    assert ("/answers/care_nutrition/evidence", "evidence.missing") in warnings(summary)
    assert ("/answers/acute_injury/evidence", "evidence.missing") in warnings(summary)


def test_a_check_that_does_not_apply() -> None:
    summary = run("child_protection", answers(), subject={"case_id": "c-9", "age_months": 20})
    check = next(c for c in summary.process_checks if c.id == "pc_child")
    assert check.result == "not_applicable"


def test_an_acute_danger_is_never_hidden_by_missing_data() -> None:
    summary = run(
        "child_protection",
        answers(acute_injury="present"),
        override={"outcome": "need_for_help", "author": "tl-1", "justification": "x"},
    )
    # 1 of 8 applicable items known (age 60: no age-banded item; no kinship setting): 0.125
    assert summary.completeness.ratio == Decimal("0.1250")
    assert summary.completeness.sufficient is False
    assert summary.outcome.status == "not_assessable"
    assert summary.outcome.computed is None
    assert summary.outcome.floor == "endangerment"
    assert summary.outcome.final == "endangerment"
    assert summary.outcome.traffic_light == "red"
    assert summary.outcome.override is None
    assert ("/override", "override.not-applied") in warnings(summary)
    assert summary.outcome.forms_of_endangerment == ["physical_abuse"]
    assert [s.kind for s in summary.trace if s.kind in ("rule", "floor", "outcome")] == [
        "floor",
        "outcome",
    ]


def test_not_assessable_without_a_flag_has_no_final_outcome() -> None:
    summary = run("child_protection", answers(care_nutrition="mild"))
    assert summary.outcome.status == "not_assessable"
    assert summary.outcome.final is None
    assert summary.outcome.traffic_light is None
    # The range is computed as if the minimum were met.
    assert summary.unknowns.range.method == "branch_and_bound"  # 4^3 × 3^3 × … > 64: searched
    assert summary.unknowns.range.lowest == "no_endangerment"
    assert summary.unknowns.range.highest == "endangerment"


def test_the_floor_raises_the_computed_outcome_and_bounds_overrides() -> None:
    given = {**GREY_ZONE, **answers(acute_sexual="present")}
    summary = run("child_protection", given, **GREY_ZONE_FIELDS)
    assert summary.outcome.floor == "endangerment"
    assert summary.outcome.computed == "endangerment"  # table: latent; floor: endangerment
    assert summary.outcome.forms_of_endangerment == ["neglect", "sexual_violence"]
    with pytest.raises(OverrideError) as caught:
        run(
            "child_protection",
            given,
            **GREY_ZONE_FIELDS,
            override={"outcome": "latent", "author": "tl-1", "justification": "x"},
        )
    assert (caught.value.pointer, caught.value.code) == (
        "/override/outcome",
        "override.below-floor",
    )


def test_an_override_one_level_down_is_allowed() -> None:
    summary = grey_zone(
        override={
            "outcome": "need_for_help",
            "author": "tl-2",
            "justification": "Hilfe angenommen.",
        }
    )
    assert (summary.outcome.computed, summary.outcome.final) == ("latent", "need_for_help")
    assert summary.outcome.override is not None
    assert summary.outcome.override.levels == -1
    assert summary.outcome.statistic_category == "need_for_help"


@pytest.mark.parametrize(
    ("ratings", "status", "level"),
    [
        ({"a": "unknown", "b": "mild"}, "unknown", "unknown"),  # a could be worse
        ({"a": "unknown", "b": "severe"}, "answered", "severe"),  # already the most severe
        ({"a": "none", "b": "mild"}, "answered", "mild"),
    ],
)
def test_per_caregiver_risk_ratings(ratings: dict[str, str], status: str, level: str) -> None:
    summary = run("child_protection", answers(care_hygiene=ratings))
    assert (item(summary, "care_hygiene").status, item(summary, "care_hygiene").level) == (
        status,
        level,
    )


@pytest.mark.parametrize(
    ("ratings", "status", "level"),
    [
        ({"a": "unknown", "b": "weak"}, "answered", "weak"),  # weakest possible: counts
        ({"a": "unknown", "b": "strong"}, "unknown", "unknown"),
        ({"a": "strong", "b": "partial"}, "answered", "partial"),
    ],
)
def test_per_caregiver_protective_ratings(ratings: dict[str, str], status: str, level: str) -> None:
    summary = run("child_protection", answers(prot_caregiver=ratings))
    found = item(summary, "prot_caregiver")
    assert (found.status, found.level) == (status, level)


def test_unknown_scored_by_rule_is_counted_and_still_reported() -> None:
    summary = run("child_protection", answers(acute_injury="unknown", acute_sexual="absent"))
    found = item(summary, "acute_injury")
    assert (found.status, found.level, found.points) == ("unknown", "unknown", Decimal(1))
    assert "acute_injury" in summary.unknowns.items
    # An unknown answer never matches an answer test: the flag is not raised.
    assert summary.flags[0].raised is False


def test_mean_is_rounded_half_up_to_two_places() -> None:
    # (2 + 3 + 0) / 3 = 1.666… → 1.67 (band elevated: 1 ≤ 1.67 < 2)
    summary = run(
        "child_protection",
        answers(care_nutrition="marked", care_hygiene={"a": "severe"}, coop_acceptance="none"),
    )
    assert index(summary, "risk_mean") == (Decimal("1.67"), "elevated")
    # (1 + 0) / 2 = 0.50 (band low); exactly at the elevated cut-off: (1 + 1) / 2 = 1.00
    summary = run("child_protection", answers(care_nutrition="mild", coop_acceptance="none"))
    assert index(summary, "risk_mean") == (Decimal("0.50"), "low")
    summary = run("child_protection", answers(care_nutrition="mild", coop_acceptance="mild"))
    assert index(summary, "risk_mean") == (Decimal("1.00"), "elevated")


def test_an_index_with_nothing_to_aggregate() -> None:
    summary = run("child_protection", answers(acute_injury="absent"))
    assert index(summary, "risk_mean") == (None, None)  # a mean of nothing has no value
    assert index(summary, "risk_weighted") == (Decimal(0), None)  # an empty sum is 0
    assert index(summary, "marked_count") == (Decimal(0), None)


@pytest.mark.parametrize(
    ("months", "checkups", "school"),
    [
        (35, "answered", "not_applicable"),
        (36, "not_applicable", "not_applicable"),
        (72, "not_applicable", "answered"),
    ],
)
def test_age_bands(months: int, checkups: str, school: str) -> None:
    summary = run(
        "child_protection",
        answers(health_checkups="mild", health_school="mild"),
        subject={"case_id": "c-1", "age_months": months},
    )
    assert item(summary, "health_checkups").status == checkups
    assert item(summary, "health_school").status == school


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        ("2020-01-31", "2020-02-29", 0),  # the 31st is not reached in February
        ("2020-01-31", "2020-03-31", 2),
        ("2020-01-15", "2021-01-14", 11),
        ("2020-01-15", "2021-01-15", 12),
        ("2024-03-10", "2024-03-10", 0),
    ],
)
def test_age_in_completed_months(born: str, on: str, months: int) -> None:
    summary = run(
        "actuarial",
        answers(),
        subject={"case_id": "c-1", "birth_date": born},
        assessment_date=on,
    )
    assert summary.assessment.age_months == months


def test_context_makes_items_apply() -> None:
    summary = run("child_protection", answers(ctx_setting="parents", prot_kinship="strong"))
    assert item(summary, "prot_kinship").status == "not_applicable"
    assert ("/answers/prot_kinship", "answer.not-applicable") in warnings(summary)


def test_evidence_dated_after_the_assessment() -> None:
    summary = run(
        "child_protection",
        answers(
            care_nutrition={
                "level": "mild",
                "evidence": [{"observation": "x", "date": "2024-03-11"}],
            }
        ),
    )
    assert ("/answers/care_nutrition/evidence/0/date", "evidence.future-date") in warnings(summary)


# ==========================================================================================
# Professional judgement
# ==========================================================================================


def test_judgement_instrument_takes_the_final_rating() -> None:
    summary = run(
        "judgement",
        answers(j_history="high", j_current="moderate", j_threat="absent", j_support="high"),
        final_rating={"outcome": "moderate", "author": "tl-1", "justification": "Abgewogen."},
    )
    assert index(summary, "j_risk") == (Decimal(3), None)  # 2 + 1, for orientation only
    assert summary.outcome.status == "judgement"
    assert summary.outcome.computed is None
    assert summary.outcome.final == "moderate"
    assert summary.outcome.override is not None
    assert summary.outcome.override.model_dump(exclude_none=True) == {
        "kind": "final_rating",
        "outcome": "moderate",
        "author": "tl-1",
    }
    assert summary.unknowns.range.model_dump(exclude_none=True) == {"method": "none"}
    assert [s.kind for s in summary.trace][-2:] == ["judgement", "outcome"]


def test_judgement_without_final_rating_has_no_final_outcome() -> None:
    summary = run("judgement", answers(j_history="low"))
    assert summary.outcome.final is None
    assert warnings(summary) == [("/final_rating", "judgement.missing")]
    assert summary.unknowns.items == ["j_current", "j_threat", "j_support"]
    assert summary.unknowns.clarify_first == []


def test_judgement_cannot_go_below_the_floor() -> None:
    given = answers(j_threat="present")
    with pytest.raises(OverrideError) as caught:
        run(
            "judgement", given, final_rating={"outcome": "low", "author": "a", "justification": "x"}
        )
    assert (caught.value.pointer, caught.value.code) == (
        "/final_rating/outcome",
        "override.below-floor",
    )
    summary = run(
        "judgement", given, final_rating={"outcome": "high", "author": "a", "justification": "x"}
    )
    assert (summary.outcome.floor, summary.outcome.final) == ("high", "high")


# ==========================================================================================
# Assessment problems
# ==========================================================================================


def problems(name: str, given: dict[str, Any], **fields: Any) -> set[tuple[str, str]]:
    found = assessment_problems(compiled(name), assessment(name, given, **fields))
    return {(p.pointer, p.code) for p in found}


def test_an_assessment_for_another_instrument_is_a_mismatch() -> None:
    a = assessment("actuarial", answers(), instrument={"id": "other", "version": "9.9.9"})
    with pytest.raises(InstrumentMismatchError) as caught:
        score(compiled("actuarial"), a)
    assert {(p.pointer, p.code) for p in caught.value.problems} == {
        ("/instrument/id", "instrument.mismatch"),
        ("/instrument/version", "instrument.mismatch"),
    }


def test_a_pinned_fingerprint_must_match() -> None:
    c = compiled("actuarial")
    pinned = {"id": c.id, "version": c.version, "fingerprint": "sha256:" + "0" * 64}
    with pytest.raises(InstrumentMismatchError) as caught:
        score(c, assessment("actuarial", answers(), instrument=pinned))
    assert caught.value.code == "instrument.fingerprint"
    pinned["fingerprint"] = c.fingerprint
    assert (
        score(c, assessment("actuarial", answers(), instrument=pinned)).instrument.fingerprint
        == c.fingerprint
    )


def test_answers_are_checked_against_the_instrument() -> None:
    found = problems(
        "child_protection",
        answers(
            ghost="mild",
            care_nutrition=["mild"],  # single item answered with levels
            care_hygiene="mild",  # per-caregiver item answered with one level
            coop_acceptance="extreme",
            supervision_hazards=["traffic", "unknown_marker"],
            prot_caregiver={"a": "unknown", "b": "huge"},
            ctx_setting="unknown",  # the setting scale has no unknown marker
        ),
    )
    assert found == {
        ("/answers/ghost", "answer.unknown-item"),
        ("/answers/care_nutrition", "answer.shape"),
        ("/answers/care_hygiene", "answer.shape"),
        ("/answers/coop_acceptance/level", "answer.unknown-level"),
        ("/answers/supervision_hazards/levels/1", "answer.unknown-level"),
        ("/answers/prot_caregiver/caregivers/b", "answer.unknown-level"),
        ("/answers/ctx_setting/level", "answer.unknown-level"),
    }


def test_the_unknown_marker_stands_alone() -> None:
    data = instrument_data("child_protection")
    data["scales"][4]["unknown"] = {"id": "unknown", "label": {"de": "?", "en": "?"}}
    c = compile_instrument(Instrument.model_validate(data))
    a = assessment("child_protection", answers(supervision_hazards=["unknown", "traffic"]))
    assert {(p.pointer, p.code) for p in assessment_problems(c, a)} == {
        ("/answers/supervision_hazards/levels", "answer.unknown-combined")
    }
    alone = assessment("child_protection", answers(supervision_hazards=["unknown"]))
    assert score(c, alone).items[5].status == "unknown"


def test_judgements_are_checked() -> None:
    assert problems(
        "actuarial", answers(), override={"outcome": "nope", "author": "a", "justification": "x"}
    ) == {("/override/outcome", "judgement.unknown-outcome")}
    assert problems(
        "actuarial", answers(), final_rating={"outcome": "low", "author": "a", "justification": "x"}
    ) == {("/final_rating", "judgement.kind")}
    assert problems(
        "judgement", answers(), override={"outcome": "low", "author": "a", "justification": "x"}
    ) == {("/override", "judgement.kind")}


def test_score_refuses_an_assessment_with_problems() -> None:
    a = assessment("actuarial", answers(n1="lots"))
    with pytest.raises(DocumentError) as caught:
        score(compiled("actuarial"), a)
    assert (caught.value.pointer, caught.value.code) == (
        "/answers/n1/level",
        "answer.unknown-level",
    )


def test_a_birth_date_after_the_assessment_is_refused_with_the_document() -> None:
    """The assessment model checks its dates itself, before any instrument is involved."""
    with pytest.raises(DocumentError) as caught:
        assessment("actuarial", answers(), subject={"case_id": "c", "birth_date": "2024-05-01"})
    assert [(p.pointer, p.code) for p in caught.value.problems] == [
        ("/subject/birth_date", "assessment.birth-after-date")
    ]


def test_problem_reasons_never_quote_free_text() -> None:
    secret = "Vertraulicher Freitext"
    a = assessment(
        "actuarial",
        {"n1": {"level": "lots", "note": secret, "evidence": [{"observation": secret}]}},
        override={"outcome": "nope", "author": "a", "justification": secret},
    )
    for problem in assessment_problems(compiled("actuarial"), a):
        assert secret not in str(problem)
