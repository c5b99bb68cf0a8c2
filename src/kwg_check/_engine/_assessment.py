"""Checks of an assessment against its compiled instrument, and answers as scoring reads them.

Answer semantics (part of the scoring specification):

* single items: the answer's ``level`` counts;
* multiple items (``levels``): the highest-ranked selected level counts; with
  ``combine: highest`` its points count, with ``combine: sum`` the points of all selected
  levels are added;
* per-caregiver items (``caregivers``): the more severe rating counts (the highest rank for
  risk, safety and context items, the lowest for protective items). If a caregiver is rated
  unknown the answer is unknown, unless a known rating is already the most severe possible;
* the scale's unknown marker gives status unknown: it scores the instrument's ``scores_as``
  points if the scale defines them, else nothing, and it never matches an answer test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from kwg_check._errors import Problem, pointer_from_path
from kwg_check._model.assessment import Answer, Assessment, completed_months

from ._evaluate import clean
from ._protection import concern_problems
from ._runtime import Ages, CItem, CompiledInstrument, Raw

__all__ = [
    "InstrumentRef",
    "age_months",
    "ages",
    "assessment_problems",
    "member_ages",
    "raw_answer",
    "raw_answers",
    "reference_problems",
]


def age_months(assessment: Assessment) -> int | None:
    """The subject's own age in completed months on the assessment date (``None`` for a
    family, which has no age of its own)."""
    subject = assessment.subject
    if subject.age_months is not None:
        return subject.age_months
    if subject.birth_date is None:
        return None
    return completed_months(subject.birth_date, assessment.assessment_date)


def member_ages(assessment: Assessment) -> list[tuple[str, str, int]]:
    """(id, role, age in completed months) of every member of a family subject, in order."""
    on = assessment.assessment_date
    found: list[tuple[str, str, int]] = []
    for member in assessment.subject.members or ():
        age = member.age_months
        if age is None:
            assert member.birth_date is not None  # the model demands one of the two
            age = completed_months(member.birth_date, on)
        found.append((member.id, member.role, age))
    return found


def ages(assessment: Assessment) -> Ages:
    """What age bands read: the subject's own age and the youngest and oldest child member's
    (see ``AgeTest.of``)."""
    children = [age for _, role, age in member_ages(assessment) if role == "child"]
    return (
        age_months(assessment),
        min(children, default=None),
        max(children, default=None),
    )


class InstrumentRef(Protocol):
    """What a document says about the instrument it belongs to."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def fingerprint(self) -> str | None: ...


def reference_problems(
    compiled: CompiledInstrument, ref: InstrumentRef, document: str
) -> list[Problem]:
    """Whether the document's instrument reference (id, version and, when pinned, the
    fingerprint) names this instrument; ``document`` says whose reference it is."""
    problems: list[Problem] = []
    for key, given, expected in (
        ("id", ref.id, compiled.id),
        ("version", ref.version, compiled.version),
    ):
        if given != expected:
            problems.append(
                Problem(
                    f"/instrument/{key}",
                    "instrument.mismatch",
                    f"the {document} names instrument {key} '{given}', but the instrument's "
                    f"{key} is '{expected}'",
                )
            )
    if ref.fingerprint is not None and ref.fingerprint != compiled.fingerprint:
        problems.append(
            Problem(
                "/instrument/fingerprint",
                "instrument.fingerprint",
                f"the {document} pins another version of the instrument document: the "
                "fingerprints differ",
            )
        )
    return problems


def _answer_key(item: CItem) -> str:
    if item.single_level:
        return "level"
    return "caregivers" if item.per_caregiver else "levels"


def _given_key(answer: Answer) -> str:
    if answer.caregivers is not None:
        return "caregivers"
    return "levels" if answer.levels is not None else "level"


def assessment_problems(compiled: CompiledInstrument, assessment: Assessment) -> list[Problem]:
    """Everything that stops the assessment from being scored with this instrument."""
    # The birth date against the assessment date, duplicate assessors and levels: the
    # assessment model checks those itself, so every Assessment here has passed them.
    problems = reference_problems(compiled, assessment.instrument, "assessment")
    kinds = compiled.instrument.subject_kinds
    if assessment.subject.kind not in kinds:
        problems.append(
            Problem(
                "/subject/kind",
                "assessment.subject-kind",
                f"the instrument assesses subjects of the kind(s) {', '.join(kinds)}, not "
                f"{assessment.subject.kind}",
            )
        )
    unknown_ids = sorted(i for i in assessment.answers if i not in compiled.item_pos)
    for item_id in unknown_ids:
        problems.append(
            Problem(
                pointer_from_path(("answers", item_id)),
                "answer.unknown-item",
                f"the instrument has no item '{item_id}'",
            )
        )
    answers = assessment.answers
    for item in compiled.items:
        answer = answers.get(item.id)
        if answer is None:
            continue
        if (
            item.single_level
            and answer.level in item.scale.answers
            and answer.levels is None
            and answer.caregivers is None
        ):
            continue  # the common case, one level of the scale: nothing to say
        problems.extend(_answer_problems(item, answer))
    problems.extend(concern_problems(compiled, assessment))
    for key in ("override", "final_rating"):
        judgement = getattr(assessment, key)
        if judgement is None:
            continue
        if judgement.outcome not in compiled.outcome_rank:
            problems.append(
                Problem(
                    f"/{key}/outcome",
                    "judgement.unknown-outcome",
                    f"the instrument has no outcome '{judgement.outcome}'",
                )
            )
        wrong = "final_rating" if compiled.method == "decision_table" else "override"
        if key == wrong:
            problems.append(
                Problem(
                    f"/{key}",
                    "judgement.kind",
                    "a decision-table instrument takes an override, not a final rating"
                    if key == "final_rating"
                    else "a professional-judgement instrument takes a final rating, not an "
                    "override",
                )
            )
    return problems


def _answer_problems(item: CItem, answer: Answer) -> list[Problem]:
    here = ("answers", item.id)
    expected, given = _answer_key(item), _given_key(answer)
    if expected != given:
        return [
            Problem(
                pointer_from_path(here),
                "answer.shape",
                f"item '{item.id}' is answered with '{expected}', not '{given}'",
            )
        ]
    scale = item.scale
    problems: list[Problem] = []

    def check_level(level: str, path: tuple[str | int, ...]) -> None:
        if level not in scale.rank and level != scale.unknown_id:
            problems.append(
                Problem(
                    pointer_from_path(path),
                    "answer.unknown-level",
                    f"'{level}' is not a level of scale '{scale.id}'"
                    + ("" if scale.unknown_id is not None else ", which has no unknown marker"),
                )
            )

    if answer.level is not None:
        check_level(answer.level, (*here, "level"))
    elif answer.levels is not None:
        if not answer.levels:
            problems.append(
                Problem(
                    pointer_from_path((*here, "levels")),
                    "answer.shape",
                    "select at least one level (the scale's lowest level means 'none')",
                )
            )
        for i, level in enumerate(answer.levels):
            check_level(level, (*here, "levels", i))
        if scale.unknown_id in answer.levels and len(answer.levels) > 1:
            problems.append(
                Problem(
                    pointer_from_path((*here, "levels")),
                    "answer.unknown-combined",
                    "the unknown marker cannot be combined with other levels",
                )
            )
    else:
        assert answer.caregivers is not None
        for caregiver, level in answer.caregivers.items():
            check_level(level, (*here, "caregivers", caregiver))
    return problems


def raw_answer(item: CItem, answer: Answer) -> Raw:
    """Reduce a checked answer to its counting level and points (see the module docstring);
    an answer on a scale without points counts its level only."""
    if answer.level is not None:
        return item.scale.answers[answer.level]
    raw = _reduced(item, answer)
    return raw if item.scale.scored else Raw(raw.rank, raw.level, None)


def _reduced(item: CItem, answer: Answer) -> Raw:
    """The counting level and points of a multiple or per-caregiver answer."""
    scale = item.scale
    if answer.levels is not None:
        if scale.unknown_id in answer.levels:
            return scale.unknown
        ranks = sorted(scale.rank[level] for level in answer.levels)
        top = ranks[-1]
        if item.combine == "sum":
            points = clean(sum((scale.points[r] for r in ranks), Decimal(0)))
        else:
            points = scale.points[top]
        return Raw(top, scale.levels[top], points)
    assert answer.caregivers is not None
    ratings = list(answer.caregivers.values())
    known = [scale.rank[level] for level in ratings if level != scale.unknown_id]
    protective = item.kind == "protective"
    most_severe_possible = 0 if protective else len(scale.levels) - 1
    if not known:
        return scale.unknown
    severe = min(known) if protective else max(known)
    if len(known) < len(ratings) and severe != most_severe_possible:
        return scale.unknown
    return Raw(severe, scale.levels[severe], scale.points[severe])


def raw_answers(compiled: CompiledInstrument, assessment: Assessment) -> tuple[Raw | None, ...]:
    """Every item's answer, in instrument order (``None``: not answered)."""
    answers = assessment.answers
    return tuple(
        None if (answer := answers.get(item.id)) is None else raw_answer(item, answer)
        for item in compiled.items
    )
