"""Faults around the commands: outputs that are inputs, full disks, closed pipes, killed
processes and interrupts (issue 18, items 1, 3, 4, 5; issue 12, item 8).

The contract: an ``-o`` output is replaced only by a complete one; an output naming an input
is refused before anything is written; every failure ends with one line on stderr and a
documented exit code (2 write failure or usage, 3 ``score-batch`` incomplete, 130 Ctrl-C, 141
closed pipe), never a traceback; an interrupted batch continues with ``--resume``; workers
never outlive their parent.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

import kwg_check
from kwg_check import _batch
from kwg_check.cli import main

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="uses /proc and /dev/full")
STOPPED = re.compile(r"^kwg-check: error: (\d+) Zeilen? vor dem Abbruch geschrieben: .+\n$")


def example_line(name: str) -> bytes:
    return json.dumps(kwg_check.example_data(name)).encode()


def batch_input(count: int) -> bytes:
    """``count`` lines cycling through the bundled examples, with a bad line now and then."""
    names = [example.name for example in kwg_check.examples()]
    lines = [example_line(names[i % len(names)]) for i in range(count)]
    for bad in range(4, count, 11):
        lines[bad] = b'{"document_type": "assessment"}'
    return b"\n".join(lines) + b"\n"


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A 150-line input (three blocks of records) and its complete output."""
    folder = tmp_path_factory.mktemp("batch")
    source = folder / "in.jsonl"
    source.write_bytes(batch_input(150))
    output = b"".join(
        r.record() + b"\n" for r in kwg_check.score_lines(source.read_bytes().split(b"\n")[:-1])
    )
    return source, output


def command(
    *argv: str, stdout: int | IO[bytes] = subprocess.PIPE, limit: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command in a process of its own (for what only a real process shows), with a file
    size limit if asked: writes past it fail (EFBIG), as on a full disk."""

    def limited() -> None:
        if limit is not None:
            import resource  # POSIX only

            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "kwg_check", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
        preexec_fn=limited,
    )


def one_line_error(stderr: str | bytes) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text
    assert "Exception ignored" not in text
    assert text.count("\n") == 1, text
    assert text.startswith("kwg-check: "), text
    return text


# -- 1. an output that is an input ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["same", "symlink", "hard link", "stdin"])
def test_score_batch_refuses_an_output_that_is_its_input_and_leaves_it_untouched(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "same.jsonl"
    content = batch_input(3)
    source.write_bytes(content)
    output, given = source, str(source)
    if kind == "symlink":
        output = tmp_path / "link.jsonl"
        output.symlink_to(source)
    elif kind == "hard link":
        output = tmp_path / "hard.jsonl"
        os.link(source, output)
    elif kind == "stdin":
        given = "-"
        monkeypatch.setattr("sys.stdin", source.open("r"))
    assert main(["score-batch", given, "-o", str(output)]) == 2
    assert "die Ausgabe ist die Eingabe" in one_line_error(capsys.readouterr().err)
    assert source.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")) == []


@pytest.mark.parametrize("option", ["--previous", "--instrument", None])
def test_report_refuses_to_write_over_any_of_its_inputs(
    option: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps(kwg_check.example_data("kwg8a-grey-zone-unknowns")))
    other = tmp_path / "other.json"
    other.write_bytes(assessment.read_bytes())
    before = other.read_bytes()
    argv = ["report", str(assessment), "--format", "md", "-o"]
    argv += [str(assessment)] if option is None else [str(other), option, str(other)]
    assert main(argv) == 2
    assert "die Ausgabe ist die Eingabe" in one_line_error(capsys.readouterr().err)
    assert other.read_bytes() == before
    assert assessment.read_bytes() == before


# -- 4. atomic outputs, resume, partial inputs, FIFOs -------------------------------------


@linux_only
def test_a_batch_that_runs_out_of_space_keeps_the_old_output_and_resumes_to_the_full_one(
    scored: tuple[Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, full = scored
    output = tmp_path / "out.jsonl"
    output.write_bytes(b"the complete results of an earlier run\n")
    first_block = len(b"".join(full.splitlines(keepends=True)[:64]))
    limit = first_block + 1000  # the second block is cut in a line
    run = command("score-batch", str(source), "-o", str(output), limit=limit)
    assert run.returncode == 3
    match = STOPPED.match(one_line_error(run.stderr))
    assert match is not None
    assert match[1] == "64"
    assert "--resume" in run.stderr.decode()
    assert output.read_bytes() == b"the complete results of an earlier run\n"
    partial = tmp_path / "out.jsonl.partial"
    assert partial.read_bytes().startswith(full[:first_block])
    assert len(partial.read_bytes()) == first_block + 1000  # a cut line at the end
    assert main(["score-batch", str(source), "-o", str(output), "--resume"]) == 1
    assert output.read_bytes() == full
    assert not partial.exists()
    assert capsys.readouterr().err == "150 Zeilen: 136 bewertet, 14 ungültig\n"


@linux_only
def test_a_report_that_runs_out_of_space_keeps_the_old_report(tmp_path: Path) -> None:
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps(kwg_check.example_data("kwg8a-grey-zone-unknowns")))
    report = tmp_path / "old.md"
    report.write_text("# the complete earlier report\n" * 200)
    before = report.read_bytes()
    argv = ["report", str(assessment), "--format", "md", "-o", str(report)]
    run = command(*argv, limit=2000)
    assert run.returncode == 2
    assert "old.md: Schreiben nicht möglich (File too large)" in one_line_error(run.stderr)
    assert report.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == {"a.json", "old.md"}


def cut(full: bytes, lines: int, extra: int) -> bytes:
    """The first ``lines`` records of an output and ``extra`` bytes of the next one."""
    kept = b"".join(full.splitlines(keepends=True)[:lines])
    return kept + full[len(kept) : len(kept) + extra]


@pytest.mark.parametrize(
    ("where", "lines", "extra"),
    [
        ("partial", 0, 0),
        ("partial", 0, 50),
        ("partial", 70, 0),
        ("partial", 149, 300),
        ("output", 10, 0),
        ("output", 150, 0),
        ("output", 140, 20),
    ],
)
def test_resume_continues_from_the_complete_records_and_gives_the_full_output(
    where: str,
    lines: int,
    extra: int,
    scored: tuple[Path, bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """From the partial file an interrupted run left, or from an output cut some other way
    (by a shell redirection, by an earlier version): a cut last line is dropped."""
    source, full = scored
    output = tmp_path / "out.jsonl"
    (tmp_path / ("out.jsonl.partial" if where == "partial" else "out.jsonl")).write_bytes(
        cut(full, lines, extra)
    )
    assert main(["score-batch", str(source), "-o", str(output), "--resume"]) == 1
    assert output.read_bytes() == full
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    assert capsys.readouterr().err == "150 Zeilen: 136 bewertet, 14 ungültig\n"


def test_resume_without_an_earlier_output_scores_everything(
    scored: tuple[Path, bytes], tmp_path: Path
) -> None:
    source, full = scored
    output = tmp_path / "out.jsonl"
    assert main(["score-batch", str(source), "-o", str(output), "--resume"]) == 1
    assert output.read_bytes() == full


def foreign_output(full: bytes) -> dict[str, bytes]:
    other = b"".join(
        r.record() + b"\n" for r in kwg_check.score_lines(batch_input(12).split(b"\n")[:-1][::-1])
    )
    renumbered = full.replace(b'{"line":3,', b'{"line":4,', 1)
    return {
        "another input": other,
        "a gap in the numbering": b"".join(renumbered.splitlines(keepends=True)[:5]),
        "not records": b"line one\nline two\n",
        "more records than input lines": full + b'{"line":151,"problems":[]}\n',
    }


@pytest.mark.parametrize(
    "case",
    ["another input", "a gap in the numbering", "not records", "more records than input lines"],
)
def test_resume_refuses_an_output_of_another_run_and_changes_nothing(
    case: str, scored: tuple[Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, full = scored
    earlier = foreign_output(full)[case]
    output = tmp_path / "out.jsonl"
    output.write_bytes(earlier)
    assert main(["score-batch", str(source), "-o", str(output), "--resume"]) == 2
    assert "Fortsetzen nicht möglich" in one_line_error(capsys.readouterr().err)
    assert output.read_bytes() == earlier
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_resume_to_standard_output_is_a_usage_error(
    scored: tuple[Path, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score-batch", str(scored[0]), "--resume"]) == 2
    assert "--resume braucht -o" in one_line_error(capsys.readouterr().err)


def test_first_line_numbers_a_partial_input_as_lines_of_the_whole(
    scored: tuple[Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tail -n +101 in.jsonl | kwg-check score-batch - --first-line 101``: records 101..150,
    the same as lines 101..150 of the whole output; resuming that part works the same way."""
    source, full = scored
    rest = tmp_path / "rest.jsonl"
    rest.write_bytes(b"".join(source.read_bytes().splitlines(keepends=True)[100:]))
    tail = b"".join(full.splitlines(keepends=True)[100:])
    output = tmp_path / "out.jsonl"
    assert main(["score-batch", str(rest), "-o", str(output), "--first-line", "101"]) == 1
    assert output.read_bytes() == tail
    output.write_bytes(cut(tail, 7, 33))
    argv = ["score-batch", str(rest), "-o", str(output), "--first-line", "101", "--resume"]
    assert main(argv) == 1
    assert output.read_bytes() == tail
    assert capsys.readouterr().err.endswith("50 Zeilen: 45 bewertet, 5 ungültig\n")


@linux_only
def test_a_fifo_is_an_input_like_a_file(
    scored: tuple[Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``score-batch <(cat f)`` and ``score <(cat f)``: process substitution is a FIFO."""
    source, full = scored
    fifo = tmp_path / "fifo"
    lines = b"".join(source.read_bytes().splitlines(keepends=True)[:12])

    def feed(data: bytes) -> threading.Thread:
        os.mkfifo(fifo)
        writer = threading.Thread(target=fifo.write_bytes, args=(data,))
        writer.start()
        return writer

    writer = feed(lines)
    output = tmp_path / "out.jsonl"
    assert main(["score-batch", str(fifo), "-o", str(output)]) == 1
    writer.join()
    assert output.read_bytes() == b"".join(full.splitlines(keepends=True)[:12])
    fifo.unlink()
    writer = feed(example_line("kwg8a-no-need-preschool"))
    assert main(["score", str(fifo), "--format", "json"]) == 0
    writer.join()
    assert json.loads(capsys.readouterr().out)["document_type"] == "summary"


# -- 5. failures: one line, a documented exit code ----------------------------------------


@pytest.mark.parametrize("command_name", ["score-batch", "report"])
@pytest.mark.parametrize("bad", ["/nonexistent/x", "directory"])
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(
    command_name: str,
    bad: str,
    scored: tuple[Path, bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = str(tmp_path) if bad == "directory" else bad
    if command_name == "score-batch":
        argv = ["score-batch", str(scored[0]), "-o", target]
    else:
        assessment = tmp_path / "a.json"
        assessment.write_text(json.dumps(kwg_check.example_data("kwg8a-grey-zone-unknowns")))
        argv = ["report", str(assessment), "-o", target]
    assert main(argv) == 2
    message = one_line_error(capsys.readouterr().err)
    assert ("ist ein Verzeichnis" if bad == "directory" else "Schreiben nicht möglich") in message


@linux_only
def test_score_batch_to_a_full_device_stops_with_exit_3_and_the_count(
    scored: tuple[Path, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 3 is not exit 1: a script reading 1 as "see the records" never gets a cut output."""
    assert main(["score-batch", str(scored[0]), "-o", "/dev/full"]) == 3
    message = one_line_error(capsys.readouterr().err)
    assert message == (
        "kwg-check: error: 0 Zeilen vor dem Abbruch geschrieben: No space left on device\n"
    )


def every_command(tmp_path: Path) -> Iterator[list[str]]:
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps(kwg_check.example_data("kwg8a-grey-zone-unknowns")))
    summary = tmp_path / "s.json"
    summary.write_text(
        json.dumps(
            kwg_check.dump_document(
                kwg_check.score_assessment(
                    kwg_check.parse_assessment(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
                )
            )
        )
    )
    response = tmp_path / "r.json"
    assert main(["fhir", "response", str(assessment), "-o", str(response)]) == 0
    lines = tmp_path / "in.jsonl"
    lines.write_bytes(example_line("kwg8a-grey-zone-unknowns") + b"\n")
    a = str(assessment)
    yield from (
        ["--help"],
        ["instruments"],
        ["examples"],
        ["example", "kwg8a-grey-zone-unknowns"],
        ["schema", "summary"],
        ["score", a],
        ["score", a, "--format", "json"],
        ["validate", a, "--format", "json"],
        ["describe", "kwg_8a"],
        ["report", a],
        ["diff", a, a],
        ["stats", str(summary)],
        ["fhir", "questionnaire", "kwg_8a"],
        ["fhir", "response", a],
        ["fhir", "import", str(response)],
        ["score-batch", str(lines)],
    )


@linux_only
def test_every_command_ends_a_full_standard_output_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in every_command(tmp_path):
        capsys.readouterr()
        with open("/dev/full", "w", encoding="utf-8") as full:
            monkeypatch.setattr("sys.stdout", full)
            code = main(argv)
            monkeypatch.undo()
        err = capsys.readouterr().err
        message = one_line_error(err)
        if argv[0] == "score-batch":
            assert (code, STOPPED.match(message) is not None) == (3, True), argv
        else:
            assert code == 2, argv
            assert message == (
                "kwg-check: error: Schreiben auf die Standardausgabe nicht möglich "
                "(No space left on device)\n"
            ), argv


@linux_only
def test_a_full_standard_output_in_a_real_process_is_one_line_without_a_traceback() -> None:
    """The interpreter's own flush at exit can fail too; main flushes first, then discards."""
    with open("/dev/full", "wb") as full:
        run = command("instruments", stdout=full)
    assert run.returncode == 2
    one_line_error(run.stderr)


def test_a_closed_pipe_ends_score_batch_quietly_with_141(scored: tuple[Path, bytes]) -> None:
    """``score-batch … | head -1``: no traceback, no message, the exit code of SIGPIPE."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kwg_check", "score-batch", str(scored[0]), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline().startswith(b'{"line":1,')
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


class _InterruptedReader(io.BytesIO):
    """Standard input where Ctrl-C arrives while line ``after + 1`` is read."""

    def __init__(self, data: bytes, after: int) -> None:
        super().__init__(data)
        self.left = after

    def readline(self, size: int | None = -1) -> bytes:
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().readline(size)


def test_ctrl_c_in_a_batch_is_exit_130_with_the_count_and_a_resumable_output(
    scored: tuple[Path, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, full = scored
    stdin = type("Stdin", (), {"buffer": _InterruptedReader(source.read_bytes(), 100)})()
    monkeypatch.setattr("sys.stdin", stdin)
    output = tmp_path / "out.jsonl"
    assert main(["score-batch", "-", "-o", str(output), "--jobs", "1"]) == 130
    message = one_line_error(capsys.readouterr().err)
    assert message.startswith("kwg-check: error: 64 Zeilen vor dem Abbruch geschrieben: ")
    assert "abgebrochen" in message
    assert not output.exists()
    assert (tmp_path / "out.jsonl.partial").read_bytes() == cut(full, 64, 0)
    # One job: the fake stdin above cannot be closed, which a forked worker does at start.
    assert main(["score-batch", str(source), "-o", str(output), "--resume", "--jobs", "1"]) == 1
    assert output.read_bytes() == full


def test_ctrl_c_in_any_command_is_exit_130_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("kwg_check._api.render_report", interrupted)  # imported on use
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps(kwg_check.example_data("kwg8a-grey-zone-unknowns")))
    report = tmp_path / "r.html"
    assert main(["report", str(assessment), "-o", str(report)]) == 130
    assert one_line_error(capsys.readouterr().err) == "kwg-check: abgebrochen\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


_score_chunk = _batch._score_chunk


def _die_in_the_second_chunk(chunk: list[tuple[int, bytes]]) -> list[_batch.BatchResult]:
    """A worker that dies (as if killed) when it gets the second chunk; pickled by name."""
    if chunk[0][0] > _batch.CHUNK_LINES:
        os._exit(9)
    return _score_chunk(chunk)


@linux_only
def test_a_killed_worker_stops_the_batch_with_exit_3_and_the_count(
    scored: tuple[Path, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(_batch, "_score_chunk", _die_in_the_second_chunk)
    output = tmp_path / "out.jsonl"
    assert main(["score-batch", str(scored[0]), "-o", str(output), "--jobs", "2"]) == 3
    message = one_line_error(capsys.readouterr().err)
    match = STOPPED.match(message)
    assert match is not None
    assert "ein Arbeitsprozess ist abgestürzt" in message
    assert int(match[1]) in (0, 64)
    assert not output.exists()


# -- 3. workers never outlive their parent -------------------------------------------------


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """A liveness bound, not a speed assertion: the machine may be slow and shared."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_their_parent_is_killed_and_the_old_output_survives(
    sig: signal.Signals, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(batch_input(2000))
    output = tmp_path / "out.jsonl"
    output.write_bytes(b"the complete results of an earlier run\n")
    partial = tmp_path / "out.jsonl.partial"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kwg_check",
            "score-batch",
            str(source),
            "-o",
            str(output),
            "--jobs",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        assert wait_until(lambda: partial.exists() and b"\n" in partial.read_bytes(), 120)
        workers = children(process.pid)
        assert len(workers) == 2
        process.send_signal(sig)
        process.wait(timeout=60)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 20)
        # Nothing holds the caller's stdout any more: a reader sees its end (`| tail` ends).
        assert process.stdout is not None
        assert select.select([process.stdout], [], [], 20)[0]
        assert process.stdout.read() == b""
    finally:
        process.kill()
        process.wait()
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert output.read_bytes() == b"the complete results of an earlier run\n"
    with partial.open("rb") as stream:
        point = _batch.resume_point(stream)
    # The kill may fall in the middle of a block's write: what counts is that the complete
    # lines written so far (at least the one waited for) are a run --resume continues.
    assert point.count.lines >= 1
