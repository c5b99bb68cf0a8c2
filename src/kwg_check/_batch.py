"""Score many assessments, one JSON document per line, in order and with flat memory.

A batch never stops at a bad line and never skips one: every input line gives exactly one
result, scored or with its problems, so the output has as many lines as the input and line
*n* of the output belongs to line *n* of the input. Lines are read lazily and at most a few
chunks are in flight, so memory does not grow with the size of the file. Instruments are
compiled once per process (the registry caches them), and only those the lines use; with
``jobs > 1`` the workers are forked where that is safe, so they start without importing or
parsing anything again, and return results already serialised.

A batch can stop before its end (a full disk, a killed worker, Ctrl-C, a killed parent).
Records are written in whole blocks, so the output then holds complete records for a prefix
of the input (at most the last line is cut), and the count says how many; ``resume_point``
and ``skip_done`` continue such an output later. Workers leave the interrupt to their parent
and exit on their own when the parent dies, so nothing is left blocked on a pipe.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import io
import itertools
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import BinaryIO

import attrs
from tqdm import tqdm

from ._documents import parse_loaded
from ._engine import score_json
from ._errors import ArgumentError, KwgCheckError, Problem
from ._io import DEFAULT_LIMITS, JsonValue, Limits, dump_plain_json, load_bytes
from ._model import Assessment, Instrument
from ._registry import InstrumentRegistry, bundled_registry

__all__ = [
    "BatchCount",
    "BatchResult",
    "ResumePoint",
    "bounded_lines",
    "resume_point",
    "score_lines",
    "skip_done",
    "write_batch",
]

CHUNK_LINES = 64
"""Lines per unit of work sent to a worker: big enough to keep the pipe cheap, small enough
that the chunks in flight (two per worker) stay a few megabytes even for long summaries."""


@attrs.frozen
class BatchResult:
    """The result for one input line: its summary, or the problems that kept it from scoring."""

    line: int
    """The input line number, from 1."""
    summary: bytes | None
    """The summary document as compact JSON (UTF-8), when the line was scored."""
    problems: tuple[Problem, ...] = ()
    """Why the line was not scored; pointers point into the line's document."""

    @property
    def scored(self) -> bool:
        """Whether the line was scored."""
        return self.summary is not None

    def record(self) -> bytes:
        """The output line (without newline): ``{"line":N,"summary":{…}}`` or
        ``{"line":N,"problems":[{"pointer":…,"code":…,"reason":…}]}``."""
        if self.summary is not None:
            return b'{"line":%d,"summary":%s}' % (self.line, self.summary)
        problems: list[JsonValue] = [dict(problem.as_dict()) for problem in self.problems]
        return _compact({"line": self.line, "problems": problems})


def available_cores() -> int:
    """The cores this process may run on: what ``score-batch`` uses by default.

    ``os.cpu_count()`` counts the machine's cores, also those a container, ``taskset`` or
    a cgroup leaves out; more workers than cores only add switching.
    """
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counted is not None:
        return max(1, counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _compact(value: JsonValue) -> bytes:
    return dump_plain_json(value, readable=False)


def _problem(code: str, reason: str) -> tuple[Problem, ...]:
    return (Problem("", code, reason),)


def _score_line(
    number: int, raw: bytes, registry: InstrumentRegistry, limits: Limits
) -> BatchResult:
    content = raw.removesuffix(b"\n").removesuffix(b"\r")
    if len(content) > limits.max_bytes:
        reason = f"the line has more than the limit of {limits.max_bytes} bytes"
        return BatchResult(number, None, _problem("batch.line-too-large", reason))
    if not content.strip(b" \t"):
        reason = "the line is empty; every line must hold one assessment"
        return BatchResult(number, None, _problem("batch.empty-line", reason))
    try:
        assessment = parse_loaded(Assessment, load_bytes(content, format="json", limits=limits))
        summary = score_json(registry.for_assessment(assessment), assessment, readable=False)
    except KwgCheckError as error:
        return BatchResult(number, None, error.problems)
    return BatchResult(number, summary, ())


def bounded_lines(stream: BinaryIO | io.IOBase, max_bytes: int) -> Iterator[bytes]:
    """Lines of a binary stream, none longer than ``max_bytes + 2`` bytes in memory.

    The rest of an overlong line is read and dropped, so the line still counts as one (too
    large) line and a file without newlines cannot fill the memory.
    """
    limit = max_bytes + 2  # the content, then "\r\n"
    while line := stream.readline(limit):
        if len(line) == limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass
        yield line


# Worker processes: the registry, set once by the initializer and used for every chunk.
_worker: tuple[InstrumentRegistry, Limits] | None = None

PARENT_POLL_SECONDS = 0.5
"""How often a worker checks that its parent still lives. A worker waits on a pipe whose
write end it holds itself (and so do its siblings), so the parent's death never reaches it as
an end of file; without the check it would wait for ever, holding the files it inherited."""


def _exit_with_parent(parent: int | None) -> None:
    """Exit this worker as soon as its parent process is gone (it is then re-parented).

    ``parent`` is the pid the worker should have; ``None`` when a fork server started it, and
    then the server is the parent to watch (it ends when the calling process ends)."""
    watched = os.getppid()
    if parent is not None and watched != parent:
        os._exit(1)  # the parent died before this worker even started

    def watch() -> None:
        while os.getppid() == watched:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="kwg-check-parent-watch", daemon=True).start()


def _init_worker(
    registry: InstrumentRegistry | tuple[tuple[Instrument, str], ...] | None,
    limits: Limits,
    parent: int | None,
) -> None:
    global _worker
    # Ctrl-C reaches the whole process group; the parent stops the batch and the pool, so a
    # worker ignores it instead of dying with a traceback in the middle of a chunk.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    if registry is None:
        registry = bundled_registry()
    elif isinstance(registry, tuple):
        instruments, registry = registry, InstrumentRegistry(bundled=False)
        for instrument, origin in instruments:
            registry.add(instrument, origin)  # the origin: messages name the caller's files
    # What the worker inherited from a forked parent is never freed here; keeping the
    # collector off it leaves those pages shared instead of copying them on every collection.
    gc.freeze()
    _worker = (registry, limits)


def _start_method() -> str:
    """``fork`` where it is safe: Linux, and no other thread in this process that could hold
    a lock at the moment of the fork. Workers then start at once with the modules and the
    caller's registry (compiled instruments included) already in memory, shared with this
    process. Otherwise ``forkserver`` with this module preloaded, or ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _score_chunk(chunk: list[tuple[int, bytes]]) -> list[BatchResult]:
    assert _worker is not None, "the worker was not initialised"
    registry, limits = _worker
    return [_score_line(number, raw, registry, limits) for number, raw in chunk]


def _chunks(numbered: Iterator[tuple[int, bytes]]) -> Iterator[list[tuple[int, bytes]]]:
    chunk: list[tuple[int, bytes]] = []
    for entry in numbered:
        chunk.append(entry)
        if len(chunk) == CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_pool(
    numbered: Iterator[tuple[int, bytes]],
    registry: InstrumentRegistry | None,
    jobs: int,
    limits: Limits,
) -> Iterator[BatchResult]:
    # Executor.map would read the whole input up front; submitting by hand keeps at most two
    # chunks per worker in flight, and taking them from the front keeps the input order.
    method = _start_method()
    context = multiprocessing.get_context(method)
    shared: InstrumentRegistry | tuple[tuple[Instrument, str], ...] | None = None
    if method == "fork":
        shared = registry  # inherited by the fork, never pickled
    elif registry is not None and registry is not bundled_registry():
        shared = tuple((registry.get(e.id, e.version), e.origin) for e in registry.entries())
    if method == "forkserver":
        context.set_forkserver_preload([__name__])
    parent = None if method == "forkserver" else os.getpid()
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(shared, limits, parent)
    ) as pool:
        pending: collections.deque[Future[list[BatchResult]]] = collections.deque()
        try:
            for chunk in _chunks(numbered):
                pending.append(pool.submit(_score_chunk, chunk))
                if len(pending) >= 2 * jobs:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _serial(
    numbered: Iterator[tuple[int, bytes]], registry: InstrumentRegistry, limits: Limits
) -> Iterator[BatchResult]:
    for number, raw in numbered:
        yield _score_line(number, raw, registry, limits)


def score_lines(
    lines: Iterable[bytes] | BinaryIO,
    *,
    registry: InstrumentRegistry | None = None,
    jobs: int = 1,
    limits: Limits = DEFAULT_LIMITS,
    first_line: int = 1,
) -> Iterator[BatchResult]:
    """Score one assessment per line (JSON Lines), yielding one result per line in order.

    ``lines`` is any iterable of byte strings (a trailing newline is ignored) or a binary
    file, which is then read line by line with a bound on the line length. Bad lines give a
    result with problems and the batch goes on. ``jobs > 1`` scores in that many worker
    processes; ``jobs == 1`` scores in this process. ``first_line`` is the number of the
    first line, for a part of a longer input (``tail -n +N`` gives lines from ``N``).
    """
    if jobs < 1:
        raise ArgumentError(Problem("", "argument.jobs", "jobs must be at least 1"))
    if first_line < 1:
        reason = "first_line must be at least 1"
        raise ArgumentError(Problem("", "argument.first-line", reason))
    source = bounded_lines(lines, limits.max_bytes) if isinstance(lines, io.IOBase) else iter(lines)
    numbered = enumerate(source, start=first_line)
    if jobs == 1:
        return _serial(numbered, registry or bundled_registry(), limits)
    return _in_pool(numbered, registry, jobs, limits)


@attrs.define
class BatchCount:
    """How many records a batch has written: scored lines and lines it could not score.

    The writer adds to it as blocks of records reach the output, so after a failure it still
    says how much of the output is complete."""

    scored: int = 0
    invalid: int = 0

    @property
    def lines(self) -> int:
        """All records written."""
        return self.scored + self.invalid


def write_batch(
    source: BinaryIO,
    sink: BinaryIO,
    count: BatchCount,
    *,
    registry: InstrumentRegistry | None = None,
    jobs: int = 1,
    progress: bool = False,
    first_line: int = 1,
) -> None:
    """Score ``source`` into ``sink`` (one record per line), adding to ``count``.

    Records go out in blocks of ``CHUNK_LINES``, each written and flushed before it is
    counted: when a write fails (or the batch is interrupted) ``count`` holds exactly the
    records before the failed block. A progress bar runs on stderr if asked."""
    results: Iterable[BatchResult] = score_lines(
        source, registry=registry, jobs=jobs, first_line=first_line
    )
    with contextlib.ExitStack() as stack:
        # Close the results (and with them the worker pool) on the way out, also on an error.
        stack.callback(getattr(results, "close", lambda: None))
        if progress:
            # Only when asked: tqdm starts a monitor thread, and with a thread running the
            # workers cannot be forked (see _start_method).
            results = stack.enter_context(tqdm(results, file=sys.stderr, unit=" lines"))
        block: list[BatchResult] = []
        for result in results:
            block.append(result)
            if len(block) == CHUNK_LINES:
                _write_block(block, sink, count)
                block = []
        _write_block(block, sink, count)


def _write_block(block: list[BatchResult], sink: BinaryIO, count: BatchCount) -> None:
    sink.write(b"".join(result.record() + b"\n" for result in block))
    sink.flush()
    scored = sum(result.scored for result in block)
    count.scored += scored
    count.invalid += len(block) - scored


_RECORD_START = re.compile(rb'\{"line":([0-9]+),"(summary|problems)":')

MAX_RECORD_BYTES = 1 << 26
"""A longer line in an output to resume cannot be a record of this program (64 MiB)."""


@attrs.frozen
class ResumePoint:
    """The complete leading records of an earlier output: how many, and where they end."""

    count: BatchCount
    size: int
    """Bytes of the complete records (what is kept; a cut last line is dropped)."""
    last: bytes = b""
    """The last complete record, without its newline (empty when there is none)."""


def resume_point(output: BinaryIO, first_line: int = 1) -> ResumePoint:
    """Read an earlier output: its complete records, which must be numbered from ``first_line``.

    Raises ``ValueError`` (with a reason, never content) when the file is not an output of
    ``score-batch`` for this numbering."""
    count, size, last = BatchCount(), 0, b""
    while line := output.readline(MAX_RECORD_BYTES):
        if not line.endswith(b"\n"):
            if output.read(1):
                raise ValueError(f"line {count.lines + 1} is not a record of score-batch")
            break  # the cut last line of an interrupted run
        match = _RECORD_START.match(line)
        expected = first_line + count.lines
        if match is None or not line.endswith(b"}\n"):
            raise ValueError(f"line {count.lines + 1} is not a record of score-batch")
        if int(match[1]) != expected:
            raise ValueError(
                f"line {count.lines + 1} is the record of input line {int(match[1])}, "
                f"not of line {expected}"
            )
        if match[2] == b"summary":
            count.scored += 1
        else:
            count.invalid += 1
        size += len(line)
        last = line[:-1]
    return ResumePoint(count, size, last)


def skip_done(
    source: BinaryIO,
    point: ResumePoint,
    *,
    registry: InstrumentRegistry | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Read past the input lines ``point`` has records for, checking the output belongs here.

    The input must have that many lines, and its last such line must score to the very
    record the output holds for it; otherwise ``ValueError`` (the output is of another
    input, another instrument or another numbering)."""
    lines = itertools.islice(bounded_lines(source, limits.max_bytes), point.count.lines)
    last = collections.deque(enumerate(lines, start=1), maxlen=1)
    done, line = last[0] if last else (0, b"")
    if done != point.count.lines:
        raise ValueError(f"the input has fewer lines than the output has records ({done})")
    if point.last:
        number = int(json.loads(point.last)["line"])
        again = _score_line(number, line, registry or bundled_registry(), limits).record()
        if again != point.last:
            raise ValueError(f"the record of input line {number} differs from a new scoring")
