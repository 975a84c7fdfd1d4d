"""Reading and checking one module file: its YAML front matter and its Markdown sections.

The front matter holds the module's facts and its practice scenarios; the Markdown body holds the
sections, each opened by a line `## Heading {#section-id}`. The first broken rule raises, naming
the file and the field.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.content.module_model import (
    LOCALES,
    Audience,
    Module,
    ModuleContentError,
    Option,
    Scenario,
    Section,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTION_HEADING = re.compile(r"^## +(?P<heading>\S.*?) +\{#(?P<id>[^}]*)\} *$", re.M)
# What a module that no clinician has reviewed yet says in place of a reviewer's name.
NOT_REVIEWED = {
    "en": "Not yet reviewed by a clinician",
    "es": "Aún sin revisión de un profesional clínico",
}
FIELDS = {"title", "audience", "minutes", "summary", "order", "reviewed_by", "reviewed_on"}
LIMITS = {"sections": (3, 6), "scenarios": (3, 8), "options": (3, 4)}

# Raw HTML and images are off: module text can never smuggle markup or a picture in.
_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")


class _File:
    """Reads one file and names it (and the field) in every complaint."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"{path.parent.name}/{path.name}"

    def fail(self, field: str, problem: str) -> ModuleContentError:
        return ModuleContentError(f"{self.name}: {field}: {problem}")

    def text(self, raw: dict, key: str, where: str = "") -> str:
        value = raw.get(key)
        field = f"{where}{key}"
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be non-empty text")
        return " ".join(value.split())

    def identifier(self, raw: dict, key: str, where: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not SLUG.match(value):
            raise self.fail(f"{where}{key}", "must be lowercase letters, digits and dashes")
        return value


def _scenario(file: _File, raw: Any, index: int) -> Scenario:
    where = f"scenarios[{index}]."
    if not isinstance(raw, dict):
        raise file.fail(f"scenarios[{index}]", "must be a mapping")
    unknown = set(raw) - {"id", "prompt", "options", "best"}
    if unknown:
        raise file.fail(f"{where}{sorted(unknown)[0]}", "is not a scenario field")
    options_raw = raw.get("options")
    low, high = LIMITS["options"]
    if not isinstance(options_raw, list) or not low <= len(options_raw) <= high:
        raise file.fail(f"{where}options", f"needs {low} to {high} options")
    options = []
    for number, option in enumerate(options_raw):
        if not isinstance(option, dict) or set(option) != {"text", "feedback"}:
            raise file.fail(f"{where}options[{number}]", "needs exactly text and feedback")
        inner = f"{where}options[{number}]."
        options.append(
            Option(file.text(option, "text", inner), file.text(option, "feedback", inner))
        )
    best = raw.get("best")
    if not isinstance(best, int) or isinstance(best, bool) or not 1 <= best <= len(options):
        raise file.fail(f"{where}best", f"must be the number of an option, 1 to {len(options)}")
    return Scenario(
        id=file.identifier(raw, "id", where),
        prompt=file.text(raw, "prompt", where),
        options=tuple(options),
        best=best,
    )


def _inline_text(body: str) -> str:
    """The words of a Markdown body, one block per line, without any markup."""
    lines = [
        "".join(child.content for child in token.children or () if child.type == "text")
        for token in _markdown.parse(body)
        if token.type == "inline"
    ]
    return "\n".join(line for line in lines if line)


def _sections(file: _File, body: str) -> tuple[Section, ...]:
    matches = list(SECTION_HEADING.finditer(body))
    if not matches:
        raise file.fail("sections", "none found: open each with a line `## Heading {#id}`")
    if body[: matches[0].start()].strip():
        raise file.fail("sections", "text before the first section heading")
    sections = []
    for index, match in enumerate(matches):
        where = f"sections[{index}]"
        if not SLUG.match(match["id"]):
            raise file.fail(f"{where}.id", "must be lowercase letters, digits and dashes")
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        text = body[match.end() : end].strip()
        if not text:
            raise file.fail(f"{where}.body", "is empty")
        tokens = _markdown.parse(text)
        if any(t.type == "heading_open" and t.tag in ("h1", "h2") for t in tokens):
            raise file.fail(
                f"{where}.body", "a new section needs `## Heading {#id}`; inner headings use ###"
            )
        sections.append(
            Section(
                id=match["id"],
                heading=" ".join(match["heading"].split()),
                body_html=Markup(_markdown.render(text)),  # noqa: S704 - raw HTML is off
                body_text=_inline_text(text),
            )
        )
    return tuple(sections)


def _count(file: _File, field: str, items: tuple) -> None:
    low, high = LIMITS[field]
    if not low <= len(items) <= high:
        raise file.fail(field, f"needs {low} to {high}, found {len(items)}")
    ids = [item.id for item in items]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise file.fail(field, f"the id {duplicate!r} is used twice")


def _review(file: _File, raw: dict, locale: str) -> tuple[str, date | None]:
    reviewed_by = file.text(raw, "reviewed_by")
    reviewed_on = raw.get("reviewed_on")
    if reviewed_on is None:
        if reviewed_by != NOT_REVIEWED[locale]:
            raise file.fail(
                "reviewed_by", f"without a review date it must say {NOT_REVIEWED[locale]!r}"
            )
    elif not isinstance(reviewed_on, date) or reviewed_on > date.today():
        raise file.fail("reviewed_on", "must be a past date (YYYY-MM-DD), or empty")
    elif reviewed_by == NOT_REVIEWED[locale]:
        raise file.fail("reviewed_by", "name the clinician who reviewed it on reviewed_on")
    return reviewed_by, reviewed_on


def parse_file(path: Path) -> Module:
    file = _File(path)
    locale = path.stem
    if locale not in LOCALES:
        raise file.fail("file name", f"must be one of {', '.join(f'{x}.md' for x in LOCALES)}")
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise file.fail("front matter", f"cannot be read: {error}") from None
    raw = post.metadata
    unknown = set(raw) - FIELDS - {"scenarios"}
    if unknown:
        raise file.fail(sorted(unknown)[0], "is not a module field")
    try:
        audience = Audience(raw.get("audience"))
    except ValueError:
        raise file.fail("audience", "must be guardian, teen or school") from None
    minutes, order = raw.get("minutes"), raw.get("order")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
        raise file.fail("minutes", "must be a whole number from 1 to 60")
    if not isinstance(order, int) or isinstance(order, bool):
        raise file.fail("order", "must be a whole number (the place in the list)")
    scenarios_raw = raw.get("scenarios")
    if not isinstance(scenarios_raw, list):
        raise file.fail("scenarios", "must be a list")
    reviewed_by, reviewed_on = _review(file, raw, locale)
    module = Module(
        slug=path.parent.name,
        locale=locale,
        title=file.text(raw, "title"),
        audience=audience,
        minutes=minutes,
        summary=file.text(raw, "summary"),
        order=order,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        sections=_sections(file, post.content),
        scenarios=tuple(_scenario(file, s, i) for i, s in enumerate(scenarios_raw)),
    )
    _count(file, "sections", module.sections)
    _count(file, "scenarios", module.scenarios)
    return module
