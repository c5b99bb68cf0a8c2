"""The trace proves the summary: every index value, band, flag, the completeness ratio and
the final outcome are recomputed here from the trace steps alone (plus the instrument's
definitions of aggregations, cut-offs and outcome order), and every number in the summary
is the result of exactly one step.

The recomputation is deliberately independent of the engine: means are divided with a wide
decimal context and quantized, not rounded with integers.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kwg_check
from engine_support import assessment, compiled
from kwg_check._engine import score
from kwg_check._model import Assessment, Index, Instrument, Summary, TraceStep
from kwg_check._model._types import format_decimal
from kwg_check._vocabulary import render_message
from strategies import examples

ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}
WIDE = decimal.Context(prec=60)


def band_ids(instrument: Instrument, index: Index) -> list[str]:
    if index.bands:
        return [band.id for band in index.bands]
    first = next(i for i in instrument.indices if i.id == index.indices[0])
    return band_ids(instrument, first)


def recompute_index(instrument: Instrument, index: Index, step: TraceStep) -> Decimal | None:
    item_inputs = [i for i in step.inputs if i.weight is not None]
    index_values = [i.value for i in step.inputs if i.weight is None and i.value is not None]
    agg = index.aggregation
    if agg == "count_at_least":
        return Decimal(len(item_inputs))
    if agg == "max_band":
        ids = band_ids(instrument, index)
        ranks = [ids.index(i.band) for i in step.inputs if i.band is not None]
        return Decimal(max(ranks) + 1) if ranks else None
    terms: list[Decimal] = []
    for i in item_inputs:
        assert i.points is not None
        assert i.weight is not None
        terms.append(i.points * i.weight if agg == "weighted_sum" else i.points)
    terms.extend(index_values)
    if agg in ("sum", "weighted_sum"):
        return sum(terms, Decimal(0))
    if not terms:
        return None
    if agg == "mean":
        assert index.rounding is not None
        quotient = WIDE.divide(sum(terms, Decimal(0)), Decimal(len(terms)))
        quantum = Decimal(1).scaleb(-index.rounding.places)
        return quotient.quantize(quantum, rounding=ROUNDING[index.rounding.mode], context=WIDE)
    return max(terms) if agg == "max" else min(terms)


def recompute_band(instrument: Instrument, index: Index, value: Decimal | None) -> str | None:
    if value is None:
        return None
    if index.aggregation == "max_band":
        return band_ids(instrument, index)[int(value) - 1]
    assert index.bands is not None
    reached = [b.id for b in index.bands if b.at_least is None or b.at_least <= value]
    return reached[-1]


def steps_of(summary: Summary, kind: str, ident: str) -> list[TraceStep]:
    return [s for s in summary.trace if s.kind == kind and s.id == ident]


def the_step(summary: Summary, kind: str, ident: str) -> TraceStep:
    found = steps_of(summary, kind, ident)
    assert len(found) == 1, (kind, ident)
    return found[0]


def rebuild(instrument: Instrument, summary: Summary) -> None:
    """Recompute the summary from its trace and assert that everything agrees."""
    assert [s.step for s in summary.trace] == list(range(1, len(summary.trace) + 1))
    # Items: the points of each scored item are the result of its one item step.
    for item in summary.items:
        found = steps_of(summary, "item", item.id)
        if item.status in ("not_applicable",) or item.kind == "context":
            assert found == []
            assert item.points is None
            continue
        assert len(found) == 1
        expected = None if item.points is None else format_decimal(item.points)
        assert found[0].result == expected
    # Indices and bands.
    for result in summary.indices:
        index = next(i for i in instrument.indices if i.id == result.id)
        step = the_step(summary, "index", index.id)
        value = recompute_index(instrument, index, step)
        assert value == result.value
        assert step.result == (None if value is None else format_decimal(value))
        bands = steps_of(summary, "band", index.id)
        if index.bands or index.aggregation == "max_band":
            assert len(bands) == 1
            assert bands[0].inputs[0].value == value
            assert bands[0].result == recompute_band(instrument, index, value) == result.band
        else:
            assert bands == []
            assert result.band is None
    # Flags.
    for flag in summary.flags:
        assert the_step(summary, "flag", flag.id).result is flag.raised
    # Completeness.
    step = the_step(summary, "completeness", "completeness")
    counts = {i.ref: i.value for i in step.inputs}
    applicable, known = counts["applicable"], counts["known"]
    assert applicable is not None
    assert known is not None
    assert applicable == summary.completeness.applicable
    assert known == summary.completeness.known
    ratio = (known / applicable if applicable else Decimal(1)).quantize(
        Decimal("0.0001"), rounding=decimal.ROUND_HALF_UP, context=WIDE
    )
    assert step.result == format_decimal(ratio) == format_decimal(summary.completeness.ratio)
    # Outcome: follow rule, policy, floor and the professionals' steps.
    order = [o.id for o in instrument.outcomes]
    rules = [s for s in summary.trace if s.kind == "rule"]
    matched = [s.result for s in rules if s.result is not False]
    assert all(s.result is False for s in rules[:-1])
    raises = [s.result for s in summary.trace if s.kind in ("policy_override", "floor")]
    floors = [s.result for s in summary.trace if s.kind == "floor"]
    floor = floors[0] if floors else None
    computed = None
    if matched:
        candidates = [str(r) for r in matched + raises]
        computed = max(candidates, key=order.index)
    decided = [s.result for s in summary.trace if s.kind in ("override", "judgement")]
    if decided:
        final = decided[0]
    elif instrument.method == "professional_judgement":
        final = None
    else:
        final = computed if matched else floor
    outcome = the_step(summary, "outcome", "outcome")
    assert outcome.result == final == summary.outcome.final
    assert computed == summary.outcome.computed
    assert floor == summary.outcome.floor
    shown = {i.ref: i.outcome for i in outcome.inputs}
    assert shown.get("computed") == computed
    assert shown.get("floor") == floor
    # Process checks.
    for check in summary.process_checks:
        step = the_step(summary, "check", check.id)
        assert (step.result, step.explanation) == (check.result, check.reason)


EXAMPLES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "actuarial",
        {
            "n1": {"level": "two_plus"},
            "n5": {"level": "two_plus"},
            "n3": {"level": "yes"},
            "a3": {"level": "yes"},
            "a4": {"level": "yes"},
            "s1": {"level": "no"},
        },
        {},
    ),
    ("actuarial", {"s1": {"level": "yes"}, "n2": {"level": "unknown"}}, {}),
    (
        "actuarial",
        {"n1": {"level": "two_plus"}},
        {"override": {"outcome": "high", "author": "tl-1", "justification": "x"}},
    ),
    (
        "child_protection",
        {
            "ctx_setting": {"level": "kinship"},
            "care_nutrition": {"level": "marked"},
            "care_hygiene": {"caregivers": {"a": "mild", "b": "marked"}},
            "supervision_hazards": {"levels": ["traffic", "household"]},
            "coop_acceptance": {"level": "unknown"},
            "acute_injury": {"level": "unknown"},
            "acute_sexual": {"level": "absent"},
            "prot_caregiver": {"caregivers": {"a": "strong", "b": "partial"}},
            "prot_network": {"level": "weak"},
            "prot_kinship": {"level": "strong"},
        },
        {"participation": {"parents": {"involved": True}}},
    ),
    ("child_protection", {"acute_injury": {"level": "present"}}, {}),
    ("child_protection", {}, {"subject": {"case_id": "c", "age_months": 80}}),
    (
        "judgement",
        {"j_history": {"level": "high"}, "j_threat": {"level": "present"}},
        {"final_rating": {"outcome": "high", "author": "a", "justification": "x"}},
    ),
    ("judgement", {"j_history": {"level": "low"}}, {}),
    (
        "nested",
        {
            "v1": {"level": "q2"},
            "v2": {"level": "unknown"},
            "v3": {"levels": ["q1", "q2", "q3"]},
            "v4": {"level": "q1"},
        },
        {},
    ),
    ("nested", {"v1": {"level": "q3"}, "v3": {"levels": ["q3"]}}, {}),
    ("nested", {}, {}),
]


@pytest.mark.parametrize(("name", "given", "fields"), EXAMPLES)
def test_the_summary_is_rebuilt_from_its_trace(
    name: str, given: dict[str, Any], fields: dict[str, Any]
) -> None:
    c = compiled(name)
    rebuild(c.instrument, score(c, assessment(name, given, **fields)))


@st.composite
def random_assessment(draw: st.DrawFn, name: str) -> Assessment:
    c = compiled(name)
    given: dict[str, Any] = {}
    for item in c.items:
        scale = item.scale
        options = list(scale.levels) + ([scale.unknown_id] if scale.unknown_id else [])
        if draw(st.integers(0, 4)) == 0:
            continue  # missing
        if item.per_caregiver:
            ratings = draw(
                st.dictionaries(
                    st.sampled_from(["cg-a", "cg-b"]), st.sampled_from(options), min_size=1
                )
            )
            given[item.id] = {"caregivers": ratings}
        elif item.response == "multiple":
            chosen = draw(st.lists(st.sampled_from(scale.levels), min_size=1, unique=True))
            given[item.id] = {"levels": chosen}
        else:
            given[item.id] = {"level": draw(st.sampled_from(options))}
    age = draw(st.integers(0, 200))
    return assessment(name, given, subject={"case_id": "c-1", "age_months": age})


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(), name=st.sampled_from(["actuarial", "child_protection", "judgement", "nested"])
)
def test_every_generated_summary_is_rebuilt_from_its_trace(data: st.DataObject, name: str) -> None:
    c = compiled(name)
    rebuild(c.instrument, score(c, data.draw(random_assessment(name))))


def test_nested_indices_by_hand() -> None:
    c = compiled("nested")
    given = {
        "v1": {"level": "q2"},
        "v2": {"level": "unknown"},
        "v3": {"levels": ["q1", "q2", "q3"]},
        "v4": {"level": "q1"},
    }
    summary = score(c, assessment("nested", given))
    values = {i.id: (i.value, i.band) for i in summary.indices}
    assert values == {
        "a_sum": (Decimal("2.75"), "mid"),  # 1.5 + 0.5 (unknown scores 0.5) + (0.25 + 1.5 - 1)
        "b_weighted": (Decimal("2.5"), "mid"),  # 1.5 × 0.5 + 0.5 × 3 + 0.25 × 1
        "c_max": (Decimal("2.75"), None),  # max(0.25, 2.75, 2.5)
        "d_min": (Decimal("2.5"), None),  # min(2.75, 2.5)
        "e_mean": (Decimal("2.2"), None),  # (1.5 + 2.75 + 2.5) / 3 = 2.25 → half even: 2.2
        "f_outer": (Decimal("6.2"), None),  # 0.5 × 3 + 2.2 + 2.5 (indices weigh 1)
        "g_band": (Decimal(2), "mid"),  # both inputs are in their second band
        "h_band": (Decimal(2), "mid"),
        "k_count": (Decimal(2), None),  # v1 q2 and v3 (highest selected q3); v2 is unknown
    }
    assert summary.outcome.computed == "watch"
    rebuild(c.instrument, summary)


def test_explanations_and_summaries_hold_no_free_text() -> None:
    secret = "Streng vertraulich"
    c = compiled("child_protection")
    a = assessment(
        "child_protection",
        {
            "care_nutrition": {
                "level": "severe",
                "note": secret,
                "evidence": [{"observation": secret, "source": secret, "date": "2024-01-01"}],
            },
            "acute_injury": {"level": "present"},
        },
        override={"outcome": "endangerment", "author": "tl-1", "justification": secret},
        family_view={"statement": secret, "will": secret},
        participation={"parents": {"involved": False, "reason_if_not": secret}},
        resources=[{"category": "family", "label": secret, "available": True, "note": secret}],
        extensions={"note": secret},
    )
    summary = score(c, a)
    assert secret not in summary.model_dump_json()


def test_an_index_of_indices_says_it_sums_index_values_not_item_points() -> None:
    """``risk_total`` adds the values of six domain indices: its explanation must not read as
    if it added the points of six items (the trace is read by hand)."""

    for example in kwg_check.examples():
        summary = kwg_check.score_assessment(
            kwg_check.parse_assessment(kwg_check.example_data(example.name))
        )
        for step in summary.trace:
            params = step.explanation.params
            if step.kind != "index" or "item_count" not in params:
                continue  # no value, count_at_least and max_band name what they count
            items = sum(1 for i in step.inputs if i.points is not None)
            indices = sum(1 for i in step.inputs if i.weight is None and i.value is not None)
            assert (params["item_count"], params["index_count"]) == (items, indices), step
    grey = kwg_check.score_assessment(
        kwg_check.parse_assessment(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    )
    explained = {s.id: render_message(s.explanation, "en") for s in grey.trace if s.kind == "index"}
    # Issue 15: risk_total sums index values, not points; the sentence says so.
    assert explained["risk_total"] == (
        "sum of the items' points and the indices' values; counted items: 0, counted indices: 6"
    )
    assert explained["basic_care"] == (
        "sum of the items' points and the indices' values; counted items: 7, counted indices: 0"
    )
