"""Read models of psychoeducation: reading lists and progress, already scoped by the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.content.modules import Module, Scenario, library
from app.domain.teams.queries import team_members
from app.extensions import db
from app.models import Membership, ModuleAssignment, ModuleProgress
from app.platform.pagination import Page, slice_page
from app.policy import Permission, visible
from app.policy.audiences import is_module_assignee, is_module_learner
from app.policy.modules import (
    Reader,
    own_assignments,
    own_progress,
    readable_modules,
    team_progress,
)

ASSIGNMENTS_PAGE = 30


@dataclass(frozen=True)
class Entry:
    """A module in someone's list, with how far they got and when the therapist hoped."""

    module: Module
    progress: ModuleProgress | None = None
    due_on: date | None = None

    @property
    def finished(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def started(self) -> bool:
        return self.progress is not None

    @property
    def resume_step(self) -> int:
        if self.progress is None or self.finished:
            return 1
        return min(max(self.progress.position, 1), self.module.step_count)


def _earliest_due(assignments: list[ModuleAssignment]) -> dict[str, date | None]:
    """slug -> the earliest due date among its assignments (None when none has a date)."""
    due: dict[str, date | None] = {}
    for assignment in assignments:
        dates = [d for d in (due.get(assignment.module_slug), assignment.due_on) if d]
        due[assignment.module_slug] = min(dates) if dates else None
    return due


def _by_due_date(entry: Entry) -> tuple[bool, date, int]:
    return (entry.due_on is None, entry.due_on or date.max, entry.module.order)


def reading_list(reader: Reader, locale: str) -> tuple[list[Entry], list[Entry]]:
    """(modules assigned to the reader, every other module for them), assigned first."""
    modules = readable_modules(reader, locale)
    if reader.membership is None or not reader.records_progress:
        return [], [Entry(m) for m in modules]
    membership = reader.membership
    due = _earliest_due(list(db.session.scalars(own_assignments(membership))))
    progress = {p.module_slug: p for p in db.session.scalars(own_progress(membership))}
    assigned = [Entry(m, progress.get(m.slug), due[m.slug]) for m in modules if m.slug in due]
    others = [Entry(m, progress.get(m.slug)) for m in modules if m.slug not in due]
    return sorted(assigned, key=_by_due_date), others


@dataclass(frozen=True)
class AssignmentRow:
    assignment: ModuleAssignment
    module: Module
    member: Membership | None  # None: everyone with assignment.role


@dataclass
class MemberRow:
    member: Membership
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class TeamOverview:
    modules: list[Module]
    members: list[Membership]
    assignees: list[Membership]  # whom the therapist may ask to read one
    assignments: Page[AssignmentRow]
    rows: list[MemberRow]  # one per member: as many as the team has


def team_overview(actor: Membership, locale: str, number: int = 1) -> TeamOverview:
    """What the therapist assigned on the team (a page of it) and how far each member got.
    Every assignment is read: each member's progress row needs their due dates."""
    shelf = library()
    members = [m for m in team_members(actor, Permission.TEAM_MEMBERS_VIEW) if is_module_learner(m)]
    by_id = {m.id: m for m in members}
    assignments = [
        a
        for a in db.session.scalars(
            visible(ModuleAssignment, actor, Permission.MODULE_ASSIGN).order_by(
                ModuleAssignment.created_at, ModuleAssignment.id
            )
        )
        if shelf.get(a.module_slug, locale) is not None
    ]
    progress = list(db.session.scalars(team_progress(actor)))
    rows = []
    for member in members:
        mine = [a for a in assignments if a.is_for(member)]
        due = _earliest_due(mine)
        started = {p.module_slug: p for p in progress if p.membership_id == member.id}
        slugs = list(due) + [s for s in started if s not in due]
        entries = [
            Entry(module, started.get(slug), due.get(slug))
            for slug in slugs
            if (module := shelf.get(slug, locale)) is not None
        ]
        rows.append(MemberRow(member, sorted(entries, key=_by_due_date)))
    return TeamOverview(
        modules=shelf.all(locale),
        members=members,
        assignees=[m for m in members if is_module_assignee(m)],
        assignments=slice_page(
            [
                AssignmentRow(
                    a,
                    module,
                    by_id.get(a.membership_id) if a.membership_id is not None else None,
                )
                for a in assignments
                # Always found: `assignments` keeps only modules on the shelf.
                if (module := shelf.get(a.module_slug, locale)) is not None
            ],
            number,
            ASSIGNMENTS_PAGE,
            anchor="assigned-heading",
        ),
        rows=rows,
    )


@dataclass(frozen=True)
class Answer:
    scenario: Scenario
    chosen: int | None

    @property
    def chose_best(self) -> bool:
        return self.chosen == self.scenario.best


@dataclass(frozen=True)
class MemberReading:
    entry: Entry
    answers: list[Answer]


def member_reading(actor: Membership, member: Membership, locale: str) -> list[MemberReading]:
    """One member's modules (assigned or started), with each practice answer they chose."""
    row = next(
        (r for r in team_overview(actor, locale).rows if r.member.id == member.id),
        MemberRow(member),
    )
    return [
        MemberReading(
            entry,
            [
                Answer(s, (entry.progress.answers or {}).get(s.id) if entry.progress else None)
                for s in entry.module.scenarios
            ],
        )
        for entry in row.entries
    ]
