"""The examples in the package's docstrings run and print what they show.

Every module whose source holds an example (``>>>``) is found by reading the installed
package, so a new example is checked without being listed here.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import kwg_check

PACKAGE = Path(kwg_check.__file__).parent


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _modules_with_examples()


def test_the_package_has_docstring_examples() -> None:
    assert "kwg_check._api" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_each_module_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name}: no example found"
    assert result.failed == 0, f"{name}: {result.failed} example(s) failed"
