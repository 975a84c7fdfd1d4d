"""Demo psychoeducation: lessons assigned in both demo teams, some read part way or finished.

Safe to run again: a team that already has any assignment is left as it is. The demo writes
rows directly, so no email is queued to the made-up addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from app.content.modules import library
from app.db import utcnow
from app.extensions import db
from app.models import CareTeam, Membership, ModuleAssignment, ModuleProgress, Role, User


@dataclass(frozen=True)
class Reading:
    """How far one demo person got in one module: the page to resume at, their answers (by
    scenario, the option number chosen), and whether they finished."""

    email: str
    slug: str
    position: int
    answers: dict[str, int] = field(default_factory=dict)
    finished: bool = False


@dataclass(frozen=True)
class DemoLessons:
    teen_email: str
    therapist_email: str
    # (slug, role for everyone with it, or the email of one member, days until due or None)
    assignments: tuple[tuple[str, Role | str, int | None], ...]
    readings: tuple[Reading, ...]


LESSONS = (
    DemoLessons(
        teen_email="teen@demo.example",
        therapist_email="therapist@demo.example",
        assignments=(
            ("listen-first", Role.GUARDIAN, 5),
            ("first-conversation", Role.GUARDIAN, None),
            ("safer-home", Role.GUARDIAN, 10),
            ("riding-the-wave", "teen@demo.example", 7),
            ("calm-your-body", "teen@demo.example", None),
            ("when-a-student-tells", "counselor@demo.example", None),
            ("plan-at-school", "counselor@demo.example", 14),
        ),
        readings=(
            Reading(
                "parent@demo.example",
                "listen-first",
                8,
                {"bandage": 2, "nobody-understands": 1, "she-tells-you": 1},
                finished=True,
            ),
            Reading("parent@demo.example", "first-conversation", 3),
            Reading("parent-b@demo.example", "listen-first", 2),
            Reading(
                "teen@demo.example", "riding-the-wave", 7, {"late-night": 2, "still-rising": 3}
            ),
            Reading(
                "counselor@demo.example",
                "when-a-student-tells",
                8,
                {"promise-first": 2, "in-the-gym": 1, "staff-room": 2},
                finished=True,
            ),
        ),
    ),
    DemoLessons(
        teen_email="teen2@demo.example",
        therapist_email="therapist2@demo.example",
        assignments=(
            ("listen-first", Role.GUARDIAN, 7),
            ("practical-care", Role.GUARDIAN, None),
            ("everyday-support", "parent2@demo.example", 14),
            ("naming-feelings", "teen2@demo.example", 6),
            ("using-your-plan", "teen2@demo.example", None),
            ("privacy-at-school", Role.SCHOOL, None),
        ),
        readings=(
            Reading("parent2@demo.example", "listen-first", 4),
            Reading(
                "parent2-b@demo.example",
                "listen-first",
                8,
                {"bandage": 4, "nobody-understands": 3, "she-tells-you": 1},
                finished=True,
            ),
            Reading("teen2@demo.example", "naming-feelings", 6, {"plans-cancelled": 3}),
            Reading("counselor2@demo.example", "privacy-at-school", 2),
        ),
    ),
)


def _team_of_teen(email: str) -> CareTeam | None:
    return db.session.scalars(
        select(CareTeam)
        .join(Membership, Membership.team_id == CareTeam.id)
        .join(User, User.id == Membership.user_id)
        .where(User.email == email, Membership.role == Role.TEEN)
    ).first()


def _members(team: CareTeam) -> dict[str, Membership]:
    rows = db.session.execute(
        select(User.email, Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id == team.id)
    )
    return dict(rows.all())


def _load(spec: DemoLessons) -> bool:
    team = _team_of_teen(spec.teen_email)
    if (
        team is None
        or db.session.scalars(
            select(ModuleAssignment.id).where(ModuleAssignment.team_id == team.id).limit(1)
        ).first()
    ):
        return False
    members = _members(team)
    therapist = members[spec.therapist_email]
    today = utcnow().date()
    for slug, target, due_in in spec.assignments:
        if library().get(slug, "en") is None:
            raise ValueError(f"demo lessons name an unknown module: {slug}")
        db.session.add(
            ModuleAssignment(
                team_id=team.id,
                module_slug=slug,
                membership_id=None if isinstance(target, Role) else members[target].id,
                role=target if isinstance(target, Role) else None,
                due_on=today + timedelta(days=due_in) if due_in is not None else None,
                assigned_by_id=therapist.user_id,
            )
        )
    for reading in spec.readings:
        db.session.add(
            ModuleProgress(
                team_id=team.id,
                membership_id=members[reading.email].id,
                module_slug=reading.slug,
                position=reading.position,
                answers=dict(reading.answers),
                completed_at=utcnow() - timedelta(days=1) if reading.finished else None,
            )
        )
    db.session.flush()
    return True


def load_module_demo() -> int:
    """Adds the demo's assignments and reading to each demo team that has none yet."""
    return sum(_load(spec) for spec in LESSONS)
