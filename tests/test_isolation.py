"""No network and no code execution: documents are data, never instructions.

Assessments are special-category social data. Validating or scoring one must not open a
connection (no schema download, no telemetry), and an instrument or assessment file must not
be able to run code — no ``eval``, no pickle, no YAML tag that constructs Python objects.

Network access is blocked per test with pytest-socket (never for the whole suite: other
tests need localhost); every attempt is also recorded, so an attempt that the library
swallowed would still fail the test.
"""

from __future__ import annotations

import ast
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import referencing.exceptions
from pytest_socket import SocketBlockedError

import kwg_check
from kwg_check._schema import SCHEMA_NAMES, registry, schema_problems
from strategies import bundled_documents

SRC = Path(__file__).resolve().parent.parent / "src" / "kwg_check"
BUNDLED = bundled_documents()


@pytest.fixture
def offline(socket_disabled: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Sockets disabled (pytest-socket) and every attempt recorded; none may happen."""
    attempts: list[str] = []
    guarded_socket = socket.socket

    def record_socket(*args: object, **kwargs: object) -> socket.socket:
        attempts.append("socket")
        return guarded_socket(*args, **kwargs)  # type: ignore[arg-type]

    def record(name: str) -> object:
        def refuse(*args: object, **kwargs: object) -> None:
            attempts.append(name)
            raise SocketBlockedError

        return refuse

    monkeypatch.setattr(socket, "socket", record_socket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, record(name))
    yield attempts
    assert attempts == [], "network access attempted"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_offline_fixture_really_blocks_and_records(offline: list[str]) -> None:
    """Guards the tests below: a connection attempt raises and is seen."""
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("example.org", 443))
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert offline == ["create_connection", "socket"]
    offline.clear()  # expected here; the fixture's final check is for the other tests


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_validating_loading_and_scoring_need_no_network(name: str, offline: list[str]) -> None:
    document = BUNDLED[name]
    assert kwg_check.validate_document(document) == []
    parsed = kwg_check.load_document(kwg_check.dump_json(document).encode())
    if isinstance(parsed, kwg_check.Assessment):
        summary = kwg_check.score_assessment(parsed)
        instrument = kwg_check.InstrumentRegistry().get(parsed.instrument.id)
        kwg_check.summary_text(summary, instrument)
        assert kwg_check.verify_summary(summary, parsed) == []
    if isinstance(parsed, kwg_check.Instrument):
        kwg_check.compile_instrument(parsed)
        kwg_check.describe_instrument(parsed)


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.org/evil.schema.json",
        "http://127.0.0.1:9/schema.json",
        "file:///etc/passwd",
    ],
)
def test_a_remote_schema_uri_in_a_document_is_never_fetched(uri: str, offline: list[str]) -> None:
    """``$schema`` is an editor hint; a ``$ref`` member is just an unknown field."""
    document = {**BUNDLED["assessment:kwg8a-grey-zone-unknowns"], "$schema": uri}
    assert kwg_check.validate_document(document) == []
    with_ref = {**document, "$ref": uri}
    problems = kwg_check.validate_document(with_ref)
    assert [(p.pointer, p.code) for p in problems] == [("/$ref", "schema.unknown-field")]
    for name in SCHEMA_NAMES:
        schema_problems(name, with_ref)


@pytest.mark.parametrize(
    "uri",
    ["https://example.org/remote.schema.json", "https://schemas.kwg-check.de/v1/other.json"],
)
def test_a_ref_outside_the_bundled_registry_fails_without_a_fetch(
    uri: str, offline: list[str]
) -> None:
    check = jsonschema.Draft202012Validator({"$ref": uri}, registry=registry())
    with pytest.raises(referencing.exceptions.Unresolvable):
        check.is_valid({})


# --- no code execution -----------------------------------------------------------------------

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint", "input"}
FORBIDDEN_MODULES = {
    "pickle", "cPickle", "marshal", "shelve", "dill", "ctypes", "subprocess", "socket",
    "urllib", "http", "ftplib", "smtplib", "requests", "httpx", "importlib.util", "runpy",
    "code", "codeop",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {
    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"), ("os", "spawnv"),
    ("yaml", "load"), ("yaml", "load_all"), ("yaml", "unsafe_load"), ("yaml", "full_load"),
    ("yaml", "Loader"), ("yaml", "UnsafeLoader"), ("yaml", "FullLoader"),
    ("yaml", "CLoader"), ("yaml", "CUnsafeLoader"), ("yaml", "CFullLoader"),
    ("importlib", "import_module"),
}  # fmt: skip
SOURCES = sorted(SRC.rglob("*.py"))


def forbidden_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in FORBIDDEN_CALLS:
                found.append(f"line {node.lineno}: call of {node.func.id}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
                names += [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name in FORBIDDEN_MODULES or name.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"line {node.lineno}: import of {name}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in FORBIDDEN_ATTRIBUTES
        ):
            found.append(f"line {node.lineno}: use of {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(SRC)) for p in SOURCES])
def test_no_source_file_can_run_code_or_reach_the_network(path: Path) -> None:
    """No eval/exec, no pickle/marshal, no unsafe YAML loader, no sockets or subprocesses."""
    assert forbidden_uses(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_scan_finds_what_it_forbids() -> None:
    """Guards the scan above against checking nothing."""
    source = (
        "import pickle\nfrom subprocess import run\nimport yaml\neval('1')\n"
        "yaml.load(x, Loader=yaml.Loader)\nos.system('x')\n"
    )
    assert len(forbidden_uses(ast.parse(source))) == 7
    assert len(SOURCES) > 20


CONSTRUCTING_TAGS = [
    b"!!python/object/apply:os.system ['echo pwned']",
    b"!!python/object/new:os.system ['echo pwned']",
    b"!!python/object:subprocess.Popen {args: ['echo', 'pwned']}",
    b"!!python/name:os.system",
    b"!!python/module:os",
    b"!!python/tuple [1, 2]",
    b"!<tag:yaml.org,2002:python/object/apply:os.system> ['echo pwned']",
    b"!!binary aGVsbG8=",
    b"!!timestamp 2024-01-01",
    b"!!set {a, b}",
    b"!!omap [a: 1]",
    b"!custom x",
]


@pytest.fixture
def nothing_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record every attempt to start a command; none may happen."""
    calls: list[object] = []

    def record(*args: object, **kwargs: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", record)
    monkeypatch.setattr(subprocess, "Popen", record)
    yield calls
    assert calls == []


@pytest.mark.parametrize("tagged", CONSTRUCTING_TAGS)
def test_yaml_tags_that_construct_objects_are_rejected(
    tagged: bytes, nothing_runs: list[object], tmp_path: Path
) -> None:
    """In a value, as the whole document, and in an instrument file of a registry folder."""
    for data in (b"document_type: instrument\nextensions:\n  x: " + tagged + b"\n", tagged):
        with pytest.raises(kwg_check.LoadError) as info:
            kwg_check.load_document(data)
        assert info.value.code == "load.yaml-tag"
    (tmp_path / "evil.yaml").write_bytes(b"document_type: instrument\nid: " + tagged + b"\n")
    with pytest.raises(kwg_check.LoadError) as info:
        kwg_check.InstrumentRegistry([tmp_path], bundled=False)
    assert info.value.code == "load.yaml-tag"
