"""Which language and time zone a request is served in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from babel import dates
from babel.dates import DateTimePattern
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_babel, get_locale, get_timezone, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

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


# The template context key holding the translations a render uses: the layout's context
# processor looks them up once per render_template, so each `_()` in a template costs one
# dictionary lookup instead of Flask-Babel's walk through g, the domain and the locale.
TEMPLATE_TRANSLATIONS_KEY = "_harbor_translations"


def template_translations(context: Context):
    # Macros from templates imported without context have no such key: look them up then.
    translations = context.get(TEMPLATE_TRANSLATIONS_KEY)
    return translations if translations is not None else get_translations()


@pass_context
def _template_gettext(context: Context, string: str) -> str:
    return template_translations(context).ugettext(string)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return template_translations(context).ungettext(singular, plural, n)


@pass_context
def _template_pgettext(context: Context, message_context: str, string: str) -> str:
    return template_translations(context).upgettext(message_context, string)


@pass_context
def _template_npgettext(
    context: Context, message_context: str, singular: str, plural: str, n: int
) -> str:
    return template_translations(context).unpgettext(message_context, singular, plural, n)


def install_template_gettext(app: Flask) -> None:
    """Replaces the callables Flask-Babel gave Jinja with ones that read the translations
    from the template context (the same object Flask-Babel would find)."""
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        newstyle=True,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )


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


class DateTimeFormatter:
    """`|datetimeformat(format)` for many values on one page: the request's locale, time zone
    and patterns are looked up once, then each value costs one conversion and two patterns.
    The text is the same as flask_babel.format_datetime's (Babel's format_datetime)."""

    def __init__(self, format: str = "medium") -> None:
        format = get_babel().instance.date_formats.get(f"datetime.{format}") or format
        self.locale = get_locale()
        self.tzinfo = get_timezone()
        self.pattern: DateTimePattern | None = None
        self.days: dict[date, str] = {}  # a page's messages share few days
        if format in ("full", "long", "medium", "short"):
            self.frame = dates.get_datetime_format(format, locale=self.locale).replace("'", "")
            self.time = dates.parse_pattern(dates.get_time_format(format, locale=self.locale))
            self.date = dates.parse_pattern(dates.get_date_format(format, locale=self.locale))
        else:
            self.pattern = dates.parse_pattern(format)

    def __call__(self, value: datetime) -> str:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if self.tzinfo is not None:
            value = value.astimezone(self.tzinfo)
            if hasattr(self.tzinfo, "normalize"):  # pytz
                value = self.tzinfo.normalize(value)
        if self.pattern is not None:
            return self.pattern.apply(value, self.locale)
        day = value.date()
        if day not in self.days:
            self.days[day] = self.date.apply(day, self.locale)
        return self.frame.replace(
            "{0}", self.time.apply(value.timetz(), self.locale, reference_date=day)
        ).replace("{1}", self.days[day])


@lru_cache(maxsize=2048)
def medium_date(day: date, locale: str) -> str:
    """A day as "Nov 26, 2026" in the locale, worked out once: lists show the same few days
    row after row."""
    return dates.format_date(day, "medium", locale=locale)
