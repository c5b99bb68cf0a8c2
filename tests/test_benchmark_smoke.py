"""The benchmark script keeps working: a smoke run with tiny sizes.

Only that it runs to the end and prints every section is checked; timings depend on the
machine and are never asserted in tests.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUICKER = ("--quick", "--documents", "20", "--batch-lines", "50")
"""Smaller still than --quick: the smoke run checks that every part runs, not its speed."""
SECTIONS = (
    "machine: ",
    "== Start-up (part 8) ==",
    "kwg-check validate FILE / python -c pass: ",
    "kwg-check --help / python -c pass: ",
    "valid kwg_8a assessments",
    "== Per document (parts 1-3) ==",
    "1  json.loads + jsonschema-rs (floor)",
    "2a json.loads + jsonschema, cached validator",
    "2b json.loads + jsonschema.validate (naive)",
    "3  kwg_check end to end (summary JSON)",
    "3b kwg_check via the Summary model",
    "== Ratios (medians per document) ==",
    "cached jsonschema / kwg_check end to end: ",
    "kwg_check end to end / floor: ",
    "issue 17: cached jsonschema / kwg_check end to end: ",
    "issue 17: kwg_check end to end / floor: ",
    "== Summary size (issue 17) ==",
    "largest summary / assessment (compact JSON): ",
    "bytes/line)",
    "== score-batch (part 4) ==",
    "score-batch",
    "issue 17: cached jsonschema per document / score-batch CPU per line",
    "== Instrument size (part 5) ==",
    "8x ",
    "== Hostile instruments (part 6) ==",
    "flag chain",
    "index chain",
    "applies_when chain",
    "done in ",
)


def test_quick_benchmark_runs_and_prints_every_section(tmp_path: Path) -> None:
    """``bench.py --quick`` exits 0 and prints each part, so the full run cannot rot unseen."""
    if importlib.util.find_spec("jsonschema_rs") is None:
        if os.environ.get("CI"):
            pytest.fail("jsonschema-rs is missing in CI: install the 'test' extra")
        pytest.skip("jsonschema-rs is not installed")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), *QUICKER],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    missing = [section for section in SECTIONS if section not in result.stdout]
    assert not missing, result.stdout
