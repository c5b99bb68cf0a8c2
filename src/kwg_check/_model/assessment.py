"""The assessment document: one §8a risk assessment of one child, made with one instrument.

Subjects and professionals appear only under pseudonymous ids. Free text (observations,
notes, the family's view, justifications) is carried and shown to people, but never echoed
in errors or logs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

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
    "Participation",
    "Participations",
    "Resource",
    "Subject",
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
