"""The therapist's plan pages: the whole plan, the editor, history and diffs."""

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from app.blueprints.forms import show_service_error
from app.blueprints.plan_pages import (
    PlanLinks,
    render_current,
    render_diff,
    render_history,
    render_version,
)
from app.blueprints.therapist import bp
from app.blueprints.therapist.plan_forms import PlanEditForm, blank_row, editor_data
from app.content.crisis_lines import country_of_team
from app.domain.errors import ServiceError
from app.domain.plans import commands as plans
from app.domain.plans.queries import by_section
from app.domain.plans.sections import BY_SECTION, SECTIONS
from app.extensions import db
from app.models import Role, Section
from app.policy import Permission, membership_in_team_or_404


def _links(team_id: int) -> PlanLinks:
    return PlanLinks("therapist", team_id=team_id)


def _therapist(team_id: int):
    return membership_in_team_or_404(current_user, team_id, Permission.PLAN_EDIT)


@bp.route("/teams/<int:team_id>/plan")
def plan(team_id: int):
    membership = _therapist(team_id)
    return render_current(membership, _links(team_id), team=membership.team)


@bp.route("/teams/<int:team_id>/plan/history")
def plan_history(team_id: int):
    return render_history(_therapist(team_id), _links(team_id))


@bp.route("/teams/<int:team_id>/plan/versions/<int:number>")
def plan_version(team_id: int, number: int):
    return render_version(_therapist(team_id), _links(team_id), number)


@bp.route("/teams/<int:team_id>/plan/diff")
def plan_diff(team_id: int):
    return render_diff(_therapist(team_id), _links(team_id))


def _render_editor(membership, form, status=200, conflict=None):
    return (
        render_template(
            "plan/edit.html",
            form=form,
            team=membership.team,
            sections=SECTIONS,
            links=_links(membership.team_id),
            conflict=conflict,
            theirs=by_section(plans.items_for(conflict, Role.THERAPIST)) if conflict else None,
        ),
        status,
    )


@bp.route("/teams/<int:team_id>/plan/edit", methods=["GET", "POST"])
def plan_edit(team_id: int):
    membership = _therapist(team_id)
    region = country_of_team(membership.team) or "US"
    if request.method == "GET":
        current = plans.version(team_id)
        data = editor_data(current, plans.items_for(current, Role.THERAPIST))
        return _render_editor(membership, PlanEditForm(data=data, region=region))
    form = PlanEditForm(region=region)
    added = request.form.get("add_row", "")
    if added in {s.value for s in Section}:
        form.items.append_entry(blank_row(BY_SECTION[Section(added)]))
        return _render_editor(membership, form)
    if form.validate_on_submit():
        try:
            plans.save_version(
                membership,
                current_user,
                base_number=int(form.base_number.data),
                items=form.item_inputs(),
                review_due=form.review_due.data,
            )
        except plans.PlanConflict as conflict:
            return _conflict(membership, form, conflict.current)
        except (IntegrityError, OperationalError):
            # Two saves from the same base at the same instant: the database let one through.
            db.session.rollback()
            return _conflict(membership, form, plans.version(team_id))
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("The plan is saved as a new version."), "success")
            return redirect(_links(team_id)("plan"))
    return _render_editor(membership, form, 400)


def _conflict(membership, form, current):
    db.session.rollback()
    membership = _therapist(membership.team_id)
    # The next save builds on what is there now; the person's own text stays in the form.
    form.base_number.data = str(current.number if current else 0)
    return _render_editor(membership, form, 409, conflict=current)
