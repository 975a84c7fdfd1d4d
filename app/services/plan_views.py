"""Read models of the plan for each page, already filtered by the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    CarePlan,
    CareTeam,
    Membership,
    PlanAcknowledgement,
    PlanItem,
    PlanVersion,
    Role,
)
from app.plan_sections import SECTIONS, SectionInfo
from app.policy.consents import Scope, in_force, prime_in_force
from app.policy.scoping import present_member
from app.services import plans
from app.services.plan_diff import Change, diff


def by_section(
    items: list[PlanItem], *, keep_empty: bool = False
) -> list[tuple[SectionInfo, list]]:
    grouped = {info.section: [] for info in SECTIONS}
    for item in items:
        grouped[item.section].append(item)
    return [
        (info, grouped[info.section]) for info in SECTIONS if keep_empty or grouped[info.section]
    ]


@dataclass
class ReaderPage:
    version: PlanVersion | None
    sections: list[tuple[SectionInfo, list]]
    acknowledged: bool = False
    last_read_number: int | None = None
    changes: list[Change] = field(default_factory=list)


def reader_page(membership: Membership, role: Role | None = None) -> ReaderPage:
    """The current plan as `role` (default: the member's own role) sees it, with what changed
    since this member last agreed to or read a version."""
    role = role or membership.role
    current = plans.version(membership.team_id)
    items = plans.items_for(current, role)
    page = ReaderPage(version=current, sections=by_section(items))
    last = plans.last_acknowledged(membership)
    if current is not None and last is not None:
        page.acknowledged = last.number == current.number
        page.last_read_number = last.number
        if not page.acknowledged:
            page.changes = diff(plans.items_for(last, role), items)
    return page


def changes_between(membership: Membership, a: PlanVersion, b: PlanVersion) -> list[Change]:
    return diff(plans.items_for(a, membership.role), plans.items_for(b, membership.role))


@dataclass
class TeamPlanStatus:
    team: CareTeam
    version: PlanVersion | None
    waiting_for: list[Membership]

    @property
    def overdue(self) -> bool:
        return self.version is not None and self.version.review_due < date.today()


def status_of_teams(teams: list[CareTeam]) -> list[TeamPlanStatus]:
    """For the therapist dashboard, in a fixed number of queries whatever the caseload:
    each team's current version and who has not yet agreed to or read it."""
    ids = [team.id for team in teams]
    versions = {
        v.team_id: v
        for v in db.session.scalars(
            select(PlanVersion)
            .join(CarePlan, CarePlan.id == PlanVersion.plan_id)
            .where(
                PlanVersion.team_id.in_(ids),
                # Also on care_plan, or PostgreSQL reads every team's plan to join them.
                CarePlan.team_id.in_(ids),
                PlanVersion.number == CarePlan.current_number,
            )
        )
    }
    readers = db.session.scalars(
        select(Membership)
        .where(
            Membership.team_id.in_(ids),
            Membership.role.in_([Role.TEEN, Role.GUARDIAN, Role.SCHOOL]),
            present_member(),
        )
        .options(joinedload(Membership.user))
        .order_by(Membership.id)
    ).all()
    acked = set(
        db.session.execute(
            select(PlanAcknowledgement.membership_id, PlanAcknowledgement.version_id).where(
                PlanAcknowledgement.version_id.in_([v.id for v in versions.values()])
            )
        ).all()
    )
    unread: dict[int, list[Membership]] = {}
    for m in readers:
        current = versions.get(m.team_id)
        if current is not None and (m.id, current.id) not in acked:
            unread.setdefault(m.team_id, []).append(m)
    # Consents matter only for the counselors who have not read the version yet.
    prime_in_force(
        [m for waiting in unread.values() for m in waiting if m.role == Role.SCHOOL],
        Scope.SCHOOL_PLAN,
    )
    statuses = [
        TeamPlanStatus(
            team=team,
            version=versions.get(team.id),
            waiting_for=[
                m
                for m in unread.get(team.id, ())
                if m.role != Role.SCHOOL or in_force(m, Scope.SCHOOL_PLAN)
            ],
        )
        for team in teams
    ]
    never, rest = (
        [s for s in statuses if s.version is None],
        [s for s in statuses if s.version is not None],
    )
    return sorted(rest, key=lambda s: s.version.review_due) + never
