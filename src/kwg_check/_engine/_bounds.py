"""Bounds over a partial assignment: what every completion of the unassigned items could give.

An abstract evaluation walks the same steps as ``_evaluate.evaluate`` but over *sets* of
states: an item holds every counting rank and the interval of points its possible answers
give, an index the interval of its possible values (and whether it may have none), a
condition the truth values it may take (``TRUE``, ``FALSE`` or both). Every step
over-approximates, so the true values of each completion lie inside the bounds; when every
answer is fixed, every set has one member and the bounds are that evaluation exactly. This is
what lets ``_range`` search branch and bound: a subtree whose bound cannot beat the best
completion found so far is skipped, and the leaves need no separate evaluation.

Like ``_evaluate``, every function here runs inside ``decimal.localcontext(CONTEXT)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import assert_never

import attrs

from kwg_check._model.conditions import (
    AgeBand,
    All,
    AnswerAtLeast,
    AnswerIn,
    AnswerInTest,
    Any_,
    BandAtLeast,
    ContextIs,
    FlagRaised,
    IndexCompare,
    Not,
    ResultIs,
)
from kwg_check._model.conditions import Condition as ConditionModel

from ._conditions import Names, result_ranks
from ._evaluate import (
    ARITHMETIC,
    POLES,
    Reach,
    band_of,
    clean,
    joint_reach,
    prorate,
    reach,
    round_quotient,
    rounded,
)
from ._runtime import AGE_OF, Ages, CIndex, CompiledInstrument, Raw, State
from ._semantics import names_of

__all__ = ["FALSE", "MAYBE", "TRUE", "Box", "Choice", "Span", "abstract", "choice_of"]

TRUE, FALSE, MAYBE = 1, 2, 3
"""Truth sets as bit masks: 1 = may be true, 2 = may be false."""

Span = tuple[Decimal | None, Decimal | None, bool]
"""(lowest, highest, may be absent); lowest and highest are ``None`` when always absent."""

NONE_SPAN: Span = (None, None, True)


@attrs.frozen
class Choice:
    """What a set of answers of one item gives when the item applies: its possible counting
    ranks (``None``: not counted) and points (a span; context items count none)."""

    ranks: frozenset[int | None]
    points: Span


def choice_of(compiled: CompiledInstrument, pos: int, answers: Sequence[Raw | None]) -> Choice:
    """The choice of item ``pos`` answered with any of ``answers``."""
    counted = compiled.items[pos].kind != "context"
    if len(answers) == 1:
        return _single(counted, answers[0])
    return _choice(counted, answers)


@functools.lru_cache(maxsize=4096)
def _single(counted: bool, answer: Raw | None) -> Choice:
    """One answer's choice; answers repeat across items and documents, so it is kept."""
    return _choice(counted, (answer,))


def _choice(counted: bool, answers: Sequence[Raw | None]) -> Choice:
    ranks = frozenset(None if a is None else a.rank for a in answers)
    points = [a.points if a is not None and counted else None for a in answers]
    return Choice(ranks, _span(points))


def _span(values: Sequence[Decimal | None]) -> Span:
    present = [v for v in values if v is not None]
    if not present:
        return NONE_SPAN
    return min(present), max(present), len(present) < len(values)


def too_many_choice(compiled: CompiledInstrument, pos: int) -> Choice:
    """A summed multiple answer with too many selections to list: any level may count and
    the points lie between the sum of the negative and the sum of the positive points."""
    points = compiled.items[pos].scale.points
    low = min(min(points), sum((p for p in points if p < 0), Decimal(0)))
    high = max(max(points), sum((p for p in points if p > 0), Decimal(0)))
    return Choice(frozenset(range(len(points))), (low, high, False))


ACond = Callable[["Box"], int]

_UNREAD = Choice(frozenset((None,)), NONE_SPAN)
"""The choice a ``near`` box keeps for items no free item reaches: never read, because
only what a free item reaches is evaluated again."""


@functools.lru_cache(maxsize=256)
def _rank_set(rank: int | None) -> frozenset[int | None]:
    return frozenset((rank,))


class Box:
    """The abstract state of one partial assignment (mutable; one per search)."""

    __slots__ = (
        "age",
        "applicable",
        "bands",
        "choices",
        "outcome",
        "points",
        "raised",
        "ranks",
        "results",
        "values",
        "work",
    )

    def __init__(
        self, age: Ages, choices: list[Choice], n_indices: int, n_flags: int, n_results: int = 0
    ) -> None:
        n_items = len(choices)
        self.age = age
        self.choices = choices
        self.applicable: list[int] = [FALSE] * n_items
        self.ranks: list[frozenset[int | None]] = [frozenset((None,))] * n_items
        self.points: list[Span] = [NONE_SPAN] * n_items
        self.values: list[Span] = [NONE_SPAN] * n_indices
        self.bands: list[Span] = [NONE_SPAN] * n_indices
        self.raised: list[int] = [FALSE] * n_flags
        self.work = 0
        """Item, index and flag evaluations done on this box so far (a search's budget)."""
        # Set by ``Abstract.results`` only: the primary outcome's (least, most severe) and
        # each further result's possible values.
        self.outcome: tuple[int, int] | None = None
        self.results: list[frozenset[int]] = [frozenset()] * n_results


@attrs.frozen(eq=False)
class Abstract:
    """The instrument's conditions compiled to truth sets, and its evaluation orders."""

    compiled: CompiledInstrument
    applies: tuple[ACond | None, ...]
    flags: tuple[ACond, ...]
    rules: tuple[ACond | None, ...]
    policies: tuple[ACond, ...]
    rows: tuple[tuple[ACond | None, ...], ...]
    """Per further result: its table's rows."""
    reaches: tuple[Reach | None, ...]
    domains: tuple[Choice, ...]
    """Per item: the choice of all its completions (``too_many_choice`` when unlisted)."""
    options: tuple[tuple[Choice, ...], ...]
    """Per item: the choice of each completion, in order (empty when unlisted)."""

    def box(self, age: Ages, choices: list[Choice], flags: bool = True) -> Box:
        """Evaluate everything for the given choices (without ``flags``, items and indices
        only: index ranges read no flag unless an applicability condition does)."""
        c = self.compiled
        box = Box(age, choices, len(c.indices), len(c.flags), len(c.results))
        self._update(box, c.item_order, c.index_order, c.flag_order if flags else ())
        return box

    def near(
        self, state: State, raw: Sequence[Raw | None], free: dict[int, Choice], flags: bool
    ) -> Box:
        """``box`` for the answers ``raw`` with the ``free`` items given other choices,
        built from ``state`` (the evaluation of ``raw``): only what the free items reach is
        evaluated abstractly, everything else is copied as the one value it has. The same
        box, in a fraction of the time when few items are free."""
        c = self.compiled
        changed = joint_reach(c, tuple(free))
        if changed is None:
            choices = [
                free[pos] if pos in free else choice_of(c, pos, (raw[pos],))
                for pos in range(len(c.items))
            ]
            return self.box(state.age, choices, flags)
        items, indices, raised = changed.items, changed.indices, changed.flags
        choices = [_UNREAD] * len(c.items)
        for pos in items:
            choices[pos] = free[pos] if pos in free else choice_of(c, pos, (raw[pos],))
        box = Box(state.age, choices, len(c.indices), len(c.flags), len(c.results))
        box.applicable = [TRUE if a else FALSE for a in state.applicable]
        box.ranks = [_rank_set(rank) for rank in state.rank]
        box.points = [NONE_SPAN if p is None else (p, p, False) for p in state.points]
        box.values = [NONE_SPAN if v is None else (v, v, False) for v in state.values]
        box.bands = [
            _band_span(index, value) for index, value in zip(c.indices, box.values, strict=True)
        ]
        if flags:
            box.raised = [TRUE if r else FALSE for r in state.raised]
        self._update(box, items, indices, raised if flags else ())
        return box

    def choose(
        self, box: Box, pos: int, choice: Choice, only: frozenset[int] | None = None
    ) -> None:
        """Give item ``pos`` another choice and evaluate again only what it reaches; with
        ``only``, of the indices only those (a search for one index's values reads only it
        and its inputs) and no flags. The others keep their values, which are right again
        once every choice is restored."""
        box.choices[pos] = choice
        changed = self.reaches[pos]
        c = self.compiled
        items, indices, flags = (
            (c.item_order, c.index_order, c.flag_order)
            if changed is None
            else (changed.items, changed.indices, changed.flags)
        )
        if only is not None:
            indices, flags = tuple(k for k in indices if k in only), ()
        self._update(box, items, indices, flags)

    def _update(
        self, box: Box, items: Sequence[int], indices: Sequence[int], flags: Sequence[int]
    ) -> None:
        box.work += len(items) + len(indices) + len(flags)
        for pos in items:
            applies = self.applies[pos]
            mask = TRUE if applies is None else applies(box)
            box.applicable[pos] = mask
            choice = box.choices[pos]
            if mask == TRUE:
                box.ranks[pos], box.points[pos] = choice.ranks, choice.points
            elif mask == FALSE:
                box.ranks[pos], box.points[pos] = frozenset((None,)), NONE_SPAN
            else:
                box.ranks[pos] = choice.ranks | {None}
                low, high, _ = choice.points
                box.points[pos] = (low, high, True)
        for k in indices:
            index = self.compiled.indices[k]
            box.values[k] = _index_span(self.compiled, index, box)
            box.bands[k] = _band_span(index, box.values[k])
        for k in flags:
            box.raised[k] = self.flags[k](box)

    def outcome(self, box: Box) -> tuple[int, int]:
        """Least and most severe computed outcome (decision table, policies, flag floors)."""
        c = self.compiled
        possible: list[int] = []
        for rule, when in zip(c.rules, self.rules, strict=True):
            mask = TRUE if when is None else when(box)
            if mask & TRUE:
                possible.append(rule.outcome)
            if not mask & FALSE:
                break
        low, high = min(possible), max(possible)
        lifts = [(p.minimum, when(box)) for p, when in zip(c.policies, self.policies, strict=True)]
        lifts += [(f.minimum, box.raised[f.pos]) for f in c.flags if f.minimum is not None]
        for minimum, mask in lifts:
            if mask & TRUE:
                high = max(high, minimum)
                if mask == TRUE:
                    low = max(low, minimum)
        return low, high

    def results(self, box: Box) -> list[frozenset[int]]:
        """The values each further result may take (``box.results``), after the primary
        outcome's (``box.outcome``; none for professional judgement), dependencies first."""
        c = self.compiled
        box.outcome = self.outcome(box) if c.method == "decision_table" else None
        for pos in c.result_order:
            possible: set[int] = set()
            for row, when in zip(c.results[pos].rows, self.rows[pos], strict=True):
                mask = TRUE if when is None else when(box)
                if mask & TRUE:
                    possible.add(row.outcome)
                if not mask & FALSE:
                    break
            box.results[pos] = frozenset(possible)
        return box.results


@functools.lru_cache(maxsize=16)
def abstract(compiled: CompiledInstrument) -> Abstract:
    """The abstract form of a compiled instrument (built once per instrument)."""
    instrument, names = compiled.instrument, names_of(compiled.instrument)
    table = instrument.decision_table or []
    return Abstract(
        compiled,
        tuple(_optional(item.applies_when, names) for item in instrument.items),
        tuple(_compile(flag.when, names) for flag in instrument.flags),
        tuple(_optional(rule.when, names) for rule in table),
        tuple(_compile(policy.when, names) for policy in instrument.policy_overrides),
        tuple(
            tuple(_optional(row.when, names) for row in result.table)
            for result in instrument.results
        ),
        tuple(reach(compiled, pos) for pos in range(len(compiled.items))),
        tuple(
            too_many_choice(compiled, item.pos)
            if item.completions is None
            else choice_of(compiled, item.pos, item.completions)
            for item in compiled.items
        ),
        tuple(
            tuple(choice_of(compiled, item.pos, (answer,)) for answer in item.completions or ())
            for item in compiled.items
        ),
    )


def _optional(cond: ConditionModel | None, names: Names) -> ACond | None:
    return None if cond is None else _compile(cond, names)


def _compile(cond: ConditionModel, names: Names) -> ACond:
    """A checked condition as a function of a box to the truth values it may take."""
    match cond:
        case All():
            parts = tuple(_compile(sub, names) for sub in cond.all)
            return lambda b: _all(part(b) for part in parts)
        case Any_():
            parts = tuple(_compile(sub, names) for sub in cond.any)
            return lambda b: _any(part(b) for part in parts)
        case Not():
            inner = _compile(cond.not_, names)
            return lambda b: _NOT[inner(b)]
        case AnswerAtLeast():
            item = names.items[cond.answer_at_least.item]
            assert item.ranks is not None
            pos, threshold = item.pos, item.ranks[cond.answer_at_least.level]
            return lambda b: _truths(r is not None and r >= threshold for r in b.ranks[pos])
        case AnswerIn():
            return _compile_in(cond.answer_in, names)
        case ContextIs():
            return _compile_in(cond.context, names)
        case IndexCompare():
            k = names.indices[cond.index.index].pos
            test = _COMPARE[cond.index.op]
            value = cond.index.value
            return lambda b: test(b.values[k], value)
        case BandAtLeast():
            index = names.indices[cond.band.index]
            assert index.band_ids is not None
            k, band = index.pos, Decimal(index.band_ids.index(cond.band.band))
            return lambda b: _at_least(b.bands[k], band)
        case FlagRaised():
            flag = names.flags[cond.flag]
            return lambda b: b.raised[flag]
        case AgeBand():
            low, below = cond.age_months.from_months, cond.age_months.below_months
            whose = AGE_OF.index(cond.age_months.of)

            def in_band(b: Box) -> int:
                age = b.age[whose]
                if age is None:
                    return FALSE
                return (
                    TRUE
                    if (low is None or age >= low) and (below is None or age < below)
                    else FALSE
                )

            return in_band
        case ResultIs():
            return _compile_result(cond, names)
        case _:
            assert_never(cond)


def _compile_result(cond: ResultIs, names: Names) -> ACond:
    """The primary outcome may be any rank between its least and most severe (a superset);
    a further result any of its possible values."""
    pos, accepted = result_ranks(cond, names)
    if pos is None:

        def primary(b: Box) -> int:
            if b.outcome is None:
                return FALSE
            low, high = b.outcome
            return _truths(rank in accepted for rank in range(low, high + 1))

        return primary
    result = pos
    return lambda b: _truths(rank in accepted for rank in b.results[result])


def _compile_in(test: AnswerInTest, names: Names) -> ACond:
    item = names.items[test.item]
    assert item.ranks is not None
    pos, ranks = item.pos, frozenset(item.ranks[level] for level in test.levels)
    return lambda b: _truths(r in ranks for r in b.ranks[pos])


_NOT = (0, FALSE, TRUE, MAYBE)


def _truths(values: Iterable[bool]) -> int:
    mask = 0
    for value in values:
        mask |= TRUE if value else FALSE
    return mask


def _all(masks: Iterable[int]) -> int:
    """May be true when every part may; may be false when some part may."""
    true, false = TRUE, 0
    for mask in masks:
        if not mask & TRUE:
            return FALSE
        false |= mask & FALSE
    return true | false


def _any(masks: Iterable[int]) -> int:
    return _NOT[_all(_NOT[mask] for mask in masks)]


def _compare(span: Span, can_true: bool, can_false: bool) -> int:
    """Truths of a comparison; an absent value never matches."""
    return (TRUE if can_true else 0) | (FALSE if can_false or span[2] else 0)


def _at_least(span: Span, value: Decimal) -> int:
    low, high, _ = span
    if low is None or high is None:
        return FALSE
    return _compare(span, high >= value, low < value)


def _below(span: Span, value: Decimal) -> int:
    low, high, _ = span
    if low is None or high is None:
        return FALSE
    return _compare(span, low < value, high >= value)


def _above(span: Span, value: Decimal) -> int:
    low, high, _ = span
    if low is None or high is None:
        return FALSE
    return _compare(span, high > value, low <= value)


def _at_most(span: Span, value: Decimal) -> int:
    low, high, _ = span
    if low is None or high is None:
        return FALSE
    return _compare(span, low <= value, high > value)


def _equal(span: Span, value: Decimal) -> int:
    low, high, _ = span
    if low is None or high is None:
        return FALSE
    return _compare(span, low <= value <= high, not low == high == value)


def _unequal(span: Span, value: Decimal) -> int:
    low, high, _ = span
    if low is None or high is None:
        return FALSE
    return _compare(span, not low == high == value, low <= value <= high)


_COMPARE: dict[str, Callable[[Span, Decimal], int]] = {
    ">=": _at_least,
    ">": _above,
    "<": _below,
    "<=": _at_most,
    "==": _equal,
    "!=": _unequal,
}


def _index_span(compiled: CompiledInstrument, index: CIndex, box: Box) -> Span:
    """The span of an index's value, its inputs' spans already evaluated."""
    aggregation = index.aggregation
    if aggregation == "max_band":
        return _extreme([box.bands[j] for j in index.inputs], top=True, plus=Decimal(1))
    if aggregation in ("count_at_least", "count_strengths", "count_concerns"):
        sure = maybe = 0
        for i in index.items:
            counts = [_counts(compiled, index, i, r) for r in box.ranks[i]]
            sure += all(counts)
            maybe += any(counts)
        return Decimal(sure), Decimal(maybe), False
    if aggregation == "prorated_sum":
        return _prorated(index, box)
    if aggregation in ARITHMETIC:
        return _arithmetic(index, [box.values[j] for j in index.inputs])
    if aggregation == "sum":
        return _sum([box.points[i] for i in index.items] + [box.values[j] for j in index.inputs])
    if aggregation == "weighted_sum":
        terms = [_weighted(box.points[i], compiled.items[i].weight) for i in index.items]
        return _sum(terms + [box.values[j] for j in index.inputs])
    terms = [box.points[i] for i in index.items] + [box.values[j] for j in index.inputs]
    if aggregation == "mean":
        return _mean(index, terms)
    return _extreme(terms, top=aggregation == "max", plus=Decimal(0))


def _counts(compiled: CompiledInstrument, index: CIndex, pos: int, rank: int | None) -> bool:
    """Whether an item answered at ``rank`` counts for a counting index."""
    if rank is None:
        return False
    pole = POLES.get(index.aggregation)
    if pole is not None:
        return compiled.items[pos].scale.poles[rank] == pole
    assert index.at_least is not None
    return rank >= index.at_least


def _prorated(index: CIndex, box: Box) -> Span:
    """Once every item's applicability and points are settled, the value itself (so that a
    search's leaves are exact). Before: sum × applicable / answered = applicable × the
    answered items' mean, between the lowest and highest points of any item, times 1 … all
    items; it may always be absent (too few answers)."""
    terms = [box.points[i] for i in index.items]
    if all(box.applicable[i] != MAYBE for i in index.items) and all(
        low == high and not absent for low, high, absent in terms if low is not None
    ):
        applicable = sum(1 for i in index.items if box.applicable[i] == TRUE)
        value = prorate(index, applicable, [low for low, _, _ in terms if low is not None])
        return NONE_SPAN if value is None else (clean(value), clean(value), False)
    present = [t for t in terms if t[0] is not None and t[1] is not None]
    if not present:
        return NONE_SPAN
    low = min(t[0] for t in present if t[0] is not None)
    high = max(t[1] for t in present if t[1] is not None)
    most = Decimal(len(terms))
    return (
        clean(rounded(index, min(low, low * most))),
        clean(rounded(index, max(high, high * most))),
        True,
    )


def _arithmetic(index: CIndex, inputs: Sequence[Span]) -> Span:
    """scaled, rounded and difference over the input spans (rounding is monotone)."""
    if any(t[0] is None or t[1] is None for t in inputs):
        return NONE_SPAN  # an input never has a value, so neither has the result
    absent = any(t[2] for t in inputs)
    (a_low, a_high, _), *rest = inputs
    assert a_low is not None
    assert a_high is not None
    if index.aggregation == "difference":
        b_low, b_high, _ = rest[0]
        assert b_low is not None
        assert b_high is not None
        return clean(a_low - b_high), clean(a_high - b_low), absent
    factor = Decimal(1) if index.factor is None else index.factor
    ends = sorted((a_low * factor, a_high * factor))
    return clean(rounded(index, ends[0])), clean(rounded(index, ends[1])), absent


def _sum(terms: Sequence[Span]) -> Span:
    """A sum is never absent; a term that may be absent may also add nothing."""
    low = high = _ZERO
    for t_low, t_high, absent in terms:
        if t_low is None or t_high is None:
            continue
        if absent:
            low += t_low if t_low < _ZERO else _ZERO
            high += t_high if t_high > _ZERO else _ZERO
        else:
            low += t_low
            high += t_high
    return clean(low), clean(high), False


_ZERO = Decimal(0)


def _weighted(span: Span, weight: Decimal) -> Span:
    low, high, absent = span
    if low is None or high is None:
        return span
    return low * weight, high * weight, absent  # weights are never negative


def _mean(index: CIndex, terms: Sequence[Span]) -> Span:
    places, mode = index.places, index.mode
    assert places is not None
    assert mode is not None
    present = [t for t in terms if t[0] is not None]
    if not present:
        return NONE_SPAN
    if all(not t[2] for t in present):
        low = sum((t[0] for t in present if t[0] is not None), Decimal(0))
        high = sum((t[1] for t in present if t[1] is not None), Decimal(0))
        count = len(present)
    else:
        low = min(t[0] for t in present if t[0] is not None)
        high = max(t[1] for t in present if t[1] is not None)
        count = 1
    absent = all(t[2] for t in present)
    return (
        clean(round_quotient(low, count, places, mode)),
        clean(round_quotient(high, count, places, mode)),
        absent,
    )


def _extreme(terms: Sequence[Span], top: bool, plus: Decimal) -> Span:
    """The span of the max (``top``) or min of the present terms, plus ``plus``."""
    present = [t for t in terms if t[0] is not None and t[1] is not None]
    if not present:
        return NONE_SPAN
    sure = [t for t in present if not t[2]]
    lows = [t[0] for t in present if t[0] is not None]
    highs = [t[1] for t in present if t[1] is not None]
    if top:
        low = max(t[0] for t in sure if t[0] is not None) if sure else min(lows)
        high = max(highs)
    else:
        low = min(lows)
        high = min(t[1] for t in sure if t[1] is not None) if sure else max(highs)
    return clean(low + plus), clean(high + plus), not sure


def _band_span(index: CIndex, value: Span) -> Span:
    low, high, absent = value
    if not index.band_ids or low is None or high is None:
        return NONE_SPAN
    if index.aggregation == "max_band":
        return low - 1, high - 1, absent
    low_band, high_band = band_of(index, low), band_of(index, high)
    assert low_band is not None
    assert high_band is not None
    return Decimal(low_band), Decimal(high_band), absent
