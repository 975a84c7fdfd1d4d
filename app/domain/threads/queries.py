"""Read models of the threads for each page, already filtered by app.policy.threads.

They are plain values, built before the view commits, so a template never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import and_, func, select

from app.domain.labels import person_name
from app.domain.threads import statements as queries
from app.domain.threads.statements import MessageRow
from app.extensions import db
from app.models import Membership, Message, Role, Thread, ThreadKind, ThreadRead
from app.policy import threads as policy
from app.policy.audiences import is_former_member

PAGE_SIZE = 50
READER_ORDER = (Role.THERAPIST, Role.TEEN, Role.GUARDIAN, Role.SCHOOL)


class Shown:
    """How a message appears to this reader."""

    TEXT = "text"
    DELETED = "deleted"
    HIDDEN = "hidden"  # others see only that a therapist hid it
    HIDDEN_TEXT = "hidden_text"  # therapists still read it, marked hidden


@dataclass(frozen=True)
class MessageView:
    id: int
    author_name: str  # "A former member" once the author has left (app.domain.labels.person_name)
    author_role: Role | None
    author_relation: str | None
    created_at: datetime
    edited: bool
    shown: str
    body: str | None
    hidden_reason: str | None
    hidden_by_name: str | None  # only on a hidden message a therapist reads
    mine: bool
    new: bool
    may_change: bool
    may_hide: bool


@dataclass(frozen=True)
class ThreadSummary:
    kind: ThreadKind
    unread: int
    last_at: datetime | None


@dataclass(frozen=True)
class Inbox:
    threads: list[ThreadSummary]
    may_join_school: bool

    @property
    def unread(self) -> int:
        return sum(summary.unread for summary in self.threads)


@dataclass(frozen=True)
class ThreadPage:
    kind: ThreadKind
    messages: list[MessageView]
    earlier_before: int | None  # the id to page back from, when there are earlier messages
    newer_after: int | None  # the id to page forward from, on a page before the latest
    latest: bool
    readers: list[Role]
    may_post: bool
    may_leave_school: bool
    newest_id: int | None
    last_read: int

    @property
    def has_unread(self) -> bool:
        return self.newest_id is not None and self.newest_id > self.last_read


def unread_counts(membership: Membership, threads: list[Thread]) -> dict[int, int]:
    """Per thread: messages by others after the member's read marker, as the policy counts."""
    ids = [thread.id for thread in threads if thread.id is not None]
    if not ids:
        return {}
    marker = func.coalesce(ThreadRead.last_read_message_id, 0)
    rows = db.session.execute(
        select(Message.thread_id, func.count())
        .outerjoin(
            ThreadRead,
            and_(
                ThreadRead.thread_id == Message.thread_id,
                ThreadRead.membership_id == membership.id,
            ),
        )
        .where(
            Message.thread_id.in_(ids),
            Message.team_id == membership.team_id,
            Message.id > marker,
            policy.counts_as_unread(membership),
        )
        .group_by(Message.thread_id)
    ).all()
    return dict(rows)


def _last_times(threads: list[Thread]) -> dict[int, datetime]:
    ids = [thread.id for thread in threads if thread.id is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Message.thread_id, func.max(Message.created_at))
        .where(Message.thread_id.in_(ids))
        .group_by(Message.thread_id)
    ).all()
    return dict(rows)


def inbox(membership: Membership) -> Inbox:
    threads = policy.readable_threads(membership)
    unread = unread_counts(membership, threads)
    last = _last_times(threads)
    summaries = [ThreadSummary(t.kind, unread.get(t.id, 0), last.get(t.id)) for t in threads]
    in_school = any(t.kind == ThreadKind.SCHOOL for t in threads)
    return Inbox(summaries, policy.may_choose_school_thread(membership) and not in_school)


@dataclass(frozen=True)
class MessagesLink:
    unread: int


def messages_link(membership: Membership) -> MessagesLink | None:
    """For a dashboard: the total unread, or None when the member reads no thread at all."""
    threads = policy.readable_threads(membership)
    if not threads:
        return None
    return MessagesLink(sum(unread_counts(membership, threads).values()))


class _Names:
    """People's names as app.domain.labels.person_name gives them, from a row's columns; "a former
    member" is translated once a page rather than once a message."""

    def __init__(self) -> None:
        self.former: dict[bool, str] = {}

    def __call__(
        self,
        member_id: int | None,
        name: str | None,
        deleted_at: datetime | None,
        *,
        at_start: bool = False,
    ) -> str:
        # A member still present has a name (the account holds it); a missing one is named as
        # one who left rather than shown as nothing.
        if name is not None and not is_former_member(member_id, deleted_at):
            return name
        if at_start not in self.former:
            self.former[at_start] = person_name(None, at_start=at_start)
        return self.former[at_start]


class _ViewOptions(TypedDict):
    """What _view is told of the whole page, the same for each of its messages."""

    last_read: int
    see_hidden: bool
    may_hide: bool
    may_post: bool


def _view(
    message: MessageRow,
    membership: Membership,
    now: datetime,
    names: _Names,
    *,
    last_read: int,
    see_hidden: bool,
    may_hide: bool,
    may_post: bool,
) -> MessageView:
    if policy.is_deleted(message):
        shown = Shown.DELETED
    elif message.hidden_at is not None:
        shown = Shown.HIDDEN_TEXT if see_hidden else Shown.HIDDEN
    else:
        shown = Shown.TEXT
    readable = shown in (Shown.TEXT, Shown.HIDDEN_TEXT)
    mine = policy.is_own(membership, message)
    # A former member (account erased, or membership gone) shows no role.
    still_member = not is_former_member(message.author_membership_id, message.author_deleted_at)
    return MessageView(
        id=message.id,
        author_name=names(
            message.author_membership_id,
            message.author_name,
            message.author_deleted_at,
            at_start=True,
        ),
        author_role=message.author_role if still_member else None,
        author_relation=message.author_relation if still_member else None,
        created_at=message.created_at,
        edited=readable and message.edited_at is not None,
        shown=shown,
        body=message.body if readable else None,
        hidden_reason=message.hidden_reason if shown == Shown.HIDDEN_TEXT else None,
        hidden_by_name=(
            names(message.hidden_by_membership_id, message.hider_name, message.hider_deleted_at)
            if shown == Shown.HIDDEN_TEXT
            else None
        ),
        mine=mine,
        new=not mine and message.id > last_read and shown != Shown.DELETED,
        may_change=may_post and policy.may_change(membership, message, now),
        may_hide=may_hide and shown == Shown.TEXT,
    )


def last_read_id(membership: Membership, thread: Thread) -> int:
    if thread.id is None:
        return 0
    return queries.last_read(membership, thread.id) or 0


def reader_roles(thread: Thread) -> list[Role]:
    """Which roles on the team read this thread now (consents and the teen's choice counted)."""
    members = queries.team_members(thread.team_id)
    roles = {member.role for member in policy.readers(thread, members)}
    return sorted(roles, key=READER_ORDER.index)


def thread_page(
    membership: Membership,
    thread: Thread,
    now: datetime,
    before: int | None = None,
    after: int | None = None,
) -> ThreadPage:
    """One page of a readable thread, oldest first: the latest 50, 50 before `before`, or 50
    after `after`. Pages are keyed by message id, so a message posted meanwhile never shifts
    a page (as an offset would)."""
    # One page and one more, which tells that another page follows.
    found = (
        queries.page_rows(membership, thread.id, PAGE_SIZE + 1, before, after)
        if thread.id is not None
        else []
    )
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    if after is None:
        found.reverse()
        # A page before `before` was reached from a newer one, so newer messages follow it.
        earlier, newer = more, before is not None
    else:
        earlier, newer = True, more  # `after` is the last message of an earlier page
    last_read = (found[0].last_read or 0) if found else last_read_id(membership, thread)
    may_post = policy.may_post(membership, thread)
    names = _Names()
    options: _ViewOptions = {
        "last_read": last_read,
        "see_hidden": policy.may_see_hidden(membership),
        "may_hide": policy.may_hide(membership, thread),
        "may_post": may_post,
    }
    return ThreadPage(
        kind=thread.kind,
        messages=[_view(message, membership, now, names, **options) for message in found],
        earlier_before=(found[0].id if found else (after or 0) + 1) if earlier else None,
        newer_after=found[-1].id if newer and found else None,
        latest=not newer,
        readers=reader_roles(thread),
        may_post=may_post,
        may_leave_school=thread.kind == ThreadKind.SCHOOL
        and policy.may_choose_school_thread(membership),
        newest_id=found[-1].id if found else None,
        last_read=last_read,
    )


def every_message(membership: Membership, thread: Thread, now: datetime) -> list[MessageView]:
    """The whole of a readable thread, oldest first, as this member reads it page by page
    (for the download of the teen's record)."""
    if thread.id is None or not policy.may_read(membership, thread):
        return []
    found = queries.every_row(membership, thread.id)
    options: _ViewOptions = {
        "last_read": last_read_id(membership, thread),
        "see_hidden": policy.may_see_hidden(membership),
        "may_hide": False,
        "may_post": False,
    }
    names = _Names()
    return [_view(message, membership, now, names, **options) for message in found]
