"""Crisis lines per country, from crisis_lines.json, checked when first loaded."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask_babel import get_locale

from app.extensions import db
from app.models import CareTeam, Organization

DATA_FILE = Path(__file__).with_name("crisis_lines.json")
PHONE = re.compile(r"^[0-9][0-9 -]{1,19}$")


@dataclass(frozen=True)
class Line:
    name: str
    hours: str
    description: dict[str, str]
    source: str
    last_verified: date
    phone: str | None = None
    text: str | None = None
    text_keyword: str | None = None

    @property
    def tel(self) -> str | None:
        return "tel:" + re.sub(r"[^0-9]", "", self.phone) if self.phone else None

    def describe(self, locale: str) -> str:
        return self.description.get(locale) or self.description["en"]


@dataclass(frozen=True)
class CountryEntry:
    code: str
    emergency: str
    lines: tuple[Line, ...]

    @property
    def emergency_tel(self) -> str:
        return "tel:" + self.emergency


class CrisisDataError(ValueError):
    pass


def _line(code: str, raw: dict) -> Line:
    where = f"{DATA_FILE.name}: {code}: {raw.get('name', '?')}"
    for field in ("name", "hours", "for", "source", "last_verified"):
        if not raw.get(field):
            raise CrisisDataError(f"{where}: missing {field!r}")
    if not raw.get("phone") and not raw.get("text"):
        raise CrisisDataError(f"{where}: needs a phone or a text number")
    for field in ("phone", "text"):
        if raw.get(field) and not PHONE.match(raw[field]):
            raise CrisisDataError(f"{where}: {field!r} is not a phone number")
    if set(raw["for"]) != {"en", "es"}:
        raise CrisisDataError(f"{where}: 'for' needs English and Spanish")
    if not raw["source"].startswith("https://"):
        raise CrisisDataError(f"{where}: 'source' must be an https address")
    return Line(
        name=raw["name"],
        hours=raw["hours"],
        description=raw["for"],
        source=raw["source"],
        last_verified=date.fromisoformat(raw["last_verified"]),
        phone=raw.get("phone"),
        text=raw.get("text"),
        text_keyword=raw.get("text_keyword"),
    )


@lru_cache(maxsize=1)
def load() -> dict[str, CountryEntry]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    entries = {}
    for code, raw in data["countries"].items():
        if not raw.get("lines") or not PHONE.match(raw.get("emergency", "")):
            raise CrisisDataError(f"{DATA_FILE.name}: {code}: needs an emergency number and lines")
        lines = tuple(_line(code, line) for line in raw["lines"])
        entries[code] = CountryEntry(code=code, emergency=raw["emergency"], lines=lines)
    return entries


def countries() -> list[str]:
    return list(load())


def for_country(code: str) -> CountryEntry | None:
    return load().get(code)


def country_names() -> list[tuple[str, str]]:
    """(code, name in the reader's language), sorted by name."""
    territories = Locale.parse(str(get_locale())).territories
    return sorted(((code, territories.get(code, code)) for code in load()), key=lambda x: x[1])


def country_of_team(team: CareTeam) -> str:
    practice = db.session.get(Organization, team.practice_id)
    return practice.country if practice else ""
