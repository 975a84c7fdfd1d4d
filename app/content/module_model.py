"""What a psychoeducation module is once parsed: its audience, sections, scenarios, library."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

LOCALES = ("en", "es")
DEFAULT_LOCALE = "en"


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
