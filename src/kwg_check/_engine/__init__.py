"""The compile step and the pure scoring engine.

``compile_instrument`` checks an instrument completely and resolves it into a frozen
runtime; ``score`` turns one assessment into a summary whose trace proves every number.
The module docstrings of ``_compile``, ``_assessment``, ``_score`` and ``_range`` are the
scoring specification.

Each name is imported from its module on first use (PEP 562): checking a document compiles
and checks, and never loads scoring, ranges or lint (issue 17).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kwg_check._model import lazy_names

if TYPE_CHECKING:
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

_HOMES = {
    "CompiledInstrument": "._runtime",
    "assessment_problems": "._assessment",
    "compile_instrument": "._compile",
    "instrument_problems": "._compile",
    "lint": "._lint",
    "score": "._score",
    "score_document": "._score",
    "score_json": "._score",
    "summary_problems": "._references",
}
"""The module of each name; a test checks it against the imports type checkers see."""

if not TYPE_CHECKING:  # type checkers see the imports above
    __getattr__ = lazy_names(__name__, _HOMES)
