"""Render a bundled example as an HTML report and photograph its first page for the docs.

The picture in ``docs/images/`` shows newcomers what a report looks like before they install
anything. It is taken with headless Chromium from the system's packages, at about the width
of an A4 page, from the top of the report: what the first printed page holds (header,
the outcome in its traffic-light colour, the range, what to clarify first, failed process
checks, the profile chart).

Usage, from the repository root::

    python tools/screenshot_report.py                                  # the default example
    python tools/screenshot_report.py kwg8a-acute-floor-despite-resources --lang en
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import kwg_check

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 820, 1400  # about A4 width at 96 dpi plus margins; the decision and the chart
# Headless, offline and quiet: no sandbox (CI runs as root), no network of the browser's own.
CHROMIUM_ARGUMENTS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def screenshot(name: str, lang: str, target: Path) -> None:
    """Write the report of the example to a temporary file and photograph it."""
    assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
    report = kwg_check.render_report(assessment, lang="de" if lang == "de" else "en")
    with tempfile.TemporaryDirectory(prefix="kwg-screenshot-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(report, encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_ARGUMENTS,
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default="kwg8a-grey-zone-unknowns")
    parser.add_argument("--lang", choices=("de", "en"), default="de")
    args = parser.parse_args(argv)
    name = args.name.removeprefix("kwg8a-")
    target = ROOT / "docs" / "images" / f"report-kwg8a-{name}.{args.lang}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    screenshot(args.name, args.lang, target)
    print(target.relative_to(ROOT), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
