"""Write the Markdown instrument sheets in docs/instruments/ for every bundled instrument.

Each instrument file src/kwg_check/data/instruments/<file>.yaml gets two sheets,
docs/instruments/<id>.en.md and docs/instruments/<id>.de.md. Sheets are generated, never
edited by hand; ``--check`` exits 1 when any sheet is missing, stale or left over from an
instrument that no longer exists, so CI can catch an instrument change without its sheets.

    python tools/generate_sheets.py          # (re)write the sheets
    python tools/generate_sheets.py --check  # only report, exit 1 when out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kwg_check import InstrumentRegistry, Lang, describe_instrument

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = Path("src/kwg_check/data/instruments")
SHEETS = Path("docs/instruments")
LANGUAGES: tuple[Lang, ...] = ("en", "de")


def expected_sheets(root: Path = ROOT) -> dict[Path, str]:
    """Sheet path (relative to ``root``) → the text it must have, for every bundled instrument:
    its highest version (earlier versions stay bundled, frozen, without a sheet of their own);
    a local variant resolved against its base, with the changes it declares."""
    sheets: dict[Path, str] = {}
    registry = InstrumentRegistry([root / INSTRUMENTS], bundled=False)
    for ident in sorted({entry.id for entry in registry.entries()}):
        instrument = registry.get(ident)
        variant = registry.variant(instrument.id, instrument.version)
        for lang in LANGUAGES:
            sheet = describe_instrument(instrument, lang=lang, variant=variant)
            sheets[SHEETS / f"{instrument.id}.{lang}.md"] = sheet
    return sheets


def stale_sheets(root: Path = ROOT) -> list[Path]:
    """Sheets that are missing, differ from what would be written, or belong to no instrument."""
    expected = expected_sheets(root)
    stale = [
        path
        for path, text in expected.items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]
    present = {
        path.relative_to(root)
        for lang in LANGUAGES
        for path in (root / SHEETS).glob(f"*.{lang}.md")
    }
    stale.extend(sorted(present - set(expected)))
    return stale


def write_sheets(root: Path = ROOT) -> list[Path]:
    """Write every sheet that changed, remove left-over sheets, return what was touched."""
    expected = expected_sheets(root)
    touched = stale_sheets(root)
    (root / SHEETS).mkdir(parents=True, exist_ok=True)
    for path in touched:
        if path in expected:
            (root / path).write_text(expected[path], encoding="utf-8", newline="\n")
        else:
            (root / path).unlink()
    return touched


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="only report; exit 1 when a sheet is out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_sheets()
        for path in stale:
            print(f"out of date: {path.as_posix()}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_sheets():
        print(f"wrote {path.as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
