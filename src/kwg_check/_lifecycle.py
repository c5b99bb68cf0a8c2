"""An instrument's life after its first version: local variants and migrated assessments.

**Variants.** A local variant (:class:`InstrumentVariant`) names its base and lists only its
changes. :func:`resolve_variant` applies them to the base and validates the complete
instrument that results, so everything after this step (compile, score, describe) sees an
ordinary :class:`Instrument`, one that records its base in ``derives_from``.
:func:`base_mismatch` tells whether the base at hand is the one the variant was written
against (``variant.base-mismatch``), for ``lint``.

**Migrations.** A new version may state how answers given under an earlier one read under
it (:class:`Migration`: an item renamed, its levels mapped, split or dropped). The way back is
never written down: it is the inverse of the same mapping, so a frozen earlier version needs
no edit. :func:`migrate` carries an assessment across; an answer that has no counterpart —
an item dropped or unknown to the target, or a level that maps to no level or to several —
becomes *unknown* (or unanswered where the scale has no unknown marker), never a guess, and
is recorded with its pointer in ``migrated_from.not_carried``. Items no mapping names keep
their id, which is also how an assessment moves between a variant and its base.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ._documents import (
    document_fingerprint,
    dump_document,
    parse_assessment,
    parse_instrument,
    parse_loaded,
)
from ._errors import DocumentError, Problem, safe_pointer
from ._io import JsonValue
from ._model import Assessment, Instrument, InstrumentVariant
from ._model.instrument import Item, ItemMigration, Migration, Scale

__all__ = [
    "MigrationResult",
    "base_mismatch",
    "declared_changes",
    "migrate",
    "parse_instrument_or_variant",
    "resolve_variant",
]


# --------------------------------------------------------------------------------------------
# Variants
# --------------------------------------------------------------------------------------------


def parse_instrument_or_variant(data: JsonValue) -> Instrument | InstrumentVariant:
    """An instrument file's document: a complete instrument or a local variant of one."""
    if isinstance(data, dict) and data.get("document_type") == "instrument_variant":
        return parse_loaded(InstrumentVariant, data)
    return parse_loaded(Instrument, data)


def base_mismatch(variant: InstrumentVariant, base: Instrument) -> list[Problem]:
    """``variant.base-mismatch`` when the base at hand is not the one the variant names.

    The variant still resolves (a corrected typo upstream should not stop a county's form),
    but its changes were written against other contents, so ``lint`` warns.
    """
    if document_fingerprint(base) == variant.derives_from.fingerprint:
        return []
    ref = variant.derives_from
    reason = (
        f"the available base {ref.id} {ref.version} has another fingerprint than the one the "
        "variant was written against; check the variant's changes against the base"
    )
    return [Problem("/derives_from/fingerprint", "variant.base-mismatch", reason)]


def resolve_variant(variant: InstrumentVariant, base: Instrument) -> Instrument:
    """The complete instrument a variant describes: the base with the changes applied.

    Raises :class:`DocumentError` with every change that names an element the base lacks
    (``variant.unknown-target``) or adds one it has (``variant.duplicate-id``), and with the
    problems of the resulting instrument (pointers into the resolved instrument).
    """
    if (base.id, base.version) != (variant.derives_from.id, variant.derives_from.version):
        reason = "the base given is not the instrument the variant derives from"
        raise DocumentError(Problem("/derives_from", "variant.unknown-base", reason))
    data = dump_document(base)
    for key in ("$schema", "migrations", "extensions", "derives_from"):
        data.pop(key, None)
    problems = list(_apply_changes(variant, data))
    if problems:
        raise DocumentError(problems)
    own = dump_document(variant)
    for key in ("id", "version", "title", "description", "licence", "migrations", "extensions"):
        if key in own:
            data[key] = own[key]
    data["derives_from"] = {
        "id": base.id,
        "version": base.version,
        "fingerprint": document_fingerprint(base),
    }
    try:
        return parse_instrument(data)
    except DocumentError as error:
        raise DocumentError(
            [attrs.evolve(p, reason=f"in the resolved variant: {p.reason}") for p in error.problems]
        ) from None


def _apply_changes(variant: InstrumentVariant, data: dict[str, JsonValue]) -> Iterator[Problem]:
    """Apply the changes to the base's JSON value in place; yield what cannot be applied."""
    changes = dump_document(variant).get("changes")
    assert isinstance(changes, dict)
    for collection, field in (("domains", "add_domains"), ("items", "add_items")):
        elements = _list(data, collection)
        for index, element in enumerate(_list(changes, field)):
            assert isinstance(element, dict)
            if _find(elements, element["id"]) is not None:
                pointer = f"/changes/{field}/{index}/id"
                reason = f"the base already has an element with this id in {collection}"
                yield Problem(pointer, "variant.duplicate-id", reason)
            else:
                elements.append(element)
    items = _list(data, "items")
    for index, ident in enumerate(_list(changes, "remove_items")):
        found = _find(items, ident)
        if found is None:
            reason = "the base has no item with this id"
            yield Problem(f"/changes/remove_items/{index}", "variant.unknown-target", reason)
        else:
            items.remove(found)
    for index, update in enumerate(_list(changes, "update")):
        assert isinstance(update, dict)
        element = _target(data, str(update["target"]))
        if element is None:
            reason = "the base has no element at this target"
            yield Problem(f"/changes/update/{index}/target", "variant.unknown-target", reason)
        else:
            assert isinstance(update["set"], dict)
            element.update(update["set"])


def _list(data: Mapping[str, JsonValue], key: str) -> list[JsonValue]:
    value = data.get(key)
    if value is None:
        return []
    assert isinstance(value, list)
    return value


def _find(elements: list[JsonValue], ident: JsonValue) -> dict[str, JsonValue] | None:
    """The element with this id (every addressable element has one)."""
    for element in elements:
        if isinstance(element, dict) and element.get("id") == ident:
            return element
    return None


def _target(data: dict[str, JsonValue], target: str) -> dict[str, JsonValue] | None:
    """The element a target (``items/x``, ``scales/s/levels/l``) addresses, or ``None``."""
    parts = target.split("/")
    element: dict[str, JsonValue] | None = data
    for collection, ident in zip(parts[::2], parts[1::2], strict=True):
        if element is None:
            return None
        element = _find(_list(element, collection), ident)
    return element


def declared_changes(variant: InstrumentVariant) -> list[tuple[str, str]]:
    """The variant's changes as (kind, target) pairs, in the order they are applied, for
    ``describe``: kind is ``added``, ``removed`` or ``changed``; the target names the
    element (``items/x``) and, for a change, its fields (``items/x: label, guidance``)."""
    changes = variant.changes
    return [
        *(("added", f"domains/{domain.id}") for domain in changes.add_domains),
        *(("added", f"items/{item.id}") for item in changes.add_items),
        *(("removed", f"items/{ident}") for ident in changes.remove_items),
        *(("changed", f"{u.target}: {', '.join(sorted(u.set))}") for u in changes.update),
    ]


# --------------------------------------------------------------------------------------------
# Migration
# --------------------------------------------------------------------------------------------

LevelMap = dict[str, str | None]
"""Every level of the source item → its level on the target item (``None``: none)."""
Route = tuple[str, LevelMap]
"""Where one source answer goes: the target item and how its levels read there."""


@attrs.frozen
class MigrationResult:
    """A migrated assessment and the answers that could not be carried over.

    ``losses`` are the same records as ``assessment.migrated_from.not_carried``, as
    problems (pointer into the assessment before migration, code, reason) for programs.
    """

    assessment: Assessment
    losses: tuple[Problem, ...]

    def __iter__(self) -> Iterator[Any]:
        """Unpack as ``migrated, losses = migrate(…)``."""
        return iter((self.assessment, self.losses))


_REASONS = {
    "migrate.item-dropped": "the item was dropped; its answer cannot be carried over",
    "migrate.item-unknown": "the target instrument has no item for this answer",
    "migrate.level-unmapped": "the answer's level has no single counterpart on the target "
    "item; the answer became unknown",
}


def migrate(assessment: Assessment, source: Instrument, target: Instrument) -> MigrationResult:
    """Carry an assessment made with ``source`` over to ``target`` (see the module doc).

    The result names the target in ``instrument`` and the source in ``migrated_from``, with
    every answer that was not carried over. An assessment already made with the target comes
    back unchanged, with no losses.
    """
    if (source.id, source.version) == (target.id, target.version):
        return MigrationResult(assessment, ())
    routes = _routes(source, target)
    data = dump_document(assessment)
    answers = data.get("answers", {})
    assert isinstance(answers, dict)
    carried: dict[str, JsonValue] = {}
    lost: list[Problem] = []
    targets = {item.id: item for item in target.items}
    scales = {scale.id: scale for scale in target.scales}
    for old_id, answer in answers.items():
        assert isinstance(answer, dict)
        pointer = safe_pointer(("answers", old_id), shown=(1,))
        found = routes.get(old_id, _same_id(old_id, source, target))
        if not found:
            code = "migrate.item-dropped" if old_id in routes else "migrate.item-unknown"
            lost.append(Problem(pointer, code, _REASONS[code]))
            continue
        for new_id, levels in found:
            scale = scales[targets[new_id].scale]
            moved = _moved_answer(answer, levels)
            if moved is None or carried.get(new_id, moved) != moved:
                code = "migrate.level-unmapped"
                lost.append(Problem(pointer, code, _REASONS[code]))
                moved = _unknown_answer(answer, scale)
            if moved is None:
                carried.pop(new_id, None)
            else:
                carried[new_id] = moved
    data["answers"] = carried
    data["instrument"] = _reference(assessment, target)
    data["migrated_from"] = {
        "id": source.id,
        "version": source.version,
        "not_carried": [{"pointer": p.pointer, "code": p.code} for p in lost],
    }
    return MigrationResult(parse_assessment(data), tuple(lost))


def _reference(assessment: Assessment, target: Instrument) -> dict[str, JsonValue]:
    """The target's reference; pinned by fingerprint when the assessment pinned its source."""
    reference: dict[str, JsonValue] = {"id": target.id, "version": target.version}
    if assessment.instrument.fingerprint is not None:
        reference["fingerprint"] = document_fingerprint(target)
    return reference


def _moved_answer(answer: dict[str, JsonValue], levels: LevelMap) -> dict[str, JsonValue] | None:
    """The answer with its levels read through the map; ``None`` when one has no counterpart."""
    moved = dict(answer)
    if isinstance(answer.get("level"), str):
        level = levels.get(str(answer["level"]))
        if level is None:
            return None
        moved["level"] = level
    elif isinstance(answer.get("levels"), list):
        many = [levels.get(str(old)) for old in answer["levels"]]  # type: ignore[union-attr]
        if None in many:
            return None
        moved["levels"] = list(many)
    elif isinstance(answer.get("caregivers"), dict):
        given = answer["caregivers"]
        assert isinstance(given, dict)
        each = {who: levels.get(str(old)) for who, old in given.items()}
        if None in each.values():
            return None
        moved["caregivers"] = dict(each)
    return moved


def _unknown_answer(answer: dict[str, JsonValue], scale: Scale) -> dict[str, JsonValue] | None:
    """The answer made unknown, evidence and note kept; ``None`` where the scale has no
    unknown marker (the item is then left unanswered)."""
    if scale.unknown is None:
        return None
    kept: dict[str, JsonValue] = {k: answer[k] for k in ("evidence", "note") if k in answer}
    caregivers = answer.get("caregivers")
    if isinstance(caregivers, dict):
        return {"caregivers": dict.fromkeys(caregivers, scale.unknown.id), **kept}
    return {"level": scale.unknown.id, **kept}


def _routes(source: Instrument, target: Instrument) -> dict[str, list[Route]]:
    """The declared mapping between the two versions: the target's own migration from the
    source's version, or the inverse of the source's migration from the target's version."""
    if source.id == target.id:
        for migration in target.migrations:
            if migration.from_version == source.version:
                return _forward(migration, source, target)
        for migration in source.migrations:
            if migration.from_version == target.version:
                return _inverse(migration, target, source)
    return {}


def _levels(instrument: Instrument, item_id: str) -> list[str]:
    """The level ids of an item's scale, the unknown marker last."""
    item = _item(instrument, item_id)
    scale = next(s for s in instrument.scales if s.id == item.scale)
    unknown = [scale.unknown.id] if scale.unknown else []
    return [level.id for level in scale.levels] + unknown


def _item(instrument: Instrument, item_id: str) -> Item:
    return next(item for item in instrument.items if item.id == item_id)


def _ids(instrument: Instrument) -> set[str]:
    return {item.id for item in instrument.items}


def _full_map(
    declared: Mapping[str, str], old: list[str], new: list[str], unknown: tuple[str, str] | None
) -> LevelMap:
    """Every old level → its new level: the declared one, else the same id; ``None`` where
    the new scale has no such level. The unknown markers map onto each other."""
    full: LevelMap = {}
    for level in old:
        mapped = declared.get(level, level)
        full[level] = mapped if mapped in new else None
    if unknown is not None:
        full[unknown[0]] = unknown[1]
    return full


def _pair_map(
    declared: Mapping[str, str], old: Instrument, old_item: str, new: Instrument, new_item: str
) -> LevelMap:
    """The full level map from an item of ``old`` to an item of ``new``."""
    return _full_map(
        declared,
        _levels(old, old_item),
        _levels(new, new_item),
        _unknowns(old, old_item, new, new_item),
    )


def _unknowns(
    old: Instrument, old_item: str, new: Instrument, new_item: str
) -> tuple[str, str] | None:
    """The two items' unknown markers, when both scales have one."""
    markers = [
        next(s for s in doc.scales if s.id == _item(doc, ident).scale).unknown
        for doc, ident in ((old, old_item), (new, new_item))
    ]
    if markers[0] is None or markers[1] is None:
        return None
    return markers[0].id, markers[1].id


def _fates(
    migration: Migration,
) -> Iterator[tuple[str, ItemMigration, list[tuple[str, dict[str, str]]]]]:
    """Each migrated item with the (new item, declared level map) pairs it goes to."""
    for old_id, fate in migration.items.items():
        if fate.to is not None:
            yield old_id, fate, [(fate.to, dict(fate.levels or {}))]
        elif fate.split is not None:
            yield old_id, fate, [(part.to, dict(part.levels)) for part in fate.split]
        else:
            yield old_id, fate, []


def _forward(migration: Migration, old: Instrument, new: Instrument) -> dict[str, list[Route]]:
    """Routes from the earlier version (``old``) to the version declaring the migration."""
    routes: dict[str, list[Route]] = {}
    for old_id, _, pairs in _fates(migration):
        if old_id not in _ids(old):
            continue
        routes[old_id] = [
            (new_id, _pair_map(declared, old, old_id, new, new_id))
            for new_id, declared in pairs
            if new_id in _ids(new)
        ]
    return routes


def _inverse(migration: Migration, old: Instrument, new: Instrument) -> dict[str, list[Route]]:
    """Routes back from the version declaring the migration (``new``) to the earlier one:
    each new level goes to the one old level that maps onto it, or to none when several or
    none do (that answer becomes unknown rather than a guess)."""
    routes: dict[str, list[Route]] = {}
    for old_id, _, pairs in _fates(migration):
        if old_id not in _ids(old):
            continue
        for new_id, declared in pairs:
            if new_id not in _ids(new):
                continue
            there = _pair_map(declared, old, old_id, new, new_id)
            back: LevelMap = {}
            for level in _levels(new, new_id):
                sources = [o for o, n in there.items() if n == level]
                back[level] = sources[0] if len(sources) == 1 else None
            routes.setdefault(new_id, []).append((old_id, back))
    return routes


def _same_id(item_id: str, source: Instrument, target: Instrument) -> list[Route]:
    """An undeclared item keeps its id, when the target has it (its levels likewise)."""
    if item_id not in _ids(source) or item_id not in _ids(target):
        return []
    return [(item_id, _pair_map({}, source, item_id, target, item_id))]
