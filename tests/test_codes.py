"""The code catalogue is complete and current: every code the source uses is declared with
its meaning in ``kwg_check._codes``, every declared code is used, and every code is
``area.kebab-case``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kwg_check
from kwg_check._codes import CODES, WARNINGS

PACKAGE = Path(kwg_check.__file__).resolve().parent
CODE_LIKE = re.compile(r"[a-z]+\.[a-z0-9_-]+")
KEBAB = re.compile(r"[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*")
WORD_LOOKUPS = {"w", "word", "plural", "label", "sheet", "phrase", "_UsageError", "_stopped"}
"""Functions that look up the views' own words, whose keys look like codes but are none."""


def _word_keys_and_dict_keys(tree: ast.AST) -> set[int]:
    """Nodes that are not codes: dict keys (word tables) and word-lookup arguments."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            skipped.update(id(key) for key in node.keys if key is not None)
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else ""
            name = function.id if isinstance(function, ast.Name) else name
            if name in WORD_LOOKUPS:
                skipped.update(id(inner) for inner in ast.walk(node.args[0]))
    return skipped


def codes_in_source() -> dict[str, list[str]]:
    """Every string constant of the package that looks like a code → where it occurs."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "_codes.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _word_keys_and_dict_keys(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE_LIKE.fullmatch(node.value)
                and id(node) not in skipped
            ):
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                found.setdefault(node.value, []).append(where)
    return found


def test_every_code_used_in_the_source_is_in_the_catalogue() -> None:
    missing = {code: where for code, where in codes_in_source().items() if code not in CODES}
    assert not missing, f"declare these codes with their meaning in _codes.py: {missing}"


def test_every_code_in_the_catalogue_is_used() -> None:
    unused = set(CODES) - set(codes_in_source())
    assert not unused, f"no code in the source uses these, remove them: {sorted(unused)}"


def test_codes_are_kebab_case_and_meanings_are_one_line() -> None:
    assert all(KEBAB.fullmatch(code) for code in CODES), [c for c in CODES if "_" in c]
    for code, meaning in CODES.items():
        assert meaning.strip(), code
        assert "\n" not in meaning, code
    assert set(WARNINGS) <= set(CODES)


def test_the_scan_finds_codes_and_skips_word_keys() -> None:
    """The scan is the guard, so it is checked on a sample: codes in calls and mappings are
    found, keys of word tables and word lookups are not."""
    found = codes_in_source()
    assert "schema.unknown-field" in found  # the schema path's keyword mapping
    assert "write.too-deep" in found
    assert "section.resources" not in found  # a report word
    assert "monotone.yes" not in found  # a sheet word chosen inside a lookup
