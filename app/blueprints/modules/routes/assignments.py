"""The therapist's side: assign modules on a team, follow each member's reading and answers."""

from datetime import date, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.forms import ActionForm, show_service_error
from app.blueprints.modules import bp
from app.blueprints.modules.forms import GROUP_LABELS, AssignForm
from app.domain.errors import ServiceError
from app.domain.modules import assignments as module_assignments
from app.domain.modules.queries import member_reading, team_overview
from app.platform.pagination import page_number
from app.policy import Permission, membership_in_team_or_404

PREFIX = "/therapist/teams/<int:team_id>/modules"


def _today() -> date:
    """Today where the therapist is, so "not in the past" means their own calendar."""
    return datetime.now(get_timezone()).date()


@bp.route(PREFIX, methods=["GET", "POST"])
def team(team_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.MODULE_ASSIGN)
    overview = team_overview(membership, str(get_locale()), page_number())
    form = AssignForm(overview.modules, overview.assignees)
    if form.validate_on_submit():
        try:
            module_assignments.assign(membership, current_user, **form.assignment(), today=_today())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("Assigned. They will get an email with a link."), "success")
            return redirect(url_for("modules.team", team_id=team_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "modules/team.html",
        team=membership.team,
        overview=overview,
        form=form,
        action_form=ActionForm(),
        group_labels=GROUP_LABELS,
    ), status


@bp.route(f"{PREFIX}/assignments/<int:assignment_id>/remove", methods=["POST"])
def unassign(team_id: int, assignment_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.MODULE_ASSIGN)
    if not ActionForm().validate_on_submit():
        abort(400)
    module_assignments.unassign(membership, current_user, assignment_id)
    flash(_("The assignment was removed. Their reading so far is kept."), "success")
    return redirect(url_for("modules.team", team_id=team_id))


@bp.route(f"{PREFIX}/members/<int:member_id>")
def member(team_id: int, member_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.MODULE_PROGRESS_VIEW)
    member = module_assignments.view_member_progress(membership, current_user, member_id)
    return render_template(
        "modules/member.html",
        team=membership.team,
        member=member,
        readings=member_reading(membership, member, str(get_locale())),
    )
