"""Outcome and index ranges under unknowns: exact without a cliff (issues 17 and 13 item 4).

* in monotone kwg_8a a free context item multiplies only its own answers: two corner
  evaluations per answer, and the range is exact (it used to fall back to "conservative");
* the branch-and-bound search returns the same lowest and highest outcome and the same lowest
  and highest value of every index as brute force over all completions, on generated small
  instruments (non-monotone included);
* an index over parts that read disjoint items takes its abstract bound without a search
  (``closed_form``), and that bound is the brute-force range too; an index reading an item
  twice, or an item whose applicability is open, is searched.
"""

from __future__ import annotations

import copy
import decimal
import functools
import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kwg_check._engine import CompiledInstrument, _range, compile_instrument, score
from kwg_check._engine._assessment import ages, raw_answers
from kwg_check._engine._bounds import choice_of
from kwg_check._engine._evaluate import CONTEXT, decide, evaluate
from kwg_check._engine._range import Search, free_items, index_ranges
from kwg_check._io import load_path
from kwg_check._model import Assessment, Instrument
from kwg_check._types import Lang
from kwg_check._views._text import render_summary_text
from kwg_check._vocabulary import format_number, localized
from strategies import examples
from test_engine_properties import (
    GENERATED,
    compiles,
    generated_answers,
    generated_assessment,
    instruments,
)

DATA = Path(__file__).resolve().parent.parent / "src" / "kwg_check" / "data"
LEFT_OUT = [
    "assessing_organisation",
    "sleep",
    "clothing",
    "body_care",
    "behaviour",
    "rejection",
    "social_isolation",
]
SOME_LEFT_OUT = LEFT_OUT[:5]
"""Few enough for brute force in a test (2 × 4^4 = 512 completions)."""


@functools.cache
def kwg_8a() -> CompiledInstrument:
    return compile_instrument(
        Instrument.model_validate(load_path(DATA / "instruments" / "kwg_8a-1.1.0.yaml"))
    )


def latent_infant(left_out: list[str]) -> Assessment:
    path = DATA / "examples" / "kwg_8a" / "kwg8a-latent-infant-feeding.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for item in left_out:
        del doc["answers"][item]
    return Assessment.model_validate(doc)


def brute_force(
    c: CompiledInstrument, assessment: Assessment
) -> tuple[list[int], list[list[Decimal]]]:
    """The computed outcome and every index value of every completion, each evaluated."""
    with decimal.localcontext(CONTEXT):
        raw = raw_answers(c, assessment)
        age = ages(assessment)
        free = free_items(c, raw, evaluate(c, age, raw))
        outcomes: list[int] = []
        values: list[list[Decimal]] = [[] for _ in c.indices]
        completion = list(raw)
        for combo in itertools.product(*(c.items[i].completions or () for i in free)):
            for i, answer in zip(free, combo, strict=True):
                completion[i] = answer
            state = evaluate(c, age, completion)
            if c.method == "decision_table":
                computed = decide(c, state, apply_table=True).computed
                assert computed is not None
                outcomes.append(computed)
            for k, value in enumerate(state.values):
                if value is not None:
                    values[k].append(value)
    return outcomes, values


def test_a_free_context_item_keeps_the_monotone_range_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """assessing_organisation (2 answers) and six care and risk items unknown (2 × 4^6 = 8,192
    completions, more than the 4,096 that used to be the limit): 4 evaluations, and the
    truth latent…latent instead of the conservative no_need…acute."""
    calls: list[int] = []
    computed = _range._computed

    def counted(*args: Any) -> int:
        calls.append(1)
        return computed(*args)

    monkeypatch.setattr(_range, "_computed", counted)
    summary = score(kwg_8a(), latent_infant(LEFT_OUT))
    assert summary.unknowns.items == [*LEFT_OUT[1:], "assessing_organisation"]
    assert summary.unknowns.range.model_dump(exclude_none=True) == {
        "lowest": "latent",
        "highest": "latent",
        "method": "exhaustive",
    }
    assert len(calls) == 4  # the two corners for each of assessing_organisation's two answers


def test_the_index_ranges_of_kwg_8a_are_those_of_every_completion() -> None:
    assessment = latent_infant(SOME_LEFT_OUT)
    summary = score(kwg_8a(), assessment)
    _, values = brute_force(kwg_8a(), assessment)
    ranges = summary.unknowns.indices
    assert ranges is not None
    assert [(r.id, r.lowest, r.highest, r.method) for r in ranges] == [
        (index.id, min(found), max(found), "closed_form")
        for index, found in zip(kwg_8a().indices, values, strict=True)
    ]
    # basic_care sums eleven care items; sleep, clothing and body care (0..3 each) are free.
    basic = next(r for r in ranges if r.id == "basic_care")
    value = next(i.value for i in summary.indices if i.id == "basic_care")
    assert (basic.lowest, value, basic.highest) == (Decimal(3), Decimal(3), Decimal(12))


def test_nothing_unknown_gives_no_index_ranges() -> None:
    summary = score(kwg_8a(), latent_infant([]))
    assert summary.unknowns.items == []
    assert summary.unknowns.indices is None
    assert "indices" not in summary.unknowns.model_dump(exclude_none=True)


def test_a_cut_off_search_falls_back_to_a_sound_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no budget the search gives up: the range is the abstract bound of all
    completions, says so, and still contains every completion. (kwg_8a's indices are
    separable; here they are searched as if they were not.)"""
    monkeypatch.setattr(_range, "separable", lambda c: (None,) * len(c.indices))
    monkeypatch.setattr(_range, "SEARCH_BUDGET", 0)
    monkeypatch.setattr(_range, "EXHAUSTIVE_LIMIT", 0)
    c = kwg_8a()
    assessment = latent_infant(SOME_LEFT_OUT)
    summary = score(c, assessment)
    _, values = brute_force(c, assessment)
    ranges = summary.unknowns.indices
    assert ranges is not None
    assert {r.method for r in ranges if r.lowest != r.highest} == {"conservative"}
    for r, found in zip(ranges, values, strict=True):
        assert r.lowest is not None
        assert r.highest is not None
        assert r.lowest <= min(found) <= max(found) <= r.highest


@settings(GENERATED, max_examples=examples(30))
@given(data=instruments(sound=True), draw=st.data())
def test_branch_and_bound_agrees_with_brute_force(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """Lowest and highest outcome and every index's lowest and highest value, searched
    branch and bound or read off in closed form, are exactly those of all completions
    (generated instruments, most of them not monotone)."""
    agrees_with_brute_force(data, draw)


@settings(GENERATED, max_examples=examples(30))
@given(data=instruments(sound=True, arithmetic=True), draw=st.data())
def test_arithmetic_index_ranges_agree_with_brute_force(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """The same with prorated sums and scaled, rounded and difference indices: a leaf of
    the search is one evaluation, so a prorated sum is exact there too."""
    agrees_with_brute_force(data, draw)


def agrees_with_brute_force(data: dict[str, Any], draw: st.DataObject) -> None:
    c = compiles(data)
    assume(c is not None)
    assert c is not None
    age = draw.draw(st.integers(0, 150))
    assessment = generated_assessment(c, draw.draw(generated_answers(c, known=False)), age)
    with decimal.localcontext(CONTEXT):
        raw = raw_answers(c, assessment)
        free = free_items(c, raw, evaluate(c, ages(assessment), raw))
        assume(all(c.items[i].completions is not None for i in free))
        assume(free and _range._count([c.items[i].completions for i in free]) <= 128)
        state = evaluate(c, ages(assessment), raw)
        search = Search(c, state, raw, free)
        # The box built from the evaluation is the one evaluated from scratch.
        domains = search.free_choices
        full = search.abstract.box(
            state.age,
            [
                domains[pos] if pos in domains else choice_of(c, pos, (raw[pos],))
                for pos in range(len(c.items))
            ],
        )
        for part in ("applicable", "ranks", "points", "values", "bands", "raised"):
            assert getattr(search.box, part) == getattr(full, part), part
        ranges = index_ranges(c, raw, state)
        lowest, low_exact = search.extreme(free, lambda box: -search.outcome(box)[0])
        highest, high_exact = search.extreme(free, lambda box: search.outcome(box)[1])
    outcomes, values = brute_force(c, assessment)
    # The abstract bounds of all completions hold every completion (what pruning relies on).
    for (low, high, _), found in zip(search.box.values, values, strict=True):
        assert all(low is not None and high is not None and low <= v <= high for v in found)
    if c.method == "decision_table":
        root_low, root_high = search.outcome(search.box)
        assert root_low <= min(outcomes) <= max(outcomes) <= root_high
        assert (low_exact, high_exact) == (True, True)
        assert (-copy.copy(lowest), highest) == (min(outcomes), max(outcomes))  # type: ignore[operator]
    for (low, high, method), found in zip(ranges, values, strict=True):
        assert method in ("closed_form", "branch_and_bound")
        assert (low, high) == ((min(found), max(found)) if found else (None, None))


@settings(GENERATED, max_examples=examples(30))
@given(data=instruments(sound=True), draw=st.data(), assessable=st.booleans())
def test_clarify_first_is_what_trying_each_unknown_alone_gives(
    data: dict[str, Any], draw: st.DataObject, assessable: bool
) -> None:
    """Clarify first lists exactly the unknown items one of whose answers, the others left
    unknown, computes another outcome (not assessable: more than one outcome), by spread,
    then instrument order; each trial here is evaluated from scratch (the engine evaluates
    only what an item reaches, tries only the ends of a chain in a monotone instrument and
    skips the decision when nothing it reads changed)."""
    c = compiles(data)
    assume(c is not None and c.method == "decision_table")
    assert c is not None
    age = draw.draw(st.integers(0, 150))
    assessment = generated_assessment(c, draw.draw(generated_answers(c, known=False)), age)
    with decimal.localcontext(CONTEXT):
        raw = raw_answers(c, assessment)
        state = evaluate(c, ages(assessment), raw)
        unknown = [
            i
            for i in range(len(c.items))
            if state.applicable[i] and state.status[i] in ("unknown", "missing")
        ]
        assume(all(c.items[i].completions is not None for i in unknown))
        current = decide(c, state, apply_table=True).computed if assessable else None
        listed = _range.clarify_first(c, state, raw, unknown, current)
        expected: list[tuple[int, int]] = []
        for pos in unknown:
            outcomes = set()
            for answer in c.items[pos].completions or ():
                trial = list(raw)
                trial[pos] = answer
                outcomes.add(decide(c, evaluate(c, state.age, trial), apply_table=True).computed)
            decisive = len(outcomes) > 1 if current is None else outcomes != {current}
            if decisive:
                known = [o for o in outcomes if o is not None]
                expected.append((min(known) - max(known), pos))
    assert listed == [c.items[pos].id for _, pos in sorted(expected)]


def test_the_abstract_bounds_of_kwg_8a_are_tight() -> None:
    """kwg_8a's indices sum, count and take maxima of independent items: the abstract bound
    of all completions (before any search) is already each index's exact range."""
    c = kwg_8a()
    assessment = latent_infant(SOME_LEFT_OUT)
    with decimal.localcontext(CONTEXT):
        raw = raw_answers(c, assessment)
        age = ages(assessment)
        state = evaluate(c, age, raw)
        search = Search(c, state, raw, free_items(c, raw, state))
    _, values = brute_force(c, assessment)
    assert [(low, high) for low, high, _ in search.box.values] == [
        (min(found), max(found)) for found in values
    ]


def test_an_index_reading_an_item_twice_is_searched() -> None:
    """sleep counts in basic_care and again on its own: the parts are not independent, so the
    abstract bound is not read off; the search still finds the brute-force range."""
    data: Any = load_path(DATA / "instruments" / "kwg_8a-1.1.0.yaml")
    indices = data["indices"]
    indices.insert(
        [x["id"] for x in indices].index("basic_care") + 1,
        {
            "id": "sleep_twice",
            "label": {"de": "Schlaf doppelt", "en": "Sleep twice"},
            "aggregation": "sum",
            "items": ["sleep"],
            "indices": ["basic_care"],
        },
    )
    c = compile_instrument(Instrument.model_validate(data))
    assessment = latent_infant(SOME_LEFT_OUT)
    ranges = {r.id: r for r in score(c, assessment).unknowns.indices or []}
    _, values = brute_force(c, assessment)
    found = values[next(k.pos for k in c.indices if k.id == "sleep_twice")]
    twice = ranges["sleep_twice"]
    assert (twice.lowest, twice.highest, twice.method) == (
        min(found),
        max(found),
        "branch_and_bound",
    )
    assert ranges["basic_care"].method == "closed_form"


@pytest.mark.parametrize(
    ("lang", "words"), [("de", "Spanne bei Unbekanntem"), ("en", "range under unknowns")]
)
def test_the_text_summary_shows_each_index_range_the_unknowns_leave_open(
    lang: Lang, words: str
) -> None:
    """A case worker reading the plain text sees how far the unknowns could move an index,
    beside its value; an index they cannot move shows its value alone."""
    summary = score(kwg_8a(), latent_infant(SOME_LEFT_OUT))
    instrument = kwg_8a().instrument
    lines = render_summary_text(summary, instrument, lang).splitlines()
    ranges = {r.id: r for r in summary.unknowns.indices or ()}
    shown = 0
    for index in instrument.indices:
        line = next(line for line in lines if f" {localized(index.label, lang)}: " in line)
        span = ranges[index.id]
        if span.lowest == span.highest:
            assert words not in line
        else:
            assert span.lowest is not None
            assert span.highest is not None
            low, high = format_number(span.lowest, lang), format_number(span.highest, lang)
            assert line.endswith(f"({words} {low} … {high})")
            shown += 1
    assert 0 < shown < len(instrument.indices)
