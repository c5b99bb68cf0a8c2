"""Hypothesis profiles for the whole suite.

* ``ci`` (default): hypothesis' usual 100 examples per property, no deadline (CI machines
  are shared and slow; speed is measured in ``benchmarks/``, never in tests).
* ``long``: 75 times as many examples (over 100,000 in ``tests/test_fuzz.py``), for the
  long fuzz run documented in ``docs/fuzzing.md``:
  ``KWG_FUZZ_PROFILE=long pytest tests/test_fuzz.py``.

Choose with the environment variable ``KWG_FUZZ_PROFILE`` or with pytest's
``--hypothesis-profile`` option (which wins, because hypothesis loads it later).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile(
    "long", max_examples=7_500, deadline=None, suppress_health_check=_SLOW_DATA
)
settings.load_profile(os.environ.get("KWG_FUZZ_PROFILE", "ci"))
