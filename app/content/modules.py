"""Psychoeducation modules: the library of module folders, checked and parsed once per process.

Each module is a folder under content/modules/ named by its slug, with one file per locale
(en.md, es.md); module_parsing.py reads each file and module_model.py holds the types.
A file that breaks a rule stops the app at start-up with the file and the field named.
Import modules' names from here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from app.content.module_model import (
    DEFAULT_LOCALE,
    LOCALES,
    Audience,
    Library,
    Module,
    ModuleContentError,
    Option,
    Scenario,
    Section,
)
from app.content.module_parsing import NOT_REVIEWED, SLUG, parse_file

MODULES_DIR = Path(__file__).with_name("modules")

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "MODULES_DIR",
    "NOT_REVIEWED",
    "Audience",
    "Library",
    "Module",
    "ModuleContentError",
    "Option",
    "Scenario",
    "Section",
    "library",
    "parse_file",
    "parse_library",
]


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
    # MODULES_DIR is looked up at call time, so a test can point it at a folder of its own.
    return parse_library(MODULES_DIR)
