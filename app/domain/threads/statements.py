"""The statements behind a thread's page (app.domain.threads.queries), built once at import.

A page asks the same three or four things on every request; building a statement of 15
columns and four joins, and its cache key, cost more than running it. Each is built here
once, with its values bound at execution, and SQLAlchemy reuses the compiled form.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Membership, Message, Role, ThreadRead, User


class MessageRow(NamedTuple):
    """One message as a page reads it, in the order `_ROWS` selects. A plain tuple: a page
    reads some twenty fields of each of 50 rows, and a tuple's fields are the cheapest."""

    id: int
    # What app.policy.threads reads of a message (is_own, may_change), by the same names.
    author_membership_id: int | None
    created_at: datetime
    deleted_at: datetime | None
    hidden_at: datetime | None
    edited_at: datetime | None
    body: str
    hidden_reason: str | None
    author_role: Role | None
    author_relation: str | None
    author_name: str | None
    author_deleted_at: datetime | None
    hidden_by_membership_id: int | None
    hider_name: str | None
    hider_deleted_at: datetime | None
    last_read: int | None = None  # the reader's marker, on a page's rows only


_author, _author_user = aliased(Membership), aliased(User)
_hider, _hider_user = aliased(Membership), aliased(User)

# The columns a page shows rather than whole Message, Membership and User objects: 50
# messages then fill no identity map, and leave nothing to expire when the view commits.
_ROWS = (
    select(
        Message.id,
        Message.author_membership_id,
        Message.created_at,
        Message.deleted_at,
        Message.hidden_at,
        Message.edited_at,
        Message.body,
        Message.hidden_reason,
        _author.role.label("author_role"),
        _author.relation_label.label("author_relation"),
        _author_user.name.label("author_name"),
        _author_user.deleted_at.label("author_deleted_at"),
        Message.hidden_by_membership_id,
        _hider_user.name.label("hider_name"),
        _hider_user.deleted_at.label("hider_deleted_at"),
    )
    .outerjoin(_author, _author.id == Message.author_membership_id)
    .outerjoin(_author_user, _author_user.id == _author.user_id)
    .outerjoin(_hider, _hider.id == Message.hidden_by_membership_id)
    .outerjoin(_hider_user, _hider_user.id == _hider.user_id)
    .where(Message.thread_id == bindparam("thread_id"), Message.team_id == bindparam("team_id"))
)

_LAST_READ = select(ThreadRead.last_read_message_id).where(
    ThreadRead.thread_id == bindparam("thread_id"),
    ThreadRead.membership_id == bindparam("membership_id"),
)

# A page's rows also carry the reader's marker: one round trip fewer than asking apart.
_PAGE = _ROWS.add_columns(_LAST_READ.scalar_subquery().label("last_read")).limit(bindparam("size"))
# MessageRow is filled by position, so its fields and the columns must stay in step (a row
# of every message, without the marker, takes its default).
if tuple(_PAGE.selected_columns.keys()) != MessageRow._fields:
    raise RuntimeError("MessageRow's fields differ from the page's columns")
_LATEST = _PAGE.order_by(Message.id.desc())
_BEFORE = _PAGE.where(Message.id < bindparam("before")).order_by(Message.id.desc())
_AFTER = _PAGE.where(Message.id > bindparam("after")).order_by(Message.id)
_EVERY = _ROWS.order_by(Message.id)

_MEMBERS = select(Membership).where(Membership.team_id == bindparam("team_id"))


def page_rows(
    membership: Membership, thread_id: int, size: int, before: int | None, after: int | None
) -> list[MessageRow]:
    """`size` rows walking back from `before` (or the newest), or forward from `after`, each
    with the reader's `last_read`."""
    params = {
        "thread_id": thread_id,
        "team_id": membership.team_id,
        "membership_id": membership.id,
        "size": size,
    }
    if after is not None:
        found = db.session.execute(_AFTER, {**params, "after": after})
    elif before is not None:
        found = db.session.execute(_BEFORE, {**params, "before": before})
    else:
        found = db.session.execute(_LATEST, params)
    return [MessageRow._make(row) for row in found]


def every_row(membership: Membership, thread_id: int) -> list[MessageRow]:
    """A thread's messages in order, with their authors' and hiders' names and roles."""
    params = {"thread_id": thread_id, "team_id": membership.team_id}
    # Without the reader's marker: None in its place.
    return [MessageRow._make((*row, None)) for row in db.session.execute(_EVERY, params)]


def last_read(membership: Membership, thread_id: int) -> int | None:
    params = {"thread_id": thread_id, "membership_id": membership.id}
    return db.session.scalar(_LAST_READ, params)


def team_members(team_id: int) -> list[Membership]:
    return list(db.session.scalars(_MEMBERS, {"team_id": team_id}))
