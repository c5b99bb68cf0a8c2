"""The family's network map as inline SVG: the family at the centre, the resources around it.

A network map (Netzwerkkarte) of the social-space orientation: four sectors around the family
— family; friends and neighbours; school or work; professional helpers — and three rings for
closeness (close, middle, distant). Each resource is a numbered node in its sector on its
ring, tied to the centre by a line: solid when the resource is available now, dashed when it
is not. A resource the family does not want is drawn hollow. The numbers match the resource
table the report prints above the map, which names every resource, its sector and closeness in
words (the map is never the only carrier of a fact).

This module only lays out and draws; the report builds the :class:`NetworkMap` from the
assessment and writes the SVG with its own escaping ``tag`` function, so document text stays
isolated exactly as everywhere else in the report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import get_args

import attrs

from .._model.assessment import Closeness, ResourceSector

__all__ = ["SECTORS", "NetworkMap", "NetworkNode", "network_svg"]

SECTORS: tuple[ResourceSector, ...] = get_args(ResourceSector)
"""Sectors clockwise from the top left."""
_RINGS: dict[Closeness, int] = {"close": 95, "middle": 160, "distant": 225}
_SIZE, _CX, _CY, _FAMILY = 720, 360, 262, 42
_PROTECT, _MUTED, _GRID, _INK = "#2c7a6a", "#56636e", "#d3dae0", "#1d2730"

Tag = Callable[..., str]
"""The report's SVG element writer: ``tag(name, text=None, **attributes)``, text escaped."""


@attrs.frozen
class NetworkNode:
    """One resource on the map."""

    number: int
    label: str
    """Who or what it is (document text, marked as such by the report)."""
    sector: ResourceSector
    closeness: Closeness
    available: bool
    wanted: bool | None


@attrs.frozen
class NetworkMap:
    """Everything the map draws, in the report's language."""

    title: str
    description: str
    centre: str
    sectors: tuple[str, str, str, str]
    """The sectors' names, in the order of :data:`SECTORS`."""
    legend: tuple[str, str, str]
    """Words for: available, not available, not wanted by the family."""
    nodes: tuple[NetworkNode, ...]


def _angles(count: int, sector: int) -> list[float]:
    """Evenly spread angles inside one quarter (radians, clockwise from the top)."""
    start = -math.pi / 2 - math.pi / 2 + sector * math.pi / 2
    step = (math.pi / 2) / (count + 1)
    return [start + step * (k + 1) for k in range(count)]


def _point(radius: int, angle: float) -> tuple[str, str]:
    return f"{_CX + radius * math.cos(angle):.1f}", f"{_CY + radius * math.sin(angle):.1f}"


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _grid(network: NetworkMap, tag: Tag) -> list[str]:
    """Rings, the sector cross and the sector names."""
    out = [
        tag("circle", cx=_CX, cy=_CY, r=radius, fill="none", stroke=_GRID, stroke_width="1")
        for radius in _RINGS.values()
    ]
    reach = max(_RINGS.values()) + 12
    out.append(tag("line", x1=_CX - reach, y1=_CY, x2=_CX + reach, y2=_CY, stroke=_GRID))
    out.append(tag("line", x1=_CX, y1=_CY - reach, x2=_CX, y2=_CY + reach, stroke=_GRID))
    bottom = 2 * _CY - 6
    corners: tuple[tuple[int, int, str], ...] = (
        (12, 22, "start"),
        (_SIZE - 12, 22, "end"),
        (_SIZE - 12, bottom, "end"),
        (12, bottom, "start"),
    )
    for (x, y, anchor), name, sector in zip(corners, network.sectors, SECTORS, strict=True):
        out.append(
            tag(
                "text",
                name,
                x=x,
                y=y,
                text_anchor=anchor,
                font_weight="600",
                fill=_MUTED,
                **{"class": "sector", "data-sector": sector},
            )
        )
    return out


def _node(node: NetworkNode, angle: float, tag: Tag) -> str:
    """One resource: its tie to the family, its circle, its number and short label."""
    x, y = _point(_RINGS[node.closeness], angle)
    tie = {"stroke": _PROTECT if node.available else _MUTED, "stroke_width": "1.6"}
    if not node.available:
        tie["stroke_dasharray"] = "5 4"
    hollow = node.wanted is False
    right = math.cos(angle) >= 0
    parts = [
        tag(
            "line",
            x1=_CX,
            y1=_CY,
            x2=x,
            y2=y,
            **{"class": "tie " + ("available" if node.available else "not-available")},
            **tie,
        ),
        tag(
            "circle",
            cx=x,
            cy=y,
            r=11,
            fill="#fff" if hollow or not node.available else "#dff0eb",
            stroke=_PROTECT if node.available else _MUTED,
            stroke_width="1.6",
            **({"stroke_dasharray": "3 2"} if not node.available else {}),
        ),
        tag("text", str(node.number), x=x, y=f"{float(y) + 4:.1f}", text_anchor="middle"),
        tag(
            "text",
            _short(node.label),
            x=f"{float(x) + (15 if right else -15):.1f}",
            y=f"{float(y) + 4:.1f}",
            text_anchor="start" if right else "end",
            font_size="11",
        ),
    ]
    attributes = (
        f'class="resource" data-number="{node.number}" data-sector="{node.sector}" '
        f'data-closeness="{node.closeness}" data-available="{str(node.available).lower()}"'
    )
    return f"<g {attributes}>" + "".join(parts) + "</g>"


def network_svg(network: NetworkMap, tag: Tag) -> str:
    """The map as one ``<svg>`` element (the report wraps it in a figure with its table)."""
    height = 2 * _CY + 36
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_SIZE} {height}" '
        'aria-labelledby="network-title network-desc" font-size="12">',
        tag("title", network.title, id="network-title"),
        tag("desc", network.description, id="network-desc"),
        *_grid(network, tag),
    ]
    for position, sector in enumerate(SECTORS):
        nodes: Sequence[NetworkNode] = [n for n in network.nodes if n.sector == sector]
        for node, angle in zip(nodes, _angles(len(nodes), position), strict=True):
            out.append(_node(node, angle, tag))
    out.append(tag("circle", cx=_CX, cy=_CY, r=_FAMILY, fill="#f3f5f7", stroke=_INK))
    out.append(
        tag("text", network.centre, x=_CX, y=_CY + 4, text_anchor="middle", font_weight="600")
    )
    available, unavailable, unwanted = network.legend
    legend_y = height - 26
    out.extend(
        [
            tag("line", x1=250, y1=legend_y, x2=280, y2=legend_y, stroke=_PROTECT),
            tag("text", available, x=286, y=legend_y + 4, font_size="10"),
            tag(
                "line",
                x1=250,
                y1=legend_y + 14,
                x2=280,
                y2=legend_y + 14,
                stroke=_MUTED,
                stroke_dasharray="5 4",
            ),
            tag("text", unavailable, x=286, y=legend_y + 18, font_size="10"),
            tag("circle", cx=470, cy=legend_y, r=6, fill="#fff", stroke=_PROTECT),
            tag("text", unwanted, x=482, y=legend_y + 4, font_size="10"),
            "</svg>",
        ]
    )
    return "\n".join(out)
