"""Psychoeducation modules: Markdown files with YAML front matter, checked and parsed once.

Each module is a folder under content/modules/ named by its slug, with one file per locale
(en.md, es.md). The front matter holds the module's facts and its practice scenarios; the
Markdown body holds the sections, each opened by a line `## Heading {#section-id}`.
A file that breaks a rule stops the app at start-up with the file and the field named.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

MODULES_DIR = Path(__file__).with_name("modules")
LOCALES = ("en", "es")
DEFAULT_LOCALE = "en"
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


class Audience(enum.StrEnum):
    GUARDIAN = "guardian"
    TEEN = "teen"
    SCHOOL = "school"


class ModuleContentError(ValueError):
    """A module file breaks a rule; the message starts with the file and the field."""


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    body_html: Markup
    body_text: str


@dataclass(frozen=True)
class Option:
    text: str
    feedback: str


@dataclass(frozen=True)
class Scenario:
    id: str
    prompt: str
    options: tuple[Option, ...]
    best: int  # the number (from 1) of the option that helps most

    def option(self, number: int) -> Option | None:
        return self.options[number - 1] if 1 <= number <= len(self.options) else None


@dataclass(frozen=True)
class Module:
    slug: str
    locale: str
    title: str
    audience: Audience
    minutes: int
    summary: str
    order: int
    reviewed_by: str
    reviewed_on: date | None
    sections: tuple[Section, ...]
    scenarios: tuple[Scenario, ...]

    @property
    def clinically_reviewed(self) -> bool:
        return self.reviewed_on is not None

    @property
    def step_count(self) -> int:
        """Every section, then every scenario, is one page of the reader."""
        return len(self.sections) + len(self.scenarios)

    def step(self, number: int) -> Section | Scenario | None:
        steps = (*self.sections, *self.scenarios)
        return steps[number - 1] if 1 <= number <= len(steps) else None

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def step_of_scenario(self, scenario_id: str) -> int | None:
        for index, scenario in enumerate(self.scenarios):
            if scenario.id == scenario_id:
                return len(self.sections) + index + 1
        return None

    def plain_text(self) -> str:
        """All the words a reader meets, without markup: for readability and wording checks."""
        parts = [self.title, self.summary]
        for section in self.sections:
            parts += [section.heading + ".", section.body_text]
        for scenario in self.scenarios:
            parts.append(scenario.prompt)
            for option in scenario.options:
                parts += [option.text, option.feedback]
        return "\n".join(parts)


@dataclass(frozen=True)
class Library:
    modules: dict[str, dict[str, Module]]  # slug -> locale -> module

    def get(self, slug: str, locale: str) -> Module | None:
        by_locale = self.modules.get(slug)
        if by_locale is None:
            return None
        return by_locale.get(locale) or by_locale[DEFAULT_LOCALE]

    def all(self, locale: str) -> list[Module]:
        found = (self.get(slug, locale) for slug in self.modules)
        return sorted((m for m in found if m), key=lambda m: (m.order, m.slug))

    def for_audiences(self, audiences: frozenset[Audience], locale: str) -> list[Module]:
        return [m for m in self.all(locale) if m.audience in audiences]


# -- parsing -------------------------------------------------------------------------------


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


def _shape(module: Module) -> dict[str, Any]:
    return {
        "audience": module.audience,
        "minutes": module.minutes,
        "order": module.order,
        "sections": [s.id for s in module.sections],
        "scenarios": [s.id for s in module.scenarios],
        "options": [len(s.options) for s in module.scenarios],
        "best": [s.best for s in module.scenarios],
        "reviewed_on": module.reviewed_on,
    }


def _check_locales_agree(by_locale: dict[str, Module]) -> None:
    """Progress is kept by section and scenario id, so every translation has the same shape."""
    reference = _shape(by_locale[DEFAULT_LOCALE])
    for locale, module in by_locale.items():
        for field, value in _shape(module).items():
            if value != reference[field]:
                raise ModuleContentError(
                    f"{module.slug}/{locale}.md: {field}: differs from "
                    f"{DEFAULT_LOCALE}.md ({value!r} is not {reference[field]!r})"
                )


def parse_library(root: Path) -> Library:
    """Parses every module under `root`; raises ModuleContentError at the first problem."""
    modules: dict[str, dict[str, Module]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not SLUG.match(folder.name):
            raise ModuleContentError(f"{folder.name}/: folder name: must be a lowercase slug")
        by_locale = {}
        for locale in LOCALES:
            path = folder / f"{locale}.md"
            if not path.is_file():
                raise ModuleContentError(f"{folder.name}/{locale}.md: file: missing")
            by_locale[locale] = parse_file(path)
        expected = {f"{locale}.md" for locale in LOCALES}
        extra = sorted(p.name for p in folder.iterdir() if p.name not in expected)
        if extra:
            raise ModuleContentError(f"{folder.name}/{extra[0]}: file: not a module locale")
        _check_locales_agree(by_locale)
        modules[folder.name] = by_locale
    return Library(modules)


@lru_cache(maxsize=1)
def library() -> Library:
    """The repository's modules, parsed once per process."""
    return parse_library(MODULES_DIR)
