"""The pure evaluation core: answers → item states → indices → flags → decision.

Every function here must run inside ``decimal.localcontext(CONTEXT)`` (``score`` and
``compile_instrument`` enter it): additions and multiplications are then exact, because the
compile step proved that no index needs more than 12 integer and 6 fractional digits.
Quotients are rounded with integer arithmetic, never through the context.
"""

from __future__ import annotations

import decimal
import functools
import itertools
from collections.abc import Sequence
from decimal import Decimal

import attrs

from . import _graphs as graphs
from ._runtime import Ages, CIndex, CompiledInstrument, Raw, State

__all__ = [
    "ARITHMETIC",
    "CONTEXT",
    "POLES",
    "Decision",
    "Reach",
    "answer_changed",
    "band_of",
    "clean",
    "copy_state",
    "decide",
    "decide_results",
    "evaluate",
    "index_value",
    "prorate_counts",
    "reach",
    "reevaluate",
    "round_quotient",
    "rounded",
]

CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_UP,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""Fully specified, so nothing is inherited from the caller's global ``DefaultContext``."""


def clean(value: Decimal) -> Decimal:
    """Drop the sign of a zero: ``-0`` and ``0`` must print alike."""
    return value.copy_abs() if value.is_zero() else value


def round_quotient(total: Decimal, count: int, places: int, mode: str) -> Decimal:
    """``total / count`` rounded to ``places`` with the instrument's mode, exactly.

    half_up and up round away from zero, down towards zero, half_even to the even digit.
    """
    numerator, denominator = total.as_integer_ratio()
    numerator *= 10**places
    denominator *= count
    negative = numerator < 0
    quotient, remainder = divmod(abs(numerator), denominator)
    if mode == "up":
        quotient += remainder > 0
    elif mode == "half_up":
        quotient += 2 * remainder >= denominator
    elif mode == "half_even":
        twice = 2 * remainder
        quotient += twice > denominator or (twice == denominator and quotient % 2 == 1)
    return Decimal(-quotient if negative else quotient).scaleb(-places)


def evaluate(compiled: CompiledInstrument, age: Ages, raw: Sequence[Raw | None]) -> State:
    """Applicability, item states, indices and flags for one set of answers."""
    c = compiled
    state = State(age, len(c.items), len(c.indices), len(c.flags), len(c.results))
    for pos in compiled.item_order:
        _item_state(compiled, state, pos, raw[pos])
    for pos in compiled.index_order:
        index = compiled.indices[pos]
        state.values[pos], state.bands[pos] = index_value(compiled, index, state)
    for pos in compiled.flag_order:
        state.raised[pos] = compiled.flags[pos].when(state)
    return state


def _item_state(compiled: CompiledInstrument, state: State, pos: int, answer: Raw | None) -> None:
    """Applicability, status, counting rank and points of one item (its applicability's
    inputs already evaluated)."""
    item = compiled.items[pos]
    applicable = item.applies is None or item.applies(state)
    state.applicable[pos] = applicable
    if not applicable or answer is None:
        state.status[pos] = "missing" if applicable else "not_applicable"
        state.rank[pos] = state.points[pos] = None
        return
    state.status[pos] = "answered" if answer.rank is not None else "unknown"
    state.rank[pos] = answer.rank
    state.points[pos] = answer.points if item.kind != "context" else None


@attrs.frozen
class Reach:
    """What one item's answer can change, each part in evaluation order: the item and the
    items whose applicability reads it (directly or through each other), the indices they
    feed (directly or through other indices) and the flags reading any of these."""

    items: tuple[int, ...]
    indices: tuple[int, ...]
    flags: tuple[int, ...]


@functools.lru_cache(maxsize=8192)
def reach(compiled: CompiledInstrument, pos: int) -> Reach | None:
    """The reach of item ``pos``; ``None`` when an applicability condition reads an index,
    band or flag (then only a full evaluation is right). Kept: clarify-first and the range
    searches ask for the same items' reach in every summary."""
    readers = compiled.readers
    if readers.opaque:
        return None
    items = graphs.reach((pos,), readers.item_items)
    indices = graphs.reach(
        itertools.chain.from_iterable(readers.item_indices[i] for i in items),
        readers.index_indices,
    )
    flag_starts = itertools.chain(
        itertools.chain.from_iterable(readers.item_flags[i] for i in items),
        itertools.chain.from_iterable(readers.index_flags[k] for k in indices),
    )
    flags = graphs.reach(flag_starts, readers.flag_flags)
    return Reach(
        tuple(sorted(items, key=readers.item_rank.__getitem__)),
        tuple(sorted(indices, key=readers.index_rank.__getitem__)),
        tuple(sorted(flags, key=readers.flag_rank.__getitem__)),
    )


def answer_changed(
    compiled: CompiledInstrument,
    state: State,
    raw: Sequence[Raw | None],
    changed: Reach,
    pos: int,
    answer: Raw | None,
) -> None:
    """Turn ``state``, the evaluation of ``raw``, in place into the evaluation of ``raw``
    with ``answer`` at item ``pos``, re-evaluating only ``changed`` (the item's reach).
    Called again with ``raw[pos]``, it restores the state exactly."""
    for i in changed.items:
        _item_state(compiled, state, i, answer if i == pos else raw[i])
    for k in changed.indices:
        state.values[k], state.bands[k] = index_value(compiled, compiled.indices[k], state)
    for k in changed.flags:
        state.raised[k] = compiled.flags[k].when(state)


def reevaluate(
    compiled: CompiledInstrument, base: State, raw: Sequence[Raw | None], pos: int
) -> State:
    """``evaluate(compiled, base.age, raw)`` for answers that differ from those behind
    ``base`` only at the item ``pos``: what the item reaches is evaluated again, everything
    else is copied."""
    changed = reach(compiled, pos)
    if changed is None:
        return evaluate(compiled, base.age, raw)
    state = copy_state(base)
    answer_changed(compiled, state, raw, changed, pos, raw[pos])
    return state


def copy_state(base: State) -> State:
    """A copy of an evaluation state that can be changed without touching ``base``."""
    state = State(base.age, 0, 0, 0)
    state.applicable = base.applicable[:]
    state.status, state.rank, state.points = base.status[:], base.rank[:], base.points[:]
    state.values, state.bands = base.values[:], base.bands[:]
    state.raised = base.raised[:]
    state.outcome, state.results = base.outcome, base.results[:]
    return state


def index_value(
    compiled: CompiledInstrument, index: CIndex, state: State
) -> tuple[Decimal | None, int | None]:
    """Value and band rank of an index whose inputs are already evaluated."""
    aggregation = index.aggregation
    if aggregation == "max_band":
        ranks = [band for j in index.inputs if (band := state.bands[j]) is not None]
        if not ranks:
            return None, None
        top = max(ranks)
        return Decimal(top + 1), top
    value: Decimal | None
    if aggregation in ARITHMETIC:
        value = _arithmetic(index, [state.values[j] for j in index.inputs])
    elif aggregation == "prorated_sum":
        value = _prorated(index, state)
    elif aggregation in POLES:
        pole = POLES[aggregation]
        value = Decimal(
            sum(
                1
                for i in index.items
                if (rank := state.rank[i]) is not None
                and compiled.items[i].scale.poles[rank] == pole
            )
        )
    elif aggregation == "count_at_least":
        assert index.at_least is not None
        value = Decimal(
            sum(
                1
                for i in index.items
                if (rank := state.rank[i]) is not None and rank >= index.at_least
            )
        )
    else:
        points = state.points
        if aggregation == "weighted_sum":
            items = compiled.items
            terms = [p * items[i].weight for i in index.items if (p := points[i]) is not None]
        else:
            terms = [p for i in index.items if (p := points[i]) is not None]
        if index.inputs:
            values = state.values
            terms.extend(v for j in index.inputs if (v := values[j]) is not None)
        if aggregation in ("sum", "weighted_sum"):
            value = sum(terms, Decimal(0))
        elif not terms:
            value = None
        elif aggregation == "mean":
            assert index.places is not None
            assert index.mode is not None
            value = round_quotient(sum(terms, Decimal(0)), len(terms), index.places, index.mode)
        else:
            value = max(terms) if aggregation == "max" else min(terms)
    if value is None:
        return None, None
    value = clean(value)
    return value, band_of(index, value)


ARITHMETIC = ("scaled", "rounded", "difference")
"""Index kinds computed from their input indices' values alone."""
POLES = {"count_strengths": "strength", "count_concerns": "concern"}
"""The counting kinds of bipolar scales and the pole each counts."""


def rounded(index: CIndex, value: Decimal) -> Decimal:
    """The value rounded by the index's rounding (unchanged without one)."""
    if index.places is None or index.mode is None:
        return value
    return round_quotient(value, 1, index.places, index.mode)


def _arithmetic(index: CIndex, values: Sequence[Decimal | None]) -> Decimal | None:
    """scaled, rounded or difference of the input values; no value when an input has none."""
    if not values or any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    if index.aggregation == "scaled":
        assert index.factor is not None
        return rounded(index, known[0] * index.factor)
    if index.aggregation == "rounded":
        return rounded(index, known[0])
    return known[0] - known[1]


def prorate_counts(index: CIndex, state: State) -> tuple[int, int]:
    """(applicable, counted) items of a prorated sum: counted are those with points."""
    applicable = sum(1 for i in index.items if state.applicable[i])
    counted = sum(1 for i in index.items if state.points[i] is not None)
    return applicable, counted


def _prorated(index: CIndex, state: State) -> Decimal | None:
    """Σ points × applicable / counted, rounded; no value below the minimum share (or when
    nothing applies), because a sum of too few answers says too little."""
    assert index.minimum_answered is not None
    assert index.places is not None
    assert index.mode is not None
    applicable, counted = prorate_counts(index, state)
    if not applicable or not counted or counted < index.minimum_answered * applicable:
        return None
    total = sum((p for i in index.items if (p := state.points[i]) is not None), Decimal(0))
    return round_quotient(total * applicable, counted, index.places, index.mode)


def band_of(index: CIndex, value: Decimal) -> int | None:
    """Rank of the last band whose cut-off the value reaches (the first band has none)."""
    if not index.band_ids:
        return None
    return sum(1 for cutoff in index.cutoffs if cutoff <= value)


@attrs.frozen
class Decision:
    """What the decision table, policy overrides and flag floors made of one state."""

    rule: int | None
    """Position of the first matching rule (``None`` when the table was not applied)."""
    policies: tuple[int, ...]
    """Positions of the policy overrides whose condition holds."""
    floor: int | None
    """Highest minimum outcome of a raised flag."""
    computed: int | None
    """Outcome rank after table, policies and floor; ``None`` when not applied."""


def decide(compiled: CompiledInstrument, state: State, apply_table: bool) -> Decision:
    """Apply the decision table (first match), the policy overrides and the flag floor."""
    floor = max(
        (
            flag.minimum
            for flag in compiled.flags
            if flag.minimum is not None and state.raised[flag.pos]
        ),
        default=None,
    )
    if not apply_table:
        return Decision(None, (), floor, None)
    rule = next(r for r in compiled.rules if r.when is None or r.when(state))
    outcome = rule.outcome
    policies = tuple(p.pos for p in compiled.policies if p.when(state))
    for pos in policies:
        outcome = max(outcome, compiled.policies[pos].minimum)
    if floor is not None:
        outcome = max(outcome, floor)
    return Decision(rule.pos, policies, floor, outcome)


def decide_results(
    compiled: CompiledInstrument, state: State, primary: int | None
) -> tuple[int, ...]:
    """Every further result, dependencies first: the first matching row of its table gives
    its value (``state.results``); the conditions read ``primary``, the computed primary
    outcome (``None``: not computed), as ``state.outcome``. Returns, per result, the
    position of the matching row."""
    state.outcome = primary
    matched = [0] * len(compiled.results)
    for pos in compiled.result_order:
        result = compiled.results[pos]
        row = next(r for r in result.rows if r.when is None or r.when(state))
        matched[pos] = row.pos
        state.results[pos] = row.outcome
    return tuple(matched)
