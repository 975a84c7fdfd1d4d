"""Who may open what. Expectations are written out by hand, not read from the policy module."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Role
from app.policy import Permission, get_visible_or_404, visible
from tests.conftest import log_in
from tests.factories import make_user

# Path templates: {team} is the caller's team, {other} another team's.
EXPECTED = {
    #  path                        therapist guardian teen school anonymous
    "/therapist/": (200, 404, 404, 404, "login"),
    "/therapist/teams/new": (200, 404, 404, 404, "login"),
    "/therapist/teams/{team}": (200, 404, 404, 404, "login"),
    "/therapist/teams/{other}": (404, 404, 404, 404, "login"),
    "/therapist/teams/999999": (404, 404, 404, 404, "login"),
    "/family/": (404, 200, 404, 404, "login"),
    "/teen/": (404, 404, 200, 404, "login"),
    "/school/": (404, 404, 404, 200, "login"),
    "/account/teams": (200, 200, 200, 200, "login"),
    "/account/settings": (200, 200, 200, 200, "login"),
    "/account/password": (200, 200, 200, 200, "login"),
    "/help": (200, 200, 200, 200, 200),
    "/login": ("home", "home", "home", "home", 200),
    "/reset": (200, 200, 200, 200, 200),
}
ROLES = ("therapist", "guardian", "teen", "school", None)


@pytest.mark.parametrize("path", EXPECTED)
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_access_matrix(client, team, other_team, path, role_index):
    role = ROLES[role_index]
    if role:
        log_in(client, team.users[role].email)
    url = path.format(team=team.id, other=other_team.id)
    response = client.get(url)
    expected = EXPECTED[path][role_index]
    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    elif expected == "home":
        assert response.status_code == 302
        assert not response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected, (role, url)


def test_another_teams_record_looks_exactly_like_a_missing_one(client, team, other_team):
    log_in(client, team.therapist.email)
    theirs = client.get(f"/therapist/teams/{other_team.id}")
    missing = client.get("/therapist/teams/999999")
    assert theirs.status_code == missing.status_code == 404

    def without_own_url(html):  # and without the CSRF token, which is signed with the time
        return re.sub(r'name="(next|csrf_token)" value="[^"]*"', "", html)

    assert without_own_url(theirs.text) == without_own_url(missing.text)


PUBLIC_ENDPOINTS = {
    "static",
    "auth.index",
    "auth.login",
    "auth.logout",
    "auth.reset_request",
    "auth.reset_password",
    "auth.accept_invitation",
    "account.language",
    "help.crisis",
    "health",
}


def test_every_route_is_public_by_decision_or_needs_login(app, client):
    """A sweep of the whole url_map: a new route that forgets its guard fails here."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login"), (method, url)
            checked += 1
    assert checked >= 10


def test_public_endpoints_are_only_those_reviewed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= PUBLIC_ENDPOINTS


def test_a_person_on_two_teams_switches_between_them(client, team, other_team):
    parent_here_counselor_there = team.guardian
    db.session.add(
        Membership(user_id=parent_here_counselor_there.id, team_id=other_team.id, role=Role.SCHOOL)
    )
    db.session.commit()
    log_in(client, parent_here_counselor_there.email)
    chooser = client.get("/", follow_redirects=True)
    assert chooser.request.path == "/account/teams"
    assert team.team.teen_name in chooser.text
    assert other_team.team.teen_name in chooser.text
    assert client.get("/family/").status_code == 404  # nothing chosen yet

    school = db.session.scalars(
        select(Membership).where(
            Membership.user_id == parent_here_counselor_there.id,
            Membership.team_id == other_team.id,
        )
    ).one()
    client.post(f"/account/teams/{school.id}")
    assert client.get("/school/").status_code == 200
    assert client.get("/family/").status_code == 404
    assert other_team.team.teen_name in client.get("/school/").text


def test_switching_to_someone_elses_membership_is_a_404(client, team, other_team):
    log_in(client, team.guardian.email)
    theirs = other_team.memberships["guardian"]
    assert client.post(f"/account/teams/{theirs.id}").status_code == 404
    assert client.get("/family/").status_code == 200
    assert team.team.teen_name in client.get("/family/").text


def test_school_counselor_does_not_see_the_member_list(client, team):
    log_in(client, team.school.email)
    page = client.get("/school/").text
    assert team.guardian.name not in page


def test_scoped_queries_never_cross_teams(app, team, other_team):
    from app.models import Invitation

    mine = visible(Membership, team.memberships["therapist"], Permission.TEAM_MEMBERS_VIEW)
    ids = {m.team_id for m in db.session.scalars(mine)}
    assert ids == {team.id}
    nothing = visible(Invitation, team.memberships["guardian"], Permission.INVITATION_MANAGE)
    assert db.session.scalars(nothing).all() == []
    with app.test_request_context(), pytest.raises(Exception, match="404"):
        get_visible_or_404(
            Membership,
            other_team.memberships["teen"].id,
            team.memberships["therapist"],
            Permission.TEAM_MEMBERS_VIEW,
        )


def test_a_user_without_a_team_sees_an_explanation(client):
    loner = make_user()
    db.session.commit()
    log_in(client, loner.email)
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/account/teams"
    assert "not on a care team yet" in page.text
    for portal in ("/therapist/", "/family/", "/teen/", "/school/"):
        assert client.get(portal).status_code == 404
