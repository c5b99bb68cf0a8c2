"""Who is assessed: subject kinds, family members, and age bands that read a member.

Two fictional, English-only instruments stand for real forms: a caregiver questionnaire with
the nine-question structure of a depression screen (``caregiver_questionnaire``) and an
actuarial family reassessment whose unknowns score 0 by rule (``family_reassessment``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine_support import compiled, document, instrument_data
from kwg_check import DocumentError
from kwg_check._engine import score
from kwg_check._model import Assessment
from kwg_check._schema import schema_problems
from kwg_check._views._stats import tabulate_statistic
from kwg_check._views._text import render_summary_text

FAMILY = {
    "kind": "family",
    "case_id": "fam-0042",
    "members": [
        {"id": "p-1", "role": "caregiver", "age_months": 400},
        {"id": "c-1", "role": "child", "birth_date": "2019-05-02"},
        {"id": "c-2", "role": "child", "age_months": 20},
    ],
}
REASSESSMENT = {
    "prior_reports": {"level": "one"},
    "new_report": {"level": "yes"},
    "plan_progress": {"level": "partly"},
    "visits": {"level": "kept"},
    "substance": {"level": "no"},
    "domestic_violence": {"level": "cannot_obtain"},
    "child_needs": {"level": "yes"},
    "infant_care": {"level": "poor"},
    "housing": {"level": "no"},
    "support": {"level": "yes"},
    "finding": {"level": "substantiated"},
}


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The model's problems of an assessment, as (pointer, code)."""
    with pytest.raises(DocumentError) as caught:
        Assessment.model_validate(data)
    return [(p.pointer, p.code) for p in caught.value.problems]


def _schema_accepts(data: dict[str, Any]) -> bool:
    return not schema_problems("assessment", data)


def test_a_family_is_scored_with_its_members_and_the_youngest_childs_age() -> None:
    data = document("family_reassessment", REASSESSMENT, subject=FAMILY)
    summary = score(compiled("family_reassessment"), Assessment.model_validate(data))
    # 1 + 1 + 1 + 0 + 0 + 0 (cannot be obtained: 0 by rule) + 1 + 1 + 0 + 1
    assert summary.indices[0].value == 6
    assert summary.outcome.computed == "high"
    ref = summary.assessment
    assert ref.subject_kind == "family"
    assert ref.age_months is None
    assert [(m.id, m.role, m.age_months) for m in ref.members or ()] == [
        ("p-1", "caregiver", 400),
        ("c-1", "child", 58),  # 2019-05-02 to 2024-03-10
        ("c-2", "child", 20),
    ]
    # infant_care applies by the youngest child's age (20 months), which the summary holds.
    infant_care = next(i for i in summary.items if i.id == "infant_care")
    assert infant_care.status != "not_applicable"
    # The unknown is still reported, although it scores 0 by rule.
    assert summary.unknowns.items == ["domestic_violence"]


def test_an_age_band_of_the_youngest_child_switches_an_item_off() -> None:
    older = {**FAMILY, "members": [{"id": "c-1", "role": "child", "age_months": 36}]}
    data = document("family_reassessment", REASSESSMENT, subject=older)
    summary = score(compiled("family_reassessment"), Assessment.model_validate(data))
    status = {item.id: item.status for item in summary.items}
    assert status["infant_care"] == "not_applicable"
    assert summary.indices[0].value == 5


def test_a_household_without_children_has_no_youngest_child() -> None:
    adults = {**FAMILY, "members": [{"id": "p-1", "role": "caregiver", "age_months": 400}]}
    data = document("family_reassessment", REASSESSMENT, subject=adults)
    summary = score(compiled("family_reassessment"), Assessment.model_validate(data))
    assert {i.id: i.status for i in summary.items}["infant_care"] == "not_applicable"
    # The § 99 statistic counts a household without children as 18 and over.
    assert tabulate_statistic([summary]).sections["age_group"]["18_and_over"] == 1


def test_a_caregiver_is_scored_with_an_adult_age() -> None:
    answers = {f"q{n}": {"level": "some_days"} for n in range(1, 10)}
    subject = {"kind": "caregiver", "case_id": "case-0007", "age_months": 420}
    data = document("caregiver_questionnaire", answers, subject=subject)
    summary = score(compiled("caregiver_questionnaire"), Assessment.model_validate(data))
    assert summary.indices[0].value == 9
    assert summary.indices[0].band == "mild"
    # q9 at 'several days' raises the acute flag, whose floor is the referral.
    assert summary.outcome.computed == "refer"
    assert summary.assessment.subject_kind == "caregiver"
    assert summary.assessment.age_months == 420
    text = render_summary_text(summary, compiled("caregiver_questionnaire").instrument, "en")
    assert "age in months 420, subject: caregiver" in text


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("caregiver_questionnaire", {"case_id": "case-0001", "age_months": 60}),
        ("family_reassessment", {"kind": "caregiver", "case_id": "c-1", "age_months": 400}),
        ("actuarial", FAMILY),
    ],
)
def test_an_instrument_refuses_a_subject_kind_it_does_not_accept(
    name: str, subject: dict[str, Any]
) -> None:
    answers: dict[str, Any] = {}
    data = document(name, answers, subject=subject)
    with pytest.raises(DocumentError) as caught:
        score(compiled(name), Assessment.model_validate(data))
    assert [(p.pointer, p.code) for p in caught.value.problems] == [
        ("/subject/kind", "assessment.subject-kind")
    ]


def test_an_instrument_without_subject_kinds_assesses_children() -> None:
    data = instrument_data("actuarial")
    assert "subject_kinds" not in data
    assert compiled("actuarial").instrument.subject_kinds == ["child"]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        # A child keeps today's limit; a young adult may be older, up to 26 years.
        ({"case_id": "c-1", "age_months": 301}, [("/subject", "schema.value")]),
        ({"kind": "child", "case_id": "c-1", "age_months": 301}, [("/subject", "schema.value")]),
        (
            {"kind": "young_adult", "case_id": "c-1", "age_months": 324},
            [("/subject", "schema.value")],
        ),
        (
            {"kind": "caregiver", "case_id": "c-1", "age_months": 1441},
            [("/subject/age_months", "schema.range")],
        ),
        # A family lists members and has no age of its own.
        ({"kind": "family", "case_id": "c-1"}, [("/subject", "schema.value")]),
        ({**FAMILY, "age_months": 3}, [("/subject", "schema.value")]),
        (
            {"case_id": "c-1", "age_months": 3, "members": FAMILY["members"]},
            [("/subject", "schema.value")],
        ),
        ({**FAMILY, "members": []}, [("/subject/members", "schema.length")]),
    ],
)
def test_kind_dependent_subject_rules_refuse_in_model_and_schema(
    subject: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    data = document("actuarial", {}, subject=subject)
    assert _problems(data) == expected
    assert not _schema_accepts(data)


@pytest.mark.parametrize(
    "subject",
    [
        {"kind": "young_adult", "case_id": "c-1", "age_months": 323},
        {"kind": "caregiver", "case_id": "c-1", "birth_date": "1980-01-01"},
        FAMILY,
        {"case_id": "c-1", "age_months": 300},
    ],
)
def test_subjects_of_every_kind_are_accepted_by_model_and_schema(subject: dict[str, Any]) -> None:
    data = document("actuarial", {}, subject=subject)
    Assessment.model_validate(data)
    assert _schema_accepts(data)


def test_birth_dates_are_checked_against_the_kind_and_members_are_unique() -> None:
    young = {"kind": "young_adult", "case_id": "c-1", "birth_date": "1996-01-01"}
    assert _problems(document("actuarial", {}, subject=young)) == [
        ("/subject/birth_date", "assessment.age-range")
    ]
    twice = {**FAMILY, "members": [FAMILY["members"][0], FAMILY["members"][0]]}
    assert _problems(document("actuarial", {}, subject=twice)) == [
        ("/subject/members/1/id", "assessment.duplicate-member")
    ]


@given(st.integers(0, 1440), st.sampled_from(["child", "young_adult", "caregiver"]))
def test_the_age_limit_of_each_kind_holds_in_model_and_schema_alike(age: int, kind: str) -> None:
    data = document("actuarial", {}, subject={"kind": kind, "case_id": "c-1", "age_months": age})
    limit = {"child": 300, "young_adult": 323, "caregiver": 1440}[kind]
    try:
        Assessment.model_validate(data)
        model = True
    except DocumentError:
        model = False
    assert model == (age <= limit) == _schema_accepts(data)


def test_child_summaries_name_no_kind_and_no_members() -> None:
    data = document("actuarial", {})
    summary = score(compiled("actuarial"), Assessment.model_validate(data))
    assert summary.assessment.subject_kind is None
    assert summary.assessment.members is None
    assert summary.assessment.age_months == 60
