"""Pydantic models of the three documents: instrument, assessment, summary.

The models are imported on first use (PEP 562), each from its own module: building pydantic
classes is most of what a fresh process spends before it can check a file, so ``validate``
of an assessment builds the assessment's and the instrument's models, never the summary's
(issue 17).

The models read their fields' descriptions (the attribute docstrings) only when
:func:`describe_fields` was called before they were built: nothing but the JSON Schema
generator (``tools/generate_schemas.py``) uses them, and reading the source of every class
for them took about 40 % of building the models.
"""

from __future__ import annotations

import importlib as _importlib  # as in kwg_check/__init__.py: only the constant homes below
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .assessment import Answer, Assessment, Evidence, Judgement, Resource
    from .conditions import Condition
    from .instrument import Flag, Index, Instrument, Item, Outcome, Scale
    from .summary import Summary, TraceStep
    from .variant import InstrumentVariant

__all__ = [
    "Answer",
    "Assessment",
    "Condition",
    "Evidence",
    "Flag",
    "Index",
    "Instrument",
    "InstrumentVariant",
    "Item",
    "Judgement",
    "Outcome",
    "Resource",
    "Scale",
    "Summary",
    "TraceStep",
    "describe_fields",
    "fields_described",
    "lazy_names",
]

_HOMES = {
    "Answer": ".assessment",
    "Assessment": ".assessment",
    "Evidence": ".assessment",
    "Judgement": ".assessment",
    "Resource": ".assessment",
    "Condition": ".conditions",
    "Flag": ".instrument",
    "Index": ".instrument",
    "Instrument": ".instrument",
    "Item": ".instrument",
    "Outcome": ".instrument",
    "Scale": ".instrument",
    "Summary": ".summary",
    "TraceStep": ".summary",
    "InstrumentVariant": ".variant",
}
"""The module of each model; a test checks it against the imports type checkers see."""

_described = False


def describe_fields() -> None:
    """Build the models with their fields' descriptions, read from the attribute docstrings.

    Only generating the JSON Schemas needs them; call this before any model is imported
    (the models are built once per process, so a later call could not add them)."""
    global _described
    if "kwg_check._model._types" in sys.modules and not _described:
        raise RuntimeError("describe_fields() must be called before the models are imported")
    _described = True


def fields_described() -> bool:
    """Whether the models of this process carry their fields' descriptions."""
    return _described


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """A package's ``__getattr__`` (PEP 562) that imports a name's module (``homes``, relative
    to ``package``) on first use of the name and binds it in the package."""

    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(home, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


if not TYPE_CHECKING:  # type checkers see the imports above
    __getattr__ = lazy_names(__name__, _HOMES)
