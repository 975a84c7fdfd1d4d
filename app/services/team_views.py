"""Read models of a team, already scoped by the policy."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.extensions import db
from app.models import CarePlan, CareTeam, Invitation, Membership, PlanVersion, Role, User
from app.pagination import Page, cut, paginate, window
from app.policy import Permission, teams_led_by, visible

TEAMS_PAGE = 25
INVITATIONS_PAGE = 20
ROLE_ORDER = {Role.THERAPIST: 0, Role.TEEN: 1, Role.GUARDIAN: 2, Role.SCHOOL: 3}


def team_members(membership: Membership, permission: Permission) -> list[Membership]:
    members = db.session.scalars(
        visible(Membership, membership, permission).options(joinedload(Membership.user))
    ).all()
    return sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.user.name.lower()))


def pending_invitations(membership: Membership, number: int = 1) -> Page[Invitation]:
    """A page of the invitations nobody has accepted or revoked (expired ones too: they can be
    sent again), oldest first."""
    return paginate(
        visible(Invitation, membership, Permission.INVITATION_MANAGE)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at, Invitation.id),
        number,
        INVITATIONS_PAGE,
        anchor="invitations-heading",
    )


def therapist_teams(user: User, number: int = 1) -> Page[tuple[CareTeam, int, int]]:
    """A page of the teams the user leads, plans due for review first (as the dashboard
    shows them), each with its member count and live invitation count."""
    current = (
        select(PlanVersion.team_id, PlanVersion.review_due)
        .join(
            CarePlan,
            and_(CarePlan.id == PlanVersion.plan_id, PlanVersion.number == CarePlan.current_number),
        )
        .subquery()
    )
    query = (
        teams_led_by(user)
        .outerjoin(current, current.c.team_id == CareTeam.id)
        .options(joinedload(CareTeam.school))
        .order_by(
            current.c.review_due.is_(None),
            current.c.review_due,
            CareTeam.teen_name,
            CareTeam.id,
        )
    )
    teams = db.session.scalars(window(query, number, TEAMS_PAGE)).all()
    ids = [team.id for team in teams]
    member_counts = dict(
        db.session.execute(
            select(Membership.team_id, db.func.count())
            .where(Membership.team_id.in_(ids))
            .group_by(Membership.team_id)
        ).all()
    )
    invite_counts = dict(
        db.session.execute(
            select(Invitation.team_id, db.func.count())
            .where(
                Invitation.team_id.in_(ids),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .group_by(Invitation.team_id)
        ).all()
    )
    rows = [(team, member_counts.get(team.id, 0), invite_counts.get(team.id, 0)) for team in teams]
    return cut(rows, number, TEAMS_PAGE)


def memberships_page(user: User, number: int) -> Page[Membership]:
    """A page of the user's own memberships, for choosing the team to work in."""
    return paginate(
        select(Membership)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.team))
        .order_by(Membership.id),
        number,
        TEAMS_PAGE,
    )
