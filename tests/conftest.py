"""Hypothesis profiles and test kinds for the whole suite (see ``docs/testing.md``).

Profiles:

* ``ci`` (default): derandomized and without an example database, so the suite gives the same
  verdict on every run and on every machine; no deadline (CI machines are shared and slow;
  speed is measured in ``benchmarks/``, never in tests). Every property runs 35 % of the
  example count its ``@settings`` names through :func:`strategies.examples` (35 when it names
  none). Hypothesis also mixes in constants it finds in the source of the local modules
  imported so far; which those are depends on the test order, the xdist worker and whether
  kwg_check is installed or checked out, so the derandomized profile draws without them
  (``pytest_sessionstart`` below).
* ``long``: explores. Random seeds, the example database in ``.hypothesis/`` and 75 times the
  named counts (over 100,000 examples in ``tests/test_fuzz.py``), for the long fuzz run
  documented in ``docs/fuzzing.md``: ``KWG_FUZZ_PROFILE=long pytest tests/test_fuzz.py``.
  Every failure it finds becomes an ``@example`` on the property, so ``ci`` replays it.

Choose with the environment variable ``KWG_FUZZ_PROFILE`` or with pytest's
``--hypothesis-profile`` option (which wins, because hypothesis loads it later).

Kinds: every test gets exactly one of the markers ``unit``, ``property`` and ``integration``
(and ``browser`` when it needs Chromium), so ``pytest -m "not integration"`` and the like
select by kind. A test marked explicitly keeps its mark; otherwise its module decides.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings

from kwg_check._model import describe_fields

# Before any model is built: tests/test_schemas.py generates the schemas in this process.
describe_fields()

from strategies import CI_EXAMPLES, LONG_EXAMPLES  # noqa: E402

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci", max_examples=CI_EXAMPLES, derandomize=True, database=None, deadline=None
)
settings.register_profile(
    "long",
    max_examples=LONG_EXAMPLES,
    deadline=None,
    suppress_health_check=_SLOW_DATA,
)
settings.load_profile(os.environ.get("KWG_FUZZ_PROFILE", "ci"))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under a derandomized profile, draw no constants from the local modules' source (see
    the module docstring): the same examples whatever was imported before. A failing example
    the ci run once reported only after other test modules had run was found this way."""
    active = settings.default
    if active is None or not active.derandomize:
        return
    from hypothesis.internal.conjecture import providers

    if hasattr(providers, "_get_local_constants"):  # Hypothesis 6.131 and later
        empty = providers.Constants()  # type: ignore[attr-defined]
        providers._get_local_constants = lambda: empty


KINDS = ("unit", "property", "integration")
INTEGRATION_MODULES = {
    "test_benchmark_smoke",  # benchmarks/bench.py and score-batch in subprocesses
    "test_determinism",  # scoring in subprocesses under other hash seeds
    "test_docs_site",  # mkdocs build
    "test_faults",  # kwg-check in subprocesses: full disks, closed pipes, signals
    "test_fhir_sdc",  # fhirpath.js (node)
    "test_integrations",  # check-jsonschema, ajv, pre-commit, git
    "test_report_browser",  # headless Chromium
}
PROPERTY_MODULES = {"test_engine_properties", "test_fuzz", "test_parity", "test_roundtrip"}
BROWSER_MODULES = {"test_report_browser"}


def _kind(module: str, item: pytest.Function) -> str:
    """Integration before property before unit: a test that starts other programs is slow
    whatever else it does."""
    if module in INTEGRATION_MODULES:
        return "integration"
    if module in PROPERTY_MODULES or is_hypothesis_test(item.obj):
        return "property"
    return "unit"


@pytest.hookimpl(tryfirst=True)  # before -m selects by the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        module = item.module.__name__
        if not any(item.get_closest_marker(kind) for kind in KINDS):
            item.add_marker(_kind(module, item))
        if module in BROWSER_MODULES:
            item.add_marker("browser")
