"""One exception hierarchy for everything the library rejects.

Every error carries one or more :class:`Problem` records: a stable ``code``, a JSON
``pointer`` (RFC 6901) into the document that was rejected and a ``reason``. Reasons are
written by the library itself and never quote the document's contents: assessments hold
special-category social data, so an error message must be safe to log anywhere.

The tree (``except KwgCheckError`` catches everything the library raises on purpose)::

    Exception
    └── KwgCheckError
        ├── LoadError                 bytes that are no safe JSON value      load.*
        ├── DocumentError             a document breaks its schema or rules  schema.*, ref.*, …
        ├── InstrumentMismatchError   an assessment names another instrument instrument.*, fhir.*
        ├── OverrideError             an override breaks the policy          override.*
        ├── ComparisonError           two documents cannot be compared       compare.*
        ├── NotFoundError             (also LookupError) no such instrument,
        │                             example or schema                      registry.*, …
        ├── ArgumentError             (also ValueError) a wrong argument:
        │                             unknown language, format, count        argument.*
        └── WriteError                (also ValueError) a value that cannot
                                      be written as JSON                     write.*

Codes are ``area.kebab-case``; every code and its meaning is declared once in
:mod:`kwg_check._codes` (and listed in ``docs/reference/codes.md``). One fault has one code,
whichever path finds it: the published schema and the models name a fault alike.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

import attrs

__all__ = [
    "UNKNOWN_KEY",
    "ArgumentError",
    "ComparisonError",
    "DocumentError",
    "InstrumentMismatchError",
    "KwgCheckError",
    "LanguageFallbackWarning",
    "LoadError",
    "NotFoundError",
    "OverrideError",
    "Problem",
    "WriteError",
    "escape_pointer_token",
    "pointer_from_path",
    "safe_pointer",
    "safe_pointer_token",
]


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token as RFC 6901 demands (``~`` → ``~0``, ``/`` → ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_from_path(path: Iterable[str | int]) -> str:
    """Build a JSON pointer from a sequence of keys and indices."""
    return "".join("/" + escape_pointer_token(token) for token in path)


UNKNOWN_KEY = "~unknown"
"""Pointer token standing in for an object key that is not shown. Keys can carry content
(a name, a note), so only identifier-shaped keys appear verbatim; ``~unknown`` is
deliberately not a valid RFC 6901 token, so it cannot be mistaken for a real key."""

_SHOWN_KEY = re.compile(r"[A-Za-z0-9_.$-]{1,64}")
"""Keys shown verbatim in pointers: the form of every field name and identifier."""


def safe_pointer_token(token: str | int) -> str:
    """An escaped pointer token, or :data:`UNKNOWN_KEY` for a key that is not identifier-shaped."""
    if type(token) is int or _SHOWN_KEY.fullmatch(str(token)):
        return escape_pointer_token(token)
    return UNKNOWN_KEY


def safe_pointer(path: Iterable[str | int], shown: Collection[int] = ()) -> str:
    """A pointer that shows no content: keys not shaped like identifiers become
    :data:`UNKNOWN_KEY`, except at the positions in ``shown`` (keys known to be valid ids)."""
    return "".join(
        "/" + (escape_pointer_token(token) if index in shown else safe_pointer_token(token))
        for index, token in enumerate(path)
    )


@attrs.frozen(order=True)
class Problem:
    """One thing wrong with a document: where (``pointer``), what (``code``) and why."""

    pointer: str
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.code}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "code": self.code, "reason": self.reason}


class KwgCheckError(Exception):
    """Base class of every error the library raises on purpose.

    ``problems`` lists everything found (documents are checked completely, not up to the
    first fault); ``code``, ``pointer`` and ``reason`` are those of the first problem.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = (problems,)
        if not problems:
            raise ValueError("an error needs at least one problem")
        self.problems = tuple(problems)
        super().__init__(self._message())

    @classmethod
    def single(cls, pointer: str, code: str, reason: str) -> KwgCheckError:
        return cls(Problem(pointer, code, reason))

    @property
    def code(self) -> str:
        return self.problems[0].code

    @property
    def pointer(self) -> str:
        return self.problems[0].pointer

    @property
    def reason(self) -> str:
        return self.problems[0].reason

    def _message(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        return first if not more else f"{first} (and {more} more)"


class LoadError(KwgCheckError):
    """The bytes could not be turned into a JSON value safely (syntax, limits, encoding)."""


class DocumentError(KwgCheckError):
    """A parsed document does not conform to its schema or to the semantic rules."""


class InstrumentMismatchError(KwgCheckError):
    """An assessment refers to another instrument (id, version or fingerprint)."""


class OverrideError(KwgCheckError):
    """A discretionary override or final rating is outside the instrument's policy."""


class NotFoundError(KwgCheckError, LookupError):
    """A named instrument, example or schema does not exist (also a ``LookupError``)."""


class ComparisonError(KwgCheckError):
    """Two documents cannot be compared: they belong to different children or instruments."""


class ArgumentError(KwgCheckError, ValueError):
    """A function was called with a wrong argument: an unknown language or format, a count
    below one. Also a ``ValueError``, as Python's own functions raise for bad arguments."""


class WriteError(KwgCheckError, ValueError):
    """A value cannot be written as JSON: it is no JSON value, or it nests too deeply to be
    written. Also a ``ValueError``, as ``json.dumps`` raises for such values."""


class LanguageFallbackWarning(UserWarning):
    """An output of an instrument in a language the library does not write (say French):
    the instrument's texts stay in its language, the library's own words are English.
    No error, so a warning: issued when the output's language is chosen, and shown once
    (Python's default filter; ``kwg-check`` prints it as one ``note:`` line)."""

    def __init__(self, language: str) -> None:
        super().__init__(
            f"the library does not write {language}: its own words are English, "
            f"the instrument's texts stay in {language}"
        )
        self.language = language
