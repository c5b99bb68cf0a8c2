"""Reports for people: an assessment as a document for the case file, the team and the court.

A report is built once as a list of sections made of plain-text blocks (paragraphs, facts,
tables, the outcome box, the profile chart), then written out as one self-contained HTML file
or as Markdown. It leads with the decision — the outcome in its traffic-light colour, the
range the unknowns allow, what to clarify first, the process checks not met, the profile —
which prints on the first A4 page; the details follow, the trace only on request.

Identifiers, versions and dates are marked with :func:`_ident`; HTML keeps each of them whole
on one line (no ``K-|2026`` or ``infant_crying_stre|ss``). Every printed page carries the case,
the assessment and the date in its top margin and its number in the bottom margin (CSS page
margin boxes, written as escaped CSS strings).
Escaping happens in exactly one place per format, so every text taken from the documents —
observations, notes, the family's words, justifications, even instrument labels — reaches
the reader as inert text: the HTML carries no script and a content security policy that
forbids any, and the Markdown cannot leave its table cell, link anywhere or embed HTML.

Text from the documents is *isolated* as well: a bidi control in a note (say an unterminated
U+202E RIGHT-TO-LEFT OVERRIDE) reorders only that note, never the words after it. Builders mark
such text with :func:`_free`; the HTML writer puts each marked line into ``<bdi>`` (SVG text
into FSI … PDI) and closes whatever the line left open, Markdown and plain text drop the marks.

Labels come from the instrument in the chosen language; the report's own words exist in
German and English. The trace in the appendix (``trace=True``) keeps the engine's own
(English) wording, so it can be compared with the summary document word for word.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..._model import Assessment, Instrument, Summary
from ..._types import (
    COMPARISON_FORMATS,
    REPORT_FORMATS,
    ComparisonFormat,
    Lang,
    ReportFormat,
    checked_format,
    language,
    text_language,
)
from ..._version import __version__
from .._compare import Comparison
from ._build import _build, _comparison_section, _comparison_text
from ._document import _Document
from ._html import _html
from ._labels import _Labels
from ._markdown import _markdown

__all__ = ["render_comparison", "report"]


def report(
    assessment: Assessment,
    summary: Summary,
    instrument: Instrument,
    comparison: Comparison | None,
    *,
    lang: Lang | None,
    format: ReportFormat,
    trace: bool = False,
    resolved: Sequence[Assessment] = (),
) -> str:
    """Render a scored assessment as a report for people: one HTML file or Markdown.

    The decision comes first (the first printed page), the details follow. ``comparison``
    (with an earlier assessment of the same child) adds its section; ``trace`` adds the
    engine's trace to the appendix; ``resolved`` (the independent ratings a consensus
    resolves) adds where the consensus departed from them. The public
    :func:`kwg_check.render_report` scores and compares first.
    """
    format = checked_format(format, REPORT_FORMATS)
    texts = text_language(lang, instrument)
    lang = language(lang, instrument)
    document = _build(
        assessment, summary, instrument, lang, comparison, trace, resolved, texts=texts
    )
    return _html(document) if format == "html" else _markdown(document)


def render_comparison(
    comparison: Comparison, *, lang: Lang | None = None, format: ComparisonFormat = "text"
) -> str:
    """Render a reassessment comparison as plain text, Markdown or one HTML file.

    Without ``lang`` it is written in the new assessment's instrument's language.
    """
    lang = language(lang, comparison.new_instrument)
    format = checked_format(format, COMPARISON_FORMATS)
    labels = _Labels([comparison.new_instrument, comparison.old_instrument], lang)
    section = _comparison_section(comparison, labels)
    if format == "text":
        return _comparison_text(comparison, labels)
    document = _Document(
        lang,
        labels.w("comparison.title"),
        f"{labels.w('case')} {comparison.case_id}",
        (),
        (section,),
        labels.w("footer", version=__version__, support=labels.w("support")),
    )
    return _html(document) if format == "html" else _markdown(document)
