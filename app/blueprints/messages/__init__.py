"""The care team's threads, shared by every role: /teams/<team_id>/messages.

The team comes from the URL, so a person on several teams reads each team's threads; every
view asks app.policy (membership_in_team_or_404, then app.policy.threads) first.
"""

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from app.blueprints.messages.text import linkify

bp = Blueprint("messages", __name__, url_prefix="/teams/<int:team_id>/messages")
bp.add_app_template_filter(linkify, "linkify")


@bp.before_request
def _signed_in():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


from app.blueprints.messages import routes  # noqa: E402,F401
