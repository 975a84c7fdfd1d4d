"""Starting and ending a signed-in session in the browser."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, request, session

from app.domain.accounts import sessions
from app.models import Membership, User
from app.platform.i18n import SESSION_LOCALE_KEY
from app.policy import memberships_of
from app.policy.context import current_session
from app.policy.guard import is_therapist
from app.web.session_loader import SESSION_TOKEN_KEY, SHORT_IDLE_KEY


def sign_in(user: User, membership: Membership | None = None) -> None:
    """A new session record and a new cookie: any identifier issued before login is dropped."""
    chosen_locale = session.get(SESSION_LOCALE_KEY)
    session.clear()
    if chosen_locale:
        session[SESSION_LOCALE_KEY] = chosen_locale
    record, token = sessions.start(user, request.user_agent.string)
    if membership is None:
        memberships = memberships_of(user)
        membership = memberships[0] if len(memberships) == 1 else None
    sessions.switch_membership(record, membership)
    session[SESSION_TOKEN_KEY] = token
    session[SHORT_IDLE_KEY] = is_therapist(user)


def sign_out() -> None:
    record = current_session()
    if record is not None:
        sessions.end(record)
    session.clear()


def safe_next(target: str | None) -> str | None:
    """Only same-site paths, so a crafted link cannot bounce a person to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def failed_attempt(response: Response) -> bool:
    """For the per-address limit: only failures count, so a whole class signing in from one
    school address is never held up. Every step that works redirects; a refusal, a form
    with errors or a 429 renders a page."""
    return not 300 <= response.status_code < 400
