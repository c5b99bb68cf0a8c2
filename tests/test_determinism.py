"""Same inputs, byte-identical summaries: across processes and across threads.

A stored summary is verified years later by scoring again, and two case systems must agree
on the same assessment. So the summary bytes may not depend on the hash seed (set and dict
iteration order), nor on other threads scoring the same compiled instrument at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import kwg_check

EXAMPLES = [example.name for example in kwg_check.examples()]

SCRIPT = """
import json, sys
import kwg_check
out = {}
for example in kwg_check.examples():
    assessment = kwg_check.parse_assessment(kwg_check.example_data(example.name))
    summary = kwg_check.score_assessment(assessment)
    out[example.name] = kwg_check.dump_json(kwg_check.dump_document(summary))
sys.stdout.write(json.dumps(out))
"""


def summary_bytes(name: str, compiled: kwg_check.CompiledInstrument | None = None) -> str:
    assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
    summary = kwg_check.score_assessment(assessment, compiled)
    return kwg_check.dump_json(kwg_check.dump_document(summary))


@pytest.mark.parametrize("seed", ["0", "1", "12345", "random"])
def test_every_example_gives_the_same_bytes_under_any_hash_seed(seed: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    produced = json.loads(result.stdout)
    assert sorted(produced) == sorted(EXAMPLES)
    for name in EXAMPLES:
        assert produced[name] == summary_bytes(name), name


def test_eight_threads_scoring_one_compiled_instrument_give_the_sequential_bytes() -> None:
    """The registry compiles each instrument once; every thread then shares that object."""
    registry = kwg_check.InstrumentRegistry()
    jobs = []
    for name in EXAMPLES:
        assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
        compiled = registry.for_assessment(assessment)
        jobs.append((name, compiled))
    expected = {name: summary_bytes(name, compiled) for name, compiled in jobs}
    rounds = jobs * 6
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: (job[0], summary_bytes(*job)), rounds))
    assert len(results) == len(rounds)
    for name, produced in results:
        assert produced == expected[name], name


def test_eight_threads_compiling_through_one_registry_share_one_instrument() -> None:
    """First use from many threads at once still compiles once (the cache is locked)."""
    registry = kwg_check.InstrumentRegistry()
    with ThreadPoolExecutor(max_workers=8) as pool:
        compiled = list(pool.map(lambda _: registry.compiled("kwg_8a"), range(16)))
    assert all(item is compiled[0] for item in compiled)
