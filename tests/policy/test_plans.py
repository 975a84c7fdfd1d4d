"""Who sees which plan items (DESIGN.md, "Who sees what"):

| plan items marked | therapist | teen | guardian | school                |
| `teen`            | yes       | yes  | -        | -                     |
| `family`          | yes       | yes  | yes      | -                     |
| `school`          | yes       | yes  | yes      | with consent in force |
| clinical notes    | yes       | -    | -        | -                     |

An item marked for nobody is the therapist's alone; clinical notes stay the therapist's even
if an audience is ticked on them.
"""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PlanItem, Role, Section
from app.policy.plans import (
    abilities,
    agrees_to_plan,
    is_clinical,
    item_filter,
    may_view_plan,
    previewable_roles,
    view_is_audited,
)
from tests.policy.conftest import member

ITEMS = (
    "teen_only",
    "family_only",
    "school_only",
    "everyone",
    "unmarked",
    "clinical_marked_for_all",
)
SEES = {
    #            teen_only family_only school_only everyone unmarked clinical
    Role.THERAPIST: (True, True, True, True, True, True),
    Role.TEEN: (True, True, True, True, False, False),
    Role.GUARDIAN: (False, True, True, True, False, False),
    Role.SCHOOL: (False, False, True, True, False, False),
}


@pytest.mark.parametrize(
    ("role", "item", "expected"),
    [
        pytest.param(role, item, seen[i], id=f"{role}-{item}-{'sees' if seen[i] else 'not'}")
        for role, seen in SEES.items()
        for i, item in enumerate(ITEMS)
    ],
)
def test_item_filter(w, role, item, expected):
    keys = set(
        db.session.scalars(
            select(PlanItem.key).where(PlanItem.team_id == w.team("a").id, item_filter(role))
        )
    )
    assert (item in keys) is expected


def test_item_filter_of_a_role_that_does_not_exist_shows_nothing(w):
    query = select(PlanItem.key).where(PlanItem.team_id == w.team("a").id, item_filter("nurse"))
    assert db.session.scalars(query).all() == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.therapist", True, id="therapist"),
        pytest.param("a.teen", True, id="teen"),
        pytest.param("a.guardian", True, id="guardian-needs-no-consent"),
        pytest.param("a.restricted", False, id="restricted-guardian"),
        pytest.param("a.school", True, id="school-with-consent"),
        pytest.param("a.school_last_day", True, id="school-consent-last-day-today"),
        pytest.param("a.school_ended", False, id="school-consent-ended-yesterday"),
        pytest.param("a.school_tomorrow", False, id="school-consent-starts-tomorrow"),
        pytest.param("a.school_none", False, id="school-without-consent"),
        pytest.param("a.school_thread_only", False, id="school-with-only-a-thread-consent"),
        pytest.param("a.school_restricted", False, id="restricted-school"),
        pytest.param(None, False, id="nobody"),
    ],
)
def test_may_view_plan(w, who, expected):
    assert may_view_plan(w.m(who) if who else None) is expected


def test_may_view_plan_of_a_role_that_does_not_exist():
    assert may_view_plan(member("nurse")) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.TEEN, (Role.GUARDIAN, Role.SCHOOL), id="teen-previews"),
        pytest.param(Role.THERAPIST, (Role.GUARDIAN, Role.SCHOOL), id="therapist-previews"),
        pytest.param(Role.GUARDIAN, (), id="guardian"),
        pytest.param(Role.SCHOOL, (), id="school"),
    ],
)
def test_previewable_roles(role, expected):
    assert previewable_roles(member(role)) == expected


@pytest.mark.parametrize(
    ("role", "edit", "agree", "acknowledge", "see_audiences"),
    [
        pytest.param(Role.THERAPIST, True, False, False, True, id="therapist"),
        pytest.param(Role.TEEN, False, True, False, True, id="teen"),
        pytest.param(Role.GUARDIAN, False, False, True, False, id="guardian"),
        pytest.param(Role.SCHOOL, False, False, True, False, id="school"),
    ],
)
def test_abilities(role, edit, agree, acknowledge, see_audiences):
    got = abilities(member(role))
    assert (got.edit, got.agree, got.acknowledge, got.see_audiences) == (
        edit,
        agree,
        acknowledge,
        see_audiences,
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # "The teen agrees; guardians and school acknowledge their parts."
        pytest.param(Role.TEEN, True, id="teen"),
        pytest.param(Role.GUARDIAN, False, id="guardian"),
        pytest.param(Role.SCHOOL, False, id="school"),
        pytest.param(Role.THERAPIST, False, id="therapist"),
    ],
)
def test_agrees_to_plan(role, expected):
    assert agrees_to_plan(member(role)) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # "Who viewed the teen's records": a look by anyone but those who write the plan.
        pytest.param(Role.THERAPIST, False, id="therapist"),
        pytest.param(Role.TEEN, True, id="teen"),
        pytest.param(Role.GUARDIAN, True, id="guardian"),
        pytest.param(Role.SCHOOL, True, id="school"),
    ],
)
def test_view_is_audited(role, expected):
    assert view_is_audited(member(role)) is expected


@pytest.mark.parametrize(
    ("section", "expected"),
    [pytest.param(Section.CLINICAL_NOTES, True, id="clinical-notes")]
    + [
        pytest.param(section, False, id=section.value)
        for section in Section
        if section != Section.CLINICAL_NOTES
    ],
)
def test_is_clinical(section, expected):
    assert is_clinical(section) is expected
