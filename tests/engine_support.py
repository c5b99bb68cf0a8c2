"""Shared helpers of the engine tests: the test-only instruments and assessments for them."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from kwg_check._engine import CompiledInstrument, compile_instrument
from kwg_check._io import load_path
from kwg_check._model import Assessment, Instrument

INSTRUMENTS = Path(__file__).parent / "engine_instruments"


def instrument_data(name: str) -> dict[str, Any]:
    """The JSON value of a test-only instrument file."""
    data = load_path(INSTRUMENTS / f"{name}.yaml")
    assert isinstance(data, dict)
    return data


@functools.cache
def compiled(name: str) -> CompiledInstrument:
    """A test-only instrument, compiled once per test run."""
    return compile_instrument(Instrument.model_validate(instrument_data(name)))


def document(name: str, given: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """An assessment document for a test instrument; ``fields`` replace top-level fields."""
    c = compiled(name)
    return {
        "document_type": "assessment",
        "id": "as-0001",
        "instrument": {"id": c.id, "version": c.version},
        "subject": {"case_id": "case-0001", "age_months": 60},
        "assessment_date": "2024-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
        "answers": given,
        **fields,
    }


def assessment(name: str, given: dict[str, Any], **fields: Any) -> Assessment:
    """The same, as a validated model."""
    return Assessment.model_validate(document(name, given, **fields))
