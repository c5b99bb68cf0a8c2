"""The Markdown writer: every text inert on one line (no HTML, links or emphasis)."""

from __future__ import annotations

from collections.abc import Sequence

from ._document import (
    _Alert,
    _Block,
    _Document,
    _Facts,
    _Heading,
    _List,
    _one_line,
    _Para,
    _Table,
    _Verdict,
)
from ._network import NetworkMap

# --- Markdown -----------------------------------------------------------------------------

_MD_ESCAPES = str.maketrans(
    {
        **{char: "\\" + char for char in "\\`*_[]|~#!@"},
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)


def _md(text: str) -> str:
    """Text as inert Markdown on one line: no HTML, links, emphasis or cell breaks.

    Line breaks become ``<br>``; ``://`` and ``www.`` are broken up so that extended
    Markdown does not turn them into links.
    """
    lines = []
    for line in text.split("\n"):
        escaped = _one_line(line).translate(_MD_ESCAPES)
        lines.append(escaped.replace("://", "\\://").replace("www.", "www\\."))
    return "<br>".join(line for line in lines if line)


def _md_table(table: _Table) -> list[str]:
    """A pipe table; a group heading (a row of one cell) in bold, the other cells empty."""
    width = len(table.header)

    def row(cells: Sequence[str]) -> str:
        if len(cells) == 1 and width > 1:
            return f"| **{_md(cells[0])}** |" + "   |" * (width - 1)
        return "| " + " | ".join(_md(cell) or " " for cell in cells) + " |"

    return (
        [row(table.header), "| " + " | ".join("---" for _ in table.header) + " |"]
        + [row(cells) for cells in table.rows]
        + [""]
    )


def _md_block(block: _Block) -> list[str]:
    if isinstance(block, _Para):
        if block.style == "quote":
            return [f"> {_md(block.text)}", ""]
        if block.style == "strong":
            return [f"**{_md(block.text)}**", ""]
        if block.style == "note":
            return [f"_{_md(block.text)}_", ""]
        return [_md(block.text), ""]
    if isinstance(block, _Facts):
        return [f"- **{_md(key)}:** {_md(value)}" for key, value in block.rows] + [""]
    if isinstance(block, _Table):
        return _md_table(block)
    if isinstance(block, _List):
        return [
            f"{number}. {_md(item)}" if block.ordered else f"- {_md(item)}"
            for number, item in enumerate(block.items, start=1)
        ] + [""]
    if isinstance(block, _Alert):
        return (
            [f"> **{_md(block.title)}**", ">"] + [f"> - {_md(line)}" for line in block.lines] + [""]
        )
    if isinstance(block, _Heading):
        return [f"### {_md(block.text)}", ""]
    if isinstance(block, _Verdict):
        facts = [f"- **{_md(key)}:** {_md(value)}" for key, value in block.facts]
        return [f"**{_md(block.final)}**", "", *facts, ""]
    if isinstance(block, NetworkMap):
        return [f"_{_md(block.description)}_", ""]
    return _md_table(block.table)


def _markdown(document: _Document) -> str:
    lines = [f"# {_md(document.title)}", "", f"_{_md(document.subtitle)}_", ""]
    for block in document.header:
        lines.extend(_md_block(block))
    for section in document.sections:
        lines.extend([f"## {_md(section.title)}", ""])
        for block in section.blocks:
            lines.extend(_md_block(block))
    lines.extend(["---", "", f"_{_md(document.footer)}_"])
    return "\n".join(lines).rstrip("\n") + "\n"
