"""The library's front door: load, validate, score, verify and render in one call each.

Everything here composes the layers below (io → documents → engine → registry → views);
nothing below imports this module. The views only render what is already scored: this
module sequences resolve → score → render, so a view never compiles, resolves or scores.

Every function takes the document first, then ``instrument`` (an :class:`Instrument` or a
:class:`CompiledInstrument`; ``None`` looks the instrument up in the registry), then the
keyword-only ``registry=``, ``lang=`` and ``format=``. Pass a compiled instrument to call a
function many times without compiling the instrument again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import attrs

from . import _engine
from ._check import compiled as _compiled
from ._check import lint_instrument, validate_document
from ._documents import (
    Document,
    dump_document,
    parse_loaded,
    parse_loaded_document,
)
from ._engine import CompiledInstrument
from ._errors import (
    ArgumentError,
    ComparisonError,
    KwgCheckError,
    Problem,
    escape_pointer_token,
)
from ._instrument_diff import Impact, InstrumentDiff, tabulate_impact
from ._instrument_diff import diff_instruments as _diff_instruments
from ._io import DEFAULT_LIMITS, JsonValue, Limits, load_bytes, load_path
from ._lifecycle import MigrationResult, migrate
from ._model import Assessment, Instrument, Summary
from ._registry import InstrumentRegistry, bundled_registry
from ._types import (
    InstrumentDiffFormat,
    InstrumentLike,
    Lang,
    ReportFormat,
    language,
    text_language,
)
from ._views import _fhir, _fhir_instrument, _instrument_diff
from ._views._agreement import Agreement, tabulate_agreement
from ._views._compare import Comparison, Side, check_comparable, comparison
from ._views._consult import (
    Consultation,
    check_consultable,
    consultation,
    differing_items,
    open_assessment,
    swaps,
)
from ._views._fhir_instrument import QuestionnaireConversion
from ._views._report import report
from ._views._text import render_summary_text

__all__ = [
    "UNSPECIFIED_ROLE",
    "Difference",
    "QuestionnaireConversion",
    "Source",
    "agreement",
    "assessment_problems",
    "assessment_to_questionnaire_response",
    "compare",
    "consult",
    "diff_instruments",
    "instrument_impact",
    "instrument_to_questionnaire",
    "lint_instrument",
    "load_assessment",
    "load_document",
    "load_instrument",
    "load_json",
    "load_summary",
    "migrate_assessment",
    "questionnaire_response_to_assessment",
    "questionnaire_to_instrument",
    "render_impact",
    "render_instrument_diff",
    "render_report",
    "resolve_instrument",
    "score_assessment",
    "score_document",
    "summary_text",
    "validate_document",
    "verify_summary",
]

Source = str | os.PathLike[str] | bytes
"""A path to a JSON or YAML file, or the file's bytes."""


def load_json(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> JsonValue:
    """Read a JSON or YAML document safely (size, depth, duplicate keys, …)."""
    if isinstance(source, bytes):
        return load_bytes(source, limits=limits)
    return load_path(source, limits=limits)


def load_instrument(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Instrument:
    """Load and validate an instrument document."""
    return parse_loaded(Instrument, load_json(source, limits=limits))


def load_assessment(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Assessment:
    """Load and validate an assessment document (not yet against its instrument)."""
    return parse_loaded(Assessment, load_json(source, limits=limits))


def load_summary(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Summary:
    """Load and validate a summary document."""
    return parse_loaded(Summary, load_json(source, limits=limits))


def load_document(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load any of the three documents, recognised by its ``document_type``."""
    return parse_loaded_document(load_json(source, limits=limits))


def resolve_instrument(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> CompiledInstrument:
    """The compiled instrument to score an assessment with: the one given, or the registry's.

    A compiled instrument is returned as it is; an instrument document is compiled (once
    per call: keep the result to score many assessments). Without an instrument the
    registry (the bundled one by default) looks up the one the assessment refers to.
    """
    if instrument is not None:
        return _compiled(instrument)
    return (registry or bundled_registry()).for_assessment(assessment)


def score_assessment(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> Summary:
    """Score an assessment with the given instrument, or the one its reference names.

    Pure and deterministic. Raises :class:`InstrumentMismatchError` when the assessment
    names another instrument, :class:`DocumentError` when it does not fit the instrument and
    :class:`OverrideError` when an override or final rating breaks the instrument's policy.

        >>> import kwg_check
        >>> assessment = kwg_check.parse_assessment(
        ...     kwg_check.example_data("kwg8a-no-need-preschool")
        ... )
        >>> kwg_check.score_assessment(assessment).outcome.final
        'no_need'
    """
    compiled = resolve_instrument(assessment, instrument, registry=registry)
    return _engine.score(compiled, assessment)


def score_document(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> dict[str, JsonValue]:
    """``dump_document(score_assessment(assessment, …))``, without building the summary model.

    The same JSON value and the same errors, in less time: for programs that store or send
    the summary as JSON.
    """
    compiled = resolve_instrument(assessment, instrument, registry=registry)
    return _engine.score_document(compiled, assessment)


def assessment_problems(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> list[Problem]:
    """Every way the assessment does not fit its instrument (empty: it can be scored)."""
    compiled = resolve_instrument(assessment, instrument, registry=registry)
    return _engine.assessment_problems(compiled, assessment)


@attrs.frozen
class Difference:
    """A place where a stored summary and a fresh re-scoring disagree.

    ``stored`` and ``recomputed`` are the values at ``pointer`` on each side, whole (an
    empty list against a filled one is one difference at the list's pointer), or ``None``
    where that side has nothing at the pointer: documents never hold JSON null.
    """

    pointer: str
    stored: JsonValue
    recomputed: JsonValue


def json_differences(
    stored: JsonValue, recomputed: JsonValue, pointer: str = ""
) -> list[Difference]:
    """Where two JSON values differ, in document order; empty exactly when they are equal.

    Two non-empty objects (or two non-empty arrays) are compared member by member; anything
    else is compared as one value, so every difference shows the real value of each side,
    and ``True`` differs from ``1`` as ``1`` from ``"1"``.
    """
    if isinstance(stored, dict) and isinstance(recomputed, dict) and stored and recomputed:
        return [
            difference
            for key in sorted(stored.keys() | recomputed.keys())
            for difference in json_differences(
                stored.get(key), recomputed.get(key), f"{pointer}/{escape_pointer_token(key)}"
            )
        ]
    if isinstance(stored, list) and isinstance(recomputed, list) and stored and recomputed:
        return [
            difference
            for index in range(max(len(stored), len(recomputed)))
            for difference in json_differences(
                stored[index] if index < len(stored) else None,
                recomputed[index] if index < len(recomputed) else None,
                f"{pointer}/{index}",
            )
        ]
    if _same(stored, recomputed):
        return []
    return [Difference(pointer, stored, recomputed)]


def _same(a: JsonValue, b: JsonValue) -> bool:
    """Equal as JSON: same types all the way down (Python's ``True == 1`` is not)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def verify_summary(
    summary: Summary,
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> list[Difference]:
    """Re-score and list every difference from the stored summary; empty means verified.

    The engine version is left out of the comparison: a newer engine that computes the same
    summary verifies an older one. So is a member added to summaries later
    (``_ADDED_MEMBERS``) when the stored summary does not have it: it was written before the
    member existed, and everything it does hold is still compared.
    """
    fresh = score_assessment(assessment, instrument, registry=registry)
    differences = json_differences(dump_document(summary), dump_document(fresh))
    return [
        difference
        for difference in differences
        if difference.pointer != "/engine/version"
        and not (difference.pointer in _ADDED_MEMBERS and difference.stored is None)
    ]


_ADDED_MEMBERS = frozenset({"/unknowns/indices", "/protection", "/results"})
"""Summary members added after the first summary format, by pointer: ``/unknowns/indices``
(index ranges, issue 13), ``/protection``, ``/results`` (further results, issue 13). A
summary without them verifies; one with them is compared."""


def _summary_instrument(
    summary: Summary, instrument: InstrumentLike | None, registry: InstrumentRegistry | None
) -> Instrument:
    """The instrument a summary was scored with: the one given, or the registry's."""
    if isinstance(instrument, CompiledInstrument):
        return instrument.instrument
    if instrument is not None:
        return instrument
    reference = summary.instrument
    return (registry or bundled_registry()).get(reference.id, reference.version)


def summary_text(
    summary: Summary,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
    lang: Lang | None = None,
) -> str:
    """A readable plain-text overview of a summary, for a terminal.

    The instrument (the given one, or the registry's for the summary's reference) gives the
    labels; without ``lang`` the text is in the instrument's language.
    """
    document = _summary_instrument(summary, instrument, registry)
    texts = text_language(lang, document)
    return render_summary_text(summary, document, language(lang, document), texts)


def _side(document: Assessment | Summary, registry: InstrumentRegistry) -> Side:
    """One side of a comparison, scored: an assessment is scored, a summary is taken."""
    if isinstance(document, Assessment):
        compiled = resolve_instrument(document, registry=registry)
        return _engine.score(compiled, document), compiled.instrument
    return document, registry.get(document.instrument.id, document.instrument.version)


def compare(
    old: Assessment | Summary,
    new: Assessment | Summary,
    *,
    registry: InstrumentRegistry | None = None,
) -> Comparison:
    """Compare a previous assessment (or summary) with a new one of the same child.

    An assessment is scored first, with the instrument the registry (the bundled one by
    default) knows for it. Raises :class:`ComparisonError` when the two belong to different
    children or were made with different instruments (different ids; other versions of one
    instrument compare).
    """
    registry = registry or bundled_registry()
    check_comparable(old, new)  # before scoring: a foreign document fails as a comparison
    return comparison(old, new, _side(old, registry), _side(new, registry))


def _scored_all(
    compiled: CompiledInstrument, assessments: Sequence[Assessment], prefix: str
) -> list[Summary]:
    """Every assessment scored; a failure's pointers lead into the list (``prefix/i/…``)."""
    summaries = []
    for index, assessment in enumerate(assessments):
        try:
            summaries.append(_engine.score(compiled, assessment))
        except KwgCheckError as error:
            moved = [
                Problem(f"{prefix}/{index}{p.pointer}", p.code, p.reason) for p in error.problems
            ]
            raise type(error)(moved) from None
    return summaries


def consult(
    assessments: Iterable[Assessment],
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> Consultation:
    """Prepare a collegial consultation: independent ratings of one case, side by side.

    The assessments (at least two) rate one case on one date with one instrument, each by
    other assessors; else :class:`ComparisonError` (``consult.*``, pointers into the list:
    ``/1/subject/case_id``). Each is scored with the given instrument, or the one the
    registry knows for the first. The result lists the items rated differently, each
    rater's computed outcome, the outcomes the consultation can reach and the differences
    to discuss first (see ``docs/consultation.md``); :func:`render_consultation` writes it.
    """
    given = list(assessments)
    check_consultable(given)
    compiled = resolve_instrument(given[0], instrument, registry=registry)
    summaries = _scored_all(compiled, given, "")
    differing = differing_items(given, compiled.instrument)
    opened = _engine.score(compiled, open_assessment(given[0], differing))
    swapped = [(swap, _engine.score(compiled, swap.assessment)) for swap in swaps(given, differing)]
    return consultation(given, summaries, differing, opened, swapped, compiled.instrument)


def agreement(
    first: Iterable[Assessment],
    second: Iterable[Assessment],
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> Agreement:
    """The agreement of two raters: ``first[n]`` and ``second[n]`` rate the same case.

    Both sides are scored with the given instrument, or the one the registry knows for the
    first assessment; every assessment must use it. Raises :class:`ComparisonError`
    (``agreement.*``) when the two sides have different lengths, when a pair rates two
    cases, or when an assessment uses another instrument; pointers lead into
    ``{"first": [...], "second": [...]}`` (``/second/3/subject/case_id``: the fourth).
    Per item and for the computed outcome: pairs, unknown pairs, exact agreement and Cohen's
    kappa, exactly (see ``docs/consultation.md``); :func:`render_agreement` writes it.
    """
    sides = {"first": list(first), "second": list(second)}
    _check_pairs(sides["first"], sides["second"])
    if not sides["first"]:
        raise ComparisonError.single(
            "/first", "agreement.line-count", "there are no cases to compare"
        )
    compiled = resolve_instrument(sides["first"][0], instrument, registry=registry)
    reference = (compiled.instrument.id, compiled.instrument.version)
    wrong = [
        Problem(f"/{side}/{index}/instrument", "agreement.instrument-mismatch", _OTHER_INSTRUMENT)
        for side, assessments in sides.items()
        for index, assessment in enumerate(assessments)
        if (assessment.instrument.id, assessment.instrument.version) != reference
    ]
    if wrong:
        raise ComparisonError(wrong)
    scored = {side: _scored_all(compiled, found, f"/{side}") for side, found in sides.items()}
    pairs = list(zip(scored["first"], scored["second"], strict=True))
    return tabulate_agreement(pairs, compiled.instrument)


_OTHER_INSTRUMENT = "the assessment uses another instrument (id or version) than the first"


def _check_pairs(first: Sequence[Assessment], second: Sequence[Assessment]) -> None:
    """Line n of both sides rates the same case, and both sides have the same length."""
    if len(first) != len(second):
        reason = f"the first rater has {len(first)} case(s), the second {len(second)}"
        raise ComparisonError.single("/second", "agreement.line-count", reason)
    problems = [
        Problem(
            f"/second/{index}/subject/case_id",
            "agreement.case-mismatch",
            f"line {index + 1} rates another case than line {index + 1} of the first rater",
        )
        for index, (a, b) in enumerate(zip(first, second, strict=True))
        if a.subject.case_id != b.subject.case_id
    ]
    if problems:
        raise ComparisonError(problems)


def render_report(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
    lang: Lang | None = None,
    format: ReportFormat = "html",
    previous: Assessment | Summary | None = None,
    trace: bool = False,
    resolved: Iterable[Assessment] = (),
) -> str:
    """Render an assessment as a report for people: one HTML file or Markdown.

    The assessment is scored here (with the given instrument, or the one its reference
    names); ``previous`` adds the comparison with an earlier assessment of the same child;
    ``resolved`` — the independent ratings a consensus names in its ``resolves`` — adds where
    the consensus departed from them (``argument.not-resolved`` for any other assessment).
    Without ``lang`` the report is in the instrument's language. The decision comes first
    (in print: page 1), the details follow; ``trace=True`` appends the engine's trace, which
    is otherwise left to the summary document (the fingerprints are always printed).
    """
    compiled = resolve_instrument(assessment, instrument, registry=registry)
    language(lang, compiled)  # a wrong language fails before any scoring
    resolved = tuple(resolved)  # checks each item's type as it is read
    _check_resolved(assessment, resolved)
    summary = _engine.score(compiled, assessment)
    changes = None
    if previous is not None:
        known = registry or bundled_registry()
        if instrument is not None:
            known = known.with_instrument(compiled)
        changes = compare(previous, assessment, registry=known)
    return report(
        assessment,
        summary,
        compiled.instrument,
        changes,
        lang=lang,
        format=format,
        trace=trace,
        resolved=resolved,
    )


def _check_resolved(consensus: Assessment, resolved: Sequence[Assessment]) -> None:
    """Each resolved assessment is one the consensus names, of the same case."""
    for position, other in enumerate(resolved):
        if other.id not in consensus.resolves or other.subject.case_id != (
            consensus.subject.case_id
        ):
            reason = "the assessment is not one the consensus resolves (by id, same case)"
            raise ArgumentError(Problem(f"/resolved/{position}", "argument.not-resolved", reason))


def instrument_to_questionnaire(
    instrument: InstrumentLike, *, lang: Lang | None = None
) -> dict[str, JsonValue]:
    """The instrument as a FHIR R4 Questionnaire in one language, to render forms with.

    Items keep their ids as linkIds, answer options carry the level points as the standard
    ``ordinalValue`` extension, age bands become ``enableWhen`` (see ``docs/fhir.md``). Only
    a sound instrument is published: an instrument document is compiled first. Without
    ``lang`` the Questionnaire is in the instrument's language.
    """
    compiled = _compiled(instrument)
    return _fhir.questionnaire(compiled, language(lang, compiled))


def assessment_to_questionnaire_response(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
) -> dict[str, JsonValue]:
    """The assessment as a FHIR R4 QuestionnaireResponse to its instrument's Questionnaire.

    The assessment must fit the instrument (as for scoring). Every field is carried, so
    :func:`questionnaire_response_to_assessment` gives the same assessment back.
    """
    compiled = resolve_instrument(assessment, instrument, registry=registry)
    return _fhir.questionnaire_response(assessment, compiled)


def questionnaire_response_to_assessment(
    resource: JsonValue,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
    case_id: str | None = None,
    assessment_id: str | None = None,
    assessors: Sequence[tuple[str, str | None]] = (),
    age_months: int | None = None,
) -> Assessment:
    """Read a QuestionnaireResponse to an instrument's Questionnaire back into an assessment.

    Form fillers' responses are accepted as they come (``id``, ``meta``, ``text``, a
    dateTime ``authored``, a ``subject`` reference, computed index items). What such a
    response lacks comes from ``case_id``, ``assessment_id`` and ``assessors`` ((id, role)
    pairs; a role of ``None`` is :data:`UNSPECIFIED_ROLE`), used only when the response does
    not carry it. A response to a Questionnaire that :func:`questionnaire_to_instrument`
    converted is read by the linkIds and codes the instrument keeps; it has no age item, so
    ``age_months`` gives the child's age.

    Without an instrument, the registry (the bundled one by default) looks up the one the
    response's ``questionnaire`` names. Raises :class:`InstrumentMismatchError`
    (``fhir.foreign-questionnaire``) when the response answers another questionnaire, and
    :class:`DocumentError` with every problem otherwise (``fhir.*`` codes); pointers point
    into the resource, reasons never quote it.
    """
    if instrument is None:
        named = _fhir.questionnaire_instrument(resource)
        compiled = (registry or bundled_registry()).compiled(*named)
    else:
        compiled = _compiled(instrument)
    supplied = _fhir.Supplied(
        case_id,
        assessment_id,
        tuple((ident, role or UNSPECIFIED_ROLE) for ident, role in assessors),
        age_months,
    )
    return _fhir.assessment_from_response(resource, compiled, supplied)


UNSPECIFIED_ROLE = "unspecified"
"""The role of an assessor given without one (``--assessor ID``): the response does not
say it, and a process check that asks for a role is not met by it."""


def questionnaire_to_instrument(
    questionnaire: JsonValue, *, language: str | None = None
) -> QuestionnaireConversion:
    """An instrument document made from a FHIR R4 Questionnaire with SDC scores.

    Choice items with scored answer options (``ordinalValue``/``itemWeight`` on the option,
    its coding, or a contained ValueSet or CodeSystem) become scored items, ``enableWhen``
    becomes applicability, a recognised ``calculatedExpression`` (a sum of item scores,
    ``weight().sum()``, ``answers().sum(...)``) a ``sum`` index; a ``total`` index sums the
    scored items when no expression does. linkIds and codes are kept verbatim in the
    instrument's ``extensions.fhir``, so responses to the Questionnaire import against it.
    The result's ``warnings`` (``fhir.not-converted``, with pointers into the Questionnaire)
    list everything not converted. Bands and a classification are the author's to add.

    ``language`` (a BCP 47 tag, any language: it is not a language the library writes in,
    hence not ``lang``) is the instrument's language; without it, the Questionnaire's
    ``language``. Raises :class:`DocumentError` (``fhir.resource-type``,
    ``fhir.nothing-to-convert``) and :class:`ArgumentError` (``argument.language``: no
    language known).

    >>> q = {"resourceType": "Questionnaire", "language": "en", "item": [{"linkId": "q1",
    ...     "text": "Tired?", "type": "choice", "answerOption": [{"extension": [{"url":
    ...     "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1}],
    ...     "valueCoding": {"code": "Y", "display": "yes"}}]}]}
    >>> converted = questionnaire_to_instrument(q)
    >>> [index.id for index in converted.instrument.indices], converted.warnings[0].code
    (['total'], 'fhir.not-converted')
    """
    return _fhir_instrument.convert_questionnaire(questionnaire, language)


# --------------------------------------------------------------------------------------------
# Two versions of an instrument: their differences, and what they do to assessments
# --------------------------------------------------------------------------------------------


def _document(instrument: InstrumentLike) -> Instrument:
    return instrument.instrument if isinstance(instrument, CompiledInstrument) else instrument


def diff_instruments(old: InstrumentLike, new: InstrumentLike) -> InstrumentDiff:
    """Every difference between two instruments, each with its JSON pointer, classed as
    score-affecting or cosmetic (the table is in ``docs/instrument-diff.md``).

    List members are matched by id, so a reorder is one difference of the list and a
    changed member is reported at its own pointer.

        >>> import kwg_check
        >>> kwg8a = kwg_check.InstrumentRegistry().get("kwg_8a")
        >>> kwg_check.diff_instruments(kwg8a, kwg8a).changes
        ()
    """
    return _diff_instruments(_document(old), _document(new))


def render_instrument_diff(
    diff: InstrumentDiff,
    *,
    lang: Lang | None = None,
    format: InstrumentDiffFormat = "text",
) -> str:
    """The differences as plain text, Markdown or JSON (``{"score_affecting": [...],
    "cosmetic": [...]}``); without ``lang`` in the instruments' language."""
    lang = language(lang, diff.new)
    return _instrument_diff.render_instrument_diff(diff, lang=lang, format=format)


def instrument_impact(
    old: InstrumentLike, new: InstrumentLike, assessments: Iterable[Assessment]
) -> Impact:
    """Score every assessment written for ``old`` under both instruments and cross-table
    the primary outcomes (final, else the status).

    An assessment that cannot be scored under one of them (it names another instrument,
    its override exceeds the new policy, …) is listed in ``Impact.failed`` with the first
    problem's code, never counted in the table. Under ``new`` each assessment is scored as
    :func:`migrate_assessment` carries it over (the new version's declared migration, or
    the same item ids).
    """
    compiled_old, compiled_new = _compiled(old), _compiled(new)
    failed: list[tuple[str, str]] = []

    def scored() -> Iterable[tuple[str, Summary, Summary]]:
        for assessment in assessments:
            try:
                before = _engine.score(compiled_old, assessment)
                carried = migrate(assessment, compiled_old.instrument, compiled_new.instrument)
                after = _engine.score(compiled_new, carried.assessment)
            except KwgCheckError as error:
                failed.append((assessment.id, error.problems[0].code))
                continue
            yield assessment.id, before, after

    impact = tabulate_impact(compiled_old.instrument, compiled_new.instrument, scored())
    return attrs.evolve(impact, failed=tuple(failed))


def render_impact(
    impact: Impact,
    *,
    lang: Lang | None = None,
    format: InstrumentDiffFormat = "text",
) -> str:
    """The impact as plain text, Markdown or JSON (``{"assessments", "changed", "table",
    "changed_ids", ...}``); without ``lang`` in the instruments' language."""
    return _instrument_diff.render_impact(impact, lang=language(lang, impact.new), format=format)


def migrate_assessment(
    assessment: Assessment,
    instrument: InstrumentLike | None = None,
    *,
    registry: InstrumentRegistry | None = None,
    source: InstrumentLike | None = None,
) -> MigrationResult:
    """Carry an assessment over to another version of its instrument, or to a variant.

    ``instrument`` is the target (default: the registry's highest version of the
    assessment's instrument id); ``source`` the instrument the assessment was made with
    (default: the one the registry knows for its reference). The target's declared migration
    from the source's version renames, rescales, splits and drops items; going back to an
    earlier version uses that mapping inverted; undeclared items keep their ids. An answer
    that cannot be carried over becomes unknown, never a guess, and is listed in the result's
    ``losses`` and in the migrated assessment's ``migrated_from.not_carried``::

        migrated, losses = migrate_assessment(assessment, registry.get("kwg_8a", "1.1.0"))
    """
    known = registry or bundled_registry()
    reference = assessment.instrument
    old = _document(source) if source is not None else known.get(reference.id, reference.version)
    new = _document(instrument) if instrument is not None else known.get(reference.id)
    return migrate(assessment, old, new)
