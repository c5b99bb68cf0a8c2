"""Pydantic models of the three documents: instrument, assessment, summary."""

from .assessment import Answer, Assessment, Evidence, Judgement, Resource
from .conditions import Condition
from .instrument import Flag, Index, Instrument, Item, Outcome, Scale
from .summary import Summary, TraceStep
from .variant import InstrumentVariant

__all__ = [
    "Answer",
    "Assessment",
    "Condition",
    "Evidence",
    "Flag",
    "Index",
    "Instrument",
    "InstrumentVariant",
    "Item",
    "Judgement",
    "Outcome",
    "Resource",
    "Scale",
    "Summary",
    "TraceStep",
]
