"""Connects Flask-Login to Harbor's server-side session records."""

from __future__ import annotations

from flask import flash, g, session
from flask_babel import gettext as _
from flask_login import LoginManager

from app.domain.accounts import sessions
from app.models import User
from app.policy.context import remember_flags
from app.web import unit_of_work

SESSION_TOKEN_KEY = "sid"  # noqa: S105 - a cookie key name, not a secret
# Set at sign-in for therapists, whose sessions time out sooner. The cookie is signed, and the
# time limits themselves are read from the server's record.
SHORT_IDLE_KEY = "short_idle"


def _load_from_session_record(_request) -> User | None:
    loaded = sessions.load(session.get(SESSION_TOKEN_KEY))
    if loaded is None:
        return None
    record = loaded.record
    if sessions.expired(record, therapist=bool(session.get(SHORT_IDLE_KEY))):
        sessions.end(record)
        # Kept whatever the request does next (it usually goes no further than a redirect to
        # the sign-in page, which runs no view and so commits nothing).
        unit_of_work.keep_bookkeeping()
        session.clear()
        flash(_("You were signed out to keep your account safe. Please sign in again."), "info")
        return None
    g.user_session = record
    # Read with the record, so the layout and the portal guards ask the database nothing more.
    remember_flags(record.user_id, therapist=loaded.therapist, several_teams=loaded.several_teams)
    if sessions.touch(record):
        # Kept even if the request is then refused or fails. The commit expires what was read
        # (a team left unloaded would raise), so current_membership() reads the membership
        # again: once a minute at most.
        unit_of_work.keep_bookkeeping()
    else:
        g.membership = loaded.membership
    return record.user


def register(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    # Harbor never calls login_user(): the cookie names a session record, not a user id,
    # so a copied cookie dies with the record.
    login_manager.user_loader(lambda _user_id: None)
    login_manager.request_loader(_load_from_session_record)
