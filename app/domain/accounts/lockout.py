"""Progressive lockout of sign-ins, counted in the database so that every worker agrees.

Each failed sign-in is one LoginFailure row keyed by an HMAC of the email typed, whether or
not an account has that email: an address without an account locks exactly like one with,
so the lock itself never tells anyone which emails have accounts.

The policy: the first few failures cost nothing; after that each further attempt has to wait
a delay that doubles with every failure (one second, two, four... never more than fifteen
minutes). A successful sign-in starts that count again, but no email gets more than a
hundred tries an hour, however the attempts are spread.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.db import utcnow
from app.domain.rowcount import rowcount
from app.extensions import db
from app.models import LoginFailure, User, UserSession

FREE_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(hours=1)
HOURLY_CAP = 100
# Rows are only read inside WINDOW; a day is kept so a person can look back at an attack.
KEEP = timedelta(days=1)


def account_key(email: str) -> str:
    """The HMAC of an email as accounts.normalize_email leaves it. Keyed with the app's
    secret, so the table cannot be turned back into emails by hashing a list of them."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"harbor/sign-in/" + email.encode(), hashlib.sha256).hexdigest()


def delay_after(failures: int) -> timedelta:
    """How long the next attempt waits after `failures` failures in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    # Capped exponent: 2**20 seconds is already far beyond MAX_DELAY.
    return min(timedelta(seconds=2 ** min(failures - FREE_FAILURES, 20)), MAX_DELAY)


def _last_sign_in(email: str) -> datetime | None:
    # A session is only started once every step of signing in has passed.
    return db.session.scalar(
        select(func.max(UserSession.created_at))
        .join(User, User.id == UserSession.user_id)
        .where(User.email == email)
    )


def locked_until(email: str, *, now: datetime | None = None) -> datetime | None:
    """When the next attempt for this email may be made, or None if it may be made now."""
    now = now or utcnow()
    failures = list(
        db.session.scalars(
            select(LoginFailure.at)
            .where(LoginFailure.account_key == account_key(email), LoginFailure.at > now - WINDOW)
            .order_by(LoginFailure.at.desc())
            .limit(HOURLY_CAP)
        )
    )
    if len(failures) < FREE_FAILURES:
        return None
    until = None
    if len(failures) >= HOURLY_CAP:
        # Free again once the oldest of the last hundred leaves the hour.
        until = failures[-1] + WINDOW
    last_success = _last_sign_in(email)
    streak = [at for at in failures if last_success is None or at > last_success]
    if len(streak) >= FREE_FAILURES:
        progressive = streak[0] + delay_after(len(streak))
        until = max(until, progressive) if until else progressive
    return until if until is not None and until > now else None


def record_failure(
    email: str, address: str | None, *, now: datetime | None = None
) -> datetime | None:
    """Counts one failed attempt; returns the time the email is now locked until, if it is."""
    now = now or utcnow()
    key = account_key(email)
    db.session.add(LoginFailure(account_key=key, address=(address or "")[:64], at=now))
    # This email's old rows go now, cheaply through the (account_key, at) index; rows of
    # emails never tried again go with prune().
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.account_key == key, LoginFailure.at < now - KEEP)
    )
    db.session.flush()
    return locked_until(email, now=now)


def prune(*, now: datetime | None = None) -> int:
    """Deletes failures older than KEEP; the outbox worker calls it now and then."""
    result = db.session.execute(
        delete(LoginFailure).where(LoginFailure.at < (now or utcnow()) - KEEP)
    )
    return rowcount(result) or 0
