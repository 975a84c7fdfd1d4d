"""Acting without consent, never silently; restricting a guardian; who has seen the records."""

from sqlalchemy import select

from app.extensions import db
from app.models import AccessEvent, PlanItem, SafetyDisclosure, Section
from tests.conftest import log_in
from tests.plans.helpers import CLINICAL, SCHOOL, TEEN_ONLY, save

REASON = "She told the counselor she is not safe tonight; the school must act now."


def _key(text):
    return db.session.scalars(select(PlanItem.key).where(PlanItem.text == text)).first()


def test_therapist_shares_one_item_with_the_school_without_consent(app, client, team):
    save(team)
    log_in(client, team.therapist.email)
    response = client.post(
        f"/therapist/teams/{team.id}/safety-share",
        data={"item": _key(TEEN_ONLY), "audience": "school", "reason": REASON},
    )
    assert response.status_code == 302
    counselor = app.test_client()
    log_in(counselor, team.school.email)
    dashboard = counselor.get("/school/").text
    assert TEEN_ONLY in dashboard
    assert REASON not in dashboard  # the school gets the item, not the therapist's reasons
    assert counselor.get("/school/plan").status_code == 404  # still no consent for the plan
    for who in ("teen", "guardian"):
        viewer = app.test_client()
        log_in(viewer, team.users[who].email)
        page = viewer.get("/teen/" if who == "teen" else "/family/").text
        assert TEEN_ONLY in page
        assert REASON in page  # never silent: teen and guardians see what and why
    assert db.session.scalars(
        select(AccessEvent.action).where(AccessEvent.action == "safety.disclose")
    ).one()


def test_clinical_notes_can_never_be_shared(client, team):
    save(team)
    log_in(client, team.therapist.email)
    clinical_key = db.session.scalars(
        select(PlanItem.key).where(PlanItem.section == Section.CLINICAL_NOTES)
    ).first()
    page = client.get(f"/therapist/teams/{team.id}/safety-share").text
    assert CLINICAL not in page
    response = client.post(
        f"/therapist/teams/{team.id}/safety-share",
        data={"item": clinical_key, "audience": "family", "reason": REASON},
    )
    assert response.status_code == 400
    assert db.session.scalars(select(SafetyDisclosure)).first() is None


def test_a_safety_share_needs_a_reason(client, team):
    save(team)
    log_in(client, team.therapist.email)
    response = client.post(
        f"/therapist/teams/{team.id}/safety-share",
        data={"item": _key(SCHOOL), "audience": "family", "reason": "  "},
    )
    assert response.status_code == 400
    assert "Write the reason in a full sentence." in response.text
    assert db.session.scalars(select(SafetyDisclosure)).first() is None


def test_only_the_therapist_may_share_or_restrict(client, team, other_team):
    save(team)
    for who in ("teen", "guardian", "school"):
        log_in(client, team.users[who].email)
        assert client.get(f"/therapist/teams/{team.id}/safety-share").status_code == 404
        client.post("/logout")
    log_in(client, other_team.therapist.email)
    guardian = team.memberships["guardian"].id
    assert client.get(f"/therapist/teams/{team.id}/members/{guardian}/restrict").status_code == 404


def test_a_restricted_guardian_loses_access_and_it_is_recorded(app, client, team):
    save(team)
    log_in(client, team.therapist.email)
    guardian = team.memberships["guardian"]
    form = client.get(f"/therapist/teams/{team.id}/members/{guardian.id}/restrict")
    assert form.status_code == 200
    assert f"Restrict {team.guardian.name}'s access" in form.text
    response = client.post(
        f"/therapist/teams/{team.id}/members/{guardian.id}/restrict",
        data={"reason": "Court order of 3 March limits this parent's access to records."},
    )
    assert response.status_code == 302
    parent = app.test_client()
    log_in(parent, team.guardian.email)
    assert "Your access to this care team is restricted" in parent.get("/family/").text
    for path in ("/family/plan", f"/teams/{team.id}/consents", f"/teams/{team.id}/record-views"):
        assert parent.get(path).status_code == 404, path
    other_parent = app.test_client()
    log_in(other_parent, team.guardian2.email)
    assert other_parent.get("/family/plan").status_code == 200
    review = client.get(f"/therapist/teams/{team.id}/members/{guardian.id}/restrict")
    assert "Court order of 3 March" in review.text
    client.post(f"/therapist/teams/{team.id}/members/{guardian.id}/unrestrict")
    assert parent.get("/family/plan").status_code == 200
    actions = db.session.scalars(
        select(AccessEvent.action)
        .where(AccessEvent.action.like("member.%"))
        .order_by(AccessEvent.id)
    ).all()
    assert actions == ["member.restrict", "member.unrestrict"]


def test_only_guardians_can_be_restricted(client, team):
    log_in(client, team.therapist.email)
    teen = team.memberships["teen"].id
    assert client.get(f"/therapist/teams/{team.id}/members/{teen}/restrict").status_code == 404


def test_who_has_seen_my_records(app, client, team):
    save(team)
    parent = app.test_client()
    log_in(parent, team.guardian.email)
    parent.get("/family/plan")
    log_in(client, team.teen.email)
    client.get("/teen/plan")  # my own view is not listed to me
    page = client.get(f"/teams/{team.id}/record-views").text
    assert team.guardian.name in page
    assert "Read the care plan" in page
    assert page.count("Read the care plan") == 1
    assert "Parent or guardian" in page
    counselor = app.test_client()
    log_in(counselor, team.school.email)
    assert counselor.get(f"/teams/{team.id}/record-views").status_code == 404
