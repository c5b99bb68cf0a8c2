"""What the unknowns could change: the outcome range and the items to clarify first.

Both look at the *computed* outcome (decision table, policy overrides, flag floor) as if the
minimum completeness were met, recomputing everything (applicability, indices, flags) for
completions of the unknowns.

A completion gives every *free* item a concrete answer it could have: for single,
highest-counting and per-caregiver items one of its scale's levels, for summed multiple
answers any distinct (highest level, points sum) of a selection. The free items are the
applicable unknown and missing items, plus any item without a known answer whose
applicability could change because it reads a free item (directly or through an item whose
applicability could change); otherwise such an item would stay unrated in a completion.

Range methods:

* ``none``: nothing is unknown (lowest = highest = computed); also for
  professional-judgement instruments, which compute no outcome (lowest and highest absent);
* ``exact_monotone``: the instrument is verified monotone and no free item is a context
  item: lowest = every free risk and safety item at its lowest answer and every protective
  item at its highest, highest = the opposite;
* ``exhaustive``: every completion is tried: in a non-monotone instrument at most
  ``EXHAUSTIVE_LIMIT`` (64); in a verified monotone one the two corners for every combination
  of the free context items' answers (at most ``MONOTONE_LIMIT``, 4096), which give the same
  lowest and highest, however many other items are free;
* ``branch_and_bound``: otherwise, exact: ``Search`` assigns the free items one by one and
  bounds each partial assignment by an abstract evaluation (``_bounds``), skipping those
  that cannot widen the range found so far;
* ``conservative``: the search was cut off (``SEARCH_BUDGET``, ``WORK_BUDGET``,
  ``MAX_SEARCH_DEPTH``, or an item with too many summed selections to list): the abstract
  bound of all completions, never narrower than the truth.

Index ranges (``index_ranges``): every index's lowest and highest value over the
completions, each searched the same way over the free items that reach the index
(``branch_and_bound``), or the abstract bound when cut off (``conservative``).

Clarify first: each applicable unknown or missing item alone takes each of its answers (the
other unknowns stay as they are). It is listed when some answer gives a computed outcome other
than the current one (when the current outcome is not assessable: when its answers give more
than one outcome). Most decisive first: by the spread (most minus least severe of those
outcomes), then instrument order. An item with too many possible answers to try is listed
with the widest spread. In a verified monotone instrument the outcome moves one way along the
answers of a risk, safety or protective item whose answers form a chain (level and points
rise together), so the chain's two ends give the least and the most severe outcome; the
answers between are not tried, and the result is the same.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs

from ._bounds import MAYBE, Box, abstract
from ._evaluate import (
    Reach,
    answer_changed,
    clean,
    copy_state,
    decide,
    decide_results,
    evaluate,
    reach,
    reevaluate,
)
from ._graphs import reach as reachable
from ._runtime import CompiledInstrument, Raw, State

__all__ = [
    "EXHAUSTIVE_LIMIT",
    "Search",
    "clarify_first",
    "free_items",
    "index_ranges",
    "outcome_range",
    "result_clarify_first",
    "result_ranges",
    "result_values",
]

EXHAUSTIVE_LIMIT = 64
"""Non-monotone instruments with at most this many completions try them all."""
MONOTONE_LIMIT = 4096
"""Monotone instruments: at most this many combinations of free context answers."""
SEARCH_BUDGET = 20_000
"""Abstract evaluations one branch-and-bound search may take before it gives up."""
WORK_BUDGET = 1_000_000
"""Item, index and flag evaluations all searches of one summary may take together: a deep
chain of indices makes each evaluation long, so the count of evaluations alone would not
bound the time (a 1,500-deep chain took minutes). Beyond it, ``conservative``."""
MAX_SEARCH_DEPTH = 200
"""More free items than this reaching one objective: its bound is not searched."""


def _computed(
    compiled: CompiledInstrument, base: State, raw: Sequence[Raw | None], free: Sequence[int]
) -> int:
    """The computed outcome of the answers ``raw``, which differ from those behind ``base``
    at most at the ``free`` items (only what they reach is evaluated again)."""
    return _decided(compiled, reevaluate(compiled, base, raw, free))


def _decided(compiled: CompiledInstrument, state: State) -> int:
    outcome = decide(compiled, state, apply_table=True).computed
    assert outcome is not None
    return outcome


def free_items(compiled: CompiledInstrument, raw: Sequence[Raw | None], state: State) -> list[int]:
    """Positions of the items a completion assigns, in instrument order."""
    free = {
        i
        for i in range(len(compiled.items))
        if state.applicable[i] and state.status[i] in ("unknown", "missing")
    }
    # Items whose applicability reads an item whose counting level can differ between
    # completions (directly or through each other) may change applicability too.
    for pos in reachable(free, compiled.readers.item_items) - free:
        answer = raw[pos]
        if answer is None or answer.rank is None:
            free.add(pos)
    return sorted(free)


def outcome_range(
    compiled: CompiledInstrument,
    raw: Sequence[Raw | None],
    state: State,
    unknown: Sequence[int],
) -> tuple[int | None, int | None, str]:
    """(lowest, highest, method) of the computed outcome over the completions."""
    if compiled.method != "decision_table":
        return None, None, "none"
    if not unknown:
        current = _decided(compiled, state)
        return current, current, "none"
    free = free_items(compiled, raw, state)
    domains = [compiled.items[i].completions for i in free]
    if compiled.monotone and all(compiled.items[i].kind != "context" for i in free):
        low, high = _corner_completions(compiled, raw, free)
        return (
            _computed(compiled, state, low, free),
            _computed(compiled, state, high, free),
            "exact_monotone",
        )
    if compiled.monotone:
        # Only the free context items' answers are combined; the others sit at a corner.
        context = [
            d for i, d in zip(free, domains, strict=True) if compiled.items[i].kind == "context"
        ]
        if _count(context) <= MONOTONE_LIMIT:
            outcomes = _monotone_completions(compiled, state, raw, free, domains)
            return min(outcomes), max(outcomes), "exhaustive"
    elif _count(domains) <= EXHAUSTIVE_LIMIT:
        outcomes = []
        completion = list(raw)
        for combo in itertools.product(*(d or () for d in domains)):
            for i, answer in zip(free, combo, strict=True):
                completion[i] = answer
            outcomes.append(_computed(compiled, state, completion, free))
        return min(outcomes), max(outcomes), "exhaustive"
    search = Search(compiled, state, raw, free)
    lowest, low_exact = search.extreme(free, lambda box: -search.outcome(box)[0])
    highest, high_exact = search.extreme(free, lambda box: search.outcome(box)[1])
    assert lowest is not None
    assert highest is not None
    method = "branch_and_bound" if low_exact and high_exact else "conservative"
    return int(-lowest), int(highest), method


def index_ranges(
    compiled: CompiledInstrument,
    raw: Sequence[Raw | None],
    state: State,
) -> list[tuple[Decimal | None, Decimal | None, str]]:
    """(lowest, highest, method) of every index's value over the completions, in instrument
    order; lowest and highest are ``None`` when no completion gives the index a value.

    An index no free item reaches, or a separable one whose items' applicability is settled
    (``separable``, ``_settled``), takes the abstract bound of all completions, which is
    exact (``closed_form``). Any other has each end searched branch and bound over the free
    items it reaches (see ``Search``): ``branch_and_bound`` when both ends are exact,
    ``conservative`` when the search was cut off and the abstract bound stands instead."""
    free = free_items(compiled, raw, state)
    # Flags matter to an index only through an applicability condition that reads one.
    search = Search(compiled, state, raw, free, flags=compiled.readers.opaque)
    supports: list[list[int]] = [[] for _ in compiled.indices]
    for pos in free:
        changed = search.abstract.reaches[pos]
        reached = range(len(compiled.indices)) if changed is None else changed.indices
        for k in reached:
            supports[k].append(pos)
    closed = separable(compiled)
    ranges: list[tuple[Decimal | None, Decimal | None, str]] = []
    for k, support in enumerate(supports):
        tree = closed[k]
        if not support or (tree is not None and _settled(compiled, search.box, tree)):
            low, high, _ = search.box.values[k]
            ranges.append((low, high, "closed_form"))
            continue
        search.only = _upstream(compiled, k)
        lowest, low_exact = search.extreme(support, functools.partial(_lowest_value, k))
        highest, high_exact = search.extreme(support, functools.partial(_highest_value, k))
        method = "branch_and_bound" if low_exact and high_exact else "conservative"
        assert not isinstance(lowest, int)
        assert not isinstance(highest, int)
        ranges.append((None if lowest is None else clean(-lowest), highest, method))
    return ranges


SEPARABLE = frozenset(
    {
        "sum",
        "weighted_sum",
        "mean",
        "max",
        "min",
        "max_band",
        "count_at_least",
        "count_strengths",
        "count_concerns",
        "scaled",
        "rounded",
        "difference",
    }
)
"""Index kinds whose value moves one way with each input, each input on its own: with
inputs that read disjoint items, the bound of all completions is reached at both ends."""


@attrs.frozen
class Tree:
    """What a separable index reads, all the way down: its items and its ``mean`` indices."""

    items: tuple[int, ...]
    means: tuple[int, ...]


@functools.lru_cache(maxsize=16)
def separable(compiled: CompiledInstrument) -> tuple[Tree | None, ...]:
    """Per index, its tree when it is separable: its kind is in ``SEPARABLE``, its inputs
    are separable, and no item reaches it twice (through two inputs, or as an item and
    through an input). ``None`` otherwise.

    The abstract span (``_bounds``) of such an index adds, maximizes, counts or scales
    the spans of independent parts, and each part's ends are answers some completion gives;
    so both ends of the span are values of completions, provided every item's
    applicability is settled and no ``mean`` may lose a term (``_settled``)."""
    trees: list[Tree | None] = [None] * len(compiled.indices)
    for k in compiled.index_order:
        index = compiled.indices[k]
        parts = [trees[j] for j in index.inputs]
        if index.aggregation not in SEPARABLE or any(part is None for part in parts):
            continue
        items = list(index.items)
        means = [k] if index.aggregation == "mean" else []
        for part in parts:
            assert part is not None
            items += part.items
            means += part.means
        if len(set(items)) == len(items):
            trees[k] = Tree(tuple(items), tuple(means))
    return tuple(trees)


def _settled(compiled: CompiledInstrument, box: Box, tree: Tree) -> bool:
    """Whether, over all completions, every item of ``tree`` applies or does not alike and
    every mean has the same number of terms (the conditions of ``separable``)."""
    applicable = box.applicable
    if any(applicable[i] == MAYBE for i in tree.items):
        return False
    for m in tree.means:
        index = compiled.indices[m]
        terms = [box.points[i] for i in index.items] + [box.values[j] for j in index.inputs]
        if any(low is not None and absent for low, _, absent in terms):
            return False
    return True


def _upstream(compiled: CompiledInstrument, k: int) -> frozenset[int]:
    """Index ``k`` and every index it reads, directly or through others."""
    seen = {k}
    stack = [k]
    while stack:
        for j in compiled.indices[stack.pop()].inputs:
            if j not in seen:
                seen.add(j)
                stack.append(j)
    return frozenset(seen)


def _lowest_value(k: int, box: Box) -> Decimal | None:
    """The objective of the lowest value of index ``k``: its lower bound, negated."""
    low = box.values[k][0]
    return None if low is None else -low


def _highest_value(k: int, box: Box) -> Decimal | None:
    return box.values[k][1]


def _count(domains: Sequence[Sequence[Raw] | None]) -> float:
    """How many completions the domains combine to (infinite when one is not listed)."""
    return math.prod(math.inf if d is None else len(d) for d in domains)


class Search:
    """Branch and bound over partial assignments of the free items (see ``_bounds``).

    ``extreme`` maximizes an objective read from a box (the abstract state of a partial
    assignment), such as the most severe outcome or the negated lowest value of an index. At
    each level it gives the next item each of its answers, bounds each child and visits the
    most promising first; a child whose bound cannot beat the best completion found so far
    is skipped. When every item that reaches the objective is assigned, the box holds one
    evaluation and its objective is exact. A search that would take more than
    ``SEARCH_BUDGET`` abstract evaluations, or an item whose answers are too many to list,
    falls back to the bound of all completions (sound, maybe wider)."""

    def __init__(
        self,
        compiled: CompiledInstrument,
        state: State,
        raw: Sequence[Raw | None],
        free: Sequence[int],
        flags: bool = True,
    ) -> None:
        """``state`` is the evaluation of ``raw``; without ``flags`` the box leaves flags
        unevaluated (enough for index searches unless applicability reads a flag)."""
        self.only: frozenset[int] | None = None
        """The indices an index search keeps up to date (``None``: everything)."""
        self.abstract = abstract(compiled)
        self.listed = all(compiled.items[pos].completions is not None for pos in free)
        self.options = {pos: self.abstract.options[pos] for pos in free}
        self.free_choices = {pos: self.abstract.domains[pos] for pos in free}
        self.box = self.abstract.near(state, raw, self.free_choices, flags)
        self.outcome = self.abstract.outcome

    def extreme(
        self, items: Sequence[int], objective: Callable[[Box], Decimal | int | None]
    ) -> tuple[Decimal | int | None, bool]:
        """(best value, exact) of ``objective`` over the completions of ``items`` (which
        must be every free item the objective reads); the bound of all completions and
        ``False`` when the search is cut off. ``None``: no completion gives a value."""
        root = objective(self.box)
        if not items or root is None:
            return root, True
        if not self.listed or len(items) > MAX_SEARCH_DEPTH or self.box.work > WORK_BUDGET:
            return root, False
        best: list[Decimal | int | None] = [None]
        budget = [SEARCH_BUDGET]
        try:
            self._visit(items, 0, objective, root, best, budget)
        finally:
            for pos in items:
                self.abstract.choose(self.box, pos, self.free_choices[pos], self.only)
        if budget[0] < 0:
            return root, False
        return best[0], True

    def _visit(
        self,
        items: Sequence[int],
        depth: int,
        objective: Callable[[Box], Decimal | int | None],
        bound: Decimal | int,
        best: list[Decimal | int | None],
        budget: list[int],
    ) -> None:
        if depth == len(items):
            if best[0] is None or bound > best[0]:
                best[0] = bound
            return
        pos = items[depth]
        children: list[tuple[Decimal | int, int]] = []
        for n, choice in enumerate(self.options[pos]):
            if (best[0] is not None and best[0] >= bound) or budget[0] < 0:
                break  # the parent's promise is kept (nothing can beat it), or time is up
            self.abstract.choose(self.box, pos, choice, self.only)
            budget[0] -= 1
            if self.box.work > WORK_BUDGET:
                budget[0] = -1
            value = objective(self.box)
            if value is not None and value >= bound:
                # As promising as the parent: visited at once, it may end the search here.
                self._visit(items, depth + 1, objective, value, best, budget)
            elif value is not None:
                children.append((value, n))
        children.sort(key=lambda child: (-child[0], child[1]))
        for value, n in children:
            current = best[0]
            if budget[0] < 0 or (current is not None and value <= current):
                break
            self.abstract.choose(self.box, pos, self.options[pos][n], self.only)
            self._visit(items, depth + 1, objective, value, best, budget)
        self.abstract.choose(self.box, pos, self.free_choices[pos], self.only)


def _corner_completions(
    compiled: CompiledInstrument, raw: Sequence[Raw | None], free: Sequence[int]
) -> tuple[list[Raw | None], list[Raw | None]]:
    """The answers with every free risk and safety item at its least pronounced answer and
    every protective item at its most (the low corner), and the opposite (the high corner);
    free context items keep their answers."""
    low, high = list(raw), list(raw)
    for i in free:
        if compiled.items[i].kind != "context":
            low[i], high[i] = _low_high(compiled, i)
    return low, high


@functools.lru_cache(maxsize=8192)
def _low_high(compiled: CompiledInstrument, pos: int) -> tuple[Raw, Raw]:
    """Item ``pos``'s answers at the low and at the high corner: its least and its most
    pronounced, the other way round for a protective item. Kept: every summary with the
    item free asks again."""
    bottom, top = _corners(compiled, pos, compiled.items[pos].completions)
    return (top, bottom) if compiled.items[pos].kind == "protective" else (bottom, top)


def _monotone_completions(
    compiled: CompiledInstrument,
    state: State,
    raw: Sequence[Raw | None],
    free: Sequence[int],
    domains: Sequence[Sequence[Raw] | None],
) -> list[int]:
    """The computed outcomes of the two corners for every combination of answers of the free
    context items, in a monotone instrument: the least and the most severe outcome of all
    completions are among them. With the context answers fixed, applicability is fixed too
    (it reads only the age and context items), and the outcome moves one way along every
    other item; so two evaluations per context combination instead of one per completion."""
    low, high = _corner_completions(compiled, raw, free)
    context = [(i, d or ()) for i, d in zip(free, domains, strict=True)]
    context = [(i, d) for i, d in context if compiled.items[i].kind == "context"]
    outcomes: list[int] = []
    for combo in itertools.product(*(domain for _, domain in context)):
        for (i, _), answer in zip(context, combo, strict=True):
            low[i] = high[i] = answer
        outcomes += (
            _computed(compiled, state, low, free),
            _computed(compiled, state, high, free),
        )
    return outcomes


def _corners(
    compiled: CompiledInstrument, pos: int, domain: Sequence[Raw] | None
) -> tuple[Raw, Raw]:
    """Least and most pronounced answer (by level, then points) an item can take."""
    if domain is not None:
        key = _order_key
        return min(domain, key=key), max(domain, key=key)
    # Too many summed selections to list: the lowest level alone, and every level.
    scale = compiled.items[pos].scale
    total = sum(scale.points, Decimal(0))
    return Raw(0, scale.levels[0], scale.points[0] if scale.scored else None), Raw(
        len(scale.levels) - 1, scale.levels[-1], total if scale.scored else None
    )


def _order_key(answer: Raw) -> tuple[int, Decimal]:
    assert answer.rank is not None
    return answer.rank, answer.points or Decimal(0)  # an unscored scale orders by level


def clarify_first(
    compiled: CompiledInstrument,
    state: State,
    raw: Sequence[Raw | None],
    unknown: Sequence[int],
    current: int | None,
) -> list[str]:
    """Unknown items whose answer alone could change the computed outcome, most decisive
    first (see the module docstring). ``state`` is the evaluation of ``raw``."""
    if compiled.method != "decision_table":
        return []
    ranked: list[tuple[int, int]] = []
    trial = copy_state(state)
    unchanged = functools.partial(_outcome_after, state, _decided(compiled, state))
    read = _decision_items(compiled)
    for pos in unknown:
        domain = compiled.items[pos].completions
        if domain is None:
            ranked.append((-(len(compiled.outcomes) - 1), pos))
            continue
        corners = _chain_corners(domain) if _monotone_in(compiled, pos) else None
        changed = reach(compiled, pos)
        measure = unchanged if changed and read.isdisjoint(changed.items) else _decided
        outcomes: list[int] = _answer_outcomes(
            compiled, state, trial, raw, pos, domain if corners is None else corners, measure
        )
        if current is None:
            decisive = len(set(outcomes)) > 1
        else:
            decisive = any(outcome != current for outcome in outcomes)
        if decisive:
            ranked.append((-(max(outcomes) - min(outcomes)), pos))
    return [compiled.items[pos].id for _, pos in sorted(ranked)]


def _outcome_after(base: State, outcome: int, compiled: CompiledInstrument, state: State) -> int:
    """The computed outcome of ``state``, a trial that changed no item the decision reads
    from ``base``, whose computed outcome is ``outcome``: the same unless an index, band or
    flag changed (about half of the trials of a kwg_8a summary change none)."""
    if state.values == base.values and state.bands == base.bands and state.raised == base.raised:
        return outcome
    return _decided(compiled, state)


@functools.lru_cache(maxsize=16)
def _decision_items(compiled: CompiledInstrument) -> frozenset[int]:
    """The items a rule or policy condition reads directly (flag floors read flags only)."""
    refs = [ref for rule in compiled.rules for ref in rule.refs]
    refs += [ref for policy in compiled.policies for ref in policy.refs]
    return frozenset(ref.pos for ref in refs if ref.kind == "item")


T = TypeVar("T")


def _answer_outcomes(
    compiled: CompiledInstrument,
    base: State,
    state: State,
    raw: Sequence[Raw | None],
    pos: int,
    answers: Sequence[Raw],
    measure: Callable[[CompiledInstrument, State], T] = _decided,  # type: ignore[assignment]
) -> list[T]:
    """``measure`` (by default the computed outcome) for each answer of item ``pos``, the
    other answers as in ``raw``. Only what the item reaches is evaluated again, in ``state``
    (a copy of ``base``, the evaluation of ``raw``), which is restored before returning."""
    changed = reach(compiled, pos)
    if changed is None:
        trial = list(raw)
        measured = []
        for answer in answers:
            trial[pos] = answer
            measured.append(measure(compiled, evaluate(compiled, state.age, trial)))
        return measured
    measured = []
    for answer in answers:
        answer_changed(compiled, state, raw, changed, pos, answer)
        measured.append(measure(compiled, state))
    _restore(state, base, changed)
    return measured


def _restore(state: State, base: State, changed: Reach) -> None:
    """Copy back from ``base`` what an answer changed (cheaper than evaluating the item's
    reach once more with its own answer)."""
    for i in changed.items:
        state.applicable[i], state.status[i] = base.applicable[i], base.status[i]
        state.rank[i], state.points[i] = base.rank[i], base.points[i]
    for k in changed.indices:
        state.values[k], state.bands[k] = base.values[k], base.bands[k]
    for k in changed.flags:
        state.raised[k] = base.raised[k]


# ------------------------------------------------------------------------------------------
# Further results
# ------------------------------------------------------------------------------------------


def result_values(compiled: CompiledInstrument, state: State) -> tuple[int, ...]:
    """The further results' values of an evaluation, read as if the minimum completeness
    were met (the primary outcome they read is the computed one; none for professional
    judgement)."""
    primary = _decided(compiled, state) if compiled.method == "decision_table" else None
    decide_results(compiled, state, primary)
    return tuple(value for value in state.results if value is not None)


def result_ranges(
    compiled: CompiledInstrument,
    raw: Sequence[Raw | None],
    state: State,
) -> list[tuple[int, int, str]]:
    """(lowest, highest, method) of every further result's value over the completions of
    the unknowns, in instrument order, searched branch and bound over every free item like
    the outcome range (``branch_and_bound``; ``conservative`` when cut off)."""
    free = free_items(compiled, raw, state)
    search = Search(compiled, state, raw, free)
    values = search.abstract.results
    ranges = []
    for k in range(len(compiled.results)):
        lowest, low_exact = search.extreme(free, functools.partial(_least_value, values, k))
        highest, high_exact = search.extreme(free, functools.partial(_most_value, values, k))
        assert lowest is not None
        assert highest is not None
        method = "branch_and_bound" if low_exact and high_exact else "conservative"
        ranges.append((int(-lowest), int(highest), method))
    return ranges


def _least_value(values: Callable[[Box], list[frozenset[int]]], k: int, box: Box) -> int:
    """The objective of a result's least value: its least possible rank, negated."""
    return -min(values(box)[k])


def _most_value(values: Callable[[Box], list[frozenset[int]]], k: int, box: Box) -> int:
    return max(values(box)[k])


def result_clarify_first(
    compiled: CompiledInstrument,
    state: State,
    raw: Sequence[Raw | None],
    unknown: Sequence[int],
    current: Sequence[int],
) -> list[list[str]]:
    """Per further result: the unknown items whose answer alone could change its value from
    ``current``, most decisive first (by spread, then instrument order), as for the
    outcome; every answer is tried (results need not be monotone)."""
    ranked: list[list[tuple[int, int]]] = [[] for _ in compiled.results]
    trial = copy_state(state)
    for pos in unknown:
        domain = compiled.items[pos].completions
        if domain is None:
            for k, result in enumerate(compiled.results):
                ranked[k].append((-(len(result.values) - 1), pos))
            continue
        measured = _answer_outcomes(compiled, state, trial, raw, pos, domain, result_values)
        for k in range(len(compiled.results)):
            seen = [values[k] for values in measured]
            if any(value != current[k] for value in seen):
                ranked[k].append((-(max(seen) - min(seen)), pos))
    return [[compiled.items[pos].id for _, pos in sorted(entries)] for entries in ranked]


def _monotone_in(compiled: CompiledInstrument, pos: int) -> bool:
    return compiled.monotone and compiled.items[pos].kind != "context"


@functools.lru_cache(maxsize=256)
def _chain_corners(domain: tuple[Raw, ...]) -> tuple[Raw, Raw] | None:
    """The least and most pronounced answer, when the answers are ordered alike by level
    and by points (else ``None``: every answer must be tried)."""
    ordered = sorted(domain, key=_order_key)
    points = [_order_key(answer)[1] for answer in ordered]
    if any(later < earlier for earlier, later in itertools.pairwise(points)):
        return None
    return ordered[0], ordered[-1]
