"""Check-ins and alerts (DESIGN.md, "Who sees what"):

| data                              | therapist | teen      | guardian                | school |
| check-ins: full detail            | yes       | yes (own) | -                       | -      |
| "checked in today", weekly trend  | yes       | yes       | with the teen's consent | -      |
| alerts                            | yes       | -         | -                       | -      |

"Escalation is human: a check-in alert tells the team's therapist and nobody else." The teen
writes the check-ins. A restricted member sees nothing.
"""

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Alert, CheckIn, Membership, PlanItem, Role
from app.policy.checkins import (
    alert_or_404,
    alert_recipients,
    alerts,
    authorize_submit,
    caseload_team_ids,
    checkins,
    coping_steps_filter,
    follower_or_404,
    may_view_summary,
    summary_view_is_audited,
)
from tests.policy.conftest import member

NOT_FOUND = "404"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(member(Role.TEEN), "ok", id="teen"),
        pytest.param(member(Role.TEEN, restricted=True), NOT_FOUND, id="restricted-teen"),
        pytest.param(member(Role.THERAPIST), NOT_FOUND, id="therapist"),
        pytest.param(member(Role.GUARDIAN), NOT_FOUND, id="guardian"),
        pytest.param(member(Role.SCHOOL), NOT_FOUND, id="school"),
        pytest.param(None, NOT_FOUND, id="nobody"),
    ],
)
def test_authorize_submit(who, expected):
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            authorize_submit(who)
    else:
        assert authorize_submit(who) is who


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.therapist", True, id="therapist"),
        pytest.param("a.teen", True, id="teen"),
        pytest.param("a.guardian", True, id="guardian-with-consent"),
        pytest.param("a.guardian2", True, id="every-guardian-with-consent"),
        pytest.param("a.restricted", False, id="restricted-guardian"),
        pytest.param("b.guardian", False, id="guardian-consent-revoked"),
        pytest.param("c.guardian", True, id="guardian-signed-for-a-younger-teen"),
        pytest.param("f.guardian", False, id="guardian-consent-not-signed-as-the-rule-asks"),
        pytest.param("a.school", False, id="school-never"),
        pytest.param(None, False, id="nobody"),
    ],
)
def test_may_view_summary(w, who, expected):
    assert may_view_summary(w.m(who) if who else None) is expected


def test_a_restricted_teen_sees_no_summary():
    assert may_view_summary(member(Role.TEEN, restricted=True)) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The teen reading their own and the therapists are not "views by others".
        pytest.param(Role.THERAPIST, False, id="therapist"),
        pytest.param(Role.TEEN, False, id="teen"),
        pytest.param(Role.GUARDIAN, True, id="guardian"),
        pytest.param(Role.SCHOOL, True, id="school"),
    ],
)
def test_summary_view_is_audited(role, expected):
    assert summary_view_is_audited(member(role)) is expected


@pytest.mark.parametrize(
    ("user", "team", "expected"),
    [
        pytest.param("dual", "a", "a.therapist", id="therapist"),
        pytest.param("dual", "b", NOT_FOUND, id="same-person-as-guardian"),
        pytest.param("a.teen", "a", NOT_FOUND, id="teen"),
        pytest.param("bea", "a", NOT_FOUND, id="therapist-of-another-team"),
    ],
)
def test_follower_or_404(w, user, team, expected):
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            follower_or_404(w.u(user), w.team(team).id)
    else:
        assert w.keys([follower_or_404(w.u(user), w.team(team).id)]) == {expected}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.therapist", {"checkin:a"}, id="therapist"),
        pytest.param("a.teen", {"checkin:a"}, id="teen-own"),
        pytest.param("b.teen", {"checkin:b"}, id="other-teen-own"),
        pytest.param("a.guardian", set(), id="guardian-no-detail"),
        pytest.param("a.school", set(), id="school"),
        pytest.param("b.guardian", set(), id="therapist-elsewhere-as-guardian"),
    ],
)
def test_checkins(w, who, expected):
    assert w.names(CheckIn, db.session.scalars(checkins(w.m(who)))) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.therapist", {"alert:a"}, id="therapist"),
        pytest.param("b.therapist", {"alert:b"}, id="other-therapist"),
        pytest.param("a.teen", set(), id="teen"),
        pytest.param("a.guardian", set(), id="guardian"),
        pytest.param("a.school", set(), id="school"),
    ],
)
def test_alerts(w, who, expected):
    assert w.names(Alert, db.session.scalars(alerts(w.m(who)))) == expected


@pytest.mark.parametrize(
    ("who", "alert", "expected"),
    [
        pytest.param("a.therapist", "alert:a", True, id="own-team"),
        pytest.param("a.therapist", "alert:b", False, id="other-team"),
        pytest.param("a.teen", "alert:a", False, id="teen"),
        pytest.param("a.guardian", "alert:a", False, id="guardian"),
    ],
)
def test_alert_or_404(w, who, alert, expected):
    if expected:
        assert alert_or_404(w.m(who), w.id(alert)).id == w.id(alert)
    else:
        with pytest.raises(NotFound):
            alert_or_404(w.m(who), w.id(alert))


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("dual", {"a"}, id="therapist-here-guardian-there"),
        pytest.param("solo", {"c", "d", "e", "f"}, id="several"),
        pytest.param("a.guardian", set(), id="guardian"),
        pytest.param("staff", set(), id="staff-without-teams"),
    ],
)
def test_caseload_team_ids(w, user, expected):
    assert w.team_keys(db.session.scalars(caseload_team_ids(w.u(user)))) == expected


def test_a_restricted_therapist_follows_nothing(w):
    therapist = w.m("d.therapist2")
    therapist.restricted_at = therapist.created_at
    db.session.flush()
    assert w.team_keys(db.session.scalars(caseload_team_ids(w.u("dora")))) == set()
    assert w.keys(db.session.scalars(alert_recipients(w.team("d").id))) == {"d.therapist"}


@pytest.mark.parametrize(
    ("team", "expected"),
    [
        # A's other therapist closed their account: they have left, nobody emails them.
        pytest.param("a", {"a.therapist"}, id="not-a-deleted-account"),
        pytest.param("b", {"b.therapist"}, id="the-therapist-only"),
        pytest.param("d", {"d.therapist", "d.therapist2"}, id="every-therapist"),
    ],
)
def test_alert_recipients(w, team, expected):
    found = db.session.scalars(alert_recipients(w.team(team).id))
    assert w.keys(found) == expected


COPING = ("coping_teen", "coping_family", "coping_school", "coping_unmarked")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.THERAPIST, set(COPING), id="therapist"),
        pytest.param(Role.TEEN, {"coping_teen", "coping_family", "coping_school"}, id="teen"),
        pytest.param(Role.GUARDIAN, {"coping_family", "coping_school"}, id="guardian"),
        pytest.param(Role.SCHOOL, {"coping_school"}, id="school"),
    ],
)
def test_coping_steps_filter(w, role, expected):
    """Only section 8 (the agreed coping steps), as far as the role sees the plan."""
    keys = db.session.scalars(
        select(PlanItem.key).where(PlanItem.team_id == w.team("a").id, coping_steps_filter(role))
    )
    assert set(keys) == expected


def test_membership_model_is_what_alert_recipients_select(w):
    assert alert_recipients(w.team("a").id).column_descriptions[0]["entity"] is Membership
