"""Resources tied to risks: which concerns the family's resources answer, and which not yet.

The specification (part of scoring, step 7 of ``_score``):

* A **concern** is a domain with at least one applicable concerning item (risk and safety
  items at or above their concerning level), in instrument order; its items are those
  concerning items, in instrument order.
* A resource **answers** a concern when its ``addresses`` name the domain or one of the
  concern's items. Available resources are listed under ``resources``; resources that are not
  available but ``planned`` under ``planned`` (planned help). Both are positions in the
  assessment's ``resources`` list, so the summary holds no free text.
* A family goal is **about** a concern when its ``addresses`` name the domain or one of the
  concern's items (positions in ``family_view.goals``).
* ``unanswered`` lists the concerns no available resource answers yet (planned help does not
  answer *yet*).
* The process check ``concerns_answered`` applies at a final outcome at or above its
  ``from_outcome`` (always without one; never without a final outcome when it names one). It
  passes when every concern has an answering resource or planned help.

Ids a resource or goal addresses must be items or domains of the instrument
(``assessment.unknown-concern``).
"""

from __future__ import annotations

from typing import Any

from kwg_check._errors import Problem
from kwg_check._model.assessment import Assessment
from kwg_check._model.instrument import ConcernsAnsweredCheck

from ._runtime import CompiledInstrument, State

__all__ = ["concern_problems", "concerns_check", "protection"]


def concern_problems(compiled: CompiledInstrument, assessment: Assessment) -> list[Problem]:
    """Every addressed id that is neither an item nor a domain of the instrument."""
    known = set(compiled.domains) | set(compiled.item_pos)
    addressed: list[tuple[str, tuple[str, ...]]] = [
        (f"/resources/{i}/addresses", tuple(resource.addresses))
        for i, resource in enumerate(assessment.resources)
    ]
    if assessment.family_view is not None:
        addressed += [
            (f"/family_view/goals/{i}/addresses", tuple(goal.addresses))
            for i, goal in enumerate(assessment.family_view.goals)
        ]
    return [
        Problem(
            f"{pointer}/{j}",
            "assessment.unknown-concern",
            "the instrument has no item or domain with this id",
        )
        for pointer, ids in addressed
        for j, ident in enumerate(ids)
        if ident not in known
    ]


def _concerning(compiled: CompiledInstrument, state: State) -> dict[str, list[str]]:
    """Concerning applicable items by domain, domains and items in instrument order."""
    found: dict[str, list[str]] = {domain: [] for domain in compiled.domains}
    for item in compiled.items:
        rank = state.rank[item.pos]
        if (
            state.applicable[item.pos]
            and item.concerning_from is not None
            and rank is not None
            and rank >= item.concerning_from
        ):
            found[item.domain].append(item.id)
    return {domain: items for domain, items in found.items() if items}


def protection(
    compiled: CompiledInstrument, state: State, assessment: Assessment
) -> dict[str, Any]:
    """The summary's ``protection``: each concern with its answering resources, planned help
    and the family's goals about it, and the concerns no available resource answers yet."""
    goals = assessment.family_view.goals if assessment.family_view is not None else []
    concerns = []
    unanswered = []
    for domain, items in _concerning(compiled, state).items():
        ids = {domain, *items}
        answering = [
            (pos, r.available, r.planned)
            for pos, r in enumerate(assessment.resources)
            if ids.intersection(r.addresses)
        ]
        available = [pos for pos, ok, _ in answering if ok]
        concerns.append(
            {
                "domain": domain,
                "items": items,
                "resources": available,
                "planned": [pos for pos, ok, planned in answering if planned and not ok],
                "goals": [pos for pos, g in enumerate(goals) if ids.intersection(g.addresses)],
            }
        )
        if not available:
            unanswered.append(domain)
    return {"concerns": concerns, "unanswered": unanswered}


def concerns_check(
    compiled: CompiledInstrument,
    req: ConcernsAnsweredCheck,
    plan: dict[str, Any],
    final: str | None,
) -> tuple[str, dict[str, Any]]:
    """The ``concerns_answered`` requirement: result and reason (what answers each concern
    is the summary's ``protection``)."""
    if req.from_outcome is not None:
        rank = compiled.outcome_rank
        if final is None or rank[final] < rank[req.from_outcome]:
            reason = {"code": "concerns_below_outcome", "params": {"outcome": req.from_outcome}}
            return "not_applicable", reason
    open_ = [c["domain"] for c in plan["concerns"] if not c["resources"] and not c["planned"]]
    if open_:
        return "fail", {"code": "concerns_open", "params": {"domains": open_}}
    n = len(plan["concerns"])
    return "pass", {"code": "concerns_answered", "params": {"n": n}}
