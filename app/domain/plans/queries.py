"""Read models of the plan for each page, already filtered by the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import exists, select

from app.domain.plans import commands as plans
from app.domain.plans.diff import Change, diff
from app.domain.plans.sections import SECTIONS, SectionInfo
from app.domain.teams.queries import CurrentVersion, LedTeam
from app.extensions import db
from app.models import (
    CareTeam,
    Membership,
    PlanAcknowledgement,
    PlanItem,
    PlanVersion,
    Role,
    Section,
    User,
)
from app.policy.audiences import plan_reader, readers_of_plan


def by_section(
    items: list[PlanItem], *, keep_empty: bool = False
) -> list[tuple[SectionInfo, list[PlanItem]]]:
    grouped: dict[Section, list[PlanItem]] = {info.section: [] for info in SECTIONS}
    for item in items:
        grouped[item.section].append(item)
    return [
        (info, grouped[info.section]) for info in SECTIONS if keep_empty or grouped[info.section]
    ]


@dataclass
class ReaderPage:
    version: PlanVersion | None
    sections: list[tuple[SectionInfo, list[PlanItem]]]
    acknowledged: bool = False
    last_read_number: int | None = None
    changes: list[Change] = field(default_factory=list)


def reader_page(membership: Membership, role: Role | None = None) -> ReaderPage:
    """The current plan as `role` (default: the member's own role) sees it, with what changed
    since this member last agreed to or read a version."""
    role = role or membership.role
    current, last_id, last_number = plans.current_and_last_read(membership)
    if current is None:
        return ReaderPage(version=None, sections=[])
    # The version last read, when it is not the current one: the page shows what changed since.
    unread_id = last_id if last_id is not None and last_number != current.number else None
    items = plans.items_by_version(
        [current.id] if unread_id is None else [current.id, unread_id], role
    )
    page = ReaderPage(version=current, sections=by_section(items[current.id]))
    if last_id is not None:
        page.acknowledged = unread_id is None
        page.last_read_number = last_number
        if unread_id is not None:
            page.changes = diff(items[unread_id], items[current.id])
    return page


@dataclass(frozen=True)
class PlanStatus:
    """What the teen's today page says of the plan: its number, not its items."""

    number: int | None  # the current version's; None before the first plan is saved
    acknowledged: bool  # the member agreed to or read the current version


def plan_status(membership: Membership) -> PlanStatus:
    current, _last_id, last_number = plans.current_and_last_read(membership)
    if current is None:
        return PlanStatus(None, False)
    return PlanStatus(current.number, last_number == current.number)


def changes_between(membership: Membership, a: PlanVersion, b: PlanVersion) -> list[Change]:
    return diff(plans.items_for(a, membership.role), plans.items_for(b, membership.role))


class Reader(NamedTuple):
    """A member who reads the plan (teen, guardian, counselor), as the dashboard needs them."""

    id: int  # the membership's
    team_id: int
    role: Role
    restricted_at: datetime | None
    name: str


@dataclass
class TeamPlanStatus:
    team: CareTeam
    version: CurrentVersion | None
    waiting_for: list[Reader]

    @property
    def overdue(self) -> bool:
        return self.version is not None and self.version.review_due < date.today()


def status_of_teams(led: list[LedTeam]) -> list[TeamPlanStatus]:
    """For the therapist dashboard: who has not yet agreed to or read each team's current
    version (the versions come with the teams). One statement, and one more for the consents
    of counselors who have not read, whatever the caseload."""
    version_ids = [row.version.id for row in led if row.version]
    unread: dict[int, list[Reader]] = {}
    if version_ids:
        read = exists().where(
            PlanAcknowledgement.membership_id == Membership.id,
            PlanAcknowledgement.version_id.in_(version_ids),
        )
        for reader in db.session.execute(
            select(
                Membership.id,
                Membership.team_id,
                Membership.role,
                Membership.restricted_at,
                User.name,
            )
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.team_id.in_([row.team.id for row in led if row.version]),
                plan_reader(),
                ~read,
            )
            .order_by(Membership.id)
        ):
            unread.setdefault(reader.team_id, []).append(Reader(*reader))
    # Consents are asked only about the counselors who have not read the version yet.
    waiting = {id(m) for m in readers_of_plan([m for ms in unread.values() for m in ms])}
    statuses = [
        TeamPlanStatus(
            team=row.team,
            version=row.version,
            waiting_for=[m for m in unread.get(row.team.id, ()) if id(m) in waiting],
        )
        for row in led
    ]
    never = [s for s in statuses if s.version is None]
    due = [(s.version.review_due, s) for s in statuses if s.version is not None]
    return [s for _, s in sorted(due, key=lambda pair: pair[0])] + never
