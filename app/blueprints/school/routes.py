from flask import render_template

from app.blueprints.school import bp
from app.policy.context import current_membership
from app.policy.plans import may_view_plan


@bp.route("/")
def dashboard():
    membership = current_membership()
    return render_template(
        "school/dashboard.html", team=membership.team, may_view_plan=may_view_plan(membership)
    )
