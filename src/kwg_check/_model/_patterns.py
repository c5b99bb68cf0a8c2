"""The regular expressions of the documents, and what each means in words.

Every pattern is written so that Python ``re`` and ECMAScript read it alike (see
``_types``). The words are what an error says instead of the pattern: they never depend on
the input.
"""

from __future__ import annotations

__all__ = [
    "DATE_PATTERN",
    "DECIMAL_PATTERN",
    "FINGERPRINT_PATTERN",
    "ID_PATTERN",
    "LANGUAGE_PATTERN",
    "NAME_PATTERN",
    "PATTERN_MEANINGS",
    "PSEUDONYM_PATTERN",
    "SEMVER_PATTERN",
    "anchored",
    "published",
    "validated",
]


_END = "(?![\\s\\S])"
"""The end of the text, read alike by Python ``re`` (where ``$`` also matches before a final
newline) and ECMAScript (which has no ``\\z``)."""


def anchored(body: str) -> str:
    """Anchor a pattern at both ends the same way in Python ``re`` and ECMAScript: the form
    the published JSON Schemas hold."""
    return f"^(?:{body}){_END}"


def validated(pattern: str) -> str:
    """An ``anchored`` pattern as the models' validator reads it: Rust's regex engine, which
    has no lookahead but reads ``$`` as the end of the text only (and matches in Rust, not
    through a call into Python per string). ``published`` turns it back."""
    assert pattern.endswith(_END), pattern
    return pattern.removesuffix(_END) + "$"


def published(pattern: str) -> str:
    """The pattern of a model's field as the published JSON Schema writes it (``anchored``)."""
    return pattern.removesuffix("$") + _END if pattern.endswith("$") else pattern


ID_PATTERN = anchored(r"[a-z0-9][a-z0-9_.-]{0,63}")
LANGUAGE_PATTERN = anchored(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,7}")
NAME_PATTERN = anchored(r"[a-z][a-z0-9_]{0,49}")
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

PATTERN_MEANINGS = {
    ID_PATTERN: "an identifier: 1 to 64 of the characters a-z, 0-9, '_', '.', '-', "
    "beginning with a letter or digit",
    PSEUDONYM_PATTERN: "a pseudonymous identifier (never a name): 1 to 64 of the characters "
    "A-Z, a-z, 0-9, '_', '.', ':', '-', beginning with a letter or digit",
    NAME_PATTERN: "a message code or parameter name: 1 to 50 of the characters a-z, 0-9, "
    "'_', beginning with a letter",
    SEMVER_PATTERN: "a semantic version such as 1.0.0",
    LANGUAGE_PATTERN: "a BCP 47 language tag such as de, en or pt-BR",
    FINGERPRINT_PATTERN: "a fingerprint: 'sha256:' and 64 lower-case hexadecimal digits",
}
"""What an error says a value must be, for each pattern of a field."""
