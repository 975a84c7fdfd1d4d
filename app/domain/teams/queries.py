"""Read models of a team, already scoped by the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.domain.labels import role_label
from app.extensions import db
from app.models import CarePlan, CareTeam, Invitation, Membership, PlanVersion, Role, User
from app.platform.pagination import Page, cut, paginate, window
from app.policy import Permission, teams_led_by, visible
from app.policy.audiences import present_member

TEAMS_PAGE = 25
INVITATIONS_PAGE = 20
ROLE_ORDER = {Role.THERAPIST: 0, Role.TEEN: 1, Role.GUARDIAN: 2, Role.SCHOOL: 3}


def team_members(membership: Membership, permission: Permission) -> list[Membership]:
    members = db.session.scalars(
        visible(Membership, membership, permission).options(joinedload(Membership.user))
    ).all()
    return sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.user.name.lower()))


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str  # translated
    relation: str | None


def member_rows(membership: Membership, permission: Permission) -> list[MemberRow]:
    """team_members as the teen's and family's pages list them, in the same order: names,
    roles and relations as columns, not the members' whole accounts."""
    rows = db.session.execute(
        visible(Membership, membership, permission)
        .join(User, User.id == Membership.user_id)
        .with_only_columns(User.name, Membership.role, Membership.relation_label)
    ).all()
    ordered = sorted(rows, key=lambda row: (ROLE_ORDER[row.role], row.name.lower()))
    return [MemberRow(row.name, role_label(row.role), row.relation_label) for row in ordered]


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


@dataclass(frozen=True, slots=True)
class CurrentVersion:
    """What the dashboard shows of a team's current plan version, not the whole row."""

    id: int
    number: int
    review_due: date


@dataclass(frozen=True, slots=True)
class LedTeam:
    team: CareTeam
    members: int
    invitations: int  # live: neither accepted, revoked nor expired
    version: CurrentVersion | None


def therapist_teams(user: User, number: int = 1) -> Page[LedTeam]:
    """A page of the teams the user leads, plans due for review first (as the dashboard
    shows them), each with its member count, live invitation count and current plan version:
    one statement."""
    led = teams_led_by(user)
    current = (
        select(PlanVersion.team_id, PlanVersion.id, PlanVersion.number, PlanVersion.review_due)
        .join(
            CarePlan,
            and_(CarePlan.id == PlanVersion.plan_id, PlanVersion.number == CarePlan.current_number),
        )
        # Only the user's teams, or PostgreSQL joins every team's current version first.
        .where(CarePlan.team_id.in_(led.with_only_columns(CareTeam.id)))
        .subquery()
    )
    members = (
        select(func.count(Membership.id))
        .where(Membership.team_id == CareTeam.id, present_member())
        .correlate(CareTeam)
        .scalar_subquery()
    )
    invitations = (
        select(func.count(Invitation.id))
        .where(
            Invitation.team_id == CareTeam.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .correlate(CareTeam)
        .scalar_subquery()
    )
    query = (
        led.add_columns(members, invitations, current.c.id, current.c.number, current.c.review_due)
        .outerjoin(current, current.c.team_id == CareTeam.id)
        .options(joinedload(CareTeam.school))
        .order_by(
            current.c.review_due.is_(None),
            current.c.review_due,
            CareTeam.teen_name,
            CareTeam.id,
        )
    )
    rows = [
        LedTeam(
            team,
            members,
            invitations,
            CurrentVersion(version_id, version_number, due) if version_id else None,
        )
        for team, members, invitations, version_id, version_number, due in db.session.execute(
            window(query, number, TEAMS_PAGE)
        )
    ]
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
