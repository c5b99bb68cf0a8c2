"""The compile step and the pure scoring engine.

``compile_instrument`` checks an instrument completely and resolves it into a frozen
runtime; ``score`` turns one assessment into a summary whose trace proves every number.
The module docstrings of ``_compile``, ``_assessment``, ``_score`` and ``_range`` are the
scoring specification.
"""

from __future__ import annotations

from ._assessment import assessment_problems
from ._compile import compile_instrument, instrument_problems
from ._lint import lint
from ._references import summary_problems
from ._runtime import CompiledInstrument
from ._score import score, score_document, score_json

__all__ = [
    "CompiledInstrument",
    "assessment_problems",
    "compile_instrument",
    "instrument_problems",
    "lint",
    "score",
    "score_document",
    "score_json",
    "summary_problems",
]
