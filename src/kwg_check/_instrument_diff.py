"""What differs between two instruments, and what the difference does to scored assessments.

Two versions of an instrument (or a local variant and its base) are compared field by field
along the instrument model. Every difference carries an RFC 6901 pointer and is classed by
the field it is in, from one table (:data:`FIELD_CLASSES`):

- *score-affecting*: the field can change something a summary computes — an index value or
  band, a raised flag, the computed, floor or final outcome with its traffic light, § 99
  category and forms of endangerment, completeness, the unknown range, a process-check
  result, a warning, or an id the trace names;
- *cosmetic*: the field only changes words or order shown to people (labels, anchors,
  guidance, rationales, sources, licence, the order of items), or the version itself.

List members with an ``id`` (scales, levels, items, indices, bands, flags, rules, …) are
matched by id, never by position: a reordered list is one difference at the list's pointer
(classed by :data:`ORDER_CLASSES`: the order of outcomes, levels, bands and decision rules
counts), and a changed member is reported at the member's own pointer. A renamed member is
one removed and one added. Pointers point into NEW, those of removed things into OLD.
Conditions, texts and extensions are compared whole and reported at their field.

The impact of a difference is measured, not guessed: :func:`tabulate_impact` takes each
assessment's summaries under both instruments and names, for every changed outcome, the
score-affecting differences that touch what its trace shows changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal

import attrs
from pydantic import BaseModel

from ._io import JsonValue
from ._model import Instrument, Summary
from ._model import instrument as _instrument_model
from ._model._types import format_decimal
from ._registry import version_key

__all__ = [
    "FIELD_CLASSES",
    "ORDER_CLASSES",
    "Impact",
    "ImpactChange",
    "InstrumentChange",
    "InstrumentDiff",
    "diff_instruments",
    "primary_outcome",
    "tabulate_impact",
]

ChangeKind = Literal["added", "removed", "changed"]
FieldClass = Literal["score", "cosmetic"]

FIELD_CLASSES: Mapping[str, FieldClass] = {
    # --- the instrument itself ---------------------------------------------------------------
    "Instrument.schema_": "cosmetic",  # an editor hint
    "Instrument.document_type": "cosmetic",  # always "instrument"
    "Instrument.id": "score",  # assessments name it: another id scores none of them
    "Instrument.version": "cosmetic",  # the version itself; see InstrumentDiff.version_bumped
    "Instrument.languages": "cosmetic",  # which languages the texts are written in
    "Instrument.title": "cosmetic",
    "Instrument.description": "cosmetic",
    "Instrument.disclaimer": "cosmetic",
    "Instrument.sources": "cosmetic",
    "Instrument.licence": "cosmetic",
    "Instrument.method": "score",
    "Instrument.monotone": "score",  # how unknown ranges are computed
    "Instrument.minimum_completeness": "score",
    "Instrument.stale_after_days": "score",  # warnings
    "Instrument.scales": "score",
    "Instrument.domains": "score",  # completeness per domain
    "Instrument.items": "score",
    "Instrument.indices": "score",
    "Instrument.flags": "score",
    "Instrument.outcomes": "score",
    "Instrument.decision_table": "score",
    "Instrument.policy_overrides": "score",
    "Instrument.discretionary_override": "score",
    "Instrument.process_checks": "score",
    "Instrument.unknown_scores_as": "score",  # the default unknown policy
    "Instrument.results": "score",  # further results: values, ranges, trace
    "Instrument.subject_kinds": "score",  # an assessment of another kind is refused
    "Instrument.extensions": "cosmetic",  # the publisher's data, never interpreted
    "Instrument.derives_from": "cosmetic",  # where a variant came from; its contents differ
    "Instrument.migrations": "cosmetic",  # how old assessments are carried, not how scored
    "BaseRef.id": "cosmetic",
    "BaseRef.version": "cosmetic",
    "BaseRef.fingerprint": "cosmetic",
    "Migration.from_version": "cosmetic",
    "Migration.items": "cosmetic",
    "ItemMigration.to": "cosmetic",
    "ItemMigration.levels": "cosmetic",
    "ItemMigration.drop": "cosmetic",
    "ItemMigration.split": "cosmetic",
    "SplitTarget.to": "cosmetic",
    "SplitTarget.levels": "cosmetic",
    "Source.citation": "cosmetic",
    "Source.url": "cosmetic",
    # --- scales ------------------------------------------------------------------------------
    "Scale.id": "score",
    "Scale.label": "cosmetic",
    "Scale.levels": "score",
    "Scale.unknown": "score",
    "Level.id": "score",
    "Level.label": "cosmetic",
    "Level.points": "score",
    "Level.anchor": "cosmetic",
    "Level.pole": "score",  # strength and concern counts, concerning default
    "UnknownLevel.id": "score",
    "UnknownLevel.label": "cosmetic",
    "UnknownLevel.scores_as": "score",  # the unknown policy
    # --- domains and items -------------------------------------------------------------------
    "Domain.id": "score",
    "Domain.label": "cosmetic",
    "Domain.description": "cosmetic",
    "Item.id": "score",
    "Item.domain": "score",  # completeness per domain
    "Item.kind": "score",
    "Item.label": "cosmetic",
    "Item.scale": "score",
    "Item.weight": "score",
    "Item.response": "score",
    "Item.combine": "score",
    "Item.per_caregiver": "score",
    "Item.applies_when": "score",  # applicability
    "Item.guidance": "cosmetic",
    "Item.anchors": "cosmetic",
    "Item.evidence_required_from": "score",  # the evidence check
    "Item.indicates": "score",  # forms of endangerment
    "Item.concerning_from": "score",  # forms of endangerment
    "Item.anchors_by_age": "cosmetic",
    "Item.codes": "score",  # copied into every summary
    "ItemAnchor.level": "cosmetic",
    "ItemAnchor.anchor": "cosmetic",
    "ItemAnchor.age_months": "cosmetic",
    "Code.system": "score",
    "Code.code": "score",
    # --- indices and bands -------------------------------------------------------------------
    "Index.id": "score",
    "Index.label": "cosmetic",
    "Index.side": "score",
    "Index.aggregation": "score",
    "Index.items": "score",
    "Index.indices": "score",
    "Index.at_least": "score",
    "Index.rounding": "score",
    "Index.bands": "score",
    "Index.factor": "score",
    "Index.minimum_answered": "score",
    "Rounding.places": "score",
    "Rounding.mode": "score",
    "Band.id": "score",
    "Band.label": "cosmetic",
    "Band.at_least": "score",
    # --- flags, outcomes, rules and overrides ------------------------------------------------
    "Flag.id": "score",
    "Flag.label": "cosmetic",
    "Flag.severity": "score",
    "Flag.when": "score",
    "Flag.minimum_outcome": "score",
    "Flag.indicates": "score",
    "Outcome.id": "score",
    "Outcome.label": "cosmetic",
    "Outcome.description": "cosmetic",
    "Outcome.traffic_light": "score",
    "Outcome.statistic_category": "score",
    "DecisionRule.id": "score",
    "DecisionRule.when": "score",
    "DecisionRule.outcome": "score",
    "DecisionRule.rationale": "cosmetic",
    "Result.id": "score",
    "Result.label": "cosmetic",
    "Result.description": "cosmetic",
    "Result.outcomes": "score",
    "Result.table": "score",
    "ResultValue.id": "score",
    "ResultValue.label": "cosmetic",
    "ResultValue.description": "cosmetic",
    "PolicyOverride.id": "score",
    "PolicyOverride.when": "score",
    "PolicyOverride.minimum_outcome": "score",
    "PolicyOverride.rationale": "cosmetic",
    "DiscretionaryOverridePolicy.max_levels_up": "score",
    "DiscretionaryOverridePolicy.max_levels_down": "score",
    # --- process checks ----------------------------------------------------------------------
    "ProcessCheck.id": "score",
    "ProcessCheck.label": "cosmetic",
    "ProcessCheck.legal_reference": "cosmetic",  # copied into the result as a reference
    "ProcessCheck.applies_when": "score",
    "ProcessCheck.requirement": "score",
    "MinAssessorsCheck.check": "score",
    "MinAssessorsCheck.count": "score",
    "ParticipationCheck.check": "score",
    "ParticipationCheck.party": "score",
    "ConsultationCheck.check": "score",
    "ConsultationCheck.role": "score",
    "AssessorRoleCheck.check": "score",
    "AssessorRoleCheck.role": "score",
    "EvidenceCheck.check": "score",
    "ConcernsAnsweredCheck.check": "score",
    "ConcernsAnsweredCheck.from_outcome": "score",
}
"""The class of every field of the instrument model (``Model.field``), declared once; a test
walks the model and fails when a field is missing here. The docs' table is this table."""

ORDER_CLASSES: Mapping[str, FieldClass] = {
    "Instrument.outcomes": "score",  # least severe first
    "Instrument.decision_table": "score",  # first match wins
    "Scale.levels": "score",  # ascending: "at least" follows the order
    "Index.bands": "score",  # max_band compares band positions
    "Result.outcomes": "score",  # least severe first: "at least" follows the order
    "Result.table": "score",  # first match wins
}
"""Lists whose order counts for scoring; reordering any other list is cosmetic."""

_WALKED: frozenset[type] = frozenset(
    getattr(_instrument_model, name) for name in _instrument_model.__all__
)
"""The models walked field by field: those of the instrument module. Texts, conditions and
extensions are compared whole."""


@attrs.frozen
class InstrumentChange:
    """One difference between two instruments."""

    pointer: str
    """RFC 6901 pointer: into NEW, or into OLD for something removed."""
    change: ChangeKind
    """added, removed or changed (a reorder is a change of the list)."""
    field: str
    """The model field the difference is in (``Band.at_least``); ``#order`` marks a reorder."""
    score_affecting: bool
    """Whether the field can change what a summary computes."""
    subject: tuple[str, str] | None
    """The top-level member the difference is in (``("indices", "risk_total")``), or
    ``None`` for a field of the instrument itself."""
    old: JsonValue = None
    """The old value (``None``: absent)."""
    new: JsonValue = None
    """The new value (``None``: absent)."""


@attrs.frozen
class InstrumentDiff:
    """Every difference between two instruments, in document order."""

    old_id: str
    old_version: str
    new_id: str
    new_version: str
    changes: tuple[InstrumentChange, ...]
    new: Instrument | None = None
    """NEW itself, whose default language the differences are shown in."""

    @property
    def score_affecting(self) -> tuple[InstrumentChange, ...]:
        """The differences that can change a score or an outcome."""
        return tuple(change for change in self.changes if change.score_affecting)

    @property
    def cosmetic(self) -> tuple[InstrumentChange, ...]:
        """The differences people see but scoring does not."""
        return tuple(change for change in self.changes if not change.score_affecting)

    @property
    def version_bumped(self) -> bool:
        """NEW's version is higher than OLD's (semantic-version order)."""
        return version_key(self.new_version) > version_key(self.old_version)

    @property
    def bump_missing(self) -> bool:
        """Score-affecting differences without a higher version: what CI refuses."""
        return bool(self.score_affecting) and not self.version_bumped


def diff_instruments(old: Instrument, new: Instrument) -> InstrumentDiff:
    """Every difference between ``old`` and ``new``, classed (see the module docstring)."""
    changes = tuple(_fields(old, new, "", "", None))
    return InstrumentDiff(old.id, old.version, new.id, new.version, changes, new)


def _class_of(field: str) -> bool:
    """Whether differences in ``field`` are score-affecting (``#order``: the list's order)."""
    name, _, order = field.partition("#")
    if order:
        return ORDER_CLASSES.get(name, "cosmetic") == "score"
    return FIELD_CLASSES[name] == "score"


def _walked(value: object) -> bool:
    """Models of the instrument module are walked field by field (see :data:`_WALKED`)."""
    return type(value) in _WALKED


def _fields(
    old: BaseModel, new: BaseModel, old_at: str, new_at: str, subject: tuple[str, str] | None
) -> Iterator[InstrumentChange]:
    """The differences of two models of the same class, field by field."""
    model = type(new)
    for name, info in model.model_fields.items():
        token = info.alias or name
        yield from _values(
            f"{model.__name__}.{name}",
            getattr(old, name),
            getattr(new, name),
            (f"{old_at}/{token}", f"{new_at}/{token}"),
            subject,
        )


def _values(
    field: str,
    old: object,
    new: object,
    at: tuple[str, str],
    subject: tuple[str, str] | None,
) -> Iterator[InstrumentChange]:
    """The differences of one field's two values."""
    if _members(old) and _members(new):
        yield from _member_lists(field, old, new, at, subject)  # type: ignore[arg-type]
    elif isinstance(old, list) and isinstance(new, list):
        yield from _plain_lists(field, old, new, at, subject)
    elif _walked(old) and type(old) is type(new):
        yield from _fields(old, new, *at, subject)  # type: ignore[arg-type]
    elif old != new:
        kind: ChangeKind = "added" if old is None else "removed" if new is None else "changed"
        pointer = at[0] if kind == "removed" else at[1]
        yield _change(pointer, kind, field, subject, old, new)


def _change(
    pointer: str,
    kind: ChangeKind,
    field: str,
    subject: tuple[str, str] | None,
    old: object = None,
    new: object = None,
) -> InstrumentChange:
    return InstrumentChange(pointer, kind, field, _class_of(field), subject, _json(old), _json(new))


def _members(value: object) -> bool:
    """A list whose members have ids (possibly empty), matched by id."""
    return isinstance(value, list) and all(_walked(m) and hasattr(m, "id") for m in value)


def _id(member: BaseModel) -> str:
    """A list member's id (every walked list member has one, see :func:`_members`)."""
    ident: str = getattr(member, "id")  # noqa: B009 (BaseModel declares no id)
    return ident


def _member_lists(
    field: str,
    old: Sequence[BaseModel],
    new: Sequence[BaseModel],
    at: tuple[str, str],
    subject: tuple[str, str] | None,
) -> Iterator[InstrumentChange]:
    """Members matched by id: changed ones at their own pointer, then the added, the
    removed, and the order of the members both sides have."""
    old_at = {_id(member): index for index, member in enumerate(old)}
    collection = field.partition(".")[2]
    for index, member in enumerate(new):
        ident = _id(member)
        inner = subject or (collection, ident)
        pointers = (f"{at[0]}/{old_at.get(ident)}", f"{at[1]}/{index}")
        if ident in old_at:
            yield from _fields(old[old_at[ident]], member, *pointers, inner)
        else:
            yield _change(pointers[1], "added", field, inner, new=member)
    new_ids = {_id(member) for member in new}
    for index, member in enumerate(old):
        ident = _id(member)
        if ident not in new_ids:
            yield _change(
                f"{at[0]}/{index}", "removed", field, subject or (collection, ident), member
            )
    old_order = [_id(m) for m in old if _id(m) in new_ids]
    new_order = [_id(m) for m in new if _id(m) in old_at]
    if old_order != new_order:
        yield _change(at[1], "changed", f"{field}#order", subject, old_order, new_order)


def _plain_lists(
    field: str,
    old: list[object],
    new: list[object],
    at: tuple[str, str],
    subject: tuple[str, str] | None,
) -> Iterator[InstrumentChange]:
    """Lists of ids or texts: other members are a change of the field, the same members in
    another order a change of its order."""
    if old == new:
        return
    same_members = Counter(map(_key, old)) == Counter(map(_key, new))
    yield _change(at[1], "changed", f"{field}#order" if same_members else field, subject, old, new)


def _key(value: object) -> str:
    return repr(_json(value))


def _json(value: object) -> JsonValue:
    """A field's value as JSON (decimals as strings, defaults left out), for the output."""
    if isinstance(value, BaseModel):
        dumped: JsonValue = value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return dumped
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, list | tuple):
        return [_json(member) for member in value]
    if isinstance(value, dict):  # e.g. an item's anchors or a migration's level map
        return {str(key): _json(member) for key, member in value.items()}
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


# --------------------------------------------------------------------------------------------
# Impact: outcomes under both instruments
# --------------------------------------------------------------------------------------------


@attrs.frozen
class ImpactChange:
    """One assessment whose primary outcome differs under NEW, and the likely causes."""

    assessment_id: str
    old: str
    new: str
    causes: tuple[str, ...]
    """Pointers of the score-affecting differences that touch what changed in its trace."""


@attrs.frozen
class Impact:
    """Outcomes of the same assessments under OLD and NEW."""

    old: Instrument
    new: Instrument
    diff: InstrumentDiff
    assessments: int
    table: Mapping[str, Mapping[str, int]]
    """Old primary outcome → new primary outcome → number of assessments."""
    changes: tuple[ImpactChange, ...]
    failed: tuple[tuple[str, str], ...] = ()
    """Inputs that could not be scored under both: (name, first problem code)."""

    @property
    def changed(self) -> int:
        """How many primary outcomes differ."""
        return len(self.changes)

    @property
    def columns(self) -> list[str]:
        """The new outcomes of the table, from the least to the most severe."""
        return sorted(
            {new for row in self.table.values() for new in row}, key=_severity(self.old, self.new)
        )


def _severity(old: Instrument, new: Instrument) -> Callable[[str], tuple[int, str]]:
    """Outcomes from the least to the most severe (NEW's order, then OLD's), statuses
    without an outcome (not assessable) last."""
    order = [o.id for o in new.outcomes] + [o.id for o in old.outcomes]

    def rank(outcome: str) -> tuple[int, str]:
        return (order.index(outcome) if outcome in order else len(order), outcome)

    return rank


def primary_outcome(summary: Summary) -> str:
    """The outcome an assessment ends with: the final one, else its status
    (``not_assessable``; ``judgement`` still to be given)."""
    return summary.outcome.final or summary.outcome.status


def tabulate_impact(
    old: Instrument,
    new: Instrument,
    scored: Iterable[tuple[str, Summary, Summary]],
) -> Impact:
    """Cross-table ``(assessment id, summary under OLD, summary under NEW)`` triples."""
    diff = diff_instruments(old, new)
    scales = {item.id: item.scale for item in [*old.items, *new.items]}
    table: dict[str, dict[str, int]] = {}
    changes: list[ImpactChange] = []
    count = 0
    for ident, under_old, under_new in scored:
        count += 1
        before, after = primary_outcome(under_old), primary_outcome(under_new)
        row = table.setdefault(before, {})
        row[after] = row.get(after, 0) + 1
        if before != after:
            causes = _causes(diff, under_old, under_new, scales)
            changes.append(ImpactChange(ident, before, after, causes))
    rank = _severity(old, new)
    ordered = {
        key: {new_key: row[new_key] for new_key in sorted(row, key=rank)}
        for key, row in sorted(table.items(), key=lambda pair: rank(pair[0]))
    }
    return Impact(old, new, diff, count, ordered, tuple(changes))


_COLLECTIONS = {"rule": "decision_table", "policy_override": "policy_overrides"}
"""Which instrument list a decision step's id belongs to."""


def _results(summary: Summary) -> set[tuple[str, str, object]]:
    """Every element's result as ``(instrument list, id, result)``: the items, indices,
    flags and checks from their sections, the rules and policy overrides from the trace."""
    results: set[tuple[str, str, object]] = set()
    results |= {("items", i.id, (i.status, i.level, i.points)) for i in summary.items}
    results |= {("indices", i.id, (i.value, i.band)) for i in summary.indices}
    results |= {("flags", f.id, f.raised) for f in summary.flags}
    results |= {("process_checks", c.id, c.result) for c in summary.process_checks}
    results |= {
        (_COLLECTIONS[s.kind], s.id, s.result) for s in summary.trace if s.kind in _COLLECTIONS
    }
    return results


def _causes(
    diff: InstrumentDiff, old: Summary, new: Summary, scales: Mapping[str, str]
) -> tuple[str, ...]:
    """Score-affecting differences touching the elements whose results differ (their
    elements, the inputs of differing decisions, the scales of their items), and those of
    the instrument itself; every score-affecting difference when none touches them (a cause
    is never hidden)."""
    differing = _results(old) ^ _results(new)
    touched = {(collection, ident) for collection, ident, _ in differing}
    refs = {
        ref
        for step in [*old.trace, *new.trace]
        if (_COLLECTIONS.get(step.kind), step.id, step.result) in differing
        for ref in step.inputs
    }
    touched |= {(collection, ref) for ref in refs for collection in ("items", "indices", "flags")}
    touched |= {("outcomes", primary_outcome(old)), ("outcomes", primary_outcome(new))}
    touched |= {("scales", scales[i]) for c, i in touched if c == "items" and i in scales}
    causes = [c for c in diff.score_affecting if c.subject is None or c.subject in touched]
    return tuple(change.pointer for change in causes or diff.score_affecting)
