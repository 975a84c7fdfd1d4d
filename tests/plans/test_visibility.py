"""Who sees which part of the plan, on every page that shows it."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccessEvent, PlanAcknowledgement
from tests.conftest import log_in
from tests.plans.helpers import CLINICAL, FAMILY, NOBODY, SCHOOL, TEEN_ONLY, save

TEEN_PAGES = [
    "/teen/",
    "/teen/plan",
    "/teen/plan/history",
    "/teen/plan/versions/1",
    "/teen/plan/versions/2",
    "/teen/plan/diff?from=1&to=2",
    "/teen/help-now",
    "/teen/plan/card",
]
FAMILY_PAGES = [
    "/family/",
    "/family/plan",
    "/family/plan/history",
    "/family/plan/versions/1",
    "/family/plan/diff?from=1&to=2",
]
SCHOOL_PLAN_PAGES = [
    "/school/plan",
    "/school/plan/history",
    "/school/plan/versions/1",
    "/school/plan/diff?from=1&to=2",
]


@pytest.fixture
def two_versions(team):
    save(team)
    save(team)
    return team


def _bodies(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response.text


def test_the_teen_sees_everything_shared_but_never_clinical_notes(client, two_versions):
    log_in(client, two_versions.teen.email)
    for path, body in _bodies(client, TEEN_PAGES):
        assert CLINICAL not in body, path
        assert NOBODY not in body, path
    plan = client.get("/teen/plan").text
    for visible in (TEEN_ONLY, FAMILY, SCHOOL):
        assert visible in plan


def test_guardians_see_family_and_school_items_only(client, two_versions):
    log_in(client, two_versions.guardian.email)
    for path, body in _bodies(client, FAMILY_PAGES):
        for hidden in (CLINICAL, TEEN_ONLY, NOBODY):
            assert hidden not in body, (path, hidden)
    plan = client.get("/family/plan").text
    assert FAMILY in plan
    assert SCHOOL in plan
    assert 'href="tel:+13125550199"' in plan


def test_without_consent_the_school_sees_no_plan_at_all(client, two_versions):
    log_in(client, two_versions.school.email)
    for path in SCHOOL_PLAN_PAGES:
        assert client.get(path).status_code == 404, path
    assert client.post("/school/plan/acknowledge", data={"number": "2"}).status_code == 404
    dashboard = client.get("/school/").text
    for hidden in (CLINICAL, TEEN_ONLY, FAMILY, SCHOOL, NOBODY):
        assert hidden not in dashboard
    assert "No consent for the school plan is in force" in dashboard


def test_the_teen_previews_exactly_what_family_and_school_see(client, two_versions):
    log_in(client, two_versions.teen.email)
    family = client.get("/teen/plan/preview/family").text
    assert FAMILY in family
    assert SCHOOL in family
    assert TEEN_ONLY not in family
    school = client.get("/teen/plan/preview/school").text
    assert SCHOOL in school
    assert FAMILY not in school
    assert TEEN_ONLY not in school
    for body in (family, school):
        assert CLINICAL not in body
    assert client.get("/teen/plan/preview/therapist").status_code == 404


def test_therapist_sees_everything_and_other_teams_get_404(client, two_versions, other_team):
    log_in(client, two_versions.therapist.email)
    plan = client.get(f"/therapist/teams/{two_versions.id}/plan").text
    for text in (CLINICAL, TEEN_ONLY, FAMILY, SCHOOL, NOBODY):
        assert text in plan
    assert "Only therapists see this." in plan
    client.post("/logout")
    log_in(client, other_team.therapist.email)
    for suffix in ("plan", "plan/history", "plan/versions/1", "plan/diff?from=1&to=2", "plan/edit"):
        assert client.get(f"/therapist/teams/{two_versions.id}/{suffix}").status_code == 404


def test_role_portals_do_not_open_another_roles_plan(client, two_versions):
    log_in(client, two_versions.guardian.email)
    for path in ("/teen/plan", "/teen/help-now", "/teen/plan/preview/family", "/school/plan"):
        assert client.get(path).status_code == 404


def test_diff_shows_only_what_the_reader_may_see(client, team):
    from tests.plans.helpers import canary_items

    save(team)
    items = canary_items()
    changed = [
        item.__class__(**{**item.__dict__, "text": item.text + "-v2"})
        if item.text != FAMILY
        else item
        for item in items
    ]
    save(team, items=changed)
    log_in(client, team.guardian.email)
    diff = client.get("/family/plan/diff?from=1&to=2").text
    assert "CANARY-school-v2" in diff
    assert "CANARY-teen-only" not in diff
    assert CLINICAL not in diff


@pytest.mark.parametrize(
    "path", ["/family/plan/versions/9", "/family/plan/diff?from=1&to=9", "/family/plan/diff"]
)
def test_missing_versions_are_404(client, two_versions, path):
    log_in(client, two_versions.guardian.email)
    assert client.get(path).status_code == 404


def test_teen_agrees_and_guardian_acknowledges_and_sees_what_changed(client, team):
    save(team)
    log_in(client, team.teen.email)
    page = client.get("/teen/plan").text
    assert "I agree to this plan" in page
    assert client.post("/teen/plan/acknowledge", data={"number": "1"}).status_code == 302
    assert "You agreed to this version." in client.get("/teen/plan").text
    client.post("/logout")

    log_in(client, team.guardian.email)
    client.post("/family/plan/acknowledge", data={"number": "1"})
    from tests.plans.helpers import canary_items

    items = canary_items()
    items[2] = items[2].__class__(**{**items[2].__dict__, "text": "We stay calm and listen"})
    save(team, items=items)
    page = client.get("/family/plan").text
    assert "What changed since you last read it (version 1)" in page
    box = page.split('id="what-changed"')[1].split("</section>")[0]
    assert "We stay calm and listen" in box
    assert "<del>CANARY-family</del>" in box
    assert "Nothing you can see changed" not in box
    assert "Version 2 is new since you last read the plan." in client.get("/family/").text
    stale = client.post("/family/plan/acknowledge", data={"number": "1"}, follow_redirects=True)
    assert "A newer version arrived" in stale.text
    client.post("/family/plan/acknowledge", data={"number": "2"})
    assert "What changed since" not in client.get("/family/plan").text
    kinds = db.session.scalars(
        select(PlanAcknowledgement.kind).order_by(PlanAcknowledgement.id)
    ).all()
    assert [k.value for k in kinds] == ["agreed", "read", "read"]


def test_acknowledging_twice_records_once(client, team):
    save(team)
    log_in(client, team.guardian.email)
    client.post("/family/plan/acknowledge", data={"number": "1"})
    client.post("/family/plan/acknowledge", data={"number": "1"})
    assert db.session.scalar(select(func.count()).select_from(PlanAcknowledgement)) == 1


def test_every_view_by_a_non_therapist_is_audited(client, team):
    save(team)
    log_in(client, team.therapist.email)
    client.get(f"/therapist/teams/{team.id}/plan")
    client.post("/logout")
    log_in(client, team.guardian.email)
    client.get("/family/plan")
    client.get("/family/plan/versions/1")
    events = db.session.execute(
        select(AccessEvent.user_id, AccessEvent.detail).where(AccessEvent.action == "plan.view")
    ).all()
    assert [user for user, _ in events] == [team.guardian.id, team.guardian.id]
    assert [detail["page"] for _, detail in events] == ["current", "version"]
    assert all(CLINICAL not in str(detail) for _, detail in events)


def test_help_now_walks_through_the_safety_plan_in_order(client, team):
    save(team)
    log_in(client, team.teen.email)
    page = client.get("/teen/help-now").text
    order = [
        "Signs that a hard moment is coming",
        "Things I can do on my own",
        "People and places that take my mind off things",
        "People I can ask for help",
        "Professionals and crisis lines",
        "Making my surroundings safer",
        "What matters most to me",
    ]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)
    assert 'href="tel:+13125550199"' in page  # a person to ask for help
    assert 'href="tel:988"' in page  # the team's country's crisis line
    assert "Stanley" in page
    assert "Goals of treatment" not in page


def test_every_teen_page_reaches_help_now_in_one_tap(client, two_versions):
    log_in(client, two_versions.teen.email)
    for path, body in _bodies(client, TEEN_PAGES):
        assert 'class="help-now" href="/teen/help-now"' in body, path


def test_the_wallet_card_is_printable(client, two_versions):
    log_in(client, two_versions.teen.email)
    card = client.get("/teen/plan/card").text
    assert 'class="wallet-card"' in card
    assert "Aunt Rosa" in card
    with client.get("/static/harbor.css") as response:
        css = response.text
    assert "@media print" in css
    assert "85mm" in css


def test_therapist_dashboard_lists_review_dates_overdue_first_and_who_is_waiting(client, app):
    from datetime import date, timedelta

    from app.models import PlanVersion
    from tests.factories import make_practice, make_team

    practice = make_practice()
    later, overdue = make_team(practice), make_team(practice)
    save(later)
    save(overdue)
    version = db.session.scalars(select(PlanVersion).where(PlanVersion.team_id == overdue.id)).one()
    version.review_due = date.today() - timedelta(days=3)
    db.session.commit()
    from app.models import Membership, Role

    db.session.add(Membership(user_id=later.therapist.id, team_id=overdue.id, role=Role.THERAPIST))
    db.session.commit()
    log_in(client, later.therapist.email)
    page = client.get("/therapist/").text
    assert page.index(overdue.team.teen_name) < page.index(later.team.teen_name)
    assert "Review overdue since" in page
    assert later.teen.name in page  # has not agreed yet
    assert later.school.name not in page  # no consent: not expected to read it
