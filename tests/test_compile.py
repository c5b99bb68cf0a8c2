"""The compile step: every semantic check of an instrument, with its code and pointer.

Each case starts from a small valid instrument, breaks exactly one rule and expects the
problem (pointer, code) among those reported. Problems are collected, never only the first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kwg_check._engine import compile_instrument, instrument_problems
from kwg_check._errors import DocumentError
from kwg_check._io import load_path
from kwg_check._model import Instrument

INSTRUMENTS = Path(__file__).parent / "engine_instruments"


def load(name: str) -> dict[str, Any]:
    data = load_path(INSTRUMENTS / f"{name}.yaml")
    assert isinstance(data, dict)
    return data


def label(text: str) -> dict[str, str]:
    return {"de": text, "en": text}


def level(ident: str, points: int | str) -> dict[str, Any]:
    return {"id": ident, "label": label(ident), "points": points}


def base() -> dict[str, Any]:
    """A small valid instrument: three risk items, a protective and a context item."""
    return {
        "document_type": "instrument",
        "id": "t-base",
        "version": "1.0.0",
        "title": label("Base"),
        "licence": "CC0-1.0",
        "scales": [
            {
                "id": "sev",
                "label": label("Severity"),
                "levels": [level("none", 0), level("some", 1), level("much", 2)],
                "unknown": {"id": "unknown", "label": label("Unknown")},
            },
            {
                "id": "ctx",
                "label": label("Setting"),
                "levels": [level("home", 0), level("care", 0)],
            },
        ],
        "domains": [{"id": "d1", "label": label("Domain")}],
        "items": [
            {"id": "r1", "domain": "d1", "kind": "risk", "scale": "sev", "label": label("R1")},
            {"id": "r2", "domain": "d1", "kind": "risk", "scale": "sev", "label": label("R2")},
            {"id": "p1", "domain": "d1", "kind": "protective", "scale": "sev", "label": label("P")},
            {"id": "c1", "domain": "d1", "kind": "context", "scale": "ctx", "label": label("C")},
        ],
        "indices": [
            {
                "id": "total",
                "label": label("Total"),
                "aggregation": "sum",
                "items": ["r1", "r2"],
                "bands": [
                    {"id": "low", "label": label("Low")},
                    {"id": "high", "label": label("High"), "at_least": 2},
                ],
            },
            {
                "id": "support",
                "label": label("Support"),
                "side": "protective",
                "aggregation": "sum",
                "items": ["p1"],
            },
        ],
        "flags": [
            {
                "id": "f1",
                "label": label("Flag"),
                "severity": "acute",
                "when": {"answer_at_least": {"item": "r1", "level": "much"}},
                "minimum_outcome": "high",
            }
        ],
        "outcomes": [{"id": "low", "label": label("Low")}, {"id": "high", "label": label("High")}],
        "decision_table": [
            {
                "id": "t_high",
                "when": {"band": {"index": "total", "band": "high"}},
                "outcome": "high",
                "rationale": label("High"),
            },
            {"id": "t_default", "outcome": "low", "rationale": label("Default")},
        ],
        "policy_overrides": [
            {
                "id": "po1",
                "when": {"answer_at_least": {"item": "r2", "level": "much"}},
                "minimum_outcome": "high",
                "rationale": label("Policy"),
            }
        ],
        "process_checks": [
            {
                "id": "pc1",
                "label": label("Two"),
                "legal_reference": "§ 8a Abs. 1 SGB VIII",
                "requirement": {"check": "min_assessors", "count": 2},
            }
        ],
    }


def found(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p.pointer, p.code) for p in instrument_problems(Instrument.model_validate(data))}


def when(rule: int, condition: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        d["decision_table"][rule]["when"] = condition

    return mutate


def test_the_base_instrument_compiles() -> None:
    compiled = compile_instrument(Instrument.model_validate(base()))
    assert compiled.id == "t-base"
    assert compiled.version == "1.0.0"
    assert compiled.fingerprint.startswith("sha256:")
    assert [i.id for i in compiled.items] == ["r1", "r2", "p1", "c1"]


def _append_copy(section: str, index: int = 0) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        d[section].append(copy.deepcopy(d[section][index]))

    return mutate


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _add_index(index: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        d["indices"].append({"label": label("X"), **index})

    return mutate


def _add_flag(ident: str, condition: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        d["flags"].append(
            {"id": ident, "label": label(ident), "severity": "notice", "when": condition}
        )

    return mutate


BANDS = [
    {"id": "low", "label": label("Low")},
    {"id": "high", "label": label("High"), "at_least": 2},
]

Mutation = Callable[[dict[str, Any]], object]

CASES: list[tuple[str, Mutation, str, str]] = [
    # Unique ids per kind.
    ("duplicate scale", _append_copy("scales"), "/scales/2/id", "ref.duplicate-id"),
    (
        "duplicate level",
        _set(("scales", 0, "levels", 1, "id"), "none"),
        "/scales/0/levels/1/id",
        "ref.duplicate-id",
    ),
    ("duplicate domain", _append_copy("domains"), "/domains/1/id", "ref.duplicate-id"),
    ("duplicate item", _append_copy("items"), "/items/4/id", "ref.duplicate-id"),
    ("duplicate index", _append_copy("indices"), "/indices/2/id", "ref.duplicate-id"),
    (
        "duplicate band",
        _set(("indices", 0, "bands", 1, "id"), "low"),
        "/indices/0/bands/1/id",
        "ref.duplicate-id",
    ),
    ("duplicate flag", _append_copy("flags"), "/flags/1/id", "ref.duplicate-id"),
    ("duplicate outcome", _append_copy("outcomes"), "/outcomes/2/id", "ref.duplicate-id"),
    (
        "duplicate rule",
        _set(("decision_table", 1, "id"), "t_high"),
        "/decision_table/1/id",
        "ref.duplicate-id",
    ),
    (
        "duplicate policy override",
        _append_copy("policy_overrides"),
        "/policy_overrides/1/id",
        "ref.duplicate-id",
    ),
    (
        "duplicate process check",
        _append_copy("process_checks"),
        "/process_checks/1/id",
        "ref.duplicate-id",
    ),
    # Item references.
    ("item domain", _set(("items", 0, "domain"), "nope"), "/items/0/domain", "ref.unknown-domain"),
    ("item scale", _set(("items", 1, "scale"), "nope"), "/items/1/scale", "ref.unknown-scale"),
    (
        "evidence level",
        _set(("items", 0, "evidence_required_from"), "huge"),
        "/items/0/evidence_required_from",
        "ref.unknown-level",
    ),
    (
        "concerning level",
        _set(("items", 0, "concerning_from"), "huge"),
        "/items/0/concerning_from",
        "ref.unknown-level",
    ),
    # Condition references.
    (
        "condition item",
        when(0, {"answer_at_least": {"item": "nope", "level": "some"}}),
        "/decision_table/0/when/answer_at_least/item",
        "ref.unknown-item",
    ),
    (
        "condition level",
        when(0, {"answer_at_least": {"item": "r1", "level": "huge"}}),
        "/decision_table/0/when/answer_at_least/level",
        "ref.unknown-level",
    ),
    (
        "condition level in a list",
        when(0, {"all": [{"answer_in": {"item": "r1", "levels": ["some", "huge"]}}]}),
        "/decision_table/0/when/all/0/answer_in/levels/1",
        "ref.unknown-level",
    ),
    (
        "the unknown marker is no level to test",
        when(0, {"answer_in": {"item": "r1", "levels": ["unknown"]}}),
        "/decision_table/0/when/answer_in/levels/0",
        "ref.unknown-level",
    ),
    (
        "condition index",
        when(0, {"index": {"index": "nope", "op": ">=", "value": 1}}),
        "/decision_table/0/when/index/index",
        "ref.unknown-index",
    ),
    (
        "condition band",
        when(0, {"band": {"index": "total", "band": "extreme"}}),
        "/decision_table/0/when/band/band",
        "ref.unknown-band",
    ),
    (
        "band of an unbanded index",
        when(0, {"band": {"index": "support", "band": "low"}}),
        "/decision_table/0/when/band/band",
        "ref.unknown-band",
    ),
    (
        "condition flag",
        when(0, {"any": [{"not": {"flag": "nope"}}]}),
        "/decision_table/0/when/any/0/not/flag",
        "ref.unknown-flag",
    ),
    (
        "context test on a risk item",
        when(0, {"context": {"item": "r1", "levels": ["some"]}}),
        "/decision_table/0/when/context/item",
        "condition.context-kind",
    ),
    (
        "empty age band",
        when(0, {"age_months": {"from_months": 24, "below_months": 24}}),
        "/decision_table/0/when/age_months",
        "condition.age-band",
    ),
    (
        "age band without bounds",
        when(0, {"age_months": {}}),
        "/decision_table/0/when/age_months",
        "condition.age-band",
    ),
    # Outcome references.
    (
        "rule outcome",
        _set(("decision_table", 0, "outcome"), "nope"),
        "/decision_table/0/outcome",
        "ref.unknown-outcome",
    ),
    (
        "policy outcome",
        _set(("policy_overrides", 0, "minimum_outcome"), "nope"),
        "/policy_overrides/0/minimum_outcome",
        "ref.unknown-outcome",
    ),
    (
        "flag outcome",
        _set(("flags", 0, "minimum_outcome"), "nope"),
        "/flags/0/minimum_outcome",
        "ref.unknown-outcome",
    ),
    # Index inputs.
    (
        "index item",
        _set(("indices", 0, "items"), ["r1", "nope"]),
        "/indices/0/items/1",
        "ref.unknown-item",
    ),
    (
        "index input index",
        _set(("indices", 1, "indices"), ["nope"]),
        "/indices/1/indices/0",
        "ref.unknown-index",
    ),
    (
        "context item in an index",
        _set(("indices", 1, "items"), ["p1", "c1"]),
        "/indices/1/items/1",
        "index.context-item",
    ),
    # Cycles.
    (
        "index depends on itself",
        _set(("indices", 1, "indices"), ["support"]),
        "/indices/1",
        "ref.cycle",
    ),
    (
        "two indices depend on each other",
        lambda d: (
            d["indices"][0].__setitem__("indices", ["support"]),
            d["indices"][1].__setitem__("indices", ["total"]),
        ),
        "/indices/0",
        "ref.cycle",
    ),
    (
        "two flags depend on each other",
        lambda d: (
            _add_flag("g1", {"flag": "g2"})(d),
            _add_flag("g2", {"any": [{"flag": "g1"}]})(d),
        ),
        "/flags/1",
        "ref.cycle",
    ),
    (
        "applicability depends on itself",
        _set(("items", 1, "applies_when"), {"answer_at_least": {"item": "r2", "level": "some"}}),
        "/items/1",
        "ref.cycle",
    ),
    # Applicability scope.
    (
        "applicability reads an index",
        _set(("items", 0, "applies_when"), {"index": {"index": "total", "op": ">", "value": 0}}),
        "/items/0/applies_when",
        "condition.applicability-scope",
    ),
    (
        "applicability reads a flag",
        _set(("items", 0, "applies_when"), {"not": {"flag": "f1"}}),
        "/items/0/applies_when/not",
        "condition.applicability-scope",
    ),
    # Index rules.
    (
        "mean without rounding",
        _add_index({"id": "m", "aggregation": "mean", "items": ["r1"]}),
        "/indices/2",
        "index.rounding-required",
    ),
    (
        "count without at_least",
        _add_index({"id": "n", "aggregation": "count_at_least", "items": ["r1"]}),
        "/indices/2",
        "index.count-scale",
    ),
    (
        "count over two scales",
        _add_index(
            {"id": "n", "aggregation": "count_at_least", "at_least": "some", "items": ["r1", "c1"]}
        ),
        "/indices/2/items",
        "index.count-scale",
    ),
    (
        "count level not on the scale",
        _add_index({"id": "n", "aggregation": "count_at_least", "at_least": "x", "items": ["r1"]}),
        "/indices/2/at_least",
        "ref.unknown-level",
    ),
    (
        "count over indices",
        _add_index(
            {"id": "n", "aggregation": "count_at_least", "at_least": "some", "indices": ["total"]}
        ),
        "/indices/2/indices",
        "index.count-scale",
    ),
    (
        "max_band without inputs",
        _add_index({"id": "mb", "aggregation": "max_band", "items": ["r1"]}),
        "/indices/2",
        "index.max-band",
    ),
    (
        "max_band with items",
        _add_index({"id": "mb", "aggregation": "max_band", "items": ["r1"], "indices": ["total"]}),
        "/indices/2/items",
        "index.max-band",
    ),
    (
        "max_band over an unbanded index",
        _add_index({"id": "mb", "aggregation": "max_band", "indices": ["total", "support"]}),
        "/indices/2/indices/1",
        "index.max-band",
    ),
    (
        "max_band over other band ids",
        lambda d: (
            d["indices"][1].__setitem__(
                "bands",
                [
                    {"id": "low", "label": label("L")},
                    {"id": "top", "label": label("T"), "at_least": 1},
                ],
            ),
            _add_index({"id": "mb", "aggregation": "max_band", "indices": ["total", "support"]})(d),
        ),
        "/indices/2/indices/1",
        "index.max-band",
    ),
    (
        "max_band bands in another order",
        _add_index(
            {
                "id": "mb",
                "aggregation": "max_band",
                "indices": ["total"],
                "bands": [{"id": "high", "label": label("H")}, {"id": "low", "label": label("L")}],
            }
        ),
        "/indices/2/bands",
        "index.max-band",
    ),
    (
        "max_band bands with cut-offs",
        _add_index({"id": "mb", "aggregation": "max_band", "indices": ["total"], "bands": BANDS}),
        "/indices/2/bands/1/at_least",
        "index.max-band",
    ),
    (
        "first band with a cut-off",
        _set(("indices", 0, "bands", 0, "at_least"), 0),
        "/indices/0/bands/0/at_least",
        "index.bands",
    ),
    (
        "later band without a cut-off",
        _delete(("indices", 0, "bands", 1, "at_least")),
        "/indices/0/bands/1",
        "index.bands",
    ),
    (
        "cut-offs not increasing",
        lambda d: d["indices"][0]["bands"].append(
            {"id": "top", "label": label("T"), "at_least": 2}
        ),
        "/indices/0/bands/2/at_least",
        "index.bands",
    ),
    ("index without inputs", _set(("indices", 1, "items"), []), "/indices/1", "index.empty"),
    # Scales and items.
    (
        "unknown marker equals a level",
        _set(("scales", 0, "unknown", "id"), "some"),
        "/scales/0/unknown/id",
        "scale.unknown-id",
    ),
    ("negative weight", _set(("items", 0, "weight"), "-1"), "/items/0/weight", "item.weight"),
    (
        "multiple and per caregiver",
        lambda d: d["items"][0].update(response="multiple", per_caregiver=True),
        "/items/0",
        "item.response",
    ),
    # Method.
    ("no decision table", _delete(("decision_table",)), "/decision_table", "table.default-rule"),
    (
        "empty decision table",
        _set(("decision_table",), []),
        "/decision_table",
        "table.default-rule",
    ),
    (
        "default rule not last",
        _delete(("decision_table", 0, "when")),
        "/decision_table/0",
        "table.default-rule",
    ),
    (
        "last rule with a condition",
        _set(("decision_table", 1, "when"), {"flag": "f1"}),
        "/decision_table/1/when",
        "table.default-rule",
    ),
    (
        "judgement with a decision table",
        _set(("method",), "professional_judgement"),
        "/decision_table",
        "judgement.formula",
    ),
    (
        "judgement with policy overrides",
        _set(("method",), "professional_judgement"),
        "/policy_overrides",
        "judgement.formula",
    ),
    (
        "judgement with discretionary overrides",
        lambda d: d.update(
            method="professional_judgement", discretionary_override={"max_levels_up": 1}
        ),
        "/discretionary_override",
        "judgement.formula",
    ),
    (
        "minimum completeness above 1",
        _set(("minimum_completeness",), "1.5"),
        "/minimum_completeness",
        "instrument.completeness",
    ),
    (
        "minimum completeness below 0",
        _set(("minimum_completeness",), "-0.1"),
        "/minimum_completeness",
        "instrument.completeness",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "pointer", "code"),
    [pytest.param(m, p, c, id=name) for name, m, p, c in CASES],
)
def test_each_semantic_rule_is_checked(mutate: Mutation, pointer: str, code: str) -> None:
    data = base()
    mutate(data)
    assert (pointer, code) in found(data)


def test_compile_raises_a_document_error_listing_every_problem() -> None:
    data = base()
    data["items"][0]["domain"] = "nope"
    data["items"][1]["weight"] = "-2"
    data["indices"][1]["items"] = ["ghost"]
    data["decision_table"][0]["outcome"] = "nope"
    data["minimum_completeness"] = 2
    with pytest.raises(DocumentError) as caught:
        compile_instrument(Instrument.model_validate(data))
    assert {(p.pointer, p.code) for p in caught.value.problems} == {
        ("/items/0/domain", "ref.unknown-domain"),
        ("/items/1/weight", "item.weight"),
        ("/indices/1/items/0", "ref.unknown-item"),
        ("/decision_table/0/outcome", "ref.unknown-outcome"),
        ("/minimum_completeness", "instrument.completeness"),
    }
    assert caught.value.code == "ref.unknown-domain"


def test_reasons_name_ids_but_never_labels() -> None:
    data = base()
    secret = "Geheimer Beschriftungstext"
    data["items"][0]["label"] = label(secret)
    data["items"][0]["domain"] = "nope"
    data["decision_table"][0]["rationale"] = label(secret)
    data["decision_table"][0]["outcome"] = "gone"
    problems = instrument_problems(Instrument.model_validate(data))
    assert problems
    for problem in problems:
        assert secret not in problem.reason


def test_a_cycle_is_reported_once_at_its_first_member() -> None:
    data = base()
    data["indices"][0]["indices"] = ["support"]
    data["indices"][1]["indices"] = ["total"]
    cycles = [
        p for p in instrument_problems(Instrument.model_validate(data)) if p.code == "ref.cycle"
    ]
    assert [p.pointer for p in cycles] == ["/indices/0"]


def test_dependencies_are_evaluated_first() -> None:
    data = base()
    data["indices"][0]["indices"] = ["support"]  # total reads support, defined after it
    compiled = compile_instrument(Instrument.model_validate(data))
    assert [compiled.indices[pos].id for pos in compiled.index_order] == ["support", "total"]


# --- exactness bounds ---------------------------------------------------------------------


def test_weighted_sums_needing_more_than_six_places_are_rejected() -> None:
    data = base()
    data["scales"][0]["levels"][1]["points"] = "0.001"
    data["items"][0]["weight"] = "0.0001"
    data["indices"][0]["aggregation"] = "weighted_sum"
    assert ("/indices/0", "index.precision") in found(data)


def test_indices_that_can_reach_twelve_digits_are_rejected() -> None:
    data = base()
    data["scales"][0]["levels"][2]["points"] = "600000000000"
    assert ("/indices/0", "index.range") in found(data)  # 2 × 6·10^11 = 1.2·10^12


def test_summed_multiple_answers_that_can_reach_twelve_digits_are_rejected() -> None:
    data = base()
    data["scales"][0]["levels"][1]["points"] = "600000000000"
    data["scales"][0]["levels"][2]["points"] = "600000000000"
    data["items"][0].update(response="multiple", combine="sum")
    assert ("/items/0", "item.points-range") in found(data)


# --- monotonicity -------------------------------------------------------------------------


def monotone_base() -> dict[str, Any]:
    data = base()
    data["monotone"] = True
    return data


def test_the_actuarial_test_instrument_is_verified_monotone() -> None:
    compiled = compile_instrument(Instrument.model_validate(load("actuarial")))
    assert compiled.monotone is True


def test_the_base_instrument_is_verified_monotone() -> None:
    assert found(monotone_base()) == set()


MONOTONE_ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("upward-closed answer set", {"answer_in": {"item": "r1", "levels": ["some", "much"]}}),
    ("top band", {"band": {"index": "total", "band": "high"}}),
    ("few protective points", {"index": {"index": "support", "op": "<", "value": 1}}),
    ("protective below a level", {"not": {"answer_at_least": {"item": "p1", "level": "some"}}}),
    (
        "any condition on a context item",
        {"all": [{"context": {"item": "c1", "levels": ["care"]}}, {"flag": "f1"}]},
    ),
    ("age", {"age_months": {"below_months": 12}}),
    ("downward-closed protective set", {"answer_in": {"item": "p1", "levels": ["none", "some"]}}),
]


@pytest.mark.parametrize("condition", [pytest.param(c, id=name) for name, c in MONOTONE_ACCEPTED])
def test_monotone_conditions_are_accepted(condition: dict[str, Any]) -> None:
    data = monotone_base()
    data["decision_table"][0]["when"] = condition
    assert found(data) == set()


MONOTONE_REJECTED: list[tuple[str, dict[str, Any]]] = [
    ("negated risk", {"not": {"answer_at_least": {"item": "r1", "level": "some"}}}),
    ("risk index below a value", {"index": {"index": "total", "op": "<=", "value": 3}}),
    ("risk index equal to a value", {"index": {"index": "total", "op": "==", "value": 3}}),
    ("gap in an answer set", {"answer_in": {"item": "r1", "levels": ["none", "much"]}}),
    ("downward-closed risk set", {"answer_in": {"item": "r1", "levels": ["none"]}}),
    ("protective raises", {"answer_at_least": {"item": "p1", "level": "some"}}),
    ("protective index raises", {"index": {"index": "support", "op": ">", "value": 1}}),
    (
        "both directions at once",
        {
            "all": [
                {"answer_at_least": {"item": "r1", "level": "some"}},
                {"not": {"answer_at_least": {"item": "r1", "level": "much"}}},
            ]
        },
    ),
]


@pytest.mark.parametrize("condition", [pytest.param(c, id=name) for name, c in MONOTONE_REJECTED])
def test_non_monotone_rule_conditions_are_rejected(condition: dict[str, Any]) -> None:
    data = monotone_base()
    data["decision_table"][0]["when"] = condition
    problems = instrument_problems(Instrument.model_validate(data))
    assert {(p.pointer, p.code) for p in problems} == {
        ("/decision_table/0/when", "instrument.not-monotone")
    }
    assert all(p.reason.startswith("the condition of rule 't_high'") for p in problems)


def test_a_decision_table_rising_in_severity_is_not_monotone() -> None:
    data = monotone_base()
    data["decision_table"].insert(
        0,
        {
            "id": "t_low_first",
            "when": {"answer_at_least": {"item": "r2", "level": "some"}},
            "outcome": "low",
            "rationale": label("Low first"),
        },
    )
    assert found(data) == {("/decision_table/1/outcome", "instrument.not-monotone")}


def test_a_flag_floor_falling_with_a_risk_item_is_not_monotone() -> None:
    data = monotone_base()
    data["flags"][0]["when"] = {"not": {"answer_at_least": {"item": "r2", "level": "some"}}}
    assert found(data) == {("/flags/0/when", "instrument.not-monotone")}


def test_a_flag_without_floor_counts_only_where_it_is_read() -> None:
    data = monotone_base()
    _add_flag("calm", {"not": {"answer_at_least": {"item": "r2", "level": "some"}}})(data)
    assert found(data) == set()  # no floor and read by no rule
    data["policy_overrides"][0]["when"] = {"flag": "calm"}
    assert found(data) == {("/policy_overrides/0/when", "instrument.not-monotone")}


def test_a_policy_override_falling_with_a_risk_item_is_not_monotone() -> None:
    data = monotone_base()
    data["policy_overrides"][0]["when"] = {"index": {"index": "total", "op": "<", "value": 1}}
    assert found(data) == {("/policy_overrides/0/when", "instrument.not-monotone")}


def test_applicability_reading_a_risk_answer_is_not_monotone() -> None:
    data = monotone_base()
    data["items"][1]["applies_when"] = {"answer_at_least": {"item": "r1", "level": "some"}}
    assert found(data) == {("/items/1/applies_when", "instrument.not-monotone")}


def test_applicability_reading_age_and_context_is_monotone() -> None:
    data = monotone_base()
    data["items"][1]["applies_when"] = {
        "all": [
            {"age_months": {"from_months": 12}},
            {"context": {"item": "c1", "levels": ["home"]}},
        ]
    }
    assert found(data) == set()


def test_points_falling_along_the_scale_make_an_index_fall() -> None:
    data = monotone_base()
    data["scales"][0]["levels"][2]["points"] = 0  # none 0, some 1, much 0
    assert found(data) == {("/decision_table/0/when", "instrument.not-monotone")}


def test_count_at_least_ignores_points() -> None:
    data = monotone_base()
    data["scales"][0]["levels"][2]["points"] = 0
    data["indices"][0].update(aggregation="count_at_least", at_least="some")
    assert found(data) == set()


def test_nested_indices_compose() -> None:
    data = monotone_base()
    data["indices"].append(
        {"id": "outer", "label": label("O"), "aggregation": "max", "indices": ["total", "support"]}
    )
    data["decision_table"][0]["when"] = {"index": {"index": "outer", "op": ">=", "value": 2}}
    # outer rises with the protective item p1 (through support): not monotone.
    assert found(data) == {("/decision_table/0/when", "instrument.not-monotone")}
    data["indices"][2]["indices"] = ["total"]
    assert found(data) == set()


def test_an_undeclared_instrument_is_not_verified() -> None:
    data = base()
    data["decision_table"][0]["when"] = {"not": {"flag": "f1"}}
    compiled = compile_instrument(Instrument.model_validate(data))
    assert compiled.monotone is False
