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
)
from kwg_check._model.conditions import Condition as ConditionModel

from ._runtime import AGE_OF, Cond, Ref, State

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
        case _:
            assert_never(cond)


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
        case _:
            assert_never(cond)


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
    match cond:
        case All():
            parts = tuple(_compile(sub, names, refs) for sub in cond.all)
            return lambda s: all(part(s) for part in parts)
        case Any_():
            parts = tuple(_compile(sub, names, refs) for sub in cond.any)
            return lambda s: any(part(s) for part in parts)
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
        case _:
            assert_never(cond)


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
        case AgeBand():
            return {}
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
