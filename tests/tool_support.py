"""Tests that need an external tool skip locally when it is missing, but fail in CI."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require(available: bool, what: str) -> None:
    """Skip when ``what`` is missing; fail instead when CI is set, so CI never skips silently."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI")
    pytest.skip(f"{what} is not installed")


def require_module(name: str) -> None:
    """A Python tool run as ``python -m name``."""
    require(importlib.util.find_spec(name) is not None, f"the Python package {name}")


def require_node_package(name: str) -> None:
    """Node.js and a package from package.json, installed by ``npm ci``."""
    require(shutil.which("node") is not None, "node")
    require((ROOT / "node_modules" / name).is_dir(), f"the npm package {name} (run `npm ci`)")


def load_tool(name: str) -> ModuleType:
    """A script from tools/, imported as a module so tests can call its functions."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
