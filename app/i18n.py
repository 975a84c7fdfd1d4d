"""Which language and time zone a request is served in."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

SESSION_LOCALE_KEY = "locale"


def supported_locales() -> list[str]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    """The user's own setting, then a choice made before signing in, then the browser's."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    chosen = session.get(SESSION_LOCALE_KEY)
    if chosen in supported_locales():
        return chosen
    return request.accept_languages.best_match(supported_locales()) or "en"


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return "UTC"


# The zones offered in settings: those of the countries Harbor has crisis lines for.
COMMON_TIMEZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Halifax",
    "America/St_Johns",
    "America/Toronto",
    "America/Winnipeg",
    "America/Edmonton",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Cancun",
    "America/Tijuana",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Madrid",
    "Atlantic/Canary",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Perth",
    "Pacific/Auckland",
    "UTC",
]
