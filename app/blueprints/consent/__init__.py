from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("consent", __name__, url_prefix="/teams/<int:team_id>")


@bp.before_request
def _signed_in():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


from app.blueprints.consent import routes  # noqa: E402,F401
