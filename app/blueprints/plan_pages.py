"""Plan pages shared by every role: the current plan, history, one version, a diff, and
acknowledging. Each role's blueprint mounts them; the policy decides what each one shows."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.forms import ActionForm
from app.domain.audit import commands as audit
from app.domain.plans import commands as plans
from app.domain.plans.queries import by_section, changes_between, reader_page
from app.models import Membership
from app.platform.pagination import page_number, query_int
from app.policy.context import current_membership
from app.policy.plans import abilities, agrees_to_plan, may_view_plan, view_is_audited


class PlanLinks:
    """url_for for the plan pages of one portal (with the team id, for therapists)."""

    def __init__(self, portal: str, **base) -> None:
        self.portal = portal
        self.base = base

    def __call__(self, page: str, **kwargs) -> str:
        return url_for(f"{self.portal}.{page}", **self.base, **kwargs)


def viewable(membership: Membership | None) -> Membership:
    if not may_view_plan(membership):
        abort(404)
    return membership


def record_view(membership: Membership, what: str, version=None) -> None:
    """Every look at the plan by anyone but its therapists is in the audit, committed with
    the page once it is rendered (app.web.unit_of_work): a page that fails keeps no look."""
    if view_is_audited(membership):
        number = version.number if version is not None else None
        audit.record(
            "plan.view", user=current_user, membership=membership, page=what, number=number
        )


def render_current(membership: Membership, links: PlanLinks, template="plan/current.html", **extra):
    page = reader_page(membership)
    record_view(membership, "current", page.version)
    return render_template(
        template,
        page=page,
        links=links,
        membership=membership,
        may=abilities(membership),
        form=ActionForm(),
        **extra,
    )


def render_history(membership: Membership, links: PlanLinks):
    record_view(membership, "history")
    return render_template(
        "plan/history.html",
        versions=plans.history_page(membership.team_id, page_number()),
        links=links,
    )


def render_version(membership: Membership, links: PlanLinks, number: int):
    shown = plans.version(membership.team_id, number) or abort(404)
    record_view(membership, "version", shown)
    items = plans.items_for(shown, membership.role)
    return render_template(
        "plan/version.html",
        version=shown,
        sections=by_section(items),
        links=links,
        may=abilities(membership),
    )


def render_diff(membership: Membership, links: PlanLinks):
    older, newer = query_int("from"), query_int("to")
    a = plans.version(membership.team_id, older) if older else None
    b = plans.version(membership.team_id, newer) if newer else None
    if a is None or b is None:
        abort(404)
    record_view(membership, "diff", b)
    return render_template(
        "plan/diff.html",
        older=a,
        newer=b,
        changes=changes_between(membership, a, b),
        links=links,
        membership=membership,
    )


def acknowledge(membership: Membership, links: PlanLinks):
    if not ActionForm().validate_on_submit():
        abort(400)
    current = plans.version(membership.team_id) or abort(404)
    if request.form.get("number") != str(current.number):
        flash(
            _("A newer version arrived while you were reading. Please look at it first."), "error"
        )
        return redirect(links("plan"))
    plans.acknowledge(membership, current_user, current)
    if agrees_to_plan(membership):
        flash(_("Thank you. Your agreement to this plan is saved."), "success")
    else:
        flash(_("Thank you. We noted that you have read this version."), "success")
    return redirect(links("plan"))


def mount_reader_pages(bp: Blueprint) -> None:
    """The plan pages of the teen, family and school portals, for the team in use."""

    def links() -> PlanLinks:
        return PlanLinks(bp.name)

    @bp.route("/plan")
    def plan():
        return render_current(viewable(current_membership()), links())

    @bp.route("/plan/history")
    def plan_history():
        return render_history(viewable(current_membership()), links())

    @bp.route("/plan/versions/<int:number>")
    def plan_version(number: int):
        return render_version(viewable(current_membership()), links(), number)

    @bp.route("/plan/diff")
    def plan_diff():
        return render_diff(viewable(current_membership()), links())

    @bp.route("/plan/acknowledge", methods=["POST"])
    def plan_acknowledge():
        return acknowledge(viewable(current_membership()), links())
