"""A care team with a batch of every kind of record, and the means to add a second batch of
the same shape: the query-count test compares every page before and after."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from app.content.modules import Audience, library
from app.db import utcnow
from app.domain.checkins import commands as checkins
from app.domain.plans import commands as plans
from app.domain.plans.commands import ItemInput
from app.extensions import db
from app.models import (
    Alert,
    CheckIn,
    CheckInCoping,
    CheckInEmotion,
    Helped,
    Invitation,
    Membership,
    PasswordResetToken,
    Role,
    Section,
)
from app.platform.tokens import hash_token
from tests import query_world_records as records
from tests.factories import Team, make_team, make_user

INVITE_TOKEN = "invitation-token-for-the-query-count-test"  # noqa: S105 - a test fixture
RESET_TOKEN = "reset-token-for-the-query-count-test"  # noqa: S105 - a test fixture
DAYS_PER_BATCH = 10
READERS = records.READERS


@dataclass
class World:
    """The team and the records a page's URL can name."""

    team: Team
    batches: int = 0
    consent_id: int = 0
    alert_id: int = 0
    messages: dict[str, int] = field(default_factory=dict)  # role -> one of their own
    extra_teams: list[Team] = field(default_factory=list)

    def slug(self, role: str) -> str:
        """A module this role reads (therapists preview them all)."""
        audience = {"teen": Audience.TEEN, "school": Audience.SCHOOL}.get(role, Audience.GUARDIAN)
        return next(m.slug for m in library().all("en") if m.audience == audience)


def build_world() -> World:
    team = make_team()
    # The sign-in and invitation pages need a link that works.
    db.session.add(
        Invitation(
            team_id=team.id,
            email="newcomer@example.org",
            role=Role.GUARDIAN,
            token_hash=hash_token(INVITE_TOKEN),
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    db.session.add(
        PasswordResetToken(
            user_id=team.guardian.id,
            token_hash=hash_token(RESET_TOKEN),
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    world = World(team)
    add_batch(world)
    return world


def add_batch(world: World) -> None:
    """One more of everything on the team, members too (a co-therapist, a guardian and a
    counselor); the second batch also brings a second team for the therapist."""
    world.batches += 1
    n = world.batches
    team = world.team
    _add_members(team, n)
    if n > 1:
        world.extra_teams.append(_caseload_team(team))
    _plan_versions(team, n)
    _checkins(world, n)
    records.threads(world, n)
    records.modules(team, n)
    records.consents(world, n)
    records.audit_events(team)
    records.invitations_sessions_disclosures(team, n)
    db.session.commit()


def _add_members(team: Team, n: int) -> None:
    for key, role in (
        ("therapist", Role.THERAPIST),
        ("guardian", Role.GUARDIAN),
        ("school", Role.SCHOOL),
    ):
        user = make_user(name=f"{key.title()} batch {n}")
        membership = Membership(user_id=user.id, team_id=team.id, role=role)
        db.session.add(membership)
        db.session.flush()
        team.users[f"{key}-{n}"] = user
        team.memberships[f"{key}-{n}"] = membership


def _caseload_team(team: Team) -> Team:
    """Another teen the therapist follows, with a counselor and a check-in."""
    other = make_team(practice=team.practice)
    db.session.add(Membership(user_id=team.therapist.id, team_id=other.id, role=Role.THERAPIST))
    plans.save_version(
        other.memberships["therapist"],
        other.therapist,
        base_number=0,
        items=_items(1),
        review_due=date.today() + timedelta(days=10),
    )
    _checkin(other, checkins.local_today(other.teen), urge=5)
    return other


def _items(n: int) -> list[ItemInput]:
    """Two items a batch in every section, seen by every audience (the teen checks the
    coping steps): the second batch's plan is twice as long."""
    return [
        ItemInput(
            section,
            f"{section.value} item {index} of batch {n}",
            index,
            phone="+1 312 555 0100" if section == Section.HELP_PEOPLE else None,
            for_teen=True,
            for_family=True,
            for_school=True,
        )
        for section in Section
        for index in range(1, 2 * n + 1)
    ]


def _plan_versions(team: Team, n: int) -> None:
    """Two versions a batch, keeping the items' keys; each reader acknowledges the first, so
    the latest is new to them."""
    therapist = team.memberships["therapist"]
    for round_ in range(2):
        current = plans.plan_of(team.id)
        keys: dict[Section, list[str]] = {}
        for item in plans.items_for(plans.version(team.id), Role.THERAPIST):
            keys.setdefault(item.section, []).append(item.key)
        items = [
            replace(item, key=_nth(keys.get(item.section, []), item.position - 1))
            for item in _items(n)
        ]
        version = plans.save_version(
            therapist,
            team.therapist,
            base_number=current.current_number if current else 0,
            items=items,
            review_due=date.today() + timedelta(days=30),
        )
        if round_ == 0:
            for key in (*READERS, "guardian2"):
                plans.acknowledge(team.memberships[key], team.users[key], version)
        db.session.flush()


def _nth(keys: list[str], index: int) -> str | None:
    return keys[index] if index < len(keys) else None


def _checkin(team: Team, day: date, urge: int = 2) -> CheckIn:
    row = CheckIn(
        team_id=team.id,
        teen_membership_id=team.memberships["teen"].id,
        local_date=day,
        urge=urge,
        thoughts=1,
        acted=False,
        note=f"Note for {day}",
    )
    db.session.add(row)
    db.session.flush()
    return row


def _checkins(world: World, n: int) -> None:
    """Ten days a batch (today is in the first), each with feelings and coping steps; an
    open and an acknowledged alert."""
    team = world.team
    today = checkins.local_today(team.teen)
    steps = [
        i.key
        for i in plans.items_for(plans.version(team.id), Role.TEEN)
        if i.section == Section.COPING_STEPS
    ]
    for offset in range((n - 1) * DAYS_PER_BATCH, n * DAYS_PER_BATCH):
        row = _checkin(team, today - timedelta(days=offset), urge=5 if offset % 5 == 0 else 2)
        for code in ("sad", "calm"):
            db.session.add(
                CheckInEmotion(team_id=team.id, checkin_id=row.id, emotion=code, intensity=3)
            )
        for key in steps:
            db.session.add(
                CheckInCoping(team_id=team.id, checkin_id=row.id, item_key=key, helped=Helped.A_BIT)
            )
        if offset % 5 == 0:
            done = offset % 10 == 5
            alert = Alert(
                team_id=team.id,
                checkin_id=row.id,
                reasons=["urge"],
                acknowledged_at=utcnow() if done else None,
                acknowledged_by_membership_id=team.memberships["therapist"].id if done else None,
                note="Called the family" if done else None,
            )
            db.session.add(alert)
            db.session.flush()
            world.alert_id = world.alert_id or alert.id
