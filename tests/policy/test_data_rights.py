"""Who downloads the teen's record, and who may close their account (app.policy.data_rights).

The teen and each guardian who is not restricted download the teen's record as they see it;
therapists read it in the app; the school gets no record export. Anyone may close their
account except a therapist who is the last one still there on an active team (a team must
never be left with nobody to read its alerts): a deleted account does not count as one.
"""

from datetime import date

import pytest
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import CareTeam, Membership, Role
from app.policy.data_rights import (
    may_export_record,
    reads_checkin_detail,
    record_export_or_404,
    record_exports,
    teams_needing_handover,
)
from tests.factories import make_user
from tests.policy.conftest import member


@pytest.mark.parametrize(
    ("role", "restricted", "expected"),
    [
        pytest.param(Role.TEEN, False, True, id="teen"),
        pytest.param(Role.GUARDIAN, False, True, id="guardian"),
        pytest.param(Role.GUARDIAN, True, False, id="restricted-guardian"),
        pytest.param(Role.THERAPIST, False, False, id="therapist"),
        pytest.param(Role.SCHOOL, False, False, id="school"),
    ],
)
def test_may_export_record(role, restricted, expected):
    assert may_export_record(member(role, restricted=restricted)) is expected


@pytest.mark.parametrize(
    ("role", "restricted", "expected"),
    [
        # The teen's download carries every check-in; a guardian's at most the summary.
        pytest.param(Role.TEEN, False, True, id="teen"),
        pytest.param(Role.TEEN, True, False, id="restricted-teen"),
        pytest.param(Role.GUARDIAN, False, False, id="guardian"),
        pytest.param(Role.SCHOOL, False, False, id="school"),
        pytest.param(Role.THERAPIST, False, True, id="therapist"),
    ],
)
def test_reads_checkin_detail(role, restricted, expected):
    assert reads_checkin_detail(member(role, restricted=restricted)) is expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("dual", ["b.guardian"], id="as-guardian-not-as-therapist"),
        pytest.param("a.teen", ["a.teen"], id="teen"),
        pytest.param("a.restricted", [], id="restricted-guardian"),
        pytest.param("a.school", [], id="school"),
        pytest.param("bea", [], id="therapist"),
    ],
)
def test_record_exports(w, user, expected):
    assert [w.keys([m]).pop() for m in record_exports(w.u(user))] == expected


@pytest.mark.parametrize(
    ("user", "membership", "expected"),
    [
        pytest.param("dual", "b.guardian", True, id="own-guardian-membership"),
        pytest.param("dual", "a.therapist", False, id="own-therapist-membership"),
        pytest.param("dual", "a.guardian", False, id="someone-elses"),
        pytest.param("a.restricted", "a.restricted", False, id="restricted"),
    ],
)
def test_record_export_or_404(w, user, membership, expected):
    membership_id = w.m(membership).id
    if expected:
        assert record_export_or_404(w.u(user), membership_id).id == membership_id
    else:
        with pytest.raises(NotFound):
            record_export_or_404(w.u(user), membership_id)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        # A's other therapist deleted their account: dual is the last one there.
        pytest.param("dual", ["Alex"], id="other-therapist-deleted"),
        # solo leads C and F alone (Blair before Casey), D with dora, and E is closed.
        pytest.param("solo", ["Blair", "Casey"], id="by-teen-name"),
        pytest.param("dora", [], id="another-therapist-is-there"),
        pytest.param("bea", ["Blake"], id="only-therapist"),
        pytest.param("a.guardian", [], id="guardian"),
        pytest.param("staff", [], id="staff-without-teams"),
    ],
)
def test_teams_needing_handover(w, user, expected):
    assert [t.teen_name for t in teams_needing_handover(w.u(user))] == expected


def _team(w, teen_name="Sam"):
    team = CareTeam(
        practice_id=w.practice("north").id, teen_name=teen_name, teen_birth_date=date(2011, 1, 1)
    )
    db.session.add(team)
    db.session.flush()
    return team


def test_teams_with_the_same_teen_name_come_in_the_order_they_were_made(w):
    therapist = make_user()
    first, second = _team(w), _team(w)
    # Joined the second team first.
    for team in (second, first):
        db.session.add(Membership(user_id=therapist.id, team_id=team.id, role=Role.THERAPIST))
        db.session.flush()
    assert [t.id for t in teams_needing_handover(therapist)] == [first.id, second.id]


def test_only_a_therapist_is_held_back(w):
    """A guardian on a team whose only therapist left closes their account freely."""
    team, gone, guardian = _team(w), w.u("gone"), make_user()
    db.session.add(Membership(user_id=gone.id, team_id=team.id, role=Role.THERAPIST))
    db.session.add(Membership(user_id=guardian.id, team_id=team.id, role=Role.GUARDIAN))
    db.session.flush()
    assert teams_needing_handover(guardian) == []
