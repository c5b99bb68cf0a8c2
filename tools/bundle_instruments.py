"""(Re)write the JSON twins of the bundled instruments (``src/kwg_check/data/parsed/``).

The bundled instruments are YAML files written for people; the registry reads each from its
JSON twin when the twin was made from the file's current bytes (``bundled_value`` in
``kwg_check._registry``), because JSON is read in C and YAML in pure Python. The twins are
generated, never edited by hand. An instrument is written to its twin only after the
validating parse and the compile step accepted it: the registry builds the instruments of
current twins without validating them again (``trusted_instrument`` in
``kwg_check._documents``), so a twin vouches for its instrument.

Usage, from the repository root::

    python tools/bundle_instruments.py          # write all twins that differ
    python tools/bundle_instruments.py --check  # write nothing; exit 1 listing stale twins

Run it after every change of a bundled instrument and commit the result;
``tests/test_startup.py`` fails while a twin is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _generated import run

from kwg_check._engine import compile_instrument
from kwg_check._io import JsonValue, load_path
from kwg_check._lifecycle import parse_instrument_or_variant
from kwg_check._model import Instrument
from kwg_check._registry import INSTRUMENT_SUFFIXES, parsed_twin, twin_text

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = ROOT / "src" / "kwg_check" / "data" / "instruments"


def expected_files() -> dict[Path, str]:
    """Every twin that must exist, with its exact text."""
    return {
        parsed_twin(path): twin_text(path.read_bytes(), _valid(load_path(path)))
        for path in sorted(INSTRUMENTS.iterdir())
        if path.suffix in INSTRUMENT_SUFFIXES
    }


def _valid(value: JsonValue) -> JsonValue:
    """The value of a bundled file once it parses and, for an instrument, compiles (raises
    ``DocumentError`` otherwise: no twin vouches for an invalid instrument)."""
    document = parse_instrument_or_variant(value)
    if isinstance(document, Instrument):
        compile_instrument(document)
    return value


def left_over(files: dict[Path, str]) -> list[Path]:
    """Twins of no bundled file."""
    folder = INSTRUMENTS.parent / "parsed"
    return [p for p in sorted(folder.glob("*.json")) if p not in files] if folder.is_dir() else []


def main(argv: list[str] | None = None) -> int:
    return run(__doc__.splitlines()[0], expected_files, ROOT, argv, extra=left_over)


if __name__ == "__main__":
    sys.exit(main())
