"""The care team's conversations: one thread per kind per team, its messages, and how far each
member has read."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.teams import Membership
from app.models.types import created_at, intpk, str_enum, team_fk

MAX_BODY = 5000
MAX_HIDDEN_REASON = 1000


class ThreadKind(enum.StrEnum):
    """Who reads each kind is decided in app.policy.threads, never here."""

    CARE_TEAM = "care_team"
    FAMILY = "family"
    TEEN_THERAPIST = "teen_therapist"
    SCHOOL = "school"

    @property
    def slug(self) -> str:
        """The kind as it appears in URLs."""
        return self.value.replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> ThreadKind | None:
        return next((kind for kind in cls if kind.slug == slug), None)


class Thread(db.Model):
    """Made the first time someone posts in it (or the teen joins the school thread)."""

    __tablename__ = "thread"
    __table_args__ = (UniqueConstraint("team_id", "kind"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    kind: Mapped[ThreadKind] = mapped_column(str_enum(ThreadKind))
    # The school thread only: the teen's own choice to read and write in it.
    teen_included: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[created_at]


class Message(db.Model):
    __tablename__ = "message"
    __table_args__ = (
        # A thread's messages in order, and the unread count after a read marker.
        Index("ix_message_thread_order", "thread_id", "id"),
    )

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    # Empty once the author's membership is gone: the page says "a former member".
    author_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(String(MAX_BODY))
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Hidden by a therapist from everyone else; the text stays for the therapists.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True
    )
    hidden_reason: Mapped[str | None] = mapped_column(String(MAX_HIDDEN_REASON))

    author: Mapped[Membership | None] = relationship(
        foreign_keys=[author_membership_id], lazy="raise"
    )
    hidden_by: Mapped[Membership | None] = relationship(
        foreign_keys=[hidden_by_membership_id], lazy="raise"
    )
    thread: Mapped[Thread] = relationship(lazy="raise")


class ThreadRead(db.Model):
    """A member's place in a thread: the last message they saw, and when we last emailed them
    about the thread (at most one notice an hour)."""

    __tablename__ = "thread_read"
    __table_args__ = (UniqueConstraint("thread_id", "membership_id"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    # A high-water mark of message ids, not a reference: messages are never removed alone.
    last_read_message_id: Mapped[int | None] = mapped_column(Integer)
    last_notified_at: Mapped[datetime | None] = mapped_column(DateTime)
