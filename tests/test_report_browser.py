"""The HTML report in a real browser: it loads without errors and shows what a reader needs.

Headless Chromium from the system's packages (``chromium``, ``chromium-driver`` on Debian)
opens every bundled example's report from a file, as a professional would. Locally the test
is skipped when the browser is missing; in CI (environment variable ``CI`` set) it fails.
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kwg_check
from kwg_check._vocabulary import format_date
from tool_support import load_tool, require, require_module

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SECTIONS = ["decision", "profile", "resources", "unknowns", "process", "items", "appendix"]
EXAMPLES = [example.name for example in kwg_check.examples()]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    for path in (CHROMIUM, CHROMEDRIVER):
        require(path.exists(), str(path))
    require_module("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (*load_tool("screenshot_report").CHROMIUM_ARGUMENTS, "--window-size=900,1200"):
        options.add_argument(argument)
    with tempfile.TemporaryDirectory(prefix="kwg-report-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def open_report(browser: Any, tmp_path: Path, html_text: str) -> list[dict[str, Any]]:
    """Load the report from a file; return the console entries it produced."""
    page = tmp_path / "report.html"
    page.write_text(html_text, encoding="utf-8")
    browser.get_log("browser")  # drop entries of earlier pages
    browser.get(page.as_uri())
    entries: list[dict[str, Any]] = browser.get_log("browser")
    return entries


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_report_loads_without_errors_and_shows_every_section(
    browser: Any, tmp_path: Path, name: str, lang: str
) -> None:
    from selenium.webdriver.common.by import By

    assessment = kwg_check.parse_assessment(kwg_check.example_data(name))
    entries = open_report(
        browser,
        tmp_path,
        kwg_check.render_report(assessment, lang=lang),  # type: ignore[arg-type]
    )
    assert [entry for entry in entries if entry.get("level") == "SEVERE"] == []
    sections = browser.find_elements(By.CSS_SELECTOR, "main > section")
    expected = [*SECTIONS[:-1], "consensus", SECTIONS[-1]] if assessment.resolves else SECTIONS
    assert [section.get_attribute("id") for section in sections] == expected
    for section in sections:
        assert section.find_element(By.TAG_NAME, "h2").text.strip()
    chart = browser.find_element(By.CSS_SELECTOR, "#profile figure svg")
    assert chart.get_attribute("role") == "img"
    assert chart.size["width"] > 300
    assert browser.find_elements(By.CSS_SELECTOR, "#profile table")
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang


def test_planted_markup_does_not_become_live_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """The same hostile text as in the escaping test, now in a real browser."""
    from selenium.webdriver.common.by import By

    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)></style>'
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["family_view"]["statement"] = payload
    data["resources"][0]["label"] = payload
    assessment = kwg_check.parse_assessment(data)
    entries = open_report(browser, tmp_path, kwg_check.render_report(assessment))
    assert [entry for entry in entries if entry.get("level") == "SEVERE"] == []
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert payload in browser.find_element(By.ID, "resources").text


def print_pdf(browser: Any) -> bytes:
    """The loaded page printed to PDF on A4, as Chromium's own print does it."""
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_width = 21.0
    options.page_height = 29.7
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    return pdf


def squash(text: str) -> str:
    """Text compared without ligatures, line breaks and hyphenation of either side."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", unicodedata.normalize("NFKC", text))


def labelled(elements: Any, lang: str) -> dict[str, str]:
    return {e.id: e.label.de if lang == "de" else e.label.en for e in elements}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_grey_zone_report_prints_the_decision_on_page_1_and_at_most_5_pages(
    browser: Any, tmp_path: Path, lang: kwg_check.Lang
) -> None:
    """Issue 15, item 4: outcome in colour, range, clarify first and failed checks on page 1."""
    from selenium.webdriver.common.by import By

    require_module("pypdf")
    import pypdf

    assessment = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    summary = kwg_check.score_assessment(assessment)
    instrument = kwg_check.resolve_instrument(assessment).instrument
    open_report(browser, tmp_path, kwg_check.render_report(assessment, lang=lang))
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.value_of_css_property("border-left-color") == "rgba(242, 183, 5, 1)"
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(print_pdf(browser))).pages]
    # Issue 15: at most 5 A4 pages without the trace, network map and planning table included.
    assert len(pages) <= 5
    first = squash(pages[0])
    outcomes = labelled(instrument.outcomes, lang)
    low, high = summary.unknowns.range.lowest or "", summary.unknowns.range.highest or ""
    expected = [outcomes[summary.outcome.final or ""], outcomes[low], outcomes[high]]
    items = labelled(instrument.items, lang)
    expected += [items[ident] for ident in summary.unknowns.clarify_first]
    checks = labelled(instrument.process_checks, lang)
    failed = [checks[check.id] for check in summary.process_checks if check.result == "fail"]
    assert failed
    expected += failed
    expected.append({"de": "Zuerst klären", "en": "Clarify first"}[lang])
    for text in expected:
        assert squash(text) in first, text
    ref = summary.assessment
    word = {"de": "Seite {} von {}", "en": "Page {} of {}"}[lang]
    for number, page in enumerate(pages, start=1):
        for must in (ref.case_id, ref.id, format_date(ref.assessment_date, lang)):
            assert squash(must) in squash(page), (number, must)
        assert squash(word.format(number, len(pages))) in squash(page)


def test_the_trace_appendix_breaks_no_identifier_and_no_header_inside(
    browser: Any, tmp_path: Path
) -> None:
    """No "infant_crying_stre|ss", no "Ergebn|is": every id and trace header is one line box."""
    from selenium.webdriver.common.by import By

    assessment = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    report = kwg_check.render_report(assessment, lang="de", trace=True)
    open_report(browser, tmp_path, report)
    browser.set_window_size(794, 1123)  # A4 at 96 dpi: the width the print has
    spans = browser.find_elements(By.CSS_SELECTOR, "span.id")
    headers = browser.find_elements(By.CSS_SELECTOR, "table.trace th")
    assert len(spans) > 30  # the appendix holds the decision steps (summary v2) and their ids
    assert len(headers) == 6
    lines = browser.execute_script(
        "return arguments[0].map(e => e.getClientRects().length);", spans
    )
    assert set(lines) == {1}
    heights = {header.size["height"] for header in headers}
    assert len(heights) == 1  # one line each, none wrapped
    browser.set_window_size(900, 1200)
