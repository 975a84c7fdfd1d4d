"""Bounded pages of the lists that grow with a team's data. Templates show them with the
`pager` macro of templates/_macros/pager.html: plain links, so paging works without JavaScript.

Lists ordered by a unique, growing key (a thread's messages) page by that key instead; this
is the offset kind, for lists read a page or two deep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, TypeVarTuple

from flask import request, url_for
from sqlalchemy import Select

from app.extensions import db

T = TypeVar("T")
Ts = TypeVarTuple("Ts")  # a statement's columns
MAX_PAGE = 10_000  # deeper than anyone reads; keeps the offset (and the query) bounded


def page_number(param: str = "page") -> int:
    """The page asked for in the query string; 1 when it is missing or malformed."""
    return min(query_int(param, 1) or 1, MAX_PAGE)


def url_with(param: str, value: int | None, anchor: str | None = None) -> str:
    """This page's URL with one query value changed; the others (a period, another list's
    page) are kept. Page 1 is the URL without the value."""
    args = request.args.to_dict()
    args.pop(param, None)
    if value is not None and value != 1:
        args[param] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args, _anchor=anchor)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    has_next: bool
    param: str = "page"
    anchor: str | None = None  # where the list starts, when a page holds several lists

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def prev_url(self) -> str | None:
        return url_with(self.param, self.number - 1, self.anchor) if self.has_prev else None

    @property
    def next_url(self) -> str | None:
        return url_with(self.param, self.number + 1, self.anchor) if self.has_next else None

    @property
    def first_index(self) -> int:
        """The position (from 1) of the page's first item in the whole list."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    def __iter__(self):
        return iter(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items) or self.has_prev


def window(query: Select[*Ts], number: int, size: int) -> Select[*Ts]:
    """The query narrowed to one page, plus one row that tells whether another page follows."""
    return query.offset((number - 1) * size).limit(size + 1)


def cut(rows: Sequence[T], number: int, size: int, **kwargs: Any) -> Page[T]:
    """A page from rows fetched through window() (or a list already in memory, sliced)."""
    return Page(list(rows[:size]), number, size, len(rows) > size, **kwargs)


def paginate(query: Select[T], number: int, size: int, **kwargs: Any) -> Page[T]:
    """One page of a query's ORM rows."""
    return cut(db.session.scalars(window(query, number, size)).all(), number, size, **kwargs)


def slice_page(rows: list[T], number: int, size: int, **kwargs: Any) -> Page[T]:
    """One page of a list already in memory (bounded by something else, a period)."""
    start = (number - 1) * size
    return cut(rows[start : start + size + 1], number, size, **kwargs)


MAX_ID = 2**31 - 1  # the largest key the database holds; see BoundedIntConverter


def query_int(name: str, default: int | None = None) -> int | None:
    """A positive whole number from the query string, or `default` when it is missing,
    malformed or beyond any key the database can hold (rather than overflowing it)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else default
