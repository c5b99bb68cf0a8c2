"""``kwg-check``: a thin shell over the public API.

Exit codes: 0 success, 1 invalid input (or a verification difference), 2 usage error or an
output that cannot be written (a bad ``-o`` path, a full disk, ``-o`` naming an input),
3 ``score-batch`` did not complete (a write failed, a worker died; the output holds the
complete records before it, see ``--resume``), 130 interrupted (Ctrl-C), 141 standard
output was closed by its reader (``| head``), quietly, as a program ended by SIGPIPE.
Every failure ends with one line on standard error, never a traceback.
Problems are printed as ``FILE:POINTER: CODE: reason`` and never quote document contents.

Output files (``-o``) are written beside the target as ``FILE.partial`` and renamed over it
only when complete, so an earlier output survives a failed or killed run.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import shutil
import stat
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn, TextIO, TypeVar, cast

from ._errors import DocumentError, KwgCheckError, LanguageFallbackWarning, Problem
from ._io import DEFAULT_LIMITS, JsonValue, dump_json, load_bytes, load_path
from ._phrases import phrase
from ._schema import SCHEMA_NAMES, schema_text
from ._types import (
    AGREEMENT_FORMATS,
    COMPARISON_FORMATS,
    CONSULT_FORMATS,
    INSTRUMENT_DIFF_FORMATS,
    LANGUAGES,
    REPORT_FORMATS,
    STATISTIC_FORMATS,
    Lang,
    default_language,
    language,
    library_language,
    text_language,
)
from ._version import __version__

# Each command imports the rest of what it uses (the documents, the registry and the checks;
# ``_api`` and the views, ``_batch`` with its worker processes, the vocabulary): ``validate``
# starts without the views and scoring, ``--help`` without any model (issue 17).

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from ._batch import BatchCount, ResumePoint
    from ._model import Assessment, Instrument, InstrumentVariant, Summary
    from ._registry import InstrumentRegistry

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_CLOSED_PIPE = 130, 141  # 128 + SIGINT, 128 + SIGPIPE

_Document = TypeVar("_Document")


_Said = Callable[[Lang], str]
"""A sentence for people, written in the language chosen when it is printed."""


class _UsageError(Exception):
    """A problem with the command line itself (exit 2), said in the user's language."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.said: _Said = lambda lang: phrase(key, lang, **fields)


class _Stopped(Exception):
    """A run that ended before its end (one line on stderr, the given exit code)."""

    def __init__(self, said: _Said, code: int) -> None:
        super().__init__(said("en"))
        self.said, self.code = said, code


class _InvalidFile(Exception):
    """Problems of one named input file, so they are printed with that file's name (exit 1)."""

    def __init__(self, name: str, problems: Sequence[Problem]) -> None:
        super().__init__(name)
        self.name, self.problems = name, problems


def _not_a_file(path: str) -> _UsageError:
    """The usage error for an input path that is no file, worded the same by every command."""
    if Path(path).is_dir():
        return _UsageError("cli.reads-one-file", path=path)
    return _UsageError("cli.no-such-file", path=path)


def _read(path: str) -> JsonValue:
    """Load a file, or standard input for ``-``."""
    if path == "-":
        return load_bytes(sys.stdin.buffer.read(DEFAULT_LIMITS.max_bytes + 1))
    _check_readable(path)
    return load_path(path)


def _check_readable(path: str) -> None:
    """Any path that can be read is an input: files, FIFOs, ``<(…)`` (``/dev/fd/N``)."""
    if not os.path.exists(path) or os.path.isdir(path):
        raise _not_a_file(path)


_DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")


def _load(path: str, parse: Callable[[JsonValue], _Document]) -> _Document:
    """Read and parse one input file; its problems carry the file's name."""
    try:
        return parse(_read(path))
    except KwgCheckError as error:
        raise _InvalidFile(path, error.problems) from None


def _expand(names: Sequence[str]) -> list[str]:
    """Replace each directory by every document file below it, sorted, recursively."""
    files: list[str] = []
    for name in names:
        if name != "-" and Path(name).is_dir():
            below = Path(name).rglob("*")
            files += sorted(str(p) for p in below if p.suffix in _DOCUMENT_SUFFIXES and p.is_file())
        else:
            files.append(name)
    return files


def _registry(
    instrument_files: Sequence[str], directories: Sequence[str] = ()
) -> InstrumentRegistry:
    """The bundled instruments and the user's files (``--instrument``) and directories
    (``--instruments``); a file's problems, a clash included, carry that file's name."""
    from ._lifecycle import parse_instrument_or_variant
    from ._model import InstrumentVariant
    from ._registry import InstrumentRegistry, bundled_registry
    from ._registry import instrument_files as instrument_files_in

    if not instrument_files and not directories:
        return bundled_registry()
    for directory in directories:
        if not Path(directory).is_dir():
            raise _UsageError("cli.no-such-directory", path=directory)
    registry = InstrumentRegistry()
    below = [str(path) for directory in directories for path in instrument_files_in(directory)]
    for path in [*instrument_files, *below]:
        document = _load(path, parse_instrument_or_variant)
        try:
            if isinstance(document, InstrumentVariant):
                registry.add_variant(document, path)
            else:
                registry.add(document, path)
        except KwgCheckError as error:
            raise _InvalidFile(path, error.problems) from None
    return registry


def _instrument_from_file(path: str) -> Instrument:
    from ._documents import parse_instrument

    return _load(path, parse_instrument)


def _print_problems(
    name: str, problems: Sequence[Problem], stream: TextIO, *, file: bool = True
) -> None:
    """``FILE:POINTER: CODE: reason`` per problem; without a file, ``kwg-check: CODE: reason``."""
    for problem in problems:
        where = f"{name}:{problem.pointer}" if file else name
        print(f"{where}: {problem.code}: {problem.reason}", file=stream)


def _cmd_validate(args: argparse.Namespace) -> int:
    from ._check import lint_instrument, validate_document
    from ._documents import document_type
    from ._lifecycle import parse_instrument_or_variant

    registry = _registry(args.instrument, args.instruments)
    report = []
    invalid = warned = 0
    files = _expand(args.files)
    for name in files:
        warnings: list[Problem] = []
        try:
            data = _read(name)
            kind: str | None = document_type(data)
            problems = validate_document(data, registry=registry, schema_only=args.schema_only)
            if kind in ("instrument", "instrument_variant") and not problems:
                warnings = lint_instrument(parse_instrument_or_variant(data), registry=registry)
        except KwgCheckError as error:
            kind, problems = None, list(error.problems)
        invalid += bool(problems)
        warned += bool(warnings)
        if args.format == "json":
            entry: dict[str, JsonValue] = {
                "file": name,
                "document_type": kind,
                "valid": not problems,
                "problems": [_as_json(problem) for problem in problems],
            }
            if kind in ("instrument", "instrument_variant"):
                entry["warnings"] = [_as_json(warning) for warning in warnings]
            report.append(entry)
        else:
            _print_problems(name, [*problems, *warnings], sys.stdout)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        lang = default_language(None)  # many files, perhaps of several instruments
        said = phrase("cli.files-checked", lang, len(files), invalid=invalid)
        if warned:
            said += phrase("cli.with-lint-warnings", lang, warned)
        print(said, file=sys.stderr)
    return EXIT_INVALID if invalid or (args.strict and warned) else EXIT_OK


def _as_json(problem: Problem) -> JsonValue:
    return {"pointer": problem.pointer, "code": problem.code, "reason": problem.reason}


def _cmd_lint(args: argparse.Namespace) -> int:
    from ._check import lint_instrument
    from ._lifecycle import parse_instrument_or_variant
    from ._model import Instrument

    report: list[JsonValue] = []
    warned = 0
    files = _expand(args.files)
    languages: set[Lang] = set()
    for name in files:
        instrument = _load(name, parse_instrument_or_variant)
        if isinstance(instrument, Instrument):
            languages.add(default_language(instrument))
        try:
            warnings = lint_instrument(instrument)
        except KwgCheckError as error:  # a variant whose base is not known
            raise _InvalidFile(name, error.problems) from None
        warned += bool(warnings)
        if args.format == "json":
            report.append({"file": name, "warnings": [_as_json(w) for w in warnings]})
        else:
            _print_problems(name, warnings, sys.stdout)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        lang = languages.pop() if len(languages) == 1 else default_language(None)
        print(phrase("cli.instruments-checked", lang, len(files), warned=warned), file=sys.stderr)
    return EXIT_INVALID if args.strict and warned else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text(args.name))
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from ._api import resolve_instrument, score_assessment, summary_text
    from ._documents import parse_assessment
    from ._engine import score_json

    assessment = _load(args.assessment, parse_assessment)
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    compiled = resolve_instrument(assessment, instrument, registry=_registry((), args.instruments))
    if args.format == "json":
        sys.stdout.write(score_json(compiled, assessment).decode())
    else:
        summary = score_assessment(assessment, compiled)
        sys.stdout.write(summary_text(summary, compiled, lang=args.lang))
    return EXIT_OK


_DIFFERENCE = "verify.difference"


def _known(registry: InstrumentRegistry, assessment: Assessment) -> Instrument | None:
    """The registry's instrument of ``assessment``, for the language to speak in."""
    ref = assessment.instrument
    try:
        return registry.get(ref.id, ref.version)
    except KwgCheckError:
        return None


def _cmd_verify(args: argparse.Namespace) -> int:
    from ._api import verify_summary
    from ._documents import parse_assessment, parse_summary

    summary = _load(args.summary, parse_summary)
    assessment = _load(args.assessment, parse_assessment)
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    registry = _registry((), args.instruments)
    differences = verify_summary(summary, assessment, instrument, registry=registry)
    lang = default_language(instrument or _known(registry, assessment))
    for difference in differences:
        stored, recomputed = (
            "(absent)" if value is None else json.dumps(value, ensure_ascii=False)
            for value in (difference.stored, difference.recomputed)
        )
        print(
            f"{args.summary}:{difference.pointer}: {_DIFFERENCE}: "
            f"stored {stored}, recomputed {recomputed}"
        )
    if differences:
        print(phrase("cli.differences", lang, len(differences)), file=sys.stderr)
        return EXIT_INVALID
    if summary.engine.version != __version__:
        stored = summary.engine.version
        said = phrase("cli.verified-other-engine", lang, stored=stored, current=__version__)
        print(said, file=sys.stderr)
    else:
        print(phrase("cli.verified", lang), file=sys.stderr)
    return EXIT_OK


def _cmd_instruments(args: argparse.Namespace) -> int:
    from ._registry import bundled_registry
    from ._vocabulary import localized

    registry = bundled_registry()
    for entry in registry.entries():
        instrument = registry.get(entry.id, entry.version)
        language(args.lang, instrument)  # a language the instrument is not written in: refused
        title = localized(entry.title, text_language(args.lang, instrument))
        print(f"{entry.id}\t{entry.version}\t{title}")
    return EXIT_OK


def _cmd_examples(args: argparse.Namespace) -> int:
    from ._registry import bundled_registry, examples
    from ._vocabulary import localized

    registry = bundled_registry()
    for example in examples():
        lang = language(args.lang, registry.get(example.instrument))
        print(f"{example.name}\t{localized(example.description, lang)}")
    return EXIT_OK


def _cmd_example(args: argparse.Namespace) -> int:
    from ._registry import example_data

    sys.stdout.write(dump_json(example_data(args.name)))
    return EXIT_OK


def _named_instrument(
    target: str, registry: InstrumentRegistry | None = None
) -> tuple[Instrument, InstrumentVariant | None]:
    """An instrument file (``-``: standard input), or a registry's instrument named
    ``id[@version]``; a local
    variant (file or bundled) is resolved against its base and comes with its document."""
    from ._lifecycle import parse_instrument_or_variant
    from ._model import InstrumentVariant
    from ._registry import bundled_registry

    known = registry or bundled_registry()
    if target == "-" or Path(target).exists():
        document = _load(target, parse_instrument_or_variant)
        if isinstance(document, InstrumentVariant):
            try:
                return known.resolve(document), document
            except KwgCheckError as error:
                raise _InvalidFile(target, error.problems) from None
        return document, None
    instrument_id, _, version = target.partition("@")
    instrument = known.get(instrument_id, version or None)
    return instrument, known.variant(instrument.id, instrument.version)


def _cmd_describe(args: argparse.Namespace) -> int:
    from ._views._describe import describe_instrument

    instrument, variant = _named_instrument(args.instrument)
    sys.stdout.write(describe_instrument(instrument, lang=args.lang, variant=variant))
    return EXIT_OK


def _cmd_migrate(args: argparse.Namespace) -> int:
    from ._api import migrate_assessment
    from ._documents import dump_document, parse_assessment

    assessment = _load(args.assessment, parse_assessment)
    registry = _registry((), args.instruments)
    source = _instrument_from_file(args.instrument) if args.instrument else None
    target, _ = _named_instrument(args.to, registry)
    migrated, losses = migrate_assessment(assessment, target, registry=registry, source=source)
    _write(dump_json(dump_document(migrated)), args.output)
    _print_problems(args.assessment, losses, sys.stderr)
    if losses:
        lang = default_language(target)
        print(phrase("cli.not-carried-over", lang, len(losses)), file=sys.stderr)
    return EXIT_OK


def _write(text: str, output: str | None) -> None:
    """Write to the -o file (UTF-8), or to standard output."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    with _output_file(output) as stream:
        stream.write(text.encode("utf-8"))


def _partial(target: Path) -> Path:
    return target.with_name(target.name + ".partial")


@contextlib.contextmanager
def _output_file(
    output: str, resume: tuple[Path, ResumePoint] | None = None, keep_partial: bool = False
) -> Iterator[BinaryIO]:
    """The one way an ``-o`` file is written: into ``FILE.partial`` beside it, synced and
    renamed over ``FILE`` only when the block completes, so a full disk or a killed run never
    replaces a complete earlier output with a truncated one. On an error the partial file is
    removed, unless ``keep_partial`` and it holds something (``score-batch --resume``).
    A symlink is followed (the file it names is replaced); a device or FIFO is written to
    directly, as nothing can be renamed over it. ``resume`` starts the partial file with the
    complete records of an earlier output: ``(file they are in, how far)``."""
    target = Path(os.path.realpath(output))
    if target.is_dir():
        raise _UsageError("cli.is-directory", path=output)
    direct = target.exists() and not target.is_file()
    if direct and resume is not None:
        raise _UsageError("cli.resume-regular-file", path=output)
    path = target if direct else _partial(target)
    try:
        stream = _start_output(path, direct, resume)
    except OSError as error:
        raise _UsageError("cli.cannot-write", path=output, reason=error.strerror) from None
    try:
        with stream:
            yield stream
            stream.flush()
            if not direct:
                os.fsync(stream.fileno())
        if not direct:
            if target.exists():
                shutil.copymode(target, path)
            os.replace(path, target)
    except BaseException as error:
        if not direct and not (keep_partial and path.exists() and path.stat().st_size):
            path.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _UsageError("cli.cannot-write", path=output, reason=error.strerror) from None
        raise


def _start_output(path: Path, direct: bool, resume: tuple[Path, ResumePoint] | None) -> BinaryIO:
    if resume is None:
        return open(path, "wb")
    source, point = resume
    if source == path:  # continue the partial file itself: drop its cut last line
        stream: BinaryIO = open(path, "r+b")  # noqa: SIM115 (the caller's with closes it)
        stream.truncate(point.size)
        stream.seek(point.size)
        return stream
    stream = open(path, "wb")  # noqa: SIM115 (the caller's with closes it)
    with open(source, "rb") as earlier:
        while (left := point.size - stream.tell()) and (block := earlier.read(min(left, 1 << 20))):
            stream.write(block)
    return stream


def _refuse_output_over_input(args: argparse.Namespace) -> None:
    """An ``-o`` that is one of the inputs (same file, symlink or hard link, or standard input
    redirected from it) would replace what is being read: refused before anything is written."""
    output = getattr(args, "output", None)
    if output is None or output == "-":
        return
    try:
        target = os.stat(output)
    except (OSError, ValueError):
        return  # does not exist yet (or cannot be written: reported when writing)
    if not stat.S_ISREG(target.st_mode):
        return
    for name in _input_names(args):
        try:
            source = os.fstat(sys.stdin.fileno()) if name == "-" else os.stat(name)
        except (OSError, ValueError):
            continue
        if (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino):
            raise _UsageError("cli.output-is-input", path=output, name=name)


_INPUT_ARGUMENTS: tuple[str, ...] = ("input", "files", "summaries", "assessment", "summary")
_INPUT_ARGUMENTS += ("response", "instrument", "previous", "old", "new")
_INPUT_ARGUMENTS += ("assessments", "first", "second")


def _input_names(args: argparse.Namespace) -> Iterator[str]:
    for argument in _INPUT_ARGUMENTS:
        value = getattr(args, argument, None)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (name for name in value if isinstance(name, str))


def _open_input(path: str, stack: contextlib.ExitStack) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    _check_readable(path)
    try:
        return stack.enter_context(open(path, "rb"))
    except OSError as error:
        raise _UsageError("cli.cannot-read", path=path, reason=error.strerror) from None


def _resume(args: argparse.Namespace, source: BinaryIO) -> tuple[Path, ResumePoint] | None:
    """Where an interrupted run left off: its partial file, or else the output itself."""
    from ._batch import resume_point, skip_done

    if args.output is None or args.output == "-":
        raise _UsageError("cli.resume-needs-output")
    target = Path(os.path.realpath(args.output))
    earlier = next((p for p in (_partial(target), target) if p.is_file()), None)
    if earlier is None:
        return None
    try:
        with open(earlier, "rb") as stream:
            point = resume_point(stream, args.first_line)
        skip_done(source, point, registry=_batch_registry(args))
    except ValueError as error:
        raise _UsageError("cli.cannot-resume", path=earlier, reason=error) from None
    except OSError as error:
        raise _UsageError("cli.cannot-resume-os", path=earlier, reason=error.strerror) from None
    return earlier, point


def _batch_registry(args: argparse.Namespace) -> InstrumentRegistry | None:
    """The user's instruments for ``score-batch``; ``None`` lets workers build the bundled
    registry themselves."""
    given = args.instrument or args.instruments
    return _registry(args.instrument, args.instruments) if given else None


def _cmd_score_batch(args: argparse.Namespace) -> int:
    from concurrent.futures.process import BrokenProcessPool

    import attrs

    from ._batch import BatchCount, available_cores, write_batch

    registry = _batch_registry(args)
    count = BatchCount()
    with contextlib.ExitStack() as stack:
        source = _open_input(args.input, stack)
        resume = _resume(args, source) if args.resume else None
        if resume is not None:
            count = attrs.evolve(resume[1].count)
        if args.output is None or args.output == "-":
            sink = sys.stdout.buffer
        else:
            sink = stack.enter_context(_output_file(args.output, resume, keep_partial=True))
        first_line = args.first_line + count.lines
        try:
            write_batch(
                source,
                sink,
                count,
                registry=registry,
                jobs=available_cores() if args.jobs is None else args.jobs,
                progress=sys.stderr.isatty(),
                first_line=first_line,
            )
        except BrokenPipeError:
            raise
        except (OSError, BrokenProcessPool) as error:
            if isinstance(error, OSError):
                said = _stopped("cli.io-error", count, args, error.strerror)
            else:
                said = _stopped("cli.worker-died", count, args)
            raise _Stopped(said, EXIT_INCOMPLETE) from None
        except KeyboardInterrupt:
            said = _stopped("cli.interrupted", count, args)
            raise _Stopped(said, EXIT_INTERRUPTED) from None
    lang = default_language(None)  # lines of any instrument
    done = phrase("cli.batch-count", lang, count.lines, scored=count.scored, invalid=count.invalid)
    print(done, file=sys.stderr)
    return EXIT_INVALID if count.invalid else EXIT_OK


def _stopped(
    otherwise: str, count: BatchCount, args: argparse.Namespace, reason: str | None = None
) -> _Said:
    """Why and where a batch stopped: the system's ``reason`` or else the phrase
    ``otherwise``, and where the complete lines are."""
    lines, output = count.lines, args.output

    def said(lang: Lang) -> str:
        why = reason or phrase(otherwise, lang)
        message = phrase("cli.batch-stopped", lang, lines, reason=why)
        if lines and output not in (None, "-"):
            message += phrase("cli.batch-partial", lang, partial=f"{output}.partial")
        return message

    return said


def _months(text: str) -> int:
    if not text.isdigit() or int(text) > 300:
        raise argparse.ArgumentTypeError("must be a whole number of months from 0 to 300")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _cmd_stats(args: argparse.Namespace) -> int:
    from ._views._stats import read_statistic, render_statistic

    for path in args.summaries:
        if path != "-" and not Path(path).exists():
            raise _UsageError("cli.no-such-path", path=path)
    statistic = read_statistic(
        args.summaries, lambda name, problems: _print_problems(name, problems, sys.stderr)
    )
    _write(render_statistic(statistic, lang=args.lang, format=args.format), args.output)
    return EXIT_INVALID if statistic.skipped else EXIT_OK


def _write_json(value: JsonValue, output: str | None) -> int:
    _write(dump_json(value), output)
    return EXIT_OK


def _cmd_fhir_without_subcommand(args: argparse.Namespace) -> int:
    raise _UsageError("cli.fhir-subcommand")


def _cmd_fhir_questionnaire(args: argparse.Namespace) -> int:
    """The Questionnaire; the items whose rule FHIRPath cannot carry are listed on stderr
    (kwg_check still computes them from an imported response)."""
    from ._api import instrument_to_questionnaire
    from ._views._fhir import not_expressed
    from ._vocabulary import word

    instrument, _ = _named_instrument(args.instrument)
    questionnaire = instrument_to_questionnaire(instrument, lang=args.lang)
    lang = language(args.lang, instrument)
    for link_id in not_expressed(questionnaire):
        print(f"kwg-check: {word('fhir.not-expressed', lang, link_id=link_id)}", file=sys.stderr)
    return _write_json(questionnaire, args.output)


def _cmd_fhir_response(args: argparse.Namespace) -> int:
    from ._api import assessment_to_questionnaire_response
    from ._documents import parse_assessment

    assessment = _load(args.assessment, parse_assessment)
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    registry = _registry((), args.instruments)
    response = assessment_to_questionnaire_response(assessment, instrument, registry=registry)
    return _write_json(response, args.output)


def _cmd_fhir_import(args: argparse.Namespace) -> int:
    from ._api import questionnaire_response_to_assessment
    from ._documents import dump_document

    resource = _read(args.response)
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    registry = _registry((), args.instruments)
    assessment = questionnaire_response_to_assessment(
        resource,
        instrument,
        registry=registry,
        case_id=args.case_id,
        assessment_id=args.assessment_id,
        assessors=[_assessor(one) for one in args.assessor],
        age_months=args.age_months,
    )
    return _write_json(dump_document(assessment), args.output)


def _assessor(text: str) -> tuple[str, str | None]:
    """``ID`` or ``ID:ROLE``: a role is the part after the last ``:`` (ids may hold ``:``,
    roles may not); ``ID:`` gives an id with ``:`` and no role."""
    ident, colon, role = text.rpartition(":")
    return (ident, role or None) if colon else (text, None)


def _cmd_fhir_instrument(args: argparse.Namespace) -> int:
    """The instrument document; what was not converted is listed on stderr (exit 0)."""
    from ._api import questionnaire_to_instrument
    from ._documents import dump_document

    converted = questionnaire_to_instrument(_read(args.questionnaire), language=args.lang)
    _print_problems(args.questionnaire, converted.warnings, sys.stderr)
    return _write_json(dump_document(converted.instrument), args.output)


def _assessment_or_summary(data: JsonValue) -> Assessment | Summary:
    from ._documents import parse_document
    from ._model import Assessment, Summary

    document = parse_document(data)
    if not isinstance(document, Assessment | Summary):
        raise DocumentError.single(
            "/document_type", "compare.document-type", "expected an assessment or a summary"
        )
    return document


def _cmd_report(args: argparse.Namespace) -> int:
    from ._api import render_report
    from ._documents import parse_assessment

    assessment = _load(args.assessment, parse_assessment)
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    previous = _load(args.previous, _assessment_or_summary) if args.previous else None
    resolved = [_load(name, parse_assessment) for name in args.resolved]
    registry = _registry((), args.instruments)
    text = render_report(
        assessment,
        instrument,
        registry=registry,
        lang=args.lang,
        format=args.format,
        previous=previous,
        trace=args.trace,
        resolved=resolved,
    )
    _write(text, args.output)
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from ._api import compare
    from ._views._report import render_comparison

    registry = _registry(args.instrument, args.instruments)
    old, new = (_load(name, _assessment_or_summary) for name in (args.old, args.new))
    try:
        comparison = compare(old, new, registry=registry)
    except KwgCheckError as error:
        raise _InvalidFile(args.new, error.problems) from None
    _write(render_comparison(comparison, lang=args.lang, format=args.format), args.output)
    return EXIT_OK


def _cmd_instrument_diff(args: argparse.Namespace) -> int:
    # Exit 1 means "score-affecting differences" to CI, so an instrument that cannot be read
    # must not end the same way: its problems are printed and the exit is 2.
    from ._api import diff_instruments, render_instrument_diff

    try:
        old, new = _named_instrument(args.old)[0], _named_instrument(args.new)[0]
    except _InvalidFile as error:
        _print_problems(error.name, error.problems, sys.stderr)
        return EXIT_USAGE
    except KwgCheckError as error:
        _print_problems("kwg-check", error.problems, sys.stderr, file=False)
        return EXIT_USAGE
    diff = diff_instruments(old, new)
    _write(render_instrument_diff(diff, lang=args.lang, format=args.format), args.output)
    failing = diff.bump_missing if args.require_bump else bool(diff.score_affecting)
    return EXIT_INVALID if failing else EXIT_OK


def _assessment_in(data: JsonValue) -> Assessment | list[Problem]:
    from ._documents import parse_assessment

    try:
        return parse_assessment(data)
    except KwgCheckError as error:
        return list(error.problems)


def _cmd_impact(args: argparse.Namespace) -> int:
    from ._api import instrument_impact, render_impact
    from ._model import Assessment
    from ._views._stats import read_documents

    old, new = _named_instrument(args.old)[0], _named_instrument(args.new)[0]
    for path in args.assessments:
        if path != "-" and not Path(path).exists():
            raise _UsageError("cli.no-such-path", path=path)
    unread = 0

    def assessments() -> Iterator[Assessment]:
        nonlocal unread
        for name, found in read_documents(args.assessments, _assessment_in):
            if isinstance(found, Assessment):
                yield found
            else:
                unread += 1
                _print_problems(name, found, sys.stderr)

    impact = instrument_impact(old, new, assessments())
    _write(render_impact(impact, lang=args.lang, format=args.format), args.output)
    return EXIT_INVALID if unread or impact.failed else EXIT_OK


def _print_placed(files: Mapping[str, str], problems: Sequence[Problem], lines: bool) -> int:
    """Print problems whose pointers lead into a list of inputs (``/1/subject``) or into
    the lines of named files (``/second/3/subject``) as ``FILE:POINTER`` or
    ``FILE:LINE:POINTER``; ``files`` maps the first pointer token to the file. Exit 1."""
    for problem in problems:
        tokens = problem.pointer.split("/")[1:]
        where, rest = "kwg-check", tokens
        if tokens and tokens[0] in files:
            where, rest = files[tokens[0]], tokens[1:]
            if lines and rest and rest[0].isdigit():
                where, rest = f"{where}:{int(rest[0]) + 1}", rest[1:]
        pointer = "".join("/" + token for token in rest)
        place = where if where == "kwg-check" else f"{where}:{pointer}"
        print(f"{place}: {problem.code}: {problem.reason}", file=sys.stderr)
    return EXIT_INVALID


def _cmd_consult(args: argparse.Namespace) -> int:
    from ._api import consult
    from ._documents import parse_assessment
    from ._views._consult import render_consultation

    if len(args.assessments) < 2:
        raise _UsageError("cli.consult-two")
    assessments = [_load(name, parse_assessment) for name in args.assessments]
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    registry = _registry((), args.instruments)
    try:
        result = consult(assessments, instrument, registry=registry)
    except KwgCheckError as error:
        files = {str(index): name for index, name in enumerate(args.assessments)}
        return _print_placed(files, error.problems, lines=False)
    _write(render_consultation(result, lang=args.lang, format=args.format), args.output)
    return EXIT_OK


def _assessment_lines(path: str) -> tuple[list[Assessment], list[tuple[str, Problem]]]:
    """The assessments of a JSON Lines file, one per line, and the problems of bad lines
    (with ``FILE:LINE`` as their place)."""
    from ._batch import bounded_lines
    from ._documents import parse_assessment

    found: list[Assessment] = []
    problems: list[tuple[str, Problem]] = []
    with contextlib.ExitStack() as stack:
        stream = _open_input(path, stack)
        for number, raw in enumerate(bounded_lines(stream, DEFAULT_LIMITS.max_bytes), start=1):
            content = raw.removesuffix(b"\n").removesuffix(b"\r")
            try:
                if not content.strip(b" \t"):
                    raise DocumentError.single("", "agreement.empty-line", "the line is empty")
                found.append(parse_assessment(load_bytes(content, format="json")))
            except KwgCheckError as error:
                problems += [(f"{path}:{number}", problem) for problem in error.problems]
    return found, problems


def _cmd_agreement(args: argparse.Namespace) -> int:
    from ._api import agreement
    from ._views._agreement import render_agreement

    (first, bad_first), (second, bad_second) = map(_assessment_lines, (args.first, args.second))
    for where, problem in bad_first + bad_second:
        print(f"{where}:{problem.pointer}: {problem.code}: {problem.reason}", file=sys.stderr)
    if bad_first or bad_second:
        return EXIT_INVALID
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    registry = _registry((), args.instruments)
    try:
        result = agreement(first, second, instrument, registry=registry)
    except KwgCheckError as error:
        files = {"first": args.first, "second": args.second}
        return _print_placed(files, error.problems, lines=True)
    _write(render_agreement(result, lang=args.lang, format=args.format), args.output)
    return EXIT_OK


_INSTRUMENT_LANGUAGE = "the instrument's language, de for the bundled instruments"


def _lang_option(sub: argparse.ArgumentParser, default: str = _INSTRUMENT_LANGUAGE) -> None:
    """``--lang``; not given, it is the instrument's own language (one rule for all)."""
    sub.add_argument(
        "--lang", choices=LANGUAGES, help=f"output language: de or en (default: {default})"
    )


def _format_option(sub: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    """``--format``; the first choice is the default."""
    sub.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format: {', '.join(choices)} (default: {choices[0]})",
    )


def _output_option(sub: argparse.ArgumentParser, metavar: str = "FILE") -> None:
    sub.add_argument("-o", "--output", metavar=metavar, help="write here (default: stdout)")


def _instrument_option(sub: argparse.ArgumentParser) -> None:
    """``--instrument FILE``: the instrument of the document (else it is looked up by the
    document's reference), and ``--instruments DIR`` to look it up in."""
    sub.add_argument("--instrument", metavar="FILE", help="instrument file (default: bundled)")
    _directories_option(sub)


def _instruments_option(sub: argparse.ArgumentParser, help_text: str) -> None:
    """``--instrument FILE``, repeatable, and ``--instruments DIR``: the files and the
    directories' files form the registry (see ``_registry``)."""
    sub.add_argument("--instrument", action="append", default=[], metavar="FILE", help=help_text)
    _directories_option(sub)


def _directories_option(sub: argparse.ArgumentParser) -> None:
    """``--instruments DIR``, repeatable; declared with ``--instrument`` by both helpers."""
    sub.add_argument(
        "--instruments",
        action="append",
        default=[],
        metavar="DIR",
        help="directory of instrument files (*.yaml, *.yml, *.json) to look instruments up "
        "in, besides the bundled ones (repeatable)",
    )


def _strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when an instrument has lint warnings (without: warnings are printed, exit 0)",
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """As argparse's, but a failed write (``--help > /dev/full``) is not swallowed."""
        if message:
            (file or sys.stderr).write(message)


class _Unbuilt:
    """Stands in for the parser of a command that is not run: building all of them took
    ~14 ms of every start (issue 17); every call on it is accepted and ignored."""

    def __getattr__(self, name: str) -> Callable[..., _Unbuilt]:
        return self._ignore

    def _ignore(self, *args: object, **kwargs: object) -> _Unbuilt:
        return self


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. ``only``: a command name, whose parser is then the only
    one built (the others are known by no name, so the top level's own usage, help and
    errors need the complete parser: when ``only`` names no command, that is built)."""
    built: list[str] = []
    parser = _Parser(
        prog="kwg-check",
        description="Validate and score child-welfare risk assessments (§ 8a SGB VIII).",
        epilog="examples:\n"
        "  kwg-check validate instruments/ assessments/\n"
        "  kwg-check example kwg8a-grey-zone-unknowns | kwg-check score -\n\n"
        "Exit codes: 0 success, 1 invalid input or difference, 2 usage error or output not\n"
        "written, 3 score-batch incomplete, 130 interrupted, 141 output pipe closed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kwg-check {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help_text: str,
        example: str,
        group: argparse._SubParsersAction[_Parser] = commands,
    ) -> argparse.ArgumentParser:
        if only is not None and group is commands:
            if name != only:
                return cast(argparse.ArgumentParser, _Unbuilt())
            built.append(name)
        sub = group.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=handler)
        return sub

    validate = command(
        "validate",
        _cmd_validate,
        "Check instrument, assessment and summary files; prints FILE:POINTER: CODE: reason.",
        "kwg-check validate instruments/ assessments/ --instruments instruments/",
    )
    validate.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files to check (- for stdin); a directory means every *.json, *.yaml, *.yml below it",
    )
    _format_option(validate, ("text", "json"))
    _instruments_option(
        validate,
        "instrument file to check assessments and summaries against (repeatable; bundled "
        "ones are known)",
    )
    _strict_option(validate)
    validate.add_argument(
        "--schema-only",
        action="store_true",
        help="check each file on its own (the published schema and the instrument rules); "
        "look no instrument up for assessments and summaries",
    )

    lint = command(
        "lint",
        _cmd_lint,
        "Check instruments for authoring mistakes the schema cannot see; prints "
        "FILE:POINTER: CODE: reason.",
        "kwg-check lint my-instrument.yaml --strict",
    )
    lint.add_argument(
        "files",
        nargs="+",
        metavar="INSTRUMENT",
        help="instrument files (- for stdin); a directory means every *.json, *.yaml, *.yml "
        "below it",
    )
    _format_option(lint, ("text", "json"))
    _strict_option(lint)

    schema = command(
        "schema",
        _cmd_schema,
        "Print a published JSON Schema.",
        "kwg-check schema assessment > assessment.schema.json",
    )
    schema.add_argument("name", choices=SCHEMA_NAMES)

    score = command(
        "score",
        _cmd_score,
        "Score an assessment and print the summary.",
        "kwg-check example kwg8a-grey-zone-unknowns | kwg-check score -",
    )
    score.add_argument("assessment", metavar="ASSESSMENT", help="assessment file (- for stdin)")
    _instrument_option(score)
    _format_option(score, ("text", "json"))
    _lang_option(score)

    verify = command(
        "verify",
        _cmd_verify,
        "Re-score an assessment and report every difference from a stored summary.",
        "kwg-check verify summary.json assessment.json",
    )
    verify.add_argument("summary", metavar="SUMMARY")
    verify.add_argument("assessment", metavar="ASSESSMENT")
    _instrument_option(verify)

    instruments = command(
        "instruments",
        _cmd_instruments,
        "List bundled instruments: id, version, title (tab-separated, no header).",
        "kwg-check instruments",
    )
    _lang_option(instruments)

    examples_command = command(
        "examples",
        _cmd_examples,
        "List bundled example assessments: name, description (tab-separated, no header).",
        "kwg-check examples",
    )
    _lang_option(examples_command)

    example = command(
        "example",
        _cmd_example,
        "Print a bundled example assessment as JSON.",
        "kwg-check example kwg8a-grey-zone-unknowns > assessment.json",
    )
    example.add_argument("name", metavar="NAME")

    describe = command(
        "describe",
        _cmd_describe,
        "Render an instrument as a readable Markdown sheet.",
        "kwg-check describe kwg_8a --lang de > kwg_8a.md",
    )
    describe.add_argument("instrument", metavar="INSTRUMENT", help="bundled id[@version] or file")
    _lang_option(describe)

    migrate = command(
        "migrate",
        _cmd_migrate,
        "Carry an assessment over to another version of its instrument, or to a local "
        "variant; answers that cannot be carried over become unknown and are listed.",
        "kwg-check migrate assessment.json --to kwg_8a@1.1.0 -o migrated.json",
    )
    migrate.add_argument("assessment", metavar="ASSESSMENT")
    migrate.add_argument(
        "--to",
        required=True,
        metavar="FILE|ID@VERSION",
        help="the target instrument: a file, or a known id[@version]",
    )
    migrate.add_argument(
        "--instrument",
        metavar="FILE",
        help="the instrument the assessment was made with (default: looked up)",
    )
    _directories_option(migrate)
    _output_option(migrate)

    batch = command(
        "score-batch",
        _cmd_score_batch,
        "Score one assessment per line (JSON Lines); one result per line, in input order.",
        "kwg-check score-batch assessments.jsonl -o summaries.jsonl --jobs 2",
    )
    batch.add_argument(
        "input", metavar="INPUT.jsonl", help="assessments, one per line (- for stdin)"
    )
    _output_option(batch, "OUTPUT.jsonl")
    batch.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes (default: the cores this process may use)",
    )
    batch.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run from the complete records of its -o output",
    )
    batch.add_argument(
        "--first-line",
        type=_positive,
        default=1,
        metavar="N",
        help="number of the first input line, for a part of a longer input (default 1)",
    )
    _instruments_option(batch, "instrument file to score with (repeatable; default: bundled)")

    report = command(
        "report",
        _cmd_report,
        "Render an assessment as a report for people: one HTML file (prints on A4) or Markdown.",
        "kwg-check example kwg8a-grey-zone-unknowns | kwg-check report - --lang de -o bericht.html",
    )
    report.add_argument("assessment", metavar="ASSESSMENT", help="assessment file (- for stdin)")
    _instrument_option(report)
    _lang_option(report)
    _format_option(report, REPORT_FORMATS)
    _output_option(report)
    report.add_argument(
        "--previous",
        metavar="OLD",
        help="previous assessment or summary of the same child: adds the comparison",
    )
    report.add_argument(
        "--resolved",
        metavar="RATING",
        action="append",
        default=[],
        help="an independent rating the consensus resolves (repeatable): adds where the "
        "consensus departed from it",
    )
    report.add_argument(
        "--trace",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="append the engine's trace, step by step (default: --no-trace; the trace is in "
        "the summary document, the fingerprints are always printed)",
    )

    diff = command(
        "diff",
        _cmd_diff,
        "Show what changed between two assessments (or summaries) of the same child.",
        "kwg-check diff old-assessment.json new-assessment.json --format md --lang de",
    )
    diff.add_argument("old", metavar="OLD", help="previous assessment or summary")
    diff.add_argument("new", metavar="NEW", help="new assessment or summary")
    _instruments_option(diff, "instrument file (repeatable, for two versions; default: bundled)")
    _format_option(diff, COMPARISON_FORMATS)
    _lang_option(diff)
    _output_option(diff)

    instrument_diff = command(
        "instrument-diff",
        _cmd_instrument_diff,
        "Show every difference between two instruments, classed score-affecting or cosmetic; "
        "exit 1 when a difference is score-affecting, 2 when an instrument cannot be read.",
        "kwg-check instrument-diff old/kwg_8a.yaml kwg_8a.yaml --require-bump",
    )
    for name, what in (("old", "previous"), ("new", "new")):
        instrument_diff.add_argument(
            name, metavar=name.upper(), help=f"{what} instrument: file or bundled id[@version]"
        )
    _format_option(instrument_diff, INSTRUMENT_DIFF_FORMATS)
    _lang_option(instrument_diff)
    _output_option(instrument_diff)
    instrument_diff.add_argument(
        "--require-bump",
        action="store_true",
        help="exit 1 only when score-affecting differences come without a higher version",
    )

    impact = command(
        "impact",
        _cmd_impact,
        "Score assessments under two instruments and cross-table the outcomes.",
        "kwg-check impact kwg_8a@1.0.0 kwg_8a-draft.yaml assessments/ --format md",
    )
    impact.add_argument("old", metavar="OLD", help="instrument the assessments were made with")
    impact.add_argument("new", metavar="NEW", help="instrument to compare with")
    impact.add_argument(
        "assessments",
        nargs="+",
        metavar="ASSESSMENT",
        help="assessment files, directories or JSON Lines (- reads JSON Lines from stdin)",
    )
    _format_option(impact, INSTRUMENT_DIFF_FORMATS)
    _lang_option(impact)
    _output_option(impact)
    consult_command = command(
        "consult",
        _cmd_consult,
        "Prepare a collegial consultation: where independent ratings of one case differ, "
        "each rater's outcome, the outcomes within reach, what to discuss first.",
        "kwg-check consult rating-fk05.json rating-fk17.json --format md --lang de",
    )
    consult_command.add_argument(
        "assessments",
        nargs="+",
        metavar="ASSESSMENT",
        help="at least two assessments of one case, date and instrument, by other assessors",
    )
    _instrument_option(consult_command)
    _format_option(consult_command, CONSULT_FORMATS)
    _lang_option(consult_command)
    _output_option(consult_command)

    agreement_command = command(
        "agreement",
        _cmd_agreement,
        "Agreement between two raters (pairs, exact agreement, Cohen's kappa) per item and "
        "for the computed outcome; line n of both files rates the same case.",
        "kwg-check agreement first-rater.jsonl second-rater.jsonl --format md --lang de",
    )
    agreement_command.add_argument(
        "first", metavar="FIRST.jsonl", help="the first rater's assessments, one per line"
    )
    agreement_command.add_argument(
        "second", metavar="SECOND.jsonl", help="the second rater's, same cases in the same order"
    )
    _instrument_option(agreement_command)
    _format_option(agreement_command, AGREEMENT_FORMATS)
    _lang_option(agreement_command)
    _output_option(agreement_command)

    stats = command(
        "stats",
        _cmd_stats,
        "Tabulate the § 99 SGB VIII statistic of summaries (files, directories or JSON Lines).",
        "kwg-check stats summaries.jsonl --format csv --lang de",
    )
    stats.add_argument("summaries", nargs="+", metavar="SUMMARIES", help="- reads JSON Lines")
    _format_option(stats, STATISTIC_FORMATS)
    _lang_option(stats, "de, the language of the § 99 statistic")
    _output_option(stats)

    fhir = command(
        "fhir",
        _cmd_fhir_without_subcommand,
        "Convert to and from HL7 FHIR R4 (Questionnaire, QuestionnaireResponse).",
        "kwg-check fhir questionnaire kwg_8a --lang en -o kwg_8a.questionnaire.json",
    )
    fhir_commands = fhir.add_subparsers(dest="fhir_command", required=True, parser_class=_Parser)
    questionnaire = command(
        "questionnaire",
        _cmd_fhir_questionnaire,
        "Export an instrument as a FHIR R4 Questionnaire (JSON).",
        "kwg-check fhir questionnaire kwg_8a --lang de -o kwg_8a.questionnaire.json",
        fhir_commands,
    )
    questionnaire.add_argument(
        "instrument", metavar="INSTRUMENT", help="bundled id[@version] or file"
    )
    _lang_option(questionnaire)
    response = command(
        "response",
        _cmd_fhir_response,
        "Export an assessment as a FHIR R4 QuestionnaireResponse (JSON).",
        "kwg-check example kwg8a-grey-zone-unknowns | kwg-check fhir response - -o response.json",
        fhir_commands,
    )
    response.add_argument("assessment", metavar="ASSESSMENT", help="assessment file (- for stdin)")
    fhir_import = command(
        "import",
        _cmd_fhir_import,
        "Import a FHIR R4 QuestionnaireResponse back into an assessment (JSON).",
        "kwg-check fhir import response.json -o assessment.json",
        fhir_commands,
    )
    fhir_import.add_argument("response", metavar="RESPONSE", help="response file (- for stdin)")
    fhir_import.add_argument(
        "--case-id", metavar="ID", help="the child's pseudonymous case id, if the response lacks it"
    )
    fhir_import.add_argument(
        "--assessment-id", metavar="ID", help="the assessment's id, if the response lacks it"
    )
    fhir_import.add_argument(
        "--assessor",
        metavar="ID",
        action="append",
        default=[],
        help="an assessor as ID or ID:ROLE (repeatable; role default: unspecified), if the "
        "response lacks the assessors",
    )
    fhir_import.add_argument(
        "--age-months",
        metavar="N",
        type=_months,
        help="the child's age in completed months, if the response has no age item",
    )
    fhir_instrument = command(
        "instrument",
        _cmd_fhir_instrument,
        "Convert a FHIR R4 Questionnaire with SDC scores into an instrument document (JSON); "
        "what is not converted is listed on stderr.",
        "kwg-check fhir instrument phq.questionnaire.json --lang en -o phq.instrument.json",
        fhir_commands,
    )
    fhir_instrument.add_argument(
        "questionnaire", metavar="QUESTIONNAIRE", help="Questionnaire file (- for stdin)"
    )
    fhir_instrument.add_argument(
        "--lang",
        metavar="TAG",
        help="the instrument's language, a BCP 47 tag (default: the Questionnaire's language)",
    )
    for sub in (response, fhir_import):
        _instrument_option(sub)
    for sub in (questionnaire, response, fhir_import, fhir_instrument):
        _output_option(sub)
    if only is not None and not built:
        return _parser()
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Failures of the output itself end here: a closed pipe quietly (exit 141), any other
    failure to write with one line and exit 2, Ctrl-C with one line and exit 130."""
    try:
        code = _run(argv)
        sys.stdout.flush()  # here, not at interpreter exit, where a failure is a traceback
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_CLOSED_PIPE
    except OSError as error:
        _discard_stdout()
        print(f"kwg-check: error: {_os_reason(error, _LANG)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"kwg-check: {phrase('cli.interrupted', _LANG)}", file=sys.stderr)
        return EXIT_INTERRUPTED


_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EPIPE})


def _os_reason(error: OSError, lang: Lang) -> str:
    """One line for an operating-system error no command handled itself (the system's
    own reason, as the system words it)."""
    reason = error.strerror or type(error).__name__
    if error.filename:
        return f"{error.filename}: {reason}"
    if error.errno in _WRITE_ERRORS:
        return phrase("cli.cannot-write-stdout", lang, reason=reason)
    return reason


def _discard_stdout() -> None:
    """After a failed write, send what is left in stdout's buffer to /dev/null, so that the
    interpreter's own flush at exit does not fail again (the CPython docs' SIGPIPE recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # no file descriptor (a captured or replaced stdout): nothing flushes it at exit


@contextlib.contextmanager
def _notes() -> Iterator[None]:
    """Say once, as a ``note:`` line on stderr, that the library's words fall back to
    English for an instrument in a language it does not write; other warnings pass on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LanguageFallbackWarning)
        try:
            yield
        finally:
            fallbacks: dict[str, None] = {}
            for shown in caught:
                if isinstance(shown.message, LanguageFallbackWarning):
                    fallbacks[shown.message.language] = None
                else:
                    warnings.showwarning(
                        shown.message, shown.category, shown.filename, shown.lineno
                    )
            for tag in fallbacks:
                note = phrase("cli.language-fallback", library_language(tag), tag=tag)
                print(f"kwg-check: {note}", file=sys.stderr)


_LANG = default_language(None)
"""The language of what is said before or outside a command: no instrument is involved."""


def _lang(args: argparse.Namespace) -> Lang:
    """The language of a usage error: ``--lang`` where the command has it and it was
    given, else the default (the instrument is not known yet)."""
    given: Lang | None = getattr(args, "lang", None)
    return given or _LANG


def _parse(argv: list[str]) -> argparse.Namespace:
    """The arguments, parsed by the parser of the command named first (see ``_parser``);
    arguments it does not know are refused by the complete parser, whose usage names every
    command."""
    args, unknown = _parser(argv[0] if argv else None).parse_known_args(argv)
    return _parser().parse_args(argv) if unknown else args


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = _parse(list(sys.argv[1:] if argv is None else argv))
    except SystemExit:
        sys.stdout.flush()  # --help and --version print before they exit
        raise
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        _refuse_output_over_input(args)
        with _notes():
            return handler(args)
    except _UsageError as error:
        print(f"kwg-check: error: {error.said(_lang(args))}", file=sys.stderr)
        return EXIT_USAGE
    except _Stopped as error:
        print(f"kwg-check: error: {error.said(_lang(args))}", file=sys.stderr)
        return error.code
    except _InvalidFile as error:
        _print_problems(error.name, error.problems, sys.stderr)
        return EXIT_INVALID
    except KwgCheckError as error:
        # An instrument or example named on the command line is no file: no file name then.
        source = (
            getattr(args, "assessment", None)
            or getattr(args, "response", None)
            or getattr(args, "questionnaire", None)
        )
        _print_problems(source or "kwg-check", error.problems, sys.stderr, file=bool(source))
        return EXIT_INVALID
