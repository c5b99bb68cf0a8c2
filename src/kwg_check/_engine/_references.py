"""Checks of a stored summary against its compiled instrument: do its references exist?

A summary names the instrument it was computed with (id, version, fingerprint) and refers to
the instrument's items, levels, indices, bands, flags, outcomes and process checks
by id. This module checks that each of those ids exists in the instrument, so a summary that
cannot belong to the instrument is rejected by ``validate`` as an assessment with an unknown
item is.

Whether the stored *values* are the ones scoring computes (points, index values, which
outcome, the trace) is not checked here: that is :func:`kwg_check.verify_summary`, which
needs the assessment. The trace is left to it as well, since its step ids mix instrument ids
with assessment fields.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from kwg_check._errors import Problem
from kwg_check._model.summary import Summary

from ._assessment import reference_problems
from ._runtime import CompiledInstrument

__all__ = ["summary_problems"]

_CODE = "summary.unknown-reference"


def summary_problems(compiled: CompiledInstrument, summary: Summary) -> list[Problem]:
    """Everything in the summary that does not name something of this instrument."""
    problems = reference_problems(compiled, summary.instrument, "summary")
    if problems:
        return problems  # another instrument: its ids would all look wrong
    checks = {check.id for check in compiled.checks}
    found = (  # in the order of the summary's fields
        *_outcome_problems(compiled, summary),
        *_item_problems(compiled, summary),
        *_index_and_flag_problems(compiled, summary),
        *_unknown_problems(compiled, summary),
        *(
            _missing(f"/process_checks/{n}/id", result.id, checks, "process check")
            for n, result in enumerate(summary.process_checks)
        ),
    )
    return [problem for problem in found if problem is not None]


def _missing(
    pointer: str,
    given: str | None,
    known: Collection[str],
    noun: str,
    owner: str = "the instrument",
) -> Problem | None:
    """A problem when ``given`` is set and not among the ``known`` ids of its ``owner``."""
    if given is None or given in known:
        return None
    return Problem(pointer, _CODE, f"{owner} has no {noun} '{given}'")


def _item_problems(compiled: CompiledInstrument, summary: Summary) -> Iterator[Problem | None]:
    for n, result in enumerate(summary.items):
        yield _missing(f"/items/{n}/id", result.id, compiled.item_pos, "item")
        pos = compiled.item_pos.get(result.id)
        if pos is not None:
            scale = compiled.items[pos].scale
            levels = {*scale.levels, *([scale.unknown_id] if scale.unknown_id else [])}
            owner = f"item '{result.id}'"
            yield _missing(f"/items/{n}/level", result.level, levels, "level", owner)


def _index_and_flag_problems(
    compiled: CompiledInstrument, summary: Summary
) -> Iterator[Problem | None]:
    indices = {index.id: index for index in compiled.indices}
    for n, result in enumerate(summary.indices):
        yield _missing(f"/indices/{n}/id", result.id, indices, "index")
        if result.id in indices:
            bands, owner = indices[result.id].band_ids, f"index '{result.id}'"
            yield _missing(f"/indices/{n}/band", result.band, bands, "band", owner)
    flags = {flag.id for flag in compiled.flags}
    for n, flag in enumerate(summary.flags):
        yield _missing(f"/flags/{n}/id", flag.id, flags, "flag")


def _outcome_problems(compiled: CompiledInstrument, summary: Summary) -> Iterator[Problem | None]:
    outcome, known = summary.outcome, compiled.outcome_rank
    for key, given in (
        ("computed", outcome.computed),
        ("floor", outcome.floor),
        ("final", outcome.final),
    ):
        yield _missing(f"/outcome/{key}", given, known, "outcome")
    if outcome.override is not None:
        yield _missing("/outcome/override/outcome", outcome.override.outcome, known, "outcome")


def _unknown_problems(compiled: CompiledInstrument, summary: Summary) -> Iterator[Problem | None]:
    unknowns, items = summary.unknowns, compiled.item_pos
    for key, ids in (("items", unknowns.items), ("clarify_first", unknowns.clarify_first)):
        for n, item in enumerate(ids):
            yield _missing(f"/unknowns/{key}/{n}", item, items, "item")
    for key, given in (("lowest", unknowns.range.lowest), ("highest", unknowns.range.highest)):
        yield _missing(f"/unknowns/range/{key}", given, compiled.outcome_rank, "outcome")
