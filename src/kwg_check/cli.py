"""``kwg-check``: a thin shell over the public API.

Exit codes: 0 success, 1 invalid input (or a verification difference), 2 usage error.
Problems are printed as ``FILE:POINTER: CODE: reason`` and never quote document contents.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from ._api import load_json, resolve_instrument, validate_document, verify_summary
from ._describe import describe_instrument
from ._documents import (
    document_type,
    parse_assessment,
    parse_instrument,
    parse_summary,
)
from ._engine import score, score_document
from ._errors import KwgCheckError, Problem
from ._io import DEFAULT_LIMITS, JsonValue, dump_json, load_bytes
from ._model import Instrument
from ._registry import InstrumentRegistry, bundled_registry, example_data, examples
from ._schema import SCHEMA_NAMES, schema_text
from ._text import summary_text
from ._version import __version__

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    """A problem with the command line itself (exit 2)."""


def _read(path: str) -> JsonValue:
    """Load a file, or standard input for ``-``."""
    if path == "-":
        return load_bytes(sys.stdin.buffer.read(DEFAULT_LIMITS.max_bytes + 1))
    if not Path(path).is_file():
        raise _UsageError(f"{path}: no such file")
    return load_json(path)


def _registry(instrument_files: Sequence[str]) -> InstrumentRegistry:
    if not instrument_files:
        return bundled_registry()
    registry = InstrumentRegistry()
    for path in instrument_files:
        registry.add(_instrument_from_file(path), path)
    return registry


def _instrument_from_file(path: str) -> Instrument:
    return parse_instrument(_read(path))


def _print_problems(name: str, problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(f"{name}:{problem.pointer}: {problem.code}: {problem.reason}", file=stream)


def _cmd_validate(args: argparse.Namespace) -> int:
    registry = _registry(args.instrument)
    report = []
    invalid = 0
    for name in args.files:
        try:
            data = _read(name)
            kind: str | None = document_type(data)
            problems = validate_document(data, registry=registry)
        except KwgCheckError as error:
            kind, problems = None, list(error.problems)
        invalid += bool(problems)
        if args.format == "json":
            report.append(
                {
                    "file": name,
                    "document_type": kind,
                    "valid": not problems,
                    "problems": [problem.as_dict() for problem in problems],
                }
            )
        else:
            _print_problems(name, problems, sys.stdout)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(f"{len(args.files)} file(s) checked, {invalid} invalid", file=sys.stderr)
    return EXIT_INVALID if invalid else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text(args.name))
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    assessment = parse_assessment(_read(args.assessment))
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    compiled = resolve_instrument(assessment, instrument)
    if args.format == "json":
        sys.stdout.write(dump_json(score_document(compiled, assessment)))
    else:
        sys.stdout.write(summary_text(score(compiled, assessment), compiled.instrument, args.lang))
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    summary = parse_summary(_read(args.summary))
    assessment = parse_assessment(_read(args.assessment))
    instrument = _instrument_from_file(args.instrument) if args.instrument else None
    differences = verify_summary(summary, assessment, instrument)
    for difference in differences:
        print(
            f"{args.summary}:{difference.pointer}: verify.difference: stored "
            f"{json.dumps(difference.stored)}, recomputed {json.dumps(difference.recomputed)}"
        )
    if differences:
        print(f"{len(differences)} difference(s)", file=sys.stderr)
        return EXIT_INVALID
    if summary.engine.version != __version__:
        print(
            f"verified (stored by engine {summary.engine.version}, re-scored by {__version__})",
            file=sys.stderr,
        )
    else:
        print("verified", file=sys.stderr)
    return EXIT_OK


def _cmd_instruments(args: argparse.Namespace) -> int:
    for entry in bundled_registry().entries():
        title = entry.title.de if args.lang == "de" else entry.title.en
        print(f"{entry.id}\t{entry.version}\t{title}")
    return EXIT_OK


def _cmd_examples(args: argparse.Namespace) -> int:
    for example in examples():
        print(f"{example.name}\t{example.description}")
    return EXIT_OK


def _cmd_example(args: argparse.Namespace) -> int:
    sys.stdout.write(dump_json(example_data(args.name)))
    return EXIT_OK


def _cmd_describe(args: argparse.Namespace) -> int:
    target: str = args.instrument
    if Path(target).is_file():
        instrument = _instrument_from_file(target)
    else:
        instrument_id, _, version = target.partition("@")
        instrument = bundled_registry().get(instrument_id, version or None)
    sys.stdout.write(describe_instrument(instrument, args.lang))
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kwg-check",
        description="Validate and score child-welfare risk assessments (§ 8a SGB VIII).",
        epilog="Exit codes: 0 success, 1 invalid input or difference, 2 usage error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kwg-check {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str, example: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
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
        "kwg-check validate instruments/*.yaml assessments/*.json",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="files to check (- for stdin)")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--instrument",
        action="append",
        default=[],
        metavar="FILE",
        help="instrument file to check assessments against (repeatable; bundled ones are known)",
    )

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
    score.add_argument("--instrument", metavar="FILE", help="instrument file (default: bundled)")
    score.add_argument("--format", choices=("text", "json"), default="text")
    score.add_argument("--lang", choices=("de", "en"), default="en")

    verify = command(
        "verify",
        _cmd_verify,
        "Re-score an assessment and report every difference from a stored summary.",
        "kwg-check verify summary.json assessment.json",
    )
    verify.add_argument("summary", metavar="SUMMARY")
    verify.add_argument("assessment", metavar="ASSESSMENT")
    verify.add_argument("--instrument", metavar="FILE", help="instrument file (default: bundled)")

    instruments = command(
        "instruments",
        _cmd_instruments,
        "List bundled instruments: id, version, title (tab-separated, no header).",
        "kwg-check instruments",
    )
    instruments.add_argument("--lang", choices=("de", "en"), default="en")

    command(
        "examples",
        _cmd_examples,
        "List bundled example assessments: name, description (tab-separated, no header).",
        "kwg-check examples",
    )

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
    describe.add_argument("--lang", choices=("de", "en"), default="en")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except _UsageError as error:
        print(f"kwg-check: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KwgCheckError as error:
        source = getattr(args, "assessment", None) or getattr(args, "name", None) or "-"
        _print_problems(str(source), error.problems, sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
