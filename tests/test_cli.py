"""The command line: exit codes, output shapes and the documents it prints.

Exit codes are a contract with other programs: 0 success, 1 invalid input or a verification
difference, 2 usage error.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kwg_check
from kwg_check.cli import _parser, main

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<file>[^:]+):(?P<pointer>[^:]*): (?P<code>[a-z][a-z0-9_.-]+): .+$")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def example(name: str) -> dict[str, kwg_check.JsonValue]:
    data = kwg_check.example_data(name)
    assert isinstance(data, dict)
    return data


def test_validate_accepts_every_bundled_instrument_and_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(str(p) for p in (ROOT / "src/kwg_check/data/instruments").glob("*.yaml"))
    files += [write(tmp_path, f"{e.name}.json", example(e.name)) for e in kwg_check.examples()]
    code, out, err = run(["validate", *files], capsys)
    assert (code, out) == (0, "")
    assert f"{len(files)} Dateien geprüft, 0 ungültig" in err


def test_validate_prints_one_line_per_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = example("kwg8a-no-need-preschool")
    broken["assessment_date"] = "2026-02-30"
    broken["surprise"] = True
    path = write(tmp_path, "broken.json", broken)
    code, out, _ = run(["validate", path], capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed)
    assert {(m["file"], m["pointer"]) for m in parsed if m} == {
        (path, "/assessment_date"),
        (path, "/surprise"),
    }


def test_validate_checks_assessments_against_their_instrument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = example("kwg8a-no-need-preschool")
    answers = data["answers"]
    assert isinstance(answers, dict)
    answers["no_such_item"] = {"level": "0"}
    code, out, _ = run(["validate", write(tmp_path, "a.json", data)], capsys)
    assert code == 1
    assert ":/answers/no_such_item: answer.unknown-item: " in out


def test_validate_json_format_reports_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.json", example("kwg8a-no-need-preschool"))
    bad = write(tmp_path, "bad.json", {"document_type": "summary"})
    code, out, _ = run(["validate", "--format", "json", good, bad], capsys)
    assert code == 1
    report = json.loads(out)
    assert [(r["file"], r["document_type"], r["valid"]) for r in report] == [
        (good, "assessment", True),
        (bad, "summary", False),
    ]
    assert all({"pointer", "code", "reason"} == set(p) for p in report[1]["problems"])


def test_validate_reports_unparseable_files_as_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 1
    assert f"{path}:: load.duplicate-key: " in out


@pytest.mark.parametrize(
    "argv",
    [["validate"], ["validate", "/no/such/file.json"], ["score"], ["frobnicate"], []],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exited:  # argparse exits by itself
        code = exited.code  # type: ignore[assignment]
    assert code == 2
    assert capsys.readouterr().err


@pytest.mark.parametrize("name", kwg_check.SCHEMA_NAMES)
def test_schema_prints_the_published_file(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema", name], capsys)
    assert code == 0
    assert out == (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


def test_score_json_is_a_valid_summary_and_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a.json", example("kwg8a-grey-zone-unknowns"))
    code, first, _ = run(["score", path, "--format", "json"], capsys)
    assert code == 0
    _, second, _ = run(["score", path, "--format", "json"], capsys)
    assert first == second
    summary = kwg_check.parse_summary(json.loads(first))
    assert summary.outcome.final == "latent"


def test_score_text_names_the_outcome_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a.json", example("kwg8a-acute-floor-despite-resources"))
    _, english, _ = run(["score", path, "--lang", "en"], capsys)
    _, german, _ = run(["score", path, "--lang", "de"], capsys)
    _, default, _ = run(["score", path], capsys)
    assert default == german  # the instrument's language
    assert "[acute]" in english
    assert "Outcome:" in english
    assert "Ergebnis:" in german


def test_score_rejects_an_invalid_assessment_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = example("kwg8a-no-need-preschool")
    data["instrument"] = {"id": "kwg_8a", "version": "9.9.9"}
    code, out, err = run(["score", write(tmp_path, "a.json", data)], capsys)
    assert code == 1
    assert out == ""
    assert "registry.unknown-instrument" in err


@pytest.mark.parametrize(
    "command",
    [
        ["score", "{good}", "--instrument", "{bad}"],
        ["validate", "{good}", "--instrument", "{bad}"],
        ["score-batch", "{good}", "--instrument", "{bad}"],
        ["verify", "{bad}", "{good}"],
        ["report", "{good}", "--previous", "{bad}"],
        ["diff", "{bad}", "{good}"],
    ],
    ids=lambda argv: argv[0],
)
def test_problems_of_a_file_are_printed_with_that_files_name(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case system's CI must see which of several input files is broken."""
    good = write(tmp_path, "good.json", example("kwg8a-no-need-preschool"))
    bad = write(tmp_path, "bad.json", {"document_type": "nonsense"})
    argv = [part.format(good=good, bad=bad) for part in command]
    code, _, err = run(argv, capsys)
    problems = [line for line in err.splitlines() if LINE.match(line)]
    assert code == 1
    assert problems
    assert all(line.startswith(f"{bad}:") for line in problems), problems


def test_verify_accepts_a_fresh_summary_and_reports_a_tampered_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assessment = write(tmp_path, "a.json", example("kwg8a-override-one-level-up"))
    _, out, _ = run(["score", assessment, "--format", "json"], capsys)
    stored = tmp_path / "summary.json"
    stored.write_text(out, encoding="utf-8")
    code, _, err = run(["verify", str(stored), assessment], capsys)
    assert code == 0
    assert "bestätigt" in err

    tampered = json.loads(out)
    tampered["outcome"]["final"] = "acute"
    path = write(tmp_path, "tampered.json", tampered)
    code, out, _ = run(["verify", path, assessment], capsys)
    assert code == 1
    assert f"{path}:/outcome/final: verify.difference: " in out


def test_instruments_lists_id_version_title_without_header(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["instruments"], capsys)
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert {row[0] for row in rows} == {
        "kwg_8a",
        "kwg_8a_musterstadt",
        "sdm_risk",
        "cans_needs",
        "spj_judgement",
    }
    # A new version is bundled beside the frozen one, never in its place.
    assert [row[1] for row in rows if row[0] == "kwg_8a"] == ["1.0.0", "1.1.0"]
    assert all(len(row) == 3 and re.fullmatch(r"\d+\.\d+\.\d+", row[1]) for row in rows)


def test_examples_lists_name_then_description(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["examples"], capsys)
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert [row[0] for row in rows] == [e.name for e in kwg_check.examples()]
    assert all(len(row) == 2 and row[1] for row in rows)


def test_example_prints_the_assessment_and_unknown_names_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["example", "kwg8a-no-need-preschool"], capsys)
    assert code == 0
    assert kwg_check.parse_assessment(json.loads(out)).document_type == "assessment"
    code, out, err = run(["example", "no-such-example"], capsys)
    assert (code, out) == (1, "")
    assert "example.unknown" in err


def test_describe_renders_a_bundled_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["describe", "kwg_8a", "--lang", "de"], capsys)
    assert code == 0
    assert out == (ROOT / "docs/instruments/kwg_8a.de.md").read_text(encoding="utf-8")


@pytest.mark.integration
def test_python_dash_m_runs_the_same_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kwg_check", "score", "-", "--format", "json"],
        input=json.dumps(example("kwg8a-no-need-preschool")).encode(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["document_type"] == "summary"


@pytest.mark.integration
def test_summary_bytes_are_identical_across_processes_and_hash_seeds() -> None:
    assessment = json.dumps(example("kwg8a-grey-zone-unknowns")).encode()
    outputs = set()
    for seed in ("0", "1", "4242"):
        result = subprocess.run(
            [sys.executable, "-m", "kwg_check", "score", "-", "--format", "json"],
            input=assessment,
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


# --- validate checks every document against its instrument (issue 12, items 5 and 6) -------


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [("version", "1.2.0", "known versions: 1.0.0, 1.1.0"), ("id", "kwg8a", "did you mean kwg_8a?")],
)
def test_validate_rejects_an_assessment_whose_instrument_is_unknown(
    key: str, value: str, hint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`score` fails on such a file, so `validate` must not pass it (a green CI, a red
    production); `--schema-only` gives the schema's verdict alone."""
    data = example("kwg8a-grey-zone-unknowns")
    reference = data["instrument"]
    assert isinstance(reference, dict)
    reference[key] = value
    path = write(tmp_path, "a.json", data)
    code, out, err = run(["validate", path], capsys)
    assert code == 1
    assert out.startswith(f"{path}:/instrument: registry.unknown-instrument: ")
    assert hint in out
    assert "kwg-check instruments" in out
    assert "1 Datei geprüft, 1 ungültig" in err
    code, out, _ = run(["validate", "--format", "json", path], capsys)
    assert code == 1
    assert [(r["valid"], r["problems"][0]["code"]) for r in json.loads(out)] == [
        (False, "registry.unknown-instrument")
    ]
    code, out, err = run(["validate", "--schema-only", path], capsys)
    assert (code, out) == (0, "")
    assert "1 Datei geprüft, 0 ungültig" in err


def _summary(name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> dict[str, object]:
    assessment = write(tmp_path, f"{name}.json", example(name))
    code, out, _ = run(["score", assessment, "--format", "json"], capsys)
    assert code == 0
    summary = json.loads(out)
    assert isinstance(summary, dict)
    return summary


def test_validate_checks_a_summary_against_its_instrument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary: Any = _summary("kwg8a-grey-zone-unknowns", capsys, tmp_path)
    good = write(tmp_path, "good.json", summary)
    summary["items"][0]["id"] = "no_such_item"
    summary["outcome"]["final"] = "no_such_outcome"
    bad = write(tmp_path, "bad.json", summary)
    summary = _summary("kwg8a-grey-zone-unknowns", capsys, tmp_path)
    summary["instrument"]["version"] = "1.2.0"
    unknown = write(tmp_path, "unknown.json", summary)
    code, out, err = run(["validate", good, bad, unknown], capsys)
    assert code == 1
    assert [line.split(": ")[0:2] for line in out.splitlines()] == [
        [f"{bad}:/outcome/final", "summary.unknown-reference"],
        [f"{bad}:/items/0/id", "summary.unknown-reference"],
        [f"{unknown}:/instrument", "registry.unknown-instrument"],
    ]
    assert "3 Dateien geprüft, 2 ungültig" in err
    code, out, _ = run(["validate", "--schema-only", good, bad, unknown], capsys)
    assert (code, out) == (0, "")


def test_validate_accepts_the_bundled_instrument_file_given_explicitly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundled = str(ROOT / "src/kwg_check/data/instruments/kwg_8a-1.1.0.yaml")
    code, out, err = run(["validate", bundled, "--instrument", bundled], capsys)
    assert (code, out) == (0, "")
    assert "1 Datei geprüft, 0 ungültig" in err


def test_a_different_instrument_with_a_known_id_and_version_names_both_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instrument = kwg_check.dump_document(kwg_check.InstrumentRegistry().get("kwg_8a"))
    instrument["title"] = {"de": "Geänderte Fassung", "en": "Changed copy"}
    changed = write(tmp_path, "changed.json", instrument)
    assessment = write(tmp_path, "a.json", example("kwg8a-grey-zone-unknowns"))
    code, out, err = run(["validate", assessment, "--instrument", changed], capsys)
    assert (code, out) == (1, "")
    assert err.startswith(f"{changed}:/id: registry.duplicate: ")
    assert "the bundled file kwg_8a-1.1.0.yaml and " + changed in err
    assert "Changed copy" not in err


def test_validate_knows_the_instruments_of_every_directory_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instrument = kwg_check.dump_document(kwg_check.InstrumentRegistry().get("kwg_8a"))
    instrument["id"] = "office_variant"
    (tmp_path / "instruments").mkdir()
    write(tmp_path / "instruments", "office_variant.json", instrument)
    data = example("kwg8a-grey-zone-unknowns")
    data["instrument"] = {"id": "office_variant", "version": "1.1.0"}
    assessment = write(tmp_path, "a.json", data)
    code, out, _ = run(["validate", assessment], capsys)
    assert code == 1
    assert "registry.unknown-instrument" in out
    directory = str(tmp_path / "instruments")
    code, out, _ = run(["validate", assessment, "--instruments", directory], capsys)
    assert (code, out) == (0, "")
    code, _, err = run(["validate", assessment, "--instruments", str(tmp_path / "no")], capsys)
    assert code == 2
    assert "Verzeichnis nicht gefunden" in err


# --- verify compares empty lists as values (issue 12, item 7) -------------------------------


@pytest.mark.parametrize("direction", ["stored empty", "recomputed empty"])
def test_verify_shows_an_emptied_list_as_one_difference_with_both_values(
    direction: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "kwg8a-grey-zone-unknowns"
    summary: Any = _summary(name, capsys, tmp_path)
    clarify = summary["unknowns"]["clarify_first"]
    assert len(clarify) > 1
    if direction == "stored empty":
        summary["unknowns"]["clarify_first"], stored, recomputed = [], [], clarify
    else:  # an assessment with nothing unknown, whose stored summary claims something is
        name = "kwg8a-no-need-preschool"
        summary = _summary(name, capsys, tmp_path)
        assert summary["unknowns"]["clarify_first"] == []
        summary["unknowns"]["clarify_first"], stored, recomputed = clarify, clarify, []
    path = write(tmp_path, "s.json", summary)
    code, out, err = run(["verify", path, str(tmp_path / f"{name}.json")], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{path}:/unknowns/clarify_first: verify.difference: "
        f"stored {json.dumps(stored)}, recomputed {json.dumps(recomputed)}"
    ]
    assert "1 Abweichung" in err


# --- messages that named the wrong thing (issue 12, item 8) ---------------------------------


@pytest.mark.parametrize(
    "argv",
    [["score", "{dir}"], ["verify", "{dir}", "{dir}"], ["report", "{dir}"], ["describe", "{dir}"]],
    ids=lambda argv: argv[0],
)
def test_a_directory_where_one_file_is_expected_is_a_usage_error(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([part.format(dir=tmp_path) for part in argv], capsys)
    assert (code, out) == (2, "")
    assert f"{tmp_path}: ist ein Verzeichnis" in err
    assert "Datei nicht gefunden" not in err


def test_an_unknown_instrument_id_on_the_command_line_suggests_the_closest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["describe", "kwg8a"], capsys)
    assert (code, out) == (1, "")
    assert err.startswith("kwg-check: registry.unknown-instrument: no instrument kwg8a is known")
    assert "did you mean kwg_8a?" in err
    assert "`kwg-check instruments`" in err
    assert not err.startswith("-:")


@pytest.mark.parametrize(
    ("argv", "expected", "got"),
    [
        (["verify", "{a}", "{a}"], "a summary", "an assessment"),
        (["verify", "{s}", "{s}"], "an assessment", "a summary"),
        (["score", "{s}"], "an assessment", "a summary"),
        (["report", "{s}"], "an assessment", "a summary"),
        (["score", "{a}", "--instrument", "{a}"], "an instrument", "an assessment"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_document_of_another_kind_is_one_problem(
    argv: list[str],
    expected: str,
    got: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = "kwg8a-grey-zone-unknowns"
    summary = write(tmp_path, "s.json", _summary(name, capsys, tmp_path))
    assessment = str(tmp_path / f"{name}.json")
    code, out, err = run([part.format(a=assessment, s=summary) for part in argv], capsys)
    assert (code, out) == (1, "")
    assert err.splitlines()[0].endswith(
        f":/document_type: document.wrong-type: expected {expected}, got {got}"
    )
    assert len(err.splitlines()) == 1


def _office_instrument(tmp_path: Path) -> tuple[str, str]:
    """A directory with an office's own instrument (office_variant 1.1.0) and an assessment
    that refers to it: ``(directory, assessment file)``."""
    instrument = kwg_check.dump_document(kwg_check.InstrumentRegistry().get("kwg_8a"))
    instrument["id"] = "office_variant"
    (tmp_path / "instruments").mkdir()
    write(tmp_path / "instruments", "office_variant.json", instrument)
    data = example("kwg8a-grey-zone-unknowns")
    data["instrument"] = {"id": "office_variant", "version": "1.1.0"}
    return str(tmp_path / "instruments"), write(tmp_path, "a.json", data)


def _line_file(tmp_path: Path, assessment: str) -> str:
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps(json.loads(Path(assessment).read_text("utf-8"))).encode() + b"\n")
    return str(path)


def _commands_with_instrument() -> dict[str, list[str]]:
    """Every command (and fhir subcommand) with ``--instrument``, by its words."""
    found: dict[str, list[str]] = {}

    def walk(parser: Any, words: list[str]) -> None:
        for action in parser._actions:
            if "--instrument" in action.option_strings:
                found[" ".join(words)] = [a.dest for a in parser._actions]
            if action.choices and hasattr(action, "_name_parser_map"):
                for name, sub in action.choices.items():
                    walk(sub, [*words, name])

    walk(_parser(), [])
    return found


def test_every_command_with_instrument_also_takes_instrument_directories() -> None:
    commands = _commands_with_instrument()
    assert set(commands) >= {
        "validate", "score", "verify", "report", "diff", "score-batch", "fhir response",
        "fhir import",
    }  # fmt: skip
    for name, destinations in commands.items():
        assert "instruments" in destinations, name


@pytest.mark.parametrize(
    "command",
    ["score", "verify", "report", "diff", "score-batch", "fhir response", "fhir import"],
)
def test_instrument_directories_are_looked_up_by_every_command(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without ``--instruments`` the office's instrument is unknown (exit 1); with it the
    command finds it by the document's reference and succeeds (exit 0)."""
    directory, assessment = _office_instrument(tmp_path)
    summary = str(tmp_path / "summary.json")
    assert main(["score", assessment, "--format", "json", "--instruments", directory]) == 0
    Path(summary).write_text(capsys.readouterr().out, encoding="utf-8")
    response = str(tmp_path / "response.json")
    assert main(["fhir", "response", assessment, "-o", response, "--instruments", directory]) == 0
    argv = {
        "score": ["score", assessment],
        "verify": ["verify", summary, assessment],
        "report": ["report", assessment, "--format", "md"],
        "diff": ["diff", assessment, assessment],
        "score-batch": ["score-batch", _line_file(tmp_path, assessment)],
        "fhir response": ["fhir", "response", assessment],
        "fhir import": ["fhir", "import", response],
    }[command]
    capsys.readouterr()
    code, out, err = run(argv, capsys)
    assert code == 1
    assert "registry.unknown-instrument" in out + err
    code, out, err = run([*argv, "--instruments", directory, "--instruments", directory], capsys)
    assert code == 0, err
    assert "registry.unknown-instrument" not in out + err


@pytest.mark.parametrize(
    "command", ["validate", "score", "diff", "score-batch", "report", "fhir response"]
)
def test_given_instruments_that_do_not_match_the_reference_are_named(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Instruments were given but none is the one the assessment names: the message says
    so and names both (it said "pass the instrument file" although one was passed)."""
    directory, _ = _office_instrument(tmp_path)
    data = example("kwg8a-grey-zone-unknowns")
    data["instrument"] = {"id": "other_office", "version": "2.0.0"}
    assessment = write(tmp_path, "other.json", data)
    argv = {
        "validate": ["validate", assessment],
        "score": ["score", assessment],
        "diff": ["diff", assessment, assessment],
        "score-batch": ["score-batch", _line_file(tmp_path, assessment)],
        "report": ["report", assessment],
        "fhir response": ["fhir", "response", assessment],
    }[command]
    for given in (
        ["--instruments", directory],
        ["--instrument", f"{directory}/office_variant.json"],
    ):
        if command not in ("validate", "diff", "score-batch") and given[0] == "--instrument":
            continue  # one instrument for the document itself: instrument.mismatch, below
        code, out, err = run([*argv, *given], capsys)
        assert code == 1
        assert "registry.unknown-instrument" in out + err
        assert (
            "no instrument other_office version 2.0.0 is known: the given instrument file(s) "
            "(office_variant 1.1.0) do not match the instrument reference other_office "
            "version 2.0.0"
        ) in out + err
        assert "pass the instrument file" not in out + err


def test_an_instrument_file_that_does_not_match_the_assessment_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = _office_instrument(tmp_path)
    assessment = write(tmp_path, "a.json", example("kwg8a-grey-zone-unknowns"))
    code, _, err = run(
        ["score", assessment, "--instrument", f"{directory}/office_variant.json"], capsys
    )
    assert code == 1
    assert "instrument.mismatch" in err
    assert "'kwg_8a'" in err
    assert "'office_variant'" in err
    assert "pass the instrument file" not in err


def test_diff_and_report_previous_work_on_the_bundled_reassessment_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's commands: two `kwg-check example` outputs, then diff and report."""
    files = {}
    for name in ("kwg8a-grey-zone-unknowns", "kwg8a-grey-zone-follow-up"):
        code, out, _ = run(["example", name], capsys)
        assert code == 0
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(out, encoding="utf-8")
    old, new = str(files["kwg8a-grey-zone-unknowns"]), str(files["kwg8a-grey-zone-follow-up"])
    code, out, err = run(["diff", old, new, "--lang", "en"], capsys)
    assert (code, err) == (0, "")
    assert out.split("\n\n")[1].splitlines()[:3] == [
        "Outcome unchanged: Latent endangerment.",
        "The outcomes the unknowns allow narrowed: before Latent endangerment to Acute "
        "endangerment; now Latent endangerment.",
        "Parents: now involved.",
    ]
    report = tmp_path / "report.html"
    code, _, err = run(["report", new, "--previous", old, "-o", str(report)], capsys)
    assert (code, err) == (0, "")
    html = report.read_text(encoding="utf-8")
    assert "Ergebnis unverändert: <bdi>Latente Gefährdung</bdi>." in html
    assert html.index("Auf einen Blick") < html.index("Alle Veränderungen")
