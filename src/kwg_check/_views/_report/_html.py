"""The HTML writer: one self-contained, script-free file with its style sheet.

Every text reaches the page through :func:`_esc` (document text isolated in ``<bdi>``,
identifiers unbroken); the content security policy forbids any script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ._document import (
    _Alert,
    _Block,
    _Chart,
    _Document,
    _Facts,
    _Heading,
    _isolated_lines,
    _List,
    _Para,
    _plain,
    _Table,
    _Verdict,
)
from ._network import NetworkMap, network_svg
from ._svg import _profile_svg, _tag

# --- HTML ---------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1d2730; --muted: #56636e; --rule: #d3dae0; --soft: #f3f5f7;
  --risk: #b0502a; --protect: #2c7a6a; --alert: #a3161b;
  --green: #2e7d32; --yellow: #f2b705; --red: #c62828; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff; font-size: 10.5pt; line-height: 1.4;
  font-family: "Source Sans 3", "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
body { max-width: 190mm; margin: 0 auto; padding: 12mm 8mm 16mm; }
p, li, dd, td, blockquote { hyphens: auto; }
h1, h2, h3, th, dt { hyphens: manual; }
.id { white-space: nowrap; hyphens: none; word-break: keep-all; overflow-wrap: normal; }
header.doc { border-bottom: 2px solid var(--ink); padding-bottom: 1.5mm; margin-bottom: 2mm; }
h1 { font-size: 1.6rem; font-weight: 600; margin: 0 0 0.5mm; letter-spacing: -0.01em; }
.subtitle { color: var(--muted); margin: 0 0 1.5mm; }
h2 { font-size: 1.25rem; font-weight: 600; margin: 5mm 0 1.5mm; padding-bottom: 0.5mm;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; font-weight: 600; margin: 2.5mm 0 1mm; }
p { margin: 0 0 1.5mm; }
p.note { color: var(--muted); font-size: 0.9rem; }
p.strong { font-weight: 600; margin: 2mm 0 0.5mm; }
blockquote { margin: 0 0 2mm; padding: 1.5mm 4mm; border-left: 3px solid var(--protect);
  background: #f1f7f5; font-style: italic; }
blockquote p { margin: 0; }
dl.facts { display: grid; grid-template-columns: minmax(32mm, max-content) minmax(0, 1fr);
  gap: 0.6mm 4mm; margin: 0 0 1.5mm; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: break-word; }
header.doc dl.facts { grid-template-columns: repeat(2, 30mm minmax(0, 1fr)); }
header.doc p.note { font-size: 0.8rem; margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2.5mm; font-size: 0.9rem;
  line-height: 1.3; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.5mm;
  border-bottom: 1px solid var(--rule); overflow-wrap: break-word; }
th { background: var(--soft); font-weight: 600; }
thead { display: table-header-group; }
table.trace { font-size: 0.75rem; }
table.trace th { white-space: nowrap; }
table.items td:first-child { width: 37%; }
table.items td:nth-child(2) { width: 23%; }
table.anchors td:first-child { width: 22%; }
tr.group th { background: #fff; border-bottom: 1.5px solid var(--ink); padding-top: 2mm; }
.alert { border: 2px solid var(--alert); background: #fcf0f0; padding: 2mm 4mm;
  margin: 0 0 3mm; }
.alert h2 { color: var(--alert); border: 0; margin: 0 0 1mm; padding: 0; }
.alert ul { margin: 0; padding-left: 5mm; }
section#decision h2 { margin-top: 2mm; }
.verdict { border: 1px solid var(--rule); border-left: 8mm solid var(--muted);
  padding: 1.5mm 4mm; margin: 0 0 2mm; background: var(--soft); }
.verdict.light-green { border-color: var(--green); background: #eaf4ea; }
.verdict.light-yellow { border-color: var(--yellow); background: #fdf5dc; }
.verdict.light-red { border-color: var(--red); background: #fbeaea; }
.verdict .final { font-size: 1.3rem; font-weight: 600; margin: 0 0 1mm; }
.verdict dl.facts { margin: 0; }
figure { margin: 1mm 0 1mm; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 1mm; }
figure#network-map { max-width: 120mm; margin: 1mm auto; }
ol, ul { margin: 0 0 1.5mm; padding-left: 6mm; }
ol.columns, ul.columns { columns: 2; column-gap: 8mm; }
footer { margin-top: 5mm; border-top: 1px solid var(--rule); padding-top: 1.5mm;
  color: var(--muted); font-size: 0.8rem; }
@page { size: A4; margin: 13mm 13mm 13mm; }
@media print {
  html { font-size: 8.5pt; }
  body { max-width: none; padding: 0; }
  section.new-page { break-before: page; page-break-before: always; }
  section#profile figure { max-width: 150mm; margin: 0 auto; }
  section#resources figure#network-map { float: right; width: 75mm; margin: 0 0 2mm 4mm; }
  section#resources::after { content: ""; display: block; clear: both; }
  figcaption, table.profile-table { display: none; }
  section#items table, section#process table, section#resources table,
  section#unknowns ul { font-size: 0.8rem; }
  section#items tr.group th { padding-top: 1.2mm; }
  h2, h3, p.strong, tr.group { break-after: avoid; page-break-after: avoid; }
  tr, .alert, .verdict, figure, blockquote, dl.facts, li {
    break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _css_string(text: str) -> str:
    """Text as a CSS string: every character outside printable ASCII, and quotes, escaped."""
    escaped = "".join(
        char if " " <= char <= "~" and char not in '"\\<>' else f"\\{ord(char):06x}"
        for char in _plain(text)
    )
    return f'"{escaped}"'


def _page_css(document: _Document) -> str:
    """Case, assessment and date atop every printed page, the page number below.

    CSS page-margin boxes (Chromium 131+, Safari 18.2+); other browsers print their own
    header and footer instead.
    """
    if not document.running and not document.page_number:
        return ""
    boxes = []
    if document.running:
        boxes.append(f"@top-left {{ content: {_css_string(document.running)}; }}")
    if document.page_number:
        parts = re.split(r"\{(page|pages)\}", document.page_number)
        content = " ".join(
            f"counter({part})" if position % 2 else _css_string(part)
            for position, part in enumerate(parts)
            if part
        )
        boxes.append(f"@bottom-right {{ content: {content}; }}")
    style = "font-size: 8pt; color: #56636e; font-family: sans-serif;"
    return "@page { " + " ".join(b.replace("; }", f"; {style} }}") for b in boxes) + " }\n"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _bdi(escaped: str) -> str:
    return f"<bdi>{escaped}</bdi>"


def _unbroken(escaped: str) -> str:
    return f'<span class="id">{escaped}</span>'


def _esc(text: str) -> str:
    """Text as inert HTML; line breaks become ``<br>``, document text is isolated in ``<bdi>``.

    Identifiers stand in ``<span class="id">``, which the style sheet never breaks.
    """
    return _isolated_lines(text, _bdi, "<br>", _escape, _unbroken)


def _html(document: _Document) -> str:
    lang = document.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(_plain(document.title))}</title>",
        f"<style>{_CSS}{_page_css(document)}</style>",
        "</head>",
        "<body>",
        '<header class="doc">',
        f"<h1>{_esc(document.title)}</h1>",
        f'<p class="subtitle">{_esc(document.subtitle)}</p>',
    ]
    parts.extend(_html_block(block) for block in document.header if not isinstance(block, _Alert))
    parts.append("</header>")
    parts.extend(_html_block(block) for block in document.header if isinstance(block, _Alert))
    parts.append("<main>")
    for section in document.sections:
        cls = ' class="new-page"' if section.new_page else ""
        parts.append(f'<section id="{section.id}"{cls}>')
        parts.append(f"<h2>{_esc(section.title)}</h2>")
        parts.extend(_html_block(block) for block in section.blocks)
        parts.append("</section>")
    parts.extend(
        ["</main>", f"<footer><p>{_esc(document.footer)}</p></footer>", "</body>", "</html>"]
    )
    return "\n".join(parts) + "\n"


def _html_table(table: _Table) -> str:
    cls = f' class="{table.style}"' if table.style else ""
    head = "".join(f'<th scope="col">{_esc(cell)}</th>' for cell in table.header)
    body = "\n".join(_html_row(row, len(table.header)) for row in table.rows)
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def _html_row(row: Sequence[str], width: int) -> str:
    """A table row; a row of one cell heads the group of rows below it."""
    if len(row) == 1 and width > 1:
        return f'<tr class="group"><th colspan="{width}" scope="rowgroup">{_esc(row[0])}</th></tr>'
    return "<tr>" + "".join(f"<td>{_esc(cell)}</td>" for cell in row) + "</tr>"


def _html_block(block: _Block) -> str:
    if isinstance(block, _Para):
        if block.style == "quote":
            return f"<blockquote><p>{_esc(block.text)}</p></blockquote>"
        cls = "" if block.style == "p" else f' class="{block.style}"'
        return f"<p{cls}>{_esc(block.text)}</p>"
    if isinstance(block, _Facts):
        rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in block.rows)
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(block, _Table):
        return _html_table(block)
    if isinstance(block, _List):
        tag = "ol" if block.ordered else "ul"
        cls = f' class="{block.style}"' if block.style else ""
        return (
            f"<{tag}{cls}>"
            + "".join(f"<li>{_esc(item)}</li>" for item in block.items)
            + f"</{tag}>"
        )
    if isinstance(block, _Alert):
        items = "".join(f"<li>{_esc(line)}</li>" for line in block.lines)
        title = f"<h2>{_esc(block.title)}</h2>"
        return f'<div class="alert" role="alert" id="acute">{title}<ul>{items}</ul></div>'
    if isinstance(block, _Heading):
        return f"<h3>{_esc(block.text)}</h3>"
    if isinstance(block, _Verdict):
        return _html_verdict(block)
    if isinstance(block, NetworkMap):
        return _html_network(block)
    return _html_chart(block)


def _html_chart(chart: _Chart) -> str:
    """The profile chart as a figure, followed by the same numbers as a table."""
    return "\n".join(
        [
            '<figure id="profile-chart">',
            _profile_svg(chart),
            f"<figcaption>{_esc(chart.description)}</figcaption>",
            "</figure>",
            _html_table(chart.table),
        ]
    )


def _html_network(network: NetworkMap) -> str:
    """The network map as a figure (the resource table above names every node in words)."""
    return (
        f'<figure id="network-map">\n{network_svg(network, _tag)}\n'
        f"<figcaption>{_esc(network.description)}</figcaption>\n</figure>"
    )


def _html_verdict(verdict: _Verdict) -> str:
    """The outcome box, coloured by its traffic light; the light is also named in words."""
    light = f" light-{verdict.light}" if verdict.light else ""
    rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in verdict.facts)
    return (
        f'<div class="verdict{light}" id="verdict"><p class="final">{_esc(verdict.final)}</p>'
        f'<dl class="facts">{rows}</dl></div>'
    )
