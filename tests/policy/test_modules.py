"""Psychoeducation modules (DESIGN.md: "modules: therapist assigns, sees progress; teen,
guardian, school: own"). Each member reads the modules written for their role and their
progress is kept; therapists open every module to preview it and their preview records
nothing. A restricted member reads none."""

from datetime import date

import pytest
from flask import g
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Membership, ModuleAssignment, ModuleProgress, Role
from app.policy.modules import (
    EVERY_AUDIENCE,
    Audience,
    Module,
    Reader,
    assigned_to_role,
    assignees_in_role,
    authorize_progress,
    library,
    may_be_assigned,
    own_assignments,
    own_progress,
    readable_module_or_404,
    readable_modules,
    reader_or_404,
    team_progress,
)
from tests.policy.conftest import member

NOT_FOUND = "404"
GUARDIANS, TEENS, SCHOOL = Audience.GUARDIAN, Audience.TEEN, Audience.SCHOOL


def module_for(audience: Audience) -> Module:
    return Module(
        slug=f"for-{audience}",
        locale="en",
        title="t",
        audience=audience,
        minutes=5,
        summary="s",
        order=1,
        reviewed_by="r",
        reviewed_on=date(2026, 1, 1),
        sections=(),
        scenarios=(),
    )


def a_slug_for(audience: Audience) -> str:
    """A module of the repository's library written for this audience."""
    return library().for_audiences(frozenset({audience}), "en")[0].slug


# -- who reads, and whether it is recorded ----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "audiences", "records"),
    [
        pytest.param("a.therapist", EVERY_AUDIENCE, False, id="therapist-previews-all"),
        pytest.param("a.guardian", {GUARDIANS}, True, id="guardian"),
        pytest.param("a.teen", {TEENS}, True, id="teen"),
        pytest.param("a.school", {SCHOOL}, True, id="school"),
        # dual is a therapist elsewhere; as B's guardian they read as a guardian.
        pytest.param("b.guardian", {GUARDIANS}, True, id="dual-as-guardian"),
        pytest.param("a.restricted", NOT_FOUND, None, id="restricted-guardian"),
    ],
)
def test_reader_or_404(w, who, audiences, records):
    membership = w.m(who)
    g.membership = membership
    user = w.u("dual") if who in ("a.therapist", "b.guardian") else w.u(who)
    if audiences == NOT_FOUND:
        with pytest.raises(NotFound):
            reader_or_404(user)
        return
    assert reader_or_404(user) == Reader(membership, frozenset(audiences), records)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param("dual", "preview", id="therapist-without-a-team-chosen"),
        pytest.param("staff", "preview", id="practice-staff"),
        pytest.param("a.guardian", NOT_FOUND, id="guardian-without-a-team-chosen"),
    ],
)
def test_reader_or_404_without_a_chosen_team(w, user, expected):
    g.membership = None
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            reader_or_404(w.u(user))
    else:
        assert reader_or_404(w.u(user)) == Reader(None, EVERY_AUDIENCE, False)


def test_a_role_written_for_by_no_module_reads_none(w):
    g.membership = member("nurse")
    with pytest.raises(NotFound):
        reader_or_404(w.u("a.guardian"))


@pytest.mark.parametrize(
    ("audiences", "module_audience", "expected"),
    [
        pytest.param({GUARDIANS}, GUARDIANS, True, id="guardian-reads-guardians"),
        pytest.param({GUARDIANS}, TEENS, False, id="guardian-not-teens"),
        pytest.param({TEENS}, TEENS, True, id="teen-reads-teens"),
        pytest.param({TEENS}, SCHOOL, False, id="teen-not-schools"),
        pytest.param({SCHOOL}, SCHOOL, True, id="school-reads-schools"),
        pytest.param(EVERY_AUDIENCE, TEENS, True, id="preview-teens"),
        pytest.param(EVERY_AUDIENCE, SCHOOL, True, id="preview-schools"),
    ],
)
def test_readable_module_or_404(audiences, module_audience, expected):
    reader = Reader(None, frozenset(audiences), False)
    slug = a_slug_for(module_audience)
    if expected:
        module = readable_module_or_404(reader, slug, "es")
        assert (module.slug, module.locale) == (slug, "es")
    else:
        with pytest.raises(NotFound):
            readable_module_or_404(reader, slug, "es")


def test_an_unknown_module_is_404():
    with pytest.raises(NotFound):
        readable_module_or_404(Reader(None, EVERY_AUDIENCE, False), "no-such-module", "en")


@pytest.mark.parametrize(
    "audiences",
    [
        pytest.param({GUARDIANS}, id="guardians"),
        pytest.param({TEENS}, id="teens"),
        pytest.param({SCHOOL}, id="school"),
        pytest.param(set(EVERY_AUDIENCE), id="every"),
    ],
)
def test_readable_modules(audiences):
    found = readable_modules(Reader(None, frozenset(audiences), False), "es")
    assert found
    assert {m.audience for m in found} == audiences
    assert {m.locale for m in found} == {"es"}


@pytest.mark.parametrize(
    ("who", "audience", "expected"),
    [
        pytest.param(member(Role.GUARDIAN), GUARDIANS, "ok", id="guardian-own"),
        pytest.param(member(Role.GUARDIAN), TEENS, NOT_FOUND, id="guardian-teens"),
        pytest.param(member(Role.TEEN), TEENS, "ok", id="teen-own"),
        pytest.param(member(Role.TEEN), GUARDIANS, NOT_FOUND, id="teen-guardians"),
        pytest.param(member(Role.SCHOOL), SCHOOL, "ok", id="school-own"),
        pytest.param(member(Role.THERAPIST), GUARDIANS, NOT_FOUND, id="therapist-previews-only"),
        pytest.param(member(Role.GUARDIAN, restricted=True), GUARDIANS, NOT_FOUND, id="restricted"),
        pytest.param(None, GUARDIANS, NOT_FOUND, id="nobody"),
    ],
)
def test_authorize_progress(who, audience, expected):
    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            authorize_progress(who, module_for(audience))
    else:
        assert authorize_progress(who, module_for(audience)) is who


@pytest.mark.parametrize(
    ("audience", "role", "expected"),
    [
        pytest.param(GUARDIANS, Role.GUARDIAN, True, id="guardians-to-guardian"),
        pytest.param(GUARDIANS, Role.TEEN, False, id="guardians-to-teen"),
        pytest.param(GUARDIANS, Role.SCHOOL, False, id="guardians-to-school"),
        pytest.param(TEENS, Role.TEEN, True, id="teens-to-teen"),
        pytest.param(TEENS, Role.GUARDIAN, False, id="teens-to-guardian"),
        pytest.param(SCHOOL, Role.SCHOOL, True, id="school-to-school"),
        pytest.param(SCHOOL, Role.THERAPIST, False, id="school-to-therapist"),
    ],
)
def test_may_be_assigned(audience, role, expected):
    assert may_be_assigned(module_for(audience), role) is expected


# -- the world's assignments and progress -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.guardian", {"read_by_guardian"}, id="guardian-own"),
        pytest.param("a.guardian2", {"read_by_guardian2"}, id="other-guardian-own"),
        pytest.param("a.teen", {"read_by_teen"}, id="teen-own"),
        pytest.param("a.therapist", set(), id="therapist-has-none-of-their-own"),
        pytest.param("b.guardian", {"read_by_b_guardian"}, id="other-team"),
    ],
)
def test_own_progress(w, who, expected):
    rows = db.session.scalars(own_progress(w.m(who)))
    assert {p.module_slug for p in rows} == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.guardian", {"named_guardian", "all_guardians"}, id="by-name-and-role"),
        pytest.param("a.guardian2", {"all_guardians"}, id="by-role"),
        pytest.param("a.teen", {"all_teens", "named_teen"}, id="teen"),
        pytest.param("a.restricted", set(), id="restricted-guardian"),
        pytest.param("a.school", set(), id="school-none-assigned"),
        pytest.param("b.guardian", {"b_guardians"}, id="other-team"),
    ],
)
def test_own_assignments(w, who, expected):
    rows = db.session.scalars(own_assignments(w.m(who)))
    assert {a.module_slug for a in rows} == expected


def test_own_assignments_are_assignments(w):
    rows = db.session.scalars(own_assignments(w.m("a.guardian"))).all()
    assert all(isinstance(row, ModuleAssignment) for row in rows)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(
            "a.therapist",
            {"read_by_guardian", "read_by_guardian2", "read_by_teen"},
            id="therapist-follows-the-team",
        ),
        pytest.param("b.therapist", {"read_by_b_guardian"}, id="other-team"),
        pytest.param("a.guardian", set(), id="guardian"),
        pytest.param("a.teen", set(), id="teen"),
    ],
)
def test_team_progress(w, who, expected):
    rows = db.session.scalars(team_progress(w.m(who))).all()
    assert all(isinstance(row, ModuleProgress) for row in rows)
    assert {p.module_slug for p in rows} == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Not the restricted guardian, and a deleted account is not assigned anything.
        pytest.param(Role.GUARDIAN, {"a.guardian", "a.guardian2"}, id="guardians"),
        pytest.param(Role.TEEN, {"a.teen"}, id="teen"),
        pytest.param(Role.THERAPIST, set(), id="therapists-preview-instead"),
        pytest.param(
            Role.SCHOOL,
            {
                "a.school",
                "a.school_last_day",
                "a.school_first_day",
                "a.school_ended",
                "a.school_tomorrow",
                "a.school_half",
                "a.school_revoked",
                "a.school_none",
                "a.school_unsigned",
                "a.school_thread_only",
            },
            id="counselors-not-the-restricted-one",
        ),
    ],
)
def test_assignees_in_role(w, role, expected):
    found = db.session.scalars(
        select(Membership.id).where(Membership.team_id == w.team("a").id, assignees_in_role(role))
    )
    assert w.keys(found) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.GUARDIAN, {"all_guardians"}, id="guardians-not-one-guardian"),
        pytest.param(Role.TEEN, {"all_teens"}, id="teen-not-named"),
        pytest.param(Role.SCHOOL, set(), id="none-for-school"),
    ],
)
def test_assigned_to_role(w, role, expected):
    found = db.session.scalars(
        select(ModuleAssignment.module_slug).where(
            ModuleAssignment.team_id == w.team("a").id, assigned_to_role(role)
        )
    )
    assert set(found) == expected


def test_own_progress_is_of_the_members_own_team(w):
    """A progress row of another team is never the member's, whoever it names."""
    guardian = w.m("a.guardian")
    db.session.add(
        ModuleProgress(team_id=w.team("b").id, membership_id=guardian.id, module_slug="stray")
    )
    db.session.flush()
    assert {p.module_slug for p in db.session.scalars(own_progress(guardian))} == {
        "read_by_guardian"
    }
