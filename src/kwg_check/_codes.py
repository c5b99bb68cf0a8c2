"""Every problem code and warning code the library uses, each with its meaning, declared once.

Codes are ``area.kebab-case`` and stable: programs branch on them, so a code keeps its
meaning across versions, and one fault has one code whichever path finds it (the published
schema and the models say ``schema.unknown-field`` alike). Errors carry their codes in
:class:`~kwg_check.Problem` records; warnings are listed in a summary's ``warnings`` and never
block scoring.

``docs/reference/codes.md`` is generated from this table (``tools/generate_reference.py``),
and a test fails when the source uses a code that is missing here or this table lists a code
nobody uses.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["CODES", "WARNINGS", "CodeKind"]

CodeKind = Literal["error", "warning"]

CODES: dict[str, str] = {
    # --- reading bytes (LoadError) -----------------------------------------------------------
    "load.bom": "the bytes start with a byte-order mark; UTF-8 documents have none",
    "load.duplicate-key": "an object has the same key twice; one value would be lost",
    "load.encoding": "the text is not valid UTF-8 or holds a lone surrogate",
    "load.io": "the file cannot be read",
    "load.non-finite": "a number is NaN or infinite, which JSON does not have",
    "load.non-string-key": "a YAML mapping key is not a string",
    "load.not-json": "a value is not a JSON value (e.g. a YAML date or binary)",
    "load.number-range": "an integer is outside the exactly representable range (±2^53 − 1)",
    "load.syntax": "the JSON or YAML syntax is broken",
    "load.too-deep": "arrays and objects nest deeper than the limit",
    "load.too-large": "the document is larger than the size limit",
    "load.yaml-line-break": "YAML text holds a lone CR, or line separators that cannot be kept",
    "load.yaml-alias": "a YAML anchor or alias is used; documents spell every value out",
    "load.yaml-multi-document": "a YAML stream holds more than one document",
    "load.yaml-tag": "a YAML tag asks for an object to be constructed",
    # --- writing values (WriteError) --------------------------------------------------------
    "write.not-json": "the value cannot be written as JSON (no JSON value, a cycle, …)",
    "write.too-deep": "the value nests too deeply to be written",
    # --- wrong arguments (ArgumentError) -----------------------------------------------------
    "argument.first-line": "the number of the first line of a batch is below one",
    "argument.format": "the output format is not one the function writes",
    "argument.jobs": "the number of worker processes is below one",
    "argument.not-resolved": "a report is given an assessment the consensus does not resolve",
    "argument.language": "the language is not one the library writes (de, en)",
    "argument.type": "an argument has the wrong type (e.g. data where a document model belongs)",
    # --- documents against their schema (DocumentError) -------------------------------------
    "document.type": "document_type is missing or names no kind of document",
    "document.wrong-type": "the document is of another kind than the one expected",
    "schema.enum": "the value is not one of the allowed values",
    "schema.invalid": "the value is not valid here (nesting, encoding, other rules)",
    "schema.length": "a text, list or map is shorter or longer than allowed",
    "schema.not-portable": "a generated schema uses a construct other validators read differently",
    "schema.null": "null is given for a field; leave an optional field out instead",
    "schema.pattern": "a text (or a map key) does not have the required form",
    "schema.range": "a number is below the minimum or above the maximum",
    "schema.required": "a required field is missing",
    "schema.type": "the value has the wrong JSON type (a binary float for a decimal, too)",
    "schema.union": "the value matches none of the allowed forms (e.g. of a condition)",
    "schema.unknown": "no published schema has this name",
    "schema.unknown-field": "a field is not part of the schema",
    "schema.value": "the value has the right type but is not acceptable (a date, exclusive fields)",
    # --- assessments on their own (DocumentError) -------------------------------------------
    "assessment.age-range": "the age on the assessment date is outside what the subject's kind "
    "allows (a child 0 to 300 months, a young adult to 323, anyone to 1440)",
    "assessment.birth-after-date": "the birth date lies after the assessment date",
    "assessment.duplicate-assessor": "two assessors have the same id",
    "assessment.duplicate-resolved": "a consensus lists the same resolved assessment twice",
    "assessment.resolves-itself": "a consensus lists its own id among the assessments it resolves",
    "assessment.duplicate-member": "two members of a family subject have the same id",
    "assessment.override-and-final-rating": "an override and a final rating are both given",
    "assessment.subject-kind": "the instrument does not assess subjects of the assessment's kind",
    # --- instruments: references and structure (DocumentError) ------------------------------
    "condition.age-band": "an age band is empty or has no bound",
    "condition.applicability-scope": "an applicability condition reads indices, bands or flags",
    "condition.context-kind": "a context test reads an item that is not a context item",
    "condition.result-scope": "a condition outside the tables of further results reads a result",
    "condition.result-test": "a result test gives neither or both of at_least and in",
    "compile.chain-too-deep": "indices or flags refer to each other in a chain beyond the limit",
    "compile.too-many-flags": "the instrument has more flags than the limit",
    "compile.too-many-indices": "the instrument has more indices than the limit",
    "compile.too-many-items": "the instrument has more items than the limit",
    "compile.too-many-rules": "the instrument has more rules, overrides or checks than the limit",
    "index.arithmetic": "an arithmetic index (prorated, scaled, rounded, difference) is malformed",
    "index.bands": "an index's bands lack cut-offs or are out of order",
    "index.context-item": "an index aggregates a context item, which is never scored",
    "index.count-scale": "a count_at_least index lacks its level, counts indices or mixes scales",
    "index.empty": "an index aggregates nothing",
    "index.max-band": "the inputs of a max_band index have different bands",
    "index.poles": "a strength or concern count reads an item whose scale has no poles",
    "index.unscored-item": "an index adds points of an item whose scale gives no points",
    "index.precision": "an index can need more decimal places than are written exactly",
    "index.range": "an index can reach 10^12 or more",
    "index.rounding-required": "a mean, prorated or rounded index has no rounding (places, mode)",
    "instrument.languages": "a language is declared twice in the instrument's languages",
    "text.default-language": "a text lacks the instrument's default language (its first)",
    "instrument.completeness": "minimum_completeness is not between 0 and 1",
    "instrument.not-monotone": "a rule or index is not monotone although the instrument says so",
    "item.anchor-duplicate": "an item has two anchors for one level and age group",
    "item.code-duplicate": "an item lists the same external code twice",
    "item.points-range": "an item's summed points can reach 10^12 or more",
    "item.response": "an item is both rated per caregiver and answered with several levels",
    "item.weight": "an item's weight is negative",
    "judgement.formula": "a professional-judgement instrument has a decision table or overrides",
    "ref.cycle": "indices or flags refer to each other in a cycle",
    "ref.duplicate-id": "two elements of one kind have the same id",
    "ref.unknown-band": "a condition names a band its index does not have",
    "ref.unknown-domain": "an item names a domain that does not exist",
    "ref.unknown-flag": "a condition names a flag that does not exist",
    "ref.unknown-result": "a condition names a further result that does not exist",
    "ref.unknown-index": "a condition or index names an index that does not exist",
    "ref.unknown-item": "a condition or index names an item that does not exist",
    "ref.unknown-level": "a condition or answer names a level the scale does not have",
    "ref.unknown-outcome": "a rule, flag or policy names an outcome that does not exist",
    "ref.unknown-scale": "an item names a scale that does not exist",
    "scale.points-partial": "a scale gives points on some levels only",
    "scale.poles": "a bipolar scale's poles are partial or not strengths, neutral, concerns",
    "scale.unknown-id": "a scale's unknown marker has the id of one of its levels",
    "table.default-rule": "the decision table does not end in exactly one default rule",
    # --- an assessment against its instrument (DocumentError, InstrumentMismatchError) ------
    "answer.duplicate-level": "an answer lists the same level twice",
    "answer.shape": "an answer has the wrong shape for its item (one level, several, per person)",
    "answer.unknown-combined": "the unknown marker is combined with other levels",
    "answer.unknown-item": "an answer is given for an item the instrument does not have",
    "assessment.unknown-concern": "a resource or family goal addresses an id that is neither an "
    "item nor a domain of the instrument",
    "answer.unknown-level": "an answer names a level its item's scale does not have",
    "instrument.fingerprint": "the assessment pins another fingerprint of the instrument",
    "instrument.mismatch": "the assessment names another instrument id or version",
    "summary.unknown-reference": "a summary names an element its instrument does not have",
    "judgement.kind": "an override is given where a final rating belongs, or the other way",
    "judgement.unknown-outcome": "an override or final rating names an outcome that does not exist",
    # --- overrides (OverrideError) -----------------------------------------------------------
    "override.below-floor": "an override or final rating goes below the floor of a raised flag",
    "override.not-allowed": "the instrument allows no discretionary override",
    "override.out-of-policy": "the override moves more levels, or another way, than allowed",
    # --- comparisons (ComparisonError, DocumentError) ---------------------------------------
    "compare.document-type": "only assessments and summaries can be compared",
    "compare.instrument-mismatch": "the two documents use different instruments",
    "compare.subject-mismatch": "the two documents belong to different children (case ids)",
    # --- collegial consultation and rater agreement (ComparisonError) -------------------------
    "consult.too-few": "a consultation needs at least two assessments",
    "consult.case-mismatch": "an assessment rates another case (case id) than the first",
    "consult.subject-mismatch": "an assessment gives the case another birth date or age",
    "consult.date-mismatch": "an assessment has another assessment date than the first",
    "consult.instrument-mismatch": "an assessment uses another instrument (id or version)",
    "consult.shared-assessor": "an assessor rated in two assessments: not independent",
    "agreement.line-count": "the two raters' files have different numbers of lines",
    "agreement.case-mismatch": "line n of the two files rates different cases (case ids)",
    "agreement.instrument-mismatch": "the lines use different instruments (id or version)",
    "agreement.empty-line": "a line of a raters' file is empty",
    # --- registry and bundled data (NotFoundError, DocumentError) ---------------------------
    "example.unknown": "no bundled example has this name",
    "registry.directory": "the instrument directory does not exist",
    "registry.duplicate": "two instrument files have the same id and version",
    "registry.unknown-instrument": "the registry knows no instrument with this id and version",
    # --- local variants and migrations (DocumentError, NotFoundError; reports) --------------
    "variant.base-mismatch": "the variant's base is available with another fingerprint (lint)",
    "variant.duplicate-id": "a variant adds an element whose id its base already has",
    "variant.unknown-base": "the base instrument a variant derives from is not known",
    "variant.unknown-target": "a variant's change names an element its base does not have",
    "migrate.item-dropped": "the item was dropped by the new version; its answer is not carried",
    "migrate.item-unknown": "the target instrument has no item for an answer",
    "migrate.level-unmapped": "an answer's level has no single counterpart; it became unknown",
    # --- FHIR import and export (DocumentError, InstrumentMismatchError) --------------------
    "fhir.cardinality": "an element occurs more often than the mapping allows",
    "fhir.decimal-inexact": "a decimal has more digits than a JSON number keeps exactly",
    "fhir.duplicate": "an item or answer occurs twice",
    "fhir.foreign-questionnaire": "the response answers another Questionnaire",
    "fhir.inconsistent": "the response's age does not agree with its birth date",
    "fhir.invalid-extension": "a kwg_check extension holds an invalid value",
    "fhir.missing": "a required element is missing",
    "fhir.not-converted": "a Questionnaire element is not converted into the instrument (warning)",
    "fhir.nothing-to-convert": "the Questionnaire has no choice item with coded answer options",
    "fhir.resource-type": "the resource is not of the expected type (Questionnaire, …Response)",
    "fhir.string": "a text is empty or holds control characters FHIR forbids",
    "fhir.type": "an element has the wrong JSON type",
    "fhir.unknown-code": "a coding names a system or code the instrument does not have",
    "fhir.unknown-item": "an item's linkId is not part of the Questionnaire",
    "fhir.unsupported": "an element is not covered by the mapping (see docs/fhir.md)",
    # --- batch, statistic and verification lines (reported per line or file) ----------------
    "batch.empty-line": "a line of a batch holds no assessment",
    "batch.line-too-large": "a line of a batch is larger than the size limit",
    "stats.empty-line": "a line of summaries holds no summary",
    "stats.unscored-line": "a line of a batch result holds problems instead of a summary",
    "verify.difference": "a stored summary differs from the re-scored one at this pointer",
    # --- lint: static checks of a valid instrument (warnings; lint_instrument, validate) ---
    "lint.band-unreachable": "no value the index can take falls in the band",
    "lint.band-always": "a band condition on the index's first band holds for every value",
    "lint.incomplete": "a lint check needed more evaluations than its bound and was skipped",
    "lint.item-unused": "an item feeds nothing the instrument computes or reports",
    "lint.no-default": "a result's table has no default row, so some inputs give no result",
    "lint.rule-overlap": "a row and a later row for a more severe outcome both match some input",
    "lint.rule-unreachable": "a decision-table row never matches first",
    "lint.translation-missing": "a text lacks one of the instrument's declared languages",
    "lint.weight-ignored": "an item's weight is not 1 but only aggregations that ignore it read it",
    # --- warnings in a summary (never block scoring) ----------------------------------------
    "answer.not-applicable": "an answer is given for an item that does not apply; not scored",
    "evidence.future-date": "evidence is dated after the assessment date",
    "evidence.missing": "an answer lacks the evidence its item requires",
    "evidence.stale": "evidence is older than the instrument allows",
    "judgement.missing": "the professionals' final rating is missing, so there is no final outcome",
    "override.not-applied": "the outcome is not assessable, so the override is not applied",
}
"""Code → its meaning in one line."""

WARNINGS = frozenset(
    {
        "answer.not-applicable",
        "evidence.future-date",
        "evidence.missing",
        "evidence.stale",
        "judgement.missing",
        "override.not-applied",
    }
)
"""The codes that are warnings in a summary; every other code is a problem of an error."""
