"""FHIRPath for the SDC export: applicability and indices as expressions a renderer evaluates.

A form renderer (LHC-Forms, any SDC filler) computes read-only items from their
``calculatedExpression`` and enables items by ``enableWhenExpression`` while the form is
filled in. This module spells kwg's scoring rules (``_engine/_score.py``, step 2 and 3) in
FHIRPath over the QuestionnaireResponse (``%resource``), with the scores read by the SDC
``weight()`` function from the answer options' ``ordinalValue``. It writes an expression
only where the expression gives exactly kwg's value; where it cannot, it returns ``None``
and the caller marks the element as not expressed. Nothing is approximated.

The tests evaluate every expression with fhirpath.js on the exported response of every
bundled example and compare with kwg's own summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import assert_never

import attrs

from .._model._types import format_decimal
from .._model.conditions import (
    AgeBand,
    All,
    AnswerAtLeast,
    AnswerIn,
    AnswerInTest,
    Any_,
    BandAtLeast,
    Condition,
    ContextIs,
    FlagRaised,
    IndexCompare,
    Not,
)
from .._model.instrument import Index, Instrument, Item, Scale

__all__ = ["Expressions"]

AGE_LINK_ID = "kwg:subject.age_months"


def _string(text: str) -> str:
    """A FHIRPath string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _answers(link_id: str) -> str:
    """The answers to one item, wherever it sits in the response."""
    return f"%resource.repeat(item).where(linkId={_string(link_id)}).answer"


def _codes(codes: Sequence[str]) -> str:
    return "(" + " | ".join(_string(code) for code in codes) + ")"


def _number(value: Decimal) -> str:
    return format_decimal(value)


@attrs.frozen
class Expressions:
    """The FHIRPath spelling of one instrument's items, conditions and indices."""

    instrument: Instrument
    items: Mapping[str, Item]
    scales: Mapping[str, Scale]
    indices: Mapping[str, Index]

    @classmethod
    def of(cls, instrument: Instrument) -> Expressions:
        items: dict[str, Item] = {}
        for item in instrument.items:
            items.setdefault(item.id, item)
        scales: dict[str, Scale] = {}
        for scale in instrument.scales:
            scales.setdefault(scale.id, scale)
        indices: dict[str, Index] = {}
        for index in instrument.indices:
            indices.setdefault(index.id, index)
        return cls(instrument, items, scales, indices)

    # -- conditions -------------------------------------------------------------------------

    def condition(self, condition: Condition) -> str | None:
        """A FHIRPath boolean that is true exactly when the condition holds (never empty)."""
        match condition:
            case AgeBand():
                age = condition.age_months
                if age.of != "subject":
                    return None  # the response holds the subject's age only
                tests = []
                if age.from_months is not None:
                    tests.append(f"$this >= {age.from_months}")
                if age.below_months is not None:
                    tests.append(f"$this < {age.below_months}")
                where = " and ".join(tests) or "true"
                return f"({_answers(AGE_LINK_ID)}.value.where({where}).exists())"
            case ContextIs():
                return self._answer_in(condition.context)
            case AnswerIn():
                return self._answer_in(condition.answer_in)
            case AnswerAtLeast():
                test = condition.answer_at_least
                item = self.items[test.item]
                levels = [level.id for level in self.scales[item.scale].levels]
                return self._level_in(item, levels[levels.index(test.level) :])
            case Not():
                inner = self.condition(condition.not_)
                return None if inner is None else f"({inner}.not())"
            case All():
                return self._joined(" and ", condition.all)
            case Any_():
                return self._joined(" or ", condition.any)
            case IndexCompare() | BandAtLeast() | FlagRaised():
                return None
            case _:
                assert_never(condition)

    def _joined(self, operator: str, conditions: Sequence[Condition]) -> str | None:
        parts = [self.condition(part) for part in conditions]
        if any(part is None for part in parts):
            return None
        return "(" + operator.join(part for part in parts if part is not None) + ")"

    def _answer_in(self, test: AnswerInTest) -> str | None:
        return self._level_in(self.items[test.item], test.levels)

    def _level_in(self, item: Item, levels: Sequence[str]) -> str | None:
        """The item applies and its counting level is one of ``levels``."""
        if item.response == "multiple" or item.per_caregiver:
            return None  # the counting level of several answers is not one answer's code
        applies = self.applies(item)
        if applies is None:
            return None
        test = f"{_answers(item.id)}.value.where(code in {_codes(levels)}).exists()"
        return f"({applies} and {test})" if applies != "true" else f"({test})"

    def applies(self, item: Item) -> str | None:
        """The item's applicability as a boolean expression (``true`` without a condition)."""
        if item.applies_when is None:
            return "true"
        return self.condition(item.applies_when)

    # -- items and indices ------------------------------------------------------------------

    def points(self, item: Item) -> str | None:
        """The points the item counts with (empty when it counts with none), as kwg scores
        them (``_engine/_assessment.py``): one level's points; for several levels the sum or
        the highest; per caregiver the most severe rating; the unknown marker its
        ``scores_as`` or nothing."""
        if item.kind == "context":
            return "{}"
        applies = self.applies(item)
        if applies is None:
            return None
        scale = self.scales[item.scale]
        levels = [level.id for level in scale.levels]
        answers = _answers(item.id)
        known = f"{answers}.value.where(code in {_codes(levels)})"
        unknown = "{}"
        has_unknown = "false"
        if scale.unknown is not None:
            has_unknown = f"{answers}.value.where(code = {_string(scale.unknown.id)}).exists()"
            if scale.unknown.scores_as is not None:
                unknown = _number(scale.unknown.scores_as)
        points = [level.points for level in scale.levels]
        ascending = points == sorted(points)
        if item.per_caregiver:
            if not ascending:
                return None  # the most severe rating's points are not the extreme points
            protective = item.kind == "protective"
            severe = levels[0] if protective else levels[-1]
            extreme = "min" if protective else "max"
            unknown_counts = f"{has_unknown} and {known}.where(code = {_string(severe)}).empty()"
            value = f"iif({unknown_counts}, {unknown}, {known}.weight().{extreme}())"
        elif item.response == "multiple":
            if item.combine == "sum":
                combined = f"iif({answers}.exists(), {known}.weight().sum())"
            elif ascending:
                combined = f"{known}.weight().max()"
            else:
                return None  # the highest level's points are not the highest points
            value = f"iif({has_unknown}, {unknown}, {combined})"
        else:
            value = f"iif({has_unknown}, {unknown}, {known}.weight())"
        return value if applies == "true" else f"iif({applies}, {value})"

    def _at_least(self, item: Item, level: str) -> str | None:
        """1 when the applicable item is answered at or above ``level``, else empty."""
        levels = [one.id for one in self.scales[item.scale].levels]
        test = self._level_in(item, levels[levels.index(level) :])
        return None if test is None else f"iif({test}, 1)"

    def index(self, index: Index) -> str | None:
        """The index value as kwg computes it, or ``None`` when FHIRPath cannot say it."""
        terms: list[str | None] = []
        if index.aggregation == "count_at_least":
            if index.indices or index.at_least is None:
                return None
            terms = [self._at_least(self.items[i], index.at_least) for i in index.items]
        elif index.aggregation == "max_band":
            return None
        else:
            for item_id in index.items:
                item = self.items[item_id]
                points = self.points(item)
                if points is not None and index.aggregation == "weighted_sum":
                    points = f"({points} * {_number(item.weight)})"
                terms.append(points)
            terms.extend(self.index(self.indices[i]) for i in index.indices)
        if any(term is None for term in terms):
            return None
        collection = _combined([term for term in terms if term is not None])
        match index.aggregation:
            case "sum" | "weighted_sum":
                return f"{collection}.combine(0).sum()"  # the sum of nothing is 0, not empty
            case "count_at_least":
                return f"{collection}.count()"
            case "max" | "min":
                return f"{collection}.{index.aggregation}()"
            case "mean":
                if index.rounding is None or not self._rounds_alike(index):
                    return None

                return f"{collection}.avg().round({index.rounding.places})"
            case _:
                return None

    def _rounds_alike(self, index: Index) -> bool:
        """fhirpath.js rounds halves up (towards +∞), kwg's ``half_up`` away from zero:
        the same only while no input can be negative."""
        if index.rounding is None or index.rounding.mode != "half_up" or index.indices:
            return False
        for item_id in index.items:
            scale = self.scales[self.items[item_id].scale]
            points = [level.points for level in scale.levels]
            if scale.unknown is not None and scale.unknown.scores_as is not None:
                points.append(scale.unknown.scores_as)
            if min(points) < 0:
                return False
        return True


def _combined(terms: Sequence[str]) -> str:
    """All terms' values in one collection, duplicates kept (``|`` would drop them)."""
    if not terms:
        return "{}"
    first, *rest = terms
    return f"%resource.select({first})" + "".join(
        f".combine(%resource.select({term}))" for term in rest
    )
