"""Instruments by id and version: the bundled ones and the user's own directories.

A registry is built once and then only read, so it can be shared between threads. Compiled
instruments are cached per (id, version): compile once, score many.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import attrs

from ._documents import document_fingerprint, trusted_instrument
from ._engine import CompiledInstrument, compile_instrument
from ._errors import DocumentError, KwgCheckError, NotFoundError, Problem
from ._io import JsonValue, load_bytes, load_path
from ._lifecycle import base_mismatch, parse_instrument_or_variant, resolve_variant
from ._model import Assessment, Instrument, InstrumentVariant
from ._model._types import LocalizedText
from ._types import checked_arguments

__all__ = [
    "Example",
    "InstrumentEntry",
    "InstrumentRegistry",
    "bundled_registry",
    "example_data",
    "examples",
    "version_key",
]

INSTRUMENT_SUFFIXES = (".yaml", ".yml", ".json")


@attrs.frozen
class InstrumentEntry:
    """One instrument a registry knows: who it is and where it came from."""

    id: str
    version: str
    title: LocalizedText
    origin: str
    """``bundled:<file>`` or the path of the user's file."""


@attrs.frozen
class Example:
    """A bundled fictional assessment, with the outcome it is meant to reach."""

    name: str
    instrument: str
    description: LocalizedText
    """What the example shows, in German and English."""
    expected_final: str | None
    expected_computed: str | None
    resource: str
    """Package-relative path of the assessment file."""


def version_key(version: str) -> tuple[tuple[int, int, int], int, str]:
    """Semantic versions in order: ``sorted(versions, key=version_key)``."""
    core, _, pre = version.partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    # A release sorts after its pre-releases, as semver says.
    return (major, minor, patch), 0 if pre else 1, pre


def _data_dir() -> Path:
    return Path(str(resources.files("kwg_check") / "data"))


def bundled_id(path: Path) -> str:
    """The instrument id a bundled file holds, by its name: ``ID.yaml`` or
    ``ID-VERSION.yaml`` (bundled ids have no hyphen; a test checks both)."""
    return path.stem.partition("-")[0]


class InstrumentRegistry:
    """Instruments by id and version.

    ``InstrumentRegistry()`` holds the bundled instruments; pass directories of instrument
    files (YAML or JSON) to add the user's own. The same instrument added twice (same id,
    version and fingerprint, e.g. a copy of a bundled file) is known once. Two *different*
    instruments with the same id and version are an error naming both sources: silently
    preferring one would score with an instrument nobody chose.
    """

    @checked_arguments
    def __init__(self, directories: Iterable[str | os.PathLike[str]] = (), *, bundled: bool = True):
        self._instruments: dict[tuple[str, str], tuple[Instrument, str]] = {}
        self._compiled: dict[tuple[str, str], CompiledInstrument] = {}
        self._given: dict[tuple[str, str], str] = {}
        """The instruments the caller added (a copy of a bundled one too), by origin."""
        self._variants: dict[tuple[str, str], InstrumentVariant] = {}
        """The local variants among the instruments, as their authors wrote them."""
        self._lock = threading.RLock()
        self._unread: dict[str, list[Path]] = {}
        """Bundled files not parsed yet, by the instrument id their name starts with."""
        if bundled:
            for path in sorted((_data_dir() / "instruments").iterdir()):
                if path.suffix in INSTRUMENT_SUFFIXES:
                    self._unread.setdefault(bundled_id(path), []).append(path)
        for directory in directories:
            self.add_directory(directory)

    @checked_arguments
    def add_directory(self, directory: str | os.PathLike[str]) -> None:
        """Add every instrument file (``*.yaml``, ``*.yml``, ``*.json``) of a directory.

        A file that cannot be read or is no valid instrument raises its error with every
        reason naming the file (the caller's own path; the pointers stay those of the
        document), as a clash between two files names both. Local variants among the files
        are resolved after the complete instruments, against this registry's instruments.
        """
        documents: list[tuple[Instrument | InstrumentVariant, str]] = []
        for path in instrument_files(directory):
            with _naming(path):
                documents.append((parse_instrument_or_variant(load_path(path)), str(path)))
        self._add_documents(documents)

    def _add_documents(
        self, documents: Iterable[tuple[Instrument | InstrumentVariant, str]]
    ) -> None:
        """Add complete instruments first, then the variants whose base is known, until
        every variant is resolved (a variant may derive from another variant)."""
        pending: list[tuple[InstrumentVariant, str]] = []
        for document, origin in documents:
            if isinstance(document, InstrumentVariant):
                pending.append((document, origin))
            else:
                self._add_given(document, origin)
        while pending:
            ready = [
                (v, o) for v, o in pending if self._has(v.derives_from.id, v.derives_from.version)
            ]
            for variant, origin in ready or pending[:1]:  # none ready: the first one's error
                with _naming(origin):
                    self.add_variant(variant, origin)
            pending = [entry for entry in pending if entry not in ready]

    @checked_arguments
    def add_variant(self, variant: InstrumentVariant, origin: str = "api") -> None:
        """Add a local variant, resolved against its base in this registry.

        An unknown base raises :class:`NotFoundError` (``variant.unknown-base``); a base with
        another fingerprint than the one the variant names is accepted here and reported by
        :meth:`variant_problems` (``lint``).
        """
        self._add_given(self.resolve(variant), origin)
        self._variants[variant.id, variant.version] = variant

    @checked_arguments
    def resolve(self, variant: InstrumentVariant) -> Instrument:
        """The complete instrument of a variant, resolved against its base in this registry
        (the registry itself is not changed); ``variant.unknown-base`` when it lacks the base."""
        ref = variant.derives_from
        if not self._has(ref.id, ref.version):
            reason = f"the base instrument of the variant, {ref.id} {ref.version}, is not known"
            raise NotFoundError(Problem("/derives_from", "variant.unknown-base", reason))
        return resolve_variant(variant, self.get(ref.id, ref.version))

    @checked_arguments
    def variant(self, instrument_id: str, version: str) -> InstrumentVariant | None:
        """The variant document an instrument was resolved from (``None``: not a variant)."""
        self._read(instrument_id)
        return self._variants.get((instrument_id, version))

    @checked_arguments
    def variant_problems(self, variant: InstrumentVariant) -> list[Problem]:
        """Warnings about a variant against this registry: ``variant.base-mismatch`` when the
        base it names is available with other contents (for ``lint``)."""
        ref = variant.derives_from
        if not self._has(ref.id, ref.version):
            return []
        return base_mismatch(variant, self.get(ref.id, ref.version))

    def _has(self, instrument_id: str, version: str) -> bool:
        self._read(instrument_id, version)
        return (instrument_id, version) in self._instruments

    def _add_given(self, instrument: Instrument, origin: str) -> None:
        if origin.startswith("bundled:"):
            self._add(instrument, origin)
        else:
            self.add(instrument, origin)

    @checked_arguments
    def add(self, instrument: Instrument, origin: str = "api") -> None:
        """Add one instrument document; ``origin`` names its source in error messages."""
        self._add(instrument, origin)
        if not origin.startswith("bundled:"):  # a bundled one copied from another registry
            self._given[instrument.id, instrument.version] = origin

    @checked_arguments
    def with_instrument(
        self, instrument: Instrument | CompiledInstrument, origin: str = "api"
    ) -> InstrumentRegistry:
        """A new registry that also knows ``instrument``; this registry stays as it was.

        The given instrument takes the place of one with the same id and version (the caller
        chose it explicitly, so it wins over a bundled namesake). The other instruments and
        their compiled forms are shared, not re-added or recompiled; a compiled instrument
        given here is not compiled again either.
        """
        document = (
            instrument.instrument if isinstance(instrument, CompiledInstrument) else instrument
        )
        key = (document.id, document.version)
        self._read(document.id, document.version)  # the bundled namesake it replaces
        combined = InstrumentRegistry(bundled=False)
        combined._unread = {k: list(v) for k, v in self._unread.items()}
        combined._instruments = {**self._instruments, key: (document, origin)}
        combined._compiled = {k: v for k, v in self._compiled.items() if k != key}
        if isinstance(instrument, CompiledInstrument):
            combined._compiled[key] = instrument
        combined._variants = {k: v for k, v in self._variants.items() if k != key}
        combined._given = {k: v for k, v in self._given.items() if k != key}
        if not origin.startswith("bundled:"):
            combined._given[key] = origin
        return combined

    def _read(self, instrument_id: str | None = None, version: str | None = None) -> None:
        """Parse the bundled files not read yet: those named after ``instrument_id`` (a
        bundled file is named ``ID.yaml`` or ``ID-VERSION.yaml`` after the instrument it
        holds; a test checks that), or all of them. With a ``version``, the file named after
        it (else ``ID.yaml``) is read first and the others only when it does not hold that
        version. Checking one assessment so reads one file, not every bundled one."""
        with self._lock:
            if instrument_id is None:
                unread = [path for paths in self._unread.values() for path in paths]
                self._unread = {}
            elif version is not None and (instrument_id, version) not in self._instruments:
                paths = self._unread.get(instrument_id, [])
                names = (f"{instrument_id}-{version}", instrument_id)
                first = [p for name in names for p in paths if p.stem == name][:1]
                for path in first:
                    paths.remove(path)  # before reading: adding it reads its namesakes
                self._read_files(first)
                if (instrument_id, version) in self._instruments:
                    return
                unread = self._unread.pop(instrument_id, [])
            else:
                unread = self._unread.pop(instrument_id, [])
            self._read_files(unread)

    def _read_files(self, files: list[Path]) -> None:
        self._add_documents((bundled_document(file), f"bundled:{file.name}") for file in files)

    def _add(self, instrument: Instrument, origin: str) -> None:
        if not origin.startswith("bundled:"):  # a bundled namesake is compared first
            self._read(instrument.id, instrument.version)
        key = (instrument.id, instrument.version)
        known = self._instruments.get(key)
        if known is None:
            self._instruments[key] = (instrument, origin)
        elif document_fingerprint(known[0]) != document_fingerprint(instrument):
            raise DocumentError(
                Problem(
                    "/id",
                    "registry.duplicate",
                    f"instrument {key[0]} {key[1]} is defined twice with different contents: "
                    f"{_source(known[1])} and {_source(origin)}",
                )
            )

    def entries(self) -> list[InstrumentEntry]:
        """All instruments, sorted by id and then version."""
        self._read()
        return [
            InstrumentEntry(ident, version, instrument.title, origin)
            for (ident, version), (instrument, origin) in sorted(
                self._instruments.items(), key=lambda kv: (kv[0][0], version_key(kv[0][1]))
            )
        ]

    @checked_arguments
    def get(self, instrument_id: str, version: str | None = None) -> Instrument:
        """The instrument with this id and version (the highest version when none is given)."""
        return self._instruments[self._key(instrument_id, version)][0]

    @checked_arguments
    def compiled(self, instrument_id: str, version: str | None = None) -> CompiledInstrument:
        """The compiled instrument, compiled on first use and cached."""
        key = self._key(instrument_id, version)
        with self._lock:
            if key not in self._compiled:
                self._compiled[key] = compile_instrument(self._instruments[key][0])
            return self._compiled[key]

    @checked_arguments
    def for_assessment(self, assessment: Assessment) -> CompiledInstrument:
        """The compiled instrument an assessment refers to."""
        return self.compiled(assessment.instrument.id, assessment.instrument.version)

    def _key(self, instrument_id: str, version: str | None) -> tuple[str, str]:
        self._read(instrument_id, version)
        if version is not None:
            if (instrument_id, version) in self._instruments:
                return instrument_id, version
        else:
            versions = [v for (i, v) in self._instruments if i == instrument_id]
            if versions:
                return instrument_id, max(versions, key=version_key)
        raise NotFoundError(
            Problem(
                "/instrument", "registry.unknown-instrument", self._unknown(instrument_id, version)
            )
        )

    def _unknown(self, instrument_id: str, version: str | None) -> str:
        """Why an instrument is not found, with the known versions or the closest ids; when
        the caller gave instruments, which ones, so that a wrong file is plain to see."""
        self._read()
        ids = sorted({ident for ident, _ in self._instruments})
        if instrument_id in ids:
            versions = sorted(
                (v for i, v in self._instruments if i == instrument_id), key=version_key
            )
            hint = f" (known versions: {', '.join(versions)})"
        else:
            close = difflib.get_close_matches(instrument_id, ids, n=3)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        wanted = instrument_id + (f" version {version}" if version else "")
        if not self._given:
            return (
                f"no instrument {wanted} is known{hint}; pass the instrument file, or see "
                "`kwg-check instruments` for the bundled ones"
            )
        kind = "instrument(s)" if "api" in self._given.values() else "instrument file(s)"
        held = ", ".join(f"{ident} {v}" for ident, v in sorted(self._given))
        return (
            f"no instrument {wanted} is known{hint}: the given {kind} ({held}) do not match "
            f"the instrument reference {wanted}"
        )


@contextlib.contextmanager
def _naming(origin: str | os.PathLike[str]) -> Iterator[None]:
    """Errors raised inside name the file they came from (its path, never its contents)."""
    try:
        yield
    except KwgCheckError as error:
        if str(origin).startswith("bundled:"):
            raise
        problems = [attrs.evolve(p, reason=f"in {origin}: {p.reason}") for p in error.problems]
        raise type(error)(problems) from None


def _source(origin: str) -> str:
    """An entry's origin as a message names it: a path, never the file's contents."""
    if origin.startswith("bundled:"):
        return f"the bundled file {origin.removeprefix('bundled:')}"
    return "an instrument added through the API" if origin == "api" else origin


def instrument_files(directory: str | os.PathLike[str]) -> list[Path]:
    """The instrument files (``*.yaml``, ``*.yml``, ``*.json``) of a directory, sorted."""
    root = Path(directory)
    if not root.is_dir():
        name = os.fspath(directory)
        reason = f"the instrument directory {name!r} does not exist or is not a directory"
        raise NotFoundError(Problem("", "registry.directory", reason))
    return [p for p in sorted(root.iterdir()) if p.suffix in INSTRUMENT_SUFFIXES and p.is_file()]


def parsed_twin(path: Path) -> Path:
    """Where the JSON twin of a bundled instrument file is kept (see :func:`bundled_value`):
    beside its folder, so the tool that writes the twins of a checkout finds the checkout's,
    whichever copy of the package is installed."""
    return path.parent.parent / "parsed" / f"{path.name}.json"


def twin_text(data: bytes, value: JsonValue) -> str:
    """The text of a JSON twin: the SHA-256 of the file it was read from, then its value."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return f"{hashlib.sha256(data).hexdigest()}\n{body}\n"


def bundled_document(path: Path) -> Instrument | InstrumentVariant:
    """The document of a bundled instrument file. An instrument read from its current twin
    is built without validation (the tool that writes the twins validates and compiles the
    instrument first, see :func:`~kwg_check._documents.trusted_instrument`); the file read
    itself, and every local variant, take the validating parse."""
    value, from_twin = _bundled(path)
    if from_twin and isinstance(value, dict) and value.get("document_type") == "instrument":
        return trusted_instrument(value)
    return parse_instrument_or_variant(value)


def bundled_value(path: Path) -> JsonValue:
    """The JSON value of a bundled instrument file, read from its JSON twin when the twin was
    made from these very bytes, else from the file itself.

    The bundled instruments are written in YAML for their authors, and PyYAML's reader is
    pure Python: reading ``kwg_8a`` that way took about as long as starting the interpreter
    twice, and every ``kwg-check validate`` read it (issue 17). The twin
    (``data/parsed/FILE.json``, written by ``tools/bundle_instruments.py``, checked by a test)
    holds the same value as JSON, which is read in C; a twin that does not match the file's
    bytes is ignored, so an edited YAML file is never shadowed by a stale twin."""
    return _bundled(path)[0]


def _bundled(path: Path) -> tuple[JsonValue, bool]:
    """:func:`bundled_value`, and whether it was read from the twin."""
    data = path.read_bytes()
    try:
        digest, _, body = parsed_twin(path).read_bytes().partition(b"\n")
    except OSError:
        return load_path(path), False
    if digest.decode("ascii", "replace") != hashlib.sha256(data).hexdigest():
        return load_path(path), False
    return load_bytes(body, format="json"), True


@functools.cache
def bundled_registry() -> InstrumentRegistry:
    """The registry of bundled instruments, built once per process."""
    return InstrumentRegistry()


@functools.cache
def examples() -> tuple[Example, ...]:
    """The bundled example assessments, sorted by name."""
    found: list[Example] = []
    for catalog in sorted((_data_dir() / "examples").glob("*/catalog.json")):
        entries = json.loads(catalog.read_text(encoding="utf-8"))
        for entry in entries:
            found.append(
                Example(
                    name=entry["name"],
                    instrument=catalog.parent.name,
                    description=LocalizedText.model_validate(entry["description"]),
                    expected_final=entry.get("expected_final"),
                    expected_computed=entry.get("expected_computed"),
                    resource=f"{catalog.parent.name}/{entry['file']}",
                )
            )
    return tuple(sorted(found, key=lambda example: example.name))


def example_data(name: str) -> JsonValue:
    """The JSON value of a bundled example assessment."""
    for example in examples():
        if example.name == name:
            return load_bytes((_data_dir() / "examples" / example.resource).read_bytes())
    close = difflib.get_close_matches(name, [example.name for example in examples()], n=3)
    listed = " (kwg_check.examples() and `kwg-check examples` list them)"
    hint = f" (did you mean {' or '.join(close)}?)" if close else listed
    reason = f"no bundled example has that name{hint}"  # the name itself is not repeated
    raise NotFoundError(Problem("", "example.unknown", reason))
