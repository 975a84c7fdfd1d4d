"""Who is acting on this request: the signed-in user, their session record and the team
membership they are working in."""

from __future__ import annotations

from typing import cast

from flask import g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Membership, UserSession


def current_session() -> UserSession | None:
    # Set by the session loader (app.web.session_loader) when it finds the signed-in record.
    return cast("UserSession | None", g.get("user_session"))


def remember_flags(user_id: int, *, therapist: bool, several_teams: bool) -> None:
    """What the session loader read along with the record, for is_therapist() and
    has_several_teams() to answer without a query of their own."""
    g.setdefault("_is_therapist", {})[user_id] = therapist
    g.setdefault("_several_teams", {})[user_id] = several_teams


def current_membership() -> Membership | None:
    """The membership chosen in this session, re-read each request so removal takes effect
    (the session loader reads it with the record; this reads it when that did not)."""
    if "membership" not in g:
        record = current_session()
        g.membership = None
        if record is not None and record.membership_id is not None:
            g.membership = db.session.scalars(
                select(Membership)
                .where(
                    Membership.id == record.membership_id,
                    Membership.user_id == current_user.id,
                )
                .options(joinedload(Membership.team))
            ).first()
    # Set just above, or by the session loader: a Membership or None.
    return cast("Membership | None", g.membership)
