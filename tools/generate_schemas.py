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

import sys
from pathlib import Path

from _generated import run

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


def main(argv: list[str] | None = None) -> int:
    return run(__doc__.splitlines()[0], expected_files, ROOT, argv)


if __name__ == "__main__":
    sys.exit(main())
