"""Exports and security changes ask for the password again when the sign-in is not recent."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from sqlalchemy import select

from app.db import utcnow
from app.domain.accounts import lockout
from app.extensions import db
from app.models import AccessEvent, LoginFailure, User, UserSession
from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.security.helpers import turn_on_two_factor


def _age_session(minutes: int = 20, reauthenticated: int | None = None) -> UserSession:
    """Signed in `minutes` ago, active just now (so the idle limit does not end it)."""
    record = db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).one()
    record.created_at = utcnow() - timedelta(minutes=minutes)
    record.last_seen_at = utcnow()
    if reauthenticated is not None:
        record.reauthenticated_at = utcnow() - timedelta(minutes=reauthenticated)
    db.session.commit()
    return record


def _confirm_target(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/confirm"
    return parse_qs(location.query)["next"][0]


def test_a_fresh_sign_in_exports_without_asking_again(client, team, login_as):
    login_as("therapist")
    response = client.get(f"/therapist/teams/{team.id}/checkins.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"


def test_an_old_sign_in_confirms_the_password_then_gets_the_export(client, team, login_as):
    login_as("therapist")
    _age_session()
    export = f"/therapist/teams/{team.id}/checkins.csv"
    assert _confirm_target(client.get(export)) == export

    page = client.get(f"/account/confirm?next={export}")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.text
    assert "Two-factor code" not in page.text  # this account has no second factor

    wrong = client.post("/account/confirm", data={"password": "not it", "next": export})
    assert wrong.status_code == 200
    assert 'id="password-error"' in wrong.text
    assert "That is not your password." in wrong.text
    assert len(db.session.scalars(select(LoginFailure)).all()) == 1
    assert client.get(export).status_code == 302  # still not confirmed

    right = client.post("/account/confirm", data={"password": PASSWORD, "next": export})
    assert right.status_code == 302
    assert right.headers["Location"] == export
    assert client.get(export).status_code == 200
    actions = db.session.scalars(
        select(AccessEvent.action).where(AccessEvent.user_id == team.therapist.id)
    ).all()
    assert "auth.reauth_failed" in actions
    assert "auth.reauthenticated" in actions


def test_a_recent_confirmation_counts_on_an_old_session(client, team, login_as):
    login_as("therapist")
    _age_session(minutes=60, reauthenticated=5)
    assert client.get(f"/therapist/teams/{team.id}/checkins.csv").status_code == 200
    _age_session(minutes=60, reauthenticated=11)
    assert client.get(f"/therapist/teams/{team.id}/checkins.csv").status_code == 302


@pytest.mark.parametrize(
    ("path", "back"),
    [
        ("/account/sessions/end-others", "/account/sessions"),
        ("/account/sessions/end-all", "/account/sessions"),
        ("/account/password", "/account/password"),
    ],
)
def test_a_post_is_not_carried_out_and_asks_to_try_again(client, team, login_as, path, back):
    login_as("guardian")
    record = _age_session()
    response = client.post(path, data={"current": PASSWORD, "password": "x" * 12})
    assert _confirm_target(response) == back
    page = client.get(response.headers["Location"]).text
    assert "Please confirm it&#39;s you, then try again." in page
    db.session.expire_all()
    assert db.session.get(UserSession, record.id).ended_at is None
    assert db.session.get(User, team.guardian.id).password_hash == team.guardian.password_hash


def test_sign_out_everywhere_works_after_confirming(app, client, team, login_as):
    phone = app.test_client()
    log_in(phone, team.guardian.email)
    login_as("guardian")
    records = db.session.scalars(select(UserSession)).all()
    for record in records:
        record.created_at = utcnow() - timedelta(minutes=30)
        record.last_seen_at = utcnow()
    db.session.commit()
    client.post("/account/confirm", data={"password": PASSWORD, "next": "/account/sessions"})
    response = client.post("/account/sessions/end-others")
    assert response.headers["Location"] == "/account/sessions"
    assert phone.get("/family/").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_confirming_never_leaves_the_site(client, team, login_as, target):
    login_as("guardian")
    response = client.post("/account/confirm", data={"password": PASSWORD, "next": target})
    assert response.headers["Location"] == "/account/settings"


def test_with_two_factor_the_code_is_asked_too(client, team, login_as):
    user = login_as("therapist")
    secret, _codes = turn_on_two_factor(user)
    _age_session()
    page = client.get("/account/confirm").text
    assert "Two-factor code" in page

    missing = client.post("/account/confirm", data={"password": PASSWORD})
    assert "Please enter the code from your app." in missing.text
    wrong = client.post("/account/confirm", data={"password": PASSWORD, "code": "000000"})
    assert 'id="code-error"' in wrong.text
    assert db.session.scalar(select(AccessEvent.id).where(AccessEvent.action == "auth.mfa_failed"))
    code = pyotp.TOTP(secret).now()
    right = client.post("/account/confirm", data={"password": PASSWORD, "code": code})
    assert right.status_code == 302
    assert client.get(f"/therapist/teams/{team.id}/checkins.csv").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, team):
    assert client.get("/account/confirm").headers["Location"].startswith("/login")
    response = client.get(f"/therapist/teams/{team.id}/checkins.csv")
    assert response.headers["Location"].startswith("/login")


def test_a_locked_account_cannot_confirm(client, team, login_as):
    login_as("guardian")
    _age_session()
    for _ in range(8):
        lockout.record_failure(team.guardian.email, "203.0.113.9")
    db.session.commit()
    response = client.post("/account/confirm", data={"password": PASSWORD, "next": "/x"})
    assert response.status_code == 200
    assert "Too many attempts" in response.text
    assert 'id="password-error"' in response.text
    assert client.post("/account/sessions/end-all").status_code == 302
    assert client.get("/account/sessions").status_code == 200  # still signed in
