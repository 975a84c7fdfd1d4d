import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db import utcnow
from app.extensions import db
from app.models import OutboxMessage, PasswordResetToken, UserSession
from tests.conftest import log_in
from tests.factories import PASSWORD

DASHBOARDS = {
    "therapist": "/therapist/",
    "guardian": "/family/",
    "teen": "/teen/",
    "school": "/school/",
}


@pytest.mark.parametrize(("role", "dashboard"), DASHBOARDS.items())
def test_each_role_lands_on_its_own_dashboard(client, team, role, dashboard):
    response = log_in(client, team.users[role].email)
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.headers["Location"].endswith(dashboard)
    page = client.get(dashboard)
    assert page.status_code == 200
    assert team.team.teen_name in page.text


def test_email_is_case_insensitive(client, team):
    assert log_in(client, team.guardian.email.upper()).status_code == 302


@pytest.mark.parametrize("email", ["nobody@example.org", "known"])
def test_failed_login_never_reveals_whether_the_account_exists(client, team, email):
    email = team.guardian.email if email == "known" else email
    response = log_in(client, email, "wrong password!!")
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.text
    assert "no account" not in response.text.lower()


def test_login_form_errors_are_next_to_their_fields(client):
    response = client.post("/login", data={"email": "not-an-email", "password": ""})
    assert response.status_code == 200
    assert 'id="email-error"' in response.text
    assert 'aria-describedby="email-error"' in response.text
    assert 'id="password-error"' in response.text
    assert 'value="not-an-email"' in response.text


def _sid(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("sid")


def test_login_issues_a_new_session_identifier_and_records_it(client, team):
    client.get("/login")
    with client.session_transaction() as session:
        session["sid"] = "planted-by-an-attacker"
    log_in(client, team.teen.email)
    sid = _sid(client)
    assert sid
    assert sid != "planted-by-an-attacker"
    records = db.session.scalars(select(UserSession)).all()
    assert len(records) == 1
    assert records[0].token_hash != sid  # only the hash is stored
    assert "remember_token" not in {cookie.key for cookie in client._cookies.values()}


def test_logout_ends_the_session_and_a_copied_cookie_is_refused(app, client, team):
    log_in(client, team.teen.email)
    stolen = client.get_cookie("harbor_session").value
    assert client.get("/teen/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert db.session.scalar(select(UserSession.ended_at)) is not None

    thief = app.test_client()
    thief.set_cookie("harbor_session", stolen)
    response = thief.get("/teen/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_needs_post(client, team):
    log_in(client, team.teen.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/teen/").status_code == 200


def test_session_cookie_flags(client, team):
    response = log_in(client, team.teen.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_last_seen_is_written_at_most_once_a_minute(client, team):
    log_in(client, team.teen.email)
    client.get("/teen/")
    record = db.session.scalars(select(UserSession)).one()
    first_seen = record.last_seen_at
    client.get("/teen/")
    db.session.expire_all()
    assert db.session.scalars(select(UserSession)).one().last_seen_at == first_seen


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_login_never_redirects_off_site(client, team, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": team.teen.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_login_returns_to_a_same_site_page(client, team):
    response = client.post(
        "/login",
        query_string={"next": "/account/settings"},
        data={"email": team.teen.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/account/settings"


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/therapist/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/therapist/")


def test_csrf_token_is_required(app, client, team):
    app.config["WTF_CSRF_ENABLED"] = True
    form = {"email": team.teen.email, "password": PASSWORD}
    refused = client.post("/login", data=form)
    assert refused.status_code == 400
    assert "Please try again" in refused.text
    page = client.get("/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post("/login", data={**form, "csrf_token": token})
    assert accepted.status_code == 302


# --- password reset -------------------------------------------------------------------------


def _reset_token(client, email: str) -> str:
    client.post("/reset", data={"email": email})
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "password_reset")
    ).one()
    return message.params["token"]


def test_reset_request_says_the_same_whether_or_not_the_account_exists(client, team):
    unknown = client.post("/reset", data={"email": "nobody@example.org"})
    known = client.post("/reset", data={"email": team.guardian.email})
    assert unknown.status_code == known.status_code == 200

    def without_csrf(html):  # the token is signed with the current time
        return re.sub(r'name="csrf_token" value="[^"]*"', "", html)

    assert without_csrf(unknown.text) == without_csrf(known.text)
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert [row.to_email for row in rows] == [team.guardian.email]


def test_reset_token_is_stored_hashed_and_works_once(client, team):
    token = _reset_token(client, team.guardian.email)
    stored = db.session.scalars(select(PasswordResetToken)).one()
    assert stored.token_hash != token
    assert token not in stored.token_hash

    form = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert client.post(f"/reset/{token}", data=form).status_code == 302
    assert log_in(client, team.guardian.email, "a brand new passphrase").status_code == 302
    client.post("/logout")

    again = client.post(f"/reset/{token}", data=form)
    assert again.status_code == 410
    assert "Ask for a new link" in again.text


def test_reset_link_expires_after_an_hour(client, team):
    token = _reset_token(client, team.guardian.email)
    stored = db.session.scalars(select(PasswordResetToken)).one()
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/reset/{token}").status_code == 410


def test_forged_reset_token_gets_the_friendly_page(client):
    response = client.get("/reset/not-a-real-token")
    assert response.status_code == 410
    assert "This link no longer works" in response.text


def test_reset_ends_every_signed_in_session(app, client, team):
    other_device = app.test_client()
    log_in(other_device, team.guardian.email)
    token = _reset_token(client, team.guardian.email)
    client.post(
        f"/reset/{token}",
        data={"password": "another good one 42", "confirm": "another good one 42"},
    )
    assert other_device.get("/family/").status_code == 302


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "Use at least 10 characters."),
        ("password123", "password123", "too common"),
        ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "too easy to guess"),
        ("a fine passphrase", "a different one!", "The two passwords are not the same."),
        ("x" * 201, "x" * 201, "Use at most 200 characters."),
    ],
)
def test_weak_new_passwords_are_refused_next_to_the_field(client, team, password, confirm, message):
    token = _reset_token(client, team.guardian.email)
    response = client.post(f"/reset/{token}", data={"password": password, "confirm": confirm})
    assert response.status_code == 200
    assert message in response.text
    assert db.session.scalars(select(PasswordResetToken)).one().used_at is None


def test_change_password_needs_the_current_one_and_signs_out_other_devices(app, client, team):
    other_device = app.test_client()
    log_in(other_device, team.teen.email)
    log_in(client, team.teen.email)
    wrong = client.post(
        "/account/password",
        data={
            "current": "not it at all",
            "password": "new and long enough",
            "confirm": "new and long enough",
        },
    )
    assert "That is not your current password." in wrong.text
    right = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "new and long enough",
            "confirm": "new and long enough",
        },
    )
    assert right.status_code == 302
    assert client.get("/teen/").status_code == 200
    assert other_device.get("/teen/").status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.template == "password_changed")
        )
        == 1
    )
