"""The summary proves itself: every item's points, every index value and band, every flag,
the applicability of each item, the completeness ratio and the outcome (with the trace's
decision steps) are recomputed here from the summary and the instrument alone, with a small
evaluator of our own, for hand-written, generated and every bundled example. Summary format
v2 holds each result once (items, indices, flags, process checks) and traces only the
decisions, so this is what "every number is traceable" means for it.

The recomputation is deliberately independent of the engine: means are divided with a wide
decimal context and quantized, not rounded with integers; conditions are read from the
instrument's models, not compiled.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kwg_check
from engine_support import assessment, compiled
from kwg_check._engine import score
from kwg_check._model import Assessment, Index, Instrument, Summary
from kwg_check._model._types import format_decimal
from kwg_check._model.conditions import (
    AgeBand,
    All,
    AnswerAtLeast,
    AnswerIn,
    Any_,
    BandAtLeast,
    Condition,
    ContextIs,
    FlagRaised,
    IndexCompare,
    Not,
)
from strategies import examples

ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}
WIDE = decimal.Context(prec=60)
OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


def rounded(index: Index, value: Decimal) -> Decimal:
    """The value quantized as the index's rounding says (unchanged without one)."""
    if index.rounding is None:
        return value
    quantum = Decimal(1).scaleb(-index.rounding.places)
    return value.quantize(quantum, rounding=ROUNDING[index.rounding.mode], context=WIDE)


def band_ids(instrument: Instrument, index: Index) -> list[str]:
    if index.bands:
        return [band.id for band in index.bands]
    first = next(i for i in instrument.indices if i.id == index.indices[0])
    return band_ids(instrument, first)


class Rebuilt:
    """The summary's figures recomputed from its sections and the instrument."""

    def __init__(self, instrument: Instrument, summary: Summary) -> None:
        self.ins, self.summary = instrument, summary
        self.items = {item.id: item for item in instrument.items}
        self.scales = {scale.id: scale for scale in instrument.scales}
        self.indices = {index.id: index for index in instrument.indices}
        self.flags = {flag.id: flag for flag in instrument.flags}
        self.results = {result.id: result for result in summary.items}
        self.values: dict[str, Decimal | None] = {}
        self.raised: dict[str, bool] = {}

    def rank(self, item_id: str) -> int | None:
        """The counting level's rank; none for the unknown marker, missing or not applicable."""
        level = self.results[item_id].level
        levels = [lv.id for lv in self.scales[self.items[item_id].scale].levels]
        return levels.index(level) if level in levels else None

    def value(self, index_id: str) -> Decimal | None:
        if index_id not in self.values:
            self.values[index_id] = self.aggregate(self.indices[index_id])
        return self.values[index_id]

    def band(self, index_id: str) -> str | None:
        index, value = self.indices[index_id], self.value(index_id)
        if value is None:
            return None
        if index.aggregation == "max_band":
            return band_ids(self.ins, index)[int(value) - 1]
        if not index.bands:
            return None
        reached = [b.id for b in index.bands if b.at_least is None or b.at_least <= value]
        return reached[-1]

    def aggregate(self, index: Index) -> Decimal | None:
        agg = index.aggregation
        if agg in ("scaled", "rounded", "difference"):
            inputs = [self.value(j) for j in index.indices]
            if any(v is None for v in inputs):
                return None
            known = [v for v in inputs if v is not None]
            if agg == "difference":
                return known[0] - known[1]
            factor = index.factor if agg == "scaled" else Decimal(1)
            assert factor is not None
            return rounded(index, known[0] * factor)
        if agg in ("count_strengths", "count_concerns"):
            pole = "strength" if agg == "count_strengths" else "concern"
            poles = [self.pole(i) for i in index.items]
            return Decimal(poles.count(pole))
        if agg == "prorated_sum":
            applicable = [i for i in index.items if self.results[i].status != "not_applicable"]
            counted = [p for i in index.items if (p := self.results[i].points) is not None]
            assert index.minimum_answered is not None
            if not applicable or not counted:
                return None
            if len(counted) < index.minimum_answered * len(applicable):
                return None
            total = sum(counted, Decimal(0)) * len(applicable)
            return rounded(index, WIDE.divide(total, Decimal(len(counted))))
        if agg == "count_at_least":
            assert index.at_least is not None
            scale = self.scales[self.items[index.items[0]].scale]
            threshold = [lv.id for lv in scale.levels].index(index.at_least)
            ranks = [self.rank(i) for i in index.items]
            return Decimal(sum(1 for r in ranks if r is not None and r >= threshold))
        if agg == "max_band":
            ids = band_ids(self.ins, index)
            bands = [self.band(j) for j in index.indices]
            found = [ids.index(b) for b in bands if b is not None]
            return Decimal(max(found) + 1) if found else None
        terms: list[Decimal] = []
        for i in index.items:
            points = self.results[i].points
            if points is not None:
                weight = self.items[i].weight if agg == "weighted_sum" else Decimal(1)
                terms.append(points * weight)
        terms.extend(v for j in index.indices if (v := self.value(j)) is not None)
        if agg in ("sum", "weighted_sum"):
            return sum(terms, Decimal(0))
        if not terms:
            return None
        if agg == "mean":
            assert index.rounding is not None
            return rounded(index, WIDE.divide(sum(terms, Decimal(0)), Decimal(len(terms))))
        return max(terms) if agg == "max" else min(terms)

    def pole(self, item_id: str) -> str | None:
        """The pole of the item's counting level on a bipolar scale (none when unknown)."""
        rank = self.rank(item_id)
        levels = self.scales[self.items[item_id].scale].levels
        return None if rank is None else levels[rank].pole

    def holds(self, cond: Condition) -> bool:
        """The condition read against the summary (a small evaluator of the test's own)."""
        if isinstance(cond, All):
            return all(self.holds(part) for part in cond.all)
        if isinstance(cond, Any_):
            return any(self.holds(part) for part in cond.any)
        if isinstance(cond, Not):
            return not self.holds(cond.not_)
        if isinstance(cond, AnswerAtLeast):
            least = cond.answer_at_least
            scale = self.scales[self.items[least.item].scale]
            rank = self.rank(least.item)
            return rank is not None and rank >= [lv.id for lv in scale.levels].index(least.level)
        if isinstance(cond, AnswerIn | ContextIs):
            tested = cond.answer_in if isinstance(cond, AnswerIn) else cond.context
            rank = self.rank(tested.item)
            return rank is not None and self.results[tested.item].level in tested.levels
        if isinstance(cond, IndexCompare):
            value = self.value(cond.index.index)
            return value is not None and OPS[cond.index.op](value, cond.index.value)
        if isinstance(cond, BandAtLeast):
            band = self.band(cond.band.index)
            ids = band_ids(self.ins, self.indices[cond.band.index])
            return band is not None and ids.index(band) >= ids.index(cond.band.band)
        if isinstance(cond, FlagRaised):
            return self.flag(cond.flag)
        assert isinstance(cond, AgeBand)
        ages, ref = cond.age_months, self.summary.assessment
        children = [m.age_months for m in ref.members or () if m.role == "child"]
        age = {
            "subject": ref.age_months,
            "youngest_child": min(children, default=None),
            "oldest_child": max(children, default=None),
        }[ages.of]
        low, below = ages.from_months, ages.below_months
        return age is not None and (low is None or age >= low) and (below is None or age < below)

    def flag(self, flag_id: str) -> bool:
        if flag_id not in self.raised:
            self.raised[flag_id] = self.holds(self.flags[flag_id].when)
        return self.raised[flag_id]


def check_items(r: Rebuilt) -> None:
    """Status, points and weight of every item agree with the instrument."""
    assert list(r.results) == list(r.items)
    for result in r.summary.items:
        item = r.items[result.id]
        applies = item.applies_when is None or r.holds(item.applies_when)
        assert (result.status != "not_applicable") == applies, result.id
        if result.status in ("missing", "not_applicable") or item.kind == "context":
            assert result.points is None, result.id
        if result.points is None:
            assert result.weight is None
            continue
        assert result.weight == (None if item.weight == 1 else item.weight), result.id
        single = item.response == "single" or item.combine == "highest"
        if result.status == "answered" and single:
            scale = r.scales[item.scale]
            points = {lv.id: lv.points for lv in scale.levels}
            assert result.points == points[result.level or ""], result.id


def check_outcome(r: Rebuilt, sufficient: bool) -> None:
    """Rules, policies, floor, override: the outcome and the trace's decision steps."""
    ins, summary, out = r.ins, r.summary, r.summary.outcome
    order = [o.id for o in ins.outcomes]
    minimums = [f.minimum_outcome for f in ins.flags if f.minimum_outcome and r.flag(f.id)]
    floor = max(minimums, key=order.index) if minimums else None
    assert out.floor == floor
    steps = [(s.kind, s.id, s.result) for s in summary.trace]
    computed: str | None = None
    if ins.method == "decision_table" and sufficient:
        tried: list[tuple[str, str, str | bool]] = []
        for rule in ins.decision_table or []:
            if rule.when is None or r.holds(rule.when):
                tried.append(("rule", rule.id, rule.outcome))
                computed = rule.outcome
                break
            tried.append(("rule", rule.id, False))
        policies = [p for p in ins.policy_overrides if r.holds(p.when)]
        tried += [("policy_override", p.id, p.minimum_outcome) for p in policies]
        raised = [p.minimum_outcome for p in policies] + ([floor] if floor else [])
        assert computed is not None
        computed = max([computed, *raised], key=order.index)
        assert [s for s in steps if s[0] in ("rule", "policy_override")] == tried
    assert out.computed == computed
    if ins.method == "professional_judgement":
        assert out.status == "judgement"
        final = out.override.outcome if out.override else None
    elif not sufficient:
        assert out.status == "not_assessable"
        final = floor
    else:
        assert out.status == "computed"
        final = computed
        if out.override is not None:
            final = out.override.outcome
            assert computed is not None
            assert out.override.levels == order.index(final) - order.index(computed)
    assert out.final == final
    floors = [s for s in summary.trace if s.kind == "floor"]
    if floor is not None and floors:
        raised_flags = [f.id for f in ins.flags if f.minimum_outcome and r.flag(f.id)]
        assert (floors[0].result, floors[0].inputs) == (floor, raised_flags)
    assert steps[-1] == ("outcome", "outcome", final)
    if final is not None:
        chosen = next(o for o in ins.outcomes if o.id == final)
        assert out.traffic_light == chosen.traffic_light
        assert out.statistic_category == chosen.statistic_category


def rebuild(instrument: Instrument, summary: Summary) -> None:
    """Recompute the summary from its sections and the instrument; assert that all agrees."""
    r = Rebuilt(instrument, summary)
    check_items(r)
    for result in summary.indices:
        assert (r.value(result.id), r.band(result.id)) == (result.value, result.band), result.id
    for flag in summary.flags:
        assert r.flag(flag.id) is flag.raised, flag.id
    counted = [
        result.status
        for result in summary.items
        if result.status != "not_applicable" and r.items[result.id].kind != "context"
    ]
    done = summary.completeness
    applicable, known = len(counted), counted.count("answered")
    assert (done.applicable, done.known) == (applicable, known)
    ratio = (Decimal(known) / applicable if applicable else Decimal(1)).quantize(
        Decimal("0.0001"), rounding=decimal.ROUND_HALF_UP, context=WIDE
    )
    assert done.ratio == ratio
    minimum = instrument.minimum_completeness
    assert done.sufficient is (minimum is None or ratio >= minimum)
    step = next(s for s in summary.trace if s.kind == "completeness")
    assert step.result == format_decimal(ratio)
    check_outcome(r, done.sufficient)


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


@pytest.mark.parametrize("name", [example.name for example in kwg_check.examples()])
def test_every_bundled_summary_is_rebuilt_from_itself_and_its_instrument(name: str) -> None:
    assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
    compiled_instrument = kwg_check.resolve_instrument(assessment)
    rebuild(compiled_instrument.instrument, kwg_check.score_assessment(assessment))


@pytest.mark.parametrize(
    ("section", "member", "value"),
    [("items", "points", "7"), ("indices", "value", "99"), ("flags", "raised", True)],
)
def test_a_changed_number_is_caught_by_the_rebuild(section: str, member: str, value: Any) -> None:
    """The recomputation is not vacuous: one changed number in a section fails it."""
    data = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    parsed = kwg_check.parse_assessment(data)
    document = kwg_check.dump_document(kwg_check.score_assessment(parsed))
    entries = document[section]
    assert isinstance(entries, list)
    target = next(e for e in entries if isinstance(e, dict) and e.get(member) != value)
    assert isinstance(target, dict)
    target[member] = value
    instrument = kwg_check.resolve_instrument(parsed).instrument
    with pytest.raises(AssertionError):
        rebuild(instrument, kwg_check.parse_summary(document))
