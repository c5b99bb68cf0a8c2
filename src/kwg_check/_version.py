"""The library version; also the engine version written into every summary."""

__version__ = "0.1.0"
"""Semantic version of the library (see the versioning policy); summaries record it."""
