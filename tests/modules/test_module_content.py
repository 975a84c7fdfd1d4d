"""The module files themselves: complete in both languages, the same shape in each, readable for
their audience, and written to the safe-messaging rules in shared CONTENT.md."""

import re
import unicodedata

import pytest
import textstat

from app.content.modules import (
    LOCALES,
    MODULES_DIR,
    NOT_REVIEWED,
    Audience,
    Module,
    library,
    parse_file,
)

SLUGS = sorted(p.name for p in MODULES_DIR.iterdir() if p.is_dir())
FILES = sorted(MODULES_DIR.glob("*/*.md"))

# Highest Flesch-Kincaid grade of the English text, per audience (CONTENT.md: teens about grade 7,
# parents and school staff grade 9 or below).
MAX_GRADE = {Audience.TEEN: 7, Audience.GUARDIAN: 9, Audience.SCHOOL: 9}

# Safe messaging: words that name a method, a tool, an amount or an injury in detail, and labels
# CONTENT.md rules out. Matched as whole words, without accents, in both languages, everywhere
# in the file (front matter and body). Write around them; never shorten this list to pass.
DENY = {
    "en": [
        "blade",
        "blades",
        "razor",
        "razors",
        "knife",
        "knives",
        "scissors",
        "sharpener",
        "cut",
        "cuts",
        "cutting",
        "cutter",
        "cutters",
        "slit",
        "slash",
        "slashing",
        "scratch",
        "scratching",
        "carve",
        "carving",
        "burn",
        "burns",
        "burned",
        "burning",
        "lighter",
        "lighters",
        "matches",
        "overdose",
        "overdoses",
        "overdosing",
        "pills",
        "tablets",
        "dose",
        "doses",
        "poison",
        "poisoning",
        "bleach",
        "hang",
        "hanging",
        "hanged",
        "noose",
        "rope",
        "ligature",
        "strangle",
        "choke",
        "wrist",
        "wrists",
        "thigh",
        "thighs",
        "vein",
        "veins",
        "artery",
        "blood",
        "jump",
        "jumping",
        "bridge",
        "rooftop",
        "commit suicide",
        "committed suicide",
        "successful suicide",
        "failed attempt",
        "attention-seeking",
        "attention seeking",
        "manipulative",
        "selfish",
    ],
    "es": [
        "navaja",
        "navajas",
        "cuchilla",
        "cuchillas",
        "cuchillo",
        "cuchillos",
        "rastrillo",
        "tijeras",
        "hoja de afeitar",
        "sacapuntas",
        "cortar",
        "cortarse",
        "cortando",
        "cortes",
        "corte",
        "cortada",
        "cortadas",
        "rasgunos",
        "quemar",
        "quemarse",
        "quemadura",
        "quemaduras",
        "encendedor",
        "cerillos",
        "mechero",
        "sobredosis",
        "pastillas",
        "tabletas",
        "dosis",
        "veneno",
        "envenenamiento",
        "cloro",
        "lejia",
        "ahorcar",
        "ahorcarse",
        "ahorcamiento",
        "soga",
        "cuerda",
        "asfixia",
        "muneca",
        "munecas",
        "muslo",
        "muslos",
        "vena",
        "venas",
        "arteria",
        "sangre",
        "saltar",
        "puente",
        "azotea",
        "cometio suicidio",
        "cometer suicidio",
        "suicidio exitoso",
        "intento fallido",
        "llamar la atencion",
        "manipulador",
        "manipuladora",
        "egoista",
    ],
}


def _plain(text: str) -> str:
    """Lowercase, without accents, so "lejía" and "lejia" match alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _module(slug: str, locale: str) -> Module:
    return library().modules[slug][locale]


def test_there_are_at_least_thirteen_modules_for_every_audience():
    assert len(SLUGS) >= 13
    audiences = [_module(slug, "en").audience for slug in SLUGS]
    assert audiences.count(Audience.GUARDIAN) >= 6
    assert audiences.count(Audience.TEEN) >= 4
    assert audiences.count(Audience.SCHOOL) >= 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_file_parses_and_follows_the_format(path):
    module = parse_file(path)
    assert module.locale in LOCALES
    assert 3 <= len(module.sections) <= 6
    assert len(module.scenarios) >= 3
    assert 1 <= module.minutes <= 60
    for scenario in module.scenarios:
        assert 3 <= len(scenario.options) <= 4, scenario.id
        assert 1 <= scenario.best <= len(scenario.options), scenario.id
        for option in scenario.options:
            assert option.text.strip(), scenario.id
            assert len(option.feedback.split()) >= 12, (scenario.id, option.text)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_locale_has_the_same_sections_scenarios_options_and_best_answers(slug):
    english = _module(slug, "en")
    for locale in LOCALES:
        other = _module(slug, locale)
        assert other.locale == locale, "a translation is missing"
        assert other.audience == english.audience
        assert [s.id for s in other.sections] == [s.id for s in english.sections]
        assert [s.id for s in other.scenarios] == [s.id for s in english.scenarios]
        assert [len(s.options) for s in other.scenarios] == [
            len(s.options) for s in english.scenarios
        ]
        assert [s.best for s in other.scenarios] == [s.best for s in english.scenarios]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_english_text_reads_at_the_audiences_grade(slug):
    module = _module(slug, "en")
    grade = textstat.flesch_kincaid_grade(module.plain_text())
    assert grade <= MAX_GRADE[module.audience], f"{slug}: grade {grade:.1f}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_method_tool_or_stigmatizing_words(path):
    text = _plain(path.read_text(encoding="utf-8"))
    found = [
        word
        for word in DENY[path.stem]
        if re.search(rf"(?<![\w-]){re.escape(_plain(word))}(?![\w-])", text)
    ]
    assert not found, f"{path.parent.name}/{path.name}: {found}"


def test_the_deny_list_catches_what_it_should():
    sample = _plain("Ella usó una LEJÍA y una muñeca")
    assert re.search(r"(?<![\w-])lejia(?![\w-])", sample)
    assert re.search(r"(?<![\w-])muneca(?![\w-])", sample)


HELP = {
    "en": ("safety plan", "crisis line", "emergency number", "get help now", "trusted adult"),
    "es": (
        "plan de seguridad",
        "linea de crisis",
        "numero de emergencias",
        "obtener ayuda ahora",
        "adulto de confianza",
    ),
}


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_module_says_where_help_is(slug, locale):
    text = _plain(_module(slug, locale).plain_text())
    assert any(phrase in text for phrase in HELP[locale]), slug


@pytest.mark.parametrize("slug", SLUGS)
def test_spanish_says_tu_to_teens_and_usted_to_adults(slug):
    module = _module(slug, "es")
    words = set(re.findall(r"\w+", _plain(module.plain_text())))
    if module.audience == Audience.TEEN:
        assert "usted" not in words
        assert {"tu", "tus", "te"} & words
    else:
        assert "usted" in words


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("locale", LOCALES)
def test_a_module_without_a_clinicians_review_says_so(slug, locale):
    module = _module(slug, locale)
    if module.reviewed_on is None:
        assert module.reviewed_by == NOT_REVIEWED[locale]
    else:
        assert module.reviewed_by not in NOT_REVIEWED.values()


@pytest.mark.parametrize("slug", SLUGS)
def test_the_slug_in_the_address_bar_says_nothing_clinical(slug):
    for word in ("harm", "injur", "suicid", "wound", "urge", "crisis", "scar", "cope"):
        assert word not in slug
