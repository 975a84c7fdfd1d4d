from flask import render_template

from app.blueprints.checkin_summary import summary_card
from app.blueprints.family import bp
from app.domain.consent import safety
from app.domain.plans.queries import reader_page
from app.domain.teams.queries import member_rows
from app.domain.threads.queries import messages_link
from app.platform.pagination import page_number
from app.policy import Permission
from app.policy.context import current_membership
from app.policy.permissions import is_restricted


@bp.route("/")
def dashboard():
    membership = current_membership()
    if is_restricted(membership):
        # Their own team page and nothing of the team's records.
        return render_template("family/dashboard.html", team=membership.team, restricted=True)
    return render_template(
        "family/dashboard.html",
        team=membership.team,
        restricted=False,
        members=member_rows(membership, Permission.TEAM_MEMBERS_VIEW),
        page=reader_page(membership),
        shared=safety.disclosures_page(membership.team_id, page_number("shared")),
        messages_link=messages_link(membership),
        checkins=summary_card(membership),
    )
