"""Line charts: series over days on a fixed scale, with pins for special days and a legend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.platform.charts.common import GRID, MUTED, WIDTH, Chart, Table, label_anchor, value_runs
from app.platform.svg import INK, Canvas, num, text_width


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | None]  # one per x position; None = nothing that day
    colour: str
    dash: str | None = None  # e.g. "6 4"
    marker: str = "circle"  # "circle" or "square"


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
        anchor = label_anchor(index, count)
        canvas.text(x(index), height - 6, label, text_anchor=anchor, fill=MUTED)
    if pins:
        stems = "".join(f"M{num(x(index))} {top}V{num(y(0))}" for index in pins)
        canvas.add("path", d=stems, stroke=INK, stroke_dasharray="2 3", fill="none")
        canvas.markers("triangle", [(x(index), top - 6.0) for index in pins], INK, 4.5)
    for line in series:
        for run in value_runs(line.values):
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
        points = [(x(i), y(v)) for run in value_runs(line.values) for i, v in run]
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
