"""Which audit events a therapist reads in the practice log (app.policy.audit).

A practice is theirs when they are on its staff or lead one of its teams. They read every
event of that practice's teams, and the personal events (signing in: `auth.*`, account
changes: `account.*`) of the people on those teams, which carry no team. Nothing of another
practice, and no event of an email that has no account. They open only the records of the
teams they lead.
"""

import pytest

from app.extensions import db
from app.models import AccessEvent
from app.policy.audit import openable_team_ids, practice_events, practice_team_ids

NORTH_TEAMS = {"a", "c", "d", "e"}
NORTH_EVENTS = {"a.plan_view", "c.checkin_view", "a.teen_login", "a.guardian_account"}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("staff", NORTH_TEAMS, id="staff-of-north"),
        pytest.param("staff2", NORTH_TEAMS | {"f"}, id="staff-of-north-and-west"),
        # dual leads A (north) and is a guardian on B (south): north only.
        pytest.param("dual", NORTH_TEAMS, id="leads-a-team-of-north"),
        pytest.param("bea", {"b"}, id="leads-south"),
        pytest.param("solo", NORTH_TEAMS | {"f"}, id="leads-teams-of-north-and-west"),
        pytest.param("a.guardian", set(), id="guardian"),
        pytest.param("a.school", set(), id="school"),
    ],
)
def test_practice_team_ids(w, user, expected):
    assert w.team_keys(db.session.scalars(practice_team_ids(w.u(user)))) == expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("staff", NORTH_EVENTS, id="staff-of-north"),
        pytest.param("dual", NORTH_EVENTS, id="therapist-of-north-guardian-in-south"),
        pytest.param("bea", {"b.plan_view", "b.teen_login", "b.dual_account"}, id="south"),
        pytest.param("a.guardian", set(), id="guardian"),
        pytest.param("a.teen", set(), id="teen"),
    ],
)
def test_practice_events(w, user, expected):
    rows = db.session.scalars(practice_events(w.u(user)))
    assert {name.removeprefix("event:") for name in w.names(AccessEvent, rows)} == expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("staff", set(), id="staff-lead-no-team"),
        pytest.param("dual", {"a"}, id="therapist-here-guardian-there"),
        pytest.param("solo", {"c", "d", "e", "f"}, id="several"),
        pytest.param("a.guardian", set(), id="guardian"),
    ],
)
def test_openable_team_ids(w, user, expected):
    assert w.team_keys(db.session.scalars(openable_team_ids(w.u(user)))) == expected
