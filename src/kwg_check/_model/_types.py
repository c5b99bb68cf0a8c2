"""Field types shared by the three documents.

Every constraint here is written so that the JSON Schema generated from it means exactly the
same thing to every conforming validator: regular expressions use ``[0-9]`` instead of ``\\d``
(Python's ``\\d`` matches non-ASCII digits), and end with ``(?![\\s\\S])`` instead of ``$``
(Python's ``$`` also matches before a trailing newline, ECMAScript's does not).
"""

from __future__ import annotations

import datetime
import functools
import re
import typing
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from decimal import Context, Decimal
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.config import ExtraValues
from pydantic_core import PydanticCustomError

from .._errors import DocumentError, Problem
from .._io import DEFAULT_LIMITS, Limits, load_bytes, load_text
from . import fields_described
from ._patterns import (
    DATE_PATTERN,
    DECIMAL_PATTERN,
    FINGERPRINT_PATTERN,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    PSEUDONYM_PATTERN,
    SEMVER_PATTERN,
    anchored,
    validated,
)
from ._problems import check_limits, validate

__all__ = [
    "DATE_PATTERN",
    "DECIMAL_PATTERN",
    "FINGERPRINT_PATTERN",
    "ID_PATTERN",
    "JSON_INT",
    "LANGUAGE_PATTERN",
    "PSEUDONYM_PATTERN",
    "SEMVER_PATTERN",
    "Document",
    "EndangermentForm",
    "Exact",
    "Extensions",
    "Fingerprint",
    "Id",
    "IsoDate",
    "Label",
    "LanguageTag",
    "LocalizedText",
    "Part",
    "PseudonymousId",
    "SemVer",
    "Text",
    "anchored",
    "format_decimal",
    "label_match_key",
    "localized_texts",
    "models_reached",
    "one_of",
]


_DECIMAL_RE = re.compile(DECIMAL_PATTERN)
_DATE_RE = re.compile(DATE_PATTERN)
DECIMAL_LIMIT = 10**12


# A fixed context: the caller's decimal context must never change what a document says.
_NORMALIZE = Context(prec=40)


@functools.lru_cache(maxsize=4096, typed=True)  # equal decimals read alike; few distinct ones
def format_decimal(value: Decimal) -> str:
    """Plain positional notation without trailing zeros, never an exponent, so every
    language reads it alike and ``2``, ``"2.0"`` and ``"2.00"`` are written the same."""
    text = format(value.normalize(_NORMALIZE), "f")
    return "0" if text == "-0" else text


def label_match_key(label: str) -> str:
    """The form in which two labels written by people are matched, never stored or shown.

    Labels match when they read the same: after Unicode NFC normalisation (``é`` typed as one
    character or as ``e`` with a combining accent), with every run of whitespace, the no-break
    spaces included, read as one space and whitespace at either end ignored. Case, punctuation
    and letters that only look alike still tell labels apart.
    """
    return " ".join(unicodedata.normalize("NFC", label).split())


def _to_decimal(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # rejected by the strict Decimal check that follows
    if isinstance(value, int):
        return Decimal(value) if abs(value) < DECIMAL_LIMIT else value
    if isinstance(value, float):
        # JSON Schema counts 2.0 as an integer; so must we, to give the same verdict.
        if value.is_integer() and abs(value) < DECIMAL_LIMIT:
            return Decimal(int(value))
        return value
    if isinstance(value, str):
        if _DECIMAL_RE.search(value):
            return Decimal(value)
        raise ValueError("must be an integer or a decimal string such as '1.5'")
    return value


def _to_int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # JSON Schema counts 2.0 as an integer; so must we
    return value


def _to_date(value: Any) -> Any:
    if isinstance(value, str):
        if _DATE_RE.search(value):
            return datetime.date.fromisoformat(value)
        raise ValueError("must be a calendar date YYYY-MM-DD between 1900 and 2199")
    return value


Exact = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    PlainSerializer(format_decimal, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "integer",
                    "minimum": -(DECIMAL_LIMIT - 1),
                    "maximum": DECIMAL_LIMIT - 1,
                },
                {"type": "string", "pattern": DECIMAL_PATTERN},
            ],
            "description": "An exact decimal: an integer, or a string such as '1.5' "
            "(at most 12 integer and 6 fractional digits). Never a binary float.",
        }
    ),
]

IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_to_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DATE_PATTERN,
            "description": "A calendar date, YYYY-MM-DD.",
        }
    ),
]

JSON_INT = BeforeValidator(_to_int)
"""Put last in ``Annotated[int, Field(ge=…, le=…), JSON_INT]``: integers as JSON Schema sees
them (``2.0`` included). Constraints go before it so they reach the generated schema."""

Id = Annotated[
    str, Field(pattern=validated(ID_PATTERN), description="An identifier within the document.")
]
PseudonymousId = Annotated[
    str,
    Field(
        pattern=validated(PSEUDONYM_PATTERN),
        description="A pseudonymous identifier. Never a name.",
    ),
]
SemVer = Annotated[str, Field(pattern=validated(SEMVER_PATTERN), description="A semantic version.")]
Fingerprint = Annotated[
    str,
    Field(
        pattern=validated(FINGERPRINT_PATTERN),
        description="SHA-256 over the canonical JSON (RFC 8785) of a document.",
    ),
]
Label = Annotated[str, Field(min_length=1, max_length=500)]
Text = Annotated[str, Field(max_length=20_000, description="Free text. Never echoed in errors.")]
Extensions = Annotated[
    dict[str, Any],
    Field(
        description="The case system's own data. Preserved untouched; never interpreted.",
        json_schema_extra={"type": "object"},
    ),
]

EndangermentForm = Literal["neglect", "psychological_abuse", "physical_abuse", "sexual_violence"]


class Part(BaseModel):
    """Base of every object in the documents: strict types, unknown fields rejected.

    Every way to build one from data — ``Model(**data)``, ``model_validate``,
    ``model_validate_json``, ``model_validate_strings`` — is the parse path: the limits of a
    loaded file, the same problems, and only :class:`~kwg_check.DocumentError` (or
    :class:`~kwg_check.LoadError` for JSON text) with code, pointer and reason, never
    pydantic's error, which quotes the input.
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        regex_engine="rust-regex",  # patterns: see _patterns.validated
        # Descriptions are for the JSON Schema generator only (see ``describe_fields``).
        use_attribute_docstrings=fields_described(),
        json_schema_mode_override="validation",
        hide_input_in_errors=True,
        # Validators are built on first use, not at import: a command builds the models it
        # needs (validating an assessment never builds the summary's), and ``--help`` none.
        defer_build=True,
    )

    def __init__(self, /, **data: Any) -> None:
        self._parse(data, instance=self)

    # Tells pydantic this is its own __init__ in effect: nested models are then validated
    # inside their parent (all problems at once), not by calling this one per object.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def __pydantic_on_complete__(cls) -> None:
        """A model whose validator was just built completes the recursive models it holds
        (see :data:`RECURSIVE`), so that every model's fields read resolved wherever a
        problem's pointer is looked up along them."""
        waiting = [m for m in RECURSIVE if not m.__pydantic_complete__]
        if waiting and cls not in waiting:
            reached = models_reached(cls)
            for model in waiting:
                if model in reached:
                    model.model_rebuild()

    @classmethod
    def _own_problems(cls, data: Any) -> Iterable[Problem]:
        """Problems the object can find in its raw value beyond the schema (none here)."""
        return ()

    @classmethod
    def _expect_kind(cls, data: Any) -> None:
        """Raise for data that is plainly another kind of object (nothing to check here)."""

    @classmethod
    def _parse(
        cls,
        data: object,
        limits: Limits | None = DEFAULT_LIMITS,
        *,
        instance: Self | None = None,
        strings: bool = False,
        options: Mapping[str, Any] | None = None,
    ) -> Self:
        """The parse path every way in takes: the limits of a loaded file (``None`` when a
        loader has applied them already: the value is not walked twice), the kind, then the
        schema and the object's own checks, all problems at once (see ``validate``)."""
        if limits is not None:
            check_limits(data, limits)
        cls._expect_kind(data)
        checks = cls._own_problems
        return validate(
            cls, data, checks=checks, instance=instance, strings=strings, options=options
        )

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """The parse path (see the class docstring); an instance is returned as it is."""
        if isinstance(obj, cls):
            return obj
        options = _given(strict=strict, extra=extra, from_attributes=from_attributes)
        options |= _given(context=context, by_alias=by_alias, by_name=by_name)
        return cls._parse(obj, options=options)

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """JSON text through the safe loader (its limits, ``LoadError``), then the parse path."""
        if isinstance(json_data, str):
            value = load_text(json_data, format="json")
        else:
            value = load_bytes(bytes(json_data), format="json")
        options = _given(strict=strict, extra=extra, context=context)
        options |= _given(by_alias=by_alias, by_name=by_name)
        return cls._parse(value, None, options=options)

    @classmethod
    def model_validate_strings(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """The parse path in pydantic's strings mode."""
        options = _given(strict=strict, extra=extra, context=context)
        options |= _given(by_alias=by_alias, by_name=by_name)
        return cls._parse(obj, strings=True, options=options)

    @field_validator("*", mode="before")
    @classmethod
    def _absent_not_null(cls, value: Any) -> Any:
        # An optional field is left out, never null: one spelling per meaning, and the
        # "exactly one of" rules read the same in JSON Schema.
        if value is None:
            raise PydanticCustomError("null_value", "null is not allowed; leave the field out")
        return value


RECURSIVE: list[type[Part]] = []
"""Models that hold themselves through a forward reference (the conditions ``all``, ``any``
and ``not``; their module lists them). Their fields stay unresolved until their own
validator is built, which pydantic does not do when it builds them inside the schema of a
model holding them. Building theirs when their module is imported cost every start, also
where no condition is read (validating an assessment); a model holding them builds them
when it is completed (``__pydantic_on_complete__``)."""


def models_reached(model: type[BaseModel]) -> set[type[BaseModel]]:
    """Every model class the fields of ``model`` lead to, ``model`` included."""
    seen: set[type[BaseModel]] = set()
    pending: list[Any] = [model]
    while pending:
        tp = pending.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp not in seen:
                seen.add(tp)
                pending.extend(info.annotation for info in tp.model_fields.values())
        else:
            pending.extend(typing.get_args(tp))
    return seen


def _given(**options: Any) -> dict[str, Any]:
    """The validation options a caller gave (``None`` means "not given")."""
    return {name: value for name, value in options.items() if value is not None}


def one_of(*fields: str, depending: dict[str, list[str]] | None = None) -> ConfigDict:
    """Model config demanding exactly one of the fields, expressed in JSON Schema too;
    ``depending``: fields that may only be given together with others (what a model
    validator checks, so that the schema says it as well)."""
    extra: dict[str, Any] = {"oneOf": [{"required": [name]} for name in fields]}
    if depending:
        # dependentRequired, said in the portable core: without the field, or with the others.
        rules = [
            {"anyOf": [{"not": {"required": [field]}}, {"required": others}]}
            for field, others in depending.items()
        ]
        extra.update(rules[0] if len(rules) == 1 else {"allOf": rules})
    return ConfigDict(json_schema_extra=extra)


LanguageTag = Annotated[
    str,
    Field(
        pattern=validated(LANGUAGE_PATTERN),
        description="A BCP 47 language tag such as de, en or pt-BR.",
    ),
]
TextValue = Annotated[str, Field(min_length=1, max_length=5000)]


class LocalizedText(Part):
    """A text in one or more languages, keyed by BCP 47 tag (``de``, ``en``, ``pt-BR``).

    At least one language. Which ones a text must carry is the instrument's business: its
    default language (the first of ``languages``) always, the others as translations
    (a missing one is the lint warning ``lint.translation-missing``).
    """

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"propertyNames": {"pattern": LANGUAGE_PATTERN}, "minProperties": 1},
    )
    __pydantic_extra__: dict[LanguageTag, TextValue] = Field(init=False)

    de: TextValue | None = None
    """German wording."""
    en: TextValue | None = None
    """English wording."""

    @model_validator(mode="after")
    def _some_language(self) -> Self:
        if not self.translations:
            raise PydanticCustomError(
                "too_short", "give the text in at least one language", {"min_length": 1}
            )
        return self

    @property
    def translations(self) -> dict[str, str]:
        """Language tag → wording, for every language the text is given in."""
        given = {"de": self.de, "en": self.en, **(self.__pydantic_extra__ or {})}
        return {tag: text for tag, text in given.items() if text is not None}

    def get(self, tag: str) -> str | None:
        """The wording in the language ``tag``, or ``None`` when the text lacks it."""
        return self.translations.get(tag)


def localized_texts(
    value: object, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], LocalizedText]]:
    """Every localized text below ``value`` with its path, in document order (the
    publisher's ``extensions`` hold no texts of the document)."""
    return parts_of(value, LocalizedText, path)


_P = TypeVar("_P")


def parts_of(
    value: object, kind: type[_P], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], _P]]:
    """Every part of type ``kind`` below ``value`` with its path, in document order (a
    found part is not searched further; ``extensions`` belong to the publisher)."""
    if isinstance(value, kind):
        yield path, value
    elif isinstance(value, Part):
        for name, field in type(value).model_fields.items():
            if name != "extensions":
                yield from parts_of(getattr(value, name), kind, (*path, field.alias or name))
    elif isinstance(value, list):
        for position, element in enumerate(value):
            yield from parts_of(element, kind, (*path, position))


class Document(Part):
    """Base of the three top-level documents."""

    schema_: str | None = Field(
        default=None,
        alias="$schema",
        max_length=500,
        description="Optional URI of the schema, for editors.",
    )

    @classmethod
    def _expect_kind(cls, data: Any) -> None:
        """One clear problem for a document of another kind (a summary given where an
        assessment is expected), instead of every field the wrong model misses."""
        field = cls.model_fields.get("document_type")
        given = data.get("document_type") if isinstance(data, dict) else None
        if field is None or not isinstance(given, str) or given not in _ARTICLES:
            return
        (wanted,) = typing.get_args(field.annotation)
        if given != wanted:
            reason = f"expected {_ARTICLES[wanted]}, got {_ARTICLES[given]}"
            raise DocumentError(Problem("/document_type", "document.wrong-type", reason))


_ARTICLES = {
    "instrument": "an instrument",
    "instrument_variant": "an instrument variant",
    "assessment": "an assessment",
    "summary": "a summary",
}
"""The three kinds of document, as a reason names them."""
