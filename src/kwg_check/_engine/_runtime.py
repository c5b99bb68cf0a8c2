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
from types import MappingProxyType
from typing import Literal, NamedTuple

import attrs

from kwg_check._model.instrument import (
    Aggregation,
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
    "CResult",
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
RefKind = Literal["item", "index", "band", "flag", "age", "outcome", "result"]
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

    __slots__ = (
        "age",
        "applicable",
        "bands",
        "outcome",
        "points",
        "raised",
        "rank",
        "results",
        "status",
        "values",
    )

    def __init__(
        self, age: Ages, n_items: int, n_indices: int, n_flags: int, n_results: int = 0
    ) -> None:
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
        # The primary computed outcome and the further results (read by results only).
        self.outcome: int | None = None
        self.results: list[int | None] = [None] * n_results


Cond = Callable[[State], bool]
"""A compiled condition: a pure function of the evaluation state."""


@attrs.frozen
class Ref:
    """Something a condition reads (for the trace): an item, index, band, flag, an age
    (``pos``: its place in :data:`Ages`), the primary outcome (``pos`` 0) or a further
    result."""

    kind: RefKind
    pos: int


class Raw(NamedTuple):
    """One answer reduced to what scoring reads: the counting level and its points.

    ``rank`` is ``None`` for the unknown marker; ``points`` is ``None`` when nothing counts.
    A named tuple, not an attrs class: the range searches build, compare and hash answers
    hundreds of times per summary, and a tuple does that in C.
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
    scored: bool = True
    """False for a scale without points: its answers count nothing (``points`` are zeros)."""
    poles: tuple[str | None, ...] = ()
    """Per level: strength, neutral or concern on a bipolar scale; empty otherwise."""
    unknown: Raw = attrs.field(
        init=False, default=attrs.Factory(lambda self: _unknown(self), takes_self=True)
    )
    """The unknown marker reduced (level ``""`` when the scale has none)."""
    answers: Mapping[str, Raw] = attrs.field(
        init=False, default=attrs.Factory(lambda self: _answers(self), takes_self=True)
    )
    """Every single-level answer the scale accepts (its levels and the unknown marker)
    reduced once per instrument: scoring reads an answer with one lookup."""


def _unknown(scale: CScale) -> Raw:
    return Raw(None, scale.unknown_id or "", scale.unknown_points)


def _answers(scale: CScale) -> Mapping[str, Raw]:
    answers = {
        level: Raw(rank, level, points if scale.scored else None)
        for rank, (level, points) in enumerate(zip(scale.levels, scale.points, strict=True))
    }
    if scale.unknown_id is not None:
        answers[scale.unknown_id] = scale.unknown
    return MappingProxyType(answers)


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
    codes: tuple[Mapping[str, str], ...] = ()
    """The item's external codes (system, code), copied into the summary."""
    single_level: bool = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda self: self.response == "single" and not self.per_caregiver, takes_self=True
        ),
    )
    """Answered with one level (``level``), not several or one per caregiver."""


@attrs.frozen
class CIndex:
    """An index with resolved inputs; ``band_ids`` is empty for unbanded indices."""

    pos: int
    id: str
    side: Literal["risk", "protective", "needs", "other"]
    aggregation: Aggregation
    items: tuple[int, ...]
    inputs: tuple[int, ...]
    at_least: int | None
    places: int | None
    mode: Literal["half_up", "half_even", "down", "up"] | None
    band_ids: tuple[str, ...]
    cutoffs: tuple[Decimal, ...]
    """Cut-offs of the second and later bands (empty for max_band)."""
    factor: Decimal | None = None
    """scaled: the factor."""
    minimum_answered: Decimal | None = None
    """prorated_sum: the share of applicable items that must be answered."""


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
class CResult:
    """A further result: its value ids (rank = severity) and its first-match table, whose
    rows' ``outcome`` are ranks of these values."""

    pos: int
    id: str
    values: tuple[str, ...]
    rows: tuple[CRule, ...]


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
    results: tuple[CResult, ...]
    result_order: tuple[int, ...]
    readers: Readers = attrs.field(
        default=attrs.Factory(lambda self: _readers(self), takes_self=True)
    )
    """Who reads each item, index and flag: what one changed answer reaches, so scoring
    re-evaluates only that (see ``_evaluate.reach``)."""
    floors: tuple[tuple[int, int], ...] = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda self: tuple((f.pos, f.minimum) for f in self.flags if f.minimum is not None),
            takes_self=True,
        ),
    )
    """(position, minimum outcome) of every flag that sets a floor: the decision, made again
    for every answer the range searches try, looks at these flags only."""
    conditional: tuple[int, ...] = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda self: tuple(item.pos for item in self.items if item.applies is not None),
            takes_self=True,
        ),
    )
    """Positions of the items with an applicability condition (the others always apply)."""


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
