"""(Re)write the published JSON Schema files from the pydantic models.

The schemas are generated, never edited by hand. Two identical copies are written: the
published one in ``schemas/`` (what case systems validate against) and the one shipped inside
the package in ``src/kwg_check/schemas/`` (what the library validates against offline).

Usage, from the repository root::

    python tools/generate_schemas.py          # write all files that differ
    python tools/generate_schemas.py --check  # write nothing; exit 1 listing drifted files

Run it after every model change and commit the result; ``tests/test_schemas.py`` fails while
the committed files differ from what the models generate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kwg_check._model import describe_fields

describe_fields()  # before the models are built: the schemas carry the fields' descriptions

from kwg_check._schema import SCHEMA_NAMES, render_schema  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (ROOT / "schemas", ROOT / "src" / "kwg_check" / "schemas")


def expected_files() -> dict[Path, str]:
    """Every schema file that must exist, with its exact text."""
    return {
        folder / f"{name}.schema.json": render_schema(name)
        for folder in TARGETS
        for name in SCHEMA_NAMES
    }


def drifted(files: dict[Path, str]) -> list[Path]:
    """Files that are missing or whose bytes differ from the generated text."""
    return [
        path
        for path, text in files.items()
        if not path.is_file() or path.read_bytes() != text.encode("utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report drifted files; exit 1 if any"
    )
    args = parser.parse_args(argv)
    files = expected_files()
    stale = drifted(files)
    if args.check:
        for path in stale:
            print(f"drifted: {path.relative_to(ROOT)}", file=sys.stderr)
        if stale:
            print("run: python tools/generate_schemas.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[path].encode("utf-8"))
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
