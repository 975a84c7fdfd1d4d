"""When each message was written, in the reader's language and time zone.

A thread's page shows the same messages to the same readers request after request, so the
text is kept, keyed by everything it is made from: the locale, the time zone, the pattern and
the instant. A key names its inputs exactly, so a kept text can never be out of date.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_babel, get_locale, get_timezone

from app.platform.i18n import DateTimeFormatter

# Some 400 pages of 50 messages: a few megabytes for each worker at most.
MAX_KEPT = 20_000
_kept: dict[tuple[tuple[str, str, str], datetime], str] = {}


class MessageTimes:
    """`message_time(value)` for a page: app.platform.i18n.DateTimeFormatter's text, remembered."""

    def __init__(self, format: str = "short") -> None:
        pattern = get_babel().instance.date_formats.get(f"datetime.{format}") or format
        self.format = format
        self.inputs = (str(get_locale()), str(get_timezone()), str(pattern))
        self.formatter: DateTimeFormatter | None = None  # made only when a text is missing

    def __call__(self, value: datetime) -> str:
        key = (self.inputs, value)
        text = _kept.get(key)
        if text is None:
            if self.formatter is None:
                self.formatter = DateTimeFormatter(self.format)
            text = self.formatter(value)
            if len(_kept) >= MAX_KEPT:
                _kept.clear()  # simpler than least-recently-used, and rare
            _kept[key] = text
        return text
