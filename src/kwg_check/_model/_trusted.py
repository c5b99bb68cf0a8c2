"""Model instances and JSON values from data the library computed itself, without validation.

Validation guards what comes from outside. A summary is computed by the engine from an
instrument and an assessment that were both validated already; validating its ~1,500 fields
again cost more than the scoring itself. :func:`construct` builds the instance validation
would build — the same before-conversions (exact decimals, dates, JSON integers), the same
defaults, the same field order — and :func:`dump` writes the JSON value
``model_dump(mode="json", by_alias=True, exclude_defaults=True)`` would give for it, without
building the instance at all. The tests prove both equal to the validating path on every
bundled example and on generated assessments. They are for trusted data only: no constraint
is checked, so a programming error surfaces in those tests, not here.
"""

from __future__ import annotations

import datetime
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, BeforeValidator, PlainSerializer
from pydantic.fields import FieldInfo

__all__ = ["construct", "dump"]

_M = TypeVar("_M", bound=BaseModel)
_Convert = Callable[[Any], Any]
_ABSENT = object()


class _Field:
    """One field: its JSON key, its name, a nested model (or list of models), the conversions
    validation applies before storing a plain value, the JSON serializer, and the default."""

    __slots__ = (
        "converts",
        "default",
        "factory",
        "key",
        "many",
        "name",
        "nested",
        "optional",
        "position",
        "serialize",
        "stored",
    )

    def __init__(self, position: int, name: str, info: FieldInfo) -> None:
        self.position = position
        self.name = name
        self.key = info.alias or name
        self.nested, self.many, converts, serializers = _shape(info.annotation)
        stored = _stored(info.annotation)
        self.stored = stored if stored in _IDENTITY_TYPES else None
        self.converts = (*_befores(info.metadata), *converts)
        serializers = [*_serializers(info.metadata), *serializers]
        self.serialize = serializers[0] if serializers else None
        self.factory: Callable[[], Any] | None = info.default_factory  # type: ignore[assignment]
        self.default = info.default if self.factory is None else self.factory()
        self.optional = not info.is_required()
        if self.nested is not None and not self.many and self.optional and self.default is not None:
            raise TypeError(f"{name}: a nested model with a default is not supported")


class _Plan:
    """How to build one model, field by field, prepared once per model class."""

    __slots__ = ("aliased", "factories", "fields", "name", "ordered", "specs", "template")

    def __init__(self, model: type[BaseModel]) -> None:
        self.name = model.__name__
        self.specs: dict[str, _Spec] | None = None
        self.ordered = tuple(
            _Field(position, name, info)
            for position, (name, info) in enumerate(model.model_fields.items())
        )
        self.fields = {field.key: field for field in self.ordered}
        self.template = {f.name: None if f.factory else f.default for f in self.ordered}
        self.factories = tuple(field for field in self.ordered if field.factory is not None)
        self.aliased = any(field.key != field.name for field in self.ordered)

    def dump_specs(self) -> dict[str, _Spec]:
        """What :func:`dump` needs of each field, by JSON key, in one tuple (built on first
        use, when the nested models' plans can be resolved)."""
        if self.specs is None:
            self.specs = {
                f.key: (
                    f.position,
                    None if f.nested is None else _plan(f.nested),
                    f.many,
                    f.stored,
                    f.converts,
                    f.optional and f.default is not None,  # None never equals a given value
                    f.default,
                    f.serialize,
                )
                for f in self.ordered
            }
        return self.specs


_Spec = tuple[int, "_Plan | None", bool, Any, tuple[_Convert, ...], bool, Any, "_Convert | None"]
"""Position, nested plan, list of models, stored type, conversions, whether a value equal to
the default is left out, the default, the JSON serializer."""


_PLANS: dict[type[BaseModel], _Plan] = {}


def _plan(model: type[BaseModel]) -> _Plan:
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _Plan(model)
    return plan


def _befores(metadata: list[Any]) -> tuple[_Convert, ...]:
    return tuple(m.func for m in metadata if isinstance(m, BeforeValidator))  # type: ignore[misc]


def _serializers(metadata: list[Any]) -> list[_Convert]:
    return [m.func for m in metadata if isinstance(m, PlainSerializer)]  # type: ignore[misc]


def _shape(
    annotation: Any,
) -> tuple[type[BaseModel] | None, bool, tuple[_Convert, ...], list[_Convert]]:
    """The model inside ``X | None``, ``Annotated`` and ``list`` (if any), whether it is a
    list of models, and the before-validators and JSON serializers of a plain value."""
    converts: tuple[_Convert, ...] = ()
    serializers: list[_Convert] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata = list(annotation.__metadata__)
            converts = (*_befores(metadata), *converts)
            serializers += _serializers(metadata)
            annotation = typing.get_args(annotation)[0]
        elif (
            origin in (typing.Union, types.UnionType)
            and typing.get_args(annotation).count(type(None)) == 1
            and len(typing.get_args(annotation)) == 2
        ):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin is list:
            element, many, _, _ = _shape(typing.get_args(annotation)[0])
            if element is None:
                return None, False, converts, serializers
            if many:
                raise TypeError(f"construct cannot build {annotation!r}")
            return element, True, (), []
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, False, (), []
        else:
            if _mentions_model(annotation):
                raise TypeError(f"construct cannot build {annotation!r}")
            return None, False, converts, serializers


_IDENTITY_TYPES = (Decimal, datetime.date, int, str)
"""Types the before-validators (exact decimals, dates, JSON integers) return unchanged."""


def _stored(annotation: Any) -> Any:
    """The type inside ``Annotated`` and ``X | None``."""
    while True:
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = args[0]
        elif len(args) == 2 and type(None) in args and _is_union(annotation):
            annotation = args[0] if args[1] is type(None) else args[1]
        else:
            return annotation


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_mentions_model(arg) for arg in typing.get_args(annotation))


def construct(model: type[_M], data: Mapping[str, Any]) -> _M:
    """The instance of ``model`` that validating ``data`` would give, built without checks.

    Nested models may be given as mappings or instances. A key the model does not know, or
    ``None`` as a value (optional fields are left out), is a programming error: ``TypeError``.
    """
    plan = _plan(model)
    values = plan.template.copy()
    fields = plan.fields
    for key, value in data.items():
        field = fields.get(key)
        if field is None or value is None:
            raise TypeError(f"{model.__name__}: unexpected {key!r}")
        nested = field.nested
        if nested is not None:
            if field.many:
                value = [_nested(nested, element) for element in value]
            else:
                value = _nested(nested, value)
        else:
            for convert in field.converts:
                value = convert(value)
        values[field.name] = value
    for field in plan.factories:
        if field.key not in data:
            values[field.name] = field.factory()  # type: ignore[misc]
    instance = model.__new__(model)
    setattr_ = object.__setattr__
    setattr_(instance, "__dict__", values)
    given = {fields[key].name for key in data} if plan.aliased else set(data)
    setattr_(instance, "__pydantic_fields_set__", given)
    setattr_(instance, "__pydantic_extra__", None)
    setattr_(instance, "__pydantic_private__", None)
    return instance


def _nested(model: type[_M], value: Any) -> _M:
    return value if isinstance(value, model) else construct(model, value)


def dump(model: type[BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON value of the instance ``construct(model, data)`` would build, as
    ``model_dump(mode="json", by_alias=True, exclude_defaults=True)`` writes it: fields in
    model order, defaults left out, decimals and dates through the model's serializers.

    Nested models must be given as mappings. Raises ``TypeError`` like :func:`construct`.
    """
    return _dump(_plan(model), data)


def _dump(plan: _Plan, data: Mapping[str, Any]) -> dict[str, Any]:
    specs = plan.specs or plan.dump_specs()
    result: dict[str, Any] = {}
    in_order = True
    last = -1
    for key, value in data.items():
        spec = specs.get(key)
        if spec is None or value is None:
            raise TypeError(f"{plan.name}: unexpected {key!r}")
        position, nested, many, stored, converts, skip_default, default, serialize = spec
        if nested is not None:
            value = [_dump(nested, v) for v in value] if many else _dump(nested, value)
        elif type(value) is not stored:  # conversions leave a stored type as it is
            for convert in converts:
                value = convert(value)
        if skip_default and value == default:
            continue
        if serialize is not None:
            value = serialize(value)
        result[key] = value
        if position < last:
            in_order = False
        last = position
    if in_order:
        return result
    return {field.key: result[field.key] for field in plan.ordered if field.key in result}
