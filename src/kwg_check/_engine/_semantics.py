"""Semantic checks of an instrument that JSON Schema cannot express (phase one).

Every problem is collected, each with a stable code and a JSON pointer into the instrument
document. Ids may be named in reasons (they are pattern-restricted identifiers); labels and
other free text never are. When an id is defined twice, the first definition is the one
references resolve to.

Phase two (monotonicity, exactness bounds) needs resolved references and runs in
``_compile`` only when this phase found nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Sized
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kwg_check._errors import Problem, pointer_from_path
from kwg_check._io import DEFAULT_LIMITS, Limits
from kwg_check._model._types import localized_texts
from kwg_check._model.conditions import Condition as ConditionModel
from kwg_check._model.instrument import Index, Instrument, Item, Scale

from ._conditions import IndexName, ItemName, Names, condition_problems, referenced
from ._graphs import chain_depths, cycles, topological_order

__all__ = [
    "band_table",
    "dependency_orders",
    "names_of",
    "structural_problems",
]

Path = tuple[str | int, ...]


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, code: str, reason: str) -> None:
        self.problems.append(Problem(pointer_from_path(path), code, reason))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)


def _first_by_id(elements: Sequence[Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for element in elements:
        result.setdefault(element.id, element)
    return result


def band_table(indices: Sequence[Index]) -> dict[str, tuple[str, ...] | None]:
    """Band ids of every index (by id, first definition): its own bands, or for max_band
    those of its first input; ``None`` when it has none (or the first inputs lead into a
    cycle or an unknown id). Every index is visited once, however long the chains."""
    by_id = _first_by_id(indices)
    table: dict[str, tuple[str, ...] | None] = {}
    for start in by_id:
        path: dict[str, None] = {}
        current: Index | None = by_id[start]
        found: tuple[str, ...] | None = None
        while current is not None and current.id not in path:
            if current.id in table:
                found = table[current.id]
                break
            path[current.id] = None
            if current.bands:
                found = tuple(band.id for band in current.bands)
                break
            if current.aggregation != "max_band" or not current.indices:
                break
            current = by_id.get(current.indices[0])
        table.update(dict.fromkeys(path, found))
    return table


def names_of(instrument: Instrument) -> Names:
    """Resolution tables for conditions (first definition of an id wins)."""
    scales = _first_by_id(instrument.scales)
    bands = band_table(instrument.indices)
    items: dict[str, ItemName] = {}
    for pos, item in enumerate(instrument.items):
        scale = scales.get(item.scale)
        ranks: dict[str, int] | None = None
        if scale is not None:
            ranks = {}
            for rank, level in enumerate(scale.levels):
                ranks.setdefault(level.id, rank)
        items.setdefault(item.id, ItemName(pos, item.kind, ranks))
    index_names: dict[str, IndexName] = {}
    for pos, index in enumerate(instrument.indices):
        index_names.setdefault(index.id, IndexName(pos, bands[index.id]))
    flags: dict[str, int] = {}
    for pos, flag in enumerate(instrument.flags):
        flags.setdefault(flag.id, pos)
    return Names(MappingProxyType(items), MappingProxyType(index_names), MappingProxyType(flags))


def structural_problems(instrument: Instrument, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """All phase-one problems: size, ids, references, cycles and the rules of each element.

    An instrument with more elements than ``limits`` allow gets only those problems: the
    rest of the checks are not worth running on it.
    """
    out = _Collector()
    _check_sizes(instrument, limits, out)
    if out.problems:
        return out.problems
    _check_duplicates(instrument, out)
    _check_languages(instrument, out)
    names = names_of(instrument)
    outcomes = {outcome.id for outcome in instrument.outcomes}
    _check_scales(instrument, out)
    _check_items(instrument, names, out)
    _check_indices(instrument, out)
    for i, flag in enumerate(instrument.flags):
        out.extend(condition_problems(flag.when, f"/flags/{i}/when", names, "full"))
        _check_outcome(flag.minimum_outcome, ("flags", i, "minimum_outcome"), outcomes, out)
    _check_method(instrument, names, outcomes, out)
    for i, override in enumerate(instrument.policy_overrides):
        out.extend(condition_problems(override.when, f"/policy_overrides/{i}/when", names, "full"))
        _check_outcome(
            override.minimum_outcome, ("policy_overrides", i, "minimum_outcome"), outcomes, out
        )
    for i, check in enumerate(instrument.process_checks):
        if check.applies_when is not None:
            pointer = f"/process_checks/{i}/applies_when"
            out.extend(condition_problems(check.applies_when, pointer, names, "full"))
        if check.requirement.check == "concerns_answered":
            path = ("process_checks", i, "requirement", "from_outcome")
            _check_outcome(check.requirement.from_outcome, path, outcomes, out)
    minimum = instrument.minimum_completeness
    if minimum is not None and not Decimal(0) <= minimum <= Decimal(1):
        out.add(
            ("minimum_completeness",),
            "instrument.completeness",
            "minimum_completeness must lie between 0 and 1",
        )
    _check_graphs(instrument, limits, out)
    return out.problems


def _check_languages(instrument: Instrument, out: _Collector) -> None:
    """Each language declared once, and every text in the default language (the first).

    JSON Schema cannot say "the key named by ``languages[0]``", so the published schema
    only asks each text for at least one language and this check does the rest."""
    languages = instrument.languages
    for i, tag in enumerate(languages):
        if tag in languages[:i]:
            out.add(("languages", i), "instrument.languages", f"'{tag}' is declared twice")
    default = languages[0]
    for path, text in localized_texts(instrument):
        if text.get(default) is None:
            out.add(
                path,
                "text.default-language",
                f"the text lacks the instrument's default language '{default}'",
            )


_RULES = "compile.too-many-rules"


def _check_sizes(instrument: Instrument, limits: Limits, out: _Collector) -> None:
    sections: tuple[tuple[str, Sized, int, str], ...] = (
        ("items", instrument.items, limits.max_items, "compile.too-many-items"),
        ("indices", instrument.indices, limits.max_indices, "compile.too-many-indices"),
        ("flags", instrument.flags, limits.max_flags, "compile.too-many-flags"),
        ("decision_table", instrument.decision_table or (), limits.max_rules, _RULES),
        ("policy_overrides", instrument.policy_overrides, limits.max_rules, _RULES),
        ("process_checks", instrument.process_checks, limits.max_rules, _RULES),
    )
    for section, elements, limit, code in sections:
        if len(elements) > limit:
            out.add(
                (section, limit),
                code,
                f"{section} has {len(elements)} entries, more than the limit of {limit}",
            )


def _check_outcome(outcome: str | None, path: Path, outcomes: set[str], out: _Collector) -> None:
    if outcome is not None and outcome not in outcomes:
        out.add(path, "ref.unknown-outcome", f"no outcome has the id '{outcome}'")


def _duplicates(elements: Sequence[Any], path: Path, what: str, out: _Collector) -> None:
    seen: set[str] = set()
    for i, element in enumerate(elements):
        if element.id in seen:
            out.add(
                (*path, i, "id"),
                "ref.duplicate-id",
                f"the {what} id '{element.id}' is defined more than once",
            )
        seen.add(element.id)


def _check_duplicates(instrument: Instrument, out: _Collector) -> None:
    _duplicates(instrument.scales, ("scales",), "scale", out)
    for i, scale in enumerate(instrument.scales):
        _duplicates(scale.levels, ("scales", i, "levels"), "level", out)
    _duplicates(instrument.domains, ("domains",), "domain", out)
    _duplicates(instrument.items, ("items",), "item", out)
    _duplicates(instrument.indices, ("indices",), "index", out)
    for i, index in enumerate(instrument.indices):
        _duplicates(index.bands or [], ("indices", i, "bands"), "band", out)
    _duplicates(instrument.flags, ("flags",), "flag", out)
    _duplicates(instrument.outcomes, ("outcomes",), "outcome", out)
    _duplicates(instrument.decision_table or [], ("decision_table",), "rule", out)
    _duplicates(instrument.policy_overrides, ("policy_overrides",), "policy override", out)
    _duplicates(instrument.process_checks, ("process_checks",), "process check", out)


def _check_scales(instrument: Instrument, out: _Collector) -> None:
    for i, scale in enumerate(instrument.scales):
        if scale.unknown is not None and any(lv.id == scale.unknown.id for lv in scale.levels):
            out.add(
                ("scales", i, "unknown", "id"),
                "scale.unknown-id",
                f"the unknown marker '{scale.unknown.id}' is also a level of scale '{scale.id}'",
            )


def _check_items(instrument: Instrument, names: Names, out: _Collector) -> None:
    domains = {domain.id for domain in instrument.domains}
    scales = _first_by_id(instrument.scales)
    for i, item in enumerate(instrument.items):
        here: Path = ("items", i)
        if item.domain not in domains:
            out.add(
                (*here, "domain"), "ref.unknown-domain", f"no domain has the id '{item.domain}'"
            )
        scale = scales.get(item.scale)
        if scale is None:
            out.add((*here, "scale"), "ref.unknown-scale", f"no scale has the id '{item.scale}'")
        if item.weight < 0:
            out.add((*here, "weight"), "item.weight", "an item's weight must not be negative")
        if item.response == "multiple" and item.per_caregiver:
            out.add(
                here,
                "item.response",
                "an item is either rated per caregiver or answered with several levels, not both",
            )
        for key in ("evidence_required_from", "concerning_from"):
            level = getattr(item, key)
            if (
                scale is not None
                and level is not None
                and all(lv.id != level for lv in scale.levels)
            ):
                out.add(
                    (*here, key),
                    "ref.unknown-level",
                    f"'{level}' is not a level of scale '{scale.id}'",
                )
        if item.applies_when is not None:
            out.extend(
                condition_problems(
                    item.applies_when, f"/items/{i}/applies_when", names, "applicability"
                )
            )


def _check_indices(instrument: Instrument, out: _Collector) -> None:
    items = _first_by_id(instrument.items)
    indices = _first_by_id(instrument.indices)
    scales = _first_by_id(instrument.scales)
    bands = band_table(instrument.indices)
    for i, index in enumerate(instrument.indices):
        here: Path = ("indices", i)
        if not index.items and not index.indices:
            out.add(here, "index.empty", "an index needs at least one input item or index")
        for j, item_id in enumerate(index.items):
            item = items.get(item_id)
            if item is None:
                out.add((*here, "items", j), "ref.unknown-item", f"no item has the id '{item_id}'")
            elif item.kind == "context":
                out.add(
                    (*here, "items", j),
                    "index.context-item",
                    f"item '{item_id}' is a context item; context items are never scored",
                )
        for j, index_id in enumerate(index.indices):
            if index_id not in indices:
                out.add(
                    (*here, "indices", j), "ref.unknown-index", f"no index has the id '{index_id}'"
                )
        if index.aggregation == "mean" and index.rounding is None:
            out.add(
                here,
                "index.rounding-required",
                "a mean needs rounding (places and mode), so every implementation agrees",
            )
        if index.aggregation == "count_at_least":
            _check_count(index, here, items, scales, out)
        if index.aggregation == "max_band":
            _check_max_band(index, here, indices, bands, out)
        elif index.bands is not None:
            _check_bands(index, here, out)


def _check_count(
    index: Index,
    here: Path,
    items: Mapping[str, Item],
    scales: Mapping[str, Scale],
    out: _Collector,
) -> None:
    if index.at_least is None:
        out.add(here, "index.count-scale", "count_at_least needs at_least, the level to count from")
    if index.indices:
        out.add((*here, "indices"), "index.count-scale", "count_at_least counts items only")
    scale_ids = list(dict.fromkeys(items[i].scale for i in index.items if i in items))
    if len(scale_ids) > 1:
        out.add(
            (*here, "items"), "index.count-scale", "count_at_least needs all its items on one scale"
        )
    elif scale_ids and index.at_least is not None and scale_ids[0] in scales:
        scale = scales[scale_ids[0]]
        if all(level.id != index.at_least for level in scale.levels):
            out.add(
                (*here, "at_least"),
                "ref.unknown-level",
                f"'{index.at_least}' is not a level of scale '{scale.id}'",
            )


def _check_max_band(
    index: Index,
    here: Path,
    indices: Mapping[str, Index],
    bands: Mapping[str, tuple[str, ...] | None],
    out: _Collector,
) -> None:
    if not index.indices:
        out.add(here, "index.max-band", "max_band needs at least one input index")
    if index.items:
        out.add(
            (*here, "items"), "index.max-band", "max_band reads the bands of indices, not items"
        )
    common: tuple[str, ...] | None = None
    for j, index_id in enumerate(index.indices):
        source = indices.get(index_id)
        if source is None or source.id == index.id:
            continue  # reported as an unknown reference or a cycle
        ids = bands[source.id]
        if ids is None:
            out.add(
                (*here, "indices", j), "index.max-band", f"input index '{index_id}' has no bands"
            )
        elif common is None:
            common = ids
        elif ids != common:
            out.add(
                (*here, "indices", j),
                "index.max-band",
                f"input index '{index_id}' has other band ids (or another order) than the "
                "first input",
            )
    if index.bands is not None:
        own = tuple(band.id for band in index.bands)
        if common is not None and own != common:
            out.add(
                (*here, "bands"),
                "index.max-band",
                "the bands of a max_band index must list the inputs' band ids in their order",
            )
        for k, band in enumerate(index.bands):
            if band.at_least is not None:
                out.add(
                    (*here, "bands", k, "at_least"),
                    "index.max-band",
                    "the bands of a max_band index have no cut-offs",
                )


def _check_bands(index: Index, here: Path, out: _Collector) -> None:
    bands = index.bands or []
    if not bands:
        out.add((*here, "bands"), "index.bands", "bands, when given, list at least one band")
    previous: Decimal | None = None
    for k, band in enumerate(bands):
        if k == 0:
            if band.at_least is not None:
                out.add(
                    (*here, "bands", 0, "at_least"),
                    "index.bands",
                    "the first band has no cut-off: it takes every value below the second",
                )
            continue
        if band.at_least is None:
            out.add(
                (*here, "bands", k),
                "index.bands",
                "every band after the first needs an at_least cut-off",
            )
            continue
        if previous is not None and band.at_least <= previous:
            out.add(
                (*here, "bands", k, "at_least"),
                "index.bands",
                "band cut-offs must strictly increase",
            )
        previous = band.at_least


def _check_method(
    instrument: Instrument, names: Names, outcomes: set[str], out: _Collector
) -> None:
    table = instrument.decision_table
    if instrument.method == "professional_judgement":
        forbidden = (
            ("decision_table", table is not None),
            ("policy_overrides", bool(instrument.policy_overrides)),
            ("discretionary_override", instrument.discretionary_override is not None),
        )
        for key, present in forbidden:
            if present:
                out.add(
                    (key,),
                    "judgement.formula",
                    f"a professional-judgement instrument has no {key}: the final rating "
                    "is the professionals' own",
                )
        return
    if not table:
        out.add(
            ("decision_table",),
            "table.default-rule",
            "method decision_table needs a decision table ending in a default rule",
        )
        return
    last = len(table) - 1
    for i, rule in enumerate(table):
        if rule.when is None and i < last:
            out.add(
                ("decision_table", i),
                "table.default-rule",
                f"rule '{rule.id}' has no condition but is not the last rule; only the "
                "default rule, which comes last, has none",
            )
        if rule.when is not None:
            if i == last:
                out.add(
                    ("decision_table", i, "when"),
                    "table.default-rule",
                    f"the last rule '{rule.id}' must be the default rule, without a condition",
                )
            out.extend(condition_problems(rule.when, f"/decision_table/{i}/when", names, "full"))
        _check_outcome(rule.outcome, ("decision_table", i, "outcome"), outcomes, out)


# ------------------------------------------------------------------------------------------
# Dependency graphs
# ------------------------------------------------------------------------------------------


def _condition_targets(cond: ConditionModel | None, kind: str) -> list[str]:
    if cond is None:
        return []
    return [ref_id for ref_kind, ref_id in referenced(cond) if ref_kind == kind]


def _graphs(instrument: Instrument) -> list[tuple[str, list[str], list[list[str]]]]:
    """(section, ids, edges) of the three graphs that must be acyclic."""
    return [
        (
            "indices",
            [ix.id for ix in instrument.indices],
            [list(ix.indices) for ix in instrument.indices],
        ),
        (
            "flags",
            [f.id for f in instrument.flags],
            [_condition_targets(f.when, "flag") for f in instrument.flags],
        ),
        (
            "items",
            [it.id for it in instrument.items],
            [_condition_targets(it.applies_when, "item") for it in instrument.items],
        ),
    ]


def _resolve_edges(ids: Sequence[str], edges: Sequence[Sequence[str]]) -> list[list[int]]:
    first: dict[str, int] = {}
    for pos, node in enumerate(ids):
        first.setdefault(node, pos)
    return [[first[target] for target in targets if target in first] for targets in edges]


_WHAT = {"indices": "index", "flags": "flag", "items": "item"}
_READS = {"indices": "its input indices", "flags": "its condition", "items": "applies_when"}


def _check_graphs(instrument: Instrument, limits: Limits, out: _Collector) -> None:
    """Cycles, then (in an acyclic graph) chains longer than ``limits.max_chain_depth``."""
    for section, ids, raw_edges in _graphs(instrument):
        edges = _resolve_edges(ids, raw_edges)
        found = cycles(edges)
        for members in found:
            out.add(
                (section, members[0]),
                "ref.cycle",
                f"{_WHAT[section]} '{ids[members[0]]}' depends on itself through "
                f"{_READS[section]} ({len(members)} element(s) in the cycle)",
            )
        if found:
            continue
        depths = chain_depths(edges, topological_order(edges))
        deep = next(
            (pos for pos, depth in enumerate(depths) if depth > limits.max_chain_depth), None
        )
        if deep is not None:
            out.add(
                (section, deep),
                "compile.chain-too-deep",
                f"{_WHAT[section]} '{ids[deep]}' starts a chain of {depths[deep]} elements through "
                f"{_READS[section]}, more than the limit of {limits.max_chain_depth}",
            )


def dependency_orders(instrument: Instrument) -> dict[str, tuple[int, ...]]:
    """Evaluation orders of indices, flags and items (by applicability): dependencies
    first, otherwise instrument order (the graphs are known to be acyclic)."""
    return {
        section: topological_order(_resolve_edges(ids, edges))
        for section, ids, edges in _graphs(instrument)
    }
