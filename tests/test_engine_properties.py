"""Invariants of the engine, on generated assessments for the test-only instruments.

* raising one risk or safety item never lowers the computed outcome of a monotone instrument;
* a raised acute flag keeps the final outcome at or above its floor, whatever the protective
  answers and resources;
* the outcome range contains the computed outcome of every completion of the unknowns;
* the summary does not depend on the order of answers or JSON keys, on threads or on the
  hash seed, and it round-trips through JSON and validates;
* exact rounding of quotients agrees with a wide decimal context.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine_support import INSTRUMENTS, compiled, document
from kwg_check._engine import CompiledInstrument, compile_instrument, instrument_problems, score
from kwg_check._engine._assessment import ages, raw_answers
from kwg_check._engine._evaluate import CONTEXT, decide, evaluate, round_quotient
from kwg_check._engine._range import free_items
from kwg_check._errors import DocumentError
from kwg_check._model import Assessment, Instrument, Summary
from strategies import examples

SETTINGS = settings(
    max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CAREGIVERS = ["cg-a", "cg-b", "cg-c"]
Draw = Callable[[st.SearchStrategy[Any]], Any]


def run(name: str, data: dict[str, Any]) -> Summary:
    return score(compiled(name), Assessment.model_validate(data))


def rank(name: str, outcome: str | None) -> int:
    assert outcome is not None
    return compiled(name).outcome_rank[outcome]


def known_answer(draw: Draw, name: str, item_id: str) -> dict[str, Any]:
    """A concrete answer with known levels, in the item's shape."""
    item = compiled(name).items[compiled(name).item_pos[item_id]]
    levels = item.scale.levels
    if item.per_caregiver:
        ratings = draw(
            st.dictionaries(st.sampled_from(CAREGIVERS), st.sampled_from(levels), min_size=1)
        )
        return {"caregivers": ratings}
    if item.response == "multiple":
        return {"levels": draw(st.lists(st.sampled_from(levels), min_size=1, unique=True))}
    return {"level": draw(st.sampled_from(levels))}


def any_answer(draw: Draw, name: str, item_id: str) -> dict[str, Any] | None:
    """Missing, unknown or known."""
    item = compiled(name).items[compiled(name).item_pos[item_id]]
    unknown = item.scale.unknown_id
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return None
    if choice == 1 and unknown is not None:
        if item.per_caregiver:
            answer = known_answer(draw, name, item_id)
            answer["caregivers"][draw(st.sampled_from(CAREGIVERS))] = unknown
            return answer
        return {"levels": [unknown]} if item.response == "multiple" else {"level": unknown}
    return known_answer(draw, name, item_id)


@st.composite
def answer_sets(draw: st.DrawFn, name: str) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for item in compiled(name).items:
        answer = any_answer(draw, name, item.id)
        if answer is not None:
            given[item.id] = answer
    return given


@st.composite
def documents(draw: st.DrawFn, name: str) -> dict[str, Any]:
    return document(
        name,
        draw(answer_sets(name)),
        subject={"case_id": "case-0001", "age_months": draw(st.integers(0, 200))},
    )


# --- monotonicity -------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_raising_a_risk_item_never_lowers_the_computed_outcome(data: st.DataObject) -> None:
    name = "actuarial"
    c = compiled(name)
    doc = data.draw(documents(name))
    raised = data.draw(st.sampled_from([i for i in c.items if i.kind in ("risk", "safety")]))
    below_top = data.draw(st.integers(0, len(raised.scale.levels) - 2))
    doc["answers"][raised.id] = {"level": raised.scale.levels[below_top]}
    before = run(name, doc)
    doc["answers"][raised.id] = {"level": raised.scale.levels[below_top + 1]}
    after = run(name, doc)
    assert rank(name, after.outcome.computed) >= rank(name, before.outcome.computed)


# --- the floor ----------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_an_acute_flag_keeps_the_final_outcome_at_its_floor(data: st.DataObject) -> None:
    name = "child_protection"
    given = data.draw(answer_sets(name))
    given["acute_injury"] = {"level": "present"}
    for protective in ("prot_caregiver", "prot_network", "prot_kinship"):
        given[protective] = known_answer(data.draw, name, protective)
    resources = data.draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "category": st.sampled_from(
                        ["personal", "family", "social_network", "material", "infrastructural"]
                    ),
                    "label": st.sampled_from(["Großeltern", "Kita", "Verein"]),
                    "available": st.booleans(),
                }
            ),
            max_size=6,
        )
    )
    summary = run(name, document(name, given, resources=resources))
    assert summary.flags[0].raised is True
    assert summary.outcome.floor == "endangerment"
    assert summary.outcome.final == "endangerment"  # the floor is the most severe outcome
    assert summary.outcome.traffic_light == "red"


# --- ranges -------------------------------------------------------------------------------


@SETTINGS
@given(data=st.data(), name=st.sampled_from(["actuarial", "child_protection"]))
def test_the_range_contains_every_completion(data: st.DataObject, name: str) -> None:
    doc = data.draw(documents(name))
    summary = run(name, doc)
    low, high = summary.unknowns.range.lowest, summary.unknowns.range.highest
    filled = json.loads(json.dumps(doc))
    current = summary
    while current.unknowns.items:  # filling a context item can make more items apply
        for item_id in current.unknowns.items:
            filled["answers"][item_id] = known_answer(data.draw, name, item_id)
        current = run(name, filled)
    assert current.outcome.status == "computed"
    outcome = rank(name, current.outcome.computed)
    assert rank(name, low) <= outcome <= rank(name, high)


@SETTINGS
@given(data=st.data())
def test_clarify_first_lists_exactly_the_decisive_unknowns(data: st.DataObject) -> None:
    name = "actuarial"
    c = compiled(name)
    doc = data.draw(documents(name))
    summary = run(name, doc)
    for item_id in summary.unknowns.items:
        item = c.items[c.item_pos[item_id]]
        outcomes = set()
        for level in item.scale.levels:
            trial = json.loads(json.dumps(doc))
            trial["answers"][item_id] = {"level": level}
            outcomes.add(run(name, trial).outcome.computed)
        decisive = outcomes != {summary.outcome.computed}
        assert (item_id in summary.unknowns.clarify_first) is decisive


# --- determinism --------------------------------------------------------------------------


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON value with every object's keys in another order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


@SETTINGS
@given(
    doc=st.sampled_from(["actuarial", "child_protection", "judgement"]).flatmap(documents),
    seed=st.integers(0, 2**32 - 1),
)
def test_scoring_ignores_answer_and_key_order(doc: dict[str, Any], seed: int) -> None:
    name = next(
        n
        for n in ("actuarial", "child_protection", "judgement")
        if compiled(n).id == doc["instrument"]["id"]
    )
    other = shuffled(doc, random.Random(seed))
    assume(json.dumps(other) != json.dumps(doc) or len(doc["answers"]) < 2)
    assert run(name, other).model_dump_json() == run(name, doc).model_dump_json()


@SETTINGS
@given(doc=st.sampled_from(["actuarial", "child_protection", "judgement"]).flatmap(documents))
def test_the_summary_round_trips_through_json(doc: dict[str, Any]) -> None:
    name = next(
        n
        for n in ("actuarial", "child_protection", "judgement")
        if compiled(n).id == doc["instrument"]["id"]
    )
    summary = run(name, doc)
    text = json.dumps(summary.model_dump(mode="json", by_alias=True, exclude_none=True))
    assert Summary.model_validate(json.loads(text)) == summary
    assert Summary.model_validate_json(text) == summary


def test_the_same_summary_from_eight_threads() -> None:
    name = "child_protection"
    doc = document(
        name,
        {
            "care_nutrition": {"level": "marked"},
            "coop_acceptance": {"level": "unknown"},
            "supervision_hazards": {"levels": ["traffic"]},
        },
    )
    expected = run(name, doc).model_dump_json()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: run(name, doc).model_dump_json(), range(32)))
    assert set(results) == {expected}


SCRIPT = """
import json, sys
from pathlib import Path
from kwg_check._errors import DocumentError
from kwg_check._io import load_path
from kwg_check._engine import compile_instrument, score
from kwg_check._model import Assessment, Instrument
instrument = Instrument.model_validate(load_path(Path(sys.argv[1])))
assessment = Assessment.model_validate(json.loads(sys.argv[2]))
sys.stdout.write(score(compile_instrument(instrument), assessment).model_dump_json())
"""


@pytest.mark.integration
def test_the_same_summary_under_other_hash_seeds() -> None:
    name = "child_protection"
    doc = document(
        name,
        {
            "ctx_setting": {"level": "kinship"},
            "care_hygiene": {"caregivers": {"cg-b": "mild", "cg-a": "unknown"}},
            "supervision_hazards": {"levels": ["substances", "household"]},
        },
    )
    expected = run(name, doc).model_dump_json()
    for seed in ("0", "12345"):
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(INSTRUMENTS / f"{name}.yaml"), json.dumps(doc)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert result.stdout == expected


def test_the_callers_decimal_context_is_neither_used_nor_changed() -> None:
    name = "child_protection"
    doc = document(
        name,
        {
            "care_nutrition": {"level": "marked"},
            "care_hygiene": {"caregivers": {"cg-a": "severe"}},
            "coop_acceptance": {"level": "none"},  # mean (2 + 3 + 0) / 3 = 1.67
        },
    )
    expected = run(name, doc)
    with decimal.localcontext() as ctx:
        ctx.prec = 2
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = True
        hostile = run(name, doc)
        assert (ctx.prec, ctx.rounding) == (2, decimal.ROUND_FLOOR)
    assert hostile == expected
    assert hostile.model_dump_json() == expected.model_dump_json()


# --- exact rounding -----------------------------------------------------------------------

MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}


@settings(max_examples=examples(300))
@given(
    total=st.decimals(
        min_value=-(10**11), max_value=10**11, places=6, allow_nan=False, allow_infinity=False
    ),
    count=st.integers(1, 500),
    places=st.integers(0, 6),
    mode=st.sampled_from(sorted(MODES)),
)
def test_round_quotient_is_exact(total: Decimal, count: int, places: int, mode: str) -> None:
    wide = decimal.Context(prec=80)
    expected = wide.divide(total, Decimal(count)).quantize(
        Decimal(1).scaleb(-places), rounding=MODES[mode], context=wide
    )
    assert round_quotient(total, count, places, mode) == expected


# --- generated instruments ----------------------------------------------------------------
# Small random instruments. ``instruments(sound=False)`` draws ids from small pools, so
# references mostly resolve and sometimes do not: the compile step must then report problems
# and never crash. ``instruments(sound=True)`` keeps every reference valid and acyclic, so
# most instruments compile; they test the soundness of the monotonicity verification and of
# unknown ranges on shapes nobody wrote by hand.

LEVEL_IDS = ["l0", "l1", "l2", "l3"]
ITEM_IDS = ["i0", "i1", "i2", "i3", "i4"]
INDEX_IDS = ["x0", "x1", "x2"]
FLAG_IDS = ["f0", "f1"]
BAND_IDS = ["b0", "b1", "b2"]
OUTCOME_IDS = ["o0", "o1", "o2"]
OPS = ["<", "<=", "==", "!=", ">=", ">"]
KINDS = ("risk", "risk", "protective", "safety", "context")
MONOTONE_KINDS = ("risk", "protective", "safety", "context", "context")
"""More context items: in a monotone instrument only they may govern applicability, and only
a free context item makes the range exhaustive."""


def text(ident: str) -> dict[str, str]:
    return {"de": ident, "en": ident}


@functools.cache
def conditions(
    items: tuple[str, ...],
    levels: tuple[str, ...],
    indices: tuple[str, ...] = (),
    bands: tuple[tuple[str, str], ...] = (),
    flags: tuple[str, ...] = (),
) -> st.SearchStrategy[dict[str, Any]]:
    """Conditions reading only the given ids (no indices, bands, flags: applicability)."""
    leaves: list[st.SearchStrategy[dict[str, Any]]] = [
        st.builds(
            lambda lo, hi: {"age_months": {"from_months": lo, "below_months": lo + hi}},
            st.integers(0, 100),
            st.integers(1, 100),
        )
    ]
    if items:
        leaves += [
            st.builds(
                lambda i, lv: {"answer_at_least": {"item": i, "level": lv}},
                st.sampled_from(items),
                st.sampled_from(levels),
            ),
            st.builds(
                lambda i, lvs: {"answer_in": {"item": i, "levels": lvs}},
                st.sampled_from(items),
                st.lists(st.sampled_from(levels), min_size=1, max_size=3, unique=True),
            ),
        ]
    if indices:
        leaves.append(
            st.builds(
                lambda x, op, v: {"index": {"index": x, "op": op, "value": v}},
                st.sampled_from(indices),
                st.sampled_from(OPS),
                st.integers(-1, 6),
            )
        )
    if bands:
        leaves.append(
            st.builds(lambda xb: {"band": {"index": xb[0], "band": xb[1]}}, st.sampled_from(bands))
        )
    if flags:
        leaves.append(st.builds(lambda f: {"flag": f}, st.sampled_from(flags)))
    return st.recursive(
        st.one_of(leaves),
        lambda inner: st.one_of(
            st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda c: {"not": c}, inner),
        ),
        max_leaves=4,
    )


@st.composite
def instruments(
    draw: st.DrawFn, sound: bool, monotone: bool = False, arithmetic: bool = False
) -> dict[str, Any]:
    """An instrument document; ``sound`` ones refer only to what exists and compile unless a
    check finds a problem. ``monotone`` ones declare it and sort what the monotonicity check
    requires sorted (points, the decision table), so no example is drawn only to fail it.
    ``arithmetic`` ones also have prorated sums and scaled, rounded and difference indices
    (only sound ones)."""
    n_levels = draw(st.integers(1, 4))
    levels = tuple(LEVEL_IDS[:n_levels]) if sound else tuple(LEVEL_IDS)
    scales = []
    for s in range(draw(st.integers(1, 2))):
        n = n_levels if sound else draw(st.integers(1, 4))
        points = draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n))
        if monotone or draw(st.integers(0, 3)) > 0:
            points.sort()
        scale: dict[str, Any] = {
            "id": f"s{s}",
            "label": text("s"),
            "levels": [
                {"id": LEVEL_IDS[k], "label": text("l"), "points": p} for k, p in enumerate(points)
            ],
        }
        if draw(st.booleans()):
            scale["unknown"] = {"id": "unk", "label": text("u")}
            if draw(st.booleans()):
                scale["unknown"]["scores_as"] = draw(st.integers(0, 2))
        scales.append(scale)
    items: list[dict[str, Any]] = []
    for k in range(draw(st.integers(1, len(ITEM_IDS)))):
        item: dict[str, Any] = {
            "id": ITEM_IDS[k],
            "domain": "d0",
            "kind": draw(st.sampled_from(MONOTONE_KINDS if monotone else KINDS)),
            "label": text("i"),
            "scale": draw(st.sampled_from(tuple(s["id"] for s in scales))),
            "weight": draw(st.sampled_from((0, 1, 2, "0.5"))),
        }
        shape = draw(st.sampled_from(("single", "single", "multiple", "sum", "caregivers")))
        if shape in ("multiple", "sum"):
            item["response"] = "multiple"
            item["combine"] = "sum" if shape == "sum" else "highest"
        elif shape == "caregivers":
            item["per_caregiver"] = True
        # A monotone instrument's applicability reads only context items (and the age).
        earlier = (
            tuple(i["id"] for i in items if not monotone or i["kind"] == "context")
            if sound
            else tuple(ITEM_IDS)
        )
        if draw(st.integers(0, 3)) == 0:
            item["applies_when"] = draw(conditions(earlier, levels))
        items.append(item)
    item_ids = tuple(i["id"] for i in items) if sound else tuple(ITEM_IDS)
    scored = tuple(i["id"] for i in items if i["kind"] != "context") if sound else item_ids
    indices: list[dict[str, Any]] = []
    for k in range(draw(st.integers(0, len(INDEX_IDS)))):
        earlier = tuple(x["id"] for x in indices) if sound else tuple(INDEX_IDS)
        banded = tuple(x["id"] for x in indices if "bands" in x or x["aggregation"] == "max_band")
        choices = ["sum", "weighted_sum", "mean", "max", "min", "count_at_least"]
        if banded or not sound:
            choices.append("max_band")
        if arithmetic and sound:
            choices.append("prorated_sum")
            choices += ["scaled", "rounded"] if earlier else []
            choices += ["difference"] if len(earlier) > 1 else []
        aggregation = draw(st.sampled_from(choices))
        index: dict[str, Any] = {
            "id": INDEX_IDS[k],
            "label": text("x"),
            "aggregation": aggregation,
            "items": draw(st.lists(st.sampled_from(scored), max_size=3, unique=True))
            if scored
            else [],
            "indices": draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
            if earlier
            else [],
        }
        if aggregation == "max_band":
            pool = banded if sound else tuple(INDEX_IDS)
            index["items"] = []
            index["indices"] = draw(
                st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True)
            )
        if aggregation == "count_at_least":
            index["indices"] = []
            if sound:
                same = tuple(i["id"] for i in items if i["scale"] == "s0" and i["id"] in scored)
                index["items"] = (
                    draw(st.lists(st.sampled_from(same), max_size=3, unique=True)) if same else []
                )
            index["at_least"] = draw(st.sampled_from(levels))
        if aggregation in ("scaled", "rounded", "difference"):
            index["items"] = []
            index["indices"] = draw(
                st.lists(
                    st.sampled_from(earlier),
                    min_size=2 if aggregation == "difference" else 1,
                    max_size=2 if aggregation == "difference" else 1,
                    unique=True,
                )
            )
        if aggregation == "scaled":
            index["factor"] = draw(st.sampled_from(("0.5", "2", "-1", "1.5")))
        if aggregation == "prorated_sum":
            index["indices"] = []
            index["minimum_answered"] = draw(st.sampled_from(("0", "0.5", "1")))
        if aggregation in ("mean", "prorated_sum", "rounded") or (
            aggregation == "scaled" and draw(st.booleans())
        ):
            index["rounding"] = {
                "places": draw(st.integers(0, 2)),
                "mode": draw(st.sampled_from(sorted(MODES))),
            }
        if sound and not index["items"] and not index["indices"]:
            if not scored:
                continue
            index["aggregation"] = aggregation = "sum"
            index["items"] = [scored[0]]
        if aggregation != "max_band" and draw(st.booleans()):
            cuts = sorted(draw(st.lists(st.integers(0, 6), min_size=2, max_size=2, unique=True)))
            index["bands"] = [{"id": "b0", "label": text("b")}] + [
                {"id": BAND_IDS[j + 1], "label": text("b"), "at_least": c}
                for j, c in enumerate(cuts)
            ]
        indices.append(index)
    index_ids = tuple(x["id"] for x in indices) if sound else tuple(INDEX_IDS)
    bands = (
        tuple(
            (x["id"], b)
            for x in indices
            if "bands" in x or x["aggregation"] == "max_band"
            for b in BAND_IDS
        )
        if sound
        else tuple((x, b) for x in INDEX_IDS for b in BAND_IDS)
    )
    n_outcomes = draw(st.integers(2, 3))
    outcomes = OUTCOME_IDS[:n_outcomes]
    flags: list[dict[str, Any]] = []
    for k in range(draw(st.integers(0, len(FLAG_IDS)))):
        earlier = tuple(f["id"] for f in flags) if sound else tuple(FLAG_IDS)
        flag: dict[str, Any] = {
            "id": FLAG_IDS[k],
            "label": text("f"),
            "severity": "acute",
            "when": draw(conditions(item_ids, levels, index_ids, bands, earlier)),
        }
        if draw(st.booleans()):
            flag["minimum_outcome"] = draw(st.sampled_from(outcomes))
        flags.append(flag)
    flag_ids = tuple(f["id"] for f in flags) if sound else tuple(FLAG_IDS)
    full = conditions(item_ids, levels, index_ids, bands, flag_ids)
    rules: list[dict[str, Any]] = [
        {
            "id": f"r{k}",
            "when": draw(full),
            "outcome": draw(st.sampled_from(outcomes)),
            "rationale": text("r"),
        }
        for k in range(draw(st.integers(0, 3)))
    ]
    if monotone or draw(st.booleans()):  # a monotone table lists outcomes from the most severe down
        rules.sort(key=lambda r: -OUTCOME_IDS.index(r["outcome"]))
    rules.append({"id": "r_default", "outcome": "o0", "rationale": text("r")})
    data: dict[str, Any] = {
        "document_type": "instrument",
        "id": "gen",
        "version": "1.0.0",
        "title": text("t"),
        "licence": "CC0-1.0",
        "monotone": monotone or draw(st.booleans()),
        "scales": scales,
        "domains": [{"id": "d0", "label": text("d")}],
        "items": items,
        "indices": indices,
        "flags": flags,
        "outcomes": [{"id": o, "label": text("o")} for o in outcomes],
        "decision_table": rules,
    }
    if draw(st.booleans()):
        data["policy_overrides"] = [
            {
                "id": "p0",
                "when": draw(full),
                "minimum_outcome": draw(st.sampled_from(outcomes)),
                "rationale": text("p"),
            }
        ]
    return data


@st.composite
def generated_answers(draw: st.DrawFn, c: CompiledInstrument, known: bool) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for item in c.items:
        levels = list(item.scale.levels)
        unknown = item.scale.unknown_id
        options = levels + ([] if known or unknown is None else [unknown])
        if not known and draw(st.integers(0, 3)) == 0:
            continue
        if item.per_caregiver:
            ratings = draw(
                st.dictionaries(
                    st.sampled_from(CAREGIVERS), st.sampled_from(options), min_size=1, max_size=2
                )
            )
            given[item.id] = {"caregivers": ratings}
        elif item.response == "multiple":
            chosen = draw(st.lists(st.sampled_from(levels), min_size=1, unique=True))
            given[item.id] = {"levels": chosen}
        else:
            given[item.id] = {"level": draw(st.sampled_from(options))}
    return given


def generated_assessment(c: CompiledInstrument, given: dict[str, Any], age: int) -> Assessment:
    return Assessment.model_validate(
        {
            "document_type": "assessment",
            "id": "as-gen",
            "instrument": {"id": c.id, "version": c.version},
            "subject": {"case_id": "case-gen", "age_months": age},
            "assessment_date": "2024-03-10",
            "assessors": [{"id": "sw-1", "role": "social_worker"}],
            "answers": given,
        }
    )


def compiles(data: dict[str, Any]) -> CompiledInstrument | None:
    try:
        return compile_instrument(Instrument.model_validate(data))
    except DocumentError:
        return None


GENERATED = settings(
    max_examples=examples(100), deadline=None, suppress_health_check=list(HealthCheck)
)


@GENERATED
@given(data=st.booleans().flatmap(lambda sound: instruments(sound)))
def test_compiling_fails_only_with_the_problems_the_checks_report(data: dict[str, Any]) -> None:
    instrument = Instrument.model_validate(data)
    problems = instrument_problems(instrument)
    if problems:
        with pytest.raises(DocumentError) as caught:
            compile_instrument(instrument)
        assert list(caught.value.problems) == problems
    else:
        assert compile_instrument(instrument).id == "gen"


@GENERATED
@given(data=instruments(sound=True), draw=st.data())
def test_generated_instruments_score_within_their_ranges(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    c = compiles(data)
    assume(c is not None)
    assert c is not None
    age = draw.draw(st.integers(0, 150))
    given = draw.draw(generated_answers(c, known=False))
    summary = score(c, generated_assessment(c, given, age))
    text = json.dumps(summary.model_dump(mode="json", by_alias=True, exclude_none=True))
    assert Summary.model_validate_json(text) == summary
    assert summary.unknowns.range.lowest is not None
    assert summary.unknowns.range.highest is not None
    low = c.outcome_rank[summary.unknowns.range.lowest]
    high = c.outcome_rank[summary.unknowns.range.highest]
    # A completion: known answers stay; each unknown or missing item gets a known answer
    # (repeated while answers make further items apply).
    current = summary
    while current.unknowns.items:
        filler = draw.draw(generated_answers(c, known=True))
        for item_id in current.unknowns.items:
            given[item_id] = filler[item_id]
        current = score(c, generated_assessment(c, given, age))
    assert current.outcome.computed is not None
    assert low <= c.outcome_rank[current.outcome.computed] <= high


@GENERATED
@given(data=instruments(sound=True, monotone=True), draw=st.data())
def test_generated_monotone_instruments_never_fall_when_a_risk_rises(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    c = compiles(data)
    assume(c is not None)
    assert c is not None
    raisable = [
        i
        for i in c.items
        if i.kind in ("risk", "safety")
        and len(i.scale.levels) > 1
        and i.response == "single"
        and not i.per_caregiver
    ]
    assume(raisable)
    age = draw.draw(st.integers(0, 150))
    given = draw.draw(generated_answers(c, known=False))
    item = draw.draw(st.sampled_from(raisable))
    below_top = draw.draw(st.integers(0, len(item.scale.levels) - 2))
    given[item.id] = {"level": item.scale.levels[below_top]}
    before = score(c, generated_assessment(c, given, age)).outcome.computed
    given[item.id] = {"level": item.scale.levels[below_top + 1]}
    after = score(c, generated_assessment(c, given, age)).outcome.computed
    assert before is not None
    assert after is not None
    assert c.outcome_rank[after] >= c.outcome_rank[before]


def every_completion_outcome(c: CompiledInstrument, assessment: Assessment) -> list[int]:
    """The computed outcome of every completion of the free items, each one evaluated: the
    reference that the monotone shortcut of the exhaustive range must agree with."""
    with decimal.localcontext(CONTEXT):
        raw = raw_answers(c, assessment)
        age = ages(assessment)
        free = free_items(c, raw, evaluate(c, age, raw))
        outcomes = []
        completion = list(raw)
        for combo in itertools.product(*(c.items[i].completions or () for i in free)):
            for i, answer in zip(free, combo, strict=True):
                completion[i] = answer
            computed = decide(c, evaluate(c, age, completion), apply_table=True).computed
            assert computed is not None
            outcomes.append(computed)
    return outcomes


@settings(GENERATED, max_examples=examples(60))  # a fifth of the drawn examples qualify
@given(data=instruments(sound=True, monotone=True), draw=st.data())
def test_the_exhaustive_range_of_a_monotone_instrument_is_that_of_every_completion(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """In a monotone instrument the exhaustive range evaluates only the corners for each
    combination of context answers; its lowest and highest must be those of all completions."""
    c = compiles(data)
    assume(c is not None)
    assert c is not None
    age = draw.draw(st.integers(0, 150))
    assessment = generated_assessment(c, draw.draw(generated_answers(c, known=False)), age)
    summary = score(c, assessment)
    assume(summary.unknowns.range.method == "exhaustive")
    outcomes = every_completion_outcome(c, assessment)
    assert summary.unknowns.range.lowest == c.outcomes[min(outcomes)].id
    assert summary.unknowns.range.highest == c.outcomes[max(outcomes)].id
