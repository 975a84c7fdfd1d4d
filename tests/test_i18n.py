"""Every string in English and Spanish; the language and time zone each person reads in."""

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import select

from app.extensions import db
from app.models import Invitation, User
from tests.conftest import log_in

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="es")


def _ids(path: Path) -> set:
    return {message.id for message in _catalog(path) if message.id}


def test_every_string_in_code_and_templates_is_in_the_catalogs(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = str(Path(sys.executable).parent / "pybabel")
    # Babel skips folders starting with "_" unless told otherwise: templates/_macros has strings.
    options = ["--ignore-dirs", ".*", "-k", "_l", "-k", "lazy_gettext", "--no-location"]
    subprocess.run(
        [pybabel, "-q", "extract", "-F", "babel.cfg", *options, "-o", str(fresh), "."],
        cwd=ROOT,
        check=True,
    )
    extracted = _ids(fresh)
    assert len(extracted) > 100
    stale = extracted - _ids(ROOT / "translations" / "messages.pot")
    assert not stale, f"run `make extract`: {sorted(map(str, stale))}"
    untranslated = extracted - _ids(CATALOG)
    assert not untranslated, f"not in the Spanish catalog: {sorted(map(str, untranslated))}"


def test_no_spanish_entry_is_empty_or_fuzzy():
    problems = []
    for message in _catalog(CATALOG):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (message.fuzzy or not all(s.strip() for s in strings)):
            problems.append(message.id)
    assert not problems


def test_spanish_placeholders_match_english():
    for message in _catalog(CATALOG):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert set(PLACEHOLDER.findall(strings[-1])) == set(PLACEHOLDER.findall(ids[-1])), ids


def test_browser_language_is_used_before_sign_in(client):
    page = client.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in page.text
    assert "Iniciar sesión" in page.text
    assert "Obtener ayuda ahora" in page.text


def test_language_switch_before_sign_in(client):
    response = client.post("/account/language", data={"language": "es", "next": "/reset"})
    assert response.headers["Location"] == "/reset"
    assert "Restablecer su contraseña" in client.get("/reset").text


def test_users_own_setting_wins_over_the_browser(client, team):
    team.teen.locale = "es"
    db.session.commit()
    log_in(client, team.teen.email)
    page = client.get("/teen/", headers={"Accept-Language": "en-US"})
    assert '<html lang="es">' in page.text
    assert "Tu equipo de cuidado" in page.text


def test_switching_language_while_signed_in_saves_it(client, team):
    log_in(client, team.guardian.email)
    client.post("/account/language", data={"language": "es"})
    assert db.session.scalars(select(User.locale).where(User.id == team.guardian.id)).one() == "es"


def test_unsupported_language_is_ignored(client):
    client.post("/account/language", data={"language": "xx"})
    assert '<html lang="en">' in client.get("/login").text


def test_dates_follow_the_users_locale_and_time_zone(client, team):
    team.therapist.locale = "es"
    team.therapist.timezone = "America/Mexico_City"
    db.session.add(
        Invitation(
            team_id=team.id,
            email="x@example.org",
            role="guardian",
            token_hash="h" * 64,
            expires_at=datetime(2030, 1, 2, 3, 30),  # UTC; 21:30 the day before in Mexico City
        )
    )
    db.session.commit()
    log_in(client, team.therapist.email)
    page = client.get(f"/therapist/teams/{team.id}").text
    assert "1 ene 2030" in page
    assert "21:30" in page


def test_wtforms_own_messages_are_translated_too(client, team):
    log_in(client, team.guardian.email)
    bad = client.post(
        "/account/settings",
        data={"name": "Ana", "language": "es", "timezone": "Mars/Base"},
        headers={"Accept-Language": "es"},
    )
    assert "Not a valid choice" not in bad.text


def test_settings_change_language_and_time_zone(client, team):
    log_in(client, team.guardian.email)
    bad = client.post(
        "/account/settings", data={"name": "Ana", "language": "es", "timezone": "Mars/Base"}
    )
    assert "Not a valid choice" in bad.text
    client.post(
        "/account/settings", data={"name": "Ana", "language": "es", "timezone": "Europe/Madrid"}
    )
    user = db.session.get(User, team.guardian.id)
    db.session.refresh(user)
    assert (user.name, user.locale, user.timezone) == ("Ana", "es", "Europe/Madrid")


def test_a_pages_date_formatter_writes_what_datetimeformat_writes(app):
    """app.platform.i18n.DateTimeFormatter (the thread's message times) against flask_babel's."""
    import random
    from datetime import timedelta

    import pytz
    from flask_babel import _get_current_context, force_locale, format_datetime

    from app.platform.i18n import DateTimeFormatter

    moments = [
        datetime(2024, 3, 10, 6, 59),
        datetime(2024, 3, 10, 7, 1),
        datetime(2024, 11, 3, 5, 30),
    ]
    rnd = random.Random(7)
    moments += [
        datetime(2020, 1, 1) + timedelta(minutes=rnd.randrange(4_000_000)) for _ in range(60)
    ]
    for zone in ("UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"):
        for locale in ("en", "es"):
            with app.test_request_context(), force_locale(locale):
                _get_current_context().babel_tzinfo = pytz.timezone(zone)
                for format in ("short", "medium", "full", "yyyy-MM-dd HH:mm zzzz"):
                    formatter = DateTimeFormatter(format)
                    for moment in moments:
                        expected = format_datetime(moment, format)
                        assert formatter(moment) == expected, (zone, locale, format, moment)
