"""A person and their sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import created_at, email_str, intpk, str200, token_hash


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[intpk]
    # Stored lower-cased, which makes the unique constraint case-insensitive.
    email: Mapped[email_str] = mapped_column(unique=True)
    name: Mapped[str200]
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    mfa_secret: Mapped[str | None] = mapped_column(String(64))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_at]

    memberships: Mapped[list[Membership]] = relationship(  # noqa: F821
        back_populates="user", lazy="raise"
    )

    # Flask-Login reads these; Harbor's own session record decides who is signed in.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class UserSession(db.Model):
    """One signed-in browser. The cookie carries a random token; only its hash is here."""

    __tablename__ = "user_session"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[token_hash]
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
    user_agent: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_at]
    last_seen_at: Mapped[created_at]
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class PasswordResetToken(db.Model):
    __tablename__ = "password_reset_token"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[token_hash]
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(lazy="raise")
