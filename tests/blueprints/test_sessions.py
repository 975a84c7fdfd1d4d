"""Session lifetimes are enforced on the server's record; people can end their sessions."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.models import Membership, Role, UserSession
from tests.conftest import log_in
from tests.factories import make_team

HOMES = {"therapist": "/therapist/", "guardian": "/family/", "teen": "/teen/"}


def _age(minutes_idle=0, hours_open=0):
    record = db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).one()
    record.last_seen_at = utcnow() - timedelta(minutes=minutes_idle)
    record.created_at = utcnow() - timedelta(hours=hours_open, minutes=minutes_idle)
    db.session.commit()
    return record.id


@pytest.mark.parametrize(
    ("role", "idle", "still_in"),
    [
        ("guardian", 29, True),
        ("guardian", 31, False),
        ("teen", 31, False),
        ("therapist", 14, True),
        ("therapist", 16, False),
    ],
)
def test_idle_sessions_end(client, team, role, idle, still_in):
    log_in(client, team.users[role].email)
    record_id = _age(minutes_idle=idle)
    response = client.get(HOMES[role])
    assert (response.status_code == 200) is still_in
    ended = db.session.get(UserSession, record_id).ended_at
    assert (ended is None) is still_in
    if not still_in:
        assert response.headers["Location"].startswith("/login")
        login = client.get("/login").text
        assert "You were signed out to keep your account safe" in login


def test_a_session_ends_after_twelve_hours_however_active(client, team):
    log_in(client, team.guardian.email)
    _age(
        minutes_idle=0,
        hours_open=12,
    )
    assert client.get("/family/").status_code == 302


def test_sign_out_on_every_other_device(app, client, team):
    phone = app.test_client()
    log_in(phone, team.guardian.email)
    log_in(client, team.guardian.email)
    page = client.get("/account/sessions").text
    assert page.count("Signed in") == 2
    assert "This device" in page
    client.post("/account/sessions/end-others")
    assert phone.get("/family/").status_code == 302
    assert client.get("/family/").status_code == 200


def test_sign_out_everywhere(app, client, team):
    phone = app.test_client()
    log_in(phone, team.guardian.email)
    log_in(client, team.guardian.email)
    client.post("/account/sessions/end-all")
    assert phone.get("/family/").status_code == 302
    assert client.get("/family/").status_code == 302


def test_sessions_page_shows_only_my_sessions(app, client, team):
    other = app.test_client()
    log_in(other, team.teen.email)
    log_in(client, team.guardian.email)
    assert client.get("/account/sessions").text.count("Signed in") == 1


def test_switch_team_is_offered_only_to_people_in_several_teams(app, client, team):
    # Someone else, signed in elsewhere, belongs to two teams: that must not count for the teen.
    second = make_team(practice=team.practice)
    db.session.add(
        Membership(user_id=team.therapist.id, team_id=second.team.id, role=Role.THERAPIST)
    )
    db.session.commit()
    log_in(app.test_client(), team.therapist.email)
    log_in(client, team.teen.email)
    assert "Switch team" not in client.get("/teen/").text
    therapist = app.test_client()
    log_in(therapist, team.therapist.email)
    assert "Switch team" in therapist.get("/therapist/").text
