"""Static checks of a valid instrument for authoring mistakes the schema cannot see (``lint``).

A lint finding is a warning, never an error: the instrument is valid and scores as written,
but something in it is probably not what its author meant. Each finding is a
:class:`~kwg_check.Problem` with a ``lint.*`` code and a pointer into the instrument.

The checks are a list of functions (:data:`CHECKS`), each reading the compiled instrument;
a new check is one more function in the list.

- ``lint.weight-ignored``: an item's weight is not 1, but no ``weighted_sum`` index reads
  the item, and every other aggregation ignores weights.
- ``lint.band-unreachable``: no value the index can take falls in the band: the index never
  reaches its cut-off, or the next band's cut-off shadows it.
- ``lint.band-always``: a ``band`` condition names the index's first band; a band condition
  means "at or above", so it holds for every value the index has (the author probably meant
  another band, or a test that the index has a value).
- ``lint.rule-unreachable``: a decision-table row never matches first: earlier rows cover
  every input it matches (or its condition can never hold).
- ``lint.rule-overlap``: a row is followed by a row for a more severe outcome, and some
  input matches both. Such rows are read as *meant to be exclusive*: first match wins, so
  for those inputs the milder, earlier row silently decides.
- ``lint.item-unused``: a rated item feeds no index, flag, rule, policy override,
  applicability, process check, and indicates no form of endangerment (context items are
  shown in reports; items of a professional-judgement instrument feed the professionals).
- ``lint.translation-missing``: a text lacks one of the instrument's declared languages.
- ``lint.no-default``: a result's table does not end in a default row; where the default
  is required (the decision table), this is the error ``table.default-rule`` instead.
- ``lint.incomplete``: a check needed more evaluations than its bound and was not done.

Exhaustive checks reuse the engine's own evaluation and are bounded. The values an index can
take are enumerated with every input treated as independent (a superset of the real values,
so a band reported unreachable truly is). The decision table is evaluated on every
combination of what its rows read — item levels, index values around the numbers they are
compared with, bands, flags, age-band limits — again a superset of the real inputs, so a
row reported unreachable truly is; an overlap may name inputs that no assessment reaches
when flags or indices read the same items, which the reason says.
"""

from __future__ import annotations

import decimal
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import assert_never

from kwg_check._errors import Problem, pointer_from_path
from kwg_check._model._types import localized_texts, parts_of
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
    ResultIs,
)
from kwg_check._model.conditions import Condition as ConditionModel
from kwg_check._model.instrument import DecisionRule

from ._evaluate import ARITHMETIC, CONTEXT, band_of, clean, round_quotient, rounded
from ._runtime import CIndex, CompiledInstrument, Ref, State

__all__ = ["CHECKS", "COMBINATIONS_CAP", "VALUES_CAP", "LintCheck", "lint"]

LintCheck = Callable[[CompiledInstrument], Iterable[Problem]]
"""One lint check: the warnings it finds in a compiled instrument."""

VALUES_CAP = 5_000
"""At most this many distinct values of one index are enumerated."""

COMBINATIONS_CAP = 50_000
"""At most this many input combinations of the decision table are evaluated."""

_BELOW = Decimal("0.0000001")
"""Smaller than any step between exact values (they have at most 6 fractional digits)."""

_AGES = (0, 1440)
"""The ages an assessment can have, in completed months."""

Values = frozenset[Decimal] | None
"""The values an index can take (``None``: too many to enumerate)."""


def lint(compiled: CompiledInstrument) -> list[Problem]:
    """Every lint warning of a compiled instrument, sorted by pointer then code."""
    with decimal.localcontext(CONTEXT):
        found = [problem for check in CHECKS for problem in check(compiled)]
    return sorted(found, key=lambda problem: (problem.pointer, problem.code))


# ------------------------------------------------------------------------------------------
# Weights, unused items, translations, defaults
# ------------------------------------------------------------------------------------------


def weight_ignored(compiled: CompiledInstrument) -> Iterator[Problem]:
    """An item weight that no aggregation applies."""
    weighted = {
        pos
        for index in compiled.indices
        if index.aggregation == "weighted_sum"
        for pos in index.items
    }
    for item in compiled.items:
        if item.weight != 1 and item.pos not in weighted:
            yield Problem(
                f"/items/{item.pos}/weight",
                "lint.weight-ignored",
                f"item '{item.id}' has a weight other than 1, but no weighted_sum index reads "
                "it; sum, mean, max, min and count_at_least ignore weights",
            )


def item_unused(compiled: CompiledInstrument) -> Iterator[Problem]:
    """A rated item whose answer changes nothing the instrument computes or reports."""
    if compiled.method == "professional_judgement":
        return
    used = {pos for index in compiled.indices for pos in index.items}
    refs: list[Ref] = [ref for flag in compiled.flags for ref in flag.refs]
    refs += [ref for rule in compiled.rules for ref in rule.refs]
    refs += [ref for policy in compiled.policies for ref in policy.refs]
    refs += [ref for check in compiled.checks for ref in check.refs]
    for item in compiled.items:
        refs.extend(item.applies_refs)
    used.update(ref.pos for ref in refs if ref.kind == "item")
    for item in compiled.items:
        if item.pos not in used and item.kind != "context" and not item.indicates:
            yield Problem(
                f"/items/{item.pos}",
                "lint.item-unused",
                f"item '{item.id}' feeds no index, flag, rule, override or applicability "
                "and indicates no form of endangerment",
            )


def translation_missing(compiled: CompiledInstrument) -> Iterator[Problem]:
    """A text without one of the instrument's declared languages."""
    languages = compiled.instrument.languages
    for path, text in localized_texts(compiled.instrument):
        for tag in languages:
            if text.get(tag) is None:
                yield Problem(
                    pointer_from_path(path),
                    "lint.translation-missing",
                    f"the text has no translation into '{tag}', one of the instrument's languages",
                )


def no_default(compiled: CompiledInstrument) -> Iterator[Problem]:
    """A result whose table does not end in a default row: the decision table and the
    table of every further result.

    Compiling refuses such a table (the error ``table.default-rule``), so every compiled
    instrument passes; the check stays so a table whose default becomes optional is
    reported without further wiring."""
    table = compiled.instrument.decision_table
    if table:
        yield from table_without_default("/decision_table", table)
    for pos, result in enumerate(compiled.instrument.results):
        yield from table_without_default(f"/results/{pos}/table", result.table)


def table_without_default(pointer: str, rules: Sequence[DecisionRule]) -> Iterator[Problem]:
    """``lint.no-default`` for a table whose last row has a condition."""
    if rules and rules[-1].when is not None:
        yield Problem(
            pointer,
            "lint.no-default",
            "the table has no default row (the last row has a condition), so some inputs "
            "give no result",
        )


# ------------------------------------------------------------------------------------------
# The values an index can take
# ------------------------------------------------------------------------------------------


def index_values(compiled: CompiledInstrument) -> list[Values]:
    """A superset of the values each index can take (``None``: more than ``VALUES_CAP``),
    computed with every input treated as independent. A value that cannot be computed (no
    input known) is left out."""
    values: list[Values] = [None] * len(compiled.indices)
    for pos in compiled.index_order:
        values[pos] = _values_of(compiled, compiled.indices[pos], values)
    return values


def _item_points(compiled: CompiledInstrument, pos: int) -> frozenset[Decimal] | None:
    """The points an item can count with (besides counting nothing)."""
    item = compiled.items[pos]
    if item.kind == "context":
        return frozenset()
    if item.completions is None:
        return None
    points = {raw.points for raw in item.completions if raw.points is not None}
    if item.scale.unknown_points is not None:
        points.add(item.scale.unknown_points)
    return frozenset(points)


def _values_of(compiled: CompiledInstrument, index: CIndex, known: Sequence[Values]) -> Values:
    """The values of one index, its inputs' values given."""
    aggregation = index.aggregation
    if aggregation in ("count_at_least", "count_strengths", "count_concerns"):
        return frozenset(Decimal(n) for n in range(len(index.items) + 1))
    if aggregation in ARITHMETIC:
        return _arithmetic_values(index, [known[j] for j in index.inputs])
    if aggregation == "max_band":
        bands = [index_bands(compiled.indices[j], known[j]) for j in index.inputs]
        if any(b is None for b in bands):
            return None
        return frozenset(Decimal(rank + 1) for b in bands if b is not None for rank in b)
    weighted = aggregation == "weighted_sum"
    options: list[frozenset[Decimal]] = []
    for pos in index.items:
        points = _item_points(compiled, pos)
        if points is None:
            return None
        weight = compiled.items[pos].weight if weighted else Decimal(1)
        options.append(frozenset(p * weight for p in points))
    for j in index.inputs:
        given = known[j]
        if given is None:
            return None
        options.append(given)
    if aggregation in ("sum", "weighted_sum"):
        return _sums(options)
    if aggregation == "mean":
        return _means(index, options)
    if aggregation == "prorated_sum":
        return _prorated(index, options)
    every = frozenset(value for option in options for value in option)
    return every if len(every) <= VALUES_CAP else None


def _sums(options: Sequence[frozenset[Decimal]]) -> Values:
    """Every sum of one value (or nothing) from each option."""
    sums = {Decimal(0)}
    for option in options:
        sums |= {total + value for total in sums for value in option}
        if len(sums) > VALUES_CAP:
            return None
    return frozenset(clean(total) for total in sums)


def _means(index: CIndex, options: Sequence[frozenset[Decimal]]) -> Values:
    """Every rounded mean of one value (or nothing) from each option."""
    assert index.places is not None
    assert index.mode is not None
    pairs = {(Decimal(0), 0)}
    for option in options:
        pairs |= {(total + value, count + 1) for total, count in pairs for value in option}
        if len(pairs) > VALUES_CAP:
            return None
    return frozenset(
        clean(round_quotient(total, count, index.places, index.mode))
        for total, count in pairs
        if count
    )


def _arithmetic_values(index: CIndex, inputs: Sequence[Values]) -> Values:
    """Every value of a scaled, rounded or difference index, its inputs independent."""
    if any(values is None for values in inputs):
        return None
    known = [values for values in inputs if values is not None]
    if index.aggregation == "difference":
        if len(known[0]) * len(known[1]) > VALUES_CAP:
            return None
        return frozenset(clean(a - b) for a in known[0] for b in known[1])
    factor = Decimal(1) if index.factor is None else index.factor
    return frozenset(clean(rounded(index, value * factor)) for value in known[0])


def _prorated(index: CIndex, options: Sequence[frozenset[Decimal]]) -> Values:
    """Every prorated sum: for each sum of ``count`` answered items and each number of
    applicable items from ``count`` up, when the share is reached."""
    assert index.minimum_answered is not None
    assert index.places is not None
    assert index.mode is not None
    pairs = {(Decimal(0), 0)}
    for option in options:
        pairs |= {(total + value, count + 1) for total, count in pairs for value in option}
        if len(pairs) * len(options) > VALUES_CAP:
            return None
    return frozenset(
        clean(round_quotient(total * applicable, count, index.places, index.mode))
        for total, count in pairs
        if count
        for applicable in range(count, len(options) + 1)
        if count >= index.minimum_answered * applicable
    )


def index_bands(index: CIndex, values: Values) -> frozenset[int] | None:
    """The band ranks an index can fall in (``None``: not known)."""
    if values is None:
        return None
    return frozenset(rank for value in values if (rank := _band(index, value)) is not None)


def band_unreachable(compiled: CompiledInstrument) -> Iterator[Problem]:
    """A band no value of its index falls in."""
    values = index_values(compiled)
    for index in compiled.indices:
        if not index.cutoffs:
            continue
        reached = index_bands(index, values[index.pos])
        if reached is None:
            yield Problem(
                f"/indices/{index.pos}/bands",
                "lint.incomplete",
                f"index '{index.id}' can take more than {VALUES_CAP} values; whether each "
                "band can be reached was not checked",
            )
            continue
        highest = max(values[index.pos] or (), default=None)
        for rank, band in enumerate(index.band_ids):
            if rank in reached:
                continue
            if rank > max(reached, default=-1):
                why = f"the index is at most {highest}" if highest is not None else "never"
                reason = f"band '{band}' of index '{index.id}' is never reached: {why}"
            else:
                reason = (
                    f"band '{band}' of index '{index.id}' is never reached: no value the "
                    "index can take lies below the next band's cut-off"
                )
            yield Problem(f"/indices/{index.pos}/bands/{rank}", "lint.band-unreachable", reason)


def band_always(compiled: CompiledInstrument) -> Iterator[Problem]:
    """A ``band`` condition on an index's first band: "at or above the first band" is true
    whenever the index has a value, so the condition tests nothing."""
    first = {index.id: index.band_ids[0] for index in compiled.indices if index.band_ids}
    for path, condition in parts_of(compiled.instrument, BandAtLeast):
        test = condition.band
        if first.get(test.index) == test.band:
            yield Problem(
                pointer_from_path(path),
                "lint.band-always",
                f"band '{test.band}' is the first band of index '{test.index}'; a band "
                "condition means at or above, so it holds for every value the index has",
            )


# ------------------------------------------------------------------------------------------
# The decision table
# ------------------------------------------------------------------------------------------


Setter = Callable[[State, object], None]
"""Puts one value of one input into an evaluation state."""


def table_rows(compiled: CompiledInstrument) -> Iterator[Problem]:
    """Rows of the decision table that never match first, and rows that overlap."""
    rules = compiled.rules
    table = compiled.instrument.decision_table
    if not rules or table is None:
        return
    inputs = _table_inputs(compiled, [rule.when for rule in table if rule.when is not None])
    combinations = math.prod(len(domain) for _, domain in inputs)
    if combinations > COMBINATIONS_CAP:
        yield Problem(
            "/decision_table",
            "lint.incomplete",
            f"the rows read {combinations} combinations of inputs, more than "
            f"{COMBINATIONS_CAP}; unreachable and overlapping rows were not checked",
        )
        return
    first: set[int] = set()
    both: set[tuple[int, int]] = set()
    state = State((0, 0, 0), len(compiled.items), len(compiled.indices), len(compiled.flags))
    for combination in itertools.product(*(domain for _, domain in inputs)):
        for (setter, _), value in zip(inputs, combination, strict=True):
            setter(state, value)
        matched = [rule.pos for rule in rules if rule.when is None or rule.when(state)]
        first.add(matched[0])
        both.update(itertools.combinations(matched, 2))
    yield from _unreachable(compiled, first)
    yield from _overlaps(compiled, first, both)


def _unreachable(compiled: CompiledInstrument, first: set[int]) -> Iterator[Problem]:
    for rule in compiled.rules:
        if rule.when is not None and rule.pos not in first:
            yield Problem(
                f"/decision_table/{rule.pos}",
                "lint.rule-unreachable",
                f"rule '{rule.id}' never matches first: the rows before it match every "
                "input it matches",
            )


def _overlaps(
    compiled: CompiledInstrument, first: set[int], both: set[tuple[int, int]]
) -> Iterator[Problem]:
    rules = compiled.rules
    for earlier, later in sorted(both):
        if rules[later].when is None or later not in first:
            continue
        if rules[earlier].outcome < rules[later].outcome:
            yield Problem(
                f"/decision_table/{later}",
                "lint.rule-overlap",
                f"rules '{rules[earlier].id}' and '{rules[later].id}' both match some inputs "
                f"(possibly only through flags or indices that read the same items); the "
                f"earlier rule's milder outcome then wins",
            )


def _table_inputs(
    compiled: CompiledInstrument, conditions: Sequence[ConditionModel]
) -> list[tuple[Setter, tuple[object, ...]]]:
    """What the rows read, each with the values worth trying: every level of an item (and
    none), every flag state, each index's values around the numbers it is compared with and
    its band cut-offs, and the ages at each age-band limit."""
    refs = dict.fromkeys(ref for rule in compiled.rules for ref in rule.refs)
    tested = _tested(conditions, compiled)
    values = index_values(compiled)
    inputs: list[tuple[Setter, tuple[object, ...]]] = []
    indices = sorted({ref.pos for ref in refs if ref.kind in ("index", "band")})
    for ref in refs:
        if ref.kind == "item":
            levels = len(compiled.items[ref.pos].scale.levels)
            inputs.append((_set_rank(ref.pos), (None, *range(levels))))
        elif ref.kind == "flag":
            inputs.append((_set_flag(ref.pos), (False, True)))
    for pos in indices:
        index = compiled.indices[pos]
        points = _index_points(index, tested.get(pos, ()), values[pos])
        inputs.append((_set_index(index), (None, *points)))
    if any(ref.kind == "age" for ref in refs):
        limits = {age for age in tested.get(-1, ()) if _AGES[0] <= age <= _AGES[1]}
        ages = sorted({*_AGES, *limits, *(max(age - 1, 0) for age in limits)})
        inputs.append((_set_age, tuple(ages)))
    return inputs


def _index_points(index: CIndex, numbers: Iterable[Decimal], values: Values) -> tuple[Decimal, ...]:
    """One value for each way the index's tests and bands can come out: the enumerated
    values when known, else each compared number and cut-off and a value just below it."""
    critical = sorted({*numbers, *index.cutoffs})
    if values is None:
        below = (number - _BELOW for number in critical)
        candidates = sorted({*critical, *below, (critical[-1] + 1) if critical else Decimal(0)})
    else:
        candidates = sorted(values)
    chosen: dict[tuple[object, ...], Decimal] = {}
    for value in candidates:
        signature = (
            _band(index, value),
            *(value >= number for number in critical),
            *(value == number for number in critical),
        )
        chosen.setdefault(signature, value)
    return tuple(chosen.values())


def _tested(
    conditions: Sequence[ConditionModel], compiled: CompiledInstrument
) -> dict[int, list[Decimal]]:
    """The numbers each index is compared with (key: index position) and the age limits
    (key ``-1``)."""
    positions = {index.id: index.pos for index in compiled.indices}
    found: dict[int, list[Decimal]] = {}
    stack = list(conditions)
    while stack:
        cond = stack.pop()
        match cond:
            case All():
                stack.extend(cond.all)
            case Any_():
                stack.extend(cond.any)
            case Not():
                stack.append(cond.not_)
            case IndexCompare():
                found.setdefault(positions[cond.index.index], []).append(cond.index.value)
            case AgeBand():
                limits = (cond.age_months.from_months, cond.age_months.below_months)
                found.setdefault(-1, []).extend(Decimal(n) for n in limits if n is not None)
            case (
                AnswerAtLeast()
                | AnswerIn()
                | ContextIs()
                | BandAtLeast()
                | FlagRaised()
                | ResultIs()
            ):
                pass
            case _:
                assert_never(cond)
    return found


def _set_rank(pos: int) -> Setter:
    def put(state: State, value: object) -> None:
        state.rank[pos] = value if isinstance(value, int) else None

    return put


def _set_flag(pos: int) -> Setter:
    def put(state: State, value: object) -> None:
        state.raised[pos] = bool(value)

    return put


def _band(index: CIndex, value: Decimal) -> int | None:
    """The band rank of an index value (a max_band index's value is its band rank + 1)."""
    return int(value) - 1 if index.aggregation == "max_band" else band_of(index, value)


def _set_index(index: CIndex) -> Setter:
    def put(state: State, value: object) -> None:
        number = value if isinstance(value, Decimal) else None
        state.values[index.pos] = number
        state.bands[index.pos] = None if number is None else _band(index, number)

    return put


def _set_age(state: State, value: object) -> None:
    age = int(value) if isinstance(value, Decimal | int) else 0
    state.age = (age, age, age)


CHECKS: tuple[LintCheck, ...] = (
    weight_ignored,
    band_unreachable,
    band_always,
    table_rows,
    item_unused,
    translation_missing,
    no_default,
)
"""Every lint check, in the order their findings are listed before sorting."""
