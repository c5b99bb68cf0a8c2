"""The instrument variant: a local adaptation that states only what differs from its base.

An agency adapting a published instrument names the base (id, version, fingerprint) and lists
its changes in a small, explicit format: domains and items added, items removed, and fields of
one element replaced. An element is addressed by ids, never by list positions, so a variant
stays readable and keeps meaning the same element when its base is reordered::

    changes:
      add_items: [{id: homework_help, domain: development, …}]
      remove_items: [youth_runaway]
      update:
        - target: items/nutrition
          set: {label: {de: …, en: …}}
        - target: indices/risk_total/bands/high
          set: {at_least: 16}

The variant is resolved into a complete :class:`Instrument` before anything compiles it; the
complete instrument is validated like any other (``kwg_check._lifecycle``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from ._patterns import validated
from ._types import Document, Extensions, Id, LocalizedText, Part, SemVer, anchored
from .instrument import BaseRef, Domain, Item, Migration

__all__ = ["Changes", "InstrumentVariant", "Update"]

COLLECTIONS = (
    "scales",
    "domains",
    "items",
    "indices",
    "flags",
    "outcomes",
    "decision_table",
    "policy_overrides",
    "process_checks",
)
"""The instrument's lists whose elements an update can address by id."""
NESTED = ("levels", "bands")
"""The lists inside an element (a scale's levels, an index's bands) addressed by id too."""

_ID = "[a-z0-9][a-z0-9_.-]{0,63}"
TARGET_PATTERN = anchored(f"({'|'.join(COLLECTIONS)})/{_ID}(/({'|'.join(NESTED)})/{_ID})?")

Target = Annotated[
    str,
    Field(
        pattern=validated(TARGET_PATTERN),
        max_length=200,
        description="The element to change: <list>/<id>, or <list>/<id>/levels|bands/<id>.",
    ),
]


class Update(Part):
    """Fields of one element replaced by new values (each field as a whole)."""

    target: Target
    """The element, by ids: ``items/nutrition``, ``scales/care/levels/partly``,
    ``indices/risk_total/bands/high``."""
    set: Annotated[dict[str, Any], Field(min_length=1, json_schema_extra={"type": "object"})]
    """Field name → new value. The resolved instrument is validated as a whole, so a wrong
    value is reported with its pointer in the resolved instrument."""


class Changes(Part):
    """What the variant adds, removes and changes, applied in this order."""

    add_domains: list[Domain] = Field(default_factory=list, max_length=100)
    """Domains appended to the base's domains."""
    add_items: list[Item] = Field(default_factory=list, max_length=500)
    """Items appended to the base's items (add them to an index with an update to score)."""
    remove_items: list[Id] = Field(default_factory=list, max_length=500)
    """Items removed (take them out of indices and conditions with updates too)."""
    update: list[Update] = Field(default_factory=list, max_length=1000)
    """Fields replaced, element by element, in order."""


class InstrumentVariant(Document):
    """A local variant of an instrument: its own identity, its base, and its changes."""

    document_type: Literal["instrument_variant"]
    """Marks the document as an instrument variant."""
    id: Id
    """The variant's own instrument id (assessments name it)."""
    version: SemVer
    """The variant's own version."""
    title: LocalizedText
    """The variant's title."""
    description: LocalizedText | None = None
    """What the variant adapts and why; the base's description when absent."""
    licence: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """Licence of the variant; the base's licence when absent."""
    derives_from: BaseRef
    """The base instrument, pinned by id, version and fingerprint."""
    changes: Changes
    """What differs from the base."""
    migrations: list[Migration] = Field(default_factory=list, max_length=50)
    """How assessments of earlier versions of the variant are carried over."""
    extensions: Extensions | None = None
    """Data of the variant's publisher. Preserved untouched."""
