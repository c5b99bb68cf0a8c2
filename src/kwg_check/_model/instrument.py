"""The instrument document: what is rated, on which scales, and how it is scored.

An instrument is data. It names its scales, domains and items, the indices that aggregate
them, the flags that signal danger, the ordered outcomes, and either a decision table
(first match wins, default rule last) or — for structured professional judgement — no
formula at all. Cross-references are checked by the semantic layer, not here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from ._types import (
    JSON_INT,
    Document,
    EndangermentForm,
    Exact,
    Extensions,
    Fingerprint,
    Id,
    LanguageTag,
    LocalizedText,
    Part,
    SemVer,
    one_of,
)
from .assessment import SubjectKind
from .conditions import AgeTest, Condition

__all__ = [
    "AssessorRoleCheck",
    "Band",
    "BaseRef",
    "Code",
    "ConcernsAnsweredCheck",
    "ConsultationCheck",
    "DecisionRule",
    "DiscretionaryOverridePolicy",
    "Domain",
    "EvidenceCheck",
    "Flag",
    "Index",
    "Instrument",
    "Item",
    "ItemAnchor",
    "ItemMigration",
    "Level",
    "Migration",
    "MinAssessorsCheck",
    "Outcome",
    "ParticipationCheck",
    "PolicyOverride",
    "ProcessCheck",
    "Result",
    "ResultValue",
    "Rounding",
    "Scale",
    "Source",
    "SplitTarget",
    "UnknownLevel",
]

ItemKind = Literal["risk", "protective", "safety", "context"]
Pole = Literal["strength", "neutral", "concern"]
Aggregation = Literal[
    "sum",
    "weighted_sum",
    "mean",
    "max",
    "min",
    "count_at_least",
    "max_band",
    "count_strengths",
    "count_concerns",
    "prorated_sum",
    "scaled",
    "rounded",
    "difference",
]
StatisticCategory = Literal[
    "acute_endangerment",
    "latent_endangerment",
    "need_for_help",
    "no_need_for_help",
]


class Source(Part):
    """A public source that inspired the instrument's structure."""

    citation: Annotated[str, Field(min_length=1, max_length=1000)]
    """Bibliographic reference."""
    url: Annotated[str, Field(max_length=1000)] | None = None
    """Where the source can be read."""


class Level(Part):
    """One ordinal answer option of a scale."""

    id: Id
    """Level id, unique within the scale (e.g. ``0``, ``low``, ``present``)."""
    label: LocalizedText
    """What the level is called."""
    points: Exact | None = None
    """Exact points the level contributes before the item's weight is applied. A scale gives
    points on every level or on none: items on a scale without points carry information
    only (they are counted, compared and reported, never summed)."""
    anchor: LocalizedText | None = None
    """Anchor description: an example of what this level looks like in practice."""
    pole: Pole | None = None
    """For bipolar scales (e.g. +2 … −3): whether the level is a strength, neutral or a
    concern. A scale gives a pole on every level or on none; strengths come first, concerns
    last. Items on a bipolar scale can be counted as strengths and as concerns, and are
    concerning from its first concern level unless ``concerning_from`` says otherwise."""


class UnknownLevel(Part):
    """The 'not assessable' answer. Always reported; scored only if the instrument says so."""

    id: Id = "unknown"
    """The answer value that means 'unknown / not assessable'."""
    label: LocalizedText
    """What the answer is called."""
    scores_as: Exact | None = None
    """Points an unknown answer scores by the instrument's rule. Absent: the instrument's
    ``unknown_scores_as``; both absent: unknowns are left out of every aggregation (never
    silently counted as zero)."""


class Scale(Part):
    """Ordered levels, from the least to the most pronounced."""

    id: Id
    """Scale id, referenced by items."""
    label: LocalizedText
    """What the scale measures."""
    levels: list[Level] = Field(min_length=1, max_length=50)
    """Levels in ascending order: least pronounced first."""
    unknown: UnknownLevel | None = None
    """The 'unknown / not assessable' marker, if the scale allows it."""


class Domain(Part):
    """A group of items (e.g. basic care, health, willingness to cooperate)."""

    id: Id
    """Domain id, referenced by items."""
    label: LocalizedText
    """Domain title."""
    description: LocalizedText | None = None
    """What belongs to the domain."""


class ItemAnchor(Part):
    """What one level of one item looks like, optionally for one age group only."""

    level: Id
    """The level of the item's scale the anchor describes."""
    anchor: LocalizedText
    """The anchor description for this item and level."""
    age_months: AgeTest | None = None
    """The age group the anchor is written for (completed months); absent: every age."""


class Code(Part):
    """The item's code in an external terminology (e.g. LOINC). Compared case-sensitively
    and kept in every export."""

    system: Annotated[str, Field(min_length=1, max_length=1000)]
    """The code system, as a URI (e.g. ``http://loinc.org``)."""
    code: Annotated[str, Field(min_length=1, max_length=200)]
    """The code in that system, exactly as the system spells it."""


class Item(Part):
    """One rated aspect (Merkmal / Indikator)."""

    id: Id
    """Item id, unique within the instrument."""
    domain: Id
    """The domain the item belongs to."""
    kind: ItemKind
    """risk: raises concern; protective: a strength; safety: an acute-danger indicator;
    context: describes the situation (setting, who initiated) and is never scored."""
    label: LocalizedText
    """The item's wording."""
    scale: Id
    """The scale the item is rated on."""
    weight: Exact = Decimal(1)
    """Exact factor applied to the level's points by ``weighted_sum`` indices only; ``sum``,
    ``mean``, ``max``, ``min`` and ``count_at_least`` ignore it. Default 1."""
    response: Literal["single", "multiple"] = "single"
    """single: one level; multiple: 'all that apply', several levels."""
    combine: Literal["highest", "sum"] = "highest"
    """For multiple responses: the highest level counts, or the points are summed."""
    per_caregiver: bool = False
    """Rated per caregiver; the more severe rating counts (the highest for risk, safety and
    context items, the lowest for protective items)."""
    applies_when: Condition | None = None
    """Applicability condition (e.g. an age band). Answers to items that do not apply are
    reported, never scored."""
    guidance: LocalizedText | None = None
    """Guidance for the assessors."""
    anchors: dict[Id, LocalizedText] | None = None
    """Anchors of this item by level id, in place of the scale's anchors for those levels
    (items sharing a scale can describe what each level looks like for them)."""
    anchors_by_age: list[ItemAnchor] = Field(default_factory=list, max_length=200)
    """Anchors of this item for one level and one age group each (at most one per level and
    age group), shown beside the item's and the scale's anchors."""
    codes: list[Code] = Field(default_factory=list, max_length=20)
    """Codes of the item in external systems (e.g. LOINC), kept in summaries and exports."""
    evidence_required_from: Id | None = None
    """From this level upwards the answer must carry evidence."""
    indicates: list[EndangermentForm] = Field(default_factory=list)
    """Forms of endangerment (§ 99 SGB VIII) the item points to when rated concerning."""
    concerning_from: Id | None = None
    """From this level upwards the answer counts as concerning (for the forms of
    endangerment and for reports). Default for risk and safety items: the first concern
    level of a bipolar scale, otherwise the second level (any level above the first);
    protective and context items are never concerning."""


class Band(Part):
    """One band of an index, reached by an inclusive cut-off."""

    id: Id
    """Band id (e.g. ``low``, ``high``)."""
    label: LocalizedText
    """Band name."""
    at_least: Exact | None = None
    """Inclusive lower cut-off. Omitted for the first band, required for every other;
    cut-offs strictly increase."""


class Rounding(Part):
    """How a mean is rounded, so every implementation reaches the same digits."""

    places: Annotated[int, Field(ge=0, le=6), JSON_INT]
    """Decimal places kept."""
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"
    """Rounding mode (decimal semantics, away from or towards zero)."""


class Index(Part):
    """A named aggregation over items or other indices."""

    id: Id
    """Index id, unique among indices."""
    label: LocalizedText
    """Index name."""
    side: Literal["risk", "protective", "needs", "other"] = "risk"
    """Which side of the profile the index belongs to. Protective indices are shown next to
    risk indices and never netted against them."""
    aggregation: Aggregation
    """sum / weighted_sum / mean / max / min of points and input values; count_at_least:
    number of items at or above ``at_least``; max_band: the highest band among the input
    indices; count_strengths / count_concerns: number of items answered with a strength /
    concern level of their bipolar scale; prorated_sum: the sum × applicable items /
    answered items, rounded, only when at least ``minimum_answered`` of the applicable items
    are answered; scaled: the one input index × ``factor``, rounded if ``rounding`` is
    given; rounded: the one input index, rounded; difference: the first input index minus
    the second. Arithmetic on an input without a value has no value."""
    items: list[Id] = Field(default_factory=list)
    """Input items."""
    indices: list[Id] = Field(default_factory=list)
    """Input indices (used as values; for max_band, their bands)."""
    at_least: Id | None = None
    """For count_at_least: the level (of the items' common scale) from which an item counts."""
    rounding: Rounding | None = None
    """Required for mean, prorated_sum and rounded, optional for scaled: how the result is
    rounded."""
    factor: Exact | None = None
    """For scaled (required): the exact factor the input is multiplied by."""
    minimum_answered: Exact | None = None
    """For prorated_sum (required): the share (0 … 1) of the applicable items that must be
    answered; below it the index has no value (it is undetermined, never guessed)."""
    bands: list[Band] | None = None
    """Optional bands by inclusive cut-offs, ascending. For max_band: the common band ids
    of the inputs, in the same order, without cut-offs."""


class Flag(Part):
    """A named condition (e.g. acute danger) that may force a minimum outcome."""

    id: Id
    """Flag id."""
    label: LocalizedText
    """Flag name."""
    severity: Literal["acute", "serious", "notice"]
    """acute: needs immediate protection; serious: must be addressed; notice: informative."""
    when: Condition
    """When the flag is raised."""
    minimum_outcome: Id | None = None
    """The outcome the final result can never fall below while the flag is raised."""
    indicates: list[EndangermentForm] = Field(default_factory=list)
    """Forms of endangerment (§ 99 SGB VIII) the flag points to."""


class Outcome(Part):
    """One possible result. Outcomes are listed from the least to the most severe."""

    id: Id
    """Outcome id."""
    label: LocalizedText
    """Outcome name."""
    description: LocalizedText | None = None
    """What the outcome means for the next steps."""
    traffic_light: Literal["green", "yellow", "red"] | None = None
    """Traffic-light colour in German practice."""
    statistic_category: StatisticCategory | None = None
    """Category of the official § 99 SGB VIII statistic on § 8a assessments."""


class DecisionRule(Part):
    """One row of the decision table."""

    id: Id
    """Rule id."""
    when: Condition | None = None
    """The condition; omitted for the default rule, which must come last."""
    outcome: Id
    """The outcome when the rule is the first that matches."""
    rationale: LocalizedText
    """Why the rule leads to this outcome."""


class ResultValue(Part):
    """One value a further result can take (e.g. an action). Listed in order: later values
    are more severe or more intensive."""

    id: Id
    """Value id, unique within the result."""
    label: LocalizedText
    """What the value is called."""
    description: LocalizedText | None = None
    """What the value means for the next steps."""


class Result(Part):
    """A further named result beside the primary outcome, e.g. a recommended action from a
    risk level × finding matrix. Its table works like the decision table (first match wins,
    a default row last); its conditions may read the primary outcome and other results."""

    id: Id
    """Result id, unique among the results."""
    label: LocalizedText
    """What the result is called."""
    description: LocalizedText | None = None
    """What the result is for."""
    outcomes: list[ResultValue] = Field(min_length=1, max_length=50)
    """The values the result can take, least severe first."""
    table: list[DecisionRule] = Field(min_length=1)
    """Ordered rows; the first match wins; the last row is the default (no condition). A
    row's ``outcome`` names one of the result's own values."""


class PolicyOverride(Part):
    """A mandatory raise of the outcome when a condition holds (e.g. a policy of the agency)."""

    id: Id
    """Override id."""
    when: Condition
    """When the override applies."""
    minimum_outcome: Id
    """The outcome is raised to at least this one."""
    rationale: LocalizedText
    """Why."""


class DiscretionaryOverridePolicy(Part):
    """How far the professionals may move the computed outcome, with justification."""

    max_levels_up: Annotated[int, Field(ge=0, le=20), JSON_INT]
    """At most this many outcome levels more severe."""
    max_levels_down: Annotated[int, Field(ge=0, le=20), JSON_INT] = 0
    """At most this many outcome levels less severe (never below a flag's floor)."""


class MinAssessorsCheck(Part):
    """At least ``count`` professionals assessed together (§ 8a Abs. 1 SGB VIII)."""

    check: Literal["min_assessors"]
    """The kind of requirement: ``min_assessors``."""
    count: Annotated[int, Field(ge=1, le=20), JSON_INT]
    """Minimum number of distinct assessors."""


class ParticipationCheck(Part):
    """The party was involved, or the reason why not is documented."""

    check: Literal["participation"]
    """The kind of requirement: ``participation``."""
    party: Literal["parents", "child"]
    """Whose participation is checked."""


class ConsultationCheck(Part):
    """A professional with the role was consulted (e.g. the child-protection specialist)."""

    check: Literal["consultation"]
    """The kind of requirement: ``consultation``."""
    role: Id
    """Role of the consulted professional (e.g. ``child_protection_specialist``)."""


class AssessorRoleCheck(Part):
    """At least one assessor has the role."""

    check: Literal["assessor_role"]
    """The kind of requirement: ``assessor_role``."""
    role: Id
    """Required role."""


class EvidenceCheck(Part):
    """Every answer at or above its item's evidence level carries evidence."""

    check: Literal["evidence"]
    """The kind of requirement: ``evidence``."""


class ConcernsAnsweredCheck(Part):
    """Every concerning domain has an answering resource or planned help: the core of a
    protection plan. It applies from ``from_outcome`` on (at that final outcome or a more
    severe one); without it, always."""

    check: Literal["concerns_answered"]
    """The kind of requirement: ``concerns_answered``."""
    from_outcome: Id | None = None
    """The least severe final outcome at which the check applies (e.g. ``latent``)."""


def _requirement_key(value: Any) -> str | None:
    check = value.get("check") if isinstance(value, dict) else getattr(value, "check", None)
    return check if isinstance(check, str) else None


Requirement = Annotated[
    Annotated[MinAssessorsCheck, Tag("min_assessors")]
    | Annotated[ParticipationCheck, Tag("participation")]
    | Annotated[ConsultationCheck, Tag("consultation")]
    | Annotated[AssessorRoleCheck, Tag("assessor_role")]
    | Annotated[EvidenceCheck, Tag("evidence")]
    | Annotated[ConcernsAnsweredCheck, Tag("concerns_answered")],
    Discriminator(
        _requirement_key,
        custom_error_type="requirement",
        custom_error_message="check must be one of min_assessors, participation, "
        "consultation, assessor_role, evidence, concerns_answered",
    ),
]


class ProcessCheck(Part):
    """A requirement on how the assessment was made, with its legal reference."""

    id: Id
    """Check id."""
    label: LocalizedText
    """What is checked."""
    legal_reference: Annotated[str, Field(min_length=1, max_length=200)]
    """The norm behind the check, e.g. '§ 8a Abs. 1 Satz 2 SGB VIII'."""
    applies_when: Condition | None = None
    """When the check applies; otherwise it is reported as not applicable."""
    requirement: Requirement
    """What must hold."""


class BaseRef(Part):
    """The instrument a local variant derives from, pinned by its fingerprint."""

    id: Id
    """Id of the base instrument."""
    version: SemVer
    """Version of the base instrument."""
    fingerprint: Fingerprint
    """Fingerprint of the base the variant was written against; another base available
    under the same id and version is reported (``variant.base-mismatch``)."""


LevelMap = dict[Id, Id]
"""Old level id → new level id. Levels not listed keep their id."""


class SplitTarget(Part):
    """One of the items an old item was split into."""

    to: Id
    """The new item that receives the old answer."""
    levels: LevelMap = Field(default_factory=dict)
    """How the old levels read on the new item's scale."""


class ItemMigration(Part):
    """What became of one item of the earlier version: renamed, dropped or split."""

    model_config = one_of("to", "drop", "split", depending={"levels": ["to"]})

    to: Id | None = None
    """The item's id in this version (a rename; with ``levels`` also a rescaling)."""
    levels: LevelMap | None = None
    """For ``to``: old level id → new level id. Levels not listed keep their id."""
    drop: Literal[True] | None = None
    """The item no longer exists; its answer cannot be carried over."""
    split: list[SplitTarget] | None = Field(default=None, min_length=1, max_length=20)
    """The item became several items; each receives the old answer, read through its map."""

    @model_validator(mode="after")
    def _one_fate(self) -> ItemMigration:
        if sum(v is not None for v in (self.to, self.drop, self.split)) != 1:
            raise ValueError("give exactly one of to, drop and split")
        if self.levels is not None and self.to is None:
            raise ValueError("levels belong to a rename (to)")
        return self


class Migration(Part):
    """How answers given under an earlier version read under this one.

    Items not listed keep their id. The reverse direction (this version back to the earlier
    one) is derived by inverting the mapping, so a frozen earlier version needs no edit.
    """

    from_version: SemVer
    """The earlier version of this instrument the mapping starts from."""
    items: dict[Id, ItemMigration] = Field(min_length=1)
    """What became of each changed item, by its id in the earlier version."""


def _children_only() -> list[SubjectKind]:
    return ["child"]


class Instrument(Document):
    """An assessment instrument (Einschätzungsbogen)."""

    document_type: Literal["instrument"]
    """Marks the document as an instrument."""
    id: Id
    """Instrument id; with ``version`` it identifies the instrument."""
    version: SemVer
    """Semantic version of the instrument."""
    languages: list[LanguageTag] = Field(
        default_factory=lambda: ["de", "en"], min_length=1, max_length=20
    )
    """The languages the instrument's texts are written in, as BCP 47 tags; the first is its
    default language, which every text must carry (the others are translations; a missing
    one is the lint warning ``lint.translation-missing``). Absent: ``[de, en]``, German
    first. Outputs without a language asked for use the default language."""
    title: LocalizedText
    """Title."""
    description: LocalizedText | None = None
    """What the instrument is for."""
    disclaimer: LocalizedText | None = None
    """Limits of use, e.g. that it illustrates the format and is not validated."""
    sources: list[Source] = Field(default_factory=list)
    """Public sources that inspired the structure."""
    licence: Annotated[str, Field(min_length=1, max_length=200)]
    """Licence of the instrument text (SPDX id or a short statement)."""
    subject_kinds: list[SubjectKind] = Field(
        default_factory=_children_only, min_length=1, max_length=4
    )
    """Who the instrument assesses: ``child``, ``young_adult`` (SGB VIII § 41, younger than
    27), ``caregiver`` or ``family`` (a family or household with its members). An
    assessment of another kind is refused (``assessment.subject-kind``). Absent: a child."""
    method: Literal["decision_table", "professional_judgement"] = "decision_table"
    """decision_table: the outcome is computed; professional_judgement: the assessors give
    the final rating themselves and no formula is applied."""
    monotone: bool = False
    """Declares that raising a risk or safety item never lowers the computed outcome. The
    compile step verifies the declaration; unknown ranges are then computed exactly."""
    unknown_scores_as: Exact | None = None
    """Points an unknown answer scores on every scale whose unknown marker does not give
    its own ``scores_as``. Absent: unknowns are left out unless their scale says otherwise."""
    minimum_completeness: Exact | None = None
    """Share (0 … 1) of applicable items that must be answered with a known level; below it
    the outcome is 'not assessable'."""
    stale_after_days: Annotated[int, Field(ge=1, le=3650), JSON_INT] | None = None
    """Warn when evidence is older than this many days on the assessment date."""
    scales: list[Scale] = Field(min_length=1)
    """Answer scales."""
    domains: list[Domain] = Field(min_length=1)
    """Item groups."""
    items: list[Item] = Field(min_length=1)
    """Rated items."""
    indices: list[Index] = Field(default_factory=list)
    """Aggregations."""
    flags: list[Flag] = Field(default_factory=list)
    """Named conditions such as acute danger."""
    outcomes: list[Outcome] = Field(min_length=1)
    """Possible results, least severe first."""
    decision_table: list[DecisionRule] | None = None
    """Ordered rules; the first match wins; the last rule is the default (no condition).
    Required for method decision_table, absent for professional_judgement."""
    policy_overrides: list[PolicyOverride] = Field(default_factory=list)
    """Mandatory raises applied after the decision table."""
    discretionary_override: DiscretionaryOverridePolicy | None = None
    """Whether and how far professionals may override the computed outcome."""
    process_checks: list[ProcessCheck] = Field(default_factory=list)
    """Requirements on the process, with legal references."""
    results: list[Result] = Field(default_factory=list, max_length=50)
    """Further named results beside the primary outcome (``outcomes`` and
    ``decision_table``), each with its own values and first-match table, computed after the
    primary outcome. Absent: none."""
    derives_from: BaseRef | None = None
    """For an instrument resolved from a local variant: the base it was derived from."""
    migrations: list[Migration] = Field(default_factory=list, max_length=50)
    """How assessments made with earlier versions are carried over to this one."""
    extensions: Extensions | None = None
    """Data of the instrument's publisher. Preserved untouched."""

    def unknown_points(self, scale: Scale) -> Decimal | None:
        """The points an unknown answer on ``scale`` scores: the scale's ``scores_as``, else
        the instrument's ``unknown_scores_as``; none on a scale without points."""
        if scale.unknown is None or scale.levels[0].points is None:
            return None
        own = scale.unknown.scores_as
        return self.unknown_scores_as if own is None else own

    def level_points(self, scale: Scale) -> list[Decimal]:
        """The points of the scale's levels in order (zeros on a scale without points,
        which counts nothing)."""
        return [level.points or Decimal(0) for level in scale.levels]
