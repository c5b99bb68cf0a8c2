"""Benchmark kwg_check against other ways of checking the same assessments.

Run from the repository root (the package must be importable, e.g. installed or with
``PYTHONPATH=src``)::

    python benchmarks/bench.py                      # default run: 5,000 and 20,000 lines
    python benchmarks/bench.py --quick              # tiny sizes: a smoke run for CI
    python benchmarks/bench.py --batch-lines 100000 # issue 17's figure (--sizes is the same)
    python benchmarks/bench.py --batch-lines 100000,1000000 --seed 7 --documents 500

It generates realistic assessments for the bundled German instrument ``kwg_8a`` from a fixed
seed (every one is asserted valid) and measures, per document and as throughput:

1. the floor: ``json.loads`` plus ``jsonschema-rs`` validation against the published schema;
2. a cached ``jsonschema`` Draft 2020-12 validator, and the naive ``jsonschema.validate`` call
   that rebuilds the validator every time (on a few documents only: it is slow);
3. kwg_check end to end: bytes → validated assessment → score with full trace → summary JSON
   bytes (``load_assessment`` → ``_engine.score_json``, which orjson writes straight from
   the engine's data: what ``kwg-check score --format json`` does), and for comparison the
   same through the ``Summary`` model (``score`` → ``dump_document`` → ``dump_json``);
4. ``kwg-check score-batch INPUT.jsonl -o OUTPUT.jsonl --jobs N`` (N = 1 and 2) on generated
   JSONL files: wall time, throughput and peak memory of the child processes;
5. instrument size (issue 18): compile and score time of generated instruments of 1×, 2×,
   4× and 8× a size (2,500 items; every second answer unknown, so clarify-first tries
   thousands of items), with the ratio to the size before: about 2 is linear growth;
6. hostile instruments (issue 18): validation time and peak traced memory of the
   16,000-flag chain, the 4,000-deep index chain and the 4,000-item applies_when chain,
   under the default limits (which refuse them) and compiled under limits raised far above
   them (which shows the checks themselves are near-linear).

7. outcome and index ranges under unknowns (issue 17): a non-monotone copy of ``kwg_8a`` with
   4 to 12 answers left out (branch and bound), and monotone ``kwg_8a`` with the context item
   ``organisation`` left out too; median scoring CPU time, the ratio to scoring the same document
   without unknowns, and the range method.
8. start-up (issue 17): ``kwg-check validate FILE`` (one bundled example) and ``kwg-check
   --help`` as whole processes, against ``python -c pass`` in the same run, in turns (A B A
   B …), as the median of the per-pair ratios of wall and of CPU time. The package's
   bytecode is compiled first, as pip compiles it when it installs the wheel: an editable
   checkout under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module from
   source on every start, which no installed copy does.

``--instruments-only`` runs parts 5 and 6 alone, ``--ranges-only`` part 7 alone,
``--startup-only`` part 8 alone.

It also prints, for every bundled example, the compact summary's size over the compact
assessment's (issue 17), and for score-batch the output size beside the throughput.

Timings are printed, never asserted; the ratios are compared with the targets of issues 7 and
17 and reported as met or not met.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import functools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - declared in the bench and test extras
    sys.exit("benchmarks/bench.py needs jsonschema-rs: pip install '.[bench]'")
import hostile_instruments as hostile
import jsonschema

import kwg_check
from kwg_check import Instrument
from kwg_check._engine import score_json
from kwg_check._io import dump_plain_json

INSTRUMENT = ("kwg_8a", "1.0.0")
TARGET_VS_JSONSCHEMA = 25.0
"""End to end must be at least this many times faster than cached jsonschema validation."""
TARGET_VS_FLOOR = 3.0
"""End to end must take at most this many times the floor."""
TARGET_MEMORY_MB = 150.0
TARGET_JOBS_SPEEDUP = 1.7
TARGET_RANGE_MS = 10.0
"""Issue 17: with 6 to 12 unknowns of a non-monotone instrument, the ranges (scoring time
beyond that of the same document without unknowns) take less than this."""
TARGET_HOSTILE_SECONDS = 2.0
TARGET_HOSTILE_MB = 200.0
"""Issue 18: validating each hostile instrument stays under these (or a limit refuses it)."""
TARGET_17_VS_JSONSCHEMA = 8.0
"""Issue 17: end to end at least this many times faster than cached jsonschema validation."""
TARGET_17_SIZE = 2.0
"""Issue 17: a compact summary at most this many times its compact assessment."""
TARGET_STARTUP = 10.0
"""Issue 17: ``kwg-check validate FILE`` takes at most this many times ``python -c pass``."""

# --------------------------------------------------------------------------------------------
# Generator: realistic, fictional kwg_8a assessments from a fixed seed
# --------------------------------------------------------------------------------------------

_OBSERVATIONS = (
    "Kind kam mehrfach ohne Frühstück in die Einrichtung.",
    "Bei zwei Hausbesuchen war die Wohnung stark vermüllt.",
    "Kind wirkte übermüdet und schlief im Unterricht ein.",
    "Mutter berichtet von anhaltenden Konflikten mit dem Partner.",
    "Kind trug bei Kälte nur leichte Kleidung.",
    "Unentschuldigte Fehltage seit mehreren Wochen.",
    "Vater sagte Termine beim Kinderarzt wiederholt ab.",
    "Kind äußerte Angst, nach Hause zu gehen.",
    "Hämatome am Oberarm, Erklärung widersprüchlich.",
    "Eltern nehmen die Sorgen der Fachkräfte ernst und stimmen Hilfen zu.",
    "Großmutter betreut das Kind regelmäßig an zwei Nachmittagen.",
    "Kind besucht gern den Sportverein und hat dort Freunde.",
)
_SOURCES = (
    "Hausbesuch",
    "Schulsozialarbeit",
    "Kita-Leitung",
    "Kinderärztlicher Bericht",
    "Klassenlehrkraft",
    "Gespräch mit den Eltern",
    "Polizeiliche Mitteilung",
)
_NOTES = (
    "Einschätzung im Team abgestimmt.",
    "Bericht der Schule steht noch aus.",
    "Beobachtung über mehrere Wochen.",
)
_RESOURCES = {
    "personal": ("Humor und Offenheit des Kindes", "Musikalisches Interesse"),
    "family": ("Großmutter mütterlicherseits", "Älterer Bruder", "Tante im Nachbarort"),
    "social_network": ("Nachbarin", "Freundin der Mutter", "Trainer im Sportverein"),
    "material": ("Gesicherte Wohnung", "Kindergeldzuschlag"),
    "infrastructural": ("Familienzentrum im Stadtteil", "Hort", "Jugendtreff", "Kita"),
}
_INITIATORS = ("school", "day_care", "police_or_court", "neighbours_or_acquaintances", "anonymous")
_REASONS = (
    "Eltern bei zwei angekündigten Hausbesuchen nicht angetroffen.",
    "Beteiligung hätte den Schutz des Kindes gefährdet.",
    "Kind ist für ein Gespräch noch zu jung.",
)


def _skewed_level(rng: random.Random, levels: list[str]) -> str:
    """Mostly low levels, sometimes high ones: the shape of real ratings."""
    weights = [2.0**-rank for rank in range(len(levels))]
    return rng.choices(levels, weights)[0]


def _evidence(rng: random.Random, on: datetime.date) -> list[dict[str, Any]]:
    entries = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        entry: dict[str, Any] = {"observation": rng.choice(_OBSERVATIONS)}
        if rng.random() < 0.8:
            entry["source"] = rng.choice(_SOURCES)
        if rng.random() < 0.7:
            entry["date"] = (on - datetime.timedelta(days=rng.randint(0, 120))).isoformat()
        entries.append(entry)
    return entries


def _answer(
    rng: random.Random, instrument: Instrument, item_index: int, on: datetime.date, known: bool
) -> dict[str, Any] | None:
    item = instrument.items[item_index]
    scale = next(s for s in instrument.scales if s.id == item.scale)
    levels = [level.id for level in scale.levels]
    unknown = scale.unknown.id if scale.unknown is not None and not known else None
    if not known and item.applies_when is not None and rng.random() < 0.5:
        return None  # age-specific items are answered only where the assessors saw them apply
    if not known and rng.random() < 0.03:
        return None  # missing
    answer: dict[str, Any]
    if item.per_caregiver:
        answer = {"caregivers": {f"BP-{n}": _skewed_level(rng, levels) for n in (1, 2)}}
        if unknown is not None and rng.random() < 0.06:
            answer["caregivers"]["BP-2"] = unknown
    elif item.response == "multiple":
        picked = rng.sample(levels[1:], rng.choice((1, 1, 2)))
        answer = {"levels": [levels[0]] if rng.random() < 0.6 else picked}
        if unknown is not None and rng.random() < 0.06:
            answer = {"levels": [unknown]}
    elif unknown is not None and rng.random() < 0.06:
        answer = {"level": unknown}
    else:
        answer = {"level": _skewed_level(rng, levels)}
    shown = answer.get("level") or max(answer.get("levels") or ["none"])
    required = item.evidence_required_from
    if (required is not None and shown != levels[0] and rng.random() < 0.85) or rng.random() < 0.1:
        answer["evidence"] = _evidence(rng, on)
    if rng.random() < 0.1:
        answer["note"] = rng.choice(_NOTES)
    return answer


def generate(
    rng: random.Random, instrument: Instrument, number: int, known: bool = False
) -> dict[str, Any]:
    """One fictional assessment: varied levels, some unknowns, evidence, resources,
    participation, and sometimes an override (made valid by ``_with_override``). ``known``:
    every item answered with a level (none unknown or missing; items that do not apply are
    answered too, and draw a warning), so scoring has no range or clarify-first work."""
    on = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 600))
    age_months = rng.randint(1, 215)
    subject: dict[str, Any] = {"case_id": f"K-{number:07d}"}
    if rng.random() < 0.85:
        birth = on - datetime.timedelta(days=int(age_months * 30.44) + rng.randint(0, 20))
        subject["birth_date"] = birth.isoformat()
    else:
        subject["age_months"] = age_months
    assessors = [
        {"id": f"FK-{rng.randint(1, 80):02d}", "role": role}
        for role in ("social_worker", rng.choice(("social_worker", "team_lead")))
    ][: rng.choice((1, 2, 2, 2))]
    if len(assessors) == 2 and assessors[0]["id"] == assessors[1]["id"]:
        assessors.pop()
    participation: dict[str, Any] = {}
    for party in ("parents", "child"):
        if rng.random() < 0.9:
            involved = rng.random() < 0.75
            record: dict[str, Any] = {"involved": involved}
            if not involved and rng.random() < 0.8:
                record["reason_if_not"] = rng.choice(_REASONS)
            participation[party] = record
    doc: dict[str, Any] = {
        "document_type": "assessment",
        "id": f"GE-{number:07d}",
        "instrument": {"id": INSTRUMENT[0], "version": INSTRUMENT[1]},
        "subject": subject,
        "assessment_date": on.isoformat(),
        "initiated_by": rng.choice(_INITIATORS),
        "assessors": assessors,
        "participation": participation,
    }
    if rng.random() < 0.4:
        doc["consultations"] = [
            {"role": "child_protection_specialist", "by": f"IseF-{rng.randint(1, 9)}"}
        ]
    if rng.random() < 0.5:
        doc["family_view"] = {"statement": rng.choice(_OBSERVATIONS)}
    answers = {}
    for index, item in enumerate(instrument.items):
        answer = _answer(rng, instrument, index, on, known)
        if answer is not None:
            answers[item.id] = answer
    doc["answers"] = answers
    doc["resources"] = [
        {
            "category": category,
            "label": rng.choice(_RESOURCES[category]),
            "available": rng.random() < 0.7,
        }
        for category in rng.sample(sorted(_RESOURCES), rng.randint(0, 4))
    ]
    if rng.random() < 0.1:
        doc["extensions"] = {"vendor.example": {"ticket": number, "tags": ["bench"]}}
    return doc


def _with_override(
    rng: random.Random, doc: dict[str, Any], compiled: kwg_check.CompiledInstrument
) -> dict[str, Any]:
    """Add a discretionary override one level from the computed outcome, within policy."""
    summary = kwg_check.score_assessment(kwg_check.parse_assessment(doc), compiled)
    outcomes = [outcome.id for outcome in compiled.instrument.outcomes]
    computed = summary.outcome.computed
    if summary.outcome.status != "computed" or computed is None:
        return doc
    rank = outcomes.index(computed)
    floor = outcomes.index(summary.outcome.floor) if summary.outcome.floor else 0
    choices = [r for r in (rank - 1, rank + 1) if floor <= r < len(outcomes)]
    if not choices:
        return doc
    doc["override"] = {
        "outcome": outcomes[rng.choice(choices)],
        "author": "FK-01",
        "justification": "Die Fachkräfte gewichten die Beobachtungen der letzten Woche anders.",
    }
    return doc


def documents(seed: int, count: int, schema_validator: Any, known: bool = False) -> list[bytes]:
    """``count`` generated documents as UTF-8 JSON bytes, each asserted valid (``known``:
    see ``generate``)."""
    rng = random.Random(seed)
    compiled = kwg_check.InstrumentRegistry().compiled(*INSTRUMENT)
    instrument = compiled.instrument
    result = []
    for number in range(count):
        doc = generate(rng, instrument, number, known)
        if rng.random() < 0.1:
            doc = _with_override(rng, doc, compiled)
        data = json.dumps(doc, ensure_ascii=False).encode()
        assert schema_validator.is_valid(json.loads(data)), f"document {number} is invalid"
        assessment = kwg_check.load_assessment(data)
        assert not kwg_check.assessment_problems(assessment, compiled), number
        kwg_check.score_assessment(assessment, compiled)  # raises if an override broke the policy
        result.append(data)
    return result


# --------------------------------------------------------------------------------------------
# Per-document measurements (parts 1-3)
# --------------------------------------------------------------------------------------------


class Figure:
    """Per-document median and throughput of one way of checking the documents."""

    def __init__(self, name: str, per_document: list[float], total: float, count: int):
        self.name = name
        self.median = statistics.median(per_document)
        self.throughput = count / total

    def row(self) -> str:
        return f"{self.name:<48} {self.median * 1e3:>10.3f} ms {self.throughput:>12,.0f} docs/s"


def measure(name: str, run: Callable[[bytes], object], docs: list[bytes], rounds: int) -> Figure:
    """Time ``run`` on every document, ``rounds`` times; per document the best round counts
    (the least disturbed by other processes), throughput from the fastest full pass."""
    best = [float("inf")] * len(docs)
    fastest = float("inf")
    clock = time.perf_counter
    for _ in range(rounds):
        start_pass = clock()
        for index, data in enumerate(docs):
            start = clock()
            run(data)
            best[index] = min(best[index], clock() - start)
        fastest = min(fastest, clock() - start_pass)
    return Figure(name, best, fastest, len(docs))


def per_document(
    docs: list[bytes], known: list[bytes], naive_count: int, rounds: int
) -> dict[str, Figure]:
    schema = json.loads(kwg_check.schema_text("assessment"))
    fast = jsonschema_rs.validator_for(schema)
    cached = jsonschema.Draft202012Validator(schema)
    compiled = kwg_check.InstrumentRegistry().compiled(*INSTRUMENT)

    def floor(data: bytes) -> None:
        fast.validate(json.loads(data))

    def with_cached(data: bytes) -> None:
        cached.validate(json.loads(data))

    def naive(data: bytes) -> None:
        jsonschema.validate(json.loads(data), schema, cls=jsonschema.Draft202012Validator)

    def end_to_end(data: bytes) -> bytes:
        return score_json(compiled, kwg_check.load_assessment(data))

    def through_model(data: bytes) -> str:
        assessment = kwg_check.load_assessment(data)
        summary = kwg_check.score_assessment(assessment, compiled)
        return kwg_check.dump_json(kwg_check.dump_document(summary))

    return {
        "floor": measure("1  json.loads + jsonschema-rs (floor)", floor, docs, rounds),
        "cached": measure("2a json.loads + jsonschema, cached validator", with_cached, docs, 1),
        "naive": measure(
            "2b json.loads + jsonschema.validate (naive)", naive, docs[:naive_count], 1
        ),
        "kwg": measure("3  kwg_check end to end (summary JSON)", end_to_end, docs, rounds),
        "model": measure("3b kwg_check via the Summary model", through_model, docs, rounds),
        # Where end to end goes: what every document pays before scoring, and scoring
        # without unknowns (so without ranges and clarify-first) on documents of the same kind.
        "load": measure("3c strict JSON load alone (load_json)", kwg_check.load_json, docs, rounds),
        "parse": measure(
            "3d JSON + validated assessment (load_assessment)",
            kwg_check.load_assessment,
            docs,
            rounds,
        ),
        "known": measure("3e end to end, every answer known", end_to_end, known, rounds),
    }


def _split(figures: dict[str, Figure]) -> list[str]:
    """Issue 17: the shares of end to end, and how far end to end would be from the targets
    with no work on unknowns at all (documents with every answer known)."""
    floor, cached, kwg = figures["floor"].median, figures["cached"].median, figures["kwg"].median
    load, parse, known = figures["load"].median, figures["parse"].median, figures["known"].median
    return [
        f"issue 17, where end to end goes: strict JSON load {load / kwg:.0%}, validating the "
        f"assessment {(parse - load) / kwg:.0%}, scoring and writing {(kwg - parse) / kwg:.0%} "
        f"(of which ranges and clarify-first about {(kwg - known) / kwg:.0%})",
        f"issue 17, with every answer known (no range or clarify-first work): "
        f"{known / floor:.2f}x the floor, cached jsonschema / it {cached / known:.2f}x; "
        f"loading and validating alone: {parse / floor:.2f}x the floor",
    ]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def summary_sizes() -> list[str]:
    """Issue 17: compact summary bytes over compact assessment bytes, every bundled example
    (sizes, not times: the same on every machine)."""
    lines = ["\n== Summary size (issue 17) =="]
    worst = 0.0
    for example in kwg_check.examples():
        data = kwg_check.example_data(example.name)
        assessment = dump_plain_json(data, readable=False)
        summary = kwg_check.score_document(kwg_check.load_assessment(assessment))
        ratio = len(dump_plain_json(summary, readable=False)) / len(assessment)
        worst = max(worst, ratio)
        lines.append(f"  {example.name:<44} {len(assessment):>7,} B -> {ratio:5.1f}x")
    lines.append(
        f"largest summary / assessment (compact JSON): {worst:.1f}x "
        f"(target <= {TARGET_17_SIZE:.0f}x): {verdict(worst <= TARGET_17_SIZE)}"
    )
    return lines


# --------------------------------------------------------------------------------------------
# score-batch (part 4)
# --------------------------------------------------------------------------------------------

_HELPER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stderr.buffer.write(code.stderr[-2000:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.exit(code.returncode)
"""
"""Runs one command in a fresh process, so RUSAGE_CHILDREN holds that command's peak and CPU
time alone (its worker processes included: they are its children, waited for)."""


def _tree_pss_kib(root: int) -> int:
    """Proportional set size (PSS) of every process below ``root`` (not ``root`` itself).

    Summing resident sizes (RSS) would count the pages that forked workers share with their
    parent once per process; PSS divides each shared page among the processes sharing it, so
    the sum is the memory the whole tree really holds.
    """
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                pending.extend(int(child) for child in children)
            if pid != root:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            continue
    return total


def write_jsonl(path: Path, pool: list[bytes], lines: int) -> None:
    """Stream ``lines`` documents to ``path``: the pool cycled, each line with its own id,
    so a million lines never sit in memory."""
    values = [json.loads(data) for data in pool]
    with path.open("w", encoding="utf-8") as handle:
        for number in range(lines):
            doc = values[number % len(values)]
            doc["id"] = f"GE-{number:07d}"
            handle.write(json.dumps(doc, ensure_ascii=False))
            handle.write("\n")


def run_batch(source: Path, target: Path, jobs: int) -> tuple[int, float, float, float, float, str]:
    """Exit code, wall seconds, CPU seconds of all processes, peak RSS of the largest process
    and peak PSS of the whole tree (MB)."""
    command = [sys.executable, "-m", "kwg_check", "score-batch", str(source)]
    command += ["-o", str(target), "--jobs", str(jobs)]
    start = time.perf_counter()
    helper = subprocess.Popen(
        [sys.executable, "-c", _HELPER, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tree_peak = 0
    while helper.poll() is None:
        tree_peak = max(tree_peak, _tree_pss_kib(helper.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    out, err = helper.communicate()
    maxrss, cpu = [*out.split(), "0", "0"][:2]
    return helper.returncode, wall, float(cpu), int(maxrss) / 1024, tree_peak / 1024, err


def batch(pool: list[bytes], sizes: list[int], cached_ms: float) -> list[str]:
    """Part 4; returns the verdict lines. ``cached_ms``: the cached python-jsonschema
    validation of one document (part 2a), which issue 17 compares each line with."""
    results: dict[tuple[int, int], tuple[float, float]] = {}
    cpu_per_line: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="kwg-bench-") as tmp:
        for size in sizes:
            source = Path(tmp) / f"in-{size}.jsonl"
            started = time.perf_counter()
            write_jsonl(source, pool, size)
            megabytes = source.stat().st_size / 1e6
            print(
                f"  generated {size:,} lines ({megabytes:,.1f} MB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
            for jobs in (1, 2):
                target = Path(tmp) / f"out-{size}-{jobs}.jsonl"
                code, wall, cpu, largest, tree, err = run_batch(source, target, jobs)
                if code == 2:
                    print("  score-batch not available (usage error):", err.strip()[-200:])
                    return ["score-batch: not available, no figures"]
                written = sum(1 for _ in target.open("rb")) if target.exists() else 0
                out_mb = target.stat().st_size / 1e6 if target.exists() else 0.0
                print(
                    f"  {size:>9,} lines --jobs {jobs}: exit {code}, {wall:8.1f} s, "
                    f"{size / wall:>9,.0f} lines/s, CPU {cpu:8.1f} s "
                    f"({cpu / size * 1e3:.2f} ms/line, {cpu / wall:.2f} cores busy), "
                    f"peak RSS {largest:6.1f} MB (largest process), "
                    f"{tree:6.1f} MB PSS (all processes, sampled), {written:,} lines written, "
                    f"output {out_mb:,.1f} MB ({out_mb / megabytes:.1f}x the input, "
                    f"{out_mb * 1e6 / max(written, 1):,.0f} bytes/line)"
                )
                results[size, jobs] = (size / wall, tree or largest)
                if jobs == 1:
                    cpu_per_line[size] = cpu / size * 1e3
                target.unlink(missing_ok=True)
            source.unlink()
    lines = []
    largest_size, smallest_size = max(sizes), min(sizes)
    memory = max(results[largest_size, jobs][1] for jobs in (1, 2))
    lines.append(
        f"batch peak memory at {largest_size:,} lines: {memory:.1f} MB "
        f"(target < {TARGET_MEMORY_MB:.0f} MB): {verdict(memory < TARGET_MEMORY_MB)}"
    )
    for jobs in (1, 2) if largest_size != smallest_size else ():
        big, small = results[largest_size, jobs][1], results[smallest_size, jobs][1]
        lines.append(
            f"--jobs {jobs} peak memory {largest_size:,} vs {smallest_size:,} lines: "
            f"{big:.1f} vs {small:.1f} MB (not higher, 5% noise allowed): "
            f"{verdict(big <= small * 1.05)}"
        )
    per_line = cpu_per_line[largest_size]
    lines.append(
        f"issue 17: cached jsonschema per document / score-batch CPU per line (--jobs 1, "
        f"{largest_size:,} lines, start-up included): {cached_ms / per_line:.2f}x "
        f"(target >= {TARGET_17_VS_JSONSCHEMA:.0f}x): "
        f"{verdict(cached_ms / per_line >= TARGET_17_VS_JSONSCHEMA)}"
    )
    speedup = results[largest_size, 2][0] / results[largest_size, 1][0]
    lines.append(
        f"--jobs 2 / --jobs 1 throughput: {speedup:.3f}x "
        f"(target >= {TARGET_JOBS_SPEEDUP}x on two cores, this machine has {os.cpu_count()}): "
        f"{verdict(speedup >= TARGET_JOBS_SPEEDUP)}"
    )
    return lines


# --------------------------------------------------------------------------------------------
# Instrument size and hostile instruments (parts 5 and 6)
# --------------------------------------------------------------------------------------------

ROOMY = kwg_check.Limits(
    max_bytes=64 * 1024 * 1024,
    max_items=10**6,
    max_indices=10**6,
    max_flags=10**6,
    max_rules=10**6,
    max_chain_depth=10**6,
)
"""Limits far above the hostile sizes: what the checks cost when no limit refuses."""


def _timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Seconds of one untraced run, peak traced memory (MB) of a second run, and the
    first run's result (or the library error it raised)."""
    start = time.perf_counter()
    try:
        result: object = action()
    except kwg_check.KwgCheckError as error:
        result = error
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        action()
    except kwg_check.KwgCheckError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return seconds, peak, result


def instrument_sizes(base: int) -> list[str]:
    """Part 5: compile and score time at 1×, 2×, 4×, 8× ``base`` items, with ratios."""
    lines = []
    previous: tuple[float, float] | None = None
    for factor in (1, 2, 4, 8):
        doc = hostile.wide(base * factor)
        instrument = kwg_check.parse_instrument(doc)
        assessment = kwg_check.parse_assessment(hostile.assessment(doc, unknown_every=2))
        start = time.perf_counter()
        compiled = kwg_check.compile_instrument(instrument, limits=ROOMY)
        compile_s = time.perf_counter() - start
        start = time.perf_counter()
        kwg_check.score_assessment(assessment, compiled)
        score_s = time.perf_counter() - start
        ratios = ""
        if previous is not None:
            ratios = (
                f"  ratio to the size before: compile {compile_s / previous[0]:.2f}x, "
                f"score {score_s / previous[1]:.2f}x"
            )
        lines.append(
            f"  {factor}x {base * factor:>7,} items, {base * factor // 2:>6,} unknown: "
            f"compile {compile_s:7.2f} s, score {score_s:7.2f} s{ratios}"
        )
        previous = compile_s, score_s
    return lines


def hostile_instruments(divisor: int) -> list[str]:
    """Part 6: the hostile shapes of issue 18 (sizes divided by ``divisor`` in quick runs)."""
    shapes = (
        ("flag chain", hostile.flag_chain(16_000 // divisor)),
        ("index chain", hostile.index_chain(4_000 // divisor)),
        ("applies_when chain", hostile.applies_chain(4_000 // divisor)),
    )
    lines = []
    for name, doc in shapes:
        data = json.dumps(doc).encode()
        value = kwg_check.load_json(data, limits=ROOMY)
        seconds, peak, result = _timed(functools.partial(kwg_check.validate_document, value))
        codes = sorted({problem.code for problem in result}) if isinstance(result, list) else []
        ok = seconds < TARGET_HOSTILE_SECONDS and peak < TARGET_HOSTILE_MB
        lines.append(
            f"  {name:<19} {len(data) / 1e3:>7,.0f} KB validate (default limits): "
            f"{seconds:6.2f} s, peak {peak:7.1f} MB, {', '.join(codes) or 'valid'} "
            f"(target < {TARGET_HOSTILE_SECONDS:.0f} s and {TARGET_HOSTILE_MB:.0f} MB): "
            f"{verdict(ok)}"
        )
        instrument = kwg_check.parse_instrument(value)
        seconds, peak, result = _timed(
            functools.partial(kwg_check.compile_instrument, instrument, limits=ROOMY)
        )
        outcome = "compiled" if isinstance(result, kwg_check.CompiledInstrument) else "refused"
        lines.append(
            f"  {'':<19} {'':>10} compile (limits raised):  {seconds:6.2f} s, "
            f"peak {peak:7.1f} MB, {outcome}"
        )
    return lines


# --------------------------------------------------------------------------------------------
# Start-up (part 8)
# --------------------------------------------------------------------------------------------


def _command() -> list[str]:
    """``kwg-check`` beside this interpreter, else ``python -m kwg_check``."""
    script = Path(sys.executable).with_name("kwg-check")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kwg_check"]


def _run_once(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, from the kernel's accounting) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _startup_ratio(command: list[str], baseline: list[str], runs: int) -> tuple[float, str]:
    """The command against the baseline, in turns after one warm-up of each: the median of
    the per-pair ratios of wall time, and the figures as printed. Pairing keeps the ratio
    meaningful on a machine whose speed drifts during the run."""
    _run_once(command), _run_once(baseline)
    pairs = [(_run_once(command), _run_once(baseline)) for _ in range(runs)]
    wall = statistics.median(a[0] / b[0] for a, b in pairs)
    cpu = statistics.median(a[1] / max(b[1], 1e-3) for a, b in pairs)
    own = statistics.median(a[0] for a, _ in pairs) * 1000
    floor = statistics.median(b[0] for _, b in pairs) * 1000
    return wall, f"{wall:.1f}x wall ({own:.0f} ms / {floor:.0f} ms), {cpu:.1f}x CPU"


def startup(runs: int) -> list[str]:
    """Part 8: ``validate`` of one bundled example and ``--help`` against ``python -c pass``."""
    package = Path(kwg_check.__file__).parent
    compiled = compileall.compile_dir(package, quiet=1)  # what pip does at install
    example = package / "data" / "examples" / "kwg_8a"
    target = str(example / "kwg8a-grey-zone-unknowns.json")
    baseline = [sys.executable, "-c", "pass"]
    ratio, validate = _startup_ratio([*_command(), "validate", target], baseline, runs)
    _, help_text = _startup_ratio([*_command(), "--help"], baseline, runs)
    return [
        f"kwg-check validate FILE / python -c pass: {validate} "
        f"(target <= {TARGET_STARTUP:.0f}x wall): {verdict(ratio <= TARGET_STARTUP)}",
        f"kwg-check --help / python -c pass: {help_text}",
        "(the package's bytecode compiled first, as pip does)"
        if compiled
        else "(the package's bytecode could not be written: every start compiles the sources)",
    ]


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPU(s), {model}; Python {platform.python_version()}; "
        f"kwg_check {kwg_check.__version__}; jsonschema {_version('jsonschema')}; "
        f"jsonschema-rs {_version('jsonschema_rs')}; load average {load}; "
        f"{datetime.date.today().isoformat()}"
    )


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution.replace("_", "-"))
    except PackageNotFoundError:
        return "?"


RANGE_EXAMPLE = "kwg8a-latent-infant-feeding.json"
RANGE_LEFT_OUT = [
    "sleep",
    "clothing",
    "body_care",
    "behaviour",
    "rejection",
    "social_isolation",
    "emotional_state",
    "devaluation",
    "impulse_control",
    "financial_hardship",
    "help_acceptance",
    "child_competences",
]


def _median_ms(action: Callable[[], object], rounds: int) -> float:
    """Median CPU time of ``action`` in ms (CPU, not wall time: the machine is shared)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def ranges(rounds: int) -> list[str]:
    """Part 7: scoring time with unknowns, its ratio to no unknowns, and the range method."""
    from kwg_check._engine import score
    from kwg_check._io import load_path

    data_dir = Path(kwg_check.__file__).parent / "data"
    data = load_path(data_dir / "instruments" / "kwg_8a-1.1.0.yaml")
    assert isinstance(data, dict)
    example = json.loads((data_dir / "examples" / "kwg_8a" / RANGE_EXAMPLE).read_text("utf-8"))
    monotone = kwg_check.compile_instrument(kwg_check.parse_instrument(data))
    plain = kwg_check.compile_instrument(kwg_check.parse_instrument({**data, "monotone": False}))

    def left_out(items: list[str]) -> Any:
        doc = json.loads(json.dumps(example))
        for item in items:
            del doc["answers"][item]
        return kwg_check.parse_assessment(doc)

    complete = left_out([])
    base = _median_ms(lambda: score(plain, complete), rounds)
    lines = [f"  no unknowns: {base:.2f} ms"]
    worst = 0.0
    cases = [(plain, RANGE_LEFT_OUT[:n], "non-monotone") for n in (4, 6, 8, 10, 12)]
    cases.append(
        (monotone, ["assessing_organisation", *RANGE_LEFT_OUT[:6]], "monotone, context free")
    )
    for compiled, items, label in cases:
        assessment = left_out(items)
        ms = _median_ms(functools.partial(score, compiled, assessment), rounds)
        summary = score(compiled, assessment)
        indices = summary.unknowns.indices or []
        methods = sorted({r.method for r in indices})
        if label == "non-monotone" and len(items) >= 6:
            worst = max(worst, ms - base)
        lines.append(
            f"  {label}, {len(items):>2} unknown: {ms:6.2f} ms, {ms - base:5.2f} ms more than "
            f"no unknowns ({ms / base:4.1f}x); "
            f"outcome {summary.unknowns.range.lowest}..{summary.unknowns.range.highest} "
            f"({summary.unknowns.range.method}), index ranges {', '.join(methods)}"
        )
    lines.append(
        f"  ranges of the slowest non-monotone case with 6-12 unknowns: {worst:.2f} ms "
        f"(target < {TARGET_RANGE_MS:.0f} ms): {verdict(worst < TARGET_RANGE_MS)}"
    )
    return lines


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke run")
    parser.add_argument(
        "--batch-lines",
        "--sizes",
        dest="sizes",
        help="score-batch line counts, comma-separated (default 5000,20000; issue 17 "
        "reports 100000)",
    )
    parser.add_argument("--seed", type=int, default=20260508)
    parser.add_argument("--documents", type=int, help="documents for parts 1-3")
    parser.add_argument(
        "--instruments-only", action="store_true", help="only parts 5 and 6 (instrument size)"
    )
    parser.add_argument("--ranges-only", action="store_true", help="only part 7 (ranges)")
    parser.add_argument("--startup-only", action="store_true", help="only part 8 (start-up)")
    args = parser.parse_args(argv)
    default_sizes = "200,400" if args.quick else "5000,20000"
    args.sizes = [int(size) for size in (args.sizes or default_sizes).split(",")]
    args.documents = args.documents or (50 if args.quick else 500)
    return args


def _iter_sections(args: argparse.Namespace) -> Iterator[str]:
    yield f"machine: {_machine()}"
    if not (args.instruments_only or args.ranges_only):
        print("\n== Start-up (part 8) ==", flush=True)
        yield "\n".join(startup(3 if args.quick else 11))
    if args.startup_only:
        return
    if not args.instruments_only:
        print("\n== Ranges under unknowns (part 7) ==", flush=True)
        yield "\n".join(ranges(5 if args.quick else 21))
    if args.ranges_only:
        return
    if not args.instruments_only:
        yield from _assessment_sections(args)
    print("\n== Instrument size (part 5) ==", flush=True)
    yield "\n".join(instrument_sizes(100 if args.quick else 2_500))
    print("\n== Hostile instruments (part 6) ==", flush=True)
    yield "\n".join(hostile_instruments(40 if args.quick else 1))


def _assessment_sections(args: argparse.Namespace) -> Iterator[str]:
    schema = json.loads(kwg_check.schema_text("assessment"))
    started = time.perf_counter()
    docs = documents(args.seed, args.documents, jsonschema_rs.validator_for(schema))
    sizes = [len(data) for data in docs]
    yield (
        f"generated {len(docs)} valid kwg_8a assessments (seed {args.seed}) in "
        f"{time.perf_counter() - started:.1f} s; median {statistics.median(sizes):,.0f} bytes"
    )
    known = documents(args.seed, args.documents, jsonschema_rs.validator_for(schema), known=True)
    rounds = 2 if args.quick else 5
    figures = per_document(docs, known, naive_count=5 if args.quick else 20, rounds=rounds)
    yield "\n== Per document (parts 1-3) ==\n" + "\n".join(f.row() for f in figures.values())
    kwg, floor, cached = figures["kwg"], figures["floor"], figures["cached"]
    vs_cached = cached.median / kwg.median
    vs_floor = kwg.median / floor.median
    yield "\n".join(
        [
            "\n== Ratios (medians per document) ==",
            f"cached jsonschema / kwg_check end to end: {vs_cached:.2f}x "
            f"(target >= {TARGET_VS_JSONSCHEMA:.0f}x): "
            f"{verdict(vs_cached >= TARGET_VS_JSONSCHEMA)}",
            f"kwg_check end to end / floor: {vs_floor:.2f}x "
            f"(target <= {TARGET_VS_FLOOR:.0f}x): {verdict(vs_floor <= TARGET_VS_FLOOR)}",
            f"naive jsonschema.validate / cached validator: "
            f"{figures['naive'].median / cached.median:.1f}x",
            f"issue 17: cached jsonschema / kwg_check end to end: {vs_cached:.2f}x "
            f"(target >= {TARGET_17_VS_JSONSCHEMA:.0f}x): "
            f"{verdict(vs_cached >= TARGET_17_VS_JSONSCHEMA)}",
            f"issue 17: kwg_check end to end / floor: {vs_floor:.2f}x "
            f"(target <= {TARGET_17_VS_JSONSCHEMA:.0f}x): "
            f"{verdict(vs_floor <= TARGET_17_VS_JSONSCHEMA)}",
            *_split(figures),
        ]
    )
    yield "\n".join(summary_sizes())
    print("\n== score-batch (part 4) ==", flush=True)
    yield "\n".join(batch(docs, args.sizes, cached.median * 1e3))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.perf_counter()
    for section in _iter_sections(args):
        print(section, flush=True)
    resource_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    elapsed = time.perf_counter() - started
    print(f"\ndone in {elapsed:.1f} s (benchmark process peak {resource_mb:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
