"""Signing in, creating accounts and resetting passwords."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TypedDict

from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.db import utcnow
from app.domain.accounts import lockout, sessions
from app.domain.accounts.passwords import hash_password, password_problem, verify_password
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.extensions import db
from app.models import PasswordResetToken, User
from app.platform import outbox
from app.platform.tokens import hash_token, new_token
from app.policy.audiences import is_open, open_account

RESET_LIFETIME = timedelta(hours=1)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """The account with this address; never an erased one, so it cannot sign in or reset."""
    return db.session.scalars(
        select(User).where(User.email == normalize_email(email), open_account())
    ).first()


class SignInLocked(ServiceError):
    """Too many recent failures for this email: refused even with the right password, in the
    same words whether or not an account has the email."""

    def __init__(self, until: datetime) -> None:
        seconds = max(1, math.ceil((until - utcnow()).total_seconds()))
        # Rounded up, so nobody is told a minute and then refused again after it.
        wait = timedelta(seconds=seconds if seconds < 60 else 60 * math.ceil(seconds / 60))
        super().__init__(
            str(
                _l(
                    "Too many attempts to sign in with this email. For your safety, please "
                    "wait %(wait)s and try again, or reset your password.",
                    wait=format_timedelta(wait, granularity="second", threshold=1),
                )
            ),
            "password",
        )
        self.until = until


def authenticate(email: str, password: str, *, address: str | None = None) -> User | None:
    """The user when the password matches; None otherwise, taking the same time either way.
    Raises SignInLocked while the email is locked out (see app.domain.accounts.lockout). `address`
    is the client's, kept with the failure and in the audit.

    The password is checked with no transaction open: on SQLite every transaction holds the
    write lock (app.db), and argon2 takes a third of a second, so checking inside one made
    every other sign-in and save wait (and, under load, fail with "database is locked")."""
    email = normalize_email(email)
    key = lockout.account_key(email)
    user = find_user(email)
    until = lockout.locked_until(email)
    if until is not None:
        audit.record("auth.login_failed", user=user, **_where(key, address), locked=True)
        raise SignInLocked(until)
    user_id, password_hash = (user.id, user.password_hash) if user else (None, None)
    end_read_transaction()
    # An unknown email is checked against a dummy hash, so a miss takes as long as a match.
    matches = verify_password(password_hash, password) and user_id is not None
    # A new, short transaction records the outcome.
    user = db.session.get(User, user_id) if user_id is not None else None
    if not matches or not is_open(user):
        # The same for an email without an account: counted, audited (by its hash alone).
        until = lockout.record_failure(email, address)
        audit.record("auth.login_failed", user=user, **_where(key, address))
        if until is not None:
            audit.record("auth.lockout", user=user, **_where(key, address), until=until.isoformat())
        return None
    audit.record("auth.login", user=user, **_where(None, address))
    return user


def end_read_transaction() -> None:
    """Ends the request's transaction before slow work that needs no database (a password
    check), so it holds no lock meanwhile. Only reads may have happened: anything pending
    would be lost, so that is a bug in the caller."""
    session = db.session()
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise RuntimeError("unsaved changes before a password check")
    session.rollback()


class Where(TypedDict, total=False):
    """Where a sign-in came from, as an audit event's detail: the client's address and the
    hashed account key (app.domain.accounts.lockout), each when known."""

    address: str
    account_key: str


def _where(key: str | None, address: str | None) -> Where:
    detail: Where = {"address": address} if address else {}
    return {**detail, "account_key": key} if key else detail


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


def password_matches(
    user: User, password: str, *, failure_action: str, address: str | None = None
) -> bool:
    """Checks a signed-in person's password again (re-authentication, changing it). A wrong
    one counts towards the sign-in lockout, and a locked account is refused (SignInLocked):
    otherwise these pages would be a way round the lock. No transaction is held through the
    slow check, as in `authenticate`."""
    until = lockout.locked_until(user.email)
    if until is not None:
        audit.record(failure_action, user=user, locked=True)
        raise SignInLocked(until)
    password_hash = user.password_hash
    end_read_transaction()
    if verify_password(password_hash, password or ""):
        return True
    lockout.record_failure(user.email, address)
    audit.record(failure_action, user=user, **_where(None, address))
    return False


def change_password(user: User, new_password: str, *, address: str | None = None) -> None:
    problem = password_problem(new_password, user.email)
    if problem:
        raise ServiceError(problem, "password")
    # Hashing takes a third of a second: not inside a transaction (see `authenticate`).
    end_read_transaction()
    _set_password_hash(user, hash_password(new_password))
    audit.record("account.password_changed", user=user, **_where(None, address))


def _set_password(user: User, new_password: str) -> None:
    problem = password_problem(new_password, user.email)
    if problem:
        raise ServiceError(problem, "password")
    _set_password_hash(user, hash_password(new_password))


def _set_password_hash(user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    sessions.end_all(user)
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
    audit.record("account.password_reset_requested", user=user)
    outbox.enqueue(user.email, "password_reset", user.locale or locale, token=token)


def usable_reset_token(token: str) -> PasswordResetToken | None:
    reset = db.session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset


def reset_password(token: str, new_password: str, *, address: str | None = None) -> User:
    reset = usable_reset_token(token)
    if reset is None:
        raise ServiceError(str(_l("This link has expired or was already used.")))
    user = db.session.get_one(User, reset.user_id)
    _set_password(user, new_password)
    audit.record("account.password_reset", user=user, **_where(None, address))
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
