from flask import render_template

from app.blueprints.school import bp
from app.domain.consent import safety
from app.domain.threads.queries import messages_link
from app.models import DisclosureAudience
from app.platform.pagination import page_number
from app.policy.context import current_membership
from app.policy.plans import may_view_plan


@bp.route("/")
def dashboard():
    membership = current_membership()
    return render_template(
        "school/dashboard.html",
        team=membership.team,
        may_view_plan=may_view_plan(membership),
        shared=safety.disclosures_page(
            membership.team_id, page_number("shared"), DisclosureAudience.SCHOOL
        ),
        messages_link=messages_link(membership),
    )
