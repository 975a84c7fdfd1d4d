"""Security events in the audit, and the practice's activity log for therapists (issue #8,
item 6)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from app.db import utcnow
from app.domain.audit import commands as audit
from app.extensions import db
from app.models import (
    AccessEvent,
    Invitation,
    OutboxMessage,
    PasswordResetToken,
    UserSession,
)
from tests.checkins.helpers import NOTE, today
from tests.checkins.helpers import post as check_in
from tests.conftest import log_in
from tests.consent.helpers import latest_consent, sign, start
from tests.factories import PASSWORD, make_team
from tests.threads.helpers import say

WRONG = "CANARY wrong password 1"
CHANGED = "CANARY changed password 2"
RESET = "CANARY reset password 3"
PURPOSE = "CANARY-consent-purpose"
MESSAGE = "CANARY-message-body"
UNKNOWN = "canary-unknown@example.org"


def _token(template: str) -> str:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.template == template)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return message.params["token"]


def _security_actions(app, team) -> list[str]:
    """Signs in and out, fails, gets locked, changes and resets a password, starts, signs and
    withdraws a consent, checks in, posts, invites and downloads; returns the secrets used."""
    guest = app.test_client()
    for _ in range(5):
        log_in(guest, UNKNOWN, WRONG)
    log_in(guest, team.guardian.email, WRONG)

    guardian = app.test_client()
    assert log_in(guardian, team.guardian.email).status_code == 302
    changed = guardian.post(
        "/account/password", data={"current": PASSWORD, "password": CHANGED, "confirm": CHANGED}
    )
    assert changed.status_code == 302, changed.text
    guardian.post("/logout")
    guardian.post("/reset", data={"email": team.guardian.email})
    reset_token = _token("password_reset")
    reset = guardian.post(f"/reset/{reset_token}", data={"password": RESET, "confirm": RESET})
    assert reset.status_code == 302

    parent, teen = app.test_client(), app.test_client()
    log_in(parent, team.guardian2.email)
    log_in(teen, team.teen.email)
    assert start(parent, team, signer="guardian2", purpose=PURPOSE).status_code == 302
    consent = latest_consent()
    assert sign(teen, team, consent).status_code == 302
    parent.post(f"/teams/{team.id}/consents/{consent.id}/revoke")
    assert check_in(teen, today(team), note=NOTE).status_code in (200, 302)
    say(team, "teen", "teen-therapist", MESSAGE)

    therapist = app.test_client()
    log_in(therapist, team.therapist.email)
    therapist.post(
        f"/therapist/teams/{team.id}/invitations",
        data={"email": "new-person@example.org", "role": "guardian", "relation_label": ""},
    )
    invitation_token = _token("invitation")
    assert therapist.get(f"/therapist/teams/{team.id}/checkins.csv").status_code == 200

    hashes = [
        *db.session.scalars(select(UserSession.token_hash)),
        *db.session.scalars(select(Invitation.token_hash)),
        *db.session.scalars(select(PasswordResetToken.token_hash)),
    ]
    return [WRONG, CHANGED, RESET, PASSWORD, reset_token, invitation_token, *hashes]


def test_the_audit_holds_security_events_and_no_secret(app, team):
    secrets = _security_actions(app, team)
    canaries = [PURPOSE, NOTE, MESSAGE, UNKNOWN, *(user.email for user in team.users.values())]

    events = db.session.scalars(select(AccessEvent).order_by(AccessEvent.id)).all()
    columns = [column.key for column in AccessEvent.__table__.columns]
    for event in events:
        for column in columns:
            text = json.dumps(getattr(event, column), default=str).casefold()
            for secret in [*secrets, *canaries]:
                assert secret.casefold() not in text, (event.action, column)
            assert "@" not in text, (event.action, column)

    actions = {event.action for event in events}
    assert actions >= {
        "auth.login",
        "auth.login_failed",
        "auth.lockout",
        "auth.logout",
        "account.password_changed",
        "account.password_reset_requested",
        "account.password_reset",
        "consent.start",
        "consent.sign",
        "consent.revoke",
        "checkin.export",
    }
    for event in events:
        if event.action in {"auth.login", "auth.login_failed", "auth.lockout", "auth.logout"}:
            assert event.detail.get("address") == "127.0.0.1", event.action
    unknown = [e for e in events if e.action == "auth.login_failed" and e.user_id is None]
    assert len(unknown) == 5
    assert all(len(e.detail["account_key"]) == 64 for e in unknown)


# -- the therapist's page --------------------------------------------------------------------


def _events(team, count: int, action: str = "plan.view") -> None:
    for _ in range(count):
        audit.record(
            action,
            user=team.guardian,
            membership=team.memberships["guardian"],
            page="current",
        )
    db.session.commit()


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return body.count("<tr>")


def test_the_log_shows_the_practice_with_names_roles_and_labels(client, team, login_as):
    _events(team, 1)
    audit.record("auth.login", user=team.teen, address="192.0.2.1")
    audit.record("consent.revoke", user=team.teen, membership=team.memberships["teen"])
    audit.record("auth.something_new", user=team.guardian2)
    db.session.commit()
    login_as("therapist")

    page = client.get("/therapist/audit")
    assert page.status_code == 200
    assert "Practice activity log" in page.text
    assert f'{team.guardian.name} <span class="meta">(Parent or guardian)</span>' in page.text
    assert "Read the care plan" in page.text
    assert "Withdrew a consent" in page.text
    assert "Signed in" in page.text
    assert "Other activity (auth.something_new)" in page.text
    assert "192.0.2.1" not in page.text
    assert f'href="/therapist/teams/{team.id}"' in page.text
    assert "Practice activity log" in client.get("/therapist/").text


def test_the_log_filters_by_kind(client, team, login_as):
    _events(team, 2)
    audit.record("consent.sign", user=team.teen, membership=team.memberships["teen"])
    audit.record("account.password_changed", user=team.school)
    db.session.commit()
    login_as("therapist")

    consent = client.get("/therapist/audit?kind=consent").text
    assert _rows(consent) == 1
    assert "Signed a consent" in consent
    security = client.get("/therapist/audit?kind=security").text
    assert _rows(security) == 1
    assert "Changed their password" in security
    signin = client.get("/therapist/audit?kind=signin").text
    assert "Signed in" in signin  # the therapist's own sign-in
    assert "Read the care plan" not in signin

    bad = client.get("/therapist/audit?kind=nonsense")
    assert bad.status_code == 200
    assert 'id="kind-error"' in bad.text
    assert "Please choose one of the kinds in the list." in bad.text


def test_another_practices_events_never_appear(app, client, team, other_team, login_as):
    _events(other_team, 3)
    audit.record("auth.login", user=other_team.teen, address="192.0.2.9")
    audit.record("account.password_changed", user=other_team.guardian)
    audit.record("auth.login_failed", account_key="f" * 64, address="192.0.2.9")
    db.session.commit()
    stranger = app.test_client()
    log_in(stranger, other_team.therapist.email)  # their sign-in is theirs alone
    login_as("therapist")

    text = client.get("/therapist/audit").text
    for user in other_team.users.values():
        assert user.name not in text
    assert other_team.team.teen_name not in text
    assert "Failed to sign in" not in text
    assert _rows(text) == 1  # this therapist's own sign-in


def test_records_open_only_on_teams_the_therapist_leads(client, team, login_as):
    colleague = make_team(team.practice)  # same practice, another therapist's team
    _events(colleague, 1)
    login_as("therapist")
    text = client.get("/therapist/audit?kind=access").text
    assert colleague.guardian.name in text  # the practice's log: visible
    assert f"/therapist/teams/{colleague.id}" not in text  # but not openable from here


def test_not_for_other_roles(client, team, login_as):
    login_as("guardian")
    assert client.get("/therapist/audit").status_code == 404


def test_fifty_a_page_newest_first(client, team, login_as):
    start = utcnow() - timedelta(days=1)
    for n in range(60):
        db.session.add(
            AccessEvent(
                action="plan.view",
                user_id=team.guardian.id,
                membership_id=team.memberships["guardian"].id,
                team_id=team.id,
                detail={"page": "current" if n else "history"},
                at=start + timedelta(minutes=n),
            )
        )
    db.session.commit()
    login_as("therapist")
    first = client.get("/therapist/audit?kind=access").text
    assert _rows(first) == 50
    assert "Looked at the list of plan versions" not in first  # the oldest
    assert "page=2" in first
    second = client.get("/therapist/audit?kind=access&page=2").text
    assert _rows(second) == 10
    assert "Looked at the list of plan versions" in second
    assert "page=3" not in second


def test_queries_do_not_grow_with_rows(client, team, login_as, count_queries):
    _events(team, 3)
    login_as("therapist")
    client.get("/therapist/audit")
    before = count_queries.count
    client.get("/therapist/audit")
    few = count_queries.count - before

    _events(team, 40)
    audit.record("consent.sign", user=team.teen, membership=team.memberships["teen"])
    audit.record("auth.login", user=team.school, address="192.0.2.3")
    db.session.commit()
    before = count_queries.count
    text = client.get("/therapist/audit").text
    many = count_queries.count - before
    assert _rows(text) > 40
    assert many == few


def test_rows_show_times_in_the_readers_time_zone(client, team, login_as):
    team.therapist.timezone = "America/New_York"
    db.session.add(
        AccessEvent(
            action="plan.view",
            user_id=team.guardian.id,
            team_id=team.id,
            detail={"page": "current"},
            at=utcnow().replace(year=2030, month=1, day=2, hour=3, minute=4),
        )
    )
    db.session.commit()
    login_as("therapist")
    text = client.get("/therapist/audit?kind=access").text
    assert re.search(r"1/1/30,? 10:04\s?PM", text), text
