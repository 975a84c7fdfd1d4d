"""Two-factor sign-in: enrolment, the second sign-in step, recovery codes, replay, and the
rule that therapists must use it."""

import base64
import html
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from app import config
from app.domain.accounts import lockout
from app.extensions import db
from app.models import AccessEvent, LoginFailure, RecoveryCode, User, UserSession
from tests.conftest import log_in
from tests.security.helpers import code_at, turn_on_two_factor


def _events(user, action=None):
    query = select(AccessEvent).where(AccessEvent.user_id == user.id)
    if action:
        query = query.where(AccessEvent.action == action)
    return db.session.scalars(query).all()


def _fresh(user) -> User:
    db.session.expire_all()
    return db.session.get_one(User, user.id)


def _signed_in(client) -> bool:
    return client.get("/account/settings").status_code == 200


# -- enrolment ------------------------------------------------------------------------------


def test_enrolment_with_qr_key_code_and_recovery_codes(client, team, login_as):
    user = login_as("guardian")
    status = client.get("/account/two-factor")
    assert "Off" in status.text
    assert "/account/two-factor/setup" in status.text
    assert "/account/two-factor" in client.get("/account/settings").text

    setup = client.get("/account/two-factor/setup").text
    qr = re.search(r'<img src="data:image/svg\+xml[^"]*" alt="[^"]+">', setup)
    assert qr, "the QR code is an inline image with alt text"
    key = re.search(r"<code[^>]*>([A-Z2-7 ]+)</code>", setup).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    secret = key.replace(" ", "")
    # The same key on a reload, so what was scanned stays valid.
    assert key in client.get("/account/two-factor/setup").text
    stored = _fresh(user).mfa_secret
    assert stored and secret not in stored and len(stored) <= 64

    wrong = client.post("/account/two-factor/setup", data={"code": "123456"})
    assert wrong.status_code == 200
    assert 'id="code-error"' in wrong.text
    assert _fresh(user).mfa_enabled_at is None

    done = client.post("/account/two-factor/setup", data={"code": code_at(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _fresh(user).mfa_enabled_at is not None
    hashes = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    ).all()
    assert len(hashes) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in hashes)
    assert _events(user, "auth.mfa_enabled")
    assert "On" in client.get("/account/two-factor").text


def test_the_qr_svg_needs_no_inline_style(client, team, login_as):
    login_as("guardian")
    setup = client.get("/account/two-factor/setup").text
    uri = html.unescape(re.search(r'src="(data:image/svg\+xml[^"]*)"', setup).group(1))
    _, _, payload = uri.partition(",")
    svg = base64.b64decode(payload).decode() if ";base64" in uri else unquote(payload)
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    assert "style" not in svg.lower()


@pytest.mark.parametrize("code", ["", "abc", "12345", "1" * 200, "１２３４５６"])
def test_bad_codes_get_a_message_next_to_the_field(client, team, login_as, code):
    login_as("guardian")
    client.get("/account/two-factor/setup")
    response = client.post("/account/two-factor/setup", data={"code": code})
    assert response.status_code == 200
    assert 'id="code-error"' in response.text


# -- signing in -------------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_before_starting_a_session(client, team):
    secret, _codes = turn_on_two_factor(team.guardian)
    response = client.post(
        "/login?next=/account/sessions",
        data={"email": team.guardian.email, "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/login/two-factor"
    assert db.session.scalars(select(UserSession)).all() == []
    assert not _signed_in(client)

    page = client.get("/login/two-factor")
    assert 'autocomplete="one-time-code"' in page.text
    wrong = client.post("/login/two-factor", data={"code": "000000"})
    assert 'id="code-error"' in wrong.text
    assert len(db.session.scalars(select(LoginFailure)).all()) == 1
    assert _events(team.guardian, "auth.mfa_failed")

    right = client.post("/login/two-factor", data={"code": code_at(secret)})
    assert right.headers["Location"] == "/account/sessions"
    assert _signed_in(client)
    assert len(db.session.scalars(select(UserSession)).all()) == 1


def test_a_code_cannot_be_used_twice(app, client, team):
    secret, _codes = turn_on_two_factor(team.guardian)
    code = code_at(secret)
    log_in(client, team.guardian.email)
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302

    other = app.test_client()
    log_in(other, team.guardian.email)
    replay = other.post("/login/two-factor", data={"code": code})
    assert replay.status_code == 200
    assert "That code does not match" in replay.text
    assert not _signed_in(other)
    # The next step's code is still good: only the used step and older ones are refused.
    assert other.post("/login/two-factor", data={"code": code_at(secret, 1)}).status_code == 302


def test_a_recovery_code_works_once_and_says_how_many_are_left(app, client, team):
    _secret, codes = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    response = client.post(
        "/login/two-factor",
        data={"code": codes[0].upper().replace("-", " ")},
        follow_redirects=True,
    )
    assert "9 recovery codes are left" in response.text
    assert _signed_in(client)
    used = _events(team.guardian, "auth.recovery_code_used")
    assert len(used) == 1

    other = app.test_client()
    log_in(other, team.guardian.email)
    again = other.post("/login/two-factor", data={"code": codes[0]})
    assert "That code does not match" in again.text
    assert not _signed_in(other)


def test_the_pending_step_expires_after_five_minutes(client, team):
    secret, _codes = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    with client.session_transaction() as session:
        session["mfa_pending"]["at"] -= 301
        session.modified = True
    response = client.post("/login/two-factor", data={"code": code_at(secret)})
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_too_many_wrong_codes_ask_for_the_password_again(client, team):
    secret, _codes = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    for _ in range(5):
        assert client.post("/login/two-factor", data={"code": "000000"}).status_code == 200
    response = client.post("/login/two-factor", data={"code": code_at(secret)})
    assert response.headers["Location"] == "/login"


def test_while_locked_even_the_right_code_is_refused(client, team):
    secret, _codes = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    for _ in range(8):
        lockout.record_failure(team.guardian.email, "203.0.113.9")
    db.session.commit()
    response = client.post("/login/two-factor", data={"code": code_at(secret)})
    assert response.status_code == 200
    assert 'id="code-error"' in response.text
    assert "Too many attempts" in response.text
    assert not _signed_in(client)


def test_the_code_page_without_a_password_first_goes_to_sign_in(client, team):
    assert client.get("/login/two-factor").headers["Location"] == "/login"


# -- managing it --------------------------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(app, client, team, login_as):
    secret, old = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    client.post("/login/two-factor", data={"code": code_at(secret)})
    response = client.post("/account/two-factor/recovery-codes")
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert _events(team.guardian, "auth.recovery_codes_regenerated")

    other = app.test_client()
    log_in(other, team.guardian.email)
    assert other.post("/login/two-factor", data={"code": old[1]}).status_code == 200
    assert other.post("/login/two-factor", data={"code": new[1]}).status_code == 302


def test_a_guardian_may_turn_it_off(client, team):
    secret, _codes = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    client.post("/login/two-factor", data={"code": code_at(secret)})
    response = client.post("/account/two-factor/disable", follow_redirects=True)
    assert "Two-factor sign-in is off." in response.text
    user = _fresh(team.guardian)
    assert user.mfa_enabled_at is None and user.mfa_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert _events(team.guardian, "auth.mfa_disabled")
    client.post("/logout")
    assert log_in(client, team.guardian.email).headers["Location"] == "/"


def test_a_therapist_cannot_turn_it_off_when_it_is_required(app, client, team):
    app.config["MFA_REQUIRED_FOR_THERAPISTS"] = True
    secret, _codes = turn_on_two_factor(team.therapist)
    log_in(client, team.therapist.email)
    client.post("/login/two-factor", data={"code": code_at(secret)})
    assert "Turn off two-factor" not in client.get("/account/two-factor").text
    response = client.post("/account/two-factor/disable", follow_redirects=True)
    assert "Therapists need two-factor sign-in, so it stays on." in response.text
    assert _fresh(team.therapist).mfa_enabled_at is not None


def test_audit_details_hold_no_codes_or_secrets(client, team):
    secret, codes = turn_on_two_factor(team.guardian)
    log_in(client, team.guardian.email)
    client.post("/login/two-factor", data={"code": "000000"})
    client.post("/login/two-factor", data={"code": codes[0]})
    stored = _fresh(team.guardian).mfa_secret
    for event in _events(team.guardian):
        text = str(event.detail)
        assert secret not in text and stored not in text
        assert not any(code in text or code.replace("-", "") in text for code in codes)
        assert "000000" not in text


# -- required for therapists ------------------------------------------------------------------


def test_a_therapist_without_it_is_sent_to_enrol_on_every_page(app, client, team, login_as):
    app.config["MFA_REQUIRED_FOR_THERAPISTS"] = True
    login_as("therapist")
    for path in ("/therapist/", "/account/settings", f"/therapist/teams/{team.id}"):
        response = client.get(path)
        assert response.headers["Location"] == "/account/two-factor", path
    status = client.get("/account/two-factor")
    assert "Therapists need two-factor sign-in" in status.text
    assert client.get("/account/two-factor/setup").status_code == 200
    assert client.get("/help").status_code == 200
    assert client.post("/logout").headers["Location"] == "/login"


def test_after_enrolling_the_therapist_gets_in(app, client, team, login_as):
    app.config["MFA_REQUIRED_FOR_THERAPISTS"] = True
    login_as("therapist")
    setup = client.get("/account/two-factor/setup").text
    secret = re.search(r"<code[^>]*>([A-Z2-7 ]+)</code>", setup).group(1).replace(" ", "")
    client.post("/account/two-factor/setup", data={"code": code_at(secret)})
    assert client.get("/therapist/").status_code == 200


def test_guardians_are_not_required_to_enrol(app, client, team, login_as):
    app.config["MFA_REQUIRED_FOR_THERAPISTS"] = True
    login_as("guardian")
    assert client.get("/family/").status_code == 200
    assert client.get("/account/settings").status_code == 200


def _make_demo_therapist(team):
    user = db.session.get_one(User, team.therapist.id)
    user.email = "therapist@demo.example"
    db.session.commit()
    return user


def test_demo_therapists_are_exempt_only_in_demo_mode(app, client, team):
    app.config["MFA_REQUIRED_FOR_THERAPISTS"] = True
    user = _make_demo_therapist(team)
    app.config["DEMO"] = True
    log_in(client, user.email)
    page = client.get("/therapist/")
    assert page.status_code == 200
    assert "Demo accounts skip two-factor sign-in." in page.text

    app.config["DEMO"] = False
    assert client.get("/therapist/").headers["Location"] == "/account/two-factor"


def test_a_demo_address_in_production_is_not_exempt(app, client, team):
    app.config.update(MFA_REQUIRED_FOR_THERAPISTS=True, DEMO=True, ENV_NAME="production")
    user = _make_demo_therapist(team)
    log_in(client, user.email)
    assert client.get("/therapist/").headers["Location"] == "/account/two-factor"


def test_production_always_requires_it(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("MFA_REQUIRED_FOR_THERAPISTS", "false")
    assert config.load("production", str(tmp_path))["MFA_REQUIRED_FOR_THERAPISTS"] is True
    assert config.load("production", str(tmp_path))["DEMO"] is False
    monkeypatch.delenv("MFA_REQUIRED_FOR_THERAPISTS")
    assert config.load("development", str(tmp_path))["MFA_REQUIRED_FOR_THERAPISTS"] is True
    assert config.load("testing", str(tmp_path))["MFA_REQUIRED_FOR_THERAPISTS"] is False
