"""Generated instruments of any size, for the scaling benchmark and the regression tests.

Each function returns the JSON value of a valid, fictional instrument (``dict``), so callers
can dump it to bytes, validate it or compile it. The shapes are those of issue 18 (an
untrusted instrument that passes validation but exhausts CPU or memory):

* :func:`flag_chain`: flag *k* is raised when flag *k - 1* is (a dependency chain of flags);
* :func:`index_chain`: index *k* sums item *k* and index *k - 1* (a chain of nested indices);
* :func:`applies_chain`: item *k* applies when item *k - 1* is answered at least ``yes``;
* :func:`wide`: many items in a few indices and flags, the shape of a real instrument
  scaled up (for the 1×, 2×, 4×, 8× scaling rows and clarify-first with many unknowns).

``benchmarks/bench.py`` imports this module; the tests put ``benchmarks/`` on their path
(``pythonpath`` in ``pyproject.toml``) and import it too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["applies_chain", "assessment", "flag_chain", "index_chain", "wide"]

_TEXT = {"de": "T", "en": "T"}


def _base(identifier: str) -> dict[str, Any]:
    """Everything but items, indices, flags and the decision table."""
    return {
        "document_type": "instrument",
        "id": identifier,
        "version": "1.0.0",
        "title": {"de": "Generiert", "en": "Generated"},
        "licence": "CC0-1.0",
        "scales": [
            {
                "id": "yn",
                "label": _TEXT,
                "levels": [
                    {"id": "no", "label": _TEXT, "points": 0},
                    {"id": "yes", "label": _TEXT, "points": 1},
                ],
                "unknown": {"id": "unknown", "label": _TEXT},
            }
        ],
        "domains": [{"id": "d", "label": _TEXT}],
        "outcomes": [{"id": "low", "label": _TEXT}, {"id": "high", "label": _TEXT}],
    }


def _item(identifier: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "domain": "d",
        "kind": "risk",
        "scale": "yn",
        "label": _TEXT,
        **fields,
    }


def _table(when: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"id": "r_high", "when": when, "outcome": "high", "rationale": _TEXT},
        {"id": "r_low", "outcome": "low", "rationale": _TEXT},
    ]


def flag_chain(length: int) -> dict[str, Any]:
    """``length`` flags, each raised when the one before it is (the first reads an item)."""
    doc = _base("gen-flag-chain")
    doc["items"] = [_item("i0")]
    flags = [
        {
            "id": f"f{k}",
            "label": _TEXT,
            "severity": "notice",
            "when": {"flag": f"f{k - 1}"}
            if k
            else {"answer_at_least": {"item": "i0", "level": "yes"}},
        }
        for k in range(length)
    ]
    doc["flags"] = flags
    doc["decision_table"] = _table({"flag": f"f{length - 1}"})
    return doc


def index_chain(depth: int) -> dict[str, Any]:
    """``depth`` indices, index *k* the sum of item *k* and index *k - 1*, with bands on the
    last (so descriptions ask whether it is whole-valued, down the chain)."""
    doc = _base("gen-index-chain")
    doc["items"] = [_item(f"i{k}") for k in range(depth)]
    indices: list[dict[str, Any]] = [
        {"id": f"x{k}", "label": _TEXT, "aggregation": "sum", "items": [f"i{k}"]}
        | ({"indices": [f"x{k - 1}"]} if k else {})
        for k in range(depth)
    ]
    indices[-1]["bands"] = [
        {"id": "b0", "label": _TEXT},
        {"id": "b1", "label": _TEXT, "at_least": 1},
    ]
    doc["indices"] = indices
    doc["decision_table"] = _table({"band": {"index": f"x{depth - 1}", "band": "b1"}})
    return doc


def applies_chain(length: int) -> dict[str, Any]:
    """``length`` items, each applicable when the one before it is answered ``yes``."""
    doc = _base("gen-applies-chain")
    doc["items"] = [
        _item(f"i{k}", **({"applies_when": _at_least(f"i{k - 1}")} if k else {}))
        for k in range(length)
    ]
    doc["indices"] = [
        {
            "id": "total",
            "label": _TEXT,
            "aggregation": "sum",
            "items": [f"i{k}" for k in range(length)],
        }
    ]
    doc["decision_table"] = _table({"index": {"index": "total", "op": ">=", "value": 1}})
    return doc


def _at_least(item: str) -> dict[str, Any]:
    return {"answer_at_least": {"item": item, "level": "yes"}}


def wide(items: int, group: int = 50) -> dict[str, Any]:
    """``items`` items summed in one index per ``group`` items, a total over those indices,
    a flag per index and a decision table reading the total: a real instrument's shape,
    scaled up."""
    doc = _base("gen-wide")
    doc["items"] = [_item(f"i{k}") for k in range(items)]
    groups = [list(range(start, min(start + group, items))) for start in range(0, items, group)]
    doc["indices"] = [
        {"id": f"g{g}", "label": _TEXT, "aggregation": "sum", "items": [f"i{k}" for k in members]}
        for g, members in enumerate(groups)
    ] + [
        {
            "id": "total",
            "label": _TEXT,
            "aggregation": "sum",
            "indices": [f"g{g}" for g in range(len(groups))],
        }
    ]
    doc["flags"] = [
        {
            "id": f"f{g}",
            "label": _TEXT,
            "severity": "notice",
            "when": {"index": {"index": f"g{g}", "op": ">=", "value": len(members)}},
        }
        for g, members in enumerate(groups)
    ]
    doc["decision_table"] = _table({"index": {"index": "total", "op": ">=", "value": items // 2}})
    return doc


def assessment(instrument: dict[str, Any], unknown_every: int = 0) -> dict[str, Any]:
    """An assessment answering every item of a generated instrument ``no``, except every
    ``unknown_every``-th item (counting from the first), which is ``unknown``."""
    answers = {
        item["id"]: {"level": "unknown" if unknown_every and k % unknown_every == 0 else "no"}
        for k, item in enumerate(instrument["items"])
    }
    return {
        "document_type": "assessment",
        "id": "as-0001",
        "instrument": {"id": instrument["id"], "version": instrument["version"]},
        "subject": {"case_id": "case-0001", "age_months": 60},
        "assessment_date": "2024-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
        "answers": answers,
    }
