"""Data rights: downloading your account data and the teen's record, and deleting an account.

Canary strings planted in the plan, the check-ins and the threads prove that an export holds
exactly what the person reads in the app, never more."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.content.modules import Audience, library
from app.db import utcnow
from app.domain.accounts import commands as accounts
from app.domain.consent import commands as consents
from app.domain.plans import commands as plans
from app.domain.teams import commands as teams
from app.extensions import db
from app.models import (
    AccessEvent,
    CheckIn,
    IdempotencyKey,
    Invitation,
    Membership,
    ModuleProgress,
    OutboxMessage,
    PasswordResetToken,
    RecoveryCode,
    Role,
    TeamStatus,
    User,
    UserSession,
)
from tests.checkins.helpers import NOTE, add, summary_consent
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user
from tests.plans.helpers import CLINICAL, FAMILY, NOBODY, SCHOOL, TEEN_ONLY, save
from tests.security.helpers import turn_on_two_factor
from tests.threads.helpers import say, url

TEEN_THREAD = "CANARY-teen-and-therapist-only"
FAMILY_THREAD = "CANARY-family-thread"
OTHER_GUARDIAN = "CANARY-written-by-the-other-guardian"


def download(client, path: str):
    response = client.post(path)
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    return response.text, json.loads(response.text)


SECRET_WORDS = ("password", "secret", "token", "hash", "code")


def keys_of(value) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def sign_in_long_ago() -> None:
    """The only open session signed in an hour ago (still active, so not timed out)."""
    record = db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).one()
    record.created_at = utcnow() - timedelta(hours=1)
    record.last_seen_at = utcnow()
    db.session.commit()


def record_path(team, key: str) -> str:
    return f"/account/data/record/{team.memberships[key].id}"


def actions_of(user: User) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(AccessEvent.action).where(AccessEvent.user_id == user.id))
    )


@pytest.fixture
def record(team):
    """A team whose plan, check-ins and threads each hold a canary."""
    save(team)
    add(team, date.today() - timedelta(days=1), urge=2, note=NOTE)
    say(team, "teen", "teen-therapist", TEEN_THREAD)
    say(team, "teen", "family", FAMILY_THREAD)
    return team


# -- the pages ------------------------------------------------------------------------------


def test_settings_link_to_the_data_page(client, login_as):
    login_as("guardian")
    assert 'href="/account/data"' in client.get("/account/settings").text
    page = client.get("/account/data").text
    assert 'action="/account/data/account"' in page
    assert 'href="/account/delete"' in page


def test_the_record_is_offered_to_the_teen_and_guardians_only(client, team, login_as):
    for key, offered in (("teen", True), ("guardian", True), ("school", False)):
        login_as(key)
        page = client.get("/account/data").text
        assert (record_path(team, key) in page) is offered, key
        client.post("/logout")
    login_as("therapist")
    assert "/account/data/record/" not in client.get("/account/data").text


def test_nobody_else_downloads_a_record(client, team, other_team, login_as):
    login_as("therapist")
    assert client.post(record_path(team, "therapist")).status_code == 404
    client.post("/logout")
    login_as("school")
    assert client.post(record_path(team, "school")).status_code == 404
    client.post("/logout")
    login_as("guardian")
    assert client.post(record_path(other_team, "guardian")).status_code == 404
    assert client.post(record_path(team, "guardian2")).status_code == 404
    assert "record.export" not in actions_of(team.guardian)


def test_a_restricted_guardian_gets_no_record(client, record, login_as):
    guardian = db.session.get_one(Membership, record.memberships["guardian"].id)
    guardian.restricted_at = utcnow()
    guardian.restricted_reason = "A court order limits this parent's access."
    db.session.commit()
    login_as("guardian")
    assert record_path(record, "guardian") not in client.get("/account/data").text
    assert client.post(record_path(record, "guardian")).status_code == 404
    # Their own account data is still theirs to download.
    download(client, "/account/data/account")


# -- the teen's record ----------------------------------------------------------------------


def test_a_guardians_record_holds_only_what_guardians_see(client, record, login_as):
    login_as("guardian")
    text, document = download(client, record_path(record, "guardian"))
    for hidden in (CLINICAL, TEEN_ONLY, NOBODY, NOTE, TEEN_THREAD):
        assert hidden not in text, hidden
    for shown in (FAMILY, SCHOOL, FAMILY_THREAD):
        assert shown in text, shown
    assert "checkins" not in document
    assert "checkin_summary" not in document  # no consent: nothing about check-ins at all
    assert all("seen_by" not in item for item in document["plan"]["items"])
    assert {c["thread"] for c in document["conversations"]} == {"family"}
    assert "record.export" in actions_of(record.guardian)


def test_with_the_teens_consent_a_guardian_gets_the_summary_only(client, record, login_as):
    summary_consent(record)
    login_as("guardian")
    text, document = download(client, record_path(record, "guardian"))
    assert document["checkin_summary"] == {"checked_in_today": False, "week_average_urge": 2.0}
    assert "checkins" not in document
    assert NOTE not in text
    assert [c["scope"] for c in document["consents"]] == ["checkin_summary"]
    signers = {s["role"] for s in document["consents"][0]["signatures"]}
    assert signers == {"guardian", "teen"}


def test_the_teens_record_holds_every_check_in_and_their_own_items(client, record, login_as):
    login_as("teen")
    text, document = download(client, record_path(record, "teen"))
    for shown in (TEEN_ONLY, FAMILY, SCHOOL, NOTE, TEEN_THREAD, FAMILY_THREAD):
        assert shown in text, shown
    for hidden in (CLINICAL, NOBODY):
        assert hidden not in text, hidden
    [checkin] = document["checkins"]
    assert checkin["urge"] == 2
    assert checkin["note"] == NOTE
    assert all("seen_by" in item for item in document["plan"]["items"])


def test_the_record_lists_who_has_seen_it_and_its_download_is_listed_too(client, record, login_as):
    login_as("guardian")
    assert client.get("/family/plan").status_code == 200
    download(client, record_path(record, "guardian"))
    client.post("/logout")
    login_as("teen")
    _, document = download(client, record_path(record, "teen"))
    seen = {(view["who"], view["what"]) for view in document["record_views"]}
    assert (record.guardian.name, "Read the care plan") in seen
    assert (record.guardian.name, "Downloaded the teen's record") in seen
    assert all(view["who"] != record.teen.name for view in document["record_views"])


# -- your account data ----------------------------------------------------------------------


def test_account_data_holds_your_own_data_and_no_secret(client, record, login_as):
    guardian = login_as("guardian")
    _, codes = turn_on_two_factor(guardian)
    accounts.request_password_reset(guardian.email, "en")
    member = record.memberships["guardian"]
    module = library().for_audiences(frozenset({Audience.GUARDIAN}), "en")[0]
    scenario = module.scenarios[0]
    db.session.add(
        ModuleProgress(
            team_id=record.id,
            membership_id=member.id,
            module_slug=module.slug,
            answers={scenario.id: 1},
        )
    )
    plans.acknowledge(member, guardian, plans.version(record.id))
    db.session.commit()
    say(record, "guardian", "family", "CANARY-my-own-words")
    say(record, "guardian2", "family", OTHER_GUARDIAN)
    summary_consent(record)

    text, document = download(client, "/account/data/account")

    profile = document["profile"]
    assert (profile["name"], profile["email"]) == (guardian.name, guardian.email)
    assert profile["two_factor_on"] is True
    assert [(m["team"]["id"], m["role"]) for m in document["memberships"]] == [
        (record.id, "guardian")
    ]
    assert document["sessions"][0]["browser"] is not None
    assert [m["text"] for m in document["messages"]] == ["CANARY-my-own-words"]
    assert document["modules"][0]["answers"] == [
        {"question": scenario.prompt, "answer": scenario.options[0].text}
    ]
    assert document["acknowledgements"][0]["kind"] == "read"
    assert document["consents_signed"][0]["typed_name"] == guardian.name
    assert "auth.login" in {event["action"] for event in document["activity"]}
    # Nobody else's private data: not the other guardian's words, nor the teen's.
    for private in (OTHER_GUARDIAN, FAMILY_THREAD, NOTE, TEEN_THREAD):
        assert private not in text
    # No secret of any kind.
    db.session.expire_all()
    user = db.session.get_one(User, guardian.id)
    secrets = [user.password_hash, user.mfa_secret, *codes]
    secrets += db.session.scalars(select(UserSession.token_hash)).all()
    secrets += db.session.scalars(select(PasswordResetToken.token_hash)).all()
    secrets += db.session.scalars(select(RecoveryCode.code_hash)).all()
    for secret in secrets:
        assert secret and secret not in text
    assert not {k for k in keys_of(document) if any(w in k for w in SECRET_WORDS)}
    assert "account.export" in actions_of(guardian)


# -- re-authentication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "back"),
    [
        ("get", "/account/data", "/account/data"),
        ("post", "/account/data/account", "/account/data"),
        ("post", "record", "/account/data"),
        ("get", "/account/delete", "/account/delete"),
        ("post", "/account/delete", "/account/delete"),
    ],
)
def test_every_step_asks_for_the_password_when_the_sign_in_is_old(
    client, team, login_as, method, path, back
):
    login_as("guardian")
    sign_in_long_ago()
    path = record_path(team, "guardian") if path == "record" else path
    response = getattr(client, method)(path, data={"confirm": "DELETE"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/confirm?next=")
    assert back in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get_one(User, team.guardian.id).deleted_at is None
    assert not {"account.export", "record.export"} & set(actions_of(team.guardian))


# -- deleting an account --------------------------------------------------------------------


def test_the_delete_page_explains_and_wants_the_word_typed(client, login_as, team):
    login_as("guardian")
    page = client.get("/account/delete").text
    assert "What the practice keeps" in page
    assert "a former member" in page
    refused = client.post("/account/delete", data={"confirm": "yes"})
    assert refused.status_code == 200
    assert 'id="confirm-error"' in refused.text
    assert 'aria-describedby="confirm-error"' in refused.text
    db.session.expire_all()
    assert db.session.get_one(User, team.guardian.id).deleted_at is None


def test_deleting_removes_the_persons_data_and_keeps_the_record(
    client, record, other_team, login_as
):
    guardian = login_as("guardian")
    turn_on_two_factor(guardian)
    old_email = guardian.email
    member = record.memberships["guardian"]
    teams.invite(
        other_team.memberships["therapist"],
        other_team.therapist,
        email=old_email,
        role=Role.GUARDIAN,
    )
    accounts.request_password_reset(old_email, "en")
    db.session.add(IdempotencyKey(user_id=guardian.id, key="k" * 20, endpoint="consent.new"))
    db.session.add(
        ModuleProgress(
            team_id=record.id, membership_id=member.id, module_slug="listen-first", answers={}
        )
    )
    db.session.commit()
    say(record, "guardian", "family", "CANARY-stays-with-the-practice")
    summary_consent(record)

    response = client.post("/account/delete", data={"confirm": "delete"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"

    db.session.expire_all()
    user = db.session.get_one(User, guardian.id)
    assert user.deleted_at is not None
    assert user.name == ""
    assert user.email == f"deleted-{user.id}@invalid"
    assert user.mfa_secret is None and user.mfa_enabled_at is None
    for model, owner in (
        (RecoveryCode, RecoveryCode.user_id == user.id),
        (PasswordResetToken, PasswordResetToken.user_id == user.id),
        (IdempotencyKey, IdempotencyKey.user_id == user.id),
        (ModuleProgress, ModuleProgress.membership_id == member.id),
    ):
        assert db.session.scalar(select(func.count()).select_from(model).where(owner)) == 0
    assert not db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    invitation = db.session.scalars(select(Invitation).where(Invitation.email == old_email)).one()
    assert invitation.revoked_at is not None
    # The record stays with the practice: the membership, its message and its signature.
    assert db.session.get(Membership, member.id) is not None
    kept = consents.team_consents(record.id)[0]
    assert {s.membership_id for s in kept.signatures} >= {member.id}
    assert "account.deleted" in actions_of(user)
    # This browser is signed out.
    assert client.get("/family/").status_code == 302


def test_a_deleted_person_never_signs_in_again_and_reset_does_nothing(client, team, login_as):
    guardian = login_as("guardian")
    old_email = guardian.email
    assert client.post("/account/delete", data={"confirm": "DELETE"}).status_code == 302
    user = db.session.get_one(User, guardian.id)

    refused = log_in(client, old_email, PASSWORD)
    assert refused.status_code == 200
    assert "That email and password do not match an account." in refused.text
    assert log_in(client, user.email, PASSWORD).status_code == 200  # the placeholder neither
    db.session.expire_all()
    assert not db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()

    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert client.post("/reset", data={"email": old_email}).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 0


def test_messages_of_a_deleted_member_show_as_from_a_former_member(client, team, login_as):
    say(team, "guardian2", "family", "Still worth reading")
    former_name = team.guardian2.name
    login_as("guardian2")
    assert client.post("/account/delete", data={"confirm": "DELETE"}).status_code == 302

    login_as("guardian")
    page = client.get(url(team, "family")).text
    assert "Still worth reading" in page
    assert "A former member" in page
    assert former_name not in page
    assert former_name not in client.get("/family/").text  # gone from the member list
    # Nothing is ever queued for the erased address.
    say(team, "teen", "family", "A new message")
    db.session.expire_all()
    assert not db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email.like("%@invalid"))
    ).all()


def test_the_last_therapist_hands_over_before_deleting(client, team, login_as):
    therapist = login_as("therapist")
    page = client.get("/account/delete").text
    assert "You are the only therapist on an active care team." in page
    assert 'name="confirm"' not in page
    client.post("/account/delete", data={"confirm": "DELETE"})
    db.session.expire_all()
    assert db.session.get_one(User, therapist.id).deleted_at is None

    # With a colleague on the team, the therapist may go; their plan versions stay, shown as
    # saved by a former member.
    colleague = make_user()
    db.session.add(Membership(user_id=colleague.id, team_id=team.id, role=Role.THERAPIST))
    db.session.commit()
    save(team)
    assert client.post("/account/delete", data={"confirm": "DELETE"}).status_code == 302
    db.session.expire_all()
    assert db.session.get_one(User, therapist.id).deleted_at is not None
    login_as("guardian")
    assert "by a former member" in client.get("/family/plan").text


def test_a_closed_team_does_not_hold_its_therapist_back(client, team, login_as):
    team.team.status = TeamStatus.CLOSED
    db.session.commit()
    login_as("therapist")
    assert client.post("/account/delete", data={"confirm": "DELETE"}).status_code == 302


def test_a_teen_may_delete_their_account_and_the_record_stays(client, record, login_as):
    login_as("teen")
    assert client.post("/account/delete", data={"confirm": "DELETE"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    login_as("therapist")
    page = client.get(url(record, "teen-therapist")).text
    assert TEEN_THREAD in page
    assert "A former member" in page
