"""Configuration from the environment: development needs nothing set, production refuses
to start without a real secret."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEAK_SECRETS = {"", "dev", "changeme", "secret", "development"}


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        # Heroku-style URLs name a driver SQLAlchemy no longer accepts.
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{Path(instance_path) / 'harbor.sqlite3'}"


def load(env: str, instance_path: str) -> dict:
    """Settings for `env` ("development", "production" or "testing")."""
    secret = os.environ.get("SECRET_KEY", "")
    if env == "production" and (secret in WEAK_SECRETS or len(secret) < 32):
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production"
        )
    production = env == "production"
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret or "development-only-key-never-used-in-production",
        # Seals two-factor secrets and recovery codes. Kept apart so SECRET_KEY can be rotated
        # (which only signs everyone out) without locking out everyone who has two-factor on.
        "MFA_SECRET_KEY": os.environ.get("MFA_SECRET_KEY")
        or secret
        or "development-only-key-never-used-in-production",
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SESSION_COOKIE_NAME": "harbor_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool("SESSION_COOKIE_SECURE"),
        # Large enough for any form Harbor has; huge bodies get a 413, not a 500.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Harbor <no-reply@localhost>"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_SUPPRESS_SEND": False,
        # Without a mail server in development, the outbox prints emails instead of sending.
        "MAIL_CONSOLE": env == "development" and not os.environ.get("MAIL_SERVER"),
        "OUTBOX_MAX_ATTEMPTS": 8,
        "OUTBOX_BACKOFF_SECONDS": 30,
        # How many reverse proxies stand in front of the app (0: clients connect directly).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Off only for a load test, whose many sign-ins all come from one address.
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", env != "testing"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": ["en", "es"],
        "DEMO": env == "development",
        # Production always asks therapists for a second factor. Tests (and the browser suite,
        # which runs as "testing") leave it off unless a test turns it on, so that signing in
        # as a therapist stays one step everywhere else.
        "MFA_REQUIRED_FOR_THERAPISTS": production
        or _bool("MFA_REQUIRED_FOR_THERAPISTS", env != "testing"),
    }
