"""The forms a page shows, read from its HTML with the standard library's parser: where each
posts, and each field with the values the page offers for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    values: list[str] = field(default_factory=list)  # what the page offers (options, value)


@dataclass
class Form:
    role: str  # who saw it: a role, or "anonymous"
    page: str
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def signature(self) -> tuple:
        return (self.role, self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, role: str, page: str):
        super().__init__(convert_charrefs=True)
        self.role, self.page = role, page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def _add(self, name: str | None, kind: str, value: str | None = None) -> Field | None:
        if self._form is None or not name:
            return None
        found = self._form.fields.setdefault(name, Field(name, kind))
        if value is not None and value not in found.values:
            found.values.append(value)
        return found

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = Form(self.role, self.page, (a.get("method") or "get").upper(), action)
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind not in {"submit", "image", "reset"} or a.get("name"):
                self._add(a.get("name"), kind, a.get("value"))
        elif tag == "button" and a.get("name"):
            self._add(a["name"], "button", a.get("value", ""))
        elif tag == "select":
            self._select = self._add(a.get("name"), "select")
        elif tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._add(a.get("name"), "textarea")

    def handle_data(self, data):
        if self._textarea is not None and data.strip() and data not in self._textarea.values:
            self._textarea.values.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str, role: str, page: str) -> list[Form]:
    parser = _FormParser(role, page)
    parser.feed(html)
    parser.close()
    return parser.forms
