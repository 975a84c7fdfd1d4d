"""Messaging use cases: post, edit, delete, hide, read markers, the teen's school-thread choice.

Each takes the acting membership (and user, for the audit), flushes and never commits.
Nothing here copies message text into the audit or an email.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.domain.audit import commands as audit
from app.domain.errors import NotFound, ServiceError
from app.extensions import db
from app.models import Membership, Message, Thread, ThreadKind, ThreadRead, User
from app.models.messaging import MAX_BODY, MAX_HIDDEN_REASON
from app.platform import outbox
from app.policy import threads as policy
from app.policy.audiences import thread_notice_candidate

NOTICE_INTERVAL = timedelta(hours=1)
_ALLOWED_CONTROLS = frozenset("\n\t")


def clean_text(text: str | None, *, limit: int, field: str, empty: str) -> str:
    """Plain text, line breaks kept, trimmed; refused when empty, too long or unreadable."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ServiceError(empty, field=field)
    if len(text) > limit:
        raise ServiceError(
            _(
                "This is %(count)s characters long. The limit is %(limit)s.",
                count=format_number(len(text)),
                limit=format_number(limit),
            ),
            field=field,
        )
    for char in text:
        if unicodedata.category(char) in {"Cc", "Cs", "Co"} and char not in _ALLOWED_CONTROLS:
            raise ServiceError(_("Please remove the unusual characters from this field."), field)
    return text


def clean_body(body: str | None) -> str:
    return clean_text(
        body, limit=MAX_BODY, field="body", empty=_("Please write a message before sending.")
    )


def _saved(thread: Thread) -> Thread:
    """Stores a thread on first use. Two first posts at once: the database keeps one."""
    if thread.id is not None:
        return thread
    try:
        with db.session.begin_nested():
            db.session.add(thread)
    except IntegrityError:
        thread = db.session.scalars(
            select(Thread).where(Thread.team_id == thread.team_id, Thread.kind == thread.kind)
        ).one()
    return thread


def post(actor: Membership, user: User, thread: Thread, body: str) -> Message:
    if not policy.may_post(actor, thread):
        raise NotFound()
    text = clean_body(body)
    thread = _saved(thread)
    now = utcnow()
    message = Message(
        team_id=actor.team_id,
        thread_id=thread.id,
        author_membership_id=actor.id,
        body=text,
        created_at=now,
    )
    db.session.add(message)
    db.session.flush()
    audit.record("message.post", user=user, membership=actor, target=message, kind=thread.kind)
    mark_read(actor, thread, message.id)
    _notify(actor, thread, now)
    return message


def check_changeable(actor: Membership, message: Message, now: datetime | None = None) -> None:
    """Someone else's message (or one already deleted) is a 404; a hidden one or one past the
    ten minutes is refused with a reason."""
    now = now or utcnow()
    thread = db.session.get_one(Thread, message.thread_id)
    if not policy.may_post(actor, thread) or not policy.is_own(actor, message):
        raise NotFound()
    if policy.is_deleted(message):
        raise NotFound()
    if message.hidden_at is not None:
        raise ServiceError(_("A therapist hid this message, so it can no longer be changed."))
    if not policy.within_edit_window(message, now):
        raise ServiceError(
            _("You can change or delete a message only in the first 10 minutes after sending it.")
        )


def edit(actor: Membership, user: User, message: Message, body: str) -> Message:
    now = utcnow()
    check_changeable(actor, message, now)
    text = clean_body(body)
    if text != message.body:
        message.body = text
        message.edited_at = now
        db.session.flush()
        audit.record("message.edit", user=user, membership=actor, target=message)
    return message


def delete(actor: Membership, user: User, message: Message) -> Message:
    """The author takes a message back: its text is erased and the thread says so."""
    now = utcnow()
    check_changeable(actor, message, now)
    message.body = ""
    message.deleted_at = now
    db.session.flush()
    audit.record("message.delete", user=user, membership=actor, target=message)
    return message


def hide(actor: Membership, user: User, message: Message, reason: str) -> Message:
    """A therapist hides a message from everyone else. The text stays, for the therapists."""
    thread = db.session.get_one(Thread, message.thread_id)
    if not policy.may_hide(actor, thread) or message.team_id != actor.team_id:
        raise NotFound()
    if policy.is_deleted(message):
        raise ServiceError(_("This message was deleted; there is nothing to hide."))
    if message.hidden_at is not None:
        raise ServiceError(_("This message is already hidden."))
    message.hidden_reason = clean_text(
        reason,
        limit=MAX_HIDDEN_REASON,
        field="reason",
        empty=_("Please write why you are hiding this message."),
    )
    message.hidden_at = utcnow()
    message.hidden_by_membership_id = actor.id
    db.session.flush()
    audit.record(
        "message.hide",
        user=user,
        membership=actor,
        target=message,
        kind=thread.kind,
        author_membership_id=message.author_membership_id,
    )
    return message


def set_teen_included(actor: Membership, user: User, thread: Thread, included: bool) -> Thread:
    """The teen joins or leaves the school thread; nobody else can make that choice."""
    if (
        not policy.may_choose_school_thread(actor)
        or thread.team_id != actor.team_id
        or thread.kind != ThreadKind.SCHOOL
    ):
        raise NotFound()
    thread = _saved(thread)
    if thread.teen_included != included:
        thread.teen_included = included
        db.session.flush()
        audit.record(
            "thread.teen_choice", user=user, membership=actor, target=thread, included=included
        )
    return thread


def record_view(actor: Membership, user: User, thread: Thread, page: str) -> None:
    if policy.view_is_audited(actor):
        audit.record(
            "thread.view",
            user=user,
            membership=actor,
            team_id=actor.team_id,
            target=thread if thread.id is not None else None,
            kind=thread.kind,
            page=page,
        )


def _insert_ignoring_duplicates(rows: list[dict[str, int]]) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(ThreadRead)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["thread_id", "membership_id"])
    )


def mark_read(actor: Membership, thread: Thread, up_to_id: int) -> None:
    """Moves the member's read marker forward to `up_to_id` (never back)."""
    if thread.id is None:
        return
    _insert_ignoring_duplicates(
        [{"team_id": actor.team_id, "thread_id": thread.id, "membership_id": actor.id}]
    )
    db.session.execute(
        update(ThreadRead)
        .where(
            ThreadRead.thread_id == thread.id,
            ThreadRead.membership_id == actor.id,
            or_(
                ThreadRead.last_read_message_id.is_(None),
                ThreadRead.last_read_message_id < up_to_id,
            ),
        )
        .values(last_read_message_id=up_to_id)
        .execution_options(synchronize_session=False)
    )


def _notify(actor: Membership, thread: Thread, now: datetime) -> None:
    """A discreet notice to each other reader, at most once an hour per thread; never the text."""
    members = db.session.scalars(
        select(Membership)
        .where(
            Membership.team_id == thread.team_id,
            Membership.id != actor.id,
            thread_notice_candidate(),
        )
        .options(joinedload(Membership.user))
        .order_by(Membership.id)
    ).all()
    recipients = policy.readers(thread, list(members))
    if not recipients:
        return
    _insert_ignoring_duplicates(
        [
            {"team_id": thread.team_id, "thread_id": thread.id, "membership_id": m.id}
            for m in recipients
        ]
    )
    # Locked, so two messages posted at the same moment send one notice, not two.
    reads = {
        read.membership_id: read
        for read in db.session.scalars(
            select(ThreadRead)
            .where(
                ThreadRead.thread_id == thread.id,
                ThreadRead.membership_id.in_([m.id for m in recipients]),
            )
            .order_by(ThreadRead.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    for member in recipients:
        read = reads[member.id]
        if read.last_notified_at is not None and now - read.last_notified_at < NOTICE_INTERVAL:
            continue
        read.last_notified_at = now
        outbox.enqueue(member.user.email, "new_message", member.user.locale)
    db.session.flush()
