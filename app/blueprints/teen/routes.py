from flask import abort, render_template
from flask_login import current_user

from app.blueprints.plan_pages import PlanLinks, record_view, viewable
from app.blueprints.teen import bp
from app.content import crisis_lines
from app.domain.consent import safety
from app.domain.plans import commands as plans
from app.domain.plans.queries import by_section, plan_status, reader_page
from app.domain.plans.sections import SAFETY_STEPS
from app.domain.teams.queries import member_rows
from app.domain.threads.queries import messages_link
from app.models import Role
from app.platform.pagination import page_number
from app.policy import Permission
from app.policy.context import current_membership
from app.policy.plans import previewable_roles

PREVIEWS = {"family": Role.GUARDIAN, "school": Role.SCHOOL}


@bp.route("/")
def dashboard():
    membership = current_membership()
    return render_template(
        "teen/dashboard.html",
        team=membership.team,
        members=member_rows(membership, Permission.TEAM_MEMBERS_VIEW),
        plan=plan_status(membership),
        shared=safety.disclosures_page(membership.team_id, page_number("shared")),
        messages_link=messages_link(membership),
    )


@bp.route("/plan/preview/<audience>")
def plan_preview(audience: str):
    """Exactly what guardians or the school will see, before the teen agrees."""
    membership = viewable(current_membership())
    role = PREVIEWS.get(audience)
    if role not in previewable_roles(membership):
        abort(404)
    page = reader_page(membership, role)
    return render_template(
        "teen/preview.html", audience=audience, page=page, links=PlanLinks("teen")
    )


def safety_plan(membership):
    current = plans.version(membership.team_id)
    items = plans.items_for(current, Role.TEEN)
    grouped = {info.section: found for info, found in by_section(items, keep_empty=True)}
    country = crisis_lines.country_of_team(membership.team)
    record_view(membership, "help_now", current)
    return (
        current,
        [(info, grouped[info.section]) for info in SAFETY_STEPS],
        crisis_lines.for_country(country),
    )


@bp.route("/help-now")
def help_now():
    membership = viewable(current_membership())
    current, steps, crisis = safety_plan(membership)
    return render_template(
        "teen/help_now.html", version=current, steps=steps, crisis=crisis, name=current_user.name
    )


@bp.route("/plan/card")
def plan_card():
    membership = viewable(current_membership())
    current, steps, crisis = safety_plan(membership)
    return render_template("teen/card.html", version=current, steps=steps, crisis=crisis)
