"""Typed conditions: JSON objects with exactly one key naming the test.

Conditions are data, never strings to evaluate. The compile step checks every reference
they make (items, levels, indices, bands, flags) and turns them into plain callables.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Discriminator, Field, Tag

from ._types import JSON_INT, RECURSIVE, Exact, Id, Part

__all__ = [
    "TAG_OF_KIND",
    "AgeBand",
    "AgeOf",
    "All",
    "AnswerAtLeast",
    "AnswerIn",
    "Any_",
    "BandAtLeast",
    "Condition",
    "ConditionKind",
    "ContextIs",
    "FlagRaised",
    "IndexCompare",
    "Not",
    "ResultIs",
    "ResultTest",
]


class AnswerAtLeastTest(Part):
    """Arguments of ``answer_at_least``."""

    item: Id
    """The item whose answer is tested."""
    level: Id
    """The answer's level must be this level or a more severe one of the item's scale."""


class AnswerInTest(Part):
    """Arguments of ``answer_in`` and ``context``."""

    item: Id
    """The item whose answer is tested."""
    levels: list[Id] = Field(min_length=1)
    """The answer's level must be one of these."""


class IndexTest(Part):
    """Arguments of ``index``."""

    index: Id
    """The index whose value is compared. A value that cannot be computed never matches."""
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    """Comparison operator."""
    value: Exact
    """The number to compare with."""


class BandTest(Part):
    """Arguments of ``band``."""

    index: Id
    """The banded index."""
    band: Id
    """The index's band must be this band or a higher one."""


AgeOf = Literal["subject", "youngest_child", "oldest_child"]
"""Whose age an age band reads: the subject's own (a child, young adult or caregiver), or
that of the youngest or oldest member of a family subject with the role child."""


class AgeTest(Part):
    """Arguments of ``age_months``: an age band, either bound optional."""

    from_months: Annotated[int, Field(ge=0, le=1440), JSON_INT] | None = None
    """Inclusive lower bound of the age in completed months."""
    below_months: Annotated[int, Field(ge=1, le=1440), JSON_INT] | None = None
    """Exclusive upper bound of the age in completed months."""
    of: AgeOf = "subject"
    """Whose age: ``subject`` (default), ``youngest_child`` or ``oldest_child`` (members of
    a family subject with the role child). An age that is not there (a family has no age of
    its own, another subject has no members) never matches."""


class ResultTest(Part):
    """Arguments of ``result``: which result, and the values it must have (exactly one of
    ``at_least`` and ``in``)."""

    result: Id | None = None
    """The further result whose value is tested; absent: the primary outcome (its computed
    value: decision table, policy overrides and flag floor)."""
    at_least: Id | None = None
    """The value must be this one or a later (more severe) one of the result's list."""
    in_: list[Id] | None = Field(default=None, alias="in", min_length=1)
    """The value must be one of these."""


class All(Part):
    """True when every condition is true."""

    all: list[Condition] = Field(min_length=1)
    """The conditions that must all hold."""


class Any_(Part):
    """True when at least one condition is true."""

    any: list[Condition] = Field(min_length=1)
    """The conditions of which at least one must hold."""


class Not(Part):
    """True when the condition is false."""

    not_: Condition = Field(alias="not")
    """The condition that must not hold."""


class AnswerAtLeast(Part):
    """True when the item's answer is at or above a level (unknown and missing never match)."""

    answer_at_least: AnswerAtLeastTest
    """Item and minimum level."""


class AnswerIn(Part):
    """True when the item's answer is one of the levels."""

    answer_in: AnswerInTest
    """Item and accepted levels."""


class ContextIs(Part):
    """True when a context item (setting, who initiated, …) has one of the levels."""

    context: AnswerInTest
    """Context item and accepted levels."""


class IndexCompare(Part):
    """True when an index's value compares true with a number."""

    index: IndexTest
    """Index, operator and number."""


class BandAtLeast(Part):
    """True when a banded index falls in a band at or above the given one."""

    band: BandTest
    """Index and minimum band."""


class FlagRaised(Part):
    """True when the flag is raised."""

    flag: Id
    """The flag id."""


class ResultIs(Part):
    """True when a result (the primary outcome or a further result) has one of the values.
    Only the tables of further results may read results; a result without a value (the
    primary outcome when nothing was computed) never matches."""

    result: ResultTest
    """The result and the values."""


class AgeBand(Part):
    """True when the age on the assessment date (the subject's, or a family member's) lies in
    the band."""

    age_months: AgeTest
    """The age band in months."""


ConditionKind = (
    Annotated[All, Tag("all")]
    | Annotated[Any_, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[AnswerAtLeast, Tag("answer_at_least")]
    | Annotated[AnswerIn, Tag("answer_in")]
    | Annotated[ContextIs, Tag("context")]
    | Annotated[IndexCompare, Tag("index")]
    | Annotated[BandAtLeast, Tag("band")]
    | Annotated[FlagRaised, Tag("flag")]
    | Annotated[AgeBand, Tag("age_months")]
    | Annotated[ResultIs, Tag("result")]
)
"""The one declaration of the condition kinds and their keys. Every dispatch over a condition
is a ``match`` ending in ``assert_never``, so adding a kind here and not handling it somewhere
fails type-checking; the key list and the type→key table below are derived from it."""


def _tag(member: Any) -> str:
    tags = [meta.tag for meta in get_args(member)[1:] if isinstance(meta, Tag)]
    return tags[0]


TAG_OF_KIND: dict[type[Part], str] = {
    get_args(member)[0]: _tag(member) for member in get_args(ConditionKind)
}
"""Condition class → its one JSON key, in declaration order."""

_KEYS = tuple(TAG_OF_KIND.values())


def _condition_key(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [key for key in _KEYS if key in value]
        return keys[0] if len(keys) == 1 else None
    if isinstance(value, Part):
        return TAG_OF_KIND.get(type(value))
    return None


Condition = Annotated[
    ConditionKind,
    Discriminator(
        _condition_key,
        custom_error_type="condition",
        custom_error_message="a condition is an object with exactly one of the keys "
        + ", ".join(_KEYS),
    ),
]
"""A typed condition: a JSON object with exactly one key (``all``, ``any``, ``not``,
``answer_at_least``, ``answer_in``, ``context``, ``index``, ``band``, ``flag``,
``age_months``, ``result``), checked against the instrument when it is compiled."""

RECURSIVE.extend((All, Any_, Not))  # built with the first model holding them
