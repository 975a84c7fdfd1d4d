from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.blueprints.forms import ActionForm, flash_service_error, show_service_error
from app.blueprints.therapist import bp
from app.blueprints.therapist.forms import InviteForm, NewTeamForm
from app.db import utcnow
from app.domain.checkins.caseload import caseload
from app.domain.dashboard import cache as dashboard_cache
from app.domain.dashboard.queries import team_rows
from app.domain.errors import ServiceError
from app.domain.plans.queries import status_of_teams
from app.domain.teams import commands as teams
from app.domain.teams.queries import pending_invitations, team_members, therapist_teams
from app.domain.threads.queries import messages_link
from app.models import Invitation, Role
from app.platform.pagination import page_number
from app.policy import (
    Permission,
    get_visible_or_404,
    membership_in_team_or_404,
    practice_staff_or_404,
    practices_of,
)
from app.policy.audiences import member_access


@bp.route("/")
def dashboard():
    return render_template(
        "therapist/dashboard.html",
        lists=dashboard_cache.lists(current_user, request.full_path, _dashboard_lists),
        may_open_team=bool(practices_of(current_user)),
    )


def _dashboard_lists() -> Markup:
    checkins = caseload(current_user, page_number("checkins"))
    teams = therapist_teams(current_user, page_number())
    # Rendered by Jinja with autoescaping, like the page it goes into.
    return Markup(  # noqa: S704
        render_template(
            "therapist/_dashboard_lists.html",
            teams=teams,
            rows=team_rows(status_of_teams(teams.items), teams.items),
            caseload=checkins,
            open_alerts=checkins.open_alerts,
        )
    )


@bp.route("/teams/new", methods=["GET", "POST"])
def new_team():
    practices = practices_of(current_user)
    if not practices:
        abort(404)
    form = NewTeamForm(practices)
    if form.validate_on_submit():
        staff = practice_staff_or_404(current_user, form.practice.data)
        team, _membership = teams.create_team(
            staff,
            current_user,
            teen_name=form.teen_name.data,
            teen_birth_date=form.teen_birth_date.data,
            school_name=form.school_name.data or "",
        )
        flash(_("The care team is open. Invite the teen and family next."), "success")
        return redirect(url_for("therapist.team", team_id=team.id))
    return render_template("therapist/new_team.html", form=form)


def _render_team(membership, invite_form, status=200):
    return (
        render_template(
            "therapist/team.html",
            team=membership.team,
            members=member_access(team_members(membership, Permission.TEAM_MEMBERS_VIEW)),
            invitations=pending_invitations(membership, page_number()),
            invite_form=invite_form,
            action_form=ActionForm(),
            now=utcnow(),
            messages_link=messages_link(membership),
        ),
        status,
    )


@bp.route("/teams/<int:team_id>")
def team(team_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.INVITATION_MANAGE)
    return _render_team(membership, InviteForm(formdata=None))


@bp.route("/teams/<int:team_id>/invitations", methods=["POST"])
def invite(team_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.INVITATION_MANAGE)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            teams.invite(
                membership,
                current_user,
                email=form.email.data,
                role=Role(form.role.data),
                relation_label=form.relation_label.data or "",
                locale=str(get_locale()),
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data.lower()), "success")
            return redirect(url_for("therapist.team", team_id=team_id))
    return _render_team(membership, form, 400)


def _invitation_action(team_id: int, invitation_id: int, action, done_message: str):
    membership = membership_in_team_or_404(current_user, team_id, Permission.INVITATION_MANAGE)
    invitation = get_visible_or_404(
        Invitation, invitation_id, membership, Permission.INVITATION_MANAGE
    )
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(membership, current_user, invitation)
    except ServiceError as error:
        flash_service_error(error)
    else:
        flash(done_message, "success")
    return redirect(url_for("therapist.team", team_id=team_id))


@bp.route("/teams/<int:team_id>/invitations/<int:invitation_id>/resend", methods=["POST"])
def resend_invitation(team_id: int, invitation_id: int):
    return _invitation_action(team_id, invitation_id, teams.resend, _("A new link was sent."))


@bp.route("/teams/<int:team_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke_invitation(team_id: int, invitation_id: int):
    return _invitation_action(
        team_id, invitation_id, teams.revoke, _("The invitation was revoked.")
    )
