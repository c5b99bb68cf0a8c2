"""A quick start-up: each command imports what it uses, nothing else (issue 17).

A pre-commit hook runs ``kwg-check validate`` once per call, so what the process imports
is behaviour: these tests check which modules a fresh interpreter has loaded, never how
long it took (the ratio to ``python -c pass`` is in ``benchmarks/bench.py``).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import kwg_check
from kwg_check import _registry, cli

pytestmark = pytest.mark.integration

PACKAGE = Path(kwg_check.__file__).resolve().parent
EXAMPLE = PACKAGE / "data" / "examples" / "kwg_8a" / "kwg8a-grey-zone-unknowns.json"

HEAVY = (
    "jsonschema",
    "referencing",
    "multiprocessing",
    "concurrent.futures",
    "tqdm",
    "kwg_check._api",
    "kwg_check._batch",
    "kwg_check._views",
    "kwg_check._vocabulary",
    "kwg_check._instrument_diff",
    "kwg_check._engine._score",
    "kwg_check._engine._range",
    "kwg_check._engine._bounds",
    "kwg_check._engine._lint",
    "kwg_check._model.summary",
    "yaml",
)
"""Modules ``validate`` does not use: schema validation by jsonschema (tests only), the
batch workers and their progress bar, the front door with its renderers, scoring with
its ranges (checking a document scores nothing) and the summary model, lint (for
instruments only), and PyYAML (the file is JSON, the bundled instrument is read from its
JSON twin)."""


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(run.stdout.splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_validate_imports_no_module_it_does_not_use() -> None:
    code = f"from kwg_check.cli import main\nassert main(['validate', {str(EXAMPLE)!r}]) == 0\n"
    assert _heavy(_loaded_after(code)) == []


def test_help_imports_no_module_it_does_not_use() -> None:
    code = (
        "from kwg_check.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    )
    assert _heavy(_loaded_after(code)) == []


def test_help_builds_no_model() -> None:
    """``--help`` needs the command names and their options, no document model."""
    code = (
        "from kwg_check.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    )
    loaded = _loaded_after(code)
    assert "pydantic" not in loaded
    models = sorted(m for m in loaded if m.startswith("kwg_check._model."))
    assert models == ["kwg_check._model._patterns"]
    assert sorted(m for m in loaded if m.startswith("kwg_check._engine")) == []


def test_importing_the_package_imports_no_submodule() -> None:
    loaded = _loaded_after("import kwg_check")
    assert sorted(m for m in loaded if m.startswith("kwg_check.")) == ["kwg_check._version"]
    assert "pydantic" not in loaded


def test_a_name_from_the_package_loads_its_module_and_is_presented_as_public() -> None:
    code = (
        "import kwg_check\n"
        "data = kwg_check.example_data('kwg8a-no-need-preschool')\n"
        "assessment = kwg_check.parse_assessment(data)\n"
        "assert type(assessment).__module__ == 'kwg_check', type(assessment).__module__\n"
        "assert kwg_check.parse_assessment.__module__ == 'kwg_check'\n"
    )
    assert "kwg_check._views" not in _loaded_after(code)


def _type_checking_imports(init: Path = PACKAGE / "__init__.py") -> dict[str, str]:
    """Name → module of the imports a package's ``__init__.py`` shows type checkers."""
    tree = ast.parse(init.read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    return {
        alias.name: "." * node.level + (node.module or "")
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_lazy_table_agrees_with_the_imports_type_checkers_see() -> None:
    homes: dict[str, str] = kwg_check._HOMES
    assert homes == _type_checking_imports()
    assert set(homes) == set(kwg_check.__all__) - {"__version__"}


@pytest.mark.parametrize("package", ["_model", "_engine"])
def test_the_lazy_subpackages_agree_with_the_imports_type_checkers_see(package: str) -> None:
    module = importlib.import_module(f"kwg_check.{package}")
    homes: dict[str, str] = module._HOMES
    assert homes == _type_checking_imports(PACKAGE / package / "__init__.py")
    assert set(homes) <= set(module.__all__)
    for name in homes:  # each name resolves to the object its module defines
        assert getattr(module, name) is getattr(
            importlib.import_module(homes[name], module.__name__), name
        )


def test_the_bundled_registry_reads_only_the_instrument_it_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[str] = []
    bundled_document = _registry.bundled_document

    def counting(path: Path) -> object:
        read.append(Path(path).name)
        return bundled_document(path)

    monkeypatch.setattr(_registry, "bundled_document", counting)
    registry = kwg_check.InstrumentRegistry()
    assert read == []
    registry.compiled("kwg_8a", "1.0.0")
    assert read == ["kwg_8a.yaml"]  # the file of that version only
    registry.compiled("kwg_8a", "1.1.0")
    assert read == ["kwg_8a.yaml", "kwg_8a-1.1.0.yaml"]
    read.clear()
    registry.compiled("kwg_8a", "1.1.0")
    registry.compiled("kwg_8a", "1.0.0")
    registry.compiled("kwg_8a")  # the highest version: every file of the id, read already
    assert read == []
    assert sorted({entry.id for entry in registry.entries()}) == [
        "cans_needs",
        "kwg_8a",
        "kwg_8a_musterstadt",
        "sdm_risk",
        "spj_judgement",
    ]
    assert sorted(read) == sorted(
        p.name
        for p in (PACKAGE / "data" / "instruments").iterdir()
        if _registry.bundled_id(p) != "kwg_8a"
    )


def test_every_bundled_instrument_file_is_named_after_its_instrument() -> None:
    """The registry finds a bundled instrument by its file name (see ``_read``): ``ID.yaml``
    for the first version, ``ID-VERSION.yaml`` beside it for later ones."""
    for path in sorted((PACKAGE / "data" / "instruments").iterdir()):
        document = kwg_check.load_document(path)
        assert isinstance(document, kwg_check.Instrument | kwg_check.InstrumentVariant)
        assert "-" not in document.id
        assert path.stem in (document.id, f"{document.id}-{document.version}")
        assert _registry.bundled_id(path) == document.id


def test_a_copy_of_a_bundled_instrument_is_known_once_before_and_after_reading(
    tmp_path: Path,
) -> None:
    """Adding a user's instrument compares it with the bundled namesake not read yet."""
    source = PACKAGE / "data" / "instruments" / "sdm_risk.yaml"
    (tmp_path / "copy.yaml").write_bytes(source.read_bytes())
    registry = kwg_check.InstrumentRegistry([tmp_path])
    assert [e.id for e in registry.entries()].count("sdm_risk") == 1
    changed = kwg_check.dump_document(kwg_check.load_instrument(source))
    assert isinstance(changed, dict)
    changed["title"] = {"de": "Anders", "en": "Different"}
    (tmp_path / "copy.yaml").write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(kwg_check.DocumentError) as raised:
        kwg_check.InstrumentRegistry([tmp_path])
    assert raised.value.problems[0].code == "registry.duplicate"


def _typed(value: object) -> object:
    """A JSON value with the type of every scalar beside it (``1`` and ``1.0`` differ)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "data" / "instruments").iterdir()), ids=lambda p: p.name
)
def test_a_bundled_instrument_reads_the_same_from_its_json_twin(path: Path) -> None:
    from kwg_check._io import load_path

    twin = _registry.parsed_twin(path)
    assert twin.is_file(), "run: python tools/bundle_instruments.py"
    assert twin.read_text(encoding="utf-8") == _registry.twin_text(
        path.read_bytes(), load_path(path)
    ), "run: python tools/bundle_instruments.py"
    assert _typed(_registry.bundled_value(path)) == _typed(load_path(path))


def test_the_twins_are_current_and_none_is_left_over() -> None:
    # The checkout's tool over the checkout's files (the package may be installed elsewhere).
    script = Path(__file__).resolve().parent.parent / "tools" / "bundle_instruments.py"
    run = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr


def test_a_twin_not_made_from_the_file_is_ignored(tmp_path: Path) -> None:
    """An edited bundled file is read itself, never shadowed by the twin of its old bytes."""
    (tmp_path / "instruments").mkdir()
    (tmp_path / "parsed").mkdir()
    source = tmp_path / "instruments" / "x.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    twin = _registry.parsed_twin(source)
    assert twin == tmp_path / "parsed" / "x.yaml.json"
    twin.write_text(_registry.twin_text(b"a: 2\n", {"a": 2}), encoding="utf-8")
    assert _registry.bundled_value(source) == {"a": 1}
    twin.write_text(_registry.twin_text(source.read_bytes(), {"a": 3}), encoding="utf-8")
    assert _registry.bundled_value(source) == {"a": 3}  # a matching twin is what is read
    twin.unlink()
    assert _registry.bundled_value(source) == {"a": 1}


def test_the_models_read_their_field_descriptions_only_when_asked() -> None:
    """Reading every class's source for the attribute docstrings was ~40 % of building the
    models; only the schema generator needs them (it calls ``describe_fields`` first)."""
    field = "from kwg_check._model.assessment import Assessment\n"
    field += "print(repr(Assessment.model_fields['document_type'].description))\n"
    run = [sys.executable, "-c"]
    plain = subprocess.run([*run, field], capture_output=True, text=True, check=True)
    assert plain.stdout.strip() == "None"
    described = "from kwg_check._model import describe_fields\ndescribe_fields()\n" + field
    asked = subprocess.run([*run, described], capture_output=True, text=True, check=True)
    assert asked.stdout.strip() not in ("", "None")
    late = "import kwg_check._model.assessment\nfrom kwg_check._model import describe_fields\n"
    late += "describe_fields()\n"
    refused = subprocess.run([*run, late], capture_output=True, text=True, check=False)
    assert refused.returncode != 0
    assert "before the models are imported" in refused.stderr


def test_a_schema_generated_without_the_descriptions_is_refused() -> None:
    code = (
        "from kwg_check._schema import render_schema, SchemaGenerationError\n"
        "try:\n    render_schema('assessment')\nexcept SchemaGenerationError as error:\n"
        "    print(error.problems[0].code)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "schema.not-portable"


def _parsed(
    parse: Callable[[list[str]], argparse.Namespace], argv: list[str]
) -> tuple[str, str, object]:
    """What parsing ``argv`` prints on stdout and stderr, and the exit code or arguments."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(parse(argv))
        except SystemExit as stop:
            result = stop.code
    return out.getvalue(), err.getvalue(), result


def _command_lines() -> list[list[str]]:
    """Each command and sub-command, with ``--help``, an unknown option and no argument."""
    full = cli._parser()
    lines: list[list[str]] = []
    for action in full._subparsers._group_actions if full._subparsers else []:
        assert isinstance(action, argparse._SubParsersAction)
        for name, sub in action.choices.items():
            paths = [[name]]
            for inner in sub._subparsers._group_actions if sub._subparsers else []:
                assert isinstance(inner, argparse._SubParsersAction)
                paths += [[name, child] for child in inner.choices]
            for path in paths:
                lines += [[*path, "--help"], [*path, "--no-such-option"], path]
    return lines


def test_the_parser_of_one_command_parses_as_the_complete_one() -> None:
    """Only the command given is built (building all took ~14 ms of every start): its help,
    errors and arguments are the same as the complete parser's, and a name that is no
    command gets the complete parser's error."""
    lines = _command_lines()
    assert len(lines) > 60
    lines += [["validate", "x.json", "--format", "json"], ["nope"], ["--help"], []]
    lines += [["score", "a.json", "extra", "--lang", "en"], ["validate", "--version"]]
    for argv in lines:
        assert _parsed(cli._parse, argv) == _parsed(cli._parser().parse_args, argv), argv
