"""Summaries of the first format (v1) read as the current one (v2).

A v1 summary (schema ``…/v1/summary.schema.json``, frozen in ``schemas/v1/``) copied
instrument data into every item, index, flag and process check (domain, kind, weight, side,
severity, minimum outcome, legal reference) and traced every intermediate result with its
levels, points and values. Summary format v2 holds only what the instrument does not state
and traces only the decisions, each input a reference. Everything v2 holds, v1 held too, so
a v1 summary is read by leaving out what v2 does not hold: the result is the v2 summary the
same engine computes for the same assessment. ``verify`` compares that with a fresh one, so
a v1 summary still verifies and a changed one still does not (the intermediate trace steps
are not compared: their results are the items, indices and flags that are).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["from_v1", "is_v1"]

DECISIONS = frozenset(
    {
        "completeness",
        "rule",
        "policy_override",
        "floor",
        "override",
        "judgement",
        "outcome",
        "result",
    }
)
"""The trace step kinds v2 keeps."""

_WITH_INPUTS = frozenset({"floor", "override", "judgement", "outcome"})
"""The decision steps whose inputs v2 writes (a rule's or policy's are its condition's)."""

_COPIED = {
    "items": ("domain", "kind"),
    "indices": ("side",),
    "flags": ("severity", "minimum_outcome"),
    "process_checks": ("legal_reference",),
}
"""Per section, the members v1 copied from the instrument."""


def is_v1(data: object) -> bool:
    """Whether a summary's JSON value has the v1 shape: a member only v1 has (every v1
    summary has one, since every instrument has items and each v1 item has a domain). Only
    member names count, never the shape of a value, so a malformed v2 summary is reported as
    v2."""
    if not isinstance(data, dict) or data.get("document_type") != "summary":
        return False
    return any(
        member in entry
        for section, members in _COPIED.items()
        for entry in _entries(data, section)
        for member in members
    )


def from_v1(data: dict[str, Any]) -> dict[str, Any]:
    """The v2 JSON value of a v1 summary (a shallow rewrite; the value given is not
    changed). Values of an unexpected shape are passed on as they are, for the model to
    report."""
    upgraded = dict(data)
    if isinstance(data.get("completeness"), dict):
        upgraded["completeness"] = _without(data["completeness"], ("domains",))
    for section, members in _COPIED.items():
        if isinstance(data.get(section), list):
            upgraded[section] = [
                _without(entry, members) if isinstance(entry, dict) else entry
                for entry in data[section]
            ]
    if isinstance(data.get("items"), list):
        upgraded["items"] = [_item(entry) for entry in upgraded["items"]]
    if isinstance(data.get("trace"), list):
        upgraded["trace"] = _trace(data["trace"])
    return upgraded


def _entries(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    value = data.get(section)
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _list(entry: dict[str, Any], member: str) -> list[Any]:
    value = entry.get(member)
    return value if isinstance(value, list) else []


def _without(entry: dict[str, Any], members: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key not in members}


def _item(entry: Any) -> Any:
    """v2 leaves the status ``answered`` out, and writes an item's weight only where points
    count and the weight is not 1."""
    if not isinstance(entry, dict):
        return entry
    left_out = ("weight",) if "points" not in entry or _is_one(entry.get("weight")) else ()
    if entry.get("status") == "answered":
        left_out = (*left_out, "status")
    return _without(entry, left_out)


def _is_one(value: object) -> bool:
    try:
        return isinstance(value, str | int) and Decimal(value) == 1
    except InvalidOperation:
        return False


def _trace(steps: list[Any]) -> list[Any]:
    """The decision steps without their numbers (v2 numbers a step by its position), each
    input reduced to its reference (the completeness step's counts are the ``completeness``
    section, a rule's inputs are named by its condition)."""
    kept: list[Any] = []
    for step in steps:
        kind = step.get("kind") if isinstance(step, dict) else None
        if not isinstance(kind, str) or kind not in DECISIONS:
            continue
        step = {key: value for key, value in step.items() if key != "step"}
        refs = [ref.get("ref") if isinstance(ref, dict) else ref for ref in _list(step, "inputs")]
        step.pop("inputs", None)
        if refs and kind in _WITH_INPUTS:
            step["inputs"] = refs
        kept.append(step)
    return kept
