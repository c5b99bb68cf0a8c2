"""The recipes of docs/integration.md, run the way another system's CI would run them.

Each recipe must accept the bundled documents, reject a broken one with exit code 1, and never
print the broken document's free text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kwg_check import JsonValue, cli, example_data
from tool_support import ROOT, require, require_module, require_node_package

INSTRUMENTS = ROOT / "src" / "kwg_check" / "data" / "instruments"
SECRET = "Confidential observation 4711"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "kwg_check tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "kwg_check tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
}


def _broken_assessment() -> dict[str, JsonValue]:
    """An assessment missing its date and carrying an unknown field with free text."""
    data = example_data("kwg8a-grey-zone-unknowns")
    assert isinstance(data, dict)
    broken = {key: value for key, value in data.items() if key != "assessment_date"}
    broken["observation"] = SECRET
    return broken


def _write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _run(command: list[str], cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a tool as CI would: no stdin, and without this checkout's sources on PYTHONPATH
    (the tools must find kwg_check, if at all, where they installed it themselves)."""
    inherited = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**inherited, **env},
        stdin=subprocess.DEVNULL,
    )


# --- kwg-check validate DIRECTORY -----------------------------------------------------------


def test_validate_a_directory_checks_every_document_below_it_in_sorted_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(INSTRUMENTS / "kwg_8a.yaml", tmp_path / "b.yaml")
    _write(tmp_path / "a" / "deep" / "z.json", example_data("kwg8a-no-need-preschool"))
    _write(tmp_path / "a" / "broken.json", _broken_assessment())
    (tmp_path / "a" / "c.yml").write_text("document_type: summary\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a document", encoding="utf-8")
    code = cli.main(["validate", "--format", "json", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    files = [Path(entry["file"]).relative_to(tmp_path).as_posix() for entry in report]
    assert files == ["a/broken.json", "a/c.yml", "a/deep/z.json", "b.yaml"]
    assert [entry["valid"] for entry in report] == [False, False, True, True]
    assert SECRET not in json.dumps(report)


def test_validate_a_directory_of_valid_documents_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in INSTRUMENTS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    code = cli.main(["validate", str(tmp_path), str(INSTRUMENTS / "kwg_8a.yaml")])
    assert code == 0
    count = len(list(INSTRUMENTS.glob("*.yaml"))) + 1
    assert f"{count} Dateien geprüft, 0 ungültig" in capsys.readouterr().err


def test_validate_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", str(tmp_path / "no-such-directory")]) == 2
    assert "Datei nicht gefunden" in capsys.readouterr().err


# --- check-jsonschema -----------------------------------------------------------------------


def test_check_jsonschema_accepts_the_bundled_documents_and_rejects_a_broken_one(
    tmp_path: Path,
) -> None:
    """check-jsonschema reads YAML too, so instrument files are checked as they are."""
    require_module("check_jsonschema")
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile"]
    for kind in ("instrument", "instrument_variant"):
        files = sorted(
            str(path)
            for path in INSTRUMENTS.glob("*.yaml")
            if f"\ndocument_type: {kind}\n" in path.read_text(encoding="utf-8")
        )
        assert files
        result = _run([*command, f"schemas/{kind}.schema.json", *files])
        assert result.returncode == 0, result.stdout + result.stderr
    good = _write(tmp_path / "good.json", example_data("kwg8a-grey-zone-unknowns"))
    result = _run([*command, "schemas/assessment.schema.json", str(good)])
    assert result.returncode == 0, result.stdout + result.stderr
    broken = _write(tmp_path / "broken.json", _broken_assessment())
    result = _run([*command, "schemas/assessment.schema.json", str(good), str(broken)])
    assert result.returncode == 1
    assert "assessment_date" in result.stdout


# --- ajv --------------------------------------------------------------------------------------


def test_ajv_script_exit_codes_and_problem_lines(tmp_path: Path) -> None:
    require_node_package("ajv")
    script = str(ROOT / "integrations" / "ajv" / "validate.mjs")
    good = _write(tmp_path / "good.json", example_data("kwg8a-grey-zone-unknowns"))
    broken = _write(tmp_path / "broken.json", _broken_assessment())
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text("{" + SECRET, encoding="utf-8")

    result = _run(["node", script, "schemas/assessment.schema.json", str(good)])
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert "1 Datei geprüft, 0 ungültig" in result.stderr

    files = [str(good), str(broken), str(unreadable)]
    result = _run(["node", script, "schemas/assessment.schema.json", *files])
    assert result.returncode == 1
    assert f"{broken}:: ajv.required: must have required property 'assessment_date'" in (
        result.stdout
    )
    assert f"{unreadable}:: ajv.unreadable:" in result.stdout
    assert str(good) not in result.stdout
    assert SECRET not in result.stdout + result.stderr

    assert _run(["node", script, "schemas/assessment.schema.json"]).returncode == 2


# --- pre-commit -------------------------------------------------------------------------------


def _git(*args: str, cwd: Path) -> None:
    result = _run(["git", *args], cwd=cwd, **GIT_IDENTITY)
    assert result.returncode == 0, result.stderr


def _hook_repository(target: Path) -> str:
    """A git repository with what pre-commit installs from this one; returns its commit."""
    for name in ("src", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    _git("init", "--quiet", cwd=target)
    _git("add", "--all", cwd=target)
    _git("commit", "--quiet", "--message", "hook", cwd=target)
    head = _run(["git", "rev-parse", "HEAD"], cwd=target)
    return head.stdout.strip()


def _documented_config(repository: Path, rev: str) -> str:
    """The first .pre-commit-config.yaml of docs/integration.md (validation; the second adds
    the version-bump hook, tested in test_instrument_diff), pointed at ``repository``."""
    page = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
    config, *_ = [
        block
        for block in re.findall(r"^```yaml\n(.*?)^```$", page, flags=re.DOTALL | re.MULTILINE)
        if block.startswith("# .pre-commit-config.yaml")
    ]
    config = re.sub(r"(?m)^(\s*- repo: ).*$", rf"\g<1>{repository.as_posix()}", config)
    return re.sub(r"(?m)^(\s*rev: ).*$", rf"\g<1>{rev}", config)


def test_pre_commit_hook_of_this_repository_in_a_consumer_repository(tmp_path: Path) -> None:
    """The documented config with this repository's hook: valid files pass; an invalid one
    fails with exit 1; files outside the configured folders are not checked. The hook
    environment is built once (it needs the package registry) and reused by the second run."""
    require_module("pre_commit")
    require(shutil.which("git") is not None, "git")
    hook_repo, consumer = tmp_path / "hook", tmp_path / "consumer"
    hook_repo.mkdir()
    consumer.mkdir()
    rev = _hook_repository(hook_repo)
    (consumer / ".pre-commit-config.yaml").write_text(
        _documented_config(hook_repo, rev), encoding="utf-8"
    )
    (consumer / "instruments").mkdir()
    shutil.copy(INSTRUMENTS / "kwg_8a.yaml", consumer / "instruments" / "ours.yaml")
    _write(consumer / "assessments" / "a.json", example_data("kwg8a-grey-zone-unknowns"))
    _write(consumer / "package.json", {"name": "not a kwg_check document"})
    _git("init", "--quiet", cwd=consumer)
    _git("add", "--all", cwd=consumer)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), **GIT_IDENTITY}

    result = _run(pre_commit, cwd=consumer, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout

    _write(consumer / "assessments" / "broken.json", _broken_assessment())
    _git("add", "--all", cwd=consumer)
    result = _run(pre_commit, cwd=consumer, **env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "assessments/broken.json:: schema.required:" in result.stdout
    assert "package.json" not in result.stdout
    assert SECRET not in result.stdout


def test_pre_commit_hook_definition_runs_kwg_check_validate_on_json_and_yaml() -> None:
    """What other repositories get: the command, the file types, the id the docs name."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["kwg-check-validate", "kwg-check-instrument-version"]
    hook = hooks[0]
    assert hook["entry"] == "kwg-check validate"
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"json", "yaml"}
    assert hook.get("pass_filenames", True) is True
