"""Reassessment comparison: what changed between two assessments of the same child.

A reassessment is read against the previous one. Practice asks first: is the outcome the
same, did the range of outcomes the unknowns allow narrow (was clarified what had to be
clarified), are the parents and the child now involved, which flags were raised or cleared,
which resources were gained or lost. Those answers are the comparison's *headline*
(:attr:`Comparison.outcome`, :attr:`Comparison.range`, :attr:`Comparison.participation`,
then the flag and resource entries of :attr:`Comparison.changes`); the list of every change
follows: indices, bands and flags that changed, items rated higher or lower, resources.
Either side may be an assessment (scored here) or a stored summary; a summary does not
record participation, so participation is compared only between two assessments.

*Same child* means the same pseudonymous case id (``subject.case_id`` of an assessment,
``assessment.case_id`` of a summary). *Compatible versions* means the same instrument id;
the versions may differ. Items, indices and flags are matched by id; an element present on
one side only is listed as added or removed, never silently dropped. Resources, which have no
id, are matched by category and label, the label in the form of
:func:`~kwg_check._model._types.label_match_key` (NFC, whitespace runs and no-break spaces as
one space): the same words typed on another keyboard are not a resource lost and one gained.
A change carries the label as written in the new assessment (in the old one if removed).

This module compares what is already scored; the public :func:`kwg_check.compare` scores
an assessment side first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Literal, TypeVar

import attrs

from .._errors import ComparisonError
from .._model import Assessment, Instrument, Resource, Summary
from .._model._types import format_decimal, label_match_key

__all__ = [
    "Change",
    "ChangeKind",
    "Comparison",
    "Direction",
    "RangeChange",
    "RangeDirection",
    "check_comparable",
    "comparison",
]

ChangeKind = Literal["outcome", "participation", "index", "band", "flag", "item", "resource"]
Direction = Literal["up", "down", "changed", "added", "removed", "unchanged"]
RangeDirection = Literal["narrowed", "widened", "up", "down", "changed", "unchanged"]
K = TypeVar("K")

_MIRROR: dict[Direction, Direction] = {
    "up": "down",
    "down": "up",
    "changed": "changed",
    "added": "removed",
    "removed": "added",
    "unchanged": "unchanged",
}
_RANGE_MIRROR: dict[RangeDirection, RangeDirection] = {
    "narrowed": "widened",
    "widened": "narrowed",
    "up": "down",
    "down": "up",
    "changed": "changed",
    "unchanged": "unchanged",
}


@attrs.frozen
class Change:
    """One difference between the previous and the new assessment.

    ``direction`` is ``up`` when the new value is more pronounced (a more severe outcome, a
    higher value or band, a raised flag, an item rated on a higher level, a resource that is
    now available, a party now involved), ``down`` for the opposite, ``changed`` when there
    is no order (e.g. an item that was unknown and is now rated), ``added``/``removed`` for
    elements (or resource entries) on one side only, ``unchanged`` only for the headline's
    :attr:`Comparison.outcome` when the final outcome stayed the same.

    A participation change has ``id`` ``parents`` or ``child`` and the values ``involved``,
    ``not_involved`` or ``None`` (not recorded).
    """

    kind: ChangeKind
    id: str
    old: str | None
    new: str | None
    direction: Direction
    label: str | None = None
    """The resource's own label, for resource entries compared between two assessments."""

    def mirrored(self) -> Change:
        """The same change seen from the other side (old and new swapped)."""
        return attrs.evolve(self, old=self.new, new=self.old, direction=_MIRROR[self.direction])


@attrs.frozen
class RangeChange:
    """How the range of outcomes the unknowns allow moved (outcome ids, lowest and highest).

    ``narrowed``: the new range lies inside the old one (clarified unknowns ruled outcomes
    out); ``widened``: the opposite; ``up``/``down``: it moved to more/less severe outcomes;
    ``changed``: one side has no range (nothing computed); ``unchanged``: the same range.
    """

    old: tuple[str | None, str | None]
    new: tuple[str | None, str | None]
    direction: RangeDirection

    def mirrored(self) -> RangeChange:
        """The same movement seen from the other side."""
        return RangeChange(self.new, self.old, _RANGE_MIRROR[self.direction])


@attrs.frozen
class Comparison:
    """Everything that changed between two assessments of one child with one instrument.

    ``outcome``, ``range`` and ``participation`` answer practice's first questions (and are
    there even when nothing changed); ``changes`` lists every change, in the order outcome,
    indices and bands, flags, items, resources.
    """

    case_id: str
    old: Summary
    new: Summary
    old_instrument: Instrument
    new_instrument: Instrument
    changes: tuple[Change, ...]
    outcome: Change
    """The final outcome: ``unchanged`` or the direction it moved."""
    range: RangeChange
    """The range of outcomes the unknowns allow, before and after."""
    participation: tuple[Change, ...] = ()
    """Parents and child now involved or no longer (between two assessments only)."""

    @property
    def flags(self) -> tuple[Change, ...]:
        """Flags raised (``up``) or cleared (``down``) since the previous assessment."""
        return tuple(c for c in self.changes if c.kind == "flag" and c.direction in ("up", "down"))

    @property
    def resources(self) -> tuple[Change, ...]:
        """Resources gained or lost since the previous assessment."""
        return tuple(c for c in self.changes if c.kind == "resource")


def check_comparable(old: Assessment | Summary, new: Assessment | Summary) -> None:
    """Raise :class:`ComparisonError` unless the two belong to one child and one instrument
    (the same instrument id; other versions of one instrument compare)."""
    old_case = old.subject.case_id if isinstance(old, Assessment) else old.assessment.case_id
    new_case = new.subject.case_id if isinstance(new, Assessment) else new.assessment.case_id
    if old_case != new_case:
        pointer = "/subject/case_id" if isinstance(new, Assessment) else "/assessment/case_id"
        raise ComparisonError.single(
            pointer,
            "compare.subject-mismatch",
            "the two documents belong to different case ids; only assessments of the same "
            "child can be compared",
        )
    if old.instrument.id != new.instrument.id:
        raise ComparisonError.single(
            "/instrument/id",
            "compare.instrument-mismatch",
            f"the documents use different instruments ({old.instrument.id}, "
            f"{new.instrument.id}); only versions of one instrument can be compared",
        )


Side = tuple[Summary, Instrument]
"""A scored side of a comparison: its summary and the instrument it was scored with."""


def comparison(
    old: Assessment | Summary, new: Assessment | Summary, old_side: Side, new_side: Side
) -> Comparison:
    """Everything that changed from ``old`` to ``new``, given both sides scored.

    Checks :func:`check_comparable` first.
    """
    check_comparable(old, new)
    (old_summary, old_instrument), (new_summary, new_instrument) = old_side, new_side
    changes = [
        *_outcome_changes(old_summary, new_summary, new_instrument),
        *_index_changes(old_summary, new_summary, new_instrument, old_instrument),
        *_flag_changes(old_summary, new_summary),
        *_item_changes(old_summary, new_summary),
        *_resource_changes(old, new, old_summary, new_summary),
    ]
    order = [outcome.id for outcome in new_instrument.outcomes]
    return Comparison(
        new_summary.assessment.case_id,
        old_summary,
        new_summary,
        old_instrument,
        new_instrument,
        tuple(changes),
        outcome=_final_outcome(old_summary, new_summary, order),
        range=_range_change(old_summary, new_summary, order),
        participation=tuple(_participation_changes(old, new)),
    )


def _final_outcome(old: Summary, new: Summary, order: Sequence[str]) -> Change:
    """The final outcome before and after, ``unchanged`` when it stayed the same."""
    was, now = old.outcome.final, new.outcome.final
    change = _ordered("outcome", "final", was, now, order)
    return change if change is not None else Change("outcome", "final", was, now, "unchanged")


def _range_change(old: Summary, new: Summary, order: Sequence[str]) -> RangeChange:
    """How the range of outcomes the unknowns allow moved, by the instrument's order."""
    before = (old.unknowns.range.lowest, old.unknowns.range.highest)
    after = (new.unknowns.range.lowest, new.unknowns.range.highest)
    if before == after:
        return RangeChange(before, after, "unchanged")
    ends = (*before, *after)
    if any(end is None or end not in order for end in ends):
        return RangeChange(before, after, "changed")
    old_low, old_high, new_low, new_high = (order.index(end) for end in ends)
    direction: RangeDirection
    if old_low <= new_low and new_high <= old_high:
        direction = "narrowed"
    elif new_low <= old_low and old_high <= new_high:
        direction = "widened"
    else:  # not nested: both ends moved the same way
        direction = "up" if new_low + new_high > old_low + old_high else "down"
    return RangeChange(before, after, direction)


def _participation_changes(
    old: Assessment | Summary, new: Assessment | Summary
) -> Iterable[Change]:
    """Parents and child now involved (``up``) or no longer (``down``); ``changed`` between
    not recorded and not involved. A summary does not record participation: nothing."""
    if not (isinstance(old, Assessment) and isinstance(new, Assessment)):
        return
    for party in ("parents", "child"):
        was_part = getattr(old.participation, party)
        now_part = getattr(new.participation, party)
        was = None if was_part is None else was_part.involved
        now = None if now_part is None else now_part.involved
        if was == now:
            continue
        direction: Direction = "up" if now else "down" if was else "changed"
        words = ("involved", "not_involved")
        old_text, new_text, _ = _switch(was, now, words)
        yield Change("participation", party, old_text, new_text, direction)


def _ordered(
    kind: ChangeKind, ident: str, old: str | None, new: str | None, order: Sequence[str]
) -> Change | None:
    """A change between two ids of an ordered list (outcomes, bands)."""
    if old == new:
        return None
    direction: Direction = "changed"
    if old is not None and new is not None and old in order and new in order:
        direction = "up" if order.index(new) > order.index(old) else "down"
    return Change(kind, ident, old, new, direction)


def _outcome_changes(old: Summary, new: Summary, instrument: Instrument) -> Iterable[Change]:
    order = [outcome.id for outcome in instrument.outcomes]
    for field in ("computed", "final"):
        change = _ordered(
            "outcome",
            field,
            getattr(old.outcome, field),
            getattr(new.outcome, field),
            order,
        )
        if change is not None:
            yield change


def _band_order(index_id: str, instruments: Sequence[Instrument]) -> list[str]:
    for instrument in instruments:
        for index in instrument.indices:
            if index.id == index_id and index.bands:
                return [band.id for band in index.bands]
    return []


def _decimal_change(ident: str, old: Decimal | None, new: Decimal | None) -> Change | None:
    if old == new:
        return None
    direction: Direction = "changed"
    if old is not None and new is not None:
        direction = "up" if new > old else "down"
    text_old = format_decimal(old) if old is not None else None
    text_new = format_decimal(new) if new is not None else None
    return Change("index", ident, text_old, text_new, direction)


def _index_changes(old: Summary, new: Summary, *instruments: Instrument) -> Iterable[Change]:
    before = {index.id: index for index in old.indices}
    after = {index.id: index for index in new.indices}
    for ident in _union(before, after):
        was, now = before.get(ident), after.get(ident)
        if was is None or now is None:
            direction: Direction = "added" if was is None else "removed"
            yield Change("index", ident, None, None, direction)
            continue
        value = _decimal_change(ident, was.value, now.value)
        if value is not None:
            yield value
        band = _ordered("band", ident, was.band, now.band, _band_order(ident, instruments))
        if band is not None:
            yield band


def _switch(
    was: bool | None, now: bool | None, words: tuple[str, str]
) -> tuple[str | None, str | None, Direction]:
    """Old value, new value and direction of a yes/no fact (a flag, a resource) that changed;
    ``None`` is a side that does not have it."""
    yes, no = words
    old_text = None if was is None else (yes if was else no)
    new_text = None if now is None else (yes if now else no)
    if was is None or now is None:
        return old_text, new_text, "added" if was is None else "removed"
    return old_text, new_text, "up" if now else "down"


def _flag_changes(old: Summary, new: Summary) -> Iterable[Change]:
    before = {flag.id: flag.raised for flag in old.flags}
    after = {flag.id: flag.raised for flag in new.flags}
    for ident in _union(before, after):
        was, now = before.get(ident), after.get(ident)
        if was != now:
            yield Change("flag", ident, *_switch(was, now, ("raised", "not_raised")))


def _item_value(status: str, level: str | None) -> str:
    return level if status == "answered" and level is not None else status


def _item_changes(old: Summary, new: Summary) -> Iterable[Change]:
    before = {item.id: item for item in old.items}
    after = {item.id: item for item in new.items}
    for ident in _union(before, after):
        was, now = before.get(ident), after.get(ident)
        if was is None or now is None:
            direction: Direction = "added" if was is None else "removed"
            old_value = None if was is None else _item_value(was.status, was.level)
            new_value = None if now is None else _item_value(now.status, now.level)
            yield Change("item", ident, old_value, new_value, direction)
            continue
        old_value = _item_value(was.status, was.level)
        new_value = _item_value(now.status, now.level)
        if old_value == new_value and was.points == now.points:
            continue
        direction = "changed"
        rated = was.status == now.status == "answered"
        if rated and was.points is not None and now.points is not None and now.points != was.points:
            direction = "up" if now.points > was.points else "down"
        yield Change("item", ident, old_value, new_value, direction)


def _resource_changes(
    old: Assessment | Summary, new: Assessment | Summary, old_summary: Summary, new_summary: Summary
) -> Iterable[Change]:
    if isinstance(old, Assessment) and isinstance(new, Assessment):
        before, after = _resources_by_label(old), _resources_by_label(new)
        for key in _union(before, after):
            was, now = before.get(key), after.get(key)
            was_available = None if was is None else was.available
            now_available = None if now is None else now.available
            if was_available != now_available:
                shown = now if now is not None else was
                assert shown is not None  # the key comes from one side or the other
                words = ("available", "not_available")
                switch = _switch(was_available, now_available, words)
                yield Change("resource", key[0], *switch, shown.label)
        return
    counts_before = {r.category: r.available for r in old_summary.resources}
    counts_after = {r.category: r.available for r in new_summary.resources}
    for category in _union(counts_before, counts_after):
        was_count, now_count = counts_before.get(category, 0), counts_after.get(category, 0)
        if was_count != now_count:
            direction: Direction = "up" if now_count > was_count else "down"
            yield Change("resource", category, str(was_count), str(now_count), direction)


def _resources_by_label(assessment: Assessment) -> dict[tuple[str, str], Resource]:
    """Resources by category and matching form of the label (the last of equal ones wins)."""
    return {(r.category, label_match_key(r.label)): r for r in assessment.resources}


def _union(before: Mapping[K, object], after: Mapping[K, object]) -> list[K]:
    """Keys of both sides: the new side's order first, then what only the old side has."""
    keys = list(after)
    keys.extend(key for key in before if key not in after)
    return keys
