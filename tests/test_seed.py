"""`flask seed`: the bench data set has the promised shape and its contract logins work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app.content.modules import library
from app.domain.accounts import commands as accounts
from app.domain.checkins.commands import today_in
from app.domain.teams.queries import therapist_teams
from app.extensions import db
from app.models import (
    AccessEvent,
    Alert,
    CarePlan,
    CareTeam,
    CheckIn,
    Membership,
    Message,
    ModuleAssignment,
    PlanItem,
    PlanVersion,
    Role,
    Scope,
    Thread,
    ThreadKind,
    User,
)
from app.policy.consents import in_force
from app.seed import scale as seed_scale
from tests.conftest import log_in

PASSWORD = "bench-password-for-tests"
DOMAIN = "bench.harbor.example"


@pytest.fixture
def seeded(runner, monkeypatch):
    # Light argon2 parameters, as in tests/factories.py: sign-ins stay real, the suite fast.
    light = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(seed_scale, "hash_password", light.hash)
    result = runner.invoke(args=["seed", "--teams", "3", "--seed", "7", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return result


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _user(name: str) -> User:
    return db.session.scalars(select(User).where(User.email == f"{name}@{DOMAIN}")).one()


def test_every_team_has_the_promised_shape(seeded):
    assert "teams 1..3, 10 users" in seeded.output
    teams = db.session.scalars(select(CareTeam).order_by(CareTeam.id)).all()
    assert len(teams) == 3
    # Practice 1's therapist leads every team: the caseload dashboard lists them all.
    led = therapist_teams(_user("therapist1"))
    assert {row.team.id for row in led} == {team.id for team in teams}
    for team in teams:
        members = db.session.scalars(select(Membership).where(Membership.team_id == team.id)).all()
        assert sorted(m.role for m in members) == sorted(Role)
        plan = db.session.scalars(select(CarePlan).where(CarePlan.team_id == team.id)).one()
        assert plan.current_number == 3
        latest = db.session.scalars(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == 3)
        ).one()
        assert _count(select(PlanItem).where(PlanItem.version_id == latest.id)) >= 20
        assert _count(select(PlanVersion).where(PlanVersion.plan_id == plan.id)) == 3

        days = db.session.scalars(
            select(CheckIn.local_date).where(CheckIn.team_id == team.id)
        ).all()
        today = today_in("America/New_York")
        assert len(days) == 365
        assert max(days) == today - timedelta(days=1)
        assert _count(select(Message).where(Message.team_id == team.id)) == 200
        family = db.session.scalars(
            select(Thread).where(Thread.team_id == team.id, Thread.kind == ThreadKind.FAMILY)
        ).one()
        assert _count(select(Message).where(Message.thread_id == family.id)) >= 150
        assert _count(select(Thread).where(Thread.team_id == team.id)) == len(ThreadKind)

        alerts = db.session.scalars(select(Alert).where(Alert.team_id == team.id)).all()
        assert [alert.is_open for alert in alerts].count(True) == 1
        assert _count(select(AccessEvent).where(AccessEvent.team_id == team.id)) > 365
        slugs = db.session.scalars(
            select(ModuleAssignment.module_slug).where(ModuleAssignment.team_id == team.id)
        ).all()
        assert len(slugs) == 3
        assert all(library().get(slug, "en") for slug in slugs)
        counselor = next(m for m in members if m.role == Role.SCHOOL)
        assert in_force(counselor, Scope.SCHOOL_PLAN)
        assert in_force(counselor, Scope.SCHOOL_THREAD)


def test_contract_logins_reach_their_dashboards(seeded, client):
    for name, dashboard in (
        ("therapist1", "/therapist/"),
        ("teen1", "/teen/"),
        ("guardian2", "/family/"),
        ("counselor3", "/school/"),
    ):
        assert log_in(client, f"{name}@{DOMAIN}", PASSWORD).status_code == 302, name
        assert client.get("/", follow_redirects=True).request.path == dashboard, name
        client.post("/logout")


def test_refuses_to_seed_twice_but_appends_on_request(seeded, runner):
    again = runner.invoke(args=["seed", "--teams", "2", "--password", PASSWORD])
    assert again.exit_code != 0
    assert "--append" in again.output
    more = runner.invoke(args=["seed", "--teams", "2", "--append", "--password", PASSWORD])
    assert "teams 4..5" in more.output, more.output
    # The fourth and fifth teams join practice 1, which has room for 50.
    assert len(therapist_teams(_user("therapist1"))) == 5
    assert _user("teen5")
    # The app's own inserts carry on after the seeded ids.
    accounts.create_user("after-the-seed@example.org", "After", "a long enough pass")
    db.session.commit()
