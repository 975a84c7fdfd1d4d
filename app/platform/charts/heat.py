"""Heat strips: one strip of day cells per row, each cell growing and darkening with its value."""

from __future__ import annotations

from collections.abc import Sequence

from app.platform.charts.common import GRID, MUTED, WIDTH, Chart, Table, label_anchor
from app.platform.svg import Canvas, num, text_width


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
        anchor = label_anchor(index, count)
        x = left + (index + 0.5) * cell_w
        canvas.text(x, height - 6, label, text_anchor=anchor, fill=MUTED)
    return Chart(chart_id, title, desc, canvas.markup(), table)
