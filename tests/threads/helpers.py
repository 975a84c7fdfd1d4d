"""Builders for threads and messages, and a stand-in for a consent in force."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from app.db import utcnow
from app.domain.threads import commands as threads
from app.extensions import db
from app.models import Message, OutboxMessage, Scope, ThreadKind, ThreadRead
from app.policy import threads as thread_policy

KINDS = {kind.slug: kind for kind in ThreadKind}


def url(team, slug: str = "", suffix: str = "") -> str:
    base = f"/teams/{team.id}/messages/"
    return base + slug + suffix


def say(team, key: str, slug: str, body: str = "Hello from the team") -> Message:
    """Posts as a member of `team` straight through the service, and commits."""
    member = team.memberships[key]
    thread = thread_policy.thread_of_kind(member, slug)
    message = threads.post(member, team.users[key], thread, body)
    db.session.commit()
    return message


def grant_school_thread(monkeypatch, *counselors) -> None:
    """A `school_thread` consent naming these counselor memberships is in force."""
    ids = {membership.id for membership in counselors}
    monkeypatch.setattr(
        thread_policy,
        "in_force",
        lambda membership, scope: scope == Scope.SCHOOL_THREAD and membership.id in ids,
    )


def age_message(message_id: int, minutes: int) -> None:
    db.session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(created_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


def age_notices(minutes: int) -> None:
    db.session.execute(
        update(ThreadRead).values(last_notified_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


def messages() -> int:
    return db.session.scalar(select(func.count()).select_from(Message)) or 0


def notices() -> list[str]:
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            select(OutboxMessage.to_email).where(OutboxMessage.template == "new_message")
        )
    )
