"""score: one assessment, one compiled instrument → a Summary with its trace.

Scoring is pure: no clock, no randomness, no I/O, no logging, no shared mutable state, and
exact decimals under a local context. The same inputs give byte-identical summaries: every
list follows instrument order (or a fixed order), never the order of a set or of the
assessment's keys.

The specification, step by step:

1. **Age** in completed months on the assessment date (see ``_assessment.age_months``).
2. **Items**, dependencies of applicability first, otherwise instrument order.
   ``applies_when`` is evaluated on the age and the answers of items already evaluated; an
   item that does not apply is ``not_applicable`` and never scored (an answer given anyway
   draws the warning ``answer.not-applicable``). An applicable item is ``missing`` (no
   answer), ``unknown`` (the scale's unknown marker) or ``answered``; see ``_assessment``
   for the counting level and points. Unknown answers score the scale's ``scores_as`` if it
   is defined, else nothing. Risk and safety items are *concerning* at or above
   ``concerning_from`` (unset: any level above the first); protective and context items
   never are; context items are never scored.
3. **Indices**, inputs first. Counted items: applicable, answered or unknown with points.
   sum = Σ points; weighted_sum = Σ points × weight (input indices weigh 1); mean = Σ / n,
   rounded to the index's places and mode; max / min of the points; count_at_least = number of
   answered items at or above ``at_least`` (unknowns never count). Input indices contribute
   their values (indices without a value are skipped). With nothing to aggregate, sum,
   weighted_sum and count_at_least are 0; mean, max and min have no value. The band is the
   last band whose cut-off the value reaches (the first band takes everything below the
   second cut-off); no value, no band. max_band: the value is the 1-based rank of the highest
   band among the inputs, the band is that band; no value if no input has a band.
4. **Flags**, dependencies first.
5. **Completeness** over applicable non-context items: known = answered; ratio = known /
   applicable rounded half up to 4 places (1 when nothing applies); sufficient when the
   ratio reaches ``minimum_completeness`` (always, without a minimum).
6. **Outcome**. Decision-table instruments: when completeness is not sufficient the status is
   ``not_assessable``, nothing is computed and the final outcome is the floor (the highest
   minimum outcome of the raised flags; an acute danger is never hidden by missing data).
   Otherwise the first matching rule gives the table outcome, each policy override whose
   condition holds raises it to at least its minimum, and the floor raises it again:
   that is the *computed* outcome. A discretionary override must be allowed by the
   instrument (``override.not-allowed``), stay within its levels up and down
   (``override.out-of-policy``) and never go below the floor (``override.below-floor``);
   it is then the final outcome. With the status ``not_assessable`` an override is not
   applied (warning ``override.not-applied``). Professional-judgement instruments compute
   nothing: the final outcome is the final rating (never below the floor:
   ``override.below-floor``); without one there is no final outcome (warning
   ``judgement.missing``). Traffic light and statistic category follow the final outcome;
   the forms of endangerment are those indicated by concerning applicable items and raised
   flags, in the fixed order neglect, psychological_abuse, physical_abuse, sexual_violence.
7. **Resources**: available / unavailable entries for each of the five categories; the
   concerns they answer and the family's goals about them: see ``_protection``.
8. **Process checks**, in instrument order; a check whose ``applies_when`` is false is
   ``not_applicable``. min_assessors: distinct assessor ids ≥ count. participation: the
   party was involved, or was not and a non-blank reason is documented (nothing recorded
   fails). consultation / assessor_role: some consultation / assessor has the role.
   evidence: every applicable item answered at or above its evidence level carries evidence
   (the reason names the items that do not). concerns_answered: see ``_protection``.
9. **Warnings** never block scoring: ``evidence.missing`` (an answer lacks required
   evidence), ``evidence.future-date`` (dated after the assessment date), ``evidence.stale``
   (more than ``stale_after_days`` days before it), ``answer.not-applicable``,
   ``override.not-applied``, ``judgement.missing``; sorted by pointer, then code.
10. **Unknowns**: see ``_range``.
11. **Trace** (summary format v2), numbered from 1: only the decisions, each result in
    exactly one step, each input a reference (a flag id or an outcome member) whose value is
    in the summary's own sections. ``completeness``
    (result: the ratio; its counts are ``completeness``), ``rule`` (each rule tried until the
    first match; result: its outcome, or false; what it read is named by its condition in
    the instrument),
    ``policy_override`` (each one that holds; result: its minimum outcome), ``floor``
    (inputs: the raised flags with a minimum outcome), ``override`` or ``judgement``, and
    finally ``outcome`` (inputs: computed, floor and the professionals' outcome; result: the
    final outcome). Everything else is recomputed from the sections and the instrument:
    ``items`` hold each item's status (left out: answered), counting level and points (and
    a weight other than 1), ``indices`` the values and bands the instrument's aggregations
    and cut-offs give them, ``flags`` the state of each condition, ``process_checks`` each
    result and reason. The computed outcome is the most severe of the matching rule's, the
    policy overrides' and the floor's results. Explanations, process-check reasons and
    warnings are messages: a code and its parameters (ids, integers, exact decimals as
    strings), never a sentence, so the summary is language-neutral and each view renders it
    in its language.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import Any

import orjson

from kwg_check._errors import DocumentError, InstrumentMismatchError, OverrideError, Problem
from kwg_check._io import JsonValue
from kwg_check._model._trusted import construct, dump
from kwg_check._model._types import format_decimal
from kwg_check._model.assessment import Assessment
from kwg_check._model.summary import Summary
from kwg_check._version import __version__

from ._assessment import ages, assessment_problems, member_ages, raw_answers
from ._compile import document_fingerprint
from ._evaluate import (
    CONTEXT,
    Decision,
    decide,
    decide_results,
    evaluate,
    round_quotient,
)
from ._protection import concerns_check, protection
from ._range import (
    clarify_first,
    index_ranges,
    outcome_range,
    result_clarify_first,
    result_ranges,
)
from ._runtime import CIndex, CItem, CompiledInstrument, Raw, State

__all__ = ["score", "score_document", "score_json"]

FORMS = ("neglect", "psychological_abuse", "physical_abuse", "sexual_violence")
RESOURCE_CATEGORIES = ("personal", "family", "social_network", "material", "infrastructural")
RATIO_PLACES = 4
Message = dict[str, Any]


def score(compiled: CompiledInstrument, assessment: Assessment) -> Summary:
    """Score the assessment. Pure and deterministic.

    Raises ``InstrumentMismatchError`` when the assessment names another instrument,
    ``DocumentError`` when it does not fit the instrument (``assessment_problems``), and
    ``OverrideError`` when an override or final rating breaks the instrument's policy.
    """
    # The engine's own output is not validated again (see ``_model._trusted``).
    return construct(Summary, _summary_data(compiled, assessment))


def score_document(compiled: CompiledInstrument, assessment: Assessment) -> dict[str, JsonValue]:
    """``dump_document(score(compiled, assessment))``, without building the summary model.

    The same JSON value and the same errors, in less time: for programs that store or send
    the summary as JSON.
    """
    return dump(Summary, _summary_data(compiled, assessment))


def score_json(
    compiled: CompiledInstrument, assessment: Assessment, *, readable: bool = True
) -> bytes:
    """``dump_json(score_document(compiled, assessment))`` as UTF-8 (``readable``), or the
    compact ``json.dumps`` form of it, written straight from the engine's data by orjson.

    The engine's data is already the summary's JSON value in model order with its defaults
    left out, except that exact decimals are ``Decimal`` and the date a ``date``: orjson
    writes those through ``_json_default`` and natively (ISO 8601), and the building of an
    intermediate JSON value (``dump``) is skipped. No float ever occurs in it, so orjson's
    number formatting never shows. The tests prove the bytes equal on every bundled example
    and on generated assessments.
    """
    option = orjson.OPT_INDENT_2 if readable else 0
    text = orjson.dumps(_summary_data(compiled, assessment), default=_json_default, option=option)
    return text + b"\n" if readable else text


@functools.lru_cache(maxsize=4096, typed=True)
def _json_default(value: object) -> str:
    """An exact decimal's text. Kept per value: a summary holds about seventy decimals, most
    of them the few points of the instrument's levels (equal decimals write alike, as
    ``format_decimal`` normalizes)."""
    if type(value) is Decimal:
        return format_decimal(value)
    raise TypeError(f"not part of a summary: {type(value).__name__}")


def _summary_data(compiled: CompiledInstrument, assessment: Assessment) -> dict[str, Any]:
    problems = assessment_problems(compiled, assessment)
    mismatch = [p for p in problems if p.code.startswith("instrument.")]
    if mismatch:
        raise InstrumentMismatchError(mismatch)
    if problems:
        raise DocumentError(problems)
    with localcontext(CONTEXT):
        return _Scoring(compiled, assessment).run()


def _present(**fields: Any) -> dict[str, Any]:
    """A JSON object without its absent fields (optional fields are left out, never null)."""
    return {key: value for key, value in fields.items() if value is not None}


def _message(code: str, **params: str | int | list[str] | Decimal | None) -> Message:
    """A message of the summary: its code and its present parameters (decimals as exact
    strings), the data a view renders as a sentence in its language."""
    values = {
        key: format_decimal(value) if isinstance(value, Decimal) else value
        for key, value in params.items()
        if value is not None
    }
    return {"code": code, "params": values} if values else {"code": code}


class _Scoring:
    """One scoring run; holds the intermediate results while the summary is assembled."""

    def __init__(self, compiled: CompiledInstrument, assessment: Assessment) -> None:
        self.c = compiled
        self.a = assessment
        self.age = ages(assessment)
        self.raw: tuple[Raw | None, ...] = raw_answers(compiled, assessment)
        self.s: State = evaluate(compiled, self.age, self.raw)
        self.trace: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []

    # -- helpers ----------------------------------------------------------------------------

    def step(
        self,
        kind: str,
        ident: str,
        inputs: Sequence[str],
        result: str | bool | None,
        explanation: Message,
    ) -> None:
        step: dict[str, Any] = {"kind": kind, "id": ident}
        if inputs:  # defaults are left out, as the summary's JSON leaves them out
            step["inputs"] = list(inputs)
        if result is not None:
            step["result"] = result
        step["explanation"] = explanation
        self.trace.append(step)

    def warn(self, pointer: str, code: str, **params: str | int) -> None:
        warning: dict[str, Any] = {"code": code, "pointer": pointer}
        if params:
            warning["params"] = params
        self.warnings.append(warning)

    def outcome_id(self, rank: int | None) -> str | None:
        return None if rank is None else self.c.outcomes[rank].id

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        self.applicability_warnings()
        completeness = self.completeness()
        sufficient = bool(completeness["sufficient"])
        table = self.c.method == "decision_table" and sufficient
        decision = decide(self.c, self.s, apply_table=table)
        self.decision_steps(decision)
        outcome = self.final(decision, sufficient)
        self.final_id: str | None = outcome.get("final")
        matched = decide_results(self.c, self.s, decision.computed)
        self.result_steps(matched)
        self.plan = protection(self.c, self.s, self.a)
        self.lacking = self.lacking_evidence()  # read by the evidence check and the warnings
        checks = [self.check(pos) for pos in range(len(self.c.checks))]
        self.outcome_step(outcome)
        self.evidence_warnings()
        return {
            "document_type": "summary",
            "engine": {"name": "kwg_check", "version": __version__},
            "instrument": {
                "id": self.c.id,
                "version": self.c.version,
                "fingerprint": self.c.fingerprint,
            },
            "assessment": self.assessment_ref(),
            "outcome": outcome,
            "items": self.item_results(),
            "indices": [
                _present(id=ix.id, value=self.s.values[ix.pos], band=self.band_id(ix))
                for ix in self.c.indices
            ],
            "flags": [{"id": f.id, "raised": self.s.raised[f.pos]} for f in self.c.flags],
            "completeness": completeness,
            "unknowns": self.unknowns(decision.computed if table else None),
            "resources": self.resources(),
            "protection": self.plan,
            "process_checks": checks,
            **({"results": self.results()} if self.c.results else {}),
            "warnings": sorted(self.warnings, key=lambda w: (w["pointer"], w["code"])),
            "trace": self.trace,
        }

    def result_steps(self, matched: Sequence[int]) -> None:
        """Per further result, dependencies first, each row tried until the first match
        (step kind ``result``, id: the result's)."""
        for pos in self.c.result_order:
            result = self.c.results[pos]
            for row in result.rows[: matched[pos] + 1]:
                if row.pos != matched[pos]:
                    words = _message("result_row_does_not_match", result=result.id, rule=row.id)
                    self.step("result", result.id, [], False, words)
                    continue
                value = result.values[row.outcome]
                code = "result_default_row" if row.when is None else "result_row_matches"
                words = _message(code, result=result.id, rule=row.id, outcome=value)
                self.step("result", result.id, [], value, words)

    def results(self) -> list[dict[str, Any]]:
        """Value, range and what to clarify first of every further result."""
        c, s = self.c, self.s
        current = [value or 0 for value in s.results]
        unknown = self.unknown_items()
        ranges = result_ranges(c, self.raw, s) if unknown else None
        clarify = result_clarify_first(c, s, self.raw, unknown, current)
        entries = []
        for result in c.results:
            span = None
            if ranges is not None:
                lowest, highest, method = ranges[result.pos]
                span = {
                    "lowest": result.values[lowest],
                    "highest": result.values[highest],
                    "method": method,
                }
            entries.append(
                _present(
                    id=result.id,
                    value=result.values[current[result.pos]],
                    range=span,
                    clarify_first=clarify[result.pos] or None,
                )
            )
        return entries

    def unknown_items(self) -> list[int]:
        """Applicable items that are unknown or missing, in instrument order."""
        s = self.s
        return [
            item.pos
            for item in self.c.items
            if s.applicable[item.pos] and s.status[item.pos] in ("unknown", "missing")
        ]

    def assessment_ref(self) -> dict[str, Any]:
        """The assessment as the summary names it; the subject's kind and members only when
        it is not a child (so summaries of children read as before)."""
        subject = self.a.subject
        members = [
            {"id": ident, "role": role, "age_months": age}
            for ident, role, age in member_ages(self.a)
        ]
        return _present(
            id=self.a.id,
            fingerprint=document_fingerprint(self.a),
            case_id=subject.case_id,
            subject_kind=None if subject.kind == "child" else subject.kind,
            assessment_date=self.a.assessment_date,
            age_months=self.age[0],
            members=members or None,
            initiated_by=self.a.initiated_by,
        )

    # -- items ------------------------------------------------------------------------------

    def applicability_warnings(self) -> None:
        """An answer to an item that does not apply is not scored, and said so."""
        applicable, answers = self.s.applicable, self.a.answers
        for pos in self.c.conditional:
            item = self.c.items[pos]
            if not applicable[pos] and item.id in answers:
                self.warn(f"/answers/{item.id}", "answer.not-applicable", item=item.id)

    def item_results(self) -> list[dict[str, Any]]:
        """Each item's status (left out: answered), level, points, weight (left out: 1),
        whether it is concerning, its pole, the number of its evidence and its codes."""
        s, raw, answers = self.s, self.raw, self.a.answers
        results = []
        for item, status, answer, points, rank in zip(
            self.c.items, s.status, raw, s.points, s.rank, strict=True
        ):
            result: dict[str, Any] = {"id": item.id}
            if status != "answered":
                result["status"] = status
            if answer is not None and status in ("answered", "unknown"):
                result["level"] = answer.level
            if points is not None:
                result["points"] = points
                if item.weight != 1:
                    result["weight"] = item.weight
            if self.concerning(item):
                result["concerning"] = True
            if rank is not None and item.scale.poles and s.applicable[item.pos]:
                result["pole"] = item.scale.poles[rank]
            given = answers.get(item.id)
            if given is not None and given.evidence:
                result["evidence"] = len(given.evidence)
            if item.codes:
                result["codes"] = [dict(code) for code in item.codes]
            results.append(result)
        return results

    def concerning(self, item: CItem) -> bool:
        rank = self.s.rank[item.pos]
        return (
            item.concerning_from is not None and rank is not None and (rank >= item.concerning_from)
        )

    # -- indices ----------------------------------------------------------------------------

    def band_id(self, index: CIndex) -> str | None:
        band = self.s.bands[index.pos]
        return None if band is None else index.band_ids[band]

    # -- completeness -----------------------------------------------------------------------

    def completeness(self) -> dict[str, Any]:
        s, c = self.s, self.c
        counted = [
            s.status[item.pos]
            for item in c.items
            if s.applicable[item.pos] and item.kind != "context"
        ]
        applicable, known = len(counted), counted.count("answered")
        ratio = round_quotient(
            Decimal(known if applicable else 1), applicable or 1, RATIO_PLACES, "half_up"
        )
        minimum = c.minimum_completeness
        sufficient = minimum is None or ratio >= minimum
        words = _message("completeness", known=known, n=applicable)
        if minimum is not None:
            code = "completeness_met" if sufficient else "completeness_not_met"
            words = _message(code, known=known, n=applicable, minimum=minimum)
        self.step("completeness", "completeness", [], format_decimal(ratio), words)
        return _present(
            applicable=applicable,
            known=known,
            ratio=ratio,
            minimum=minimum,
            sufficient=sufficient,
        )

    # -- outcome ----------------------------------------------------------------------------

    def decision_steps(self, decision: Decision) -> None:
        c = self.c
        if decision.rule is not None:
            for rule in c.rules[: decision.rule + 1]:
                if rule.pos == decision.rule:
                    outcome = c.outcomes[rule.outcome].id
                    code = "default_rule_applies" if rule.when is None else "rule_matches"
                    words = _message(code, rule=rule.id, outcome=outcome)
                    self.step("rule", rule.id, [], outcome, words)
                else:
                    words = _message("rule_does_not_match", rule=rule.id)
                    self.step("rule", rule.id, [], False, words)
        for pos in decision.policies:
            policy = c.policies[pos]
            minimum = c.outcomes[policy.minimum].id
            self.step(
                "policy_override",
                policy.id,
                [],
                minimum,
                _message("policy_holds", policy=policy.id, outcome=minimum),
            )
        if decision.floor is not None:
            floor = c.outcomes[decision.floor].id
            inputs = [f.id for f in c.flags if f.minimum is not None and self.s.raised[f.pos]]
            self.step(
                "floor",
                "floor",
                inputs,
                floor,
                _message("floor_set", outcome=floor),
            )

    def final(self, decision: Decision, sufficient: bool) -> dict[str, Any]:
        c, a = self.c, self.a
        floor = decision.floor
        override: dict[str, Any] | None = None
        if c.method == "professional_judgement":
            status = "judgement"
            rating = a.final_rating
            final = None
            if rating is None:
                self.warn("/final_rating", "judgement.missing")
            else:
                final = c.outcome_rank[rating.outcome]
                if floor is not None and final < floor:
                    raise OverrideError(_below_floor("/final_rating/outcome", c, floor))
                override = {
                    "kind": "final_rating",
                    "outcome": rating.outcome,
                    "author": rating.author,
                }
                self.step(
                    "judgement",
                    "final_rating",
                    ["final_rating"],
                    rating.outcome,
                    _message("final_rating", author=rating.author, outcome=rating.outcome),
                )
        elif not sufficient:
            status, final = "not_assessable", floor
            if a.override is not None:
                self.warn("/override", "override.not-applied")
        else:
            status = "computed"
            final = decision.computed
            assert final is not None
            if a.override is not None:
                override = self.discretionary(final, floor)
                final = c.outcome_rank[a.override.outcome]
        computed = decision.computed
        final_outcome = None if final is None else c.outcomes[final]
        forms: set[str] = set()
        for item in c.items:
            if self.s.applicable[item.pos] and self.concerning(item):
                forms.update(item.indicates)
        for flag in c.flags:
            if self.s.raised[flag.pos]:
                forms.update(flag.indicates)
        return _present(
            status=status,
            computed=self.outcome_id(computed),
            floor=self.outcome_id(floor),
            final=self.outcome_id(final),
            override=override,
            traffic_light=None if final_outcome is None else final_outcome.traffic_light,
            statistic_category=(
                None if final_outcome is None else final_outcome.statistic_category
            ),
            forms_of_endangerment=[form for form in FORMS if form in forms] or None,
        )

    def discretionary(self, computed: int, floor: int | None) -> dict[str, Any]:
        c, override = self.c, self.a.override
        assert override is not None
        if c.override_up is None or c.override_down is None:
            raise OverrideError(
                Problem(
                    "/override",
                    "override.not-allowed",
                    "the instrument does not allow discretionary overrides",
                )
            )
        target = c.outcome_rank[override.outcome]
        levels = target - computed
        problems = []
        if not -c.override_down <= levels <= c.override_up:
            problems.append(
                Problem(
                    "/override/outcome",
                    "override.out-of-policy",
                    f"the override moves the outcome {levels:+d} level(s); the instrument "
                    f"allows at most {c.override_up} up and {c.override_down} down",
                )
            )
        if floor is not None and target < floor:
            problems.append(_below_floor("/override/outcome", c, floor))
        if problems:
            raise OverrideError(problems)
        computed_id = c.outcomes[computed].id
        self.step(
            "override",
            "override",
            ["computed", "override"],
            override.outcome,
            _message(
                "override_applied",
                author=override.author,
                n=levels,
                computed=computed_id,
                outcome=override.outcome,
            ),
        )
        return {
            "kind": "discretionary_override",
            "outcome": override.outcome,
            "author": override.author,
            "levels": levels,
        }

    def outcome_step(self, outcome: dict[str, Any]) -> None:
        inputs = [key for key in ("computed", "floor") if key in outcome]
        if "override" in outcome:
            inputs.append(outcome["override"]["kind"])
        final = outcome.get("final")
        status = outcome["status"]
        if status == "not_assessable":
            code = "not_assessable_floor" if final is not None else "not_assessable_no_floor"
        elif final is None:
            code = "final_rating_missing"
        elif "override" in outcome:
            code = "outcome_decided"
        else:
            code = "outcome_computed"
        words = _message(code, outcome=final)
        self.step("outcome", "outcome", inputs, final, words)

    # -- process checks ---------------------------------------------------------------------

    def check(self, pos: int) -> dict[str, Any]:
        check = self.c.checks[pos]
        if check.applies is not None and not check.applies(self.s):
            result, reason = "not_applicable", _message("check_not_applicable")
        else:
            result, reason = self.requirement(check.requirement)
        return {"id": check.id, "result": result, "reason": reason}

    def requirement(self, req: Any) -> tuple[str, Message]:
        a = self.a
        kind = req.check
        if kind == "min_assessors":
            count = len({assessor.id for assessor in a.assessors})
            ok = count >= req.count
            return "pass" if ok else "fail", _message(
                "assessors_counted", n=count, required=req.count
            )
        if kind == "participation":
            party = req.party
            record = getattr(a.participation, party)
            if record is None:
                return "fail", _message(f"{party}_not_recorded")
            if record.involved:
                return "pass", _message(f"{party}_involved")
            if record.reason_if_not and record.reason_if_not.strip():
                return "pass", _message(f"{party}_not_involved_reason")
            return "fail", _message(f"{party}_not_involved_no_reason")
        if kind == "consultation":
            ok = any(consultation.role == req.role for consultation in a.consultations)
            code = "role_consulted" if ok else "role_not_consulted"
            return "pass" if ok else "fail", _message(code, role=req.role)
        if kind == "assessor_role":
            ok = any(assessor.role == req.role for assessor in a.assessors)
            code = "assessor_role_present" if ok else "assessor_role_missing"
            return "pass" if ok else "fail", _message(code, role=req.role)
        if kind == "concerns_answered":
            return concerns_check(self.c, req, self.plan, self.final_id)
        failing = self.lacking
        if not failing:
            return "pass", _message("evidence_complete")
        return "fail", _message("evidence_lacking", items=[item.id for item in failing])

    def lacking_evidence(self) -> list[CItem]:
        """Items answered at or above their evidence level without evidence."""
        failing = []
        for item in self.c.items:
            rank = self.s.rank[item.pos]
            if item.evidence_from is None or rank is None or rank < item.evidence_from:
                continue
            answer = self.a.answers.get(item.id)
            if answer is not None and not answer.evidence:
                failing.append(item)
        return failing

    def evidence_warnings(self) -> None:
        for item in self.lacking:
            self.warn(
                f"/answers/{item.id}/evidence",
                "evidence.missing",
                item=item.id,
            )
        date = self.a.assessment_date
        stale = self.c.stale_after_days
        oldest = None if stale is None else _days_before(date, stale)
        # Any order: the warnings are sorted by pointer (and every answer is an item's).
        for item_id, answer in self.a.answers.items():
            if not answer.evidence:
                continue
            for k, evidence in enumerate(answer.evidence):
                if (on := evidence.date) is None:
                    continue
                if on > date:
                    self.warn(f"/answers/{item_id}/evidence/{k}/date", "evidence.future-date")
                elif stale is not None and oldest is not None and on < oldest:
                    self.warn(f"/answers/{item_id}/evidence/{k}/date", "evidence.stale", n=stale)

    # -- unknowns and resources -------------------------------------------------------------

    def unknowns(self, current: int | None) -> dict[str, Any]:
        s, c = self.s, self.c
        unknown = self.unknown_items()
        lowest, highest, method = outcome_range(c, self.raw, s, unknown)
        return {
            "items": [c.items[pos].id for pos in unknown],
            "range": _present(
                lowest=self.outcome_id(lowest), highest=self.outcome_id(highest), method=method
            ),
            "clarify_first": clarify_first(c, s, self.raw, unknown, current),
            **({"indices": self.index_ranges()} if unknown else {}),
        }

    def index_ranges(self) -> list[dict[str, Any]]:
        """Lowest and highest value of every index over the completions of the unknowns."""
        ranges = index_ranges(self.c, self.raw, self.s)
        return [
            _present(id=index.id, lowest=lowest, highest=highest, method=method)
            for index, (lowest, highest, method) in zip(self.c.indices, ranges, strict=True)
        ]

    def resources(self) -> list[dict[str, Any]]:
        counts = {category: [0, 0] for category in RESOURCE_CATEGORIES}
        for resource in self.a.resources:
            counts[resource.category][0 if resource.available else 1] += 1
        return [
            {"category": category, "available": n[0], "unavailable": n[1]}
            for category, n in counts.items()
        ]


def _days_before(day: datetime.date, days: int) -> datetime.date | None:
    """The earliest date that is not more than ``days`` days before ``day`` (``None``: before
    the calendar's first day, so no date is older)."""
    try:
        return day - datetime.timedelta(days=days)
    except OverflowError:
        return None


def _below_floor(pointer: str, compiled: CompiledInstrument, floor: int) -> Problem:
    return Problem(
        pointer,
        "override.below-floor",
        f"a raised flag sets the floor '{compiled.outcomes[floor].id}'; the outcome cannot go "
        "below it",
    )
