"""The assessment document: one §8a risk assessment of one child, made with one instrument.

Subjects and professionals appear only under pseudonymous ids. Free text (observations,
notes, the family's view, justifications) is carried and shown to people, but never echoed
in errors or logs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

import pydantic
from pydantic import ConfigDict, Field, TypeAdapter, model_validator

from .._errors import Problem, safe_pointer
from ._types import (
    JSON_INT,
    Document,
    Extensions,
    Fingerprint,
    Id,
    IsoDate,
    Part,
    PseudonymousId,
    SemVer,
    Text,
    anchored,
    one_of,
)

__all__ = [
    "Answer",
    "Assessment",
    "Assessor",
    "Consultation",
    "Evidence",
    "FamilyView",
    "InstrumentRef",
    "Judgement",
    "MigratedFrom",
    "NotCarried",
    "Participation",
    "Participations",
    "Resource",
    "Subject",
    "completed_months",
]

ResourceCategory = Literal["personal", "family", "social_network", "material", "infrastructural"]
Initiator = Literal[
    "police_or_court",
    "school",
    "day_care",
    "health_services",
    "social_services",
    "counselling_or_youth_work",
    "relatives",
    "neighbours_or_acquaintances",
    "parents",
    "child",
    "anonymous",
    "other",
]


class InstrumentRef(Part):
    """Which instrument the assessment was made with."""

    id: Id
    """Instrument id."""
    version: SemVer
    """Instrument version."""
    fingerprint: Fingerprint | None = None
    """Fingerprint of the exact instrument document, when the case system pins it."""


class NotCarried(Part):
    """An answer a migration could not carry over: it became unknown (or unanswered)."""

    pointer: Annotated[str, Field(pattern=anchored("/answers/[a-z0-9][a-z0-9_.-]{0,63}"))]
    """JSON pointer of the answer in the assessment before the migration."""
    code: Literal["migrate.item-dropped", "migrate.item-unknown", "migrate.level-unmapped"]
    """Why: the item was dropped, has no counterpart, or its level has none."""


class MigratedFrom(Part):
    """The instrument version an assessment was made with before it was migrated."""

    id: Id
    """Instrument id before the migration."""
    version: SemVer
    """Instrument version before the migration."""
    not_carried: list[NotCarried] = Field(default_factory=list)
    """Answers that could not be carried over; never guessed."""


class Subject(Part):
    """The child, pseudonymously: a case id and either a birth date or an age in months."""

    model_config = one_of("birth_date", "age_months")

    case_id: PseudonymousId
    """Pseudonymous case id of the child."""
    birth_date: IsoDate | None = None
    """Birth date; the age on the assessment date is derived from it."""
    age_months: Annotated[int, Field(ge=0, le=300), JSON_INT] | None = None
    """Age in completed months on the assessment date, when no birth date is recorded."""

    @model_validator(mode="after")
    def _one_age(self) -> Subject:
        if (self.birth_date is None) == (self.age_months is None):
            raise ValueError("give exactly one of birth_date and age_months")
        return self


class Assessor(Part):
    """A professional who took part in the assessment."""

    id: PseudonymousId
    """Pseudonymous id of the professional."""
    role: Id
    """Role, e.g. ``social_worker``, ``team_lead``, ``child_protection_specialist``."""


class Participation(Part):
    """Whether a party was involved, and if not, why (§ 8a Abs. 1 Satz 2 SGB VIII)."""

    involved: bool
    """The party was involved in the assessment."""
    reason_if_not: Text | None = None
    """Documented reason why the party was not involved (e.g. involvement would endanger
    the child's protection)."""


class Participations(Part):
    """Participation of the parents and of the child."""

    parents: Participation | None = None
    """The parents or other persons with parental responsibility."""
    child: Participation | None = None
    """The child or young person."""


class Consultation(Part):
    """A consultation, e.g. of the child-protection specialist (§ 8a Abs. 4 SGB VIII)."""

    role: Id
    """Role of the consulted professional (e.g. ``child_protection_specialist``)."""
    by: PseudonymousId
    """Pseudonymous id of the consulted professional."""
    date: IsoDate | None = None
    """When the consultation took place."""


class FamilyView(Part):
    """The family's own view and will, in their words (social-space orientation)."""

    statement: Text | None = None
    """How the family sees the situation."""
    will: Text | None = None
    """What the family itself wants to change."""


class Evidence(Part):
    """One piece of evidence for an answer."""

    observation: Text
    """What was observed or reported."""
    source: Annotated[str, Field(max_length=500)] | None = None
    """Where it comes from (home visit, school report, …), in pseudonymous terms."""
    date: IsoDate | None = None
    """When it was observed."""


class Answer(Part):
    """The rating of one item: one level, several levels, or one level per caregiver."""

    model_config = one_of("level", "levels", "caregivers")

    level: Id | None = None
    """The level (or the scale's unknown marker) for single-choice items."""
    levels: list[Id] | None = Field(default=None, max_length=50)
    """All levels that apply, for 'all that apply' items."""
    caregivers: dict[PseudonymousId, Id] | None = Field(default=None, min_length=1)
    """Level per caregiver (pseudonymous caregiver id → level)."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Evidence for the rating."""
    note: Text | None = None
    """The assessors' note."""

    @model_validator(mode="after")
    def _one_value(self) -> Answer:
        given = [v for v in (self.level, self.levels, self.caregivers) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of level, levels and caregivers")
        return self


class Resource(Part):
    """One resource of the child or family (Sozialraumorientierung)."""

    category: ResourceCategory
    """personal, family, social_network, material or infrastructural (neighbourhood)."""
    label: Annotated[str, Field(min_length=1, max_length=500)]
    """Who or what it is, in pseudonymous terms (e.g. 'grandmother', 'football club')."""
    available: bool
    """Whether the resource is available to the family now."""
    note: Text | None = None
    """How it can help."""


class Judgement(Part):
    """A professional decision on the outcome: an override or a final rating."""

    outcome: Id
    """The outcome the professionals decided on."""
    author: PseudonymousId
    """Pseudonymous id of the professional who takes responsibility."""
    justification: Annotated[str, Field(min_length=1, max_length=20_000)]
    """Why. Required: judgement is documented, never silent."""


class Assessment(Document):
    """A §8a risk assessment (Gefährdungseinschätzung)."""

    document_type: Literal["assessment"]
    """Marks the document as an assessment."""
    id: PseudonymousId
    """Pseudonymous id of the assessment."""
    instrument: InstrumentRef
    """The instrument used."""
    migrated_from: MigratedFrom | None = None
    """Set by ``kwg-check migrate``: the instrument the answers were first given under."""
    subject: Subject
    """The child."""
    assessment_date: IsoDate
    """The date the assessment refers to; ages and staleness are computed from it."""
    initiated_by: Initiator | None = None
    """Who made the weighty indications known (for the § 99 SGB VIII statistic)."""
    assessors: list[Assessor] = Field(min_length=1, max_length=50)
    """The professionals who assessed together."""
    participation: Participations = Field(default_factory=Participations)
    """Involvement of parents and child."""
    consultations: list[Consultation] = Field(default_factory=list)
    """Consultations, e.g. of the child-protection specialist."""
    family_view: FamilyView | None = None
    """The family's own view and will."""
    answers: dict[Id, Answer] = Field(default_factory=dict)
    """Ratings by item id. Unanswered applicable items count as missing."""
    resources: list[Resource] = Field(default_factory=list)
    """The resource map."""
    override: Judgement | None = None
    """A discretionary override of the computed outcome, where the instrument allows it."""
    final_rating: Judgement | None = None
    """The professionals' final rating, for structured-professional-judgement instruments."""
    extensions: Extensions | None = None
    """The case system's own data. Preserved untouched."""

    @classmethod
    def _own_problems(cls, data: Any) -> Iterable[Problem]:
        """The checks an assessment can make without its instrument (dates, duplicates)."""
        return _assessment_problems(data)


# --------------------------------------------------------------------------------------------
# Checks an assessment can make alone (on the raw value, so they add to schema problems)
# --------------------------------------------------------------------------------------------

_DATE = TypeAdapter(IsoDate, config=ConfigDict(strict=True, hide_input_in_errors=True))
_MAX_AGE_MONTHS = 300
"""Oldest subject the models accept (``age_months`` ≤ 300); a birth date must agree."""


def _assessment_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    return [
        *_subject_problems(data),
        *_assessor_problems(data.get("assessors")),
        *_answer_problems(data.get("answers")),
        *_judgement_problems(data),
    ]


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return _DATE.validate_python(value)
    except pydantic.ValidationError:
        return None  # reported by the model validation


def completed_months(birth: datetime.date, on: datetime.date) -> int:
    """Completed months: whole months, minus one while the day of the month is not reached
    (born on the 31st: reached on the 31st only)."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def _subject_problems(data: dict[str, Any]) -> Iterator[Problem]:
    subject = data.get("subject")
    on = _date(data.get("assessment_date"))
    birth = _date(subject.get("birth_date")) if isinstance(subject, dict) else None
    if birth is None or on is None:
        return
    pointer = "/subject/birth_date"
    if birth > on:
        yield Problem(
            pointer, "assessment.birth-after-date", "the birth date is after the assessment date"
        )
    elif completed_months(birth, on) > _MAX_AGE_MONTHS:
        yield Problem(
            pointer,
            "assessment.age-range",
            f"the child would be older than {_MAX_AGE_MONTHS} months on the assessment date",
        )


def _assessor_problems(assessors: Any) -> Iterator[Problem]:
    if not isinstance(assessors, list):
        return
    seen: set[str] = set()
    for index, assessor in enumerate(assessors):
        ident = assessor.get("id") if isinstance(assessor, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            yield Problem(
                f"/assessors/{index}/id",
                "assessment.duplicate-assessor",
                "an earlier assessor has the same id; each professional is listed once",
            )
        seen.add(ident)


def _answer_problems(answers: Any) -> Iterator[Problem]:
    if not isinstance(answers, dict):
        return
    for item, answer in answers.items():
        levels = answer.get("levels") if isinstance(answer, dict) else None
        if not isinstance(levels, list):
            continue
        seen: set[str] = set()
        for index, level in enumerate(levels):
            if not isinstance(level, str):
                continue
            if level in seen:
                pointer = safe_pointer(("answers", item, "levels", index))
                yield Problem(pointer, "answer.duplicate-level", "the level is listed twice")
            seen.add(level)


def _judgement_problems(data: dict[str, Any]) -> Iterator[Problem]:
    if data.get("override") is not None and data.get("final_rating") is not None:
        yield Problem(
            "/final_rating",
            "assessment.override-and-final-rating",
            "give either an override of the computed outcome or a final rating, not both",
        )
