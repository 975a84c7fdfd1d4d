"""Server-side sign-in records. The cookie holds a random token; ending the record ends the
session everywhere that cookie was copied to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import Select, and_, bindparam, select, update
from sqlalchemy.orm import aliased, joinedload

from app.db import utcnow
from app.extensions import db
from app.models import Membership, User, UserSession
from app.platform.pagination import Page, paginate
from app.platform.tokens import hash_token, new_token
from app.policy.audiences import live_session
from app.policy.guard import therapist_condition

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


@dataclass(frozen=True, slots=True)
class Loaded:
    """A live session record with what every page asks about its person, read together."""

    record: UserSession
    # The membership chosen in this session, with its team; None when none is chosen or the
    # person is no longer a member (removal takes effect on the next request).
    membership: Membership | None
    therapist: bool
    several_teams: bool


@cache
def _load_statement() -> Select[UserSession, Membership, bool, bool]:
    """Built once: every signed-in request runs it, and building and compiling it again
    each time cost more than running it."""
    user_id = UserSession.user_id
    # Aliases: the chosen membership below is joined as `membership` itself, and these must
    # not correlate to it.
    led, any_team = aliased(Membership), aliased(Membership)
    therapist = therapist_condition(user_id, led)
    # A second membership exists: EXISTS with OFFSET 1 stops at two rows rather than counting
    # fifty. (A LIMIT 2 derived table cannot see the outer session row: it was counting every
    # session's memberships, so everyone was offered "Switch team".)
    several = select(any_team.id).where(any_team.user_id == user_id).offset(1).exists()
    chosen = and_(
        Membership.id == UserSession.membership_id, Membership.user_id == UserSession.user_id
    )
    return (
        select(UserSession, Membership, therapist.label("therapist"), several.label("several"))
        .outerjoin(Membership, chosen)
        .where(UserSession.token_hash == bindparam("digest"), live_session())
        .options(joinedload(Membership.team))
        .limit(1)
    )


def load(token: str | None) -> Loaded | None:
    """The record a cookie names, its user, its membership (with the team) and the person's
    two navigation flags, in one statement: every signed-in request starts here."""
    if not token or not isinstance(token, str):
        return None
    row = db.session.execute(_load_statement(), {"digest": hash_token(token)}).first()
    if row is None:
        return None
    return Loaded(row[0], row[1], bool(row[2]), bool(row[3]))


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
    query = update(UserSession).where(UserSession.user_id == user.id, live_session())
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(
        query.values(ended_at=utcnow()).execution_options(synchronize_session="fetch")
    )


def active(user: User, number: int = 1) -> Page[UserSession]:
    """A page of the user's sessions not yet ended, the most recently used first."""
    return paginate(
        select(UserSession)
        .where(UserSession.user_id == user.id, live_session())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()),
        number,
        PAGE_SIZE,
    )


def switch_membership(record: UserSession, membership: Membership | None) -> None:
    record.membership_id = membership.id if membership else None
