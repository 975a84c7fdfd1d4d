"""A small SVG builder: an ElementTree <svg> with a <title> and a <desc>, where every text and
attribute is escaped by ElementTree itself, numbers are rounded, and characters XML cannot hold
are dropped. No style attributes: presentation attributes (fill, stroke) only, for a strict CSP.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
INK = "#1b1f23"
FONT = 13
CHAR = 0.6 * FONT  # the width of an average character, a little generous, for laying out labels
# Characters XML 1.0 cannot hold at all; they are dropped rather than break the page.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def escape_text(text: object) -> str:
    """Character data as ElementTree writes it: cleaned, with &, < and > escaped."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: object) -> str:
    """An attribute value as ElementTree writes it (quotes and line breaks escaped too)."""
    return (
        escape_text(value)
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


def num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def text_width(text: str) -> float:
    return len(text) * CHAR


def wrap(text: str, width: float) -> list[str]:
    """Words on as many lines as `width` needs (a word longer than a line stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def svg_start(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    """The opening <svg> tag with its <title> and <desc>, exactly as Canvas writes them, for
    small charts drawn as a string (the caseload's sparklines) without building a tree."""
    i = escape_attr(chart_id)
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{i}-title" aria-describedby="{i}-desc" class="chart-svg" '
        f'id="{i}" font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{i}-title">{escape_text(title)}</title>'
        f'<desc id="{i}-desc">{escape_text(desc)}</desc>'
    )


def shape_path(shape: str, x: float, y: float, size: float) -> str:
    return _shape(shape, x, y, size)


@dataclass
class Canvas:
    """An <svg> being drawn: a thin layer over ElementTree that rounds numbers and escapes text."""

    id: str
    width: int
    height: int
    title: str
    desc: str
    root: ET.Element = field(init=False)

    def __post_init__(self) -> None:
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "viewBox": f"0 0 {self.width} {self.height}",
                "role": "img",
                "aria-labelledby": f"{self.id}-title",
                "aria-describedby": f"{self.id}-desc",
                "class": "chart-svg",
                "id": self.id,
                "font-family": "system-ui, sans-serif",
                "font-size": str(FONT),
            },
        )
        ET.SubElement(self.root, "title", {"id": f"{self.id}-title"}).text = clean(self.title)
        ET.SubElement(self.root, "desc", {"id": f"{self.id}-desc"}).text = clean(self.desc)

    def add(self, tag: str, parent: ET.Element | None = None, **attrs: object) -> ET.Element:
        values = {
            key.rstrip("_").replace("_", "-"): num(v) if isinstance(v, float) else clean(v)
            for key, v in attrs.items()
            if v is not None
        }
        return ET.SubElement(self.root if parent is None else parent, tag, values)

    def text(self, x: float, y: float, words: object, **attrs: object) -> ET.Element:
        element = self.add("text", x=float(x), y=float(y), fill=attrs.pop("fill", INK), **attrs)
        element.text = clean(words)
        return element

    def marker(self, shape: str, x: float, y: float, colour: str, size: float = 4.0) -> None:
        self.markers(shape, [(x, y)], colour, size)

    def markers(
        self, shape: str, points: Sequence[tuple[float, float]], colour: str, size: float = 4.0
    ) -> None:
        """Many markers of one shape as a single <path>, which keeps long charts small."""
        if points:
            self.add("path", d="".join(_shape(shape, x, y, size) for x, y in points), fill=colour)

    def markup(self) -> Markup:
        return Markup(ET.tostring(self.root, encoding="unicode"))  # noqa: S704 - ElementTree escaped it


def _shape(shape: str, x: float, y: float, size: float) -> str:
    d, s = num(size * 2), num(size)
    if shape == "square":
        return f"M{num(x - size)} {num(y - size)}h{d}v{d}h-{d}z"
    if shape == "triangle":  # points down, like a pin
        return f"M{num(x - size)} {num(y - size)}h{d}l-{s} {d}z"
    return f"M{num(x - size)} {num(y)}a{s} {s} 0 1 0 {d} 0a{s} {s} 0 1 0 -{d} 0z"
