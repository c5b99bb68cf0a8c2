"""(Re)write the JSON twins of the bundled instruments (``src/kwg_check/data/parsed/``).

The bundled instruments are YAML files written for people; the registry reads each from its
JSON twin when the twin was made from the file's current bytes (``bundled_value`` in
``kwg_check._registry``), because JSON is read in C and YAML in pure Python. The twins are
generated, never edited by hand.

Usage, from the repository root::

    python tools/bundle_instruments.py          # write all twins that differ
    python tools/bundle_instruments.py --check  # write nothing; exit 1 listing stale twins

Run it after every change of a bundled instrument and commit the result;
``tests/test_startup.py`` fails while a twin is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kwg_check._io import load_path
from kwg_check._registry import INSTRUMENT_SUFFIXES, parsed_twin, twin_text

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = ROOT / "src" / "kwg_check" / "data" / "instruments"


def expected_files() -> dict[Path, str]:
    """Every twin that must exist, with its exact text."""
    return {
        parsed_twin(path): twin_text(path.read_bytes(), load_path(path))
        for path in sorted(INSTRUMENTS.iterdir())
        if path.suffix in INSTRUMENT_SUFFIXES
    }


def stale(files: dict[Path, str]) -> list[Path]:
    """Twins that are missing or whose bytes differ, and twins of no bundled file."""
    folder = INSTRUMENTS.parent / "parsed"
    extra = [p for p in sorted(folder.glob("*.json")) if p not in files] if folder.is_dir() else []
    differing = [
        path
        for path, text in files.items()
        if not path.is_file() or path.read_bytes() != text.encode("utf-8")
    ]
    return differing + extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report stale twins; exit 1 if any"
    )
    args = parser.parse_args(argv)
    files = expected_files()
    outdated = stale(files)
    if args.check:
        for path in outdated:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        if outdated:
            print("run: python tools/bundle_instruments.py", file=sys.stderr)
        return 1 if outdated else 0
    for path in outdated:
        if path not in files:
            path.unlink()
            print(f"removed {path.relative_to(ROOT)}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[path].encode("utf-8"))
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
