"""Confirming, on a session that is already signed in, that the person at the keyboard is
still its owner, before an export or a security change."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.domain.accounts import commands as accounts
from app.domain.accounts import two_factor
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.models import User, UserSession

RECENT = timedelta(minutes=10)


def is_recent(record: UserSession) -> bool:
    """Signed in or confirmed within the last ten minutes on this session."""
    last = max(record.created_at, record.reauthenticated_at or record.created_at)
    return utcnow() - last <= RECENT


def confirm(
    user: User,
    record: UserSession,
    password: str,
    code: str | None,
    *,
    address: str | None = None,
) -> two_factor.Verified | None:
    """Marks the session as just confirmed, or raises naming the field that was wrong. Each
    wrong answer counts towards the sign-in lockout, and a locked account cannot confirm:
    otherwise this page would be a way round the lock. Returns how the second factor was
    given, when the account has one."""
    if not accounts.password_matches(
        user, password, failure_action="auth.reauth_failed", address=address
    ):
        raise ServiceError(str(_l("That is not your password.")), "password")
    verified = None
    if two_factor.is_enabled(user):
        if not (code or "").strip():
            raise ServiceError(str(_l("Please enter the code from your app.")), "code")
        verified = two_factor.verify(user, code or "", address=address)
        if verified is None:
            raise ServiceError(str(_l("That code does not match. Please try again.")), "code")
    record.reauthenticated_at = utcnow()
    audit.record("auth.reauthenticated", user=user)
    return verified
