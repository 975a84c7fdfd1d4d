"""Who may download what, and who may close their account.

- Everyone downloads their own account data.
- The teen and each guardian who is not restricted download the teen's record, exactly as
  they see it in the app. Therapists read the whole record in the app; the school gets no
  record export.
- Anyone may close their account, except a therapist who is the last one on an active team:
  a team must never be left with nobody to read its alerts, so they hand it over first.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import CareTeam, Membership, Role, TeamStatus, User
from app.policy.audiences import present_member
from app.policy.permissions import Permission, allows, is_restricted
from app.policy.scoping import memberships_of


def may_export_record(membership: Membership) -> bool:
    return not is_restricted(membership) and allows(membership.role, Permission.RECORD_EXPORT)


def reads_checkin_detail(membership: Membership) -> bool:
    """Whose record download carries every check-in (the teen's own); the others get at most
    the summary app.policy.checkins lets them see."""
    return not is_restricted(membership) and allows(membership.role, Permission.CHECKIN_VIEW_DETAIL)


def record_exports(user: User) -> list[Membership]:
    """The memberships through which this user may download a teen's record."""
    return [m for m in memberships_of(user) if may_export_record(m)]


def record_export_or_404(user: User, membership_id: int) -> Membership:
    chosen = next((m for m in record_exports(user) if m.id == membership_id), None)
    if chosen is None:
        abort(404)
    return chosen


def teams_needing_handover(user: User) -> list[CareTeam]:
    """Active teams on which this user is the only therapist still holding an account."""
    mine = aliased(Membership)
    other = aliased(Membership)
    another_therapist = exists().where(
        other.team_id == CareTeam.id,
        other.role == Role.THERAPIST,
        other.user_id != user.id,
        present_member(other),
    )
    return list(
        db.session.scalars(
            select(CareTeam)
            .join(mine, and_(mine.team_id == CareTeam.id, mine.user_id == user.id))
            .where(
                mine.role == Role.THERAPIST,
                CareTeam.status == TeamStatus.ACTIVE,
                ~another_therapist,
            )
            .order_by(CareTeam.teen_name, CareTeam.id)
        )
    )
