"""Who sees what of the check-ins: the teen and the therapists everything; guardians only
"checked in today" and the weekly average urge, only with the teen's consent in force; the
school nothing. The canary note never reaches anyone else's page or email."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.domain.consent import commands as consents
from app.extensions import db
from app.models import AccessEvent, OutboxMessage, Scope
from app.policy import checkins as checkin_policy
from tests.checkins.helpers import NOTE, add, post, summary_consent, today
from tests.conftest import log_in

ALL_ROUTES = (
    "/teen/check-in",
    "/teen/check-in/done",
    "/teen/trends",
    "/therapist/alerts",
    "/therapist/teams/{team}/checkins",
    "/therapist/teams/{team}/checkins?days=90",
    "/therapist/teams/{team}/checkins.csv",
    "/therapist/teams/{team}/checkins/settings",
)


def week_of_checkins(team) -> None:
    day = today(team)
    add(team, day, urge=1, note=NOTE)
    add(team, day - timedelta(days=3), urge=2, thoughts=4, acted=True, note=NOTE)
    add(team, day - timedelta(days=6), urge=4, note=NOTE)
    add(team, day - timedelta(days=7), urge=5, note=NOTE)  # a week ago: not in this week


def visible_text(response) -> str:
    return response.text


def test_a_guardian_without_the_consent_sees_nothing_about_check_ins(client, team):
    week_of_checkins(team)
    log_in(client, team.guardian.email)
    page = client.get("/family/").text
    assert "check-in" not in page.lower() and "check in" not in page.lower()
    assert NOTE not in page
    for path in ALL_ROUTES:
        assert client.get(path.format(team=team.id)).status_code == 404, path


def test_with_the_consent_guardians_see_only_the_summary(client, team):
    week_of_checkins(team)
    summary_consent(team)
    for guardian in ("guardian", "guardian2"):
        log_in(client, team.users[guardian].email)
        page = client.get("/family/").text
        assert f"{team.team.teen_name} checked in today." in page
        assert "over the last 7 days: 2.3 out of 5." in page  # (1 + 2 + 4) / 3
        assert NOTE not in page
        for secret in ("Acted on an urge", "Thoughts of suicide", "Feelings"):
            assert secret not in page
        for path in ALL_ROUTES:
            assert client.get(path.format(team=team.id)).status_code == 404, path
        client.post("/logout")


def test_no_check_in_today_and_an_empty_week(client, team, monkeypatch):
    monkeypatch.setattr(checkin_policy, "in_force", lambda m, scope: scope == Scope.CHECKIN_SUMMARY)
    add(team, today(team) - timedelta(days=9), urge=3)
    log_in(client, team.guardian.email)
    page = client.get("/family/").text
    assert "has not checked in today." in page
    assert "No check-ins in the last 7 days." in page


def test_a_guardians_look_is_audited_once_a_day_and_shown_to_the_teen(client, team):
    week_of_checkins(team)
    summary_consent(team)
    log_in(client, team.guardian.email)
    client.get("/family/")
    client.get("/family/")
    events = db.session.scalars(
        select(AccessEvent).where(AccessEvent.action == "checkin.view")
    ).all()
    assert [(e.membership_id, e.detail) for e in events] == [
        (team.memberships["guardian"].id, {"page": "summary"})
    ]
    db.session.execute(AccessEvent.__table__.update().values(at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    client.get("/family/")
    assert (
        len(
            db.session.scalars(
                select(AccessEvent.id).where(AccessEvent.action == "checkin.view")
            ).all()
        )
        == 2
    )
    client.post("/logout")
    log_in(client, team.teen.email)
    views = client.get(f"/teams/{team.id}/record-views").text
    assert "Looked at check-ins" in views
    assert team.guardian.name in views


def test_a_revoked_consent_hides_the_summary_on_the_next_click(client, team):
    summary_consent(team)
    add(team, today(team), urge=1)
    log_in(client, team.guardian.email)
    assert "checked in today" in client.get("/family/").text
    consent = consents.team_consents(team.id)[0]
    consents.revoke(team.memberships["teen"], team.teen, consent)
    db.session.commit()
    assert "checked in today" not in client.get("/family/").text


def test_a_restricted_guardian_sees_nothing_even_with_the_consent(client, team):
    summary_consent(team)
    add(team, today(team), urge=1)
    team.memberships["guardian"].restricted_at = utcnow()
    team.memberships["guardian"].restricted_reason = "Court order"
    db.session.commit()
    log_in(client, team.guardian.email)
    assert "checked in today" not in client.get("/family/").text


def test_the_school_never_sees_check_ins_even_with_every_consent(client, team, monkeypatch):
    monkeypatch.setattr(checkin_policy, "in_force", lambda m, scope: True)
    week_of_checkins(team)
    log_in(client, team.school.email)
    page = client.get("/school/").text
    assert "check" not in page.lower().replace("checked", "")
    assert NOTE not in page
    for path in ALL_ROUTES:
        assert client.get(path.format(team=team.id)).status_code == 404, path


@pytest.mark.parametrize(
    ("role", "summary"),
    [("therapist", True), ("teen", True), ("guardian", False), ("school", False)],
)
def test_the_summary_rule_without_a_consent(app, team, role, summary):
    assert checkin_policy.may_view_summary(team.memberships[role]) is summary


@pytest.mark.parametrize(
    ("role", "summary"),
    [("therapist", True), ("teen", True), ("guardian", True), ("school", False)],
)
def test_the_summary_rule_with_a_consent(app, team, monkeypatch, role, summary):
    monkeypatch.setattr(checkin_policy, "in_force", lambda m, scope: True)
    assert checkin_policy.may_view_summary(team.memberships[role]) is summary


def test_the_teen_and_the_therapist_read_the_note(client, team):
    week_of_checkins(team)
    log_in(client, team.teen.email)
    assert NOTE in client.get("/teen/trends").text
    client.post("/logout")
    log_in(client, team.therapist.email)
    assert NOTE in client.get(f"/therapist/teams/{team.id}/checkins").text
    # Not audited as a view by others.
    assert not db.session.scalars(
        select(AccessEvent).where(AccessEvent.action.like("checkin.%"))
    ).all()


def test_another_teams_therapist_gets_404_everywhere(client, team, other_team):
    week_of_checkins(team)
    log_in(client, other_team.therapist.email)
    for path in ALL_ROUTES[4:]:
        response = client.get(path.format(team=team.id))
        assert response.status_code == 404, path
        assert NOTE not in response.text
    assert team.team.teen_name not in client.get("/therapist/").text


def test_no_email_carries_the_note(client, team):
    summary_consent(team)
    log_in(client, team.teen.email)
    post(client, today(team), urge=5, thoughts=5, acted="yes", note=NOTE)
    bodies = [str(m.params) for m in db.session.scalars(select(OutboxMessage))]
    assert bodies and not any(NOTE in body for body in bodies)
