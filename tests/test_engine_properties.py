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
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kwg_check._engine import CompiledInstrument, compile_instrument, score
from kwg_check._engine._evaluate import round_quotient
from kwg_check._io import load_path
from kwg_check._model import Assessment, Instrument, Summary

INSTRUMENTS = Path(__file__).parent / "engine_instruments"
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CAREGIVERS = ["cg-a", "cg-b", "cg-c"]


@functools.cache
def compiled(name: str) -> CompiledInstrument:
    data = load_path(INSTRUMENTS / f"{name}.yaml")
    return compile_instrument(Instrument.model_validate(data))


def document(name: str, given: dict[str, Any], **fields: Any) -> dict[str, Any]:
    c = compiled(name)
    return {
        "document_type": "assessment",
        "id": "as-0001",
        "instrument": {"id": c.id, "version": c.version},
        "subject": {"case_id": "case-0001", "age_months": 60},
        "assessment_date": "2024-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
        "answers": given,
        **fields,
    }


def run(name: str, data: dict[str, Any]) -> Summary:
    return score(compiled(name), Assessment.model_validate(data))


def rank(name: str, outcome: str | None) -> int:
    assert outcome is not None
    return compiled(name).outcome_rank[outcome]


def known_answer(draw: st.DrawFn, name: str, item_id: str) -> dict[str, Any]:
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


def any_answer(draw: st.DrawFn, name: str, item_id: str) -> dict[str, Any] | None:
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
from kwg_check._io import load_path
from kwg_check._engine import compile_instrument, score
from kwg_check._model import Assessment, Instrument
instrument = Instrument.model_validate(load_path(Path(sys.argv[1])))
assessment = Assessment.model_validate(json.loads(sys.argv[2]))
sys.stdout.write(score(compile_instrument(instrument), assessment).model_dump_json())
"""


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


@settings(max_examples=300)
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
