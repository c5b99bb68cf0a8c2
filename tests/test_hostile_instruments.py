"""Untrusted instruments that pass validation must not exhaust CPU, memory or the stack.

Case systems load instruments from shared repositories. The shapes here (long chains of
flags, indices and applicability, thousands of items) once cost memory quadratic and time
cubic in their size, or a ``RecursionError``; now the size limits of ``Limits`` refuse them
with a clear error, and under raised limits they are checked in about linear time. Time
and memory are measured in ``benchmarks/bench.py``; these tests check behaviour only, at
sizes that blew up before. The new graph code is compared with simple reference
implementations on small random graphs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import Any

import hostile_instruments as hostile
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kwg_check
from kwg_check import DEFAULT_LIMITS, DocumentError, Limits
from kwg_check._engine import _graphs, _range
from kwg_check._engine._evaluate import CONTEXT, decide, evaluate
from kwg_check._engine._range import clarify_first
from kwg_check._engine._score import _Scoring
from kwg_check._engine._semantics import band_table
from kwg_check._model.instrument import Index
from kwg_check._views._describe import _whole_valued

ROOMY = Limits(max_chain_depth=100_000, max_flags=100_000, max_indices=100_000)
"""Limits far above the generated sizes: the algorithms themselves must cope."""


def parsed(doc: dict[str, Any]) -> kwg_check.Instrument:
    return kwg_check.parse_instrument(doc)


def only_problem(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> kwg_check.Problem:
    problems = kwg_check.instrument_problems(parsed(doc), limits=limits)
    assert len(problems) == 1, problems
    return problems[0]


# --- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "pointer"),
    [
        (hostile.flag_chain(300), "/flags/256"),
        (hostile.index_chain(300), "/indices/256"),
        (hostile.applies_chain(300), "/items/256"),
    ],
    ids=["flags", "indices", "applies_when"],
)
def test_a_chain_past_the_depth_limit_is_refused_with_a_clear_error(
    doc: dict[str, Any], pointer: str
) -> None:
    problem = only_problem(doc)
    assert problem.code == "compile.chain-too-deep"
    assert problem.pointer == pointer
    assert "257 elements" in problem.reason
    assert str(DEFAULT_LIMITS.max_chain_depth) in problem.reason
    with pytest.raises(DocumentError) as caught:
        kwg_check.compile_instrument(parsed(doc))
    assert [p.code for p in caught.value.problems] == ["compile.chain-too-deep"]


def test_a_chain_at_the_depth_limit_compiles() -> None:
    kwg_check.compile_instrument(parsed(hostile.flag_chain(DEFAULT_LIMITS.max_chain_depth)))


@pytest.mark.parametrize(
    ("limits", "code", "pointer"),
    [
        (Limits(max_items=20), "compile.too-many-items", "/items/20"),
        (Limits(max_indices=1), "compile.too-many-indices", "/indices/1"),
        (Limits(max_flags=1), "compile.too-many-flags", "/flags/1"),
        (Limits(max_rules=1), "compile.too-many-rules", "/decision_table/1"),
    ],
)
def test_an_instrument_over_a_size_limit_gets_only_that_problem(
    limits: Limits, code: str, pointer: str
) -> None:
    doc = hostile.wide(40, group=10)
    doc["items"].append(doc["items"][0])  # a duplicate id: not reported past the limit
    problem = only_problem(doc, limits)
    assert (problem.code, problem.pointer) == (code, pointer)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_items"):
        Limits(max_items=0)


# --- chains that cost quadratic memory, cubic time or the stack before -----------------------


def test_a_long_flag_chain_compiles_in_dependency_order() -> None:
    """16 GB of reach sets at 16,000 flags before; here 4,000 flags."""
    compiled = kwg_check.compile_instrument(parsed(hostile.flag_chain(4_000)), limits=ROOMY)
    assert compiled.flag_order == tuple(range(4_000))


def test_a_long_index_chain_scores_and_clarifies_like_a_full_evaluation() -> None:
    """Cubic time in the chain's depth before (2,000 deep: 18 s per score)."""
    doc = hostile.index_chain(1_500)
    compiled = kwg_check.compile_instrument(parsed(doc), limits=ROOMY)
    assert compiled.index_order == tuple(range(1_500))
    summary = kwg_check.score_assessment(
        kwg_check.parse_assessment(hostile.assessment(doc, 500)), compiled
    )
    assert summary.outcome.computed == "low"
    assert summary.unknowns is not None
    assert summary.unknowns.clarify_first == ["i0", "i500", "i1000"]
    # A chain of sums over disjoint items is separable: its ranges are read off the bound
    # in one pass (searched, they stopped at the work budget; unbounded, took minutes).
    assert summary.unknowns.indices is not None
    assert {r.method for r in summary.unknowns.indices} == {"closed_form"}
    for r, index in zip(summary.unknowns.indices, summary.indices, strict=True):
        assert r.lowest is not None
        assert r.highest is not None
        assert index.value is not None
        assert r.lowest <= index.value <= r.highest


def test_the_applicability_chain_is_clarified_like_a_full_evaluation() -> None:
    """Clarify-first re-evaluates only an answer's reach, here through the applicability of
    the items after it: the same items as trying every answer with a full evaluation."""
    doc = hostile.applies_chain(400)
    compiled = kwg_check.compile_instrument(parsed(doc), limits=ROOMY)
    answers = hostile.assessment(doc, 0)["answers"]
    for k in range(0, 400, 7):
        answers[f"i{k}"] = {"level": "yes" if k % 2 else "unknown"}
    assessment = kwg_check.parse_assessment({**hostile.assessment(doc), "answers": answers})
    with localcontext(CONTEXT):
        scoring = _Scoring(compiled, assessment)
        unknown = [pos for pos in range(400) if scoring.s.status[pos] == "unknown"]
        assert unknown
        current = decide(compiled, scoring.s, apply_table=True).computed
        fast = clarify_first(compiled, scoring.s, scoring.raw, unknown, current)
        expected = []
        for pos in unknown:
            outcomes = set()
            for answer in compiled.items[pos].completions or ():
                trial = list(scoring.raw)
                trial[pos] = answer
                outcomes.add(
                    decide(compiled, evaluate(compiled, (60, None, None), trial), True).computed
                )
            if outcomes - {current}:
                expected.append(compiled.items[pos].id)
    assert fast == expected


def test_describing_a_chain_of_three_thousand_indices_needs_no_recursion() -> None:
    """``describe`` raised ``RecursionError`` from about 1,000 deep."""
    text = kwg_check.describe_instrument(parsed(hostile.index_chain(3_000)), lang="en")
    assert "`x2999`" in text
    assert "| up to 0 |" in text  # whole-valued bands, judged down the whole chain


def test_a_questionnaire_of_many_items_keeps_every_item_in_its_domain() -> None:
    questionnaire = kwg_check.instrument_to_questionnaire(parsed(hostile.wide(300)))
    groups = questionnaire["item"]
    assert isinstance(groups, list)
    link_ids = [
        question["linkId"]
        for group in groups
        if isinstance(group, dict) and isinstance(group.get("item"), list)
        for question in group["item"]  # type: ignore[union-attr]
        if isinstance(question, dict)
    ]
    assert [f"i{k}" for k in range(300)] == [i for i in link_ids if str(i).startswith("i")]


# --- the graph code agrees with simple references --------------------------------------------

graphs = st.integers(0, 9).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, n - 1), max_size=3) if n else st.nothing(),
        min_size=n,
        max_size=n,
    )
)


def _reference_reach(node: int, edges: Sequence[Sequence[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(edges[node])
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges[current])
    return seen


def _reference_cycles(edges: Sequence[Sequence[int]]) -> list[list[int]]:
    """The former per-node reach sets: quadratic, but obviously right."""
    reach = [_reference_reach(node, edges) for node in range(len(edges))]
    found, reported = [], set()
    for node in range(len(edges)):
        if node in reported or node not in reach[node]:
            continue
        members = sorted(other for other in reach[node] if node in reach[other])
        reported |= set(members)
        found.append(members)
    return found


def _reference_order(edges: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """The former quadratic scan: the first node (by position) whose inputs are placed."""
    done: set[int] = set()
    order: list[int] = []
    while len(order) < len(edges):
        node = next(p for p in range(len(edges)) if p not in done and set(edges[p]) <= done)
        done.add(node)
        order.append(node)
    return tuple(order)


def _reference_depth(node: int, edges: Sequence[Sequence[int]]) -> int:
    return 1 + max((_reference_depth(target, edges) for target in edges[node]), default=0)


@given(graphs)
def test_cycles_are_the_strongly_connected_components_with_a_cycle(
    edges: list[list[int]],
) -> None:
    assert _graphs.cycles(edges) == _reference_cycles(edges)


@given(graphs)
def test_the_order_and_the_depths_of_an_acyclic_graph_agree_with_the_references(
    edges: list[list[int]],
) -> None:
    acyclic = [[t for t in targets if t < node] for node, targets in enumerate(edges)]
    acyclic = acyclic[::-1]  # positions no longer follow the dependencies
    acyclic = [[len(edges) - 1 - t for t in targets] for targets in acyclic]
    order = _graphs.topological_order(acyclic)
    assert order == _reference_order(acyclic)
    depths = _graphs.chain_depths(acyclic, order)
    assert depths == [_reference_depth(node, acyclic) for node in range(len(acyclic))]


@given(graphs, st.data())
def test_readers_and_reach_reverse_and_follow_the_edges(
    edges: list[list[int]], data: st.DataObject
) -> None:
    readers = _graphs.readers(edges, len(edges))
    assert sorted((t, n) for t, ns in enumerate(readers) for n in ns) == sorted(
        {(t, n) for n, targets in enumerate(edges) for t in targets}
    )
    if edges:
        start = data.draw(st.integers(0, len(edges) - 1))
        assert _graphs.reach([start], edges) == {start} | _reference_reach(start, edges)


AGGREGATIONS = ("sum", "weighted_sum", "max", "max_band", "count_at_least", "mean")


@st.composite
def index_graphs(draw: st.DrawFn) -> kwg_check.Instrument:
    """An instrument (not necessarily valid) whose indices read each other at random:
    chains, diamonds, cycles and unknown ids, with whole and fractional points."""
    count = draw(st.integers(1, 7))
    doc = hostile.wide(2, group=2)
    doc["scales"].append(
        {
            "id": "half",
            "label": {"de": "H", "en": "H"},
            "levels": [{"id": "h", "label": {"de": "H", "en": "H"}, "points": "0.5"}],
        }
    )
    doc["items"].append({**doc["items"][0], "id": "frac", "scale": "half"})
    indices = []
    for k in range(count):
        aggregation = draw(st.sampled_from(AGGREGATIONS))
        index: dict[str, Any] = {"id": f"n{k}", "label": {"de": "N", "en": "N"}}
        index["aggregation"] = aggregation
        index["indices"] = [f"n{t}" for t in draw(st.lists(st.integers(0, count), max_size=3))]
        index["items"] = draw(st.lists(st.sampled_from(["i0", "frac", "nope"]), max_size=2))
        if aggregation == "mean":
            index["rounding"] = {"places": draw(st.integers(0, 1)), "mode": "half_up"}
        if draw(st.booleans()):
            index["bands"] = [{"id": "b0", "label": {"de": "B", "en": "B"}}]
        indices.append(index)
    doc["indices"] = indices
    return kwg_check.parse_instrument(doc)


def _reference_whole(instrument: kwg_check.Instrument, index: Index, seen: frozenset[str]) -> bool:
    """The former recursive judgement of ``describe`` (with a recursion per input)."""
    if index.aggregation in ("count_at_least", "max_band"):
        return True
    if index.aggregation == "mean":
        return index.rounding is not None and index.rounding.places == 0
    if index.id in seen:
        return False
    items = {item.id: item for item in instrument.items}
    scales = {scale.id: scale for scale in instrument.scales}
    indices = {other.id: other for other in instrument.indices}
    for item_id in index.items:
        item = items.get(item_id)
        scale = scales.get(item.scale) if item is not None else None
        if item is None or scale is None:
            return False
        points: list[Decimal] = [level.points or Decimal(0) for level in scale.levels]
        if index.aggregation == "weighted_sum":
            points.append(item.weight)
        if any(value != value.to_integral_value() for value in points):
            return False
    for index_id in index.indices:
        other = indices.get(index_id)
        if other is None or not _reference_whole(instrument, other, seen | {index.id}):
            return False
    return True


def _reference_band_ids(index: Index, indices: dict[str, Index]) -> tuple[str, ...] | None:
    seen: set[str] = set()
    current: Index | None = index
    while current is not None and current.id not in seen:
        if current.bands:
            return tuple(band.id for band in current.bands)
        if current.aggregation != "max_band" or not current.indices:
            return None
        seen.add(current.id)
        current = indices.get(current.indices[0])
    return None


@given(index_graphs())
def test_whole_values_and_band_ids_agree_with_the_recursive_references(
    instrument: kwg_check.Instrument,
) -> None:
    whole = _whole_valued(instrument)
    bands = band_table(instrument.indices)
    indices = {index.id: index for index in instrument.indices}
    for index in instrument.indices:
        acyclic = not any(index.id in members for members in _index_cycles(instrument))
        if acyclic:  # on a cycle the answer depends on where the recursion entered it
            assert whole[index.id] == _reference_whole(instrument, index, frozenset()), index.id
        assert bands[index.id] == _reference_band_ids(index, indices), index.id


def _index_cycles(instrument: kwg_check.Instrument) -> list[set[str]]:
    ids = [index.id for index in instrument.indices]
    edges = [[ids.index(t) for t in index.indices if t in ids] for index in instrument.indices]
    return [{ids[m] for m in members} for members in _reference_cycles(edges)]


def test_the_references_see_the_shapes_the_tests_need() -> None:
    """Guards the property tests above: the strategies produce cycles and long orders."""
    cyclic = [[1], [2], [0], [3]]
    assert _reference_cycles(cyclic) == [[0, 1, 2], [3]]
    assert _graphs.cycles(cyclic) == [[0, 1, 2], [3]]
    chain = [[k - 1] if k else [] for k in range(5)][::-1]
    chain = [[4 - t for t in targets] for targets in chain]
    assert _graphs.topological_order(chain) == (4, 3, 2, 1, 0)
    assert list(itertools.accumulate([1] * 3)) == [1, 2, 3]


def test_searched_ranges_of_a_long_index_chain_stop_at_the_work_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Searched (as if its sums were not separable), each evaluation runs down the chain:
    the searches stop at the total work budget and keep the sound abstract bound (unbounded,
    they took minutes on a 1,500-deep chain; here 300 deep against a budget of a tenth)."""
    monkeypatch.setattr(_range, "separable", lambda c: (None,) * len(c.indices))
    monkeypatch.setattr(_range, "WORK_BUDGET", _range.WORK_BUDGET // 10)
    doc = hostile.index_chain(300)
    compiled = kwg_check.compile_instrument(parsed(doc), limits=ROOMY)
    summary = kwg_check.score_assessment(
        kwg_check.parse_assessment(hostile.assessment(doc, 100)), compiled
    )
    assert summary.unknowns is not None
    assert summary.unknowns.indices is not None
    assert "conservative" in {r.method for r in summary.unknowns.indices}
