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
import unicodedata
from decimal import Context, Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "DECIMAL_PATTERN",
    "JSON_INT",
    "Document",
    "EndangermentForm",
    "Exact",
    "Extensions",
    "Fingerprint",
    "Id",
    "IsoDate",
    "Label",
    "LocalizedText",
    "Part",
    "PseudonymousId",
    "SemVer",
    "Text",
    "anchored",
    "format_decimal",
    "label_match_key",
    "one_of",
]


def anchored(body: str) -> str:
    """Anchor a pattern at both ends the same way in Python ``re`` and ECMAScript."""
    return f"^(?:{body})(?![\\s\\S])"


ID_PATTERN = anchored(r"[a-z0-9][a-z0-9_.-]{0,63}")
PSEUDONYM_PATTERN = anchored(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
SEMVER_PATTERN = anchored(
    r"(?:0|[1-9][0-9]{0,5})\.(?:0|[1-9][0-9]{0,5})\.(?:0|[1-9][0-9]{0,5})"
    r"(?:-[0-9A-Za-z.-]{1,32})?"
)
FINGERPRINT_PATTERN = anchored(r"sha256:[0-9a-f]{64}")
DECIMAL_PATTERN = anchored(r"-?(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?")
# Calendar dates 1900-01-01 … 2199-12-31, leap years included, as one portable expression.
_DAY_IN_MONTH = (
    r"(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8])"
)
_LEAP_YEAR = r"(?:19|2[01])(?:0[48]|[2468][048]|[13579][26])|2000"
DATE_PATTERN = anchored(rf"(?:19|2[01])[0-9]{{2}}-(?:{_DAY_IN_MONTH})|(?:{_LEAP_YEAR})-02-29")

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

Id = Annotated[str, Field(pattern=ID_PATTERN, description="An identifier within the document.")]
PseudonymousId = Annotated[
    str,
    Field(
        pattern=PSEUDONYM_PATTERN,
        description="A pseudonymous identifier. Never a name.",
    ),
]
SemVer = Annotated[str, Field(pattern=SEMVER_PATTERN, description="A semantic version.")]
Fingerprint = Annotated[
    str,
    Field(
        pattern=FINGERPRINT_PATTERN,
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
    """Base of every object in the documents: strict types, unknown fields rejected."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        regex_engine="python-re",
        use_attribute_docstrings=True,
        json_schema_mode_override="validation",
    )

    @field_validator("*", mode="before")
    @classmethod
    def _absent_not_null(cls, value: Any) -> Any:
        # An optional field is left out, never null: one spelling per meaning, and the
        # "exactly one of" rules read the same in JSON Schema.
        if value is None:
            raise PydanticCustomError("null_value", "null is not allowed; leave the field out")
        return value


def one_of(*fields: str) -> ConfigDict:
    """Model config demanding exactly one of the fields, expressed in JSON Schema too."""
    return ConfigDict(json_schema_extra={"oneOf": [{"required": [name]} for name in fields]})


class LocalizedText(Part):
    """A text in German and English."""

    de: Annotated[str, Field(min_length=1, max_length=5000)]
    """German wording."""
    en: Annotated[str, Field(min_length=1, max_length=5000)]
    """English wording."""


class Document(Part):
    """Base of the three top-level documents."""

    schema_: str | None = Field(
        default=None,
        alias="$schema",
        max_length=500,
        description="Optional URI of the schema, for editors.",
    )
