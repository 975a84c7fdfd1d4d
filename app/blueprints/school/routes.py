from flask import render_template

from app.blueprints.school import bp
from app.policy.context import current_membership


@bp.route("/")
def dashboard():
    membership = current_membership()
    return render_template("school/dashboard.html", team=membership.team)
