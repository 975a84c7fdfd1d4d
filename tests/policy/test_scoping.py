"""Scoped reads and checks (app.policy.scoping): a team's records for its own members only;
another team's record answers 404, the same as one that does not exist (DESIGN.md)."""

import pytest
from flask import g
from sqlalchemy import select
from sqlalchemy.orm import aliased
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Alert, CheckIn, Membership, Message, Role, User
from app.policy.permissions import Permission
from app.policy.scoping import (
    authorize,
    get_visible_or_404,
    has_several_teams,
    membership_in_team_or_404,
    memberships_of,
    practice_staff_or_404,
    practices_of,
    present_member,
    teams_led_by,
    visible,
)
from tests.factories import make_user
from tests.policy.conftest import member

OK, NOT_FOUND = "ok", "404"

# -- authorize: pure -------------------------------------------------------------------------


def _who(key):
    return {
        "nobody": None,
        "therapist": member(Role.THERAPIST, team_id=1),
        "guardian": member(Role.GUARDIAN, team_id=1),
        "teen": member(Role.TEEN, team_id=1),
        "school": member(Role.SCHOOL, team_id=1),
        "restricted guardian": member(Role.GUARDIAN, team_id=1, restricted=True),
    }[key]


def _record(key):
    return {
        None: None,
        "own team's": Alert(team_id=1),
        "other team's": Alert(team_id=2),
        "without a team": User(),
    }[key]


@pytest.mark.parametrize(
    ("who", "permission", "record", "expected"),
    [
        pytest.param("nobody", Permission.TEAM_VIEW, None, NOT_FOUND, id="no-membership"),
        pytest.param("therapist", Permission.PLAN_EDIT, None, OK, id="therapist-edits-plan"),
        pytest.param("guardian", Permission.PLAN_EDIT, None, NOT_FOUND, id="guardian-edits-plan"),
        pytest.param("school", Permission.TEAM_MEMBERS_VIEW, None, NOT_FOUND, id="school-members"),
        pytest.param("teen", Permission.CHECKIN_SUBMIT, None, OK, id="teen-checks-in"),
        pytest.param("restricted guardian", Permission.TEAM_VIEW, None, OK, id="restricted-team"),
        pytest.param(
            "restricted guardian", Permission.PLAN_VIEW, None, NOT_FOUND, id="restricted-plan"
        ),
        pytest.param(
            "restricted guardian", Permission.THREAD_READ, None, NOT_FOUND, id="restricted-threads"
        ),
        pytest.param("therapist", Permission.ALERT_ACK, "own team's", OK, id="own-team-record"),
        pytest.param(
            "therapist", Permission.ALERT_ACK, "other team's", NOT_FOUND, id="other-team-record"
        ),
        pytest.param("therapist", Permission.ALERT_ACK, "without a team", OK, id="teamless-record"),
        pytest.param(
            "restricted guardian",
            Permission.TEAM_VIEW,
            "other team's",
            NOT_FOUND,
            id="restricted-other-team",
        ),
        pytest.param("guardian", Permission.ALERT_ACK, "own team's", NOT_FOUND, id="guardian-ack"),
    ],
)
def test_authorize(who, permission, record, expected):
    membership, target = _who(who), _record(record)
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            authorize(membership, permission, target)
    else:
        assert authorize(membership, permission, target) is None


# -- present_member and visible: the world --------------------------------------------------

A_PRESENT = {
    "a.therapist",
    "a.teen",
    "a.guardian",
    "a.guardian2",
    "a.restricted",
    "a.school",
    "a.school_last_day",
    "a.school_first_day",
    "a.school_ended",
    "a.school_tomorrow",
    "a.school_half",
    "a.school_revoked",
    "a.school_restricted",
    "a.school_none",
    "a.school_unsigned",
    "a.school_thread_only",
}


def test_present_member_leaves_out_a_deleted_account(w):
    found = db.session.scalars(
        select(Membership.id).where(Membership.team_id == w.team("a").id, present_member())
    )
    assert w.keys(found) == A_PRESENT


def test_present_member_reads_the_alias_it_is_given(w):
    other = aliased(Membership)
    found = db.session.scalars(
        select(other.id).where(other.team_id == w.team("a").id, present_member(other))
    )
    assert w.keys(found) == A_PRESENT


@pytest.mark.parametrize(
    ("who", "model", "permission", "expected"),
    [
        pytest.param(
            "a.therapist", Membership, Permission.TEAM_MEMBERS_VIEW, A_PRESENT, id="members"
        ),
        pytest.param("a.teen", Membership, Permission.TEAM_MEMBERS_VIEW, A_PRESENT, id="teen"),
        pytest.param(
            "a.school", Membership, Permission.TEAM_MEMBERS_VIEW, set(), id="school-no-members"
        ),
        pytest.param(
            "a.restricted", Membership, Permission.TEAM_VIEW, A_PRESENT, id="restricted-team-page"
        ),
        pytest.param(
            "a.restricted", Membership, Permission.TEAM_MEMBERS_VIEW, set(), id="restricted-list"
        ),
        pytest.param(
            "b.therapist",
            Membership,
            Permission.TEAM_MEMBERS_VIEW,
            {"b.therapist", "b.teen", "b.guardian", "b.school", "b.school_g"},
            id="other-team",
        ),
    ],
)
def test_visible_members(w, who, model, permission, expected):
    assert w.keys(db.session.scalars(visible(model, w.m(who), permission))) == expected


@pytest.mark.parametrize(
    ("who", "model", "permission", "expected"),
    [
        pytest.param("a.therapist", Alert, Permission.ALERT_VIEW, {"alert:a"}, id="own-alerts"),
        pytest.param("b.therapist", Alert, Permission.ALERT_VIEW, {"alert:b"}, id="b-alerts"),
        pytest.param("a.guardian", Alert, Permission.ALERT_VIEW, set(), id="guardian-alerts"),
        pytest.param("a.teen", CheckIn, Permission.CHECKIN_VIEW_DETAIL, {"checkin:a"}, id="teen"),
        # dual is A's therapist, but through their guardian membership of B: nothing.
        pytest.param(
            "b.guardian", CheckIn, Permission.CHECKIN_VIEW_DETAIL, set(), id="dual-as-guardian"
        ),
        pytest.param(
            "a.restricted", Message, Permission.THREAD_READ, set(), id="restricted-messages"
        ),
    ],
)
def test_visible_records(w, who, model, permission, expected):
    assert w.names(model, db.session.scalars(visible(model, w.m(who), permission))) == expected


@pytest.mark.parametrize(
    ("who", "model", "record", "expected"),
    [
        pytest.param("a.therapist", Alert, "alert:a", "alert:a", id="own"),
        pytest.param("a.therapist", Alert, "alert:b", NOT_FOUND, id="other-team"),
        pytest.param("a.therapist", Alert, None, NOT_FOUND, id="missing"),
        pytest.param("a.guardian", Alert, "alert:a", NOT_FOUND, id="not-permitted"),
        pytest.param("a.therapist", Membership, "member:a.teen", "member:a.teen", id="member"),
        pytest.param("a.therapist", Membership, "member:a.gone", NOT_FOUND, id="deleted-member"),
    ],
)
def test_get_visible_or_404(w, who, model, record, expected):
    permission = Permission.ALERT_ACK if model is Alert else Permission.TEAM_MEMBERS_VIEW
    record_id = w.id(record) if record else 999_999
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            get_visible_or_404(model, record_id, w.m(who), permission)
    else:
        found = get_visible_or_404(model, record_id, w.m(who), permission)
        assert w.name_of(model, found.id) == expected


# -- membership_in_team_or_404 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "team", "permission", "expected"),
    [
        pytest.param("dual", "a", Permission.ALERT_VIEW, "a.therapist", id="dual-therapist-on-a"),
        pytest.param("dual", "b", Permission.ALERT_VIEW, NOT_FOUND, id="dual-guardian-on-b"),
        pytest.param("dual", "b", Permission.RECORD_EXPORT, "b.guardian", id="dual-exports-b"),
        pytest.param("bea", "a", Permission.TEAM_VIEW, NOT_FOUND, id="not-on-team"),
        pytest.param("a.restricted", "a", Permission.TEAM_VIEW, "a.restricted", id="restricted"),
        pytest.param("a.restricted", "a", Permission.PLAN_VIEW, NOT_FOUND, id="restricted-plan"),
    ],
)
def test_membership_in_team_or_404(w, user, team, permission, expected):
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            membership_in_team_or_404(w.u(user), w.team(team).id, permission)
    else:
        found = membership_in_team_or_404(w.u(user), w.team(team).id, permission)
        assert w.keys([found]) == {expected}
        assert found.team.id == w.team(team).id  # loaded with the membership


def test_the_membership_chosen_for_this_request_is_used_without_a_query(w, queries):
    chosen = w.m("a.therapist")
    dual, team_id = w.u("dual"), w.team("a").id
    g.membership = chosen
    before = queries.count
    assert membership_in_team_or_404(dual, team_id, Permission.ALERT_VIEW) is chosen
    assert queries.count == before


@pytest.mark.parametrize(
    "chosen",
    [
        pytest.param("b.guardian", id="same-person-other-team"),
        pytest.param("a.teen", id="other-person-same-team"),
        pytest.param("unsaved", id="not-persistent"),
    ],
)
def test_a_chosen_membership_that_does_not_fit_is_not_used(w, chosen):
    dual, team_id = w.u("dual"), w.team("a").id
    if chosen == "unsaved":  # same person and team, but not (or no longer) in the database
        g.membership = Membership(user_id=dual.id, team_id=team_id, role=Role.GUARDIAN)
    else:
        g.membership = w.m(chosen)
    found = membership_in_team_or_404(dual, team_id, Permission.ALERT_VIEW)
    assert w.keys([found]) == {"a.therapist"}


# -- the user's memberships, practices and teams -------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("dual", ["a.therapist", "b.guardian"], id="two-roles"),
        pytest.param("bea", ["b.therapist"], id="one"),
        pytest.param("staff", [], id="none"),
    ],
)
def test_memberships_of(w, user, expected):
    found = memberships_of(w.u(user))
    assert [w.keys([m]).pop() for m in found] == expected
    assert all(m.team.id == m.team_id for m in found)  # teams loaded with them


def test_memberships_of_come_in_the_order_they_were_made(w):
    """Joined team F (the later team) before team A: F's membership comes first."""
    person = make_user()
    for team in ("f", "a"):
        db.session.add(Membership(user_id=person.id, team_id=w.team(team).id, role=Role.GUARDIAN))
        db.session.flush()
    assert [m.team_id for m in memberships_of(person)] == [w.team("f").id, w.team("a").id]


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("dual", True, id="two-teams"),
        pytest.param("solo", True, id="four-teams"),
        pytest.param("bea", False, id="one-team"),
        pytest.param("staff", False, id="no-team"),
    ],
)
def test_has_several_teams(w, user, expected):
    assert has_several_teams(w.u(user)) is expected


def test_has_several_teams_is_asked_once_a_request(w, queries):
    dual = w.u("dual")
    assert has_several_teams(dual) is True
    before = queries.count
    assert has_several_teams(dual) is True
    assert queries.count == before


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("staff", ["north"], id="staff"),
        pytest.param("staff2", ["west", "north"], id="two-practices-in-the-order-joined"),
        pytest.param("dual", [], id="leads-a-team-but-not-staff"),
    ],
)
def test_practices_of(w, user, expected):
    found = practices_of(w.u(user))
    assert [p.organization.name for p in found] == expected


@pytest.mark.parametrize(
    ("user", "practice", "expected"),
    [
        pytest.param("staff", "north", OK, id="staff"),
        pytest.param("staff", "south", NOT_FOUND, id="other-practice"),
        pytest.param("dual", "north", NOT_FOUND, id="not-staff"),
    ],
)
def test_practice_staff_or_404(w, user, practice, expected):
    organization_id = w.practice(practice).id
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            practice_staff_or_404(w.u(user), organization_id)
    else:
        staff = practice_staff_or_404(w.u(user), organization_id)
        assert (staff.user_id, staff.organization_id) == (w.u(user).id, organization_id)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("dual", {"a"}, id="therapist-here-guardian-there"),
        pytest.param("solo", {"c", "d", "e", "f"}, id="several"),
        pytest.param("staff", set(), id="staff-only"),
        pytest.param("a.guardian", set(), id="guardian"),
    ],
)
def test_teams_led_by(w, user, expected):
    assert w.team_keys(db.session.scalars(teams_led_by(w.u(user)))) == expected
