"""Who is told, listed or counted (app.policy.audiences), from DESIGN.md:

- "Who sees what": the teen agrees to the plan, guardians and the school acknowledge their
  parts; a counselor reads the school part only "with consent in force"; modules are "own"
  for the teen, guardians and school while the therapist "assigns, sees progress"; alerts
  and check-in detail are the therapist's.
- The consent rule: in force = every signature the practice's rule asks for, inside its
  period, not revoked (the world's counselors of A and C each hold one such case).
- Safety override: a therapist may restrict a guardian's access, and a disclosure without a
  consent "is never silent".
- A person who closed their account has left: no list, count or email includes them; a
  restricted member is emailed nothing about the plan and assigned nothing.

Every expectation below is written out by hand, never worked out from ROLE_PERMISSIONS.
"""

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Membership, Role, User, UserSession
from app.policy.audiences import (
    MemberAccess,
    active_member,
    consent_recipient,
    consent_reminder_recipients,
    disclosure_recipients,
    is_former_member,
    is_module_assignee,
    is_module_learner,
    is_open,
    is_teen_role,
    is_the_teen,
    live_session,
    member_access,
    module_assignees,
    module_learner,
    open_account,
    opens_safety_plan_for_help,
    plan_reader,
    plan_reader_roles,
    plan_update_recipients,
    present_member,
    readers_of_plan,
    restrictable,
    restricted_since,
    roles_with,
    the_teen,
    thread_notice_candidate,
)
from app.policy.permissions import ROLE_PERMISSIONS, Permission
from tests.policy.conftest import NOW, member

THERAPIST, GUARDIAN, TEEN, SCHOOL = Role.THERAPIST, Role.GUARDIAN, Role.TEEN, Role.SCHOOL
EVERY_ROLE = (THERAPIST, GUARDIAN, TEEN, SCHOOL)

# A's counselors, in the order they joined: the first three have a school-plan consent in
# force today (one ends today, one starts today), the others do not.
A_COUNSELORS_IN_FORCE = ["a.school", "a.school_last_day", "a.school_first_day"]
A_COUNSELORS_WITHOUT = [
    "a.school_ended",
    "a.school_tomorrow",
    "a.school_half",
    "a.school_revoked",
    "a.school_none",
    "a.school_unsigned",
    "a.school_thread_only",
]
A_COUNSELORS = {*A_COUNSELORS_IN_FORCE, "a.school_restricted", *A_COUNSELORS_WITHOUT}


# -- roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        pytest.param(Permission.CHECKIN_SUBMIT, (TEEN,), id="the-teen-checks-in"),
        pytest.param(Permission.ALERT_VIEW, (THERAPIST,), id="alerts-therapist-only"),
        pytest.param(Permission.PLAN_AGREE, (TEEN,), id="the-teen-agrees"),
        pytest.param(Permission.PLAN_ACKNOWLEDGE, (GUARDIAN, SCHOOL), id="others-acknowledge"),
        pytest.param(Permission.PLAN_VIEW, EVERY_ROLE, id="plan-every-role-in-enum-order"),
        pytest.param(Permission.MEMBER_RESTRICT, (THERAPIST,), id="therapist-restricts"),
        pytest.param(
            Permission.RECORD_VIEWS_VIEW, (THERAPIST, GUARDIAN, TEEN), id="who-viewed-not-school"
        ),
        pytest.param(
            Permission.CHECKIN_SUMMARY_VIEW, (THERAPIST, GUARDIAN, TEEN), id="summary-not-school"
        ),
        pytest.param(Permission.MODULE_PREVIEW, (THERAPIST,), id="therapist-previews-modules"),
    ],
)
def test_roles_with(permission, expected):
    assert roles_with(permission) == expected


def test_roles_with_denies_a_role_the_table_grants_nothing(monkeypatch):
    """Deny by default ("Everything is denied unless a rule above allows it"): a role with no
    entry in the permission table has no permission; the other roles keep theirs."""
    monkeypatch.delitem(ROLE_PERMISSIONS, SCHOOL)
    assert roles_with(Permission.PLAN_VIEW) == (THERAPIST, GUARDIAN, TEEN)
    assert roles_with(Permission.PLAN_ACKNOWLEDGE) == (GUARDIAN,)


def test_plan_reader_roles():
    """They read the plan rather than write it: the teen agrees, guardians and school
    acknowledge; the therapist writes it. In the order of the Role enum."""
    assert plan_reader_roles() == (GUARDIAN, TEEN, SCHOOL)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(TEEN, True, id="teen"),
        pytest.param(THERAPIST, False, id="therapist"),
        pytest.param(GUARDIAN, False, id="guardian"),
        pytest.param(SCHOOL, False, id="school"),
        pytest.param("nurse", False, id="a-role-that-does-not-exist"),
    ],
)
def test_is_teen_role(role, expected):
    assert is_teen_role(role) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(TEEN, True, id="teen"),
        pytest.param(THERAPIST, False, id="therapist"),
        pytest.param(GUARDIAN, False, id="guardian"),
        pytest.param(SCHOOL, False, id="school"),
    ],
)
def test_is_the_teen(role, expected):
    assert is_the_teen(member(role)) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # "Get help now" opens the teen's own safety plan first; everyone else, the resources.
        pytest.param(TEEN, True, id="teen"),
        pytest.param(THERAPIST, False, id="therapist"),
        pytest.param(GUARDIAN, False, id="guardian"),
        pytest.param(SCHOOL, False, id="school"),
        pytest.param(None, False, id="signed-out-or-no-team"),
    ],
)
def test_opens_safety_plan_for_help(role, expected):
    assert opens_safety_plan_for_help(member(role) if role else None) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # "A therapist may also restrict a guardian's access (for example under a court order)."
        pytest.param(GUARDIAN, True, id="guardian"),
        pytest.param(TEEN, False, id="teen"),
        pytest.param(THERAPIST, False, id="therapist"),
        pytest.param(SCHOOL, False, id="school"),
    ],
)
def test_restrictable(role, expected):
    assert restrictable(member(role)) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Modules: teen, guardian and school read their own; the therapist previews instead.
        pytest.param(TEEN, True, id="teen"),
        pytest.param(GUARDIAN, True, id="guardian"),
        pytest.param(SCHOOL, True, id="school"),
        pytest.param(THERAPIST, False, id="therapist-previews"),
    ],
)
def test_is_module_learner(role, expected):
    assert is_module_learner(member(role)) is expected


# -- a member, as plain objects ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param(User(), True, id="open"),
        pytest.param(User(deleted_at=NOW), False, id="closed"),
        pytest.param(None, False, id="nobody"),
    ],
)
def test_is_open(user, expected):
    assert is_open(user) is expected


@pytest.mark.parametrize(
    ("membership_id", "account_closed_at", "expected"),
    [
        pytest.param(7, None, False, id="still-a-member"),
        pytest.param(None, None, True, id="membership-gone"),
        pytest.param(7, NOW, True, id="account-closed"),
        pytest.param(None, NOW, True, id="both"),
    ],
)
def test_is_former_member(membership_id, account_closed_at, expected):
    assert is_former_member(membership_id, account_closed_at) is expected


@pytest.mark.parametrize(
    ("restricted", "expected"),
    [
        pytest.param(True, NOW, id="restricted"),
        pytest.param(False, None, id="not-restricted"),
    ],
)
def test_restricted_since(restricted, expected):
    assert restricted_since(member(GUARDIAN, restricted=restricted)) == expected


@pytest.mark.parametrize(
    ("role", "restricted_at", "restricted", "may_restrict"),
    [
        pytest.param(GUARDIAN, None, False, True, id="guardian"),
        pytest.param(GUARDIAN, NOW, True, True, id="restricted-guardian"),
        pytest.param(TEEN, None, False, False, id="teen"),
        pytest.param(THERAPIST, None, False, False, id="therapist"),
        pytest.param(SCHOOL, None, False, False, id="school"),
        pytest.param(SCHOOL, datetime(2026, 1, 5), True, False, id="restricted-school"),
    ],
)
def test_member_access(role, restricted_at, restricted, may_restrict):
    listed = Membership(id=1, user_id=2, team_id=3, role=role, restricted_at=restricted_at)
    [access] = member_access([listed])
    assert access == MemberAccess(listed, restricted, may_restrict)
    assert access.member is listed


def test_member_access_keeps_the_members_and_their_order():
    members = [member(TEEN), member(GUARDIAN, restricted=True), member(GUARDIAN)]
    got = member_access(members)
    assert [(a.member, a.restricted, a.restrictable) for a in got] == [
        (members[0], False, False),
        (members[1], True, True),
        (members[2], False, True),
    ]
    assert member_access([]) == []


# -- conditions on a membership, read against the world -----------------------------------------


def _members_of(w, team: str, condition, alias) -> set[str]:
    return w.keys(
        db.session.scalars(select(alias.id).where(alias.team_id == w.team(team).id, condition))
    )


CONDITIONS = {
    "present_member": present_member,
    "active_member": active_member,
    "the_teen": the_teen,
    "plan_reader": plan_reader,
    "module_learner": module_learner,
    "module_assignees": module_assignees,
    "consent_recipient": consent_recipient,
    "thread_notice_candidate": thread_notice_candidate,
}

CONDITION_TABLE = [
    # present_member: a closed account has left; a restricted member is still on the team.
    (
        "present_member",
        "a",
        {"a.therapist", "a.teen", "a.guardian", "a.guardian2", "a.restricted", *A_COUNSELORS},
        "a-all-but-the-deleted-therapist",
    ),
    (
        "present_member",
        "c",
        {"c.therapist", "c.teen", "c.guardian", "c.school", "c.school_t"},
        "c-not-the-closed-guardian-or-counselor",
    ),
    # active_member: present, and nobody restricted them.
    (
        "active_member",
        "a",
        {"a.therapist", "a.teen", "a.guardian", "a.guardian2", *A_COUNSELORS}
        - {"a.school_restricted"},
        "a-not-deleted-nor-restricted",
    ),
    (
        "active_member",
        "c",
        {"c.therapist", "c.teen", "c.guardian", "c.school", "c.school_t"},
        "c-not-closed",
    ),
    # the_teen: the one member whose plan it is.
    ("the_teen", "a", {"a.teen"}, "a-teen"),
    ("the_teen", "d", set(), "d-has-no-teen"),
    # plan_reader: teen, guardians, counselors (consent asked later), active; no therapist.
    (
        "plan_reader",
        "a",
        {"a.teen", "a.guardian", "a.guardian2", *A_COUNSELORS} - {"a.school_restricted"},
        "a-readers-not-therapists-nor-restricted",
    ),
    (
        "plan_reader",
        "c",
        {"c.teen", "c.guardian", "c.school", "c.school_t"},
        "c-readers-not-closed",
    ),
    ("plan_reader", "d", set(), "d-therapists-only"),
    # module_learner: by role alone, whoever they are.
    (
        "module_learner",
        "a",
        {"a.teen", "a.guardian", "a.guardian2", "a.restricted", *A_COUNSELORS},
        "a-learners-restricted-included",
    ),
    (
        "module_learner",
        "c",
        {"c.teen", "c.guardian", "c.school", "c.school_t", "c.guardian_gone", "c.school_gone"},
        "c-learners-closed-included",
    ),
    # module_assignees: learners with an account whose access is not restricted.
    (
        "module_assignees",
        "a",
        {"a.teen", "a.guardian", "a.guardian2", *A_COUNSELORS} - {"a.school_restricted"},
        "a-assignees-not-restricted",
    ),
    (
        "module_assignees",
        "c",
        {"c.teen", "c.guardian", "c.school", "c.school_t"},
        "c-assignees-not-closed",
    ),
    # consent_recipient: a counselor still on the team, consent or not.
    ("consent_recipient", "a", A_COUNSELORS, "a-every-counselor"),
    ("consent_recipient", "c", {"c.school", "c.school_t"}, "c-not-the-closed-counselor"),
    ("consent_recipient", "b", {"b.school", "b.school_g"}, "b-counselors"),
    # thread_notice_candidate: everyone still on the team (the thread's readers asked later).
    (
        "thread_notice_candidate",
        "c",
        {"c.therapist", "c.teen", "c.guardian", "c.school", "c.school_t"},
        "c-not-the-closed-accounts",
    ),
]


@pytest.mark.parametrize("aliasing", [False, True], ids=["membership", "alias"])
@pytest.mark.parametrize(
    ("condition", "team", "expected"),
    [pytest.param(c, t, e, id=i) for c, t, e, i in CONDITION_TABLE],
)
def test_membership_condition(w, condition, team, expected, aliasing):
    """Each condition reads the Membership it is given, aliased or not."""
    if aliasing:
        alias = aliased(Membership)
        found = _members_of(w, team, CONDITIONS[condition](alias), alias)
    else:
        found = _members_of(w, team, CONDITIONS[condition](), Membership)
    assert found == expected


# -- conditions on an account and a sign-in ----------------------------------------------------

PEOPLE = ("dual", "gone", "a.teen", "staff", "c.guardian_gone", "c.school_gone")


@pytest.mark.parametrize("aliasing", [False, True], ids=["user", "alias"])
def test_open_account(w, aliasing):
    table = aliased(User) if aliasing else User
    ids = [w.u(key).id for key in PEOPLE]
    condition = open_account(table) if aliasing else open_account()
    found = db.session.scalars(select(table.id).where(table.id.in_(ids), condition))
    by_id = {i: k for k, i in w.ids.users.items()}
    assert {by_id[i] for i in found} == {"dual", "a.teen", "staff"}


def test_live_session(w):
    """Signing out ends a sign-in: only the one nobody ended is live."""
    found = db.session.scalars(
        select(UserSession.id).where(UserSession.user_id == w.u("a.teen").id, live_session())
    )
    assert w.names(UserSession, found) == {"session:a.teen.live"}


# -- who may read the plan today ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        pytest.param(
            ["a.teen", "a.guardian", *A_COUNSELORS_IN_FORCE, *A_COUNSELORS_WITHOUT],
            ["a.teen", "a.guardian", *A_COUNSELORS_IN_FORCE],
            id="a-counselors-with-consent-in-force-only",
        ),
        pytest.param(
            ["a.school_ended", "a.school"],
            ["a.school"],
            id="one-ended-one-in-force",
        ),
        pytest.param(["a.restricted", "a.guardian2"], ["a.guardian2"], id="restricted-guardian"),
        pytest.param(["a.school_restricted"], [], id="restricted-counselor-with-consent"),
        pytest.param(
            ["c.school_t", "c.school", "c.teen"],
            ["c.school", "c.teen"],
            id="c-under-age-guardian-signs",
        ),
        pytest.param(
            ["b.school_g", "b.school", "b.guardian"],
            ["b.school", "b.guardian"],
            id="b-teen-rule",
        ),
        pytest.param([], [], id="nobody"),
    ],
)
def test_readers_of_plan(w, candidates, expected):
    given = [w.m(key) for key in candidates]
    got = readers_of_plan(given)
    assert [w.keys([m]).pop() for m in got] == expected
    # The very records it was given (the dashboard matches them by identity).
    assert all(any(m is g for g in given) for m in got)


def test_readers_of_plan_asks_the_database_once_whatever_their_number(w, queries):
    given = [w.m(key) for key in ("a.teen", *A_COUNSELORS_IN_FORCE, *A_COUNSELORS_WITHOUT)]
    given += [w.m(key) for key in ("b.school", "b.school_g", "c.school", "c.school_t")]
    before = queries.count
    got = readers_of_plan(given)
    assert queries.count == before + 1
    assert w.keys(got) == {"a.teen", *A_COUNSELORS_IN_FORCE, "b.school", "c.school"}


def test_readers_of_plan_asks_nothing_when_no_counselor_is_among_them(w, queries):
    given = [w.m(key) for key in ("a.teen", "a.guardian", "a.restricted")]
    before = queries.count
    assert w.keys(readers_of_plan(given)) == {"a.teen", "a.guardian"}
    assert queries.count == before


@pytest.mark.parametrize(
    ("team", "author", "expected"),
    [
        pytest.param(
            "a",
            "dual",
            ["a.teen", "a.guardian", "a.guardian2", *A_COUNSELORS_IN_FORCE],
            id="a-readers-but-restricted-and-counselors-without-consent",
        ),
        # In membership order: B's guardian (dual) has an older account than B's teen.
        pytest.param(
            "b", "bea", ["b.teen", "b.guardian", "b.school"], id="b-teen-rule-one-counselor"
        ),
        pytest.param(
            "c",
            "solo",
            ["c.teen", "c.guardian", "c.school"],
            id="c-not-closed-accounts-even-with-consent",
        ),
        pytest.param(
            "a",
            "a.guardian",
            ["a.teen", "a.guardian2", *A_COUNSELORS_IN_FORCE],
            id="the-person-excluded-is-not-told",
        ),
        pytest.param("d", "solo", [], id="therapists-are-not-told"),
    ],
)
def test_plan_update_recipients(w, team, author, expected):
    got = plan_update_recipients(w.team(team).id, w.u(author).id)
    assert [w.keys([m]).pop() for m in got] == expected
    # Each comes with their account, for the email address and language.
    assert [m.user.id for m in got] == [m.user_id for m in got]


def test_plan_update_recipients_of_another_team_are_not_told(w):
    """Dual writes A's plan and is B's guardian: B is not told about A's plan."""
    got = plan_update_recipients(w.team("a").id, w.u("bea").id)
    assert "b.guardian" not in w.keys(got)
    assert w.keys(got) == {"a.teen", "a.guardian", "a.guardian2", *A_COUNSELORS_IN_FORCE}


# -- a disclosure without consent is never silent ----------------------------------------------


@pytest.mark.parametrize(
    ("team", "to_school", "expected"),
    [
        pytest.param(
            "a", False, ["a.teen", "a.guardian", "a.guardian2"], id="a-family-not-restricted"
        ),
        pytest.param(
            "a",
            True,
            [
                "a.teen",
                "a.guardian",
                "a.guardian2",
                *A_COUNSELORS_IN_FORCE,
                *A_COUNSELORS_WITHOUT,
            ],
            id="a-school-every-counselor-not-restricted",
        ),
        # In membership order, not account order: dual's account is older than B's teen's.
        pytest.param("b", False, ["b.teen", "dual"], id="b-family-dual-as-guardian"),
        pytest.param("c", False, ["c.teen", "c.guardian"], id="c-family-not-closed"),
        pytest.param(
            "c", True, ["c.teen", "c.guardian", "c.school", "c.school_t"], id="c-school-not-closed"
        ),
        pytest.param("d", True, [], id="d-therapists-only"),
    ],
)
def test_disclosure_recipients(w, team, to_school, expected):
    people = db.session.scalars(disclosure_recipients(w.team(team).id, to_school=to_school))
    by_id = {i: k for k, i in w.ids.users.items()}
    assert [by_id[person.id] for person in people] == expected


@pytest.mark.parametrize(
    ("role", "restricted", "expected"),
    [
        pytest.param(TEEN, False, True, id="teen"),
        pytest.param(GUARDIAN, False, True, id="guardian"),
        pytest.param(GUARDIAN, True, False, id="restricted-guardian"),
        pytest.param(SCHOOL, False, True, id="counselor"),
        pytest.param(THERAPIST, False, False, id="therapist-previews-instead"),
    ],
)
def test_is_module_assignee(role, restricted, expected):
    assert is_module_assignee(member(role, restricted=restricted)) is expected


@pytest.mark.parametrize(
    ("signers", "expected"),
    [
        pytest.param([("guardian", False, False), ("teen", False, False)], [0, 1], id="both"),
        pytest.param([("guardian", True, False), ("teen", False, False)], [1], id="restricted"),
        pytest.param([("guardian", False, True), ("teen", False, False)], [1], id="closed"),
        pytest.param([], [], id="nobody-signed"),
    ],
)
def test_consent_reminder_recipients(signers, expected):
    roles = {"guardian": GUARDIAN, "teen": TEEN}
    people = []
    for role, restricted, closed in signers:
        someone = member(roles[role], restricted=restricted)
        someone.user = User(deleted_at=NOW if closed else None)
        people.append(someone)
    assert consent_reminder_recipients(people) == [people[i] for i in expected]
