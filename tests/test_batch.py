"""Batch scoring: one result per input line, in order, whatever is wrong with a line.

The output of ``score-batch`` is a contract: line *n* of the output belongs to line *n* of the
input, a bad line becomes an error record with its line number (never its content), and
memory does not grow with the input.
"""

from __future__ import annotations

import io
import json
import os
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

import kwg_check
from kwg_check._batch import BatchCount, available_cores, write_batch
from kwg_check.cli import main

SECRET = "Geheimnis aus der Fallakte 4711"


def example_line(name: str) -> bytes:
    return json.dumps(kwg_check.example_data(name)).encode()


def expected_summary(name: str) -> kwg_check.JsonValue:
    assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
    return kwg_check.dump_document(kwg_check.score_assessment(assessment))


def unknown_instrument_line() -> bytes:
    data = kwg_check.example_data("kwg8a-no-need-preschool")
    assert isinstance(data, dict)
    assert isinstance(data["instrument"], dict)
    data["instrument"]["id"] = "no_such_instrument"
    return json.dumps(data).encode()


# Each bad line carries the secret somewhere, so an echo of its content would show.
BAD_LINES: dict[str, bytes] = {
    "batch.empty-line": b"   ",
    "load.syntax": b'{"note": "' + SECRET.encode() + b'"',
    "load.encoding": b'{"note": "' + SECRET.encode() + b'\xff"}',
    "schema.type": json.dumps([SECRET]).encode(),
    "schema.pattern": json.dumps({"id": SECRET, "document_type": "assessment"}).encode(),
}


def records(output: bytes) -> list[dict[str, kwg_check.JsonValue]]:
    return [json.loads(line) for line in output.decode().splitlines()]


def test_every_line_gives_one_record_in_input_order_with_its_line_number() -> None:
    """Good and bad lines interleaved: as many results as lines, numbered 1..n, in order."""
    names = [example.name for example in kwg_check.examples()]
    lines = [example_line(name) for name in names]
    for position, bad in zip((1, 3, 5, 7, 9), BAD_LINES.values(), strict=True):
        lines.insert(position, bad)
    results = list(kwg_check.score_lines(lines))
    assert [result.line for result in results] == list(range(1, len(lines) + 1))
    scored = [result for result in results if result.scored]
    assert len(scored) == len(names)
    for result, name in zip(scored, names, strict=True):
        assert result.summary is not None
        assert json.loads(result.summary) == expected_summary(name)
    assert [r.line for r in results if not r.scored] == [2, 4, 6, 8, 10]


def test_bad_lines_become_error_records_with_codes_and_never_echo_content() -> None:
    """A bad line's record names the problem; the case content of the line never appears."""
    lines = list(BAD_LINES.values())
    results = list(kwg_check.score_lines(lines))
    for result, code in zip(results, BAD_LINES, strict=True):
        assert not result.scored
        assert code in {problem.code for problem in result.problems}
        record = result.record()
        assert SECRET.encode() not in record
        parsed = json.loads(record)
        assert parsed["line"] == result.line
        assert set(parsed) == {"line", "problems"}
        assert all(set(p) == {"pointer", "code", "reason"} for p in parsed["problems"])


def test_an_assessment_of_an_unknown_instrument_is_an_error_record() -> None:
    """A line the registry cannot score is reported like any other bad line."""
    (result,) = kwg_check.score_lines([unknown_instrument_line()])
    assert [problem.code for problem in result.problems] == ["registry.unknown-instrument"]


def test_a_scored_record_holds_the_summary_document_and_the_line_number() -> None:
    """Consumers can feed the ``summary`` member to ``stats`` and ``verify`` as it is."""
    (result,) = kwg_check.score_lines([example_line("kwg8a-latent-infant-feeding") + b"\r\n"])
    record = json.loads(result.record())
    assert record["line"] == 1
    assert record["summary"] == expected_summary("kwg8a-latent-infant-feeding")
    assert kwg_check.parse_summary(record["summary"]).outcome.final is not None


def test_an_overlong_line_in_a_file_counts_as_one_line_and_the_batch_goes_on() -> None:
    """A binary file is read with a bound: the overlong line is one error, the next scores."""
    limits = kwg_check.Limits(max_bytes=100_000)
    good = example_line("kwg8a-no-need-preschool")
    data = b"x" * 250_000 + b"\n" + good + b"\n" + b"y" * 150_000
    results = list(kwg_check.score_lines(io.BytesIO(data), limits=limits))
    assert [result.line for result in results] == [1, 2, 3]
    assert [result.scored for result in results] == [False, True, False]
    assert results[0].problems[0].code == "batch.line-too-large"
    assert results[2].problems[0].code == "batch.line-too-large"


def test_two_worker_processes_give_the_same_records_in_the_same_order() -> None:
    """Parallel scoring is an implementation detail: the output is byte-identical."""
    names = [example.name for example in kwg_check.examples()]
    lines = [example_line(names[i % len(names)]) for i in range(150)]
    lines[70] = BAD_LINES["load.syntax"]
    lines[149] = b""
    serial = [result.record() for result in kwg_check.score_lines(lines)]
    parallel = [result.record() for result in kwg_check.score_lines(lines, jobs=2)]
    assert len(parallel) == 150
    assert parallel == serial


def test_workers_score_with_the_callers_registry() -> None:
    """Instruments the caller added reach the worker processes."""
    registry = kwg_check.InstrumentRegistry(bundled=False)
    registry.add(kwg_check.InstrumentRegistry().get("kwg_8a"))
    lines = [example_line("kwg8a-no-need-preschool"), example_line("cans-action-needed")]
    results = list(kwg_check.score_lines(lines, registry=registry, jobs=2))
    assert results[0].scored
    assert results[1].problems[0].code == "registry.unknown-instrument"


@pytest.mark.parametrize("thread_running", [False, True])
def test_workers_give_the_same_records_whether_or_not_another_thread_runs(
    thread_running: bool,
) -> None:
    """Workers are forked only while no other thread runs (a fork could copy a held lock);
    otherwise they start from a fresh server process. Either way the records, and the
    caller's own instruments, are the same as in one process."""
    registry = kwg_check.InstrumentRegistry(bundled=False)
    registry.add(kwg_check.InstrumentRegistry().get("kwg_8a"))
    lines = [example_line("kwg8a-no-need-preschool"), example_line("cans-action-needed")] * 3
    serial = [result.record() for result in kwg_check.score_lines(lines, registry=registry)]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    if thread_running:
        other.start()
    try:
        parallel = kwg_check.score_lines(lines, registry=registry, jobs=2)
        assert [result.record() for result in parallel] == serial
    finally:
        stop.set()
        if thread_running:
            other.join()


@pytest.mark.parametrize("jobs", [0, -1])
def test_fewer_than_one_job_is_refused(jobs: int) -> None:
    with pytest.raises(ValueError, match="jobs") as raised:
        kwg_check.score_lines([], jobs=jobs)
    assert isinstance(raised.value, kwg_check.ArgumentError)
    assert raised.value.code == "argument.jobs"


def cheap_lines(count: int, good: bytes) -> Iterator[bytes]:
    """Mostly lines that are cheap to reject, with a scored one and an invalid one now and then."""
    for number in range(count):
        if number % 500 == 0:
            yield good
        elif number % 50 == 0:
            yield b'{"document_type": "assessment"}'
        else:
            yield b"{" if number % 2 else b""


def peak_bytes(count: int, good: bytes) -> int:
    tracemalloc.start()
    try:
        for _ in kwg_check.score_lines(cheap_lines(count, good)):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_lines() -> None:
    """Streaming: ten times the lines may not need (anywhere near) ten times the memory."""
    good = example_line("kwg8a-no-need-preschool")
    list(kwg_check.score_lines([good]))  # compile the instrument before measuring
    small = peak_bytes(2_000, good)
    large = peak_bytes(20_000, good)
    assert large < 2 * small


def test_write_batch_is_silent_on_stderr_when_no_progress_is_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sink = io.BytesIO()
    count = BatchCount()
    write_batch(io.BytesIO(example_line("kwg8a-no-need-preschool") + b"\n\n"), sink, count)
    assert (count.scored, count.invalid) == (1, 1)
    assert len(sink.getvalue().splitlines()) == 2
    assert capsys.readouterr().err == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_shows_progress_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a terminal (a log, a pipe): only the final count. A terminal: a progress bar too."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(example_line("kwg8a-no-need-preschool") + b"\n")
    output = str(tmp_path / "out.jsonl")
    assert main(["score-batch", str(source), "-o", output]) == 0
    assert capsys.readouterr().err == "1 Zeile: 1 bewertet, 0 ungültig\n"
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["score-batch", str(source), "-o", output]) == 0
    bar, _, count = terminal.getvalue().rpartition("1 Zeile")
    assert count == ": 1 bewertet, 0 ungültig\n"
    assert "1 lines" in bar  # tqdm's counter with the unit " lines"


def test_cli_exit_code_is_1_when_any_line_is_invalid_and_output_has_every_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    good = example_line("kwg8a-no-need-preschool")
    source.write_bytes(b"\n".join([good, BAD_LINES["load.syntax"], good, b""]) + b"\n")
    output = tmp_path / "out.jsonl"
    assert main(["score-batch", str(source), "-o", str(output), "--jobs", "1"]) == 1
    assert [r["line"] for r in records(output.read_bytes())] == [1, 2, 3, 4]
    assert capsys.readouterr().err == "4 Zeilen: 2 bewertet, 2 ungültig\n"


def test_cli_reads_stdin_and_writes_stdout_by_default(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    good = example_line("kwg8a-no-need-preschool")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(good + b"\n" + good)))
    assert main(["score-batch", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert [r["line"] for r in records(out)] == [1, 2]


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_cli_refuses_a_job_count_below_one_as_a_usage_error(
    jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"")
    with pytest.raises(SystemExit) as exit_info:
        main(["score-batch", str(source), "--jobs", jobs])
    assert exit_info.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_cli_missing_input_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score-batch", str(tmp_path / "absent.jsonl")]) == 2
    assert "Datei nicht gefunden" in capsys.readouterr().err


def test_available_cores_counts_the_cores_this_process_may_use() -> None:
    if hasattr(os, "sched_getaffinity"):
        assert available_cores() == len(os.sched_getaffinity(0))
    assert 1 <= available_cores() <= (os.cpu_count() or 1)


def test_cli_uses_the_available_cores_unless_jobs_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[int] = []

    def spy(*args: object, jobs: int, **kwargs: object) -> None:
        seen.append(jobs)

    monkeypatch.setattr("kwg_check._batch.available_cores", lambda: 7)  # imported on use
    monkeypatch.setattr("kwg_check._batch.write_batch", spy)
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"")
    main(["score-batch", str(source), "-o", str(tmp_path / "a.jsonl")])
    main(["score-batch", str(source), "-o", str(tmp_path / "b.jsonl"), "--jobs", "3"])
    assert seen == [7, 3]
