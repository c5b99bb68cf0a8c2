"""The profile chart as inline SVG: risks to the left, strengths to the right, one scale.

SVG has no ``<bdi>``: document text stands between FSI and PDI instead (:func:`_svg_esc`).
"""

from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal

from ._document import (
    _CONTEXT,
    _FSI,
    _PDI,
    _Chart,
    _free,
    _isolated_lines,
    _percent,
    _plain,
    _SideValue,
)


def _svg_isolate(escaped: str) -> str:
    return f"{_FSI}{escaped}{_PDI}"


def _svg_esc(text: str) -> str:
    """Text for SVG, which has no ``<bdi>``: document text between FSI and PDI."""
    return _isolated_lines(text, _svg_isolate, " ", html.escape)


# The chart's geometry, in SVG user units.
_WIDTH, _PITCH, _TOP, _BAR = 720, 32, 44, 14
_CENTER, _HALF = 360, Decimal(310)


def _num(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=_CONTEXT), "f")


def _tag(name: str, text: str | None = None, /, **attributes: object) -> str:
    """One SVG element; ``font_size`` becomes ``font-size``. Text is escaped."""
    attributes_text = "".join(
        f' {key.replace("_", "-")}="{html.escape(str(value), quote=True)}"'
        for key, value in attributes.items()
    )
    if text is None:
        return f"<{name}{attributes_text}/>"
    return f"<{name}{attributes_text}>{_svg_esc(text)}</{name}>"


_RISK, _PROTECT, _MUTED, _GRID = "#b0502a", "#2c7a6a", "#56636e", "#d3dae0"


def _svg_bars(y: int, value: _SideValue | None, direction: int) -> list[str]:
    """The known part (solid) and the unknown part (hatched) of one side of one domain."""
    if value is None:
        return []
    colour, hatch = (_RISK, "risk") if direction < 0 else (_PROTECT, "protect")
    known = value.known * _HALF
    unknown = value.unknown * _HALF
    bars = []
    if known:
        x = _CENTER - known if direction < 0 else Decimal(_CENTER)
        bars.append(_tag("rect", x=_num(x), y=y, width=_num(known), height=_BAR, fill=colour))
    if unknown:
        x = _CENTER - known - unknown if direction < 0 else _CENTER + known
        bars.append(
            _tag(
                "rect",
                x=_num(x),
                y=y,
                width=_num(unknown),
                height=_BAR,
                fill=f"url(#hatch-{hatch})",
                stroke=colour,
                stroke_width="0.8",
            )
        )
    return bars


def _hatch(name: str, background: str, colour: str) -> str:
    return (
        f'<pattern id="hatch-{name}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{background}"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{colour}" stroke-width="1.6"/></pattern>'
    )


def _profile_svg(chart: _Chart) -> str:
    """The diverging bar chart: risks to the left, strengths to the right, one scale."""
    rows = chart.rows
    bottom = _TOP + len(rows) * _PITCH - 8
    height = bottom + 30
    risk_word, protect_word, unknown_word = chart.words
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_WIDTH} {height}" '
        'aria-labelledby="chart-title chart-desc" font-size="13">',
        _tag("title", chart.title, id="chart-title"),
        _tag("desc", chart.description, id="chart-desc"),
        "<defs>",
        _hatch("risk", "#f6e6de", _RISK),
        _hatch("protect", "#dff0eb", _PROTECT),
        "</defs>",
        _tag("text", f"◀ {risk_word}", x=_CENTER - 8, y=14, text_anchor="end", fill=_RISK),
        _tag("text", f"{protect_word} ▶", x=_CENTER + 8, y=14, fill=_PROTECT),
    ]
    for step in range(-4, 5):
        x = _num(_CENTER + step * _CONTEXT.divide(_HALF, Decimal(4)))
        out.append(
            _tag(
                "line",
                x1=x,
                y1=_TOP - 12,
                x2=x,
                y2=bottom,
                stroke="#1d2730" if step == 0 else _GRID,
                stroke_width="1.2" if step == 0 else "0.7",
            )
        )
        anchor = "start" if step == -4 else "end" if step == 4 else "middle"
        text = f"{abs(step) * 25} %"
        out.append(
            _tag("text", text, x=x, y=_TOP - 16, text_anchor=anchor, font_size="9.5", fill=_MUTED)
        )
    for position, row in enumerate(rows):
        y = _TOP + position * _PITCH
        label = _plain(row.label)
        label = _free(label if len(label) <= 70 else label[:69] + "…")
        out.append(_tag("text", label, x=4, y=y + 8, fill="#1d2730"))
        if row.risk is not None:
            risk = _short(row.risk)
            out.append(_tag("text", risk, x=4, y=y + 24, font_size=10, fill=_RISK))
        if row.protective is not None:
            protect = _short(row.protective)
            out.append(
                _tag(
                    "text",
                    protect,
                    x=_WIDTH - 4,
                    y=y + 24,
                    text_anchor="end",
                    font_size=10,
                    fill=_PROTECT,
                )
            )
        out.extend(_svg_bars(y + 13, row.risk, -1))
        out.extend(_svg_bars(y + 13, row.protective, 1))
    legend = bottom + 20
    swatch: dict[str, object] = {"y": legend - 9, "width": 12, "height": 10}
    out.extend(
        [
            _tag("rect", x=4, fill=_RISK, **swatch),
            _tag("text", risk_word, x=20, y=legend, font_size="10"),
            _tag("rect", x=110, fill=_PROTECT, **swatch),
            _tag("text", protect_word, x=126, y=legend, font_size="10"),
            _tag("rect", x=220, fill="url(#hatch-risk)", stroke=_RISK, **swatch),
            _tag("rect", x=234, fill="url(#hatch-protect)", stroke=_PROTECT, **swatch),
            _tag("text", unknown_word, x=250, y=legend, font_size="10"),
            "</svg>",
        ]
    )
    return "\n".join(out)


def _short(value: _SideValue) -> str:
    text = f"{_percent(value.known)} %"
    return f"{text} +?" if value.unknown else text
