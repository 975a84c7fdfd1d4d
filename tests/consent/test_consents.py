from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.db import utcnow
from app.domain.consent import commands as consents
from app.extensions import db
from app.models import AccessEvent, Consent, ConsentRule, ConsentSignature, OutboxMessage
from tests.conftest import log_in
from tests.consent.helpers import latest_consent, sign, start, start_form
from tests.plans.helpers import CLINICAL, FAMILY, SCHOOL, TEEN_ONLY, save


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _school_sees_plan(app, team) -> bool:
    counselor = app.test_client()
    log_in(counselor, team.school.email)
    status = counselor.get("/school/plan").status_code
    assert status in (200, 404)
    return status == 200


def test_consent_is_in_force_only_once_everyone_needed_has_signed(app, client, team):
    save(team)
    log_in(client, team.guardian.email)
    assert start(client, team).status_code == 302
    consent = latest_consent()
    assert consent.text_version == consents.TEXT_VERSION
    assert team.school.name in consent.text
    assert not _school_sees_plan(app, team)  # the rule (both) still needs the teen

    teen = app.test_client()
    log_in(teen, team.teen.email)
    assert sign(teen, team, consent).status_code == 302
    assert _school_sees_plan(app, team)
    counselor = app.test_client()
    log_in(counselor, team.school.email)
    page = counselor.get("/school/plan").text
    assert SCHOOL in page
    for hidden in (CLINICAL, TEEN_ONLY, FAMILY):
        assert hidden not in page


def test_revocation_takes_effect_on_the_very_next_request(app, client, team):
    save(team)
    log_in(client, team.guardian.email)
    start(client, team)
    consent = latest_consent()
    teen = app.test_client()
    log_in(teen, team.teen.email)
    sign(teen, team, consent)
    counselor = app.test_client()
    log_in(counselor, team.school.email)
    assert counselor.get("/school/plan").status_code == 200
    assert teen.post(f"/teams/{team.id}/consents/{consent.id}/revoke").status_code == 302
    assert counselor.get("/school/plan").status_code == 404
    assert _count(Consent) == 1  # nothing is deleted


def test_signing_needs_the_password_and_the_persons_own_name(client, team):
    log_in(client, team.guardian.email)
    wrong_password = client.post(
        f"/teams/{team.id}/consents/new",
        data=start_form(
            "school_plan",
            team.memberships["school"].id,
            team.guardian.name,
            password="nope nope nope",
        ),
    )
    assert wrong_password.status_code == 400
    assert "That is not your password." in wrong_password.text
    wrong_name = client.post(
        f"/teams/{team.id}/consents/new",
        data=start_form("school_plan", team.memberships["school"].id, "Someone Else"),
    )
    assert wrong_name.status_code == 400
    assert "Type your name exactly as it is on your account" in wrong_name.text
    assert _count(Consent) == 0
    assert _count(ConsentSignature) == 0


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (date.today(), date.today() - timedelta(days=1), "on or after the start date"),
        (date.today(), date.today() + timedelta(days=400), "one year at most"),
        (
            date.today() - timedelta(days=2),
            date.today() + timedelta(days=10),
            "cannot start in the past",
        ),
    ],
)
def test_bad_periods_are_refused(client, team, starts, ends, message):
    log_in(client, team.guardian.email)
    response = start(client, team, starts=starts, ends=ends)
    assert response.status_code == 400
    assert message in response.text
    assert _count(Consent) == 0


@pytest.mark.parametrize(
    ("days", "accepted"),
    [(365, True), (366, False)],
    ids=["a-full-year-from-today-to-the-same-day-next-year", "one-day-more"],
)
def test_a_consent_lasts_one_year_at_most_to_the_day(client, team, days, accepted):
    log_in(client, team.guardian.email)
    response = start(client, team, starts=date.today(), ends=date.today() + timedelta(days=days))
    assert (response.status_code == 302) is accepted, response.text
    assert ("one year at most" in response.text) is not accepted
    assert _count(Consent) == (1 if accepted else 0)


def test_a_school_scope_needs_a_counselor_of_this_team(client, team, other_team):
    log_in(client, team.guardian.email)
    data = start_form("school_plan", other_team.memberships["school"].id, team.guardian.name)
    response = client.post(f"/teams/{team.id}/consents/new", data=data)
    assert response.status_code == 400
    assert "Choose a school counselor on this care team" in response.text


def test_signing_what_is_not_yours_to_sign(app, client, team, other_team):
    log_in(client, team.guardian.email)
    start(client, team)
    consent = latest_consent()
    # The counselor is not a signer; another team does not even see it; the starter signed.
    for who, on_team in (("school", team), ("guardian", team), ("teen", other_team)):
        visitor = app.test_client()
        log_in(visitor, on_team.users[who].email)
        response = (
            sign(visitor, team, consent, signer=who)
            if on_team is team
            else visitor.post(
                f"/teams/{team.id}/consents/{consent.id}",
                data={"typed_name": "x", "password": "x"},
            )
        )
        assert response.status_code == 404, who
    assert _count(ConsentSignature) == 1


def test_a_revoked_consent_cannot_be_signed(app, client, team):
    log_in(client, team.guardian.email)
    start(client, team)
    consent = latest_consent()
    client.post(f"/teams/{team.id}/consents/{consent.id}/revoke")
    teen = app.test_client()
    log_in(teen, team.teen.email)
    assert sign(teen, team, consent).status_code == 404
    assert _school_sees_plan(app, team) is False


def test_only_signers_may_revoke(app, client, team):
    log_in(client, team.guardian.email)
    start(client, team)
    consent = latest_consent()
    other_parent = app.test_client()
    log_in(other_parent, team.guardian2.email)
    assert other_parent.post(f"/teams/{team.id}/consents/{consent.id}/revoke").status_code == 404
    assert db.session.get(Consent, consent.id).revoked_at is None


def test_guardian_rule_needs_only_a_guardian(app, client, team):
    team.practice.consent_rule = ConsentRule.GUARDIAN
    db.session.commit()
    save(team)
    log_in(client, team.guardian.email)
    start(client, team)
    assert _school_sees_plan(app, team)
    teen = app.test_client()
    log_in(teen, team.teen.email)
    assert teen.get(f"/teams/{team.id}/consents/new").status_code == 404
    assert teen.get(f"/teams/{team.id}/consents").status_code == 200


def test_below_the_age_of_consent_a_guardian_signs_for_the_teen(app, client, team):
    team.practice.consent_rule = ConsentRule.TEEN
    team.practice.consent_teen_age = 16  # the teen is 15
    db.session.commit()
    save(team)
    log_in(client, team.guardian.email)
    assert start(client, team).status_code == 302
    assert _school_sees_plan(app, team)


def test_teen_rule_lets_the_teen_decide_alone(app, client, team):
    team.practice.consent_rule = ConsentRule.TEEN
    db.session.commit()
    save(team)
    log_in(client, team.guardian.email)
    assert client.get(f"/teams/{team.id}/consents/new").status_code == 404
    teen = app.test_client()
    log_in(teen, team.teen.email)
    assert start(teen, team, signer="teen").status_code == 302
    assert _school_sees_plan(app, team)


def test_a_consent_ends_with_its_period(app, client, team, monkeypatch):
    save(team)
    log_in(client, team.guardian.email)
    start(client, team, ends=date.today() + timedelta(days=5))
    teen = app.test_client()
    log_in(teen, team.teen.email)
    sign(teen, team, latest_consent())
    assert _school_sees_plan(app, team)
    from app.policy import consents as rules

    monkeypatch.setattr(rules, "_today", lambda: date.today() + timedelta(days=6))
    assert not _school_sees_plan(app, team)


def test_consent_history_is_for_the_therapist_guardians_and_teen(client, team):
    log_in(client, team.guardian.email)
    start(client, team)
    for who in ("therapist", "guardian", "guardian2", "teen"):
        client.post("/logout")
        log_in(client, team.users[who].email)
        page = client.get(f"/teams/{team.id}/consents")
        assert page.status_code == 200, who
        assert "Waiting for signatures" in page.text
    client.post("/logout")
    log_in(client, team.school.email)
    assert client.get(f"/teams/{team.id}/consents").status_code == 404


def test_reminder_goes_out_once_two_weeks_before_the_end(app, client, team):
    log_in(client, team.guardian.email)
    start(client, team, ends=date.today() + timedelta(days=10))
    teen = app.test_client()
    log_in(teen, team.teen.email)
    sign(teen, team, latest_consent())
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    runner = app.test_cli_runner()
    assert "2 queued" in runner.invoke(args=["consent-reminders"]).output
    assert "0 queued" in runner.invoke(args=["consent-reminders"]).output
    recipients = sorted(db.session.scalars(select(OutboxMessage.to_email)))
    assert recipients == sorted([team.guardian.email, team.teen.email])


def test_a_restricted_signer_is_not_reminded(app, client, team):
    log_in(client, team.guardian.email)
    start(client, team, ends=date.today() + timedelta(days=10))
    teen = app.test_client()
    log_in(teen, team.teen.email)
    sign(teen, team, latest_consent())
    team.memberships["guardian"].restricted_at = utcnow()
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    output = app.test_cli_runner().invoke(args=["consent-reminders"]).output
    assert "1 queued" in output
    assert list(db.session.scalars(select(OutboxMessage.to_email))) == [team.teen.email]


def test_checkin_summary_consent_names_the_guardians(app, client, team):
    from app.models import Scope
    from app.policy.consents import in_force

    teen = client
    log_in(teen, team.teen.email)
    start(teen, team, signer="teen", scope="checkin_summary")
    log_in(app.test_client(), team.guardian.email)
    guardian_client = app.test_client()
    log_in(guardian_client, team.guardian.email)
    sign(guardian_client, team, latest_consent(), signer="guardian")
    with app.test_request_context():
        assert in_force(team.memberships["guardian"], Scope.CHECKIN_SUMMARY)
        assert in_force(team.memberships["guardian2"], Scope.CHECKIN_SUMMARY)
        assert not in_force(team.memberships["school"], Scope.CHECKIN_SUMMARY)


def test_consent_actions_are_audited(app, client, team):
    log_in(client, team.guardian.email)
    start(client, team)
    client.post(f"/teams/{team.id}/consents/{latest_consent().id}/revoke")
    actions = db.session.scalars(
        select(AccessEvent.action)
        .where(AccessEvent.action.like("consent.%"))
        .order_by(AccessEvent.id)
    ).all()
    assert actions == ["consent.start", "consent.sign", "consent.revoke"]
