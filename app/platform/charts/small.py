"""Small charts for lists (the caseload's sparklines), written as strings: a page lists many."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from app.platform.charts.common import GRID, Chart, Table, value_runs
from app.platform.svg import escape_attr, escape_text, num, shape_path, svg_start


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
    runs = value_runs(values)
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
