"""What the scripts that write generated files share: finding the files that differ from
what they generate, and either writing them or, with ``--check``, listing them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def drifted(files: dict[Path, str]) -> list[Path]:
    """Files that are missing or whose bytes differ from the generated text."""
    return [
        path
        for path, text in files.items()
        if not path.is_file() or path.read_bytes() != text.encode("utf-8")
    ]


def run(
    description: str,
    expected: Callable[[], dict[Path, str]],
    root: Path,
    argv: list[str] | None = None,
    extra: Callable[[dict[Path, str]], list[Path]] = lambda files: [],
) -> int:
    """The command line of a generator: write every file of ``expected()`` that differs and
    remove the ``extra`` files no longer generated; with ``--check`` write nothing, list
    them and exit 1 if there are any."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--check", action="store_true", help="only report drifted files; exit 1 if any"
    )
    args = parser.parse_args(argv)
    files = expected()
    stale = drifted(files) + extra(files)
    if args.check:
        for path in stale:
            print(f"drifted: {path.relative_to(root)}", file=sys.stderr)
        if stale:
            print(f"run: python tools/{Path(sys.argv[0]).name}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        if path not in files:
            path.unlink()
            print(f"removed {path.relative_to(root)}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[path].encode("utf-8"))
        print(f"wrote {path.relative_to(root)}")
    return 0
