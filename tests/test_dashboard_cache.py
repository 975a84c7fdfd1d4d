"""The therapist dashboard keeps its lists while nothing in them can have changed: any change
they show bumps the team's revision in the same transaction, and the next view is fresh."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.domain.accounts import deletion as account_deletion
from app.domain.checkins import alerts as checkin_alerts
from app.domain.dashboard import cache as cache_module
from app.domain.plans import commands as plans
from app.domain.teams import commands as teams
from app.extensions import db
from app.models import AccessEvent, Alert, CareTeam, Membership, Organization, Role
from tests.checkins.helpers import add, today
from tests.conftest import log_in
from tests.factories import make_team
from tests.plans.helpers import save


def revision(team) -> int:
    return db.session.scalar(select(CareTeam.revision).where(CareTeam.id == team.id))


@pytest.fixture
def therapist(app, team):
    client = app.test_client()
    log_in(client, team.therapist.email)
    return client


def dashboard(client) -> str:
    page = client.get("/therapist/")
    assert page.status_code == 200
    return page.text


def statements(count_queries, client) -> int:
    before = count_queries.count
    dashboard(client)
    return count_queries.count - before


def test_a_second_view_reads_the_lists_from_the_cache(therapist, team, count_queries):
    save(team)
    add(team, today(team), urge=2)
    dashboard(therapist)
    kept = statements(count_queries, therapist)
    team.team.teen_name = "Renamed"
    db.session.commit()
    assert "Renamed" in dashboard(therapist)
    team.team.teen_name = "Renamed again"
    db.session.commit()
    # Kept: the session, the revisions and may-open-a-team (and BEGIN); rebuilt: the lists too.
    assert kept <= 4 < statements(count_queries, therapist)


def test_each_change_the_lists_show_is_seen_on_the_next_view(therapist, team):
    version = save(team)
    assert "Not yet agreed or read" in dashboard(therapist)
    assert "No check-ins yet" in dashboard(therapist)

    row = add(team, today(team), urge=4)
    assert "Checked in today" in dashboard(therapist)

    alert = Alert(team_id=team.id, checkin_id=row.id, reasons=["urge"])
    db.session.add(alert)
    db.session.commit()
    assert "check-in alert is open" in dashboard(therapist)
    checkin_alerts.acknowledge(team.memberships["therapist"], team.therapist, alert, "Called")
    db.session.commit()
    assert "check-in alert is open" not in dashboard(therapist)

    for key in ("teen", "guardian", "guardian2"):
        plans.acknowledge(team.memberships[key], team.users[key], version)
    db.session.commit()
    assert "Not yet agreed or read" not in dashboard(therapist)

    teams.invite(
        team.memberships["therapist"], team.therapist, email="aunt@example.org", role=Role.GUARDIAN
    )
    db.session.commit()
    assert "1 invitation waiting" in dashboard(therapist)


def test_a_person_or_school_renamed_shows_on_every_team_they_belong_to(therapist, team):
    save(team)
    team.guardian.name = "Guardian Renamed"
    db.session.commit()
    assert "Guardian Renamed" in dashboard(therapist)
    school = Organization(name="Northside High", kind="school", country="US")
    db.session.add(school)
    db.session.flush()
    team.team.school_id = school.id
    db.session.commit()
    assert "Northside High" in dashboard(therapist)
    school.name = "Northside Academy"
    db.session.commit()
    assert "Northside Academy" in dashboard(therapist)


def test_an_account_erased_takes_its_pending_invitations_off_the_count(therapist, team):
    # Invited here as someone already on another team, who then erases their account.
    elsewhere = make_team()
    teams.invite(
        team.memberships["therapist"],
        team.therapist,
        email=elsewhere.guardian.email,
        role=Role.GUARDIAN,
    )
    db.session.commit()
    assert "1 invitation waiting" in dashboard(therapist)
    before = revision(team)
    account_deletion.delete_account(elsewhere.guardian)
    db.session.commit()
    assert revision(team) > before
    assert "invitation waiting" not in dashboard(therapist)


def test_the_minute_turning_rebuilds_the_lists(therapist, team, monkeypatch, count_queries):
    dashboard(therapist)
    later = utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(cache_module, "utcnow", lambda: later)
    assert statements(count_queries, therapist) > 4


def test_views_and_other_teams_changes_leave_the_revision_alone(app, team):
    other = make_team()
    before = revision(team)
    db.session.add(AccessEvent(team_id=team.id, user_id=team.guardian.id, action="plan.view"))
    add(other, today(other), urge=1)
    assert revision(team) == before
    add(team, today(team), urge=1)
    assert revision(team) == before + 1


def test_each_therapist_sees_only_their_own_lists(app, team):
    other = make_team()
    mine, theirs = app.test_client(), app.test_client()
    log_in(mine, team.therapist.email)
    log_in(theirs, other.therapist.email)
    assert team.team.teen_name in dashboard(mine)
    assert team.team.teen_name not in dashboard(theirs)
    assert other.team.teen_name not in dashboard(mine)


def test_joining_a_team_shows_it_at_once(therapist, team):
    other = make_team(practice=team.practice)
    assert other.team.teen_name not in dashboard(therapist)
    db.session.add(Membership(user_id=team.therapist.id, team_id=other.id, role=Role.THERAPIST))
    db.session.commit()
    assert other.team.teen_name in dashboard(therapist)
