"""Signing in, creating accounts and resetting passwords."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.db import utcnow
from app.extensions import db
from app.models import PasswordResetToken, User
from app.services import ServiceError, audit, outbox, sessions
from app.services.passwords import hash_password, password_problem, verify_password
from app.services.tokens import hash_token, new_token

RESET_LIFETIME = timedelta(hours=1)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == normalize_email(email))).first()


def authenticate(email: str, password: str) -> User | None:
    """The user when the password matches; None otherwise, taking the same time either way."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        if user is not None:
            user.failed_logins += 1
            audit.record("auth.login_failed", user=user)
        return None
    user.failed_logins = 0
    audit.record("auth.login", user=user)
    return user


def create_user(
    email: str, name: str, password: str, *, locale: str | None = None, timezone: str = "UTC"
) -> User:
    email = normalize_email(email)
    problem = password_problem(password, email)
    if problem:
        raise ServiceError(problem, "password")
    if find_user(email) is not None:
        raise ServiceError(str(_l("An account with this email already exists.")), "email")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        timezone=timezone,
    )
    db.session.add(user)
    db.session.flush()
    return user


def change_password(user: User, new_password: str) -> None:
    problem = password_problem(new_password, user.email)
    if problem:
        raise ServiceError(problem, "password")
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    sessions.end_all(user)
    audit.record("auth.password_changed", user=user)
    outbox.enqueue(user.email, "password_changed", user.locale)


def request_password_reset(email: str, locale: str | None) -> None:
    """Emails a reset link when the address has an account; says nothing either way."""
    user = find_user(email)
    if user is None:
        return
    token, digest = new_token()
    db.session.add(
        PasswordResetToken(user_id=user.id, token_hash=digest, expires_at=utcnow() + RESET_LIFETIME)
    )
    audit.record("auth.password_reset_requested", user=user)
    outbox.enqueue(user.email, "password_reset", user.locale or locale, token=token)


def usable_reset_token(token: str) -> PasswordResetToken | None:
    reset = db.session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset


def reset_password(token: str, new_password: str) -> User:
    reset = usable_reset_token(token)
    if reset is None:
        raise ServiceError(str(_l("This link has expired or was already used.")))
    user = db.session.get_one(User, reset.user_id)
    change_password(user, new_password)
    now = utcnow()
    # Every outstanding link for this account dies with the one that was used.
    for other in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        other.used_at = now
    return user


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
