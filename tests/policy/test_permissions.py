"""What each role may do, written out by hand from DESIGN.md ("Who sees what"), one row per
permission. Deny by default: what a row does not grant is refused. Never read from
ROLE_PERMISSIONS: a change there must be a change here too, on purpose."""

import pytest

from app.models import Role, User
from app.policy.permissions import PORTAL_OF_ROLE, Permission, allows, is_restricted
from tests.policy.conftest import member

T, F = True, False

EXPECTED: dict[Permission, tuple[bool, bool, bool, bool]] = {
    #                                  therapist guardian teen school
    # The team page: everyone on the team (a restricted guardian keeps only this).
    Permission.TEAM_VIEW: (T, T, T, T),
    # Who else is on the team: not the school, which sees only the school's part.
    Permission.TEAM_MEMBERS_VIEW: (T, T, T, F),
    # The therapist leads the team and invites its members.
    Permission.INVITATION_MANAGE: (T, F, F, F),
    # The plan, each role its own part (app.policy.plans narrows it by audience and consent).
    Permission.PLAN_VIEW: (T, T, T, T),
    # The therapist writes the plan.
    Permission.PLAN_EDIT: (T, F, F, F),
    # "The teen agrees; guardians and school acknowledge their parts."
    Permission.PLAN_AGREE: (F, F, T, F),
    Permission.PLAN_ACKNOWLEDGE: (F, T, F, T),
    # "The teen can preview exactly what guardians and the school will see"; the therapist,
    # who sets every item's audiences, sees them too.
    Permission.PLAN_PREVIEW: (T, F, T, F),
    # Consents: the family reads and signs them (the consent rule asks guardians and/or the
    # teen); the therapist follows them; a disclosure to the school is not the school's to see.
    Permission.CONSENT_VIEW: (T, T, T, F),
    Permission.CONSENT_SIGN: (F, T, T, F),
    # "Who viewed the teen's records": therapist, teen, guardian; not the school.
    Permission.RECORD_VIEWS_VIEW: (T, T, T, F),
    # Downloading the teen's record as they see it: the teen and guardians. Therapists read
    # the whole record in the app; the school gets no record export.
    Permission.RECORD_EXPORT: (F, T, T, F),
    # "Safety override" and restricting a guardian: the therapist only.
    Permission.SAFETY_DISCLOSE: (T, F, F, F),
    Permission.MEMBER_RESTRICT: (T, F, F, F),
    # Modules: "therapist assigns, sees progress; teen, guardian, school: own".
    Permission.MODULE_READ: (T, T, T, T),
    Permission.MODULE_PREVIEW: (T, F, F, F),
    Permission.MODULE_ASSIGN: (T, F, F, F),
    Permission.MODULE_PROGRESS_VIEW: (T, F, F, F),
    # Threads: every role reads and writes some (app.policy.threads says which).
    Permission.THREAD_READ: (T, T, T, T),
    Permission.THREAD_POST: (T, T, T, T),
    # Only the teen decides whether they are in the school thread.
    Permission.THREAD_SCHOOL_CHOOSE: (F, F, T, F),
    # The therapist moderates (hides) messages.
    Permission.MESSAGE_HIDE: (T, F, F, F),
    # Check-ins: the teen writes them; full detail for therapist and teen (own); the summary
    # for therapist, teen and, with the teen's consent, guardians; the school never.
    Permission.CHECKIN_SUBMIT: (F, F, T, F),
    Permission.CHECKIN_VIEW_DETAIL: (T, F, T, F),
    Permission.CHECKIN_SUMMARY_VIEW: (T, T, T, F),
    Permission.CHECKIN_EXPORT: (T, F, F, F),
    # Alerts: "a check-in alert tells the team's therapist and nobody else".
    Permission.ALERT_VIEW: (T, F, F, F),
    Permission.ALERT_ACK: (T, F, F, F),
    Permission.ALERT_SETTINGS: (T, F, F, F),
}
ROLES = (Role.THERAPIST, Role.GUARDIAN, Role.TEEN, Role.SCHOOL)

CASES = [
    pytest.param(
        role, permission, granted[i], id=f"{role}-{permission}-{'yes' if granted[i] else 'no'}"
    )
    for permission, granted in EXPECTED.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "permission", "expected"), CASES)
def test_allows(role, permission, expected):
    assert allows(role, permission) is expected


def test_every_permission_has_a_row_here():
    """A new permission fails here until someone decides, by hand, who gets it."""
    assert set(Permission) == set(EXPECTED)


@pytest.mark.parametrize("role", ["nurse", "", None], ids=["unknown", "empty", "none"])
def test_a_role_that_does_not_exist_is_granted_nothing(role):
    assert [p for p in Permission if allows(role, p)] == []


@pytest.mark.parametrize(
    ("role", "portal"),
    [
        pytest.param(Role.THERAPIST, "therapist", id="therapist"),
        pytest.param(Role.GUARDIAN, "family", id="guardian"),
        pytest.param(Role.TEEN, "teen", id="teen"),
        pytest.param(Role.SCHOOL, "school", id="school"),
    ],
)
def test_each_role_works_in_its_own_portal(role, portal):
    assert PORTAL_OF_ROLE[role] == portal


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(None, False, id="nobody"),
        pytest.param(member(Role.GUARDIAN), False, id="guardian"),
        pytest.param(member(Role.GUARDIAN, restricted=True), True, id="restricted-guardian"),
        pytest.param(member(Role.SCHOOL, restricted=True), True, id="restricted-school"),
        pytest.param(User(), False, id="something-that-cannot-be-restricted"),
    ],
)
def test_is_restricted(who, expected):
    assert is_restricted(who) is expected
