"""The documentation site: it builds in strict mode, its generated pages are current, and what
it shows (the authoring guide's instrument, the Python snippets, the API reference) is real."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import kwg_check
from kwg_check.cli import _parser
from tool_support import ROOT, load_tool, require, require_module

DOCS = ROOT / "docs"
SCHEMA_COMMENT = (
    "# yaml-language-server: $schema=https://schemas.kwg-check.de/v1/instrument.schema.json"
)


def _tool() -> ModuleType:
    return load_tool("generate_reference")


def _fences(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    for action in _parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("kwg-check has no subcommands")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once in strict mode: any warning (broken link, page missing from the
    nav, unknown anchor, undocumented reference) fails the build."""
    require_module("mkdocs")
    require_module("mkdocstrings_handlers.python")
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return target


def test_site_builds_in_strict_mode_with_every_page(site: Path) -> None:
    """Every Markdown page of docs/ becomes an HTML page (the nav must list them all)."""
    pages = sorted(path.relative_to(DOCS).with_suffix(".html") for path in DOCS.rglob("*.md"))
    assert pages
    for page in pages:
        assert (site / page).is_file(), page


def test_python_reference_documents_every_public_name(site: Path) -> None:
    """mkdocstrings hides members without a docstring, so a missing anchor means undocumented."""
    html = (site / "reference" / "python.html").read_text(encoding="utf-8")
    missing = [name for name in kwg_check.__all__ if f'id="kwg_check.{name}"' not in html]
    assert not missing, f"not documented in the API reference: {missing}"


def test_concepts_page_shows_the_flow_diagram_without_scripts(site: Path) -> None:
    html = (site / "concepts.html").read_text(encoding="utf-8")
    assert 'src="images/flow.svg"' in html
    svg = (site / "images" / "flow.svg").read_text(encoding="utf-8")
    assert "<script" not in svg
    assert "http://www.w3.org/2000/svg" in svg


def test_generated_reference_pages_are_up_to_date() -> None:
    """Run `python tools/generate_reference.py` after changing a schema or the CLI."""
    stale = _tool().stale_pages()
    assert not stale, f"regenerate with tools/generate_reference.py: {stale}"


@pytest.mark.parametrize("name", kwg_check.SCHEMA_NAMES)
def test_schema_reference_lists_every_field_of_every_definition(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    page: str = _tool().schemas_page()
    section = page.split(f"## {name.capitalize()} {{#{name}}}", 1)[1].split("\n## ", 1)[0]
    objects: list[tuple[str, Any]] = [("", schema), *schema["$defs"].items()]
    for definition, node in objects:
        if definition:
            heading = f"### {name}: {definition.rstrip('_')} "
            assert heading in section, heading
            block = section.split(heading, 1)[1].split("\n### ", 1)[0]
        else:
            block = section.split("\n### ", 1)[0]
        for field in node.get("properties", {}):
            rows = [line for line in block.splitlines() if line.startswith(f"| `/{field}` |")]
            assert len(rows) == 1, (name, definition, field)
            required = field in node.get("required", ())
            assert rows[0].split(" | ")[2] == ("yes" if required else ""), rows[0]


def test_cli_reference_holds_the_help_of_every_subcommand() -> None:
    page: str = _tool().cli_page()
    for name in _subcommands():
        assert f"## `kwg-check {name}`" in page
        assert f"usage: kwg-check {name}" in page


def test_every_subcommand_help_ends_with_an_example() -> None:
    """Also covers commands added later: each must show how it is called."""
    for name, sub in _subcommands().items():
        epilog = sub.epilog or ""
        assert epilog.startswith("example:\n  kwg-check "), name
        assert f"kwg-check {name}" in epilog, name


def test_python_dash_m_help_equals_the_console_script_help() -> None:
    script = Path(sys.executable).parent / "kwg-check"
    require(script.is_file(), "the kwg-check console script (pip install .)")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    outputs = [
        subprocess.run(
            command, capture_output=True, text=True, check=True, env=env, cwd=ROOT
        ).stdout
        for command in ([str(script), "--help"], [sys.executable, "-m", "kwg_check", "--help"])
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith("usage: kwg-check ")


def test_authoring_guide_builds_a_valid_instrument_and_the_promised_summary() -> None:
    """The YAML blocks of the guide, joined in order, are the complete instrument; the JSON
    block is an assessment whose summary says what the guide's last paragraph says."""
    source = "".join(_fences("authoring.md", "yaml"))
    assert source.startswith(SCHEMA_COMMENT)
    instrument = kwg_check.parse_instrument(kwg_check.load_json(source.encode()))
    compiled = kwg_check.compile_instrument(instrument)
    (assessment_text,) = _fences("authoring.md", "json")
    data = json.loads(assessment_text)
    assert kwg_check.validate_document(data, registry=_registry(instrument)) == []
    summary = kwg_check.score_assessment(kwg_check.parse_assessment(data), compiled)
    document: Any = kwg_check.dump_document(summary)
    assert document["outcome"]["computed"] == "clarify"
    assert document["indices"] == [{"id": "care_load", "value": "3", "band": "high"}]
    assert document["unknowns"]["items"] == ["injuries"]
    assert document["unknowns"]["clarify_first"] == ["injuries"]
    assert document["unknowns"]["range"] == {
        "lowest": "clarify",
        "highest": "endangerment",
        "method": "exact_monotone",
    }
    checks = {check["id"]: check["result"] for check in document["process_checks"]}
    assert checks == {"several-professionals": "pass", "specialist": "fail"}


def _registry(instrument: kwg_check.Instrument) -> kwg_check.InstrumentRegistry:
    registry = kwg_check.InstrumentRegistry(bundled=False)
    registry.add(instrument)
    return registry


def test_python_snippets_of_the_getting_started_page_run() -> None:
    snippets = _fences("index.md", "python")
    assert snippets
    for snippet in snippets:
        exec(compile(snippet, "docs/index.md", "exec"), {})


def test_command_line_walkthrough_of_the_getting_started_page_runs(tmp_path: Path) -> None:
    """Each command of the walk-through succeeds, in order, in an empty directory."""
    script = Path(sys.executable).parent / "kwg-check"
    require(script.is_file(), "the kwg-check console script (pip install .)")
    (walkthrough,) = [block for block in _fences("index.md", "sh") if "kwg-check verify" in block]
    env = {**os.environ, "PATH": f"{script.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "bestätigt" in result.stderr
    assert json.loads((tmp_path / "summary.json").read_text())["document_type"] == "summary"


def test_every_bundled_yaml_instrument_names_the_published_schema_for_editors() -> None:
    files = sorted((ROOT / "src" / "kwg_check" / "data" / "instruments").glob("*.y*ml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = kwg_check.load_json(path)["document_type"]  # type: ignore[index, call-overload]
        assert first == SCHEMA_COMMENT.replace("instrument.", f"{kind}."), path.name
    assert SCHEMA_COMMENT.endswith(
        json.loads((ROOT / "schemas" / "instrument.schema.json").read_text())["$id"]
    )
