"""Demo data: two practices, each with one complete care team. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select

from app.db import utcnow
from app.demo.checkins import load_checkin_demo
from app.demo.consents import load_consent_demo
from app.demo.modules import load_module_demo
from app.demo.plans import load_plan_demo
from app.demo.threads import load_thread_demo
from app.domain.accounts import commands as accounts
from app.domain.teams import commands as teams
from app.extensions import db
from app.models import (
    CareTeam,
    Invitation,
    Membership,
    Organization,
    OrgKind,
    OutboxMessage,
    PracticeStaff,
    Role,
    User,
)
from app.platform.tokens import new_token

DEMO_PASSWORD = "harbor-demo"  # noqa: S105 - published in the README for the demo only


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: Role
    relation: str = ""


@dataclass(frozen=True)
class DemoTeam:
    practice: str
    country: str
    school: str
    locale: str
    timezone: str
    teen_birth_date: date
    people: tuple[Person, ...]
    pending_invite: Person


TEAMS = (
    DemoTeam(
        practice="Harbor Lane Counseling",
        country="US",
        school="Westbrook High School",
        locale="en",
        timezone="America/Chicago",
        teen_birth_date=date(2011, 3, 14),
        people=(
            Person("therapist@demo.example", "Dr. Sarah Chen", Role.THERAPIST),
            Person("teen@demo.example", "Maya Alvarez", Role.TEEN),
            Person("parent@demo.example", "Elena Alvarez", Role.GUARDIAN, "Mother"),
            Person("parent-b@demo.example", "David Alvarez", Role.GUARDIAN, "Father"),
            Person("counselor@demo.example", "James Okafor", Role.SCHOOL, "School counselor"),
        ),
        pending_invite=Person("grandma@demo.example", "", Role.GUARDIAN, "Grandmother"),
    ),
    DemoTeam(
        practice="Centro Aurora de Psicología",
        country="MX",
        school="Secundaria Técnica 42",
        locale="es",
        timezone="America/Mexico_City",
        teen_birth_date=date(2012, 9, 2),
        people=(
            Person("therapist2@demo.example", "Dra. Ana Morales", Role.THERAPIST),
            Person("teen2@demo.example", "Diego Ramírez", Role.TEEN),
            Person("parent2@demo.example", "Lucía Ramírez", Role.GUARDIAN, "Madre"),
            Person("parent2-b@demo.example", "Javier Ramírez", Role.GUARDIAN, "Padre"),
            Person("counselor2@demo.example", "Carmen Ruiz", Role.SCHOOL, "Orientadora"),
        ),
        pending_invite=Person("tia2@demo.example", "", Role.GUARDIAN, "Tía"),
    ),
)

DEMO_EMAILS = frozenset(p.email for t in TEAMS for p in (*t.people, t.pending_invite))


def _user(person: Person, spec: DemoTeam) -> User:
    return accounts.find_user(person.email) or accounts.create_user(
        person.email, person.name, DEMO_PASSWORD, locale=spec.locale, timezone=spec.timezone
    )


def _load_team(spec: DemoTeam) -> bool:
    therapist_person, *others = spec.people
    therapist = _user(therapist_person, spec)
    if db.session.scalars(select(Membership).where(Membership.user_id == therapist.id)).first():
        return False
    practice = Organization(name=spec.practice, kind=OrgKind.PRACTICE, country=spec.country)
    db.session.add(practice)
    db.session.flush()
    staff = PracticeStaff(user_id=therapist.id, organization_id=practice.id)
    db.session.add(staff)
    db.session.flush()
    team, _ = teams.create_team(
        staff,
        therapist,
        teen_name=next(p.name for p in others if p.role == Role.TEEN),
        teen_birth_date=spec.teen_birth_date,
        school_name=spec.school,
    )
    for person in others:
        db.session.add(
            Membership(
                user_id=_user(person, spec).id,
                team_id=team.id,
                role=person.role,
                relation_label=person.relation or None,
            )
        )
    _token, digest = new_token()
    db.session.add(
        Invitation(
            team_id=team.id,
            email=spec.pending_invite.email,
            role=spec.pending_invite.role,
            relation_label=spec.pending_invite.relation,
            token_hash=digest,
            expires_at=utcnow() + timedelta(days=5),
            invited_by_id=therapist.id,
        )
    )
    db.session.flush()
    return True


def demo_teams() -> list[CareTeam]:
    """The demo care teams, in the order of TEAMS (found through their teens)."""
    teens = [next(p.email for p in spec.people if p.role == Role.TEEN) for spec in TEAMS]
    found = []
    for email in teens:
        team = db.session.scalars(
            select(CareTeam)
            .join(Membership)
            .join(User)
            .where(User.email == email, Membership.role == Role.TEEN)
        ).first()
        if team is not None:
            found.append(team)
    return found


def load_demo() -> int:
    """Creates whichever demo teams are missing, with their records; returns how many teams
    it created. Safe to run again: each part only adds what is missing."""
    created = sum(_load_team(spec) for spec in TEAMS)
    load_plan_demo(demo_teams())
    load_thread_demo(demo_teams())
    load_consent_demo(demo_teams())
    load_module_demo()
    load_checkin_demo(demo_teams())
    # The demo's own saves would queue notices to made-up addresses; nobody needs them.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_email.in_(DEMO_EMAILS)))
    return created
