"""The pure evaluation core: answers → item states → indices → flags → decision.

Every function here must run inside ``decimal.localcontext(CONTEXT)`` (``score`` and
``compile_instrument`` enter it): additions and multiplications are then exact, because the
compile step proved that no index needs more than 12 integer and 6 fractional digits.
Quotients are rounded with integer arithmetic, never through the context.
"""

from __future__ import annotations

import bisect
import decimal
import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

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
    "joint_reach",
    "prorate",
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
    _item_states(compiled, state, compiled.item_order, raw)
    _derived(compiled, state, compiled.index_order, compiled.flag_order)
    return state


def _derived(
    compiled: CompiledInstrument, state: State, indices: Sequence[int], flags: Sequence[int]
) -> None:
    """The values and bands of the ``indices`` and the ``flags``, each in the order given
    (inputs first), from the item states."""
    values, bands, index_at = state.values, state.bands, compiled.indices
    for k in indices:
        values[k], bands[k] = index_value(compiled, index_at[k], state)
    raised, flag_at = state.raised, compiled.flags
    for k in flags:
        raised[k] = flag_at[k].when(state)


def _item_states(
    compiled: CompiledInstrument,
    state: State,
    positions: Sequence[int],
    raw: Sequence[Raw | None],
    changed: int = -1,
    answer: Raw | None = None,
) -> None:
    """Applicability, status, counting rank and points of the items at ``positions``, in
    that order (each one's applicability inputs come before it), answered as in ``raw`` except
    item ``changed``, answered ``answer``. One loop for all of them: an evaluation sets every
    item, and a call per item cost more than the work."""
    items = compiled.items
    applicable, status, rank, points = state.applicable, state.status, state.rank, state.points
    for pos in positions:
        item = items[pos]
        given = answer if pos == changed else raw[pos]
        applies = item.applies is None or item.applies(state)
        applicable[pos] = applies
        if not applies or given is None:
            status[pos] = "missing" if applies else "not_applicable"
            rank[pos] = points[pos] = None
            continue
        status[pos] = "answered" if given.rank is not None else "unknown"
        rank[pos] = given.rank
        points[pos] = given.points if item.kind != "context" else None


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
    _item_states(compiled, state, changed.items, raw, pos, answer)
    _derived(compiled, state, changed.indices, changed.flags)


def reevaluate(
    compiled: CompiledInstrument, base: State, raw: Sequence[Raw | None], positions: Sequence[int]
) -> State:
    """``evaluate(compiled, base.age, raw)`` for answers that differ from those behind
    ``base`` only at the items ``positions``: what they reach is evaluated again (once, in
    evaluation order), everything else is copied."""
    changed = joint_reach(compiled, tuple(positions))
    if changed is None:
        return evaluate(compiled, base.age, raw)
    state = copy_state(base)
    _item_states(compiled, state, changed.items, raw)
    _derived(compiled, state, changed.indices, changed.flags)
    return state


@functools.lru_cache(maxsize=1024)
def joint_reach(compiled: CompiledInstrument, positions: tuple[int, ...]) -> Reach | None:
    """What the answers of the items at ``positions`` reach together, each part in
    evaluation order; ``None`` when one item's reach is. Kept: the outcome range's two
    corners and the range searches' first box ask for the same free items' reach."""
    reaches = [changed for pos in positions if (changed := reach(compiled, pos)) is not None]
    if len(reaches) < len(positions):
        return None
    readers = compiled.readers
    return Reach(
        _union((r.items for r in reaches), readers.item_rank),
        _union((r.indices for r in reaches), readers.index_rank),
        _union((r.flags for r in reaches), readers.flag_rank),
    )


def _union(parts: Iterable[Sequence[int]], rank: Sequence[int]) -> tuple[int, ...]:
    """The positions in any of ``parts``, in evaluation order (``rank``: position → place)."""
    return tuple(sorted(set().union(*parts), key=rank.__getitem__))


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
    if index.aggregation == "max_band":
        ranks = [band for j in index.inputs if (band := state.bands[j]) is not None]
        if not ranks:
            return None, None
        top = max(ranks)
        return Decimal(top + 1), top
    value = _AGGREGATE[index.aggregation](compiled, index, state)
    if value is None:
        return None, None
    value = clean(value)
    return value, band_of(index, value)


# One function per aggregation, looked up by name: scoring and the range searches compute
# indices tens of times per summary, and a table finds the kind in one step.


def _sum(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal:
    return sum(_terms(index, state), _ZERO)


def _weighted_sum(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal:
    points, items = state.points, compiled.items
    terms = [p * items[i].weight for i in index.items if (p := points[i]) is not None]
    if index.inputs:
        values = state.values
        terms += [v for j in index.inputs if (v := values[j]) is not None]
    return sum(terms, _ZERO)


def _mean(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal | None:
    terms = _terms(index, state)
    if not terms:
        return None
    assert index.places is not None
    assert index.mode is not None
    return round_quotient(sum(terms, _ZERO), len(terms), index.places, index.mode)


def _max(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal | None:
    return max(_terms(index, state), default=None)


def _min(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal | None:
    return min(_terms(index, state), default=None)


def _terms(index: CIndex, state: State) -> list[Decimal]:
    """The points of the counted items, then the values of the input indices that have one."""
    points = state.points
    terms = [p for i in index.items if (p := points[i]) is not None]
    if index.inputs:
        values = state.values
        terms += [v for j in index.inputs if (v := values[j]) is not None]
    return terms


def _count_at_least(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal:
    at_least, rank = index.at_least, state.rank
    assert at_least is not None
    return Decimal(len([i for i in index.items if (r := rank[i]) is not None and r >= at_least]))


def _count_pole(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal:
    pole, rank, items = POLES[index.aggregation], state.rank, compiled.items
    return Decimal(
        len(
            [
                i
                for i in index.items
                if (r := rank[i]) is not None and items[i].scale.poles[r] == pole
            ]
        )
    )


def _from_inputs(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal | None:
    return _arithmetic(index, [state.values[j] for j in index.inputs])


def _prorated_sum(compiled: CompiledInstrument, index: CIndex, state: State) -> Decimal | None:
    applicable = sum(1 for i in index.items if state.applicable[i])
    points = [p for i in index.items if (p := state.points[i]) is not None]
    return prorate(index, applicable, points)


_ZERO = Decimal(0)
_AGGREGATE: dict[str, Callable[[CompiledInstrument, CIndex, State], Decimal | None]] = {
    "sum": _sum,
    "weighted_sum": _weighted_sum,
    "mean": _mean,
    "max": _max,
    "min": _min,
    "count_at_least": _count_at_least,
    "count_strengths": _count_pole,
    "count_concerns": _count_pole,
    "scaled": _from_inputs,
    "rounded": _from_inputs,
    "difference": _from_inputs,
    "prorated_sum": _prorated_sum,
}
"""Every aggregation but ``max_band`` (whose value is a band's), by name."""


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


def prorate(index: CIndex, applicable: int, points: Sequence[Decimal]) -> Decimal | None:
    """A prorated sum of the ``points`` of the counted items, ``applicable`` items applying:
    Σ points × applicable / counted, rounded; no value below the minimum share (or when
    nothing applies), because a sum of too few answers says too little."""
    assert index.minimum_answered is not None
    assert index.places is not None
    assert index.mode is not None
    counted = len(points)
    if not applicable or not counted or counted < index.minimum_answered * applicable:
        return None
    total = sum(points, Decimal(0))
    return round_quotient(total * applicable, counted, index.places, index.mode)


def band_of(index: CIndex, value: Decimal) -> int | None:
    """Rank of the last band whose cut-off the value reaches (the first band has none)."""
    if not index.band_ids:
        return None
    return bisect.bisect_right(index.cutoffs, value)  # cut-offs strictly increase


class Decision(NamedTuple):
    """What the decision table, policy overrides and flag floors made of one state (a named
    tuple: the range searches decide again for every answer they try)."""

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
    raised = state.raised
    floor: int | None = None
    for pos, minimum in compiled.floors:
        if raised[pos] and (floor is None or minimum > floor):
            floor = minimum
    if not apply_table:
        return Decision(None, (), floor, None)
    for rule in compiled.rules:
        if rule.when is None or rule.when(state):
            break
    else:  # pragma: no cover - the compile step demands a default rule
        raise AssertionError("no rule matched")
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
