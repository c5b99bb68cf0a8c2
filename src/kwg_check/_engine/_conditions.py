"""Typed conditions: reference checks, compilation to closures, and polarity analysis.

A condition reads answers (by the counting level's rank), index values, bands, flags and the
child's age. Answers that are unknown, missing or not applicable never match an answer test;
an index without a value never matches a comparison; an index without a band never matches
a band test.

Polarity (for the monotonicity verification) says, per item, how a condition moves when the
item's level rises: ``+1`` never turns true into false, ``-1`` never turns false into true,
absent (0) does not depend on the item, ``None`` may do either.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal, assert_never

import attrs

from kwg_check._errors import Problem
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

from ._runtime import AGE_OF, Cond, Ref, State

__all__ = [
    "Names",
    "Pol",
    "ResultName",
    "combine",
    "compile_condition",
    "condition_polarity",
    "condition_problems",
    "negate",
    "referenced",
    "result_ranks",
]

Scope = Literal["applicability", "full", "result"]
"""What a condition may read: applicability only the age, context and answers; ``full``
also indices, bands and flags; ``result`` (the tables of further results) also results."""
Pol = dict[int, int | None]
"""Item position → +1 / -1 / None (unknown); absent items: independent."""

_OPS: Mapping[str, Callable[[Decimal, Decimal], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


@attrs.frozen
class ItemName:
    """What a condition needs to know about an item."""

    pos: int
    kind: str
    ranks: Mapping[str, int] | None
    """Level id → rank; ``None`` when the item's scale does not resolve."""


@attrs.frozen
class IndexName:
    pos: int
    band_ids: tuple[str, ...] | None
    """``None``: the index has no bands."""


@attrs.frozen
class ResultName:
    """What a condition needs to know about a further result."""

    pos: int
    ranks: Mapping[str, int]
    """Value id → rank."""


@attrs.frozen
class Names:
    """Resolution tables (first definition of each id wins)."""

    items: Mapping[str, ItemName]
    indices: Mapping[str, IndexName]
    flags: Mapping[str, int]
    outcomes: Mapping[str, int]
    """Primary outcome id → rank."""
    results: Mapping[str, ResultName]


def _ptr(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join(f"/{token}" for token in tokens)


# ------------------------------------------------------------------------------------------
# Reference checks
# ------------------------------------------------------------------------------------------


def condition_problems(
    cond: ConditionModel, pointer: str, names: Names, scope: Scope
) -> list[Problem]:
    """Check every reference of a condition; ``scope`` limits what applicability may read."""
    problems: list[Problem] = []
    _check(cond, pointer, names, scope, problems)
    return problems


def _check(
    cond: ConditionModel, pointer: str, names: Names, scope: Scope, out: list[Problem]
) -> None:
    match cond:
        case All():
            for i, sub in enumerate(cond.all):
                _check(sub, _ptr(pointer, "all", i), names, scope, out)
        case Any_():
            for i, sub in enumerate(cond.any):
                _check(sub, _ptr(pointer, "any", i), names, scope, out)
        case Not():
            _check(cond.not_, _ptr(pointer, "not"), names, scope, out)
        case AnswerAtLeast():
            test = cond.answer_at_least
            here = _ptr(pointer, "answer_at_least")
            _check_levels(test.item, [test.level], here, names, out, False)
        case AnswerIn():
            test_in = cond.answer_in
            here = _ptr(pointer, "answer_in")
            _check_levels(test_in.item, test_in.levels, here, names, out, True)
        case ContextIs():
            _check_context(cond, _ptr(pointer, "context"), names, out)
        case IndexCompare() | BandAtLeast() | FlagRaised():
            _check_derived(cond, pointer, names, scope, out)
        case AgeBand():
            _check_age(cond, pointer, out)
        case ResultIs():
            _check_result(cond, _ptr(pointer, "result"), names, scope, out)
        case _:
            assert_never(cond)


def _check_result(
    cond: ResultIs, here: str, names: Names, scope: Scope, out: list[Problem]
) -> None:
    """A result test: only in the tables of further results, exactly one of ``at_least``
    and ``in``, naming a result and values that exist."""
    if scope != "result":
        out.append(
            Problem(
                here,
                "condition.result-scope",
                "only the tables of further results may read results",
            )
        )
        return
    test = cond.result
    if (test.at_least is None) == (test.in_ is None):
        out.append(
            Problem(here, "condition.result-test", "a result test needs either at_least or in")
        )
        return
    ranks = names.outcomes
    if test.result is not None:
        result = names.results.get(test.result)
        if result is None:
            out.append(
                Problem(
                    _ptr(here, "result"),
                    "ref.unknown-result",
                    f"no result has the id '{test.result}'",
                )
            )
            return
        ranks = result.ranks
    values = [("at_least", test.at_least)] if test.at_least is not None else []
    values += [(f"in/{i}", value) for i, value in enumerate(test.in_ or ())]
    for where, value in values:
        if value is not None and value not in ranks:
            out.append(
                Problem(
                    _ptr(here, where),
                    "ref.unknown-outcome",
                    f"'{value}' is not a value of the result",
                )
            )


def _check_context(cond: ContextIs, here: str, names: Names, out: list[Problem]) -> None:
    _check_levels(cond.context.item, cond.context.levels, here, names, out, True)
    item = names.items.get(cond.context.item)
    if item is not None and item.kind != "context":
        out.append(
            Problem(
                _ptr(here, "item"),
                "condition.context-kind",
                f"item '{cond.context.item}' is of kind {item.kind}; a context test "
                "reads context items only",
            )
        )


def _check_derived(
    cond: IndexCompare | BandAtLeast | FlagRaised,
    pointer: str,
    names: Names,
    scope: Scope,
    out: list[Problem],
) -> None:
    """Indices, bands and flags: computed from answers, so applicability may not read them."""
    if scope == "applicability":
        out.append(
            Problem(
                pointer,
                "condition.applicability-scope",
                "an applicability condition may read only the age, context and answers, "
                "not indices, bands or flags",
            )
        )
        return
    if isinstance(cond, FlagRaised):
        if cond.flag not in names.flags:
            out.append(
                Problem(
                    _ptr(pointer, "flag"),
                    "ref.unknown-flag",
                    f"no flag has the id '{cond.flag}'",
                )
            )
        return
    index_id = cond.index.index if isinstance(cond, IndexCompare) else cond.band.index
    key = "index" if isinstance(cond, IndexCompare) else "band"
    index = names.indices.get(index_id)
    if index is None:
        out.append(
            Problem(
                _ptr(pointer, key, "index"),
                "ref.unknown-index",
                f"no index has the id '{index_id}'",
            )
        )
    elif isinstance(cond, BandAtLeast) and (
        index.band_ids is None or cond.band.band not in index.band_ids
    ):
        out.append(
            Problem(
                _ptr(pointer, "band", "band"),
                "ref.unknown-band",
                f"index '{index_id}' has no band '{cond.band.band}'",
            )
        )


def _check_age(cond: AgeBand, pointer: str, out: list[Problem]) -> None:
    band = cond.age_months
    if band.from_months is None and band.below_months is None:
        out.append(
            Problem(
                _ptr(pointer, "age_months"),
                "condition.age-band",
                "an age band needs from_months, below_months or both",
            )
        )
    elif (
        band.from_months is not None
        and band.below_months is not None
        and band.from_months >= band.below_months
    ):
        out.append(
            Problem(
                _ptr(pointer, "age_months"),
                "condition.age-band",
                "the age band is empty: from_months must be below below_months",
            )
        )


def _check_levels(
    item_id: str,
    levels: Sequence[str],
    pointer: str,
    names: Names,
    out: list[Problem],
    many: bool,
) -> None:
    item = names.items.get(item_id)
    if item is None:
        out.append(
            Problem(_ptr(pointer, "item"), "ref.unknown-item", f"no item has the id '{item_id}'")
        )
        return
    if item.ranks is None:
        return  # the item's scale is reported where the item is defined
    for i, level in enumerate(levels):
        if level not in item.ranks:
            out.append(
                Problem(
                    _ptr(pointer, "levels", i) if many else _ptr(pointer, "level"),
                    "ref.unknown-level",
                    f"'{level}' is not a level of the scale of item '{item_id}'",
                )
            )


# ------------------------------------------------------------------------------------------
# References (for dependency graphs)
# ------------------------------------------------------------------------------------------


def referenced(cond: ConditionModel) -> Iterator[tuple[RefKindName, str]]:
    """Yield ``(kind, id)`` for every item, index and flag a condition reads."""
    match cond:
        case All():
            for sub in cond.all:
                yield from referenced(sub)
        case Any_():
            for sub in cond.any:
                yield from referenced(sub)
        case Not():
            yield from referenced(cond.not_)
        case AnswerAtLeast():
            yield "item", cond.answer_at_least.item
        case AnswerIn():
            yield "item", cond.answer_in.item
        case ContextIs():
            yield "item", cond.context.item
        case IndexCompare():
            yield "index", cond.index.index
        case BandAtLeast():
            yield "index", cond.band.index
        case FlagRaised():
            yield "flag", cond.flag
        case AgeBand():
            pass
        case ResultIs():
            if cond.result.result is not None:
                yield "result", cond.result.result
        case _:
            assert_never(cond)


RefKindName = Literal["item", "index", "flag", "result"]


# ------------------------------------------------------------------------------------------
# Compilation
# ------------------------------------------------------------------------------------------


def compile_condition(cond: ConditionModel, names: Names) -> tuple[Cond, tuple[Ref, ...]]:
    """Turn a checked condition into a closure and the list of what it reads."""
    refs: list[Ref] = []
    fn = _compile(cond, names, refs)
    unique = tuple(dict.fromkeys(refs))
    return fn, unique


def _all(parts: tuple[Cond, ...], s: State) -> bool:
    # A loop, not all() over a generator (which builds a generator object per call):
    # conditions run in every evaluation, every trial of clarify-first and every corner.
    for part in parts:  # noqa: SIM110
        if not part(s):
            return False
    return True


def _any(parts: tuple[Cond, ...], s: State) -> bool:
    for part in parts:  # noqa: SIM110
        if part(s):
            return True
    return False


def _compile(cond: ConditionModel, names: Names, refs: list[Ref]) -> Cond:
    match cond:
        case All():
            return functools.partial(_all, tuple(_compile(sub, names, refs) for sub in cond.all))
        case Any_():
            return functools.partial(_any, tuple(_compile(sub, names, refs) for sub in cond.any))
        case Not():
            inner = _compile(cond.not_, names, refs)
            return lambda s: not inner(s)
        case AnswerAtLeast():
            return _compile_at_least(cond, names, refs)
        case AnswerIn():
            return _compile_in(cond.answer_in, names, refs)
        case ContextIs():
            return _compile_in(cond.context, names, refs)
        case IndexCompare():
            return _compile_index(cond, names, refs)
        case BandAtLeast():
            return _compile_band(cond, names, refs)
        case FlagRaised():
            flag_pos = names.flags[cond.flag]
            refs.append(Ref("flag", flag_pos))
            return lambda s: s.raised[flag_pos]
        case AgeBand():
            return _compile_age(cond, refs)
        case ResultIs():
            return _compile_result(cond, names, refs)
        case _:
            assert_never(cond)


def result_ranks(cond: ResultIs, names: Names) -> tuple[int | None, frozenset[int]]:
    """The position of the result a checked test reads (``None``: the primary outcome) and
    the ranks of the values it accepts."""
    test = cond.result
    pos, ranks = None, names.outcomes
    if test.result is not None:
        result = names.results[test.result]
        pos, ranks = result.pos, result.ranks
    if test.at_least is not None:
        return pos, frozenset(range(ranks[test.at_least], len(ranks)))
    return pos, frozenset(ranks[value] for value in test.in_ or ())


def _compile_result(cond: ResultIs, names: Names, refs: list[Ref]) -> Cond:
    pos, accepted = result_ranks(cond, names)
    if pos is None:
        refs.append(Ref("outcome", 0))
        return lambda s: s.outcome in accepted
    refs.append(Ref("result", pos))
    return lambda s: s.results[pos] in accepted


def _compile_age(cond: AgeBand, refs: list[Ref]) -> Cond:
    low, below = cond.age_months.from_months, cond.age_months.below_months
    whose = AGE_OF.index(cond.age_months.of)
    refs.append(Ref("age", whose))

    def in_band(s: State) -> bool:
        age = s.age[whose]
        return age is not None and (low is None or age >= low) and (below is None or age < below)

    return in_band


def _compile_at_least(cond: AnswerAtLeast, names: Names, refs: list[Ref]) -> Cond:
    item = names.items[cond.answer_at_least.item]
    assert item.ranks is not None
    pos, threshold = item.pos, item.ranks[cond.answer_at_least.level]
    refs.append(Ref("item", pos))

    def at_least(s: State) -> bool:
        rank = s.rank[pos]
        return rank is not None and rank >= threshold

    return at_least


def _compile_in(test: AnswerInTest, names: Names, refs: list[Ref]) -> Cond:
    item = names.items[test.item]
    assert item.ranks is not None
    pos, ranks = item.pos, frozenset(item.ranks[level] for level in test.levels)
    refs.append(Ref("item", pos))
    return lambda s: s.rank[pos] in ranks


def _compile_index(cond: IndexCompare, names: Names, refs: list[Ref]) -> Cond:
    index_pos = names.indices[cond.index.index].pos
    compare, value = _OPS[cond.index.op], cond.index.value
    refs.append(Ref("index", index_pos))

    def index_test(s: State) -> bool:
        current = s.values[index_pos]
        return current is not None and compare(current, value)

    return index_test


def _compile_band(cond: BandAtLeast, names: Names, refs: list[Ref]) -> Cond:
    index = names.indices[cond.band.index]
    assert index.band_ids is not None
    index_pos, band = index.pos, index.band_ids.index(cond.band.band)
    refs.append(Ref("band", index_pos))

    def band_test(s: State) -> bool:
        current = s.bands[index_pos]
        return current is not None and current >= band

    return band_test


# ------------------------------------------------------------------------------------------
# Polarity
# ------------------------------------------------------------------------------------------


def combine(*pols: Pol) -> Pol:
    """Polarity of a combination that is monotone in each part (all, any, sum, max …)."""
    result: Pol = {}
    for pol in pols:
        for item, direction in pol.items():
            if item not in result:
                result[item] = direction
            elif result[item] != direction:
                result[item] = None
    return result


def negate(pol: Pol) -> Pol:
    """Polarity of the negation (``not``, or a ``<`` comparison of an index)."""
    return {item: None if d is None else -d for item, d in pol.items()}


def _unknown(pol: Pol) -> Pol:
    return dict.fromkeys(pol)


def condition_polarity(
    cond: ConditionModel,
    names: Names,
    n_levels: Mapping[int, int],
    index_pols: Mapping[int, Pol],
    flag_pols: Mapping[int, Pol],
) -> Pol:
    """Polarity of a checked condition, per item position (see the module docstring)."""
    match cond:
        case All() | Any_():
            parts = cond.all if isinstance(cond, All) else cond.any
            return combine(
                *(condition_polarity(c, names, n_levels, index_pols, flag_pols) for c in parts)
            )
        case Not():
            return negate(condition_polarity(cond.not_, names, n_levels, index_pols, flag_pols))
        case AnswerAtLeast():
            return {names.items[cond.answer_at_least.item].pos: 1}
        case AnswerIn():
            return _levels_polarity(cond.answer_in, names, n_levels)
        case ContextIs():
            return _levels_polarity(cond.context, names, n_levels)
        case IndexCompare():
            pol = index_pols[names.indices[cond.index.index].pos]
            if cond.index.op in (">=", ">"):
                return dict(pol)
            if cond.index.op in ("<", "<="):
                return negate(pol)
            return _unknown(pol)
        case BandAtLeast():
            return dict(index_pols[names.indices[cond.band.index].pos])
        case FlagRaised():
            return dict(flag_pols[names.flags[cond.flag]])
        case AgeBand() | ResultIs():
            return {}  # results are read only by further results, never by the primary
        case _:
            assert_never(cond)


def _levels_polarity(test: AnswerInTest, names: Names, n_levels: Mapping[int, int]) -> Pol:
    """A set of levels moves with the item when it is closed upward or downward."""
    item = names.items[test.item]
    assert item.ranks is not None
    ranks = {item.ranks[level] for level in test.levels}
    top = n_levels[item.pos] - 1
    upward = ranks == set(range(min(ranks), top + 1))
    downward = ranks == set(range(0, max(ranks) + 1))
    if upward and downward:
        return {}
    if upward or downward:
        return {item.pos: 1 if upward else -1}
    return {item.pos: None}
