"""Reports for people: what a reader must find in them, and that no document text can act.

Professionals hand these documents to colleagues, families and the family court, so every
bundled example must render in both languages and both formats with the outcome first, and
text planted into every free-text field must stay inert text in HTML and in Markdown.
"""

from __future__ import annotations

import copy
import html
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

import kwg_check
from engine_support import document as engine_document
from engine_support import instrument_data
from kwg_check import Assessment
from kwg_check._vocabulary import format_date, localized
from kwg_check.cli import main

EXAMPLES = [example.name for example in kwg_check.examples()]
LANGS: tuple[Literal["de", "en"], ...] = ("de", "en")
SECTION_IDS = ("decision", "profile", "resources", "unknowns", "process", "items", "appendix")
HEADINGS = {
    "en": (
        "Outcome",
        "Risk and resource profile",
        "Resources and the family's view",
        "What is unknown",
        "Process checks",
        "Items, ratings and evidence",
        "Appendix: fingerprints",
    ),
    "de": (
        "Ergebnis",
        "Risiko- und Ressourcenprofil",
        "Ressourcen und Sicht der Familie",
        "Was unbekannt ist",
        "Verfahrensprüfungen",
        "Merkmale, Einschätzungen und Belege",
        "Anhang: Fingerabdrücke",
    ),
}
CONSENSUS = {"en": "Consensus", "de": "Konsens"}


def sections_of(assessment: Assessment, names: tuple[str, ...], consensus: str) -> list[str]:
    """The report's sections: a consensus adds its section before the appendix."""
    if not assessment.resolves:
        return list(names)
    return [*names[:-1], consensus, names[-1]]


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section",
    "h1", "h2", "h3", "p", "dl", "dt", "dd", "div", "ul", "ol", "li", "blockquote", "br", "bdi",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "span",
    "svg", "defs", "pattern", "rect", "line", "text", "desc", "circle", "g",
}  # fmt: skip
PAYLOAD = (
    '<script>alert(1)</script>"><img src=x onerror=alert(1)></style>]]> | cell | '
    "[link](https://evil.example) <https://evil.example> www.evil.example a@b.example "
    "*em* _em_ `code` <b>bold</b> &amp; \\| # heading\n| injected | row |\n<iframe>"
)


def example_json(name: str) -> Any:
    """A fresh copy of a bundled example, as plain JSON data to change."""
    return copy.deepcopy(kwg_check.example_data(name))


def assessment_of(name: str) -> Assessment:
    return kwg_check.parse_assessment(kwg_check.example_data(name))


def outcome_label(assessment: Assessment, lang: str) -> str:
    summary = kwg_check.score_assessment(assessment)
    instrument = kwg_check.resolve_instrument(assessment).instrument
    outcome = next(o for o in instrument.outcomes if o.id == summary.outcome.final)
    return outcome.label.translations[lang]


class Tags(HTMLParser):
    """Collects every start tag, its attributes and the text the reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "rect", "line"):
            self._in.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        (self.style if self._in and self._in[-1] == "style" else self.text).append(data)


def parse(document: str) -> Tags:
    parser = Tags()
    parser.feed(document)
    parser.close()
    return parser


# --- every example, both languages, both formats ------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_html_report_has_every_section_and_the_outcome_first(name: str, lang: str) -> None:
    """The reader meets the acute flags, then the outcome, then the rest, in a fixed order."""
    assessment = assessment_of(name)
    document = kwg_check.render_report(assessment, lang=lang, format="html")  # type: ignore[arg-type]
    tags = parse(document)
    ids = [attrs.get("id") for tag, attrs in tags.tags if tag == "section"]
    assert ids == sections_of(assessment, SECTION_IDS, "consensus")
    text = "".join(tags.text)
    headings = re.findall(r'<section id="[a-z]+"[^>]*>\n<h2>([^<]*)</h2>', document)
    assert [html.unescape(heading) for heading in headings] == sections_of(
        assessment, HEADINGS[lang], CONSENSUS[lang]
    )
    final = outcome_label(assessment, lang)
    assert final in text
    assert text.index(final) < text.index(HEADINGS[lang][1])
    summary = kwg_check.score_assessment(assessment)
    instrument = kwg_check.resolve_instrument(assessment).instrument
    first_page = text[: text.index(HEADINGS[lang][1])]
    for flag in summary.flags:
        label = next(f.label for f in instrument.flags if f.id == flag.id)
        shown = label.translations[lang] in first_page
        assert shown == flag.raised, flag.id
    severity = {flag.id: flag.severity for flag in instrument.flags}
    acute = any(f.raised and severity[f.id] == "acute" for f in summary.flags)
    alerts = [attrs for tag, attrs in tags.tags if attrs.get("role") == "alert"]
    assert len(alerts) == int(acute)
    if acute:
        assert document.index('role="alert"') < document.index('<section id="decision">')
    # the profile chart, and the network map when a resource is placed in a sector
    network = any(resource.sector for resource in assessment.resources)
    assert sum(tag == "svg" for tag, _ in tags.tags) == 1 + network


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_markdown_report_has_every_section_and_a_table_instead_of_the_chart(
    name: str, lang: str
) -> None:
    """Markdown carries the same sections; the chart becomes its accessible table."""
    assessment = assessment_of(name)
    document = kwg_check.render_report(assessment, lang=lang, format="md")  # type: ignore[arg-type]
    headings = [line[3:] for line in document.splitlines() if line.startswith("## ")]
    assert [re.sub(r"\\(.)", r"\1", h) for h in headings] == sections_of(
        assessment, HEADINGS[lang], CONSENSUS[lang]
    )
    assert "<svg" not in document
    profile = document.split("\n## ")[2]
    assert "| --- | --- | --- |" in profile
    plain = re.sub(r"\\(.)", r"\1", document)
    assert outcome_label(assessment, lang) in plain


def test_reports_are_deterministic() -> None:
    """Same documents, same bytes: a report can be filed and compared later."""
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    assert kwg_check.render_report(assessment, lang="de") == kwg_check.render_report(
        assessment, lang="de"
    )


def test_german_and_english_reports_use_the_instrument_labels_of_their_language() -> None:
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    german = "".join(parse(kwg_check.render_report(assessment, lang="de")).text)
    english = "".join(parse(kwg_check.render_report(assessment, lang="en")).text)
    assert "Latente Gefährdung" in german
    assert "Latent endangerment" not in german
    assert "Latent endangerment" in english
    assert "Latente Gefährdung" not in english
    assert "Zuerst klären" in german
    assert "Clarify first" in english


def test_report_shows_override_with_author_and_justification_beside_the_computed_outcome() -> None:
    """Judgement stays with people: computed and final side by side, with the reason why."""
    assessment = assessment_of("kwg8a-override-one-level-up")
    assert assessment.override is not None
    text = "".join(parse(kwg_check.render_report(assessment, lang="en")).text)
    outcome = text[text.index("Final outcome") : text.index("Risk and resource profile")]
    assert "Latent endangerment" in outcome
    assert "No endangerment, but need for help" in outcome
    assert assessment.override.author in outcome
    assert assessment.override.justification.split()[0] in outcome


def test_report_shows_the_family_view_and_every_resource_in_their_own_words() -> None:
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    text = "".join(parse(kwg_check.render_report(assessment, lang="de")).text)
    assert assessment.family_view is not None
    for words in (assessment.family_view.statement, assessment.family_view.will):
        assert words is not None
        assert words in text
    for resource in assessment.resources:
        assert resource.label in text


def test_report_lists_every_evidence_entry_and_the_clarify_first_items() -> None:
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    text = "".join(parse(kwg_check.render_report(assessment, lang="en")).text)
    for answer in assessment.answers.values():
        for entry in answer.evidence:
            assert entry.observation in text
    assert "Access to the child refused or departure imminent" in text
    assert "from Latent endangerment to Acute endangerment" in text


@pytest.mark.parametrize("format_", ["md", "html"])
def test_the_trace_is_an_appendix_printed_only_on_request(format_: str) -> None:
    """The fingerprints are always there; the trace, step by step, only with trace=True."""
    assessment = assessment_of("kwg8a-latent-infant-feeding")
    summary = kwg_check.score_assessment(assessment)
    plain = kwg_check.render_report(assessment, lang="en", format=format_)  # type: ignore[arg-type]
    full = kwg_check.render_report(assessment, lang="en", format=format_, trace=True)  # type: ignore[arg-type]
    for document in (plain, full):
        appendix = document[document.index("Appendix") :]
        assert summary.instrument.fingerprint in appendix
        assert summary.assessment.fingerprint in appendix
    assert "--trace" in plain[plain.index("Appendix") :]
    if format_ == "md":
        step = re.compile(r"^\| [0-9]+ \|", re.MULTILINE)
    else:
        step = re.compile(r"<tr><td>[0-9]+</td>")
    assert step.findall(plain[plain.index("Appendix") :]) == []
    assert len(step.findall(full[full.index("Appendix") :])) == len(summary.trace)
    assert full.index("Appendix") > full.index("Items, ratings and evidence")


def _section(document: str, ident: str) -> str:
    """The HTML of one section of the report."""
    start = document.index(f'<section id="{ident}"')
    return document[start : document.index("</section>", start)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_decision_comes_first_with_its_colour_range_clarify_first_and_failed_checks(
    lang: Literal["de", "en"],
) -> None:
    """Page 1 carries what the decision rests on, before any detail (issue 15, item 4)."""
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    summary = kwg_check.score_assessment(assessment)
    instrument = kwg_check.resolve_instrument(assessment).instrument
    document = kwg_check.render_report(assessment, lang=lang)
    sections = re.findall(r'<section id="([a-z]+)"', document)
    assert sections[:2] == ["decision", "profile"]
    decision = _section(document, "decision")
    assert '<div class="verdict light-yellow" id="verdict">' in decision
    text = "".join(parse(decision).text)

    def label(element: Any) -> str:
        return str(element.label.de if lang == "de" else element.label.en)

    outcomes = {o.id: label(o) for o in instrument.outcomes}
    assert outcomes[summary.outcome.final or ""] in text
    assert {"de": "Ampel: gelb", "en": "Traffic light: yellow"}[lang] in text
    low, high = summary.unknowns.range.lowest, summary.unknowns.range.highest
    assert low != high
    assert {"de": "{} bis {}", "en": "from {} to {}"}[lang].format(
        outcomes[low or ""], outcomes[high or ""]
    ) in text
    assert summary.unknowns.clarify_first
    items = {item.id: label(item) for item in instrument.items}
    for ident in summary.unknowns.clarify_first:
        assert items[ident] in text
    failed = [check for check in summary.process_checks if check.result == "fail"]
    assert failed
    checks = {check.id: label(check) for check in instrument.process_checks}
    for check in failed:
        assert checks[check.id] in text
    for check in summary.process_checks:
        if check.result != "fail":
            assert checks[check.id] not in text
    for flag in summary.flags:
        flag_label = next(label(f) for f in instrument.flags if f.id == flag.id)
        severity = next(f.severity for f in instrument.flags if f.id == flag.id)
        assert (flag_label in text) == (flag.raised and severity != "acute")


@pytest.mark.parametrize(
    ("name", "light"),
    [
        ("kwg8a-no-need-preschool", "green"),
        ("kwg8a-grey-zone-unknowns", "yellow"),
        ("kwg8a-acute-floor-despite-resources", "red"),
        ("kwg8a-grey-zone-unknowns", None),
    ],
)
def test_the_outcome_box_takes_the_colour_of_the_final_outcome(
    name: str, light: str | None
) -> None:
    """The colour follows the traffic light; an instrument without one gets a neutral box."""
    assessment = assessment_of(name)
    data: Any = kwg_check.dump_document(kwg_check.resolve_instrument(assessment).instrument)
    if light is None:
        for outcome in data["outcomes"]:
            outcome.pop("traffic_light", None)
    instrument = kwg_check.parse_instrument(data)
    assert kwg_check.score_assessment(assessment, instrument).outcome.traffic_light == light
    document = kwg_check.render_report(assessment, instrument)
    verdict = re.search(r'<div class="verdict([^"]*)" id="verdict">', document)
    assert verdict is not None
    assert verdict.group(1) == (f" light-{light}" if light else "")


def test_markdown_has_the_same_order_with_the_decision_first() -> None:
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    document = kwg_check.render_report(assessment, lang="en", format="md")
    first = document[: document.index("## Risk and resource profile")]
    assert "**Final outcome: Latent endangerment (Traffic light: yellow)**" in first
    assert "from Latent endangerment to Acute endangerment" in first
    assert "### Clarify first" in first
    assert "### Process checks not met" in first


def test_identifiers_and_dates_are_never_broken_inside() -> None:
    """Case ids, dates and the trace's ids stand in no-break spans (no "stre|ss", no "K-|2026")."""
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    summary = kwg_check.score_assessment(assessment)
    document = kwg_check.render_report(assessment, lang="de", trace=True)
    style = "".join(parse(document).style)
    assert re.search(r"\.id \{[^}]*white-space: nowrap[^}]*hyphens: none", style)
    assert "table.trace th { white-space: nowrap; }" in style
    assert "overflow-wrap: anywhere" not in style
    case = summary.assessment.case_id
    assert f'Fall <span class="id">{case}</span></h1>' in document
    assert f'<dd><span class="id">{summary.assessment.id}</span></dd>' in document
    assert '<span class="id">28.04.2026</span>' in _section(document, "items")
    trace = _section(document, "appendix")
    step_ids = {step.id for step in summary.trace}
    assert "high_risk_no_cooperation" in step_ids
    assert '<td><span class="id">high_risk_no_cooperation</span></td>' in trace
    assert re.search(r"<td>[a-z_]{20}", trace) is None  # every id cell is wrapped


def test_prose_is_hyphenated_in_the_report_language() -> None:
    document = kwg_check.render_report(assessment_of("kwg8a-grey-zone-unknowns"), lang="de")
    assert document.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert re.search(
        r"p, li, dd, td, blockquote \{ hyphens: auto; \}", "".join(parse(document).style)
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [("de", '"Seite " counter(page) " von " counter(pages)'), ("en", '"Page " counter(page)')],
)
def test_every_printed_page_names_case_assessment_and_date_and_is_numbered(
    lang: Literal["de", "en"], words: str
) -> None:
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    ref = kwg_check.score_assessment(assessment).assessment
    style = "".join(parse(kwg_check.render_report(assessment, lang=lang)).style)
    page = style[style.index("@page { @top-left") :]
    assert ref.case_id in page
    assert ref.id in page
    assert format_date(ref.assessment_date, lang) in page
    assert f"@bottom-right {{ content: {words}" in page


def test_css_strings_cannot_leave_their_quotes() -> None:
    """The running header is written into CSS: quotes, backslashes and markup are escaped."""
    from kwg_check._views._report._html import _css_string

    written = _css_string('a"b\\c</style>ä\n')
    assert written == '"a\\000022b\\00005cc\\00003c/style\\00003e\\0000e4\\00000a"'


def _svg_bars(document: str) -> list[tuple[str, float]]:
    tags = parse(document).tags
    return [
        (attrs["fill"] or "", float(attrs["width"] or 0))
        for tag, attrs in tags
        if tag == "rect" and attrs.get("height") == "14"
    ]


def test_a_full_strength_is_drawn_exactly_as_long_as_a_full_risk() -> None:
    """One common scale: resources are never drawn smaller than risks for lack of space."""
    data = example_json("kwg8a-acute-floor-despite-resources")
    answers = data["answers"]
    for item in ("missed_signals", "devaluation", "rejection", "role_reversal"):
        answers[item] = {"level": "severe", "evidence": [{"observation": "fictional"}]}
    document = kwg_check.render_report(kwg_check.parse_assessment(data), lang="en")
    bars = _svg_bars(document)
    risk = max(width for fill, width in bars if fill == "#b0502a")
    strength = max(width for fill, width in bars if fill == "#2c7a6a")
    assert risk == strength > 0


def test_unknown_items_are_drawn_hatched_not_as_zero() -> None:
    """Unknown is not absent: the chart shows how far the unknown items could reach."""
    document = kwg_check.render_report(assessment_of("kwg8a-grey-zone-unknowns"), lang="en")
    fills = {fill for fill, _ in _svg_bars(document)}
    assert {"url(#hatch-risk)", "url(#hatch-protect)"} <= fills


def test_html_is_one_self_contained_file_that_prints_on_a4() -> None:
    document = kwg_check.render_report(assessment_of("kwg8a-grey-zone-unknowns"), lang="en")
    tags = parse(document)
    assert not [t for t, a in tags.tags if t in ("link", "script", "img", "iframe", "object")]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", document)
    style = "".join(tags.style)
    assert "@page { size: A4" in style
    assert "break-before: page" in style
    assert "tr," in style
    assert "break-inside: avoid" in style
    policy = [a for t, a in tags.tags if t == "meta" and a.get("http-equiv")]
    assert policy
    assert "default-src 'none'" in (policy[0]["content"] or "")


def test_unknown_language_or_format_is_an_error_of_the_library() -> None:
    assessment = assessment_of("kwg8a-no-need-preschool")
    with pytest.raises(kwg_check.ArgumentError) as language:
        kwg_check.render_report(assessment, lang="fr")  # type: ignore[arg-type]
    assert language.value.code == "argument.language"
    with pytest.raises(kwg_check.ArgumentError) as format_:
        kwg_check.render_report(assessment, format="pdf")  # type: ignore[arg-type]
    assert format_.value.code == "argument.format"
    comparison = kwg_check.compare(assessment, assessment)
    for wrong in ({"lang": "fr"}, {"format": "pdf"}):
        with pytest.raises(ValueError, match="argument"):  # an ArgumentError is a ValueError
            kwg_check.render_comparison(comparison, **wrong)  # type: ignore[arg-type]


def test_without_a_language_the_report_is_in_the_instruments_language() -> None:
    assessment = assessment_of("kwg8a-no-need-preschool")
    assert kwg_check.default_language(kwg_check.resolve_instrument(assessment)) == "de"
    german = kwg_check.render_report(assessment, lang="de")
    assert kwg_check.render_report(assessment) == german
    comparison = kwg_check.compare(assessment, assessment)
    assert kwg_check.render_comparison(comparison) == kwg_check.render_comparison(
        comparison, lang="de"
    )


# --- escaping: planted markup never becomes live -------------------------------------------


def _leaves(annotation: Any) -> list[Any]:
    """The innermost types of an annotation (through Optional, list, dict values)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return [annotation]
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) for leaf in _leaves(arg)]
    if origin in (list, tuple):
        return _leaves(typing.get_args(annotation)[0])
    if origin is dict:
        return _leaves(typing.get_args(annotation)[1])
    return [annotation]


def _has_pattern(metadata: list[Any]) -> bool:
    for entry in metadata:
        if getattr(entry, "pattern", None) or _has_pattern(getattr(entry, "metadata", [])):
            return True
    return False


def _is_free_text(annotation: Any, metadata: list[Any]) -> bool:
    for leaf in _leaves(annotation):
        if typing.get_origin(leaf) is typing.Annotated:
            base, *extra = typing.get_args(leaf)
            if base is str and not _has_pattern(extra):
                return True
        elif leaf is str and not _has_pattern(metadata):
            return True
    return False


def free_text_fields(model: type[BaseModel]) -> set[tuple[str, str]]:
    """(model, field) for every free-text string field reachable from the model."""
    found: set[tuple[str, str]] = set()
    seen: set[type[BaseModel]] = set()

    def walk(current: type[BaseModel]) -> None:
        if current in seen:
            return
        seen.add(current)
        for name, field in current.model_fields.items():
            if _is_free_text(field.annotation, field.metadata):
                found.add((current.__name__, field.alias or name))
            for leaf in _leaves(field.annotation):
                if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                    walk(leaf)

    walk(model)
    return found


def plant(
    data: Any, model: type[BaseModel], planted: set[tuple[str, str]], payload: str = PAYLOAD
) -> None:
    """Put the payload into every free-text field of the data, adding optional ones."""
    for name, field in model.model_fields.items():
        key = field.alias or name
        if _is_free_text(field.annotation, field.metadata):
            data[key] = payload
            planted.add((model.__name__, key))
            continue
        value = data.get(key)
        for leaf in _leaves(field.annotation):
            if not (isinstance(leaf, type) and issubclass(leaf, BaseModel)):
                continue
            if isinstance(value, dict) and typing.get_origin(field.annotation) is dict:
                for child in value.values():
                    plant(child, leaf, planted, payload)
            elif isinstance(value, dict):
                plant(value, leaf, planted, payload)
            elif isinstance(value, list):
                for child in value:
                    plant(child, leaf, planted, payload)


def planted_assessments() -> tuple[list[tuple[str, dict[str, Any]]], set[tuple[str, str]]]:
    planted: set[tuple[str, str]] = set()
    documents = []
    for name in EXAMPLES:
        data = example_json(name)
        data.setdefault("family_view", {}).setdefault("goals", [{"goal": "x"}])
        data.setdefault("participation", {})
        data["participation"].setdefault("parents", {"involved": False})
        data["participation"].setdefault("child", {"involved": False})
        for answer in data.get("answers", {}).values():
            answer.setdefault("evidence", [{"observation": "x"}])
        data.setdefault("resources", []).append(
            {"category": "social_network", "label": "x", "available": True}
        )
        for resource in data["resources"]:  # every label is drawn in the network map too
            resource.setdefault("sector", "friends_and_neighbours")
        plant(data, Assessment, planted)
        documents.append((name, data))
    return documents, planted


PLANTED, PLANTED_FIELDS = planted_assessments()


def test_the_payload_reaches_every_free_text_field_of_the_assessment_model() -> None:
    """If a new free-text field is added to the model, the escaping tests must cover it."""
    assert free_text_fields(Assessment) == PLANTED_FIELDS
    assert {("Evidence", "observation"), ("Judgement", "justification")} <= PLANTED_FIELDS


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "data"), PLANTED, ids=[name for name, _ in PLANTED])
def test_planted_markup_stays_text_in_html(name: str, data: dict[str, Any], lang: str) -> None:
    """No script, image, frame or event handler appears; the payload is shown as text."""
    assessment = kwg_check.parse_assessment(data)
    document = kwg_check.render_report(assessment, lang=lang)  # type: ignore[arg-type]
    tags = parse(document)
    unexpected = {tag for tag, _ in tags.tags} - ALLOWED_TAGS
    assert not unexpected
    handlers = [key for _, attrs in tags.tags for key in attrs if key.startswith("on")]
    assert not handlers
    assert sum(tag == "style" for tag, _ in tags.tags) == 1
    assert "alert(1)" not in "".join(tags.style)
    text = "".join(tags.text)
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)></style>]]>' in text


def _unescaped(line: str, wanted: str) -> int:
    """How often ``wanted`` occurs in a Markdown line without a backslash escape."""
    count, position = 0, 0
    while position < len(line):
        if line[position] == "\\":
            position += 2
            continue
        count += line[position] == wanted
        position += 1
    return count


@pytest.mark.parametrize(("name", "data"), PLANTED, ids=[name for name, _ in PLANTED])
def test_planted_markup_cannot_leave_its_markdown_cell_link_or_embed_html(
    name: str, data: dict[str, Any]
) -> None:
    document = kwg_check.render_report(kwg_check.parse_assessment(data), lang="en", format="md")
    columns = 0
    for line in document.splitlines():
        if line.startswith("| "):
            if columns == 0:
                columns = _unescaped(line, "|")
            assert _unescaped(line, "|") == columns, line
        else:
            columns = 0
        own = line.replace("<br>", "")
        assert "<" not in own, line
        for special in "[]`":
            assert not _unescaped(line, special), line
        assert _only_own_emphasis(line), line
        assert "://" not in line.replace("\\://", "")
        assert "www." not in line
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document


def _only_own_emphasis(line: str) -> bool:
    """Our own emphasis wraps whole lines or labels (``**Label:**``, ``_note_``)."""
    stripped = re.sub(r"^- \*\*[^*]*:\*\* ", "- ", line)
    stripped = re.sub(r"^\*\*(.*)\*\*$", r"\1", stripped)
    stripped = re.sub(r"^_(.*)_$", r"\1", stripped)
    stripped = re.sub(r"^> \*\*(.*)\*\*$", r"\1", stripped)
    stripped = re.sub(r"^\| \*\*(.*)\*\* \|(?:   \|)+$", r"\1", stripped)  # a group row
    return not _unescaped(stripped, "*") and not _unescaped(stripped, "_")


def test_planted_markup_in_instrument_labels_stays_text() -> None:
    """Instrument files come from elsewhere too: their labels are escaped like case text."""
    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    bundled = kwg_check.resolve_instrument(assessment).instrument
    data: Any = kwg_check.dump_document(bundled)
    for element in [*data["outcomes"], *data["domains"]]:
        element["label"] = {"de": PAYLOAD, "en": PAYLOAD}
    instrument = kwg_check.parse_instrument(data)
    tags = parse(kwg_check.render_report(assessment, instrument))
    assert not {tag for tag, _ in tags.tags} - ALLOWED_TAGS
    assert not [key for _, attrs in tags.tags for key in attrs if key.startswith("on")]


# --- isolation: bidi controls in document text reorder nothing outside it ----------------

MARKER = "FREE"
BIDI_PAYLOAD = (
    f"\u2069\u202e{MARKER} \u2067x\n{MARKER}\u202d y\u2029{MARKER}\u202b z\x85{MARKER}\u202a "
    f"\u2066{MARKER}\u202c\u2069\u2069\ufdd1{MARKER}\ufdd2"
)
"""Unterminated overrides, embeddings and isolates, stray PDF and PDIs, paragraph separators,
and the report's own internal mark characters, in one note."""

_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
_OPENERS.update(dict.fromkeys("\u2066\u2067\u2068", "\u2069"))
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PARAGRAPH = re.compile("[\n\r\x1c-\x1e\x85\u2029]")


def self_contained(text: str) -> bool:
    """Whether bidi text opens and closes everything itself (UAX #9): no PDI that would close
    an isolate from outside, nothing left open at its end, no paragraph break inside."""
    if _PARAGRAPH.search(text):
        return False
    closers: list[str] = []
    for char in text:
        if char in _OPENERS:
            closers.append(_OPENERS[char])
        elif char == "\u202c" and closers and closers[-1] == "\u202c":
            closers.pop()
        elif char == "\u2069":
            if "\u2069" not in closers:
                return False
            while closers.pop() != "\u2069":
                pass
    return not closers


def outside_isolates(text: str) -> str:
    """The text without its FSI … PDI spans (SVG's isolation), each checked self-contained."""
    rest, position = [], 0
    while (start := text.find("\u2068", position)) >= 0:
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += text[end] in "\u2066\u2067\u2068"
            depth -= text[end] == "\u2069"
            if depth == 0:
                break
        assert depth == 0, ascii(text[start:])
        assert self_contained(text[start + 1 : end]), ascii(text[start:])
        rest.append(text[position:start])
        position = end + 1
    return "".join(rest) + text[position:]


class Isolation(HTMLParser):
    """Collects the text of every ``<bdi>`` and all text outside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.isolated: list[str] = []
        self.outside: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "bdi":
            self._depth += 1
            self.isolated.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "bdi":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.isolated[-1] += data
        else:
            self.outside.append(data)


def assert_isolated(document: str) -> None:
    """Every planted text is inside an isolate that contains its bidi controls."""
    found = Isolation()
    found.feed(document)
    found.close()
    for text in found.isolated:
        assert self_contained(text), ascii(text)
    outside = outside_isolates("".join(found.outside))
    assert not _CONTROLS.search(outside)
    assert MARKER not in outside
    assert any(MARKER in text for text in found.isolated)


def plant_labels(data: Any) -> None:
    """Put the payload into every localized text of an instrument."""
    if isinstance(data, dict):
        if set(data) == {"de", "en"}:
            data.update(de=BIDI_PAYLOAD, en=BIDI_PAYLOAD)
            return
        for child in data.values():
            plant_labels(child)
    elif isinstance(data, list):
        for child in data:
            plant_labels(child)


def bidi_planted(data: dict[str, Any]) -> tuple[Assessment, kwg_check.Instrument]:
    planted = copy.deepcopy(data)
    plant(planted, Assessment, set(), BIDI_PAYLOAD)
    assessment = kwg_check.parse_assessment(planted)
    instrument: Any = kwg_check.dump_document(kwg_check.resolve_instrument(assessment).instrument)
    plant_labels(instrument)
    return assessment, kwg_check.parse_instrument(instrument)


@pytest.mark.parametrize(("name", "data"), PLANTED, ids=[name for name, _ in PLANTED])
def test_planted_bidi_controls_stay_inside_their_text_in_html(
    name: str, data: dict[str, Any]
) -> None:
    """An unterminated U+202E in a note must not reverse the report's words after it."""
    assessment, instrument = bidi_planted(data)
    assert_isolated(kwg_check.render_report(assessment, instrument, lang="de"))


def test_a_resource_label_in_the_comparison_is_isolated_too() -> None:
    old = example_json("kwg8a-grey-zone-unknowns")
    new = copy.deepcopy(old)
    new["id"] = "GE-2026-0134-02"
    new.setdefault("resources", []).append(
        {"category": "family", "label": BIDI_PAYLOAD, "available": True}
    )
    comparison = kwg_check.compare(kwg_check.parse_assessment(old), kwg_check.parse_assessment(new))
    assert_isolated(kwg_check.render_comparison(comparison, format="html"))


def test_markdown_keeps_joiners_and_neutralises_bidi_controls() -> None:
    data = example_json("kwg8a-grey-zone-unknowns")
    emoji = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # a family: three people, joined
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "mi-khaham" with a ZWNJ
    family = f"{emoji} {persian}"
    data["family_view"] = {"statement": family + " \u202eevil"}
    document = kwg_check.render_report(kwg_check.parse_assessment(data), lang="en", format="md")
    assert family in document  # ZWJ emoji sequence and Persian ZWNJ unchanged
    assert "\u202e" not in document
    assert not re.search("[\ufdd0-\ufdd2]", document)  # no internal marks leak


# --- command line -------------------------------------------------------------------------


def test_cli_report_writes_a_german_html_file_from_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented one-liner: example | report - --lang de -o bericht.html."""
    assert main(["example", "kwg8a-grey-zone-unknowns"]) == 0
    example_json = capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=_Bytes(example_json)))
    target = tmp_path / "bericht.html"
    assert main(["report", "-", "--lang", "de", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in text
    assert capsys.readouterr().out == ""


class _Bytes:
    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")

    def read(self, limit: int = -1) -> bytes:
        return self.data


def test_cli_report_markdown_to_stdout_and_invalid_input_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.json"
    path.write_text(kwg_check.dump_json(kwg_check.example_data("kwg8a-no-need-preschool")))
    assert main(["report", str(path), "--format", "md", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("# Risk assessment report")
    assert main(["report", str(path), "--format", "md"]) == 0  # the instrument's language
    assert capsys.readouterr().out.startswith("# Bericht zur Gefährdungseinschätzung")
    path.write_text('{"document_type": "assessment"}')
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:")


def test_cli_report_prints_the_trace_only_with_the_trace_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.json"
    path.write_text(kwg_check.dump_json(kwg_check.example_data("kwg8a-no-need-preschool")))
    outputs = {}
    for option in ([], ["--no-trace"], ["--trace"]):
        assert main(["report", str(path), "--format", "md", "--lang", "en", *option]) == 0
        outputs[" ".join(option)] = capsys.readouterr().out
    assert outputs[""] == outputs["--no-trace"]
    assert "### Trace" not in outputs[""]
    assert "## Appendix: fingerprints" in outputs[""]
    assert "## Appendix: trace and fingerprints" in outputs["--trace"]
    assert "### Trace" in outputs["--trace"]


def test_cli_report_with_previous_includes_the_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = example_json("kwg8a-grey-zone-unknowns")
    new = example_json("kwg8a-grey-zone-unknowns")
    new["id"] = "GE-2026-0134-02"
    new["answers"]["nutrition"] = {"level": "partly"}
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(kwg_check.dump_json(old))
    new_path.write_text(kwg_check.dump_json(new))
    assert main(["report", str(new_path), "--previous", str(old_path), "--lang", "en"]) == 0
    document = capsys.readouterr().out
    tags = parse(document)
    ids = [attrs.get("id") for tag, attrs in tags.tags if tag == "section"]
    assert ids == [*SECTION_IDS[:-1], "comparison", "appendix"]
    assert "Nutrition" in "".join(tags.text).split("Changes since the previous assessment")[1]


def test_cli_report_with_a_previous_assessment_of_another_child_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the same child's assessments compare; the error names a pointer, not content."""
    current, other = tmp_path / "current.json", tmp_path / "other.json"
    current.write_text(kwg_check.dump_json(example_json("kwg8a-grey-zone-unknowns")))
    other.write_text(kwg_check.dump_json(example_json("kwg8a-no-need-preschool")))
    assert main(["report", str(current), "--previous", str(other)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"{current}:/subject/case_id: compare.subject-mismatch: ")


def test_unremarkable_items_share_rows_and_only_concerning_levels_show_anchors() -> None:
    """Issue 15: the item section prints short without hiding a single rating.

    Items rated, not concerning and with nothing written share one row per domain and level;
    every concerning, unknown or documented item keeps a row of its own, and the anchor table
    holds only the levels a concerning rating chose.
    """
    from kwg_check._views._report._markdown import _md

    assessment = assessment_of("kwg8a-grey-zone-unknowns")
    summary = kwg_check.score_assessment(assessment)
    instrument = kwg_check.resolve_instrument(assessment).instrument
    text = kwg_check.render_report(assessment, lang="en", format="md")
    items, anchors = text.split("## Items, ratings and evidence")[1].split("### Anchors")
    anchors = anchors.split("\n## ")[0]
    rows = [line.split(" | ") for line in _body_rows(items)]
    first_cells = [cells[0].removeprefix("| ") for cells in rows]
    label = {item.id: _md(localized(item.label, "en")) for item in instrument.items}
    scale_of = {item.id: item.scale for item in instrument.items}
    instrument_items = {item.id: item for item in instrument.items}
    quiet, own, concerning_levels = [], [], set()
    shared: set[tuple[str, str]] = set()  # the (domain, rating) a shared row stands for
    for result in summary.items:
        answer = assessment.answers.get(result.id)
        written = answer is not None and bool(answer.evidence or answer.note)
        if result.status == "not_applicable":
            shared.add((instrument_items[result.id].domain, "not applicable"))
        elif result.status == "answered" and not result.concerning and not written:
            quiet.append(result.id)
            shared.add((instrument_items[result.id].domain, str(answer.level if answer else None)))
        else:
            own.append(result.id)
        if result.concerning and answer is not None and answer.level is not None:
            own_anchors = instrument_items[result.id].anchors or {}
            where = result.id if answer.level in own_anchors else scale_of[result.id]
            concerning_levels.add((where, answer.level))
    assert quiet
    assert own
    assert len(rows) == len(own) + len(shared) < len(summary.items)
    for ident in quiet:
        assert any(label[ident] in cell.split("; ") for cell in first_cells), ident
    for ident in own:
        assert label[ident] in first_cells, ident
    assert len(_body_rows(anchors)) == len(concerning_levels)


def _body_rows(markdown: str) -> list[str]:
    """A Markdown table's rows without the header, the rule and the group headings."""
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [row for row in rows[2:] if not row.startswith("| **")]


# --- further results and index ranges (issue 13) --------------------------------------------

_FAMILY = {
    "kind": "family",
    "case_id": "fam-0042",
    "members": [{"id": "c-1", "role": "child", "age_months": 60}],
}
_CALM = {
    "prior_reports": "none",
    "new_report": "no",
    "plan_progress": "met",
    "visits": "kept",
    "substance": "no",
    "domestic_violence": "no",
    "child_needs": "no",
    "housing": "no",
    "support": "no",
}


def _family_report(
    changes: dict[str, str], format_: str = "html", lang: Literal["de", "en"] = "en"
) -> tuple[str, Any]:
    """The report of a family reassessment and the summary it shows. The instrument is
    English-only; for German it declares German as a (missing) translation, so the library's
    words are German and the instrument's labels fall back to English."""
    answers = {item: {"level": level} for item, level in {**_CALM, **changes}.items()}
    assessment = Assessment.model_validate(
        engine_document("family_reassessment", answers, subject=_FAMILY)
    )
    data = instrument_data("family_reassessment")
    if lang == "de":
        data["languages"] = ["en", "de"]
    instrument = kwg_check.Instrument.model_validate(data)
    summary = kwg_check.score_assessment(assessment, instrument)
    report = kwg_check.render_report(assessment, instrument, lang=lang, format=format_)  # type: ignore[arg-type]
    return report, summary


def test_the_decision_page_shows_each_further_result_with_its_range_and_clarify_first() -> None:
    """The action matrix's value, the actions the unknown finding allows and that the finding
    is to be clarified first stand on page 1, before the profile."""
    document_, summary = _family_report({})  # the finding is not answered
    (action,) = summary.results
    assert action.range is not None
    assert (action.value, action.range.lowest, action.range.highest) == (
        "continue",
        "close",
        "continue",
    )
    decision = "".join(parse(_section(document_, "decision")).text)
    assert "Further results" in decision
    assert "Recommended action" in decision
    values = {"close": "Close the case", "continue": "Continue services"}
    assert values[action.value] in decision
    assert (
        f"the unknowns allow {values[action.range.lowest]} to {values[action.range.highest]}"
        in decision
    )
    assert "clarify first: Finding of the investigation" in decision
    markdown, _ = _family_report({}, "md")
    head = markdown[: markdown.index("Reassessment score")]
    assert "Recommended action" in head
    assert "clarify first: Finding of the investigation" in head


def test_a_known_finding_shows_the_value_without_range_or_clarify_first() -> None:
    document_, summary = _family_report({"finding": "substantiated"})
    (action,) = summary.results
    assert action.range is None
    decision = "".join(parse(_section(document_, "decision")).text)
    assert "Continue services" in decision
    assert "the unknowns allow" not in decision
    assert "clarify first:" not in decision


def test_index_ranges_stand_beside_the_index_values_under_unknowns() -> None:
    """The reassessment with one unknown: a total that could be higher shows both ends."""
    document_, summary = _family_report(
        {"finding": "not_substantiated", "plan_progress": "cannot_obtain"}
    )
    (span,) = summary.unknowns.indices
    assert span.lowest is not None
    assert span.highest is not None
    assert span.lowest < span.highest
    profile = "".join(parse(_section(document_, "profile")).text)
    assert "Range under unknowns" in profile
    assert f"{span.lowest} to {span.highest}" in profile
    known, _ = _family_report({"finding": "not_substantiated"})
    assert "Range under unknowns" not in "".join(parse(_section(known, "profile")).text)


def test_further_results_and_index_ranges_have_german_words() -> None:
    document_, summary = _family_report({"plan_progress": "cannot_obtain"}, lang="de")
    decision = "".join(parse(_section(document_, "decision")).text)
    assert "Weitere Ergebnisse" in decision
    assert "das Unbekannte lässt Close the case bis Continue services zu" in decision
    assert "zuerst klären: Finding of the investigation" in decision
    profile = "".join(parse(_section(document_, "profile")).text)
    (span,) = summary.unknowns.indices
    assert "Spanne bei Unbekanntem" in profile
    assert f"{span.lowest} bis {span.highest}" in profile
