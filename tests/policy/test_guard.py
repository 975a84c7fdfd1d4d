"""The role portals and where each person lands (app.policy.guard), the request's own
membership (app.policy.context) and who signs in with a second factor (app.policy.two_factor).

Each role lands on its own dashboard after login; anonymous visitors to a portal go to the
login page; anyone else but the portal's role gets a 404. A person with two roles (dual: a
therapist on A, a guardian on B) enters the therapist portal as a therapist, and the family
portal only while working in their guardian membership.
"""

import pytest
from flask import g, url_for
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import aliased
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Membership, Role, User, UserSession
from app.policy.context import current_membership, current_session, remember_flags
from app.policy.guard import is_therapist, landing_url, may_enter, portal, therapist_condition
from app.policy.scoping import has_several_teams
from app.policy.two_factor import is_demo_exempt, two_factor_required

THERAPISTS = {"staff", "staff2", "dual", "gone", "bea", "solo", "dora"}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("staff", True, id="practice-staff-without-a-team"),
        pytest.param("dual", True, id="therapist-here-guardian-there"),
        pytest.param("bea", True, id="therapist"),
        pytest.param("a.guardian", False, id="guardian"),
        pytest.param("a.teen", False, id="teen"),
        pytest.param("a.school", False, id="school"),
    ],
)
def test_is_therapist(w, user, expected):
    assert is_therapist(w.u(user)) is expected


def test_is_therapist_is_asked_once_a_request(w, queries):
    dual = w.u("dual")
    assert is_therapist(dual) is True
    before = queries.count
    assert is_therapist(dual) is True
    assert queries.count == before


def test_therapist_condition(w):
    names = db.session.scalars(select(User.name).where(therapist_condition(User.id)))
    assert set(names) == THERAPISTS


def test_therapist_condition_reads_the_alias_it_is_given(w):
    member = aliased(Membership)
    names = db.session.scalars(select(User.name).where(therapist_condition(User.id, member)))
    assert set(names) == THERAPISTS


@pytest.mark.parametrize(
    ("user", "chosen", "role", "expected"),
    [
        pytest.param("dual", None, Role.THERAPIST, True, id="therapist-portal-any-membership"),
        pytest.param("staff", None, Role.THERAPIST, True, id="staff-therapist-portal"),
        pytest.param("a.guardian", None, Role.THERAPIST, False, id="guardian-therapist-portal"),
        pytest.param("dual", "b.guardian", Role.GUARDIAN, True, id="dual-family-as-guardian"),
        pytest.param("dual", "a.therapist", Role.GUARDIAN, False, id="dual-family-as-therapist"),
        pytest.param("a.teen", "a.teen", Role.TEEN, True, id="teen-portal"),
        pytest.param("a.teen", "a.teen", Role.SCHOOL, False, id="teen-school-portal"),
        pytest.param("a.school", "a.school", Role.SCHOOL, True, id="school-portal"),
        pytest.param("a.guardian", None, Role.GUARDIAN, False, id="no-membership-chosen"),
    ],
)
def test_may_enter(w, user, chosen, role, expected):
    g.membership = w.m(chosen) if chosen else None
    assert may_enter(w.u(user), role) is expected


@pytest.mark.parametrize(
    ("role", "name"),
    [
        pytest.param(Role.THERAPIST, "therapist", id="therapist"),
        pytest.param(Role.GUARDIAN, "family", id="guardian"),
        pytest.param(Role.TEEN, "teen", id="teen"),
        pytest.param(Role.SCHOOL, "school", id="school"),
    ],
)
def test_portal_is_the_roles_blueprint(role, name):
    bp = portal(role, __name__)
    assert (bp.name, bp.url_prefix, bp.import_name) == (name, f"/{name}", __name__)


def _guard_of(role):
    (guard,) = portal(role, __name__).before_request_funcs[None]
    return guard


@pytest.mark.parametrize(
    ("path", "next_path"),
    [
        pytest.param("/teen/", "/teen/", id="no-query"),
        pytest.param("/teen/checkin?day=2", "/teen/checkin?day=2", id="with-query"),
    ],
)
def test_portal_sends_anonymous_visitors_to_login(world_app, w, path, next_path):
    with world_app.test_request_context(path):
        g._login_user = AnonymousUserMixin()
        response = _guard_of(Role.TEEN)()
        assert response.status_code == 302
        assert response.location == url_for("auth.login", next=next_path)


@pytest.mark.parametrize(
    ("user", "chosen", "role", "expected"),
    [
        pytest.param("a.teen", "a.teen", Role.TEEN, None, id="teen-enters-teen"),
        pytest.param("a.teen", "a.teen", Role.GUARDIAN, "404", id="teen-not-family"),
        pytest.param("dual", "a.therapist", Role.THERAPIST, None, id="therapist-enters"),
        pytest.param(
            "a.guardian", "a.guardian", Role.THERAPIST, "404", id="guardian-not-therapist"
        ),
    ],
)
def test_portal_lets_in_only_its_role(world_app, w, user, chosen, role, expected):
    with world_app.test_request_context("/x/"):
        g._login_user = w.u(user)
        g.membership = w.m(chosen)
        if expected == "404":
            with pytest.raises(NotFound):
                _guard_of(role)()
        else:
            assert _guard_of(role)() is None


@pytest.mark.parametrize(
    ("user", "chosen", "expected"),
    [
        pytest.param("a.teen", "a.teen", "/teen/", id="teen"),
        pytest.param("a.guardian", "a.guardian", "/family/", id="guardian"),
        pytest.param("a.school", "a.school", "/school/", id="school"),
        pytest.param("dual", "a.therapist", "/therapist/", id="therapist"),
        pytest.param("dual", "b.guardian", "/family/", id="dual-working-as-guardian"),
        pytest.param("dual", None, "/therapist/", id="therapist-without-a-team-chosen"),
        pytest.param("staff", None, "/therapist/", id="staff"),
        pytest.param("a.guardian", None, "/account/teams", id="others-choose-a-team"),
    ],
)
def test_landing_url(request_ctx, w, user, chosen, expected):
    g.membership = w.m(chosen) if chosen else None
    assert landing_url(w.u(user)) == expected


# -- the request's own session and membership (app.policy.context) ------------------------------


def test_current_session(request_ctx):
    assert current_session() is None
    record = UserSession(membership_id=None)
    g.user_session = record
    assert current_session() is record


def test_remember_flags_answers_is_therapist_and_has_several_teams(w, queries):
    guardian = w.u("a.guardian")  # in truth: no therapist, one team
    before = queries.count
    remember_flags(guardian.id, therapist=True, several_teams=False)
    assert is_therapist(guardian) is True
    assert has_several_teams(guardian) is False
    remember_flags(guardian.id, therapist=False, several_teams=True)
    assert is_therapist(guardian) is False
    assert has_several_teams(guardian) is True
    assert queries.count == before


@pytest.mark.parametrize(
    ("user", "session_membership", "expected"),
    [
        pytest.param("dual", "b.guardian", "b.guardian", id="own-membership"),
        pytest.param("dual", "a.therapist", "a.therapist", id="own-other-membership"),
        pytest.param("dual", "a.guardian", None, id="someone-elses-membership"),
        pytest.param("dual", None, None, id="none-chosen"),
        pytest.param("dual", "no-session", None, id="no-session-record"),
    ],
)
def test_current_membership(request_ctx, w, user, session_membership, expected):
    g._login_user = w.u(user)
    if session_membership != "no-session":
        chosen = w.m(session_membership).id if session_membership else None
        g.user_session = UserSession(membership_id=chosen)
    found = current_membership()
    if expected is None:
        assert found is None
    else:
        assert w.keys([found]) == {expected}
        assert found.team.id == found.team_id  # read with its team
    assert g.membership is found


def test_current_membership_is_read_once_a_request(request_ctx, w, queries):
    g._login_user = w.u("dual")
    g.user_session = UserSession(membership_id=w.m("b.guardian").id)
    first = current_membership()
    before = queries.count
    assert current_membership() is first
    assert queries.count == before


# -- two-factor --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("demo", "env", "listed", "expected"),
    [
        pytest.param(True, "development", True, True, id="demo-account-in-a-demo"),
        pytest.param(True, "testing", True, True, id="demo-account-in-tests"),
        pytest.param(True, "production", True, False, id="production-exempts-nobody"),
        pytest.param(False, "development", True, False, id="not-a-demo"),
        pytest.param(True, "development", False, False, id="not-a-demo-account"),
    ],
)
def test_is_demo_exempt(world_app, w, monkeypatch, demo, env, listed, expected):
    user = w.u("dual")
    monkeypatch.setitem(world_app.config, "DEMO", demo)
    monkeypatch.setitem(world_app.config, "ENV_NAME", env)
    monkeypatch.setitem(world_app.config, "DEMO_EMAILS", {user.email} if listed else set())
    assert is_demo_exempt(user) is expected


@pytest.mark.parametrize(
    ("required", "user", "demo_account", "expected"),
    [
        pytest.param(True, "dual", False, True, id="therapist"),
        pytest.param(True, "staff", False, True, id="practice-staff"),
        pytest.param(True, "a.guardian", False, False, id="guardian"),
        pytest.param(True, "dual", True, False, id="demo-therapist"),
        pytest.param(False, "dual", False, False, id="not-required-here"),
    ],
)
def test_two_factor_required(world_app, w, monkeypatch, required, user, demo_account, expected):
    person = w.u(user)
    monkeypatch.setitem(world_app.config, "MFA_REQUIRED_FOR_THERAPISTS", required)
    monkeypatch.setitem(world_app.config, "DEMO", True)
    monkeypatch.setitem(world_app.config, "ENV_NAME", "development")
    monkeypatch.setitem(world_app.config, "DEMO_EMAILS", {person.email} if demo_account else set())
    assert two_factor_required(person) is expected
