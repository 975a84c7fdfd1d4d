"""Charts drawn on the server as SVG (through app.platform.svg): no JavaScript, no style attributes.

Each chart has a <title> and a <desc>, and comes with a data table for screen readers.
Meaning never rests on colour alone: series differ in dash and marker shape and are named in a
legend, bars carry their labels, heat cells grow with intensity as well as darken.

The callers pass text already translated; this module knows nothing about check-ins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.platform.svg import (
    INK,
    SVG_NS,
    Canvas,
    escape_attr,
    escape_text,
    num,
    shape_path,
    svg_start,
    text_width,
    wrap,
)

MUTED = "#4a5560"
GRID = "#d5dbe0"
WIDTH = 400  # every chart's viewBox width: readable on a 360 px phone, scaled up on wider screens

__all__ = [
    "SVG_NS",
    "Bar",
    "Chart",
    "Series",
    "Table",
    "bar_chart",
    "heat_strip",
    "line_chart",
    "sparkline",
    "small_figure",
]


@dataclass(frozen=True)
class Table:
    """The chart's numbers as a table: first column names the row."""

    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    svg: Markup
    table: Table


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | None]  # one per x position; None = nothing that day
    colour: str
    dash: str | None = None  # e.g. "6 4"
    marker: str = "circle"  # "circle" or "square"


def _runs(values: Sequence[int | None]) -> list[list[tuple[int, int]]]:
    """Unbroken stretches of days with a value: a missed day leaves a gap in the line."""
    runs: list[list[tuple[int, int]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def line_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    x_labels: dict[int, str],
    count: int,
    pins: Sequence[int] = (),
    pin_label: str = "",
    y_max: int = 5,
    table: Table,
) -> Chart:
    """Lines over `count` days on a 0..y_max scale, with pins marking special days."""
    legend = _legend_rows(series, pin_label if pins else "")
    width, left, right, bottom = WIDTH, 22, 10, 24
    top = 10 + 18 * len(legend) + 12
    height = top + 150 + bottom
    canvas = Canvas(chart_id, width, height, title, desc)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(count - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + plot_h - value / y_max * plot_h

    grid = canvas.add("g", stroke=GRID)
    for level in range(y_max + 1):
        canvas.add("line", grid, x1=float(left), y1=y(level), x2=float(width - right), y2=y(level))
        canvas.text(left - 6, y(level) + 4, level, text_anchor="end", fill=MUTED)
    for index, label in x_labels.items():
        anchor = "start" if index == 0 else "end" if index == count - 1 else "middle"
        canvas.text(x(index), height - 6, label, text_anchor=anchor, fill=MUTED)
    if pins:
        stems = "".join(f"M{num(x(index))} {top}V{num(y(0))}" for index in pins)
        canvas.add("path", d=stems, stroke=INK, stroke_dasharray="2 3", fill="none")
        canvas.markers("triangle", [(x(index), top - 6.0) for index in pins], INK, 4.5)
    for line in series:
        for run in _runs(line.values):
            if len(run) > 1:
                points = " ".join(f"{num(x(i))},{num(y(v))}" for i, v in run)
                canvas.add(
                    "polyline",
                    points=points,
                    fill="none",
                    stroke=line.colour,
                    stroke_width="2",
                    stroke_dasharray=line.dash,
                )
        points = [(x(i), y(v)) for run in _runs(line.values) for i, v in run]
        canvas.markers(line.marker, points, line.colour, 3.0)
    _legend(canvas, legend)
    return Chart(chart_id, title, desc, canvas.markup(), table)


LegendItem = tuple[Series | None, str]  # None: the pin


def _legend_rows(series: Sequence[Series], pin_label: str) -> list[list[LegendItem]]:
    """The legend's entries, on as many rows as the width needs."""
    items: list[LegendItem] = [(line, line.name) for line in series]
    if pin_label:
        items.append((None, pin_label))
    rows: list[list[LegendItem]] = [[]]
    used = 0.0
    for item in items:
        needed = 40 + text_width(item[1])
        if rows[-1] and used + needed > WIDTH:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += needed
    return rows


def _legend(canvas: Canvas, rows: list[list[LegendItem]]) -> None:
    for number, row in enumerate(rows):
        x, y = 2.0, 12.0 + 18 * number
        for line, name in row:
            if line is None:
                canvas.marker("triangle", x + 12, y - 1, INK, 4.5)
            else:
                canvas.add(
                    "line",
                    x1=x,
                    y1=y,
                    x2=x + 24,
                    y2=y,
                    stroke=line.colour,
                    stroke_width="2",
                    stroke_dasharray=line.dash,
                )
                canvas.marker(line.marker, x + 12, y, line.colour, 3.0)
            canvas.text(x + 30, y + 4, name)
            x += 40 + text_width(name)


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


def heat_strip(
    chart_id: str,
    *,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[int | None]]],
    count: int,
    x_labels: dict[int, str],
    colour: str,
    y_max: int = 5,
    table: Table,
) -> Chart:
    """One strip per row over `count` days: a cell's height and shade grow with its value.
    Under the strips, a tick marks each day that has values; a day without is left empty.

    Cells of one shade are drawn as one <path>, which keeps a 90-day chart small."""
    width, right, row_h, top = WIDTH, 6, 16, 4
    left = 10 + max((text_width(name) for name, _values in rows), default=0)
    height = top + len(rows) * row_h + 24
    canvas = Canvas(chart_id, width, height, title, desc)
    cell_w = (width - left - right) / max(count, 1)
    cell = num(max(cell_w - 1, 1.0))
    shapes: dict[int, list[str]] = {level: [] for level in range(1, y_max + 1)}
    with_values: set[int] = set()
    for r, (name, values) in enumerate(rows):
        base = top + (r + 1) * row_h - 1
        canvas.text(left - 6, base - 4, name, text_anchor="end")
        for index, value in enumerate(values):
            if value is None:
                continue
            with_values.add(index)
            if value > 0:
                level = min(value, y_max)
                h = num((row_h - 3) * level / y_max)
                x = num(left + index * cell_w)
                shapes[level].append(f"M{x} {num(base)}v-{h}h{cell}v{h}z")
    axis = top + len(rows) * row_h
    canvas.add(
        "line", x1=float(left), y1=float(axis), x2=float(width - right), y2=float(axis), stroke=GRID
    )
    ticks = "".join(
        f"M{num(left + i * cell_w)} {axis + 1}h{cell}v3h-{cell}z" for i in sorted(with_values)
    )
    if ticks:
        canvas.add("path", d=ticks, fill=MUTED)
    for level, parts in shapes.items():
        if parts:
            opacity = num(0.35 + 0.65 * level / y_max)
            canvas.add("path", d="".join(parts), fill=colour, fill_opacity=opacity)
    for index, label in x_labels.items():
        anchor = "start" if index == 0 else "end" if index == count - 1 else "middle"
        x = left + (index + 0.5) * cell_w
        canvas.text(x, height - 6, label, text_anchor=anchor, fill=MUTED)
    return Chart(chart_id, title, desc, canvas.markup(), table)


def sparkline(
    chart_id: str,
    *,
    title: str,
    desc: str,
    values: Sequence[int | None],
    colour: str,
    table: Table,
    y_max: int = 5,
) -> Chart:
    """A small line of a few days, for lists; missed days are gaps.

    A page lists many, so it is written as a string rather than through Canvas's tree; the
    markup is the same, byte for byte, as Canvas would write."""
    width, height, pad = 120, 32, 4
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    ink = escape_attr(colour)

    def point(index: int, value: int) -> tuple[float, float]:
        return pad + index * step, height - pad - value / y_max * (height - 2 * pad)

    parts = [
        svg_start(chart_id, width, height, title, desc),
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        f'stroke="{GRID}" />',
    ]
    runs = _runs(values)
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{num(a)},{num(b)}" for a, b in (point(i, v) for i, v in run))
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{ink}" stroke-width="2" />'
            )
    marks = "".join(shape_path("circle", *point(i, v), 2.5) for run in runs for i, v in run)
    if marks:
        parts.append(f'<path d="{marks}" fill="{ink}" />')
    parts.append("</svg>")
    return Chart(chart_id, title, desc, Markup("".join(parts)), table)  # noqa: S704 - escaped above


def small_figure(chart: Chart, no_rows: str) -> Markup:
    """A small chart (the caseload's sparklines) in its <figure>, with its numbers as a table
    for screen readers only: the markup of the `chart(c, hidden_table=True)` macro in
    templates/checkins/_macros.html, written as a string because a page lists many."""
    table = chart.table
    cells = [
        f'<tr><th scope="row">{escape_text(row[0])}</th>'
        + "".join(f"<td>{escape_text(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in table.rows
    ] or [f'<tr><td colspan="{len(table.headers)}">{escape_text(no_rows)}</td></tr>']
    headers = "".join(f'<th scope="col">{escape_text(h)}</th>' for h in table.headers)
    return Markup(  # noqa: S704 - every piece escaped above; the svg is Markup already
        f'<figure class="chart chart-small">{chart.svg}'
        f'<div class="visually-hidden"><table><caption>{escape_text(table.caption)}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(cells)}</tbody></table></div>"
        "</figure>"
    )
