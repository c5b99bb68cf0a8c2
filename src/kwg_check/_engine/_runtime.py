"""The frozen runtime form of an instrument, and the scratch state of one evaluation.

Everything derivable from the instrument (level ranks, points, resolved references,
dependency orders, compiled conditions) lives in these frozen, slotted classes, built once by
:func:`~kwg_check._engine.compile_instrument`. Scoring only walks their tuples; the one
mutable object, :class:`State`, is created per evaluation and never shared, so scoring is
thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Literal

import attrs

from kwg_check._model.instrument import (
    AssessorRoleCheck,
    ConsultationCheck,
    EvidenceCheck,
    Instrument,
    MinAssessorsCheck,
    ParticipationCheck,
)

__all__ = [
    "CCheck",
    "CFlag",
    "CIndex",
    "CItem",
    "COutcome",
    "CPolicy",
    "CRule",
    "CScale",
    "CompiledInstrument",
    "Cond",
    "Raw",
    "Ref",
    "State",
]

ItemKind = Literal["risk", "protective", "safety", "context"]
Status = Literal["answered", "unknown", "missing", "not_applicable"]
RefKind = Literal["item", "index", "band", "flag", "age"]
Requirement = (
    MinAssessorsCheck | ParticipationCheck | ConsultationCheck | AssessorRoleCheck | EvidenceCheck
)


class State:
    """Values of one evaluation, indexed by instrument position. Created per call."""

    __slots__ = ("age", "applicable", "bands", "points", "raised", "rank", "status", "values")

    def __init__(self, age: int, n_items: int, n_indices: int, n_flags: int) -> None:
        self.age = age
        self.applicable: list[bool] = [False] * n_items
        self.status: list[Status] = ["not_applicable"] * n_items
        # The counting level's rank: only for applicable items answered with a known level.
        self.rank: list[int | None] = [None] * n_items
        # Counted points: answered items and unknowns the instrument scores; never context.
        self.points: list[Decimal | None] = [None] * n_items
        self.values: list[Decimal | None] = [None] * n_indices
        self.bands: list[int | None] = [None] * n_indices
        self.raised: list[bool] = [False] * n_flags


Cond = Callable[[State], bool]
"""A compiled condition: a pure function of the evaluation state."""


@attrs.frozen
class Ref:
    """Something a condition reads (for the trace): an item, index, band, flag or the age."""

    kind: RefKind
    pos: int


@attrs.frozen
class Raw:
    """One answer reduced to what scoring reads: the counting level and its points.

    ``rank`` is ``None`` for the unknown marker; ``points`` is ``None`` when nothing counts.
    """

    rank: int | None
    level: str
    points: Decimal | None


@attrs.frozen
class CScale:
    """A scale with resolved ranks (0 = least pronounced)."""

    id: str
    levels: tuple[str, ...]
    points: tuple[Decimal, ...]
    rank: Mapping[str, int]
    unknown_id: str | None
    unknown_points: Decimal | None


@attrs.frozen
class CItem:
    """An item with its scale, thresholds as ranks and its compiled applicability."""

    pos: int
    id: str
    domain: str
    kind: ItemKind
    scale: CScale
    weight: Decimal
    response: Literal["single", "multiple"]
    combine: Literal["highest", "sum"]
    per_caregiver: bool
    applies: Cond | None
    applies_refs: tuple[Ref, ...]
    evidence_from: int | None
    concerning_from: int | None
    """Rank from which the item is concerning; ``None``: never (protective, context)."""
    indicates: tuple[str, ...]
    completions: tuple[Raw, ...] | None
    """Every distinct answer the item can take (for unknown ranges); ``None``: too many."""


@attrs.frozen
class CIndex:
    """An index with resolved inputs; ``band_ids`` is empty for unbanded indices."""

    pos: int
    id: str
    side: Literal["risk", "protective", "needs", "other"]
    aggregation: Literal["sum", "weighted_sum", "mean", "max", "min", "count_at_least", "max_band"]
    items: tuple[int, ...]
    inputs: tuple[int, ...]
    at_least: int | None
    places: int | None
    mode: Literal["half_up", "half_even", "down", "up"] | None
    band_ids: tuple[str, ...]
    cutoffs: tuple[Decimal, ...]
    """Cut-offs of the second and later bands (empty for max_band)."""


@attrs.frozen
class CFlag:
    """A flag with its compiled condition and its floor as an outcome rank."""

    pos: int
    id: str
    severity: Literal["acute", "serious", "notice"]
    when: Cond
    refs: tuple[Ref, ...]
    minimum: int | None
    indicates: tuple[str, ...]


@attrs.frozen
class CRule:
    """A decision-table row; ``when`` is ``None`` for the default rule."""

    pos: int
    id: str
    when: Cond | None
    refs: tuple[Ref, ...]
    outcome: int


@attrs.frozen
class CPolicy:
    """A policy override: while ``when`` holds the outcome is at least ``minimum``."""

    pos: int
    id: str
    when: Cond
    refs: tuple[Ref, ...]
    minimum: int


@attrs.frozen
class CCheck:
    """A process check with its compiled applicability."""

    pos: int
    id: str
    legal_reference: str
    applies: Cond | None
    refs: tuple[Ref, ...]
    requirement: Requirement


@attrs.frozen
class COutcome:
    """An outcome; its position in ``CompiledInstrument.outcomes`` is its severity."""

    id: str
    traffic_light: Literal["green", "yellow", "red"] | None
    statistic_category: (
        Literal["acute_endangerment", "latent_endangerment", "need_for_help", "no_need_for_help"]
        | None
    )


@attrs.frozen(eq=False)
class CompiledInstrument:
    """An instrument checked and resolved for scoring. Build it with ``compile_instrument``.

    Positions (``pos``) are positions in the instrument document; the ``*_order`` tuples
    give the evaluation order (dependencies first, otherwise instrument order).
    """

    instrument: Instrument
    fingerprint: str
    id: str
    version: str
    method: Literal["decision_table", "professional_judgement"]
    monotone: bool
    """True when the instrument declares ``monotone`` (the compile step verified it)."""
    minimum_completeness: Decimal | None
    stale_after_days: int | None
    domains: tuple[str, ...]
    items: tuple[CItem, ...]
    item_order: tuple[int, ...]
    item_pos: Mapping[str, int]
    indices: tuple[CIndex, ...]
    index_order: tuple[int, ...]
    flags: tuple[CFlag, ...]
    flag_order: tuple[int, ...]
    outcomes: tuple[COutcome, ...]
    outcome_rank: Mapping[str, int]
    rules: tuple[CRule, ...]
    policies: tuple[CPolicy, ...]
    override_up: int | None
    """Discretionary override policy; ``None`` when overrides are not allowed."""
    override_down: int | None
    checks: tuple[CCheck, ...]
    applicability_reads: frozenset[int] | None = attrs.field(
        default=attrs.Factory(lambda self: _applicability_reads(self.items), takes_self=True)
    )
    """Positions of the items applicability conditions read; ``None`` when one reads an
    index, band or flag (then any item may change applicability). Lets scoring re-evaluate
    only what one changed answer reaches."""
    reaches: tuple[tuple[int, ...], ...] = attrs.field(
        default=attrs.Factory(
            lambda self: _reaches(self.items, self.indices, self.index_order), takes_self=True
        )
    )
    """Per item, the indices whose value it feeds (directly or through other indices), in
    evaluation order: what one changed answer makes ``reevaluate`` compute again."""


def _reaches(
    items: tuple[CItem, ...], indices: tuple[CIndex, ...], order: tuple[int, ...]
) -> tuple[tuple[int, ...], ...]:
    reaches = []
    for item in items:
        reached: list[int] = []
        for k in order:
            if item.pos in indices[k].items or not set(reached).isdisjoint(indices[k].inputs):
                reached.append(k)
        reaches.append(tuple(reached))
    return tuple(reaches)


def _applicability_reads(items: tuple[CItem, ...]) -> frozenset[int] | None:
    read: set[int] = set()
    for item in items:
        for ref in item.applies_refs:
            if ref.kind == "item":
                read.add(ref.pos)
            elif ref.kind != "age":
                return None
    return frozenset(read)
