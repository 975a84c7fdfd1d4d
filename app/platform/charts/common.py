"""What every chart shares: the result types, the palette and width, and the axis helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

MUTED = "#4a5560"
GRID = "#d5dbe0"
WIDTH = 400  # every chart's viewBox width: readable on a 360 px phone, scaled up on wider screens


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


def value_runs(values: Sequence[int | None]) -> list[list[tuple[int, int]]]:
    """Unbroken stretches of days with a value: a missed day leaves a gap in the line."""
    stretches: list[list[tuple[int, int]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if stretches[-1]:
                stretches.append([])
        else:
            stretches[-1].append((index, value))
    return [stretch for stretch in stretches if stretch]


def label_anchor(index: int, count: int) -> str:
    """The text-anchor of a day's label: the first and last align inward to stay in the chart."""
    return "start" if index == 0 else "end" if index == count - 1 else "middle"
