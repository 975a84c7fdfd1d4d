"""Who reads, writes and moderates which of a team's threads.

- Care team: therapists, guardians, the teen; a school counselor only while a `school_thread`
  consent naming them is in force.
- Family: therapists, guardians, the teen.
- Teen and therapist: the teen and the therapists only.
- School: therapists, guardians, counselors with that consent in force; the teen when the teen
  has chosen to be in it.
A restricted member reads nothing. A thread you may not read is a 404, like a missing one,
for posting too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol, TypeGuard

from flask import abort
from sqlalchemy import ColumnElement, and_, or_, select, true

from app.extensions import db
from app.models import Membership, Message, Role, Thread, ThreadKind
from app.policy.consents import Scope, in_force, prime_in_force
from app.policy.permissions import Permission, allows, is_restricted

EDIT_WINDOW = timedelta(minutes=10)
KIND_ORDER = tuple(ThreadKind)

# The roles each kind is open to before the two choices (consent, the teen's) are asked.
_OPEN_TO: dict[ThreadKind, frozenset[Role]] = {
    ThreadKind.CARE_TEAM: frozenset({Role.THERAPIST, Role.GUARDIAN, Role.TEEN}),
    ThreadKind.FAMILY: frozenset({Role.THERAPIST, Role.GUARDIAN, Role.TEEN}),
    ThreadKind.TEEN_THERAPIST: frozenset({Role.THERAPIST, Role.TEEN}),
    ThreadKind.SCHOOL: frozenset({Role.THERAPIST, Role.GUARDIAN}),
}


def _active(membership: Membership | None, permission: Permission) -> TypeGuard[Membership]:
    return (
        membership is not None
        and allows(membership.role, permission)
        and not is_restricted(membership)
    )


def may_read(membership: Membership | None, thread: Thread) -> bool:
    if not _active(membership, Permission.THREAD_READ) or thread.team_id != membership.team_id:
        return False
    role = membership.role
    if role in _OPEN_TO[thread.kind]:
        return True
    if role == Role.SCHOOL and thread.kind in (ThreadKind.CARE_TEAM, ThreadKind.SCHOOL):
        return in_force(membership, Scope.SCHOOL_THREAD)
    return role == Role.TEEN and thread.kind == ThreadKind.SCHOOL and bool(thread.teen_included)


def may_post(membership: Membership | None, thread: Thread) -> bool:
    return _active(membership, Permission.THREAD_POST) and may_read(membership, thread)


def may_see_hidden(membership: Membership) -> bool:
    """Those who hide messages still read them, marked hidden."""
    return _active(membership, Permission.MESSAGE_HIDE)


def may_hide(membership: Membership, thread: Thread) -> bool:
    return may_see_hidden(membership) and may_read(membership, thread)


def may_choose_school_thread(membership: Membership) -> bool:
    """Only the teen decides whether they are in the school thread."""
    return _active(membership, Permission.THREAD_SCHOOL_CHOOSE)


def view_is_audited(membership: Membership) -> bool:
    """Opening a thread is in the audit for everyone but the therapists."""
    return membership.role != Role.THERAPIST


class MessageFacts(Protocol):
    """A message, or a row with the columns these rules read of one (a thread's page reads its
    messages as rows: app.domain.threads.statements.MessageRow)."""

    @property
    def author_membership_id(self) -> int | None: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def deleted_at(self) -> datetime | None: ...

    @property
    def hidden_at(self) -> datetime | None: ...


def is_own(membership: Membership, message: MessageFacts) -> bool:
    return message.author_membership_id == membership.id


def within_edit_window(message: MessageFacts, now: datetime) -> bool:
    return now - message.created_at <= EDIT_WINDOW


def may_change(membership: Membership, message: MessageFacts, now: datetime) -> bool:
    """The author edits or deletes a message of theirs for ten minutes, unless it was hidden."""
    return (
        is_own(membership, message)
        and not is_deleted(message)
        and message.hidden_at is None
        and within_edit_window(message, now)
    )


def readable_threads(membership: Membership) -> list[Thread]:
    """The threads this member may read, in a fixed order. A kind nobody has written in yet
    is an unsaved Thread: it is stored on its first message."""
    if not _active(membership, Permission.THREAD_READ):
        return []
    stored = {
        thread.kind: thread
        for thread in db.session.scalars(select(Thread).where(Thread.team_id == membership.team_id))
    }
    threads = [stored.get(kind) or unsaved_thread(membership.team_id, kind) for kind in KIND_ORDER]
    return [thread for thread in threads if may_read(membership, thread)]


def unsaved_thread(team_id: int, kind: ThreadKind) -> Thread:
    return Thread(team_id=team_id, kind=kind, teen_included=False)


def thread_of_kind(membership: Membership, slug: str) -> Thread:
    """The team's thread of this kind, readable or not (stored or unsaved); unknown kind: 404."""
    kind = ThreadKind.from_slug(slug) or abort(404)
    stored = db.session.scalars(
        select(Thread).where(Thread.team_id == membership.team_id, Thread.kind == kind)
    ).first()
    return stored or unsaved_thread(membership.team_id, kind)


def readable_thread_or_404(membership: Membership, slug: str) -> Thread:
    thread = thread_of_kind(membership, slug)
    if not may_read(membership, thread):
        abort(404)
    return thread


def message_or_404(membership: Membership, thread: Thread, message_id: int) -> Message:
    """A message of this readable thread on the member's team; anything else is a 404."""
    if thread.id is None or not may_read(membership, thread):
        abort(404)
    message = db.session.scalars(
        select(Message).where(
            Message.id == message_id,
            Message.team_id == membership.team_id,
            Message.thread_id == thread.id,
        )
    ).first()
    if message is None:
        abort(404)
    return message


def counts_as_unread(membership: Membership) -> ColumnElement[bool]:
    """Messages by others that are there to read: not deleted, and not hidden from them."""
    by_others = or_(
        Message.author_membership_id.is_(None), Message.author_membership_id != membership.id
    )
    shown = true() if may_see_hidden(membership) else Message.hidden_at.is_(None)
    return and_(by_others, Message.deleted_at.is_(None), shown)


def readers(thread: Thread, members: list[Membership]) -> list[Membership]:
    """Of these members of the thread's team, those who may read it."""
    prime_in_force(members, Scope.SCHOOL_THREAD)
    return [member for member in members if may_read(member, thread)]


def is_deleted(message: object) -> bool:
    """Its author took it back: the text is gone for everyone, the thread says so."""
    return getattr(message, "deleted_at", None) is not None


def text_readable(membership: Membership, message: MessageFacts) -> bool:
    """Whether this member may read a message's text: not deleted, and not hidden from them."""
    return not is_deleted(message) and (message.hidden_at is None or may_see_hidden(membership))
