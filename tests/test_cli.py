from sqlalchemy import func, select

from app.demo.load import DEMO_PASSWORD
from app.extensions import db
from app.models import CareTeam, Membership, PracticeStaff, Role, User
from tests.conftest import log_in

DEMO_LOGINS = {
    "therapist@demo.example": "/therapist/",
    "parent@demo.example": "/family/",
    "teen@demo.example": "/teen/",
    "counselor@demo.example": "/school/",
    "therapist2@demo.example": "/therapist/",
    "parent2@demo.example": "/family/",
    "teen2@demo.example": "/teen/",
    "counselor2@demo.example": "/school/",
}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_creates_two_complete_teams_and_is_idempotent(runner, client):
    first = runner.invoke(args=["demo"])
    assert "2 care team(s) created" in first.output
    again = runner.invoke(args=["demo"])
    assert "0 care team(s) created" in again.output
    assert _count(CareTeam) == 2
    for team in db.session.scalars(select(CareTeam)):
        roles = sorted(
            m.role
            for m in db.session.scalars(select(Membership).where(Membership.team_id == team.id))
        )
        assert roles == sorted(
            [Role.THERAPIST, Role.TEEN, Role.GUARDIAN, Role.GUARDIAN, Role.SCHOOL]
        )


def test_demo_logins_reach_their_dashboards(runner, client):
    runner.invoke(args=["demo"])
    for email, dashboard in DEMO_LOGINS.items():
        assert log_in(client, email, DEMO_PASSWORD).status_code == 302, email
        assert client.get("/", follow_redirects=True).request.path == dashboard, email
        client.post("/logout")


def test_demo_if_empty_leaves_a_used_database_alone(runner, team):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "nothing loaded" in result.output
    assert _count(CareTeam) == 1


def test_demo_teams_are_separate(runner, client):
    runner.invoke(args=["demo"])
    log_in(client, "therapist@demo.example", DEMO_PASSWORD)
    second = db.session.scalars(select(CareTeam).where(CareTeam.teen_name == "Diego Ramírez")).one()
    assert client.get(f"/therapist/teams/{second.id}").status_code == 404


def test_create_therapist(runner, client):
    result = runner.invoke(
        args=[
            "create-therapist",
            "--email",
            "Dr.Who@Example.org",
            "--name",
            "Dr. Who",
            "--practice",
            "Tardis Therapy",
            "--country",
            "gb",
            "--password",
            "a long enough pass",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User)).one()
    assert user.email == "dr.who@example.org"
    assert _count(PracticeStaff) == 1
    assert log_in(client, "dr.who@example.org", "a long enough pass").status_code == 302
    assert client.get("/", follow_redirects=True).request.path == "/therapist/"


def test_create_therapist_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=[
            "create-therapist",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--practice",
            "P",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert _count(User) == 0
