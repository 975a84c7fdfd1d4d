"""Who may be invited, and who may join (DESIGN.md): "The teen's account is the teen's. An
invitation for the teen role cannot go to an email that belongs to a guardian on the team";
one teen per team; a membership is unique per user and team. (Emails arrive normalized: the
caller lower-cases them, as User stores them.)"""

import pytest

from app.models import Role
from app.policy.invitations import Refusal, invitation_refusal, joining_refusal

G, T, S, TH = Role.GUARDIAN, Role.TEEN, Role.SCHOOL, Role.THERAPIST
TEAM = [(TH, "doc@x.org"), (G, "mum@x.org"), (S, "counselor@x.org")]
TEAM_WITH_TEEN = [*TEAM, (T, "kid@x.org")]


@pytest.mark.parametrize(
    ("role", "email", "members", "pending", "expected"),
    [
        # The teen's account is the teen's.
        pytest.param(T, "mum@x.org", TEAM, [], Refusal.GUARDIANS_EMAIL_FOR_TEEN, id="teen-mum"),
        pytest.param(
            T,
            "dad@x.org",
            TEAM,
            [(G, "dad@x.org")],
            Refusal.GUARDIANS_EMAIL_FOR_TEEN,
            id="teen-invited-guardian",
        ),
        pytest.param(
            G, "kid@x.org", TEAM_WITH_TEEN, [], Refusal.TEENS_EMAIL_FOR_GUARDIAN, id="guardian-kid"
        ),
        pytest.param(
            G,
            "kid@x.org",
            TEAM,
            [(T, "kid@x.org")],
            Refusal.TEENS_EMAIL_FOR_GUARDIAN,
            id="guardian-invited-teen",
        ),
        # One teen per team, on it or invited.
        pytest.param(T, "kid2@x.org", TEAM_WITH_TEEN, [], Refusal.TEAM_HAS_TEEN, id="second-teen"),
        pytest.param(
            T,
            "kid2@x.org",
            TEAM,
            [(T, "kid@x.org")],
            Refusal.TEAM_HAS_TEEN,
            id="teen-already-invited",
        ),
        # On a team once, invited once at a time.
        pytest.param(S, "mum@x.org", TEAM, [], Refusal.ALREADY_MEMBER, id="guardian-as-school"),
        pytest.param(G, "mum@x.org", TEAM, [], Refusal.ALREADY_MEMBER, id="guardian-again"),
        pytest.param(T, "counselor@x.org", TEAM, [], Refusal.ALREADY_MEMBER, id="school-as-teen"),
        pytest.param(TH, "doc@x.org", TEAM, [], Refusal.ALREADY_MEMBER, id="therapist-again"),
        pytest.param(
            S, "new@x.org", TEAM, [(S, "new@x.org")], Refusal.ALREADY_INVITED, id="invited-twice"
        ),
        pytest.param(
            TH,
            "new@x.org",
            TEAM,
            [(G, "new@x.org")],
            Refusal.ALREADY_INVITED,
            id="invited-as-another-role",
        ),
        # Allowed.
        pytest.param(T, "kid@x.org", TEAM, [], None, id="the-teen"),
        pytest.param(T, "kid@x.org", TEAM, [(G, "dad@x.org")], None, id="teen-beside-guardian"),
        pytest.param(G, "dad@x.org", TEAM_WITH_TEEN, [], None, id="second-guardian"),
        pytest.param(G, "dad@x.org", TEAM, [(T, "kid@x.org")], None, id="guardian-teen-invited"),
        pytest.param(S, "new@x.org", TEAM_WITH_TEEN, [(G, "dad@x.org")], None, id="counselor"),
        pytest.param(TH, "doc2@x.org", TEAM_WITH_TEEN, [], None, id="second-therapist"),
        pytest.param(T, "kid@x.org", [], [], None, id="empty-team"),
    ],
)
def test_invitation_refusal(role, email, members, pending, expected):
    assert invitation_refusal(role, email, iter(members), iter(pending)) == expected


@pytest.mark.parametrize(
    ("role", "user_id", "members", "expected"),
    [
        pytest.param(G, 2, [(TH, 1), (G, 2)], Refusal.ALREADY_MEMBER, id="already-on-the-team"),
        pytest.param(S, 2, [(TH, 1), (G, 2)], Refusal.ALREADY_MEMBER, id="on-it-in-another-role"),
        pytest.param(T, 5, [(TH, 1), (T, 3)], Refusal.TEAM_HAS_TEEN, id="second-teen"),
        pytest.param(T, 3, [(TH, 1), (G, 2)], None, id="the-teen"),
        pytest.param(G, 4, [(TH, 1), (T, 3)], None, id="guardian-beside-the-teen"),
        pytest.param(T, 3, [], None, id="empty-team"),
    ],
)
def test_joining_refusal(role, user_id, members, expected):
    assert joining_refusal(role, user_id, iter(members)) == expected
