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

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal

import attrs

from kwg_check._errors import Problem
from kwg_check._model.conditions import (
    AgeBand,
    All,
    AnswerAtLeast,
    AnswerIn,
    Any_,
    BandAtLeast,
    ContextIs,
    FlagRaised,
    IndexCompare,
    Not,
)
from kwg_check._model.conditions import Condition as ConditionModel

from ._runtime import Cond, Ref, State

__all__ = [
    "Names",
    "Pol",
    "combine",
    "compile_condition",
    "condition_polarity",
    "condition_problems",
    "negate",
    "referenced",
]

Scope = Literal["applicability", "full"]
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
class Names:
    """Resolution tables (first definition of each id wins)."""

    items: Mapping[str, ItemName]
    indices: Mapping[str, IndexName]
    flags: Mapping[str, int]


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
    if isinstance(cond, All):
        for i, sub in enumerate(cond.all):
            _check(sub, _ptr(pointer, "all", i), names, scope, out)
    elif isinstance(cond, Any_):
        for i, sub in enumerate(cond.any):
            _check(sub, _ptr(pointer, "any", i), names, scope, out)
    elif isinstance(cond, Not):
        _check(cond.not_, _ptr(pointer, "not"), names, scope, out)
    elif isinstance(cond, AnswerAtLeast):
        test = cond.answer_at_least
        _check_levels(test.item, [test.level], _ptr(pointer, "answer_at_least"), names, out, False)
    elif isinstance(cond, AnswerIn):
        test_in = cond.answer_in
        _check_levels(test_in.item, test_in.levels, _ptr(pointer, "answer_in"), names, out, True)
    elif isinstance(cond, ContextIs):
        here = _ptr(pointer, "context")
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
    elif isinstance(cond, IndexCompare | BandAtLeast | FlagRaised):
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
    elif isinstance(cond, AgeBand):
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
    if isinstance(cond, All):
        for sub in cond.all:
            yield from referenced(sub)
    elif isinstance(cond, Any_):
        for sub in cond.any:
            yield from referenced(sub)
    elif isinstance(cond, Not):
        yield from referenced(cond.not_)
    elif isinstance(cond, AnswerAtLeast):
        yield "item", cond.answer_at_least.item
    elif isinstance(cond, AnswerIn):
        yield "item", cond.answer_in.item
    elif isinstance(cond, ContextIs):
        yield "item", cond.context.item
    elif isinstance(cond, IndexCompare):
        yield "index", cond.index.index
    elif isinstance(cond, BandAtLeast):
        yield "index", cond.band.index
    elif isinstance(cond, FlagRaised):
        yield "flag", cond.flag


RefKindName = Literal["item", "index", "flag"]


# ------------------------------------------------------------------------------------------
# Compilation
# ------------------------------------------------------------------------------------------


def compile_condition(cond: ConditionModel, names: Names) -> tuple[Cond, tuple[Ref, ...]]:
    """Turn a checked condition into a closure and the list of what it reads."""
    refs: list[Ref] = []
    fn = _compile(cond, names, refs)
    unique = tuple(dict.fromkeys(refs))
    return fn, unique


def _compile(cond: ConditionModel, names: Names, refs: list[Ref]) -> Cond:
    if isinstance(cond, All):
        parts = tuple(_compile(sub, names, refs) for sub in cond.all)
        return lambda s: all(part(s) for part in parts)
    if isinstance(cond, Any_):
        parts = tuple(_compile(sub, names, refs) for sub in cond.any)
        return lambda s: any(part(s) for part in parts)
    if isinstance(cond, Not):
        inner = _compile(cond.not_, names, refs)
        return lambda s: not inner(s)
    if isinstance(cond, AnswerAtLeast):
        item = names.items[cond.answer_at_least.item]
        assert item.ranks is not None
        pos, threshold = item.pos, item.ranks[cond.answer_at_least.level]
        refs.append(Ref("item", pos))

        def at_least(s: State) -> bool:
            rank = s.rank[pos]
            return rank is not None and rank >= threshold

        return at_least
    if isinstance(cond, AnswerIn | ContextIs):
        test = cond.answer_in if isinstance(cond, AnswerIn) else cond.context
        item = names.items[test.item]
        assert item.ranks is not None
        pos, ranks = item.pos, frozenset(item.ranks[level] for level in test.levels)
        refs.append(Ref("item", pos))
        return lambda s: s.rank[pos] in ranks
    if isinstance(cond, IndexCompare):
        index_pos = names.indices[cond.index.index].pos
        compare, value = _OPS[cond.index.op], cond.index.value
        refs.append(Ref("index", index_pos))

        def index_test(s: State) -> bool:
            current = s.values[index_pos]
            return current is not None and compare(current, value)

        return index_test
    if isinstance(cond, BandAtLeast):
        index = names.indices[cond.band.index]
        assert index.band_ids is not None
        index_pos, band = index.pos, index.band_ids.index(cond.band.band)
        refs.append(Ref("band", index_pos))

        def band_test(s: State) -> bool:
            current = s.bands[index_pos]
            return current is not None and current >= band

        return band_test
    if isinstance(cond, FlagRaised):
        flag_pos = names.flags[cond.flag]
        refs.append(Ref("flag", flag_pos))
        return lambda s: s.raised[flag_pos]
    assert isinstance(cond, AgeBand)
    low, below = cond.age_months.from_months, cond.age_months.below_months
    refs.append(Ref("age", -1))
    return lambda s: (low is None or s.age >= low) and (below is None or s.age < below)


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
    if isinstance(cond, All):
        return combine(
            *(condition_polarity(c, names, n_levels, index_pols, flag_pols) for c in cond.all)
        )
    if isinstance(cond, Any_):
        return combine(
            *(condition_polarity(c, names, n_levels, index_pols, flag_pols) for c in cond.any)
        )
    if isinstance(cond, Not):
        return negate(condition_polarity(cond.not_, names, n_levels, index_pols, flag_pols))
    if isinstance(cond, AnswerAtLeast):
        return {names.items[cond.answer_at_least.item].pos: 1}
    if isinstance(cond, AnswerIn | ContextIs):
        test = cond.answer_in if isinstance(cond, AnswerIn) else cond.context
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
    if isinstance(cond, IndexCompare):
        pol = index_pols[names.indices[cond.index.index].pos]
        if cond.index.op in (">=", ">"):
            return dict(pol)
        if cond.index.op in ("<", "<="):
            return negate(pol)
        return _unknown(pol)
    if isinstance(cond, BandAtLeast):
        return dict(index_pols[names.indices[cond.band.index].pos])
    if isinstance(cond, FlagRaised):
        return dict(flag_pols[names.flags[cond.flag]])
    return {}
