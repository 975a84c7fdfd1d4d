"""A person and their sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
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
    # Set once the person has proved the authenticator works; the secret alone is a pending
    # enrolment.
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The last accepted TOTP time step: a code is good once, even inside its window.
    mfa_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[created_at]
    # An erased account keeps its row so the practice's clinical records keep their shape;
    # every personal field is blanked and the person shows as a former member.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

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
    # When the person last re-entered their password on this session (export, security
    # changes and consent signing ask for a recent one).
    reauthenticated_at: Mapped[datetime | None] = mapped_column(DateTime)
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


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_at]


class LoginFailure(db.Model):
    """One failed sign-in. Keyed by a hash of the address typed, not by the account, so an
    address with no account is counted (and locked) exactly like one that exists."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_account_at", "account_key", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
    )

    id: Mapped[intpk]
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[created_at]


class IdempotencyKey(db.Model):
    """A form's one-time key, claimed by the first request that carries it; a repeat of the
    same form goes to the first one's result instead of making a second record."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(100))
    result_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[created_at] = mapped_column(index=True)
