"""Model instances from values the library computed itself, without validating them again.

Validation guards what comes from outside. A summary is computed by the engine from an
instrument and an assessment that were both validated already; validating its ~1,500 fields
again cost more than the scoring itself. :func:`construct` builds the instance validation
would build — the same before-conversions (exact decimals, dates, JSON integers), the same
defaults, the same field order — and the tests prove the two equal on every bundled example and
on generated assessments. It is for trusted input only: it checks no constraint, so a
programming error still surfaces in those tests, not here.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, BeforeValidator

__all__ = ["construct"]

_M = TypeVar("_M", bound=BaseModel)
_Convert = Callable[[Any], Any]


class _Plan:
    """How to build one model: per given key the field name and what to do with the value."""

    __slots__ = ("aliased", "factories", "fields", "template")

    def __init__(self, model: type[BaseModel]) -> None:
        self.template: dict[str, Any] = {}
        self.factories: list[tuple[str, str, Callable[[], Any]]] = []
        self.fields: dict[str, tuple[str, type[BaseModel] | None, bool, tuple[_Convert, ...]]] = {}
        for name, info in model.model_fields.items():
            key = info.alias or name
            if info.default_factory is not None:
                self.factories.append((key, name, info.default_factory))  # type: ignore[arg-type]
                self.template[name] = None
            else:
                self.template[name] = info.default
            nested, many, converts = _shape(info.annotation)
            self.fields[key] = (name, nested, many, (*_befores(info.metadata), *converts))
        self.aliased = any(key != entry[0] for key, entry in self.fields.items())


def _befores(metadata: list[Any]) -> tuple[_Convert, ...]:
    return tuple(m.func for m in metadata if isinstance(m, BeforeValidator))  # type: ignore[misc]


def _shape(annotation: Any) -> tuple[type[BaseModel] | None, bool, tuple[_Convert, ...]]:
    """The model inside ``X | None``, ``Annotated`` and ``list`` (if any), whether it is a
    list of models, and the before-validators of a plain value."""
    converts: tuple[_Convert, ...] = ()
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            converts = (*_befores(list(annotation.__metadata__)), *converts)
            annotation = typing.get_args(annotation)[0]
        elif (
            origin in (typing.Union, types.UnionType)
            and typing.get_args(annotation).count(type(None)) == 1
            and len(typing.get_args(annotation)) == 2
        ):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin is list:
            element, many, _ = _shape(typing.get_args(annotation)[0])
            if element is None:
                return None, False, converts
            if many:
                raise TypeError(f"construct cannot build {annotation!r}")
            return element, True, ()
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, False, ()
        else:
            if _mentions_model(annotation):
                raise TypeError(f"construct cannot build {annotation!r}")
            return None, False, converts


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_mentions_model(arg) for arg in typing.get_args(annotation))


_PLANS: dict[type[BaseModel], _Plan] = {}


def construct(model: type[_M], data: Mapping[str, Any]) -> _M:
    """The instance of ``model`` that validating ``data`` would give, built without checks.

    Nested models may be given as mappings or instances. A key the model does not know, or
    ``None`` as a value (optional fields are left out), is a programming error: ``TypeError``.
    """
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _Plan(model)
    values = plan.template.copy()
    fields = plan.fields
    for key, value in data.items():
        entry = fields.get(key)
        if entry is None or value is None:
            raise TypeError(f"{model.__name__}: unexpected {key!r}")
        name, nested, many, converts = entry
        if nested is not None:
            if many:
                value = [_nested(nested, element) for element in value]
            else:
                value = _nested(nested, value)
        else:
            for convert in converts:
                value = convert(value)
        values[name] = value
    for key, name, factory in plan.factories:
        if key not in data:
            values[name] = factory()
    instance = model.__new__(model)
    setattr_ = object.__setattr__
    setattr_(instance, "__dict__", values)
    given = {fields[key][0] for key in data} if plan.aliased else set(data)
    setattr_(instance, "__pydantic_fields_set__", given)
    setattr_(instance, "__pydantic_extra__", None)
    setattr_(instance, "__pydantic_private__", None)
    return instance


def _nested(model: type[_M], value: Any) -> _M:
    return value if isinstance(value, model) else construct(model, value)
