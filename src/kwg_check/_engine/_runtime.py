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
    ConcernsAnsweredCheck,
    ConsultationCheck,
    EvidenceCheck,
    Instrument,
    MinAssessorsCheck,
    ParticipationCheck,
)

__all__ = [
    "AGE_OF",
    "Ages",
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
    "Readers",
    "Ref",
    "State",
]

ItemKind = Literal["risk", "protective", "safety", "context"]
Status = Literal["answered", "unknown", "missing", "not_applicable"]
RefKind = Literal["item", "index", "band", "flag", "age"]
Requirement = (
    MinAssessorsCheck
    | ParticipationCheck
    | ConsultationCheck
    | AssessorRoleCheck
    | EvidenceCheck
    | ConcernsAnsweredCheck
)


AGE_OF = ("subject", "youngest_child", "oldest_child")
"""Whose ages an evaluation knows, in the order of :data:`Ages` (``AgeTest.of``)."""
Ages = tuple[int | None, int | None, int | None]
"""Ages in completed months: the subject's own, the youngest and the oldest child member of
a family subject; ``None`` where there is none."""


class State:
    """Values of one evaluation, indexed by instrument position. Created per call."""

    __slots__ = ("age", "applicable", "bands", "points", "raised", "rank", "status", "values")

    def __init__(self, age: Ages, n_items: int, n_indices: int, n_flags: int) -> None:
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
    """Something a condition reads (for the trace): an item, index, band, flag or an age
    (``pos``: its place in :data:`Ages`)."""

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
    readers: Readers = attrs.field(
        default=attrs.Factory(lambda self: _readers(self), takes_self=True)
    )
    """Who reads each item, index and flag: what one changed answer reaches, so scoring
    re-evaluates only that (see ``_evaluate.reach``)."""


@attrs.frozen
class Readers:
    """The dependency graphs reversed, built once per instrument (linear in its size).

    Per position: ``item_items`` the items whose applicability reads the item,
    ``item_indices`` the indices summing it, ``item_flags`` the flags whose condition reads
    it; ``index_indices`` and ``index_flags`` the indices and flags reading an index (its
    value or band); ``flag_flags`` the flags reading a flag. ``opaque`` is true when an
    applicability condition reads an index, band or flag (the schema forbids it; then every
    change is evaluated in full). The ranks are positions in the evaluation orders.
    """

    item_items: tuple[tuple[int, ...], ...]
    item_indices: tuple[tuple[int, ...], ...]
    item_flags: tuple[tuple[int, ...], ...]
    index_indices: tuple[tuple[int, ...], ...]
    index_flags: tuple[tuple[int, ...], ...]
    flag_flags: tuple[tuple[int, ...], ...]
    opaque: bool
    item_rank: tuple[int, ...]
    index_rank: tuple[int, ...]
    flag_rank: tuple[int, ...]


def _readers(compiled: CompiledInstrument) -> Readers:
    n_items, n_indices, n_flags = len(compiled.items), len(compiled.indices), len(compiled.flags)
    item_items: list[list[int]] = [[] for _ in range(n_items)]
    for item in compiled.items:
        for ref in item.applies_refs:
            if ref.kind == "item":
                item_items[ref.pos].append(item.pos)
    item_indices: list[list[int]] = [[] for _ in range(n_items)]
    index_indices: list[list[int]] = [[] for _ in range(n_indices)]
    for index in compiled.indices:
        for pos in dict.fromkeys(index.items):
            item_indices[pos].append(index.pos)
        for pos in dict.fromkeys(index.inputs):
            index_indices[pos].append(index.pos)
    item_flags: list[list[int]] = [[] for _ in range(n_items)]
    index_flags: list[list[int]] = [[] for _ in range(n_indices)]
    flag_flags: list[list[int]] = [[] for _ in range(n_flags)]
    targets = {"item": item_flags, "index": index_flags, "band": index_flags, "flag": flag_flags}
    for flag in compiled.flags:
        for ref in flag.refs:
            if ref.kind in targets and flag.pos not in targets[ref.kind][ref.pos][-1:]:
                targets[ref.kind][ref.pos].append(flag.pos)
    return Readers(
        item_items=_frozen(item_items),
        item_indices=_frozen(item_indices),
        item_flags=_frozen(item_flags),
        index_indices=_frozen(index_indices),
        index_flags=_frozen(index_flags),
        flag_flags=_frozen(flag_flags),
        opaque=any(
            ref.kind not in ("item", "age") for item in compiled.items for ref in item.applies_refs
        ),
        item_rank=_ranks(compiled.item_order),
        index_rank=_ranks(compiled.index_order),
        flag_rank=_ranks(compiled.flag_order),
    )


def _frozen(lists: list[list[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(entries) for entries in lists)


def _ranks(order: tuple[int, ...]) -> tuple[int, ...]:
    ranks = [0] * len(order)
    for rank, pos in enumerate(order):
        ranks[pos] = rank
    return tuple(ranks)
