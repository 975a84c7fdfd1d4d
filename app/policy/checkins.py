"""Who writes, reads and follows up the teen's daily check-ins.

- The teen writes one a day and reads all of their own.
- Therapists read every detail, get the alerts, set the thresholds and export.
- Guardians see "checked in today" and the weekly average urge, and only while a check-in
  summary consent is in force; otherwise nothing about check-ins at all.
- The school never sees check-ins.
A restricted member sees nothing. Another team's check-in or alert is a 404, like a missing one.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, select

from app.models import Alert, CheckIn, Membership, PlanItem, Role, Section, User
from app.policy.audiences import active_member, roles_with
from app.policy.consents import Scope, in_force
from app.policy.permissions import Permission, allows, is_restricted
from app.policy.plans import item_filter
from app.policy.scoping import authorize, get_visible_or_404, membership_in_team_or_404, visible


def _active(membership: Membership | None, permission: Permission) -> TypeGuard[Membership]:
    return (
        membership is not None
        and not is_restricted(membership)
        and allows(membership.role, permission)
    )


def authorize_submit(membership: Membership | None) -> Membership:
    if membership is None:
        abort(404)  # as authorize() would
    authorize(membership, Permission.CHECKIN_SUBMIT)
    return membership


def may_view_summary(membership: Membership | None) -> bool:
    """May see the summary ("checked in today", the weekly average urge): the teen and the
    therapists always, a guardian only while the check-in summary consent is in force."""
    if not _active(membership, Permission.CHECKIN_SUMMARY_VIEW):
        return False
    if allows(membership.role, Permission.CHECKIN_VIEW_DETAIL):
        return True
    return in_force(membership, Scope.CHECKIN_SUMMARY)


def summary_view_is_audited(membership: Membership) -> bool:
    """A look at the summary by anyone who does not read the detail is in the audit, as
    "checkin.view" (the teen's own reading and the therapists' are not views by others)."""
    return not allows(membership.role, Permission.CHECKIN_VIEW_DETAIL)


def follower_or_404(user: User, team_id: int) -> Membership:
    """The user's membership of a team whose check-ins and alerts they follow (a therapist)."""
    membership = membership_in_team_or_404(user, team_id, Permission.CHECKIN_VIEW_DETAIL)
    authorize(membership, Permission.ALERT_VIEW)
    return membership


def checkins(membership: Membership) -> Select[Any]:
    """The check-ins this member may read in full: their team's, or none."""
    return visible(CheckIn, membership, Permission.CHECKIN_VIEW_DETAIL)


def alerts(membership: Membership) -> Select[Any]:
    return visible(Alert, membership, Permission.ALERT_VIEW)


def alert_or_404(membership: Membership, alert_id: int) -> Alert:
    return get_visible_or_404(Alert, alert_id, membership, Permission.ALERT_ACK)


def caseload_team_ids(user: User) -> Select[Any]:
    """The teams whose check-ins and alerts this user follows (as one of their therapists)."""
    return select(Membership.team_id).where(
        Membership.user_id == user.id,
        Membership.role.in_(roles_with(Permission.ALERT_VIEW)),
        Membership.restricted_at.is_(None),
    )


def alert_recipients(team_id: int) -> Select[Any]:
    """The members told of a new alert: the team's therapists, nobody else."""
    return select(Membership).where(
        Membership.team_id == team_id,
        Membership.role.in_(roles_with(Permission.ALERT_VIEW)),
        active_member(),
    )


def coping_steps_filter(role: Role) -> ColumnElement[bool]:
    """The agreed coping steps (section 8) a role may see: what the teen checks each day."""
    return and_(PlanItem.section == Section.COPING_STEPS, item_filter(role))
