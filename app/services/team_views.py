"""Read models of a team, already scoped by the policy."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.extensions import db
from app.models import CareTeam, Invitation, Membership, Role, User
from app.policy import Permission, teams_led_by, visible

ROLE_ORDER = {Role.THERAPIST: 0, Role.TEEN: 1, Role.GUARDIAN: 2, Role.SCHOOL: 3}


def team_members(membership: Membership, permission: Permission) -> list[Membership]:
    members = db.session.scalars(
        visible(Membership, membership, permission).options(joinedload(Membership.user))
    ).all()
    return sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.user.name.lower()))


def pending_invitations(membership: Membership) -> list[Invitation]:
    return list(
        db.session.scalars(
            visible(Invitation, membership, Permission.INVITATION_MANAGE)
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at)
        )
    )


def therapist_teams(user: User) -> list[tuple[CareTeam, int, int]]:
    """Each team the user leads, with its member count and live invitation count."""
    teams = db.session.scalars(
        teams_led_by(user).options(joinedload(CareTeam.school)).order_by(CareTeam.teen_name)
    ).all()
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
    return [(team, member_counts.get(team.id, 0), invite_counts.get(team.id, 0)) for team in teams]
