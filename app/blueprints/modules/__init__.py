"""Psychoeducation: members read the modules for their role; therapists assign and follow.

Reading lives under /modules; the therapist's pages under /therapist/teams/<id>/modules.
Every view asks the policy (app.policy.modules, or membership_in_team_or_404) first.
"""

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("modules", __name__)


@bp.before_request
def _signed_in():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


from app.blueprints.modules.routes import assignments, reader  # noqa: E402,F401
