import json

import pytest

from app.content import crisis_lines
from tests.conftest import log_in

REQUIRED_COUNTRIES = {"US", "CA", "GB", "IE", "AU", "NZ", "ES", "MX"}


def test_crisis_data_covers_the_required_countries_with_sources_and_dates():
    entries = crisis_lines.load()
    assert set(entries) >= REQUIRED_COUNTRIES
    for entry in entries.values():
        assert entry.emergency
        for line in entry.lines:
            assert line.source.startswith("https://")
            assert line.last_verified.year >= 2026
            assert line.phone or line.text
            assert line.describe("en")
            assert line.describe("es")


def test_us_and_canada_list_988(client):
    for country in ("US", "CA"):
        page = client.get("/help", query_string={"country": country}).text
        assert 'href="tel:988"' in page


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("GB", "116 123"),
        ("IE", "116 123"),
        ("AU", "13 11 14"),
        ("NZ", "1737"),
        ("ES", "024"),
        ("MX", "800 911 2000"),
    ],
)
def test_each_country_shows_its_lines_with_source_and_date(client, country, expected):
    page = client.get("/help", query_string={"country": country}).text
    assert expected in page
    assert "Source:" in page
    assert "Last checked:" in page


def test_help_says_harbor_is_not_an_emergency_service(client):
    page = client.get("/help").text
    assert "Harbor is not an emergency service" in page


def test_unknown_country_falls_back_to_local_emergency_services(client):
    page = client.get("/help", query_string={"country": "ZZ"}).text
    assert "call your local emergency number" in page
    assert "tel:" not in page


def test_country_comes_from_the_browser_region(client):
    page = client.get("/help", headers={"Accept-Language": "es-MX,es;q=0.9"}).text
    assert "Línea de la Vida" in page


def test_country_comes_from_the_care_teams_practice(client, app):
    from tests.factories import make_team

    team = make_team(country="GB")
    log_in(client, team.teen.email)
    assert "Samaritans" in client.get("/help").text


def test_help_is_public_and_needs_no_javascript(client):
    response = client.get("/help", query_string={"country": "US"})
    assert response.status_code == 200
    assert "<script" not in response.text


def test_a_bad_data_file_fails_naming_the_file_and_field(tmp_path, monkeypatch):
    data = json.loads(crisis_lines.DATA_FILE.read_text())
    del data["countries"]["US"]["lines"][0]["source"]
    broken = tmp_path / "crisis_lines.json"
    broken.write_text(json.dumps(data))
    monkeypatch.setattr(crisis_lines, "DATA_FILE", broken)
    crisis_lines.load.cache_clear()
    try:
        with pytest.raises(crisis_lines.CrisisDataError, match="crisis_lines.json: US: .*'source'"):
            crisis_lines.load()
    finally:
        crisis_lines.load.cache_clear()
