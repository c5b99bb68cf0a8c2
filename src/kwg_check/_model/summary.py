"""The summary document: what scoring found, and the trace that proves it.

A summary holds no free text from the assessment (no observations, notes or
justifications): it can go into statistics and audits. Every number and outcome in it is the
result of the summary's own sections read with the instrument, so it can be recomputed by
hand: ``items`` hold each rated item's level and points, ``indices`` and ``flags`` the values
the instrument's aggregations and conditions give them, and the trace only the decision steps
(completeness, rules, policy overrides, floor, override, outcome), each naming the ids it
read. Nothing the instrument already states (an item's domain, kind or weight of 1, an
index's side, a flag's severity, a check's legal reference) is copied into it (summary
format v2; the first format, v1, is read by ``_summary_v1``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ._patterns import NAME_PATTERN, validated
from ._types import (
    JSON_INT,
    Document,
    EndangermentForm,
    Exact,
    Fingerprint,
    Id,
    IsoDate,
    Part,
    PseudonymousId,
    SemVer,
)
from .assessment import MAX_AGE_MONTHS, MemberRole, ResourceCategory, SubjectKind
from .instrument import Code, StatisticCategory

__all__ = [
    "CheckResult",
    "Completeness",
    "Concern",
    "EngineRef",
    "FlagResult",
    "IndexRange",
    "IndexResult",
    "ItemResult",
    "MemberAge",
    "Message",
    "OutcomeRange",
    "OutcomeResult",
    "OverrideResult",
    "Protection",
    "ResourceCount",
    "ResultRange",
    "ResultSummary",
    "Summary",
    "SummaryAssessmentRef",
    "SummaryInstrumentRef",
    "TraceStep",
    "Unknowns",
    "Warning",
]

Count = Annotated[int, Field(ge=0, le=1_000_000), JSON_INT]
ParamText = Annotated[str, Field(max_length=200)]
ParamValue = (
    ParamText
    | Annotated[int, Field(ge=-1_000_000, le=1_000_000), JSON_INT]
    | Annotated[list[ParamText], Field(max_length=10_000)]
)
Params = dict[Annotated[str, Field(pattern=validated(NAME_PATTERN))], ParamValue]
StepRef = Annotated[str, Field(min_length=1, max_length=200)]
StepKind = Literal[
    "completeness",
    "rule",
    "policy_override",
    "floor",
    "override",
    "judgement",
    "outcome",
    "result",
]


class EngineRef(Part):
    """The engine that computed the summary."""

    name: Literal["kwg_check"]
    """Engine name."""
    version: SemVer
    """Engine version; verification re-scores with the same rules."""


class SummaryInstrumentRef(Part):
    """The instrument the summary was computed with."""

    id: Id
    """Instrument id."""
    version: SemVer
    """Instrument version."""
    fingerprint: Fingerprint
    """Fingerprint of the instrument document."""


class MemberAge(Part):
    """A member of a family subject, pseudonymously, with the age scoring used."""

    id: PseudonymousId
    """Pseudonymous id of the member."""
    role: MemberRole
    """child, caregiver or other_adult."""
    age_months: Annotated[int, Field(ge=0, le=MAX_AGE_MONTHS), JSON_INT]
    """Age in completed months on the assessment date."""


class SummaryAssessmentRef(Part):
    """The assessment the summary was computed from."""

    id: PseudonymousId
    """Assessment id."""
    fingerprint: Fingerprint
    """Fingerprint of the assessment document."""
    case_id: PseudonymousId
    """Pseudonymous case id of the subject."""
    subject_kind: SubjectKind | None = None
    """The subject's kind when it is not a child (young_adult, caregiver, family)."""
    assessment_date: IsoDate
    """Assessment date."""
    age_months: Annotated[int, Field(ge=0, le=MAX_AGE_MONTHS), JSON_INT] | None = None
    """The subject's age in completed months on the assessment date (absent for a family)."""
    members: list[MemberAge] | None = Field(default=None, max_length=50)
    """The members of a family subject with their ages, in the assessment's order."""
    initiated_by: Id | None = None
    """Who made the weighty indications known, as recorded in the assessment."""


class OverrideResult(Part):
    """A discretionary override or a final rating, without its free-text justification."""

    kind: Literal["discretionary_override", "final_rating"]
    """Override of a computed outcome, or the final rating of a judgement instrument."""
    outcome: Id
    """The outcome decided by the professionals."""
    author: PseudonymousId
    """Who takes responsibility."""
    levels: Annotated[int, Field(ge=-20, le=20), JSON_INT] | None = None
    """Outcome levels moved relative to the computed outcome (positive: more severe)."""


class OutcomeResult(Part):
    """Computed and final outcome side by side."""

    status: Literal["computed", "not_assessable", "judgement"]
    """computed: from the decision table; not_assessable: completeness below the
    instrument's minimum; judgement: the instrument has no formula."""
    computed: Id | None = None
    """Outcome after the decision table, policy overrides and flag floors."""
    floor: Id | None = None
    """The highest minimum outcome forced by a raised flag."""
    final: Id | None = None
    """Outcome after the professionals' override or final rating."""
    override: OverrideResult | None = None
    """The professionals' decision, when there is one."""
    traffic_light: Literal["green", "yellow", "red"] | None = None
    """Traffic light of the final outcome."""
    statistic_category: StatisticCategory | None = None
    """§ 99 SGB VIII category of the final outcome."""
    forms_of_endangerment: list[EndangermentForm] = Field(default_factory=list)
    """Forms of endangerment indicated by concerning items and raised flags."""


class ItemResult(Part):
    """How one item was rated and counted."""

    id: Id
    """Item id (its domain, kind and scale are the instrument's)."""
    status: Literal["answered", "unknown", "missing", "not_applicable"] = "answered"
    """answered (the default, left out): a known level; unknown: rated 'not assessable';
    missing: no answer; not_applicable: the item does not apply (an answer, if any, is not
    scored)."""
    level: Id | None = None
    """The level that counts (for several caregivers the more severe one)."""
    points: Exact | None = None
    """Points counted before weighting (absent when nothing counts)."""
    weight: Exact | None = None
    """The item's weight where it counts and is not 1 (absent: 1, or nothing counted)."""
    concerning: bool = False
    """Rated at or above the item's concerning level."""
    pole: Literal["strength", "neutral", "concern"] | None = None
    """On a bipolar scale: the pole of the level that counts."""
    evidence: Count = 0
    """Number of evidence entries."""
    codes: list[Code] = Field(default_factory=list)
    """The item's codes in external systems, as the instrument gives them."""


class IndexResult(Part):
    """One index value and band."""

    id: Id
    """Index id (its side, aggregation and inputs are the instrument's)."""
    value: Exact | None = None
    """The value; absent when nothing could be aggregated."""
    band: Id | None = None
    """The band, for banded indices."""


class FlagResult(Part):
    """Whether a flag is raised."""

    id: Id
    """Flag id (its severity and minimum outcome are the instrument's)."""
    raised: bool
    """Whether the flag's condition holds."""


class Completeness(Part):
    """How much of the instrument was answered with a known level."""

    applicable: Count
    """Applicable items (context items excluded)."""
    known: Count
    """Applicable items answered with a known level."""
    ratio: Exact
    """known / applicable, rounded half up to 4 places (1 when nothing applies)."""
    minimum: Exact | None = None
    """The instrument's minimum completeness."""
    sufficient: bool
    """Whether the minimum is met (the counts per domain follow from ``items`` and the
    instrument's domains)."""


class OutcomeRange(Part):
    """The outcomes reachable if the unknown and missing items took any of their levels."""

    lowest: Id | None = None
    """Least severe reachable outcome."""
    highest: Id | None = None
    """Most severe reachable outcome."""
    method: Literal["none", "exact_monotone", "exhaustive", "branch_and_bound", "conservative"]
    """none: nothing unknown; exact_monotone: corners of a verified monotone instrument;
    exhaustive: every completion tried; branch_and_bound: exact, by a search that skips the
    partial answers whose bounds cannot widen the range; conservative: the search was cut
    off, so the range is the bound of all completions (never narrower than the truth)."""


class IndexRange(Part):
    """The values one index could take if the unknown and missing items took any answer."""

    id: Id
    """Index id."""
    lowest: Exact | None = None
    """Lowest value of a completion; absent when no completion gives the index a value."""
    highest: Exact | None = None
    """Highest value of a completion; absent when no completion gives the index a value."""
    method: Literal["closed_form", "branch_and_bound", "conservative"]
    """closed_form: exact without a search, the index adds up, counts, averages or takes the
    largest or smallest of parts that read disjoint items, so each end of its bound is the
    value of one completion; branch_and_bound: exact, each end is the value of one
    completion (found by a search over partial answers that skips those whose bounds cannot
    reach further); conservative: the search was cut off, so the ends are bounds of all
    completions (never narrower than the truth)."""


class Unknowns(Part):
    """What is unknown and what it could change."""

    items: list[Id]
    """Applicable items that are unknown or missing, in instrument order."""
    range: OutcomeRange
    """Outcomes the unknowns allow."""
    clarify_first: list[Id]
    """Unknown items whose clarification alone could change the computed outcome, most
    decisive first."""
    indices: list[IndexRange] | None = None
    """Every index's lowest and highest value over the completions, in instrument order;
    absent when nothing is unknown (each value is then the index's own)."""


class ResultRange(Part):
    """The values a further result could take if the unknown and missing items took any
    answer (looked at as if the minimum completeness were met)."""

    lowest: Id
    """Least severe reachable value."""
    highest: Id
    """Most severe reachable value."""
    method: Literal["branch_and_bound", "conservative"]
    """branch_and_bound: exact, each end is the value of one completion; conservative: the
    search was cut off, so the range is a bound of all completions (never narrower)."""


class ResultSummary(Part):
    """The value of one further result of the instrument."""

    id: Id
    """Result id."""
    value: Id
    """The value: the outcome of the first matching row of the result's table."""
    range: ResultRange | None = None
    """Values the unknowns allow; absent when nothing is unknown."""
    clarify_first: list[Id] | None = None
    """Unknown items whose clarification alone could change the value, most decisive
    first; absent when there are none."""


class ResourceCount(Part):
    """Resources of one category in the resource map."""

    category: ResourceCategory
    """Resource category."""
    available: Count
    """Entries available now."""
    unavailable: Count
    """Entries named but not available."""


Positions = Annotated[list[Count], Field(max_length=10_000)]


class Concern(Part):
    """A concerning domain and what answers it (positions, never the free text itself)."""

    domain: Id
    """Domain id."""
    items: list[Id]
    """The domain's applicable concerning items, in instrument order."""
    resources: Positions
    """Positions in the assessment's ``resources`` of the available entries that answer it."""
    planned: Positions
    """Positions of the entries that answer it as planned help (planned, not yet available)."""
    goals: Positions
    """Positions in the assessment's ``family_view.goals`` of the goals about it."""


class Protection(Part):
    """The protection plan's facts: every concern and what answers it."""

    concerns: list[Concern]
    """Concerning domains, in instrument order."""
    unanswered: list[Id]
    """Domains of the concerns no available resource answers yet."""


class Message(Part):
    """A sentence as data: what happened, as a code and its parameters.

    The summary holds no sentence in any language; a view renders the message in its
    output language (``kwg_check._vocabulary.render_message``). Parameters are ids, exact
    decimals written as strings, integers and lists of ids.
    """

    code: Annotated[str, Field(pattern=validated(NAME_PATTERN))]
    """What the sentence says, e.g. ``assessors_counted``."""
    params: Params = Field(default_factory=dict)
    """The values the sentence names."""


class CheckResult(Part):
    """Result of one process check."""

    id: Id
    """Check id (its legal reference is the instrument's)."""
    result: Literal["pass", "fail", "not_applicable"]
    """Outcome of the check."""
    reason: Message
    """Why, as a message the views render in their language."""


class Warning(Part):
    """Something that does not block scoring but needs attention."""

    code: Annotated[str, Field(min_length=1, max_length=100)]
    """Stable warning code."""
    pointer: Annotated[str, Field(max_length=1000)]
    """JSON pointer into the assessment."""
    params: Params = Field(default_factory=dict)
    """The values the warning names; the views render code and parameters in their language."""


class TraceStep(Part):
    """One decision step of the computation (the other results are the summary's sections)."""

    kind: StepKind
    """What the step computed."""
    id: Annotated[str, Field(min_length=1, max_length=200)]
    """The instrument element (rule or policy override id), or ``completeness``, ``floor``,
    ``override``, ``final_rating``, ``outcome``."""
    inputs: list[StepRef] = Field(default_factory=list)
    """What the step read beyond what the instrument states, by reference: the raised flags
    of a floor (their states are in ``flags``), or the outcome members ``computed``,
    ``floor``, ``override``, ``discretionary_override``, ``final_rating``. A rule or policy
    override reads what its condition names in the instrument."""
    result: Annotated[str, Field(max_length=200)] | bool | None = None
    """The result: a decimal or an id as a string, a boolean, or absent for nothing."""
    explanation: Message
    """What happened, as a message the views render in their language."""


class Summary(Document):
    """The result of scoring one assessment with one instrument."""

    document_type: Literal["summary"]
    """Marks the document as a summary."""
    engine: EngineRef
    """The engine that computed it."""
    instrument: SummaryInstrumentRef
    """The instrument used."""
    assessment: SummaryAssessmentRef
    """The assessment scored."""
    outcome: OutcomeResult
    """Computed and final outcome."""
    items: list[ItemResult]
    """Every item, in instrument order."""
    indices: list[IndexResult]
    """Every index, in instrument order."""
    flags: list[FlagResult]
    """Every flag, in instrument order."""
    completeness: Completeness
    """How much is known."""
    unknowns: Unknowns
    """What is unknown and what it could change."""
    resources: list[ResourceCount]
    """The resource map by category, always shown beside the risks."""
    protection: Protection | None = None
    """The concerns and the resources and goals that answer them (absent in summaries written
    before resources were tied to concerns)."""
    process_checks: list[CheckResult]
    """Process checks, in instrument order."""
    results: list[ResultSummary] | None = None
    """The further results, in instrument order; absent when the instrument defines none
    (and in summaries written before further results existed)."""
    warnings: list[Warning]
    """Warnings that did not block scoring."""
    trace: list[TraceStep]
    """The decisions, step by step (a step's number is its position, from 1)."""
