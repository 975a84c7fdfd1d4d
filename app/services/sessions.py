"""Server-side sign-in records. The cookie holds a random token; ending the record ends the
session everywhere that cookie was copied to."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.db import utcnow
from app.extensions import db
from app.models import Membership, User, UserSession
from app.pagination import Page, paginate
from app.services.tokens import hash_token, new_token

TOUCH_EVERY = timedelta(minutes=1)
IDLE_LIMIT = timedelta(minutes=30)
IDLE_LIMIT_THERAPIST = timedelta(minutes=15)
ABSOLUTE_LIMIT = timedelta(hours=12)
PAGE_SIZE = 20


def expired(record: UserSession, *, therapist: bool) -> bool:
    """Idle too long (15 minutes for therapists, 30 for everyone else), or open for more
    than 12 hours however active: judged from the server's record, not the cookie."""
    now = utcnow()
    idle = IDLE_LIMIT_THERAPIST if therapist else IDLE_LIMIT
    return now - record.last_seen_at > idle or now - record.created_at > ABSOLUTE_LIMIT


def start(user: User, user_agent: str | None) -> tuple[UserSession, str]:
    token, digest = new_token()
    record = UserSession(user_id=user.id, token_hash=digest, user_agent=(user_agent or "")[:200])
    db.session.add(record)
    db.session.flush()
    return record, token


def load(token: str | None) -> UserSession | None:
    if not token or not isinstance(token, str):
        return None
    return db.session.scalars(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None)
        )
    ).first()


def touch(record: UserSession) -> bool:
    """Note activity at most once a minute, so most requests write nothing."""
    now = utcnow()
    if now - record.last_seen_at < TOUCH_EVERY:
        return False
    record.last_seen_at = now
    return True


def end(record: UserSession) -> None:
    record.ended_at = utcnow()


def end_all(user: User, *, keep: UserSession | None = None) -> None:
    """Ends every session of the user, except `keep` when given."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(
        query.values(ended_at=utcnow()).execution_options(synchronize_session="fetch")
    )


def active(user: User, number: int = 1) -> Page[UserSession]:
    """A page of the user's sessions not yet ended, the most recently used first."""
    return paginate(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()),
        number,
        PAGE_SIZE,
    )


def switch_membership(record: UserSession, membership: Membership | None) -> None:
    record.membership_id = membership.id if membership else None
