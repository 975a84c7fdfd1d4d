"""Bar charts: horizontal bars in named groups, each bar labelled in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.platform.charts.common import WIDTH, Chart, Table
from app.platform.svg import Canvas, text_width, wrap


@dataclass(frozen=True)
class Bar:
    label: str  # already says what it is and its number, e.g. "Helped a lot: 4"
    value: int
    colour: str


def bar_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    groups: Sequence[tuple[str, Sequence[Bar]]],
    table: Table,
) -> Chart:
    """Horizontal bars in named groups; each bar is labelled in words, not by colour."""
    width, left, bar_h, gap, line_h = WIDTH, 2, 14, 4, 16
    names = [wrap(name, width - left) for name, _bars in groups]
    label_room = max((text_width(bar.label) for _n, bars in groups for bar in bars), default=0)
    biggest = max((bar.value for _name, bars in groups for bar in bars), default=0) or 1
    height = 6 + sum(
        len(lines) * line_h + 6 + len(bars) * (bar_h + gap) + 10
        for lines, (_name, bars) in zip(names, groups, strict=True)
    )
    canvas = Canvas(chart_id, width, max(height, 24), title, desc)
    scale = max(width - left - label_room - 10, 40) / biggest
    y = 6.0
    for lines, (_name, bars) in zip(names, groups, strict=True):
        for line in lines:
            canvas.text(left, y + 12, line, font_weight="700")
            y += line_h
        y += 6
        for bar in bars:
            length = max(bar.value * scale, 1.0)
            canvas.add(
                "rect", x=float(left), y=y, width=length, height=float(bar_h), fill=bar.colour
            )
            canvas.text(left + length + 6, y + bar_h - 3, bar.label)
            y += bar_h + gap
        y += 10
    return Chart(chart_id, title, desc, canvas.markup(), table)
