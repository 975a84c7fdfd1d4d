"""Builders for whole teams and single users, written straight to the test database."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from argon2 import PasswordHasher

from app.extensions import db
from app.models import CareTeam, Membership, Organization, OrgKind, PracticeStaff, Role, User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # A real argon2id hash with light parameters: the app verifies with whatever parameters a
    # hash names, so sign-ins stay real while the suite stays fast. Accounts the app itself
    # creates (invitations, create-therapist) get the full-strength parameters.
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def make_user(email: str | None = None, name: str | None = None, **kwargs) -> User:
    n = next(_counter)
    user = User(
        email=(email or f"person{n}@example.org").lower(),
        name=name or f"Person {n}",
        password_hash=_password_hash(),
        **kwargs,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_practice(name: str | None = None, country: str = "US") -> Organization:
    practice = Organization(
        name=name or f"Practice {next(_counter)}", kind=OrgKind.PRACTICE, country=country
    )
    db.session.add(practice)
    db.session.flush()
    return practice


@dataclass
class Team:
    practice: Organization
    team: CareTeam
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.team.id

    def __getattr__(self, role: str) -> User:
        try:
            return self.users[role]
        except KeyError:
            raise AttributeError(role) from None


def make_team(practice: Organization | None = None, country: str = "US") -> Team:
    """A complete care team: therapist (also practice staff), teen, two guardians, counselor."""
    practice = practice or make_practice(country=country)
    n = next(_counter)
    team = CareTeam(
        practice_id=practice.id, teen_name=f"Teen {n}", teen_birth_date=date(2011, 5, 1)
    )
    db.session.add(team)
    db.session.flush()
    built = Team(practice=practice, team=team)
    for key, role in (
        ("therapist", Role.THERAPIST),
        ("teen", Role.TEEN),
        ("guardian", Role.GUARDIAN),
        ("guardian2", Role.GUARDIAN),
        ("school", Role.SCHOOL),
    ):
        user = make_user(f"{key}{n}@example.org", f"{key.title()} {n}")
        membership = Membership(user_id=user.id, team_id=team.id, role=role)
        db.session.add(membership)
        built.users[key] = user
        built.memberships[key] = membership
    db.session.add(PracticeStaff(user_id=built.users["therapist"].id, organization_id=practice.id))
    db.session.commit()
    return built
