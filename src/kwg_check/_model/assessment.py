"""The assessment document: one §8a risk assessment of one subject, made with one instrument.

The subject is a child unless it says otherwise: a young adult, a caregiver, or a whole
family or household with its members.

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
from ._patterns import validated
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
    "FamilyGoal",
    "FamilyView",
    "InstrumentRef",
    "Judgement",
    "Member",
    "MigratedFrom",
    "NotCarried",
    "Participation",
    "Participations",
    "Resource",
    "Subject",
    "completed_months",
]

ResourceCategory = Literal["personal", "family", "social_network", "material", "infrastructural"]
ResourceSector = Literal[
    "family", "friends_and_neighbours", "school_or_work", "professional_helpers"
]
"""Where a resource sits in the family's network map (the four sectors of a network map)."""
ResourceKind = Literal["person", "group", "organisation", "place", "material"]
Closeness = Literal["close", "middle", "distant"]
"""How close a resource is to the family: the inner, middle or outer ring of the map."""
ConcernIds = Annotated[list[Id], Field(max_length=200)]
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


SubjectKind = Literal["child", "young_adult", "caregiver", "family"]
"""Who an assessment is about; instruments list the kinds they accept."""
MemberRole = Literal["child", "caregiver", "other_adult"]

MAX_AGE_MONTHS = 1440
"""Oldest person the models accept (120 years), in completed months."""
AGE_LIMITS: dict[str, int] = {"child": 300, "young_adult": 323, "caregiver": MAX_AGE_MONTHS}
"""Oldest subject of each kind with an age: a child 300 months (25 years, today's limit),
a young adult younger than 27 years (SGB VIII § 7 Abs. 1 Nr. 4, § 41), a caregiver any adult."""


def _kind(kind: str) -> dict[str, Any]:
    described = {"title": "Kind", "description": f"{kind}.", "type": "string", "const": kind}
    return {"type": "object", "properties": {"kind": described}}


def _kind_is(kind: str) -> dict[str, Any]:
    return {"type": "object", **_kind(kind), "required": ["kind"]}


def _has(name: str) -> dict[str, Any]:
    """Names a property it requires, as ajv's strict mode wants."""
    return {"type": "object", "properties": {name: True}, "required": [name]}


_AGES = (_has("birth_date"), _has("age_months"))


def _at_most(months: int) -> dict[str, Any]:
    limit = {"title": "Age Months", "description": f"At most {months}.", "maximum": months}
    return {"type": "object", "properties": {"age_months": {"type": "integer", **limit}}}


_SUBJECT_SCHEMA: dict[str, Any] = {
    "allOf": [
        {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {**_kind("family")["properties"], "members": True},
                    "required": ["kind", "members"],
                    "not": {"anyOf": _AGES},
                },
                {
                    "allOf": [
                        {"not": _kind_is("family")},
                        {"not": _has("members")},
                        {"oneOf": _AGES},
                    ]
                },
            ]
        },
        {
            "anyOf": [
                {**_has("kind"), "not": _kind("child")},
                _at_most(AGE_LIMITS["child"]),
            ]
        },
        {"anyOf": [{"not": _kind_is("young_adult")}, _at_most(AGE_LIMITS["young_adult"])]},
    ]
}
"""The kind-dependent rules of a subject, for validators other than the library's."""


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

    pointer: Annotated[
        str, Field(pattern=validated(anchored("/answers/[a-z0-9][a-z0-9_.-]{0,63}")))
    ]
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


class Member(Part):
    """One member of a family or household subject, pseudonymously: an id, a role and an age."""

    model_config = one_of("birth_date", "age_months")

    id: PseudonymousId
    """Pseudonymous id of the member, unique within the subject."""
    role: MemberRole
    """child: a child of the household; caregiver: a parent or other person caring for the
    children; other_adult: any other adult living in the household."""
    birth_date: IsoDate | None = None
    """Birth date; the age on the assessment date is derived from it."""
    age_months: Annotated[int, Field(ge=0, le=MAX_AGE_MONTHS), JSON_INT] | None = None
    """Age in completed months on the assessment date, when no birth date is recorded."""

    @model_validator(mode="after")
    def _one_age(self) -> Member:
        if (self.birth_date is None) == (self.age_months is None):
            raise ValueError("give exactly one of birth_date and age_months")
        return self


class Subject(Part):
    """Who is assessed, pseudonymously: a case id, the kind of subject and an age.

    A child (the default), a young adult (SGB VIII § 41, younger than 27 years) or a
    caregiver has either a birth date or an age in months; a family or household has no age
    of its own but lists its members, each with a role and an age.
    """

    model_config = ConfigDict(json_schema_extra=_SUBJECT_SCHEMA)

    kind: SubjectKind = "child"
    """child, young_adult, caregiver or family. Absent: a child."""
    case_id: PseudonymousId
    """Pseudonymous case id."""
    birth_date: IsoDate | None = None
    """Birth date; the age on the assessment date is derived from it. Not for a family."""
    age_months: Annotated[int, Field(ge=0, le=MAX_AGE_MONTHS), JSON_INT] | None = None
    """Age in completed months on the assessment date, when no birth date is recorded: at
    most 300 for a child, 323 for a young adult. Not for a family."""
    members: list[Member] | None = Field(default=None, min_length=1, max_length=50)
    """The members of a family or household subject (required there, and only there)."""

    @model_validator(mode="after")
    def _one_age(self) -> Subject:
        if self.kind == "family":
            if self.members is None or self.birth_date is not None or self.age_months is not None:
                raise ValueError(
                    "a family subject lists its members and has no birth_date or age_months"
                )
            return self
        if self.members is not None:
            raise ValueError("only a family subject lists members")
        if (self.birth_date is None) == (self.age_months is None):
            raise ValueError("give exactly one of birth_date and age_months")
        limit = AGE_LIMITS[self.kind]
        if self.age_months is not None and self.age_months > limit:
            raise ValueError(f"the age of a {self.kind} subject is at most {limit} months")
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


class FamilyGoal(Part):
    """One goal of the family, in their own words, and the concerns it is about."""

    goal: Annotated[str, Field(min_length=1, max_length=20_000)]
    """The goal as the family says it (free text: never echoed in errors)."""
    addresses: ConcernIds = Field(default_factory=list)
    """Item or domain ids of the instrument the goal is about."""


class FamilyView(Part):
    """The family's own view and will, in their words (social-space orientation)."""

    statement: Text | None = None
    """How the family sees the situation."""
    will: Text | None = None
    """What the family itself wants to change."""
    goals: list[FamilyGoal] = Field(default_factory=list, max_length=50)
    """The family's own goals, each tied to the concerns it is about."""


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
    kind: ResourceKind | None = None
    """person, group, organisation, place or material."""
    sector: ResourceSector | None = None
    """Where it sits in the family's network: family, friends_and_neighbours,
    school_or_work or professional_helpers."""
    closeness: Closeness | None = None
    """How close it is to the family: close, middle or distant."""
    wanted: bool | None = None
    """Whether the family itself wants this resource (absent: not asked or not recorded)."""
    planned: bool = False
    """Help agreed but not started yet; while not available it counts as planned help."""
    addresses: ConcernIds = Field(default_factory=list)
    """Item or domain ids of the instrument whose concern this resource answers."""


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
    """Who is assessed: a child unless the subject says otherwise."""
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
    resolves: list[PseudonymousId] = Field(default_factory=list, max_length=50)
    """For a consensus: the ids of the independent assessments of the same case it resolves."""
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


def _assessment_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    return [
        *_subject_problems(data),
        *_assessor_problems(data.get("assessors")),
        *_answer_problems(data.get("answers")),
        *_judgement_problems(data),
        *_resolves_problems(data),
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
    """Birth dates against the assessment date and the age limit of the subject's kind
    (members of a family: any person's)."""
    subject = data.get("subject")
    on = _date(data.get("assessment_date"))
    if not isinstance(subject, dict):
        return
    kind = subject.get("kind", "child")
    limit = AGE_LIMITS.get(kind, MAX_AGE_MONTHS) if isinstance(kind, str) else MAX_AGE_MONTHS
    yield from _birth_problems(subject.get("birth_date"), on, limit, "/subject/birth_date")
    members = subject.get("members")
    if not isinstance(members, list):
        return
    seen: set[str] = set()
    for index, member in enumerate(members):
        if not isinstance(member, dict):
            continue
        pointer = f"/subject/members/{index}/birth_date"
        yield from _birth_problems(member.get("birth_date"), on, MAX_AGE_MONTHS, pointer)
        ident = member.get("id")
        if isinstance(ident, str) and ident in seen:
            yield Problem(
                f"/subject/members/{index}/id",
                "assessment.duplicate-member",
                "an earlier member has the same id; each member is listed once",
            )
        if isinstance(ident, str):
            seen.add(ident)


def _birth_problems(
    value: Any, on: datetime.date | None, limit: int, pointer: str
) -> Iterator[Problem]:
    birth = _date(value)
    if birth is None or on is None:
        return
    if birth > on:
        yield Problem(
            pointer, "assessment.birth-after-date", "the birth date is after the assessment date"
        )
    elif completed_months(birth, on) > limit:
        yield Problem(
            pointer,
            "assessment.age-range",
            f"the subject would be older than {limit} months on the assessment date",
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


def _resolves_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """A consensus resolves other assessments, each once, never itself."""
    resolves = data.get("resolves")
    if not isinstance(resolves, list):
        return
    seen: set[str] = set()
    for index, ident in enumerate(resolves):
        if not isinstance(ident, str):
            continue
        if ident == data.get("id"):
            yield Problem(
                f"/resolves/{index}",
                "assessment.resolves-itself",
                "a consensus resolves other assessments, not itself",
            )
        elif ident in seen:
            yield Problem(
                f"/resolves/{index}", "assessment.duplicate-resolved", "the id is listed twice"
            )
        seen.add(ident)
