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

The bundled instruments are such data too: their JSON twins are written by
``tools/bundle_instruments.py`` only after the instrument passed the validating parse and the
compile step, so the registry builds them here instead of validating them on every start
(building the Instrument's validator alone took about a tenth of ``kwg-check validate``,
issue 17). Their models add three shapes: a tagged union chosen by its discriminator (a
condition, a process check's requirement), a mapping of models (an item's anchors by level),
and a model that keeps unknown keys (a localized text's further languages).
"""

from __future__ import annotations

import datetime
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, BeforeValidator, Discriminator, PlainSerializer, Tag
from pydantic.fields import FieldInfo

__all__ = ["construct", "dump"]

_M = TypeVar("_M", bound=BaseModel)
_Convert = Callable[[Any], Any]
_ABSENT = object()


class _Choice:
    """A tagged union of models: the member a value validates as is the one the union's
    discriminator names for it (a condition by its one key, a requirement by its ``check``)."""

    __slots__ = ("models", "pick")

    def __init__(self, pick: Callable[[Any], Any], models: dict[Any, type[BaseModel]]) -> None:
        self.pick = pick
        self.models = models

    def model_of(self, value: Any) -> type[BaseModel]:
        model = self.models.get(self.pick(value))
        if model is None:
            raise TypeError(f"no member of {sorted(self.models)} fits the value")
        return model


_Nested = type[BaseModel] | _Choice
"""What a field holds that is built as a model: one model class, or a tagged union of them."""


class _Field:
    """One field: its JSON key, its name, a nested model or union of models (alone, in a list
    or as the values of a mapping), the conversions validation applies before storing a plain
    value, the JSON serializer, and the default."""

    __slots__ = (
        "container",
        "converts",
        "default",
        "factory",
        "key",
        "name",
        "nested",
        "optional",
        "position",
        "serialize",
        "stored",
    )

    def __init__(self, position: int, name: str, info: FieldInfo, annotation: Any) -> None:
        self.position = position
        self.name = name
        self.key = info.alias or name
        # pydantic moves an outer ``Annotated``'s metadata (a union's discriminator) to the field
        choice = _choice(annotation, info.metadata)
        shape: _Shape = (choice, None, (), []) if choice is not None else _shape(annotation)
        self.nested, self.container, converts, serializers = shape
        stored = _stored(annotation)
        self.stored = stored if stored in _IDENTITY_TYPES else None
        self.converts = (*_befores(info.metadata), *converts)
        serializers = [*_serializers(info.metadata), *serializers]
        self.serialize = serializers[0] if serializers else None
        self.factory: Callable[[], Any] | None = info.default_factory  # type: ignore[assignment]
        self.default = info.default if self.factory is None else self.factory()
        self.optional = not info.is_required()
        alone = self.nested is not None and self.container is None
        if alone and self.optional and self.default is not None:
            raise TypeError(f"{name}: a nested model with a default is not supported")


class _Plan:
    """How to build one model, field by field, prepared once per model class."""

    __slots__ = (
        "aliased",
        "extra",
        "factories",
        "fields",
        "name",
        "ordered",
        "specs",
        "template",
    )

    def __init__(self, model: type[BaseModel]) -> None:
        self.name = model.__name__
        self.specs: dict[str, _Spec] | None = None
        annotations = _annotations(model)
        self.ordered = tuple(
            _Field(position, name, info, annotations[name])
            for position, (name, info) in enumerate(model.model_fields.items())
        )
        self.extra = model.model_config.get("extra") == "allow"
        """Unknown keys are kept (as validation keeps them, in ``__pydantic_extra__``)."""
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
                    _dump_plan(f.nested),
                    f.container,
                    f.stored,
                    f.converts,
                    f.optional and f.default is not None,  # None never equals a given value
                    f.default,
                    f.serialize,
                )
                for f in self.ordered
            }
        return self.specs


_Spec = tuple[
    int, "_Plan | _Choice | None", Any, Any, tuple[_Convert, ...], bool, Any, "_Convert | None"
]
"""Position, nested plan (or tagged union), container (``list``, ``dict`` or ``None``), stored
type, conversions, whether a value equal to the default is left out, the default, the JSON
serializer."""


_PLANS: dict[type[BaseModel], _Plan] = {}


def _plan(model: type[BaseModel]) -> _Plan:
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _Plan(model)
    return plan


def _dump_plan(nested: _Nested | None) -> _Plan | _Choice | None:
    if nested is None or isinstance(nested, _Choice):
        return nested
    return _plan(nested)


def _annotations(model: type[BaseModel]) -> dict[str, Any]:
    """Each field's annotation. A recursive model (``all``, ``any``, ``not``) whose own
    validator was never built keeps its forward references unresolved in its fields (its
    schema is built inside the schema of the model holding it); they are read from the
    class's type hints then, without building the validator."""
    fields = model.model_fields
    if model.__pydantic_fields_complete__:
        return {name: info.annotation for name, info in fields.items()}
    hints = typing.get_type_hints(model, include_extras=True)
    return {name: hints[name] for name in fields}


def _befores(metadata: list[Any]) -> tuple[_Convert, ...]:
    return tuple(m.func for m in metadata if isinstance(m, BeforeValidator))  # type: ignore[misc]


def _serializers(metadata: list[Any]) -> list[_Convert]:
    return [m.func for m in metadata if isinstance(m, PlainSerializer)]  # type: ignore[misc]


_Shape = tuple[_Nested | None, Any, tuple[_Convert, ...], list[_Convert]]
"""A field's nested model or union, its container, conversions and JSON serializers."""


def _shape(annotation: Any) -> _Shape:
    """The model or tagged union inside ``X | None``, ``Annotated``, ``list`` and ``dict``
    (if any), the container it is in (``list``, ``dict`` or ``None``), and the
    before-validators and JSON serializers of a plain value."""
    converts: tuple[_Convert, ...] = ()
    serializers: list[_Convert] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata = list(annotation.__metadata__)
            choice = _choice(typing.get_args(annotation)[0], metadata)
            if choice is not None:
                return choice, None, (), []
            converts = (*_befores(metadata), *converts)
            serializers += _serializers(metadata)
            annotation = typing.get_args(annotation)[0]
        elif (
            origin in (typing.Union, types.UnionType)
            and typing.get_args(annotation).count(type(None)) == 1
            and len(typing.get_args(annotation)) == 2
        ):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin in (list, dict):
            element, container, _, _ = _shape(typing.get_args(annotation)[-1])
            if element is None:
                return None, None, converts, serializers
            if container is not None:
                raise TypeError(f"construct cannot build {annotation!r}")
            return element, origin, (), []
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, None, (), []
        else:
            if _mentions_model(annotation):
                raise TypeError(f"construct cannot build {annotation!r}")
            return None, None, converts, serializers


def _choice(union: Any, metadata: list[Any]) -> _Choice | None:
    """The tagged union ``Annotated[Annotated[A, Tag(a)] | …, Discriminator(…)]``, or
    ``None`` when the metadata hold no discriminator."""
    found = [m.discriminator for m in metadata if isinstance(m, Discriminator)]
    if not found:
        return None
    models: dict[Any, type[BaseModel]] = {}
    for member in typing.get_args(union):
        model, *tags = typing.get_args(member)
        tag = next((t.tag for t in tags if isinstance(t, Tag)), None)
        if tag is None or not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(f"construct cannot build {union!r}")
        models[tag] = model
    pick = found[0]
    if isinstance(pick, str):
        key = pick
        pick = functools.partial(_member, key)
    return _Choice(pick, models)


def _member(key: str, value: Any) -> Any:
    """A field discriminator's value in a mapping or a model."""
    return value.get(key) if isinstance(value, Mapping) else getattr(value, key, None)


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
    extra: dict[str, Any] | None = {} if plan.extra else None
    for key, value in data.items():
        field = fields.get(key)
        if field is None and extra is not None and value is not None:
            extra[key] = value
            continue
        if field is None or value is None:
            raise TypeError(f"{model.__name__}: unexpected {key!r}")
        nested = field.nested
        if nested is not None:
            if field.container is list:
                value = [_nested(nested, element) for element in value]
            elif field.container is dict:
                value = {name: _nested(nested, element) for name, element in value.items()}
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
    named = plan.aliased or extra is not None
    given = {fields[key].name if key in fields else key for key in data} if named else set(data)
    setattr_(instance, "__pydantic_fields_set__", given)
    setattr_(instance, "__pydantic_extra__", extra)
    setattr_(instance, "__pydantic_private__", None)
    return instance


def _nested(nested: _Nested, value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value
    model = nested.model_of(value) if isinstance(nested, _Choice) else nested
    return construct(model, value)


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
    extra: dict[str, Any] = {}
    for key, value in data.items():
        spec = specs.get(key)
        if spec is None and plan.extra and value is not None:
            extra[key] = value
            continue
        if spec is None or value is None:
            raise TypeError(f"{plan.name}: unexpected {key!r}")
        position, nested, container, stored, converts, skip_default, default, serialize = spec
        if nested is not None:
            if container is list:
                value = [_dump_nested(nested, v) for v in value]
            elif container is dict:
                value = {name: _dump_nested(nested, v) for name, v in value.items()}
            else:
                value = _dump_nested(nested, value)
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
    if not in_order:
        result = {field.key: result[field.key] for field in plan.ordered if field.key in result}
    if extra:  # pydantic writes the kept unknown keys after the fields
        result.update(extra)
    return result


def _dump_nested(nested: _Plan | _Choice, value: Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(nested, _Choice):
        return _dump(_plan(nested.model_of(value)), value)
    return _dump(nested, value)
