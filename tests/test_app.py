import pytest

from app import create_app
from app.config import load


def test_development_defaults_need_nothing_set(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    settings = load("development", str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'harbor.sqlite3'}"
    assert settings["MAIL_CONSOLE"] is True
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


@pytest.mark.parametrize("secret", [None, "", "dev", "short-secret"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    monkeypatch.setenv("HARBOR_ENV", "production")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("HARBOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/harbor")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/harbor"
    assert app.config["MAIL_CONSOLE"] is False


def test_every_page_carries_get_help_now(client):
    for path, status in (("/login", 200), ("/reset", 200), ("/help", 200), ("/nope", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        body = response.text
        assert 'href="/help"' in body and "Get help now" in body, path


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
