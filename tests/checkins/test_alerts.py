"""Alerts: raised at the team's thresholds for the team's therapists only, once per check-in,
discreet by email, acknowledged with a note; and what the teen sees right after saving."""

import pytest
from sqlalchemy import select

from app.domain.checkins import alerts as checkin_alerts
from app.extensions import db
from app.models import AccessEvent, Alert, Membership, OutboxMessage, Role
from app.platform import email
from app.platform.delivery import deliver_pending
from tests.checkins.helpers import NOTE, alert_emails, alerts_of, post, today
from tests.conftest import log_in
from tests.factories import make_user

NO, YES = "no", "yes"


@pytest.mark.parametrize(
    ("urge", "thoughts", "acted", "reasons"),
    [
        (3, 2, NO, None),
        (4, 2, NO, ["urge"]),
        (3, 3, NO, ["thoughts"]),
        (0, 0, YES, ["acted"]),
        (5, 5, YES, ["urge", "thoughts", "acted"]),
        (0, 2, NO, None),
    ],
)
def test_default_thresholds_at_their_boundaries(as_teen, team, urge, thoughts, acted, reasons):
    post(as_teen, today(team), urge=urge, thoughts=thoughts, acted=acted)
    found = alerts_of(team)
    assert [a.reasons for a in found] == ([reasons] if reasons else [])
    assert len(alert_emails()) == (1 if reasons else 0)


@pytest.mark.parametrize(("urge", "raised"), [(4, False), (5, True)])
def test_a_teams_own_urge_threshold(as_teen, team, urge, raised):
    checkin_alerts.save_thresholds(
        team.memberships["therapist"], team.therapist, urge_at=5, thoughts_at=1
    )
    db.session.commit()
    post(as_teen, today(team), urge=urge)
    assert bool(alerts_of(team)) is raised
    assert (
        "an urge of 5 or more, thoughts of suicide of 1 or more"
        in as_teen.get("/teen/check-in").text
    )


def test_the_teen_sees_help_now_steps_at_once_and_crisis_lines_for_thoughts(as_teen, team, steps):
    post(as_teen, today(team), urge=4, thoughts=0)
    page = as_teen.get("/teen/check-in/done")
    assert "Your Help now steps" in page.text
    assert "Aunt Rosa" in page.text  # the teen's own safety plan
    assert "Talk to someone now" not in page.text
    assert "988" not in page.text.split("<footer")[0].split("Your Help now steps")[0]

    post(as_teen, today(team), urge=1, thoughts=3)
    page = as_teen.get("/teen/check-in/done")
    assert "Talk to someone now" in page.text
    assert "Call 988" in page.text
    for word in ("emergency", "urgent", "immediately", "within", "hours"):
        assert word not in page.text.split('<p class="lead">')[1].split("</p>")[0].lower()


def test_an_easy_day_gets_a_short_thank_you(as_teen, team, steps):
    post(as_teen, today(team), urge=1)
    page = as_teen.get("/teen/check-in/done")
    assert "Thank you for checking in" in page.text
    assert "Help now steps" not in page.text


def test_the_done_page_without_a_check_in_today_goes_to_the_form(as_teen):
    response = as_teen.get("/teen/check-in/done")
    assert response.status_code == 302
    assert response.headers["Location"] == "/teen/check-in"


def test_one_alert_per_check_in_and_one_email(as_teen, team):
    post(as_teen, today(team), urge=4)
    post(as_teen, today(team), urge=5)
    post(as_teen, today(team), urge=0)  # lowering it later keeps what was reported
    [alert] = alerts_of(team)
    assert alert.reasons == ["urge"]
    post(as_teen, today(team), urge=4, thoughts=4)
    [alert] = alerts_of(team)
    assert alert.reasons == ["urge", "thoughts"]
    assert len(alert_emails()) == 1


def test_an_edit_that_first_crosses_a_threshold_raises_the_alert(as_teen, team):
    post(as_teen, today(team), urge=1)
    assert alerts_of(team) == []
    post(as_teen, today(team), urge=1, acted=YES)
    assert [a.reasons for a in alerts_of(team)] == [["acted"]]
    assert len(alert_emails()) == 1


def test_an_edit_adding_a_reason_reopens_an_acknowledged_alert(as_teen, team):
    post(as_teen, today(team), urge=4)
    [alert] = alerts_of(team)
    checkin_alerts.acknowledge(team.memberships["therapist"], team.therapist, alert, "Called her.")
    db.session.commit()
    post(as_teen, today(team), urge=4)  # nothing new: stays acknowledged
    assert not alerts_of(team)[0].is_open
    post(as_teen, today(team), urge=4, acted=YES)
    [alert] = alerts_of(team)
    assert alert.is_open and alert.reasons == ["urge", "acted"]
    assert len(alert_emails()) == 1


def test_the_email_goes_to_the_teams_therapists_only_and_is_discreet(
    as_teen, team, other_team, smtp
):
    second = make_user(locale="es")
    db.session.add(Membership(user_id=second.id, team_id=team.id, role=Role.THERAPIST))
    db.session.commit()
    post(as_teen, today(team), urge=5, thoughts=5, acted=YES, note=NOTE)
    assert sorted(m.to_email for m in alert_emails()) == sorted(
        [team.therapist.email, second.email]
    )
    assert all(m.params == {} for m in alert_emails())
    assert deliver_pending() == (2, 0)
    assert sorted(r for m in smtp.messages for r in m.recipients) == sorted(
        [team.therapist.email, second.email]
    )
    for received in smtp.messages:
        text = f"{received.subject}\n{received.body}".lower()
        for secret in (
            NOTE,
            team.team.teen_name,
            team.teen.name,
            "self-harm",
            "suicid",
            "urge",
            "alert",
            "check-in",
            "therap",
            "autolesi",
        ):
            assert secret.lower() not in text, secret
        assert text.count("http") == 1


def test_the_email_says_nothing_but_where_to_sign_in(app):
    message = OutboxMessage(
        to_email="t@example.org", template="checkin_alert", params={}, locale="en"
    )
    rendered = email.render(message)
    assert rendered.subject == "Something in Harbor needs your attention"
    assert "http://harbor.test/" in rendered.body


def _open_alert(as_teen, team):
    post(as_teen, today(team), urge=4, note=NOTE)
    [alert] = alerts_of(team)
    as_teen.post("/logout")
    return alert


def test_the_therapist_acknowledges_with_a_note(client, as_teen, team):
    alert = _open_alert(as_teen, team)
    log_in(client, team.therapist.email)
    dashboard = client.get("/therapist/")
    assert "check-in alert is open" in dashboard.text
    listing = client.get("/therapist/alerts")
    assert team.team.teen_name in listing.text and "Strong urge to self-harm" in listing.text
    url = f"/therapist/teams/{team.id}/alerts/{alert.id}"
    page = client.get(url)
    assert NOTE in page.text and "Acknowledge the alert" in page.text

    empty = client.post(url, data={"note": "  "})
    assert empty.status_code == 400
    assert 'id="note-error"' in empty.text
    assert alerts_of(team)[0].is_open

    done = client.post(url, data={"note": "Phoned Maya and her mum; she used her plan."})
    assert done.status_code == 302
    [alert] = alerts_of(team)
    assert not alert.is_open
    assert alert.acknowledged_by_membership_id == team.memberships["therapist"].id
    assert "Phoned Maya" in client.get(url).text
    again = client.post(url, data={"note": "Second time"})
    assert again.status_code == 400 and "already acknowledged" in again.text
    assert "check-in alert is open" not in client.get("/therapist/").text
    actions = db.session.scalars(select(AccessEvent.action)).all()
    assert actions.count("alert.acknowledge") == 1


@pytest.mark.parametrize("role", ["guardian", "teen", "school"])
def test_nobody_else_sees_or_acknowledges_alerts(client, as_teen, team, role):
    alert = _open_alert(as_teen, team)
    log_in(client, team.users[role].email)
    url = f"/therapist/teams/{team.id}/alerts/{alert.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"note": "x"}).status_code == 404
    assert client.get("/therapist/alerts").status_code == 404
    assert alerts_of(team)[0].is_open


def test_another_teams_therapist_gets_a_404(client, as_teen, team, other_team):
    alert = _open_alert(as_teen, team)
    log_in(client, other_team.therapist.email)
    assert client.get(f"/therapist/teams/{team.id}/alerts/{alert.id}").status_code == 404
    # Their own team's URL with this alert's id: still another team's record.
    assert client.get(f"/therapist/teams/{other_team.id}/alerts/{alert.id}").status_code == 404
    assert (
        client.post(
            f"/therapist/teams/{other_team.id}/alerts/{alert.id}", data={"note": "x"}
        ).status_code
        == 404
    )
    assert team.team.teen_name not in client.get("/therapist/alerts").text
    assert "check-in alert is open" not in client.get("/therapist/").text
    assert db.session.get(Alert, alert.id).is_open


def test_thresholds_form(client, login_as, team):
    login_as("therapist")
    url = f"/therapist/teams/{team.id}/checkins/settings"
    page = client.get(url)
    assert '<option selected value="4">' in page.text
    assert '<option selected value="3">' in page.text
    bad = client.post(url, data={"urge_at": "9", "thoughts_at": "3"})
    assert bad.status_code == 400 and 'id="urge_at-error"' in bad.text
    assert checkin_alerts.thresholds(team.id) == checkin_alerts.Thresholds(4, 3)
    assert client.post(url, data={"urge_at": "3", "thoughts_at": "2"}).status_code == 302
    assert checkin_alerts.thresholds(team.id) == checkin_alerts.Thresholds(3, 2)
    assert "an urge of 3 or more" in client.get(f"/therapist/teams/{team.id}/checkins").text


@pytest.mark.parametrize("role", ["guardian", "teen", "school"])
def test_only_therapists_set_thresholds(client, login_as, team, role):
    login_as(role)
    url = f"/therapist/teams/{team.id}/checkins/settings"
    assert client.post(url, data={"urge_at": "1", "thoughts_at": "1"}).status_code == 404
    assert checkin_alerts.thresholds(team.id) == checkin_alerts.Thresholds()


def test_another_teams_therapist_cannot_set_thresholds(client, team, other_team):
    log_in(client, other_team.therapist.email)
    url = f"/therapist/teams/{team.id}/checkins/settings"
    assert client.post(url, data={"urge_at": "1", "thoughts_at": "1"}).status_code == 404
