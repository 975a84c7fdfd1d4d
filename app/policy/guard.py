"""Role blueprints guarded by one before_request hook, and where each person lands."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, has_app_context, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, exists, or_, select
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Membership, PracticeStaff, Role, User
from app.policy.context import current_membership
from app.policy.permissions import PORTAL_OF_ROLE


def therapist_condition(user_id: Any, member: type[Membership] = Membership) -> ColumnElement[bool]:
    """The person works as a therapist: on a practice's staff, or leading a care team. `member`
    is an alias of Membership when the statement joins the membership in use as well."""
    return or_(
        exists().where(PracticeStaff.user_id == user_id),
        exists().where(member.user_id == user_id, member.role == Role.THERAPIST),
    )


def is_therapist(user: User) -> bool:
    # Asked by the portal guard and again by the page layout: once per request is enough.
    cache: dict[int, bool] = g.setdefault("_is_therapist", {}) if has_app_context() else {}
    if user.id not in cache:
        cache[user.id] = bool(db.session.scalar(select(therapist_condition(user.id))))
    return cache[user.id]


def may_enter(user: User, role: Role) -> bool:
    if role == Role.THERAPIST:
        return is_therapist(user)
    membership = current_membership()
    return membership is not None and membership.role == role


def portal(role: Role, import_name: str) -> Blueprint:
    """A role's blueprint: anonymous visitors go to login; everyone else but the role gets 404."""
    name = PORTAL_OF_ROLE[role]
    bp = Blueprint(name, import_name, url_prefix=f"/{name}")

    @bp.before_request
    def _guard() -> Response | None:
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not may_enter(current_user, role):
            abort(404)
        return None

    return bp


def landing_url(user: User) -> str:
    """The dashboard of the membership in use; the team chooser when none is chosen yet."""
    membership = current_membership()
    if membership is not None:
        return url_for(f"{PORTAL_OF_ROLE[membership.role]}.dashboard")
    if is_therapist(user):
        return url_for("therapist.dashboard")
    return url_for("account.teams")
