"""The security headers on every kind of page: public, each role's, errors; HSTS only where
cookies are secure (production); and no copy of a signed-in page kept by any cache."""

from __future__ import annotations

import pytest

from app import create_app
from tests.conftest import log_in
from tests.security.routes import get_rules, seed_world

ROLES = ("therapist", "teen", "guardian", "school")
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "xr-spatial-tracking",
)


def assert_security_headers(response, where: str) -> None:
    headers = response.headers
    csp = {
        part.split()[0]: " ".join(part.split()[1:])
        for part in headers.get("Content-Security-Policy", "").split(";")
        if part.strip()
    }
    for directive, value in CSP_DIRECTIVES.items():
        assert csp.get(directive) == value, (where, directive, csp)
    assert all("unsafe-inline" not in v and "unsafe-eval" not in v for v in csp.values()), where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    policy = {p.strip() for p in headers.get("Permissions-Policy", "").split(",")}
    assert {f"{feature}=()" for feature in REFUSED_FEATURES} <= policy, (where, policy)


@pytest.mark.parametrize(("path", "status"), [("/login", 200), ("/help", 200), ("/nope", 404)])
def test_public_pages_carry_every_header_and_may_be_cached(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_security_headers(response, path)
    assert "Strict-Transport-Security" not in response.headers  # testing: cookies not secure
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_refused_form_page_carries_them_too(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert_security_headers(response, "CSRF page")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_carries_them_and_is_never_stored(app, client, team, role):
    """Every GET route, its ids filled with this team's records; whatever it answers this
    role (the page, a redirect, a 404), the answer has the headers and is not cached."""
    world = seed_world(app, team)
    log_in(client, team.users[role].email)
    pages = 0
    for rule in get_rules(app):
        if rule.endpoint == "health":
            continue  # no session read at all: see app.web.headers.SESSIONLESS_ENDPOINTS
        path = world.path(app, rule)
        assert path is not None, rule.rule
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        assert_security_headers(response, path)
        assert response.headers.get("Cache-Control") == "no-store", path
        pages += response.status_code == 200
    assert pages >= 15, pages  # the role really saw its pages, not only 404s


@pytest.fixture
def env_app(monkeypatch, tmp_path):
    def make(env: str):
        monkeypatch.setenv("HARBOR_ENV", env)
        monkeypatch.setenv("SECRET_KEY", "s" * 48)
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'harbor.sqlite3'}")
        monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
        return create_app()

    return make


def test_production_sends_hsts(env_app):
    response = env_app("production").test_client().get("/help")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert_security_headers(response, "production")


def test_development_does_not_send_hsts(env_app):
    """Over plain http://127.0.0.1 an HSTS header would pin the developer's browser to https."""
    response = env_app("development").test_client().get("/help")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
    assert_security_headers(response, "development")
