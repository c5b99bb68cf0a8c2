"""compile_instrument: semantic checks, then the frozen runtime that scoring walks.

Phase one (``_semantics``) checks ids, references, cycles and the rules of each element.
Phase two runs on the resolved runtime, only when phase one found nothing:

* **Exactness bounds.** Every index value must be writable as an exact decimal of at most
  12 integer and 6 fractional digits (the documents' decimal format). The compile step
  bounds each index from its inputs' points and weights (``index.precision``,
  ``index.range``; ``item.points-range`` for summed multiple answers), so scoring never
  rounds silently and every summary validates.
* **Monotonicity** (only when the instrument declares ``monotone: true``). Polarity
  analysis: per item, a condition is +1 (never turns false when the item's level rises), -1,
  0 (independent) or unknown. Indices are +1 in an item whose scale's points never decrease
  along the levels (count_at_least: always); nested indices and max_band compose; ``>=``/``>``
  keep an index's polarity, ``<``/``<=`` negate it, ``==``/``!=`` make it unknown. The
  instrument is monotone when every rule, policy-override and flooring flag condition is +1
  or 0 in every risk and safety item and -1 or 0 in every protective item, the decision
  table's outcomes never become more severe from one rule to the next, and applicability
  reads only the age and context items. Then raising a risk or safety item never lowers the
  computed outcome, and unknown ranges are exact from two corner completions.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from itertools import pairwise
from types import MappingProxyType

from kwg_check import _documents
from kwg_check._errors import DocumentError, Problem
from kwg_check._io import DEFAULT_LIMITS, Limits
from kwg_check._model.assessment import Assessment
from kwg_check._model.conditions import Condition as ConditionModel
from kwg_check._model.instrument import DecisionRule, Instrument, Item, Scale

from ._conditions import (
    Names,
    Pol,
    combine,
    compile_condition,
    condition_polarity,
    negate,
    referenced,
)
from ._evaluate import CONTEXT, clean
from ._runtime import (
    CCheck,
    CFlag,
    CIndex,
    CItem,
    CompiledInstrument,
    Cond,
    COutcome,
    CPolicy,
    CResult,
    CRule,
    CScale,
    Raw,
    Ref,
)
from ._semantics import dependency_orders, names_of, structural_problems

__all__ = [
    "COMPLETIONS_CAP",
    "compile_instrument",
    "document_fingerprint",
    "instrument_problems",
]

DIGITS_LIMIT = Decimal(10) ** 12
MAX_PLACES = 6
COMPLETIONS_CAP = 4096
"""Most distinct answers one item may have for unknown ranges (summed multiple answers)."""


def document_fingerprint(document: Instrument | Assessment) -> str:
    """Fingerprint of a document: the documents layer's, the one used everywhere."""
    return _documents.document_fingerprint(document)


def instrument_problems(
    instrument: Instrument, *, limits: Limits = DEFAULT_LIMITS
) -> list[Problem]:
    """Every semantic problem of the instrument (empty when it compiles); an instrument
    larger than ``limits`` allow gets only the size problems."""
    problems = structural_problems(instrument, limits)
    if problems:
        return problems
    with localcontext(CONTEXT):
        return _late_problems(instrument, _build(instrument, fingerprint=""))


def compile_instrument(
    instrument: Instrument, *, limits: Limits = DEFAULT_LIMITS
) -> CompiledInstrument:
    """Check the instrument completely and resolve it for scoring.

    Raises ``DocumentError`` listing every semantic problem; an instrument with more items,
    indices, flags or rules, or longer dependency chains, than ``limits`` allow is refused
    with the size problems alone (codes ``compile.too-many-*``, ``compile.chain-too-deep``).
    Checking and compiling take time and memory about linear in the instrument's size.
    """
    problems = structural_problems(instrument, limits)
    if problems:
        raise DocumentError(problems)
    with localcontext(CONTEXT):
        compiled = _build(instrument, document_fingerprint(instrument))
        problems = _late_problems(instrument, compiled)
    if problems:
        raise DocumentError(problems)
    return compiled


# ------------------------------------------------------------------------------------------
# Building the runtime
# ------------------------------------------------------------------------------------------


def _scale(scale: Scale, default_unknown: Decimal | None) -> CScale:
    """The runtime scale. A scale without points counts nothing, not even for unknowns; an
    unknown marker without ``scores_as`` takes the instrument's default."""
    unknown = scale.unknown
    scored = all(level.points is not None for level in scale.levels)
    unknown_points = None
    if unknown is not None and scored:
        unknown_points = default_unknown if unknown.scores_as is None else unknown.scores_as
    return CScale(
        id=scale.id,
        levels=tuple(level.id for level in scale.levels),
        points=tuple(level.points or Decimal(0) for level in scale.levels),
        rank=MappingProxyType({level.id: rank for rank, level in enumerate(scale.levels)}),
        unknown_id=None if unknown is None else unknown.id,
        unknown_points=unknown_points,
        scored=scored,
        poles=tuple(level.pole for level in scale.levels)
        if any(level.pole is not None for level in scale.levels)
        else (),
    )


def first_concern(scale: CScale) -> int | None:
    """Rank of the first concern level of a bipolar scale (``None``: not bipolar)."""
    return next((rank for rank, pole in enumerate(scale.poles) if pole == "concern"), None)


def _completions(scale: CScale, item: Item) -> tuple[Raw, ...] | None:
    """Every distinct (counting level, points) an answer to the item can produce."""
    if not scale.scored:
        return tuple(Raw(rank, level, None) for rank, level in enumerate(scale.levels))
    if item.response != "multiple" or item.combine != "sum":
        return tuple(
            Raw(rank, level, points)
            for rank, (level, points) in enumerate(zip(scale.levels, scale.points, strict=True))
        )
    result: list[Raw] = []
    lower_sums: dict[Decimal, None] = {Decimal(0): None}  # sums of subsets of lower levels
    for rank, (level, points) in enumerate(zip(scale.levels, scale.points, strict=True)):
        result.extend(Raw(rank, level, clean(points + s)) for s in sorted(lower_sums))
        if len(result) > COMPLETIONS_CAP:
            return None
        for s in list(lower_sums):
            lower_sums.setdefault(s + points)
    return tuple(dict.fromkeys(result))


def _item(pos: int, item: Item, scale: CScale, names: Names) -> CItem:
    applies: Cond | None = None
    applies_refs: tuple[Ref, ...] = ()
    if item.applies_when is not None:
        applies, applies_refs = compile_condition(item.applies_when, names)
    concerning: int | None = None
    if item.kind in ("risk", "safety"):
        default = first_concern(scale)
        concerning = 1 if default is None else default
        if item.concerning_from is not None:
            concerning = scale.rank[item.concerning_from]
    return CItem(
        pos=pos,
        id=item.id,
        domain=item.domain,
        kind=item.kind,
        scale=scale,
        weight=item.weight,
        response=item.response,
        combine=item.combine,
        per_caregiver=item.per_caregiver,
        applies=applies,
        applies_refs=applies_refs,
        evidence_from=(
            None if item.evidence_required_from is None else scale.rank[item.evidence_required_from]
        ),
        concerning_from=concerning,
        indicates=tuple(item.indicates),
        completions=_completions(scale, item),
        codes=tuple(
            MappingProxyType({"system": code.system, "code": code.code}) for code in item.codes
        ),
    )


def _build(instrument: Instrument, fingerprint: str) -> CompiledInstrument:
    names = names_of(instrument)
    orders = dependency_orders(instrument)
    scales = {scale.id: _scale(scale, instrument.unknown_scores_as) for scale in instrument.scales}
    items = tuple(
        _item(pos, item, scales[item.scale], names) for pos, item in enumerate(instrument.items)
    )
    item_pos = {item.id: item.pos for item in items}
    index_pos = {index.id: pos for pos, index in enumerate(instrument.indices)}
    indices: list[CIndex] = []
    for pos, index in enumerate(instrument.indices):
        at_least = None
        if index.aggregation == "count_at_least" and index.at_least is not None:
            at_least = items[item_pos[index.items[0]]].scale.rank[index.at_least]
        cutoffs: tuple[Decimal, ...] = ()
        if index.aggregation != "max_band" and index.bands:
            cutoffs = tuple(b.at_least for b in index.bands[1:] if b.at_least is not None)
        indices.append(
            CIndex(
                pos=pos,
                id=index.id,
                side=index.side,
                aggregation=index.aggregation,
                items=tuple(item_pos[i] for i in index.items),
                inputs=tuple(index_pos[i] for i in index.indices),
                at_least=at_least,
                places=None if index.rounding is None else index.rounding.places,
                mode=None if index.rounding is None else index.rounding.mode,
                band_ids=names.indices[index.id].band_ids or (),
                cutoffs=cutoffs,
                factor=index.factor,
                minimum_answered=index.minimum_answered,
            )
        )
    outcome_rank = {outcome.id: rank for rank, outcome in enumerate(instrument.outcomes)}
    flags = tuple(
        CFlag(
            pos,
            flag.id,
            flag.severity,
            *compile_condition(flag.when, names),
            minimum=None if flag.minimum_outcome is None else outcome_rank[flag.minimum_outcome],
            indicates=tuple(flag.indicates),
        )
        for pos, flag in enumerate(instrument.flags)
    )
    rules = [
        _row(pos, rule, names, outcome_rank)
        for pos, rule in enumerate(instrument.decision_table or [])
    ]
    policies = tuple(
        CPolicy(pos, p.id, *compile_condition(p.when, names), outcome_rank[p.minimum_outcome])
        for pos, p in enumerate(instrument.policy_overrides)
    )
    checks = []
    for pos, check in enumerate(instrument.process_checks):
        applies: Cond | None = None
        refs: tuple[Ref, ...] = ()
        if check.applies_when is not None:
            applies, refs = compile_condition(check.applies_when, names)
        checks.append(
            CCheck(pos, check.id, check.legal_reference, applies, refs, check.requirement)
        )
    results = tuple(
        CResult(
            pos,
            result.id,
            tuple(value.id for value in result.outcomes),
            tuple(
                _row(n, row, names, names.results[result.id].ranks)
                for n, row in enumerate(result.table)
            ),
        )
        for pos, result in enumerate(instrument.results)
    )
    policy = instrument.discretionary_override
    return CompiledInstrument(
        instrument=instrument,
        fingerprint=fingerprint,
        id=instrument.id,
        version=instrument.version,
        method=instrument.method,
        monotone=instrument.monotone,
        minimum_completeness=instrument.minimum_completeness,
        stale_after_days=instrument.stale_after_days,
        domains=tuple(domain.id for domain in instrument.domains),
        items=items,
        item_order=orders["items"],
        item_pos=MappingProxyType(item_pos),
        indices=tuple(indices),
        index_order=orders["indices"],
        flags=flags,
        flag_order=orders["flags"],
        outcomes=tuple(
            COutcome(o.id, o.traffic_light, o.statistic_category) for o in instrument.outcomes
        ),
        outcome_rank=MappingProxyType(outcome_rank),
        rules=tuple(rules),
        policies=policies,
        override_up=None if policy is None else policy.max_levels_up,
        override_down=None if policy is None else policy.max_levels_down,
        checks=tuple(checks),
        results=results,
        result_order=orders["results"],
    )


def _row(pos: int, row: DecisionRule, names: Names, ranks: Mapping[str, int]) -> CRule:
    """A row of a table, its outcome as a rank of the result's values (the outcomes for the
    decision table)."""
    when: Cond | None = None
    refs: tuple[Ref, ...] = ()
    if row.when is not None:
        when, refs = compile_condition(row.when, names)
    return CRule(pos, row.id, when, refs, ranks[row.outcome])


# ------------------------------------------------------------------------------------------
# Phase two
# ------------------------------------------------------------------------------------------


def _late_problems(instrument: Instrument, compiled: CompiledInstrument) -> list[Problem]:
    problems = _bound_problems(compiled)
    if instrument.monotone:
        problems.extend(_monotone_problems(instrument, compiled))
    return problems


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # points are finite
    return max(0, -exponent)


def _bound_problems(compiled: CompiledInstrument) -> list[Problem]:
    """Prove that every value fits 12 integer and 6 fractional digits."""
    problems: list[Problem] = []
    bound: list[Decimal] = []
    places: list[int] = []
    for item in compiled.items:
        scale = compiled.items[item.pos].scale
        extra = [] if scale.unknown_points is None else [abs(scale.unknown_points)]
        if item.response == "multiple" and item.combine == "sum":
            top = max([sum((abs(p) for p in scale.points), Decimal(0)), *extra])
        else:
            top = max([abs(p) for p in scale.points] + extra)
        item_places = [_places(p) for p in scale.points]
        if scale.unknown_points is not None:
            item_places.append(_places(scale.unknown_points))
        bound.append(top)
        places.append(max(item_places))
        if top >= DIGITS_LIMIT:
            problems.append(
                Problem(
                    f"/items/{item.pos}",
                    "item.points-range",
                    f"the summed points of item '{item.id}' can reach 10^12 or more",
                )
            )
    index_bound: dict[int, Decimal] = {}
    index_places: dict[int, int] = {}
    for pos in compiled.index_order:
        index = compiled.indices[pos]
        agg = index.aggregation
        terms: list[tuple[Decimal, int]] = []
        for i in index.items:
            weight = compiled.items[i].weight
            if agg == "weighted_sum":
                terms.append((bound[i] * weight, places[i] + _places(weight)))
            else:
                terms.append((bound[i], places[i]))
        terms.extend((index_bound[j], index_places[j]) for j in index.inputs)
        if agg in ("sum", "weighted_sum", "difference"):
            total = sum((t for t, _ in terms), Decimal(0))
            digits = max(p for _, p in terms)
        elif agg in ("count_at_least", "count_strengths", "count_concerns"):
            total, digits = Decimal(len(index.items)), 0
        elif agg == "prorated_sum":
            # sum × applicable / answered ≤ (number of items) × the largest term
            total = len(terms) * max(t for t, _ in terms)
            assert index.places is not None
            digits = index.places
        elif agg in ("scaled", "rounded"):
            top, digits = terms[0]
            if index.factor is not None:
                top, digits = top * abs(index.factor), digits + _places(index.factor)
            # rounding away from zero adds at most one unit of the last kept place
            total = top + (1 if index.places is not None else 0)
            digits = digits if index.places is None else index.places
        elif agg == "max_band":
            total, digits = Decimal(len(index.band_ids)), 0
        else:
            total = max(t for t, _ in terms)
            digits = (
                index.places
                if agg == "mean" and index.places is not None
                else max(p for _, p in terms)
            )
        index_bound[pos], index_places[pos] = total, digits
        if digits > MAX_PLACES:
            problems.append(
                Problem(
                    f"/indices/{pos}",
                    "index.precision",
                    f"index '{index.id}' can need {digits} decimal places; at most "
                    f"{MAX_PLACES} can be written exactly",
                )
            )
        if total >= DIGITS_LIMIT:
            problems.append(
                Problem(
                    f"/indices/{pos}",
                    "index.range",
                    f"index '{index.id}' can reach 10^12 or more; values are limited to 12 "
                    "integer digits",
                )
            )
    return problems


def _direction(item: CItem, aggregation: str) -> int | None:
    """How an index's value moves with the item's level: +1, -1, 0 or None (either)."""
    if aggregation in ("count_at_least", "count_concerns"):
        return 1
    if aggregation == "count_strengths":
        return -1  # strengths are the lowest levels: a higher level leaves them
    if not item.scale.scored:
        return 0
    if aggregation == "weighted_sum" and item.weight == 0:
        return 0
    points = item.scale.points
    rising = all(a <= b for a, b in pairwise(points))
    falling = all(a >= b for a, b in pairwise(points))
    if item.response == "multiple" and item.combine == "sum":
        if all(p == 0 for p in points):
            return 0
        return 1 if rising and all(p >= 0 for p in points) else None
    if rising and falling:
        return 0
    return 1 if rising else -1 if falling else None


def index_polarities(compiled: CompiledInstrument) -> dict[int, Pol]:
    """Polarity of every index, per item position."""
    pols: dict[int, Pol] = {}
    for pos in compiled.index_order:
        index = compiled.indices[pos]
        parts: list[Pol] = []
        for i in index.items:
            direction = _direction(compiled.items[i], index.aggregation)
            parts.append({} if direction == 0 else {i: direction})
        inputs = [pols[j] for j in index.inputs]
        if index.aggregation == "difference":
            inputs = [inputs[0], negate(inputs[1])]
        elif index.aggregation == "scaled" and index.factor is not None and index.factor <= 0:
            inputs = [negate(inputs[0]) if index.factor else {}]
        parts.extend(inputs)
        pols[pos] = combine(*parts)
    return pols


def _monotone_problems(instrument: Instrument, compiled: CompiledInstrument) -> list[Problem]:
    names = names_of(instrument)
    n_levels = {item.pos: len(item.scale.levels) for item in compiled.items}
    index_pols = index_polarities(compiled)
    flag_pols: dict[int, Pol] = {}
    for pos in compiled.flag_order:
        flag_pols[pos] = condition_polarity(
            instrument.flags[pos].when, names, n_levels, index_pols, flag_pols
        )
    problems: list[Problem] = []

    def check(cond: ConditionModel, pointer: str, what: str, pol: Pol | None = None) -> None:
        if pol is None:
            pol = condition_polarity(cond, names, n_levels, index_pols, flag_pols)
        problems.extend(_violations(compiled, pol, pointer, what))

    for pos, rule in enumerate(instrument.decision_table or []):
        if rule.when is not None:
            check(rule.when, f"/decision_table/{pos}/when", f"the condition of rule '{rule.id}'")
        if pos and compiled.rules[pos].outcome > compiled.rules[pos - 1].outcome:
            problems.append(
                Problem(
                    f"/decision_table/{pos}/outcome",
                    "instrument.not-monotone",
                    f"rule '{rule.id}' leads to a more severe outcome than the rule before it; "
                    "a monotone decision table lists outcomes from the most severe down",
                )
            )
    for pos, override in enumerate(instrument.policy_overrides):
        check(override.when, f"/policy_overrides/{pos}/when", f"policy override '{override.id}'")
    for pos, flag in enumerate(instrument.flags):
        if flag.minimum_outcome is not None:
            check(flag.when, f"/flags/{pos}/when", f"flag '{flag.id}'", flag_pols[pos])
    for pos, item in enumerate(instrument.items):
        if item.applies_when is None:
            continue
        for kind, ref_id in dict.fromkeys(referenced(item.applies_when)):
            if kind == "item" and compiled.items[compiled.item_pos[ref_id]].kind != "context":
                problems.append(
                    Problem(
                        f"/items/{pos}/applies_when",
                        "instrument.not-monotone",
                        f"the applicability of item '{item.id}' reads the answer of item "
                        f"'{ref_id}', which is not a context item; in a monotone instrument "
                        "applicability depends only on the age and context items",
                    )
                )
    return problems


def _violations(compiled: CompiledInstrument, pol: Pol, pointer: str, what: str) -> list[Problem]:
    problems = []
    for pos in sorted(pol):
        direction, item = pol[pos], compiled.items[pos]
        if item.kind in ("risk", "safety") and direction != 1:
            effect = (
                "can stop holding"
                if direction == -1
                else "can change either way (its direction cannot be verified)"
            )
            reason = (
                f"{what} {effect} when {item.kind} item '{item.id}' is rated higher, so a "
                "higher rating could lower the outcome"
            )
        elif item.kind == "protective" and direction != -1:
            effect = (
                "can start holding"
                if direction == 1
                else "can change either way (its direction cannot be verified)"
            )
            reason = (
                f"{what} {effect} when protective item '{item.id}' is rated higher, so a "
                "stronger protective factor could raise the outcome"
            )
        else:
            continue
        problems.append(Problem(pointer, "instrument.not-monotone", reason))
    return problems
