"""The consent rule (DESIGN.md): a disclosure needs the signatures the practice's rule asks for
(`guardian`, `teen` or `both`); below the practice's consent age a guardian signs in the teen's
place. In force = every signature the rule asks for, inside its period, not revoked."""

from datetime import date, timedelta

import pytest
from sqlalchemy import bindparam

from app.extensions import db
from app.models import Consent, ConsentRule, Role, Scope
from app.policy import consents
from app.policy.consents import (
    in_force,
    is_in_force,
    may_revoke,
    may_sign,
    may_start,
    prime_in_force,
    required_roles,
    teen_age,
)
from tests.policy.conftest import (
    TODAY,
    TOMORROW,
    YESTERDAY,
    consent,
    member,
    practice,
    team_of_teen,
)

G, T = Role.GUARDIAN, Role.TEEN
BOTH, TEEN, GUARDIAN = ConsentRule.BOTH, ConsentRule.TEEN, ConsentRule.GUARDIAN
TWELVE_TOMORROW = date(2014, 3, 11)  # turns 12 the day after TODAY
TWELVE_TODAY = date(2014, 3, 10)  # turns 12 on TODAY
FOURTEEN = date(2011, 5, 1)


@pytest.mark.parametrize(
    ("born", "today", "expected"),
    [
        pytest.param(date(2012, 3, 10), date(2024, 3, 9), 11, id="day-before-birthday"),
        pytest.param(date(2012, 3, 10), date(2024, 3, 10), 12, id="birthday"),
        pytest.param(date(2012, 3, 10), date(2024, 3, 11), 12, id="day-after-birthday"),
        pytest.param(date(2012, 3, 10), date(2024, 2, 28), 11, id="month-before-later-day"),
        pytest.param(date(2012, 3, 10), date(2024, 4, 1), 12, id="month-after-earlier-day"),
        pytest.param(date(2012, 12, 31), date(2024, 1, 1), 11, id="new-year"),
        pytest.param(date(2008, 2, 29), date(2024, 2, 28), 15, id="leap-born-day-before"),
        pytest.param(date(2008, 2, 29), date(2024, 2, 29), 16, id="leap-born-leap-birthday"),
        pytest.param(date(2008, 2, 29), date(2025, 2, 28), 16, id="leap-born-feb-28"),
        pytest.param(date(2008, 2, 29), date(2025, 3, 1), 17, id="leap-born-mar-1"),
        pytest.param(TODAY, TODAY, 0, id="born-today"),
    ],
)
def test_teen_age(born, today, expected):
    assert teen_age(team_of_teen(born), today) == expected


@pytest.mark.parametrize(
    ("rule", "consent_age", "born", "expected"),
    [
        pytest.param(BOTH, 12, FOURTEEN, {G, T}, id="both-over-age"),
        pytest.param(BOTH, 12, TWELVE_TODAY, {G, T}, id="both-on-the-birthday"),
        pytest.param(BOTH, 12, TWELVE_TOMORROW, {G}, id="both-day-before-birthday"),
        pytest.param(TEEN, 12, FOURTEEN, {T}, id="teen-over-age"),
        pytest.param(TEEN, 12, TWELVE_TODAY, {T}, id="teen-on-the-birthday"),
        pytest.param(TEEN, 12, TWELVE_TOMORROW, {G}, id="teen-day-before-birthday"),
        pytest.param(TEEN, 16, FOURTEEN, {G}, id="teen-under-a-higher-age"),
        pytest.param(TEEN, 14, date(2012, 3, 10), {T}, id="teen-on-the-14th-birthday"),
        pytest.param(GUARDIAN, 12, FOURTEEN, {G}, id="guardian-over-age"),
        pytest.param(GUARDIAN, 12, TWELVE_TOMORROW, {G}, id="guardian-under-age"),
    ],
)
def test_required_roles(rule, consent_age, born, expected):
    assert required_roles(practice(rule, consent_age), team_of_teen(born), TODAY) == expected


@pytest.mark.parametrize(
    ("rule", "born", "signers", "period", "revoked", "expected"),
    [
        pytest.param(BOTH, FOURTEEN, (G, T), (YESTERDAY, TOMORROW), False, True, id="in-force"),
        pytest.param(BOTH, FOURTEEN, (G, T), (YESTERDAY, TODAY), False, True, id="last-day-today"),
        pytest.param(
            BOTH, FOURTEEN, (G, T), (YESTERDAY, YESTERDAY), False, False, id="ended-yesterday"
        ),
        pytest.param(BOTH, FOURTEEN, (G, T), (TODAY, TOMORROW), False, True, id="starts-today"),
        pytest.param(
            BOTH, FOURTEEN, (G, T), (TOMORROW, TOMORROW), False, False, id="starts-tomorrow"
        ),
        pytest.param(BOTH, FOURTEEN, (G, T), (TODAY, TODAY), False, True, id="one-day-today"),
        pytest.param(BOTH, FOURTEEN, (G, T), (YESTERDAY, TOMORROW), True, False, id="revoked"),
        pytest.param(BOTH, FOURTEEN, (G,), (YESTERDAY, TOMORROW), False, False, id="no-teen"),
        pytest.param(BOTH, FOURTEEN, (T,), (YESTERDAY, TOMORROW), False, False, id="no-guardian"),
        pytest.param(
            BOTH, FOURTEEN, (G, G), (YESTERDAY, TOMORROW), False, False, id="two-guardians"
        ),
        pytest.param(
            BOTH,
            FOURTEEN,
            (G, Role.SCHOOL, Role.THERAPIST),
            (YESTERDAY, TOMORROW),
            False,
            False,
            id="others-cannot-stand-in-for-the-teen",
        ),
        pytest.param(BOTH, FOURTEEN, (), (YESTERDAY, TOMORROW), False, False, id="unsigned"),
        pytest.param(
            BOTH, FOURTEEN, (G, T, G), (YESTERDAY, TOMORROW), False, True, id="more-than-asked"
        ),
        pytest.param(
            BOTH, TWELVE_TOMORROW, (G,), (YESTERDAY, TOMORROW), False, True, id="under-age-guardian"
        ),
        pytest.param(
            BOTH, TWELVE_TOMORROW, (T,), (YESTERDAY, TOMORROW), False, False, id="under-age-teen"
        ),
        pytest.param(
            BOTH, TWELVE_TODAY, (G,), (YESTERDAY, TOMORROW), False, False, id="12-today-needs-teen"
        ),
        pytest.param(TEEN, FOURTEEN, (T,), (YESTERDAY, TOMORROW), False, True, id="teen-rule"),
        pytest.param(
            TEEN, FOURTEEN, (G,), (YESTERDAY, TOMORROW), False, False, id="teen-rule-guardian"
        ),
        pytest.param(GUARDIAN, FOURTEEN, (G,), (YESTERDAY, TOMORROW), False, True, id="g-rule"),
        pytest.param(
            GUARDIAN, FOURTEEN, (T,), (YESTERDAY, TOMORROW), False, False, id="g-rule-teen"
        ),
        pytest.param(
            GUARDIAN, FOURTEEN, (G,), (TOMORROW, TOMORROW), False, False, id="g-rule-tomorrow"
        ),
    ],
)
def test_is_in_force(rule, born, signers, period, revoked, expected):
    starts, ends = period
    given = consent(*signers, starts=starts, ends=ends, revoked=revoked)
    assert is_in_force(given, practice(rule), team_of_teen(born), TODAY) is expected


# -- who starts, signs and revokes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "born", "who", "expected"),
    [
        pytest.param(BOTH, FOURTEEN, member(G), True, id="both-guardian"),
        pytest.param(BOTH, FOURTEEN, member(T), True, id="both-teen"),
        pytest.param(BOTH, FOURTEEN, member(Role.THERAPIST), False, id="both-therapist"),
        pytest.param(BOTH, FOURTEEN, member(Role.SCHOOL), False, id="both-school"),
        pytest.param(BOTH, FOURTEEN, member(G, restricted=True), False, id="restricted-guardian"),
        pytest.param(BOTH, TWELVE_TOMORROW, member(T), False, id="teen-day-before-birthday"),
        pytest.param(BOTH, TWELVE_TOMORROW, member(G), True, id="guardian-for-a-younger-teen"),
        pytest.param(BOTH, TWELVE_TODAY, member(T), True, id="teen-on-the-birthday"),
        pytest.param(TEEN, FOURTEEN, member(T), True, id="teen-rule-teen"),
        pytest.param(TEEN, FOURTEEN, member(G), False, id="teen-rule-guardian"),
        pytest.param(GUARDIAN, FOURTEEN, member(G), True, id="guardian-rule-guardian"),
        pytest.param(GUARDIAN, FOURTEEN, member(T), False, id="guardian-rule-teen"),
    ],
)
def test_may_start(frozen_today, rule, born, who, expected):
    assert may_start(who, practice(rule), team_of_teen(born)) is expected


GUARDIAN_1 = member(G, team_id=1)
GUARDIAN_2 = member(G, team_id=1)
TEEN_1 = member(T, team_id=1)


@pytest.mark.parametrize(
    ("who", "born", "given", "expected"),
    [
        pytest.param(GUARDIAN_1, FOURTEEN, consent(), True, id="guardian"),
        pytest.param(TEEN_1, FOURTEEN, consent(), True, id="teen"),
        pytest.param(member(Role.THERAPIST), FOURTEEN, consent(), False, id="therapist"),
        pytest.param(member(Role.SCHOOL), FOURTEEN, consent(), False, id="school"),
        pytest.param(member(G, restricted=True), FOURTEEN, consent(), False, id="restricted"),
        pytest.param(TEEN_1, TWELVE_TOMORROW, consent(), False, id="teen-under-consent-age"),
        pytest.param(GUARDIAN_1, FOURTEEN, consent(team_id=2), False, id="other-team"),
        pytest.param(GUARDIAN_1, FOURTEEN, consent(revoked=True), False, id="revoked"),
        pytest.param(GUARDIAN_1, FOURTEEN, consent(ends=YESTERDAY), False, id="ended-yesterday"),
        pytest.param(GUARDIAN_1, FOURTEEN, consent(ends=TODAY), True, id="last-day-today"),
        # Signing ahead of the first day: it is in force from that day on.
        pytest.param(GUARDIAN_1, FOURTEEN, consent(starts=TOMORROW), True, id="starts-tomorrow"),
        pytest.param(GUARDIAN_1, FOURTEEN, consent(GUARDIAN_1), False, id="signed-it-already"),
        pytest.param(GUARDIAN_2, FOURTEEN, consent(GUARDIAN_1), True, id="other-guardian-signed"),
        pytest.param(TEEN_1, FOURTEEN, consent(GUARDIAN_1, GUARDIAN_2), True, id="teen-after"),
    ],
)
def test_may_sign(frozen_today, who, born, given, expected):
    assert may_sign(who, given, practice(BOTH), team_of_teen(born)) is expected


def test_may_sign_asks_the_real_date():
    """Without a frozen date, the clock decides (a day either side, so midnight cannot flake)."""
    today = date.today()
    guardian, rule, teen = member(G, team_id=1), practice(BOTH), team_of_teen(FOURTEEN)
    assert may_sign(guardian, consent(ends=today + timedelta(days=1)), rule, teen) is True
    assert may_sign(guardian, consent(ends=today - timedelta(days=1)), rule, teen) is False


@pytest.mark.parametrize(
    ("who", "given", "expected"),
    [
        pytest.param(GUARDIAN_1, consent(GUARDIAN_1), True, id="signer"),
        pytest.param(GUARDIAN_1, consent(TEEN_1, GUARDIAN_1), True, id="one-of-the-signers"),
        pytest.param(GUARDIAN_1, consent(GUARDIAN_1, ends=YESTERDAY), True, id="ended"),
        pytest.param(GUARDIAN_2, consent(GUARDIAN_1), False, id="not-a-signer"),
        pytest.param(member(Role.THERAPIST), consent(GUARDIAN_1), False, id="therapist"),
        pytest.param(GUARDIAN_1, consent(GUARDIAN_1, revoked=True), False, id="already-revoked"),
        pytest.param(GUARDIAN_1, consent(GUARDIAN_1, team_id=2), False, id="other-team"),
        pytest.param(GUARDIAN_1, consent(), False, id="unsigned"),
    ],
)
def test_may_revoke(who, given, expected):
    assert may_revoke(who, given) is expected


def test_a_restricted_signer_may_still_revoke():
    """Any signer may take their consent back, at any time."""
    guardian = member(G, team_id=1, restricted=True)
    given = consent(guardian)
    assert may_revoke(guardian, given) is True


# -- in force, from the database (the world) ------------------------------------------------


@pytest.mark.parametrize(
    ("who", "scope", "expected"),
    [
        pytest.param("a.school", Scope.SCHOOL_PLAN, True, id="plan-in-force"),
        pytest.param("a.school_last_day", Scope.SCHOOL_PLAN, True, id="plan-last-day-today"),
        pytest.param("a.school_first_day", Scope.SCHOOL_PLAN, True, id="plan-first-day-today"),
        pytest.param("a.school_ended", Scope.SCHOOL_PLAN, False, id="plan-ended-yesterday"),
        pytest.param("a.school_tomorrow", Scope.SCHOOL_PLAN, False, id="plan-starts-tomorrow"),
        pytest.param("a.school_half", Scope.SCHOOL_PLAN, False, id="plan-no-teen-signature"),
        pytest.param("a.school_revoked", Scope.SCHOOL_PLAN, False, id="plan-revoked"),
        pytest.param("a.school_restricted", Scope.SCHOOL_PLAN, False, id="plan-restricted"),
        pytest.param("a.school_none", Scope.SCHOOL_PLAN, False, id="plan-no-consent"),
        pytest.param("a.school_unsigned", Scope.SCHOOL_PLAN, False, id="plan-signed-by-nobody"),
        pytest.param("a.school_thread_only", Scope.SCHOOL_PLAN, False, id="plan-other-scope"),
        pytest.param("b.school", Scope.SCHOOL_PLAN, True, id="plan-teen-rule-teen"),
        pytest.param("b.school_g", Scope.SCHOOL_PLAN, False, id="plan-teen-rule-guardian"),
        pytest.param("c.school", Scope.SCHOOL_PLAN, True, id="plan-under-age-guardian"),
        pytest.param("c.school_t", Scope.SCHOOL_PLAN, False, id="plan-under-age-teen"),
        pytest.param("f.school", Scope.SCHOOL_PLAN, True, id="plan-guardian-rule-guardian"),
        pytest.param("f.school_t", Scope.SCHOOL_PLAN, False, id="plan-guardian-rule-teen"),
        pytest.param("a.guardian", Scope.SCHOOL_PLAN, False, id="plan-not-a-counselor"),
        pytest.param("a.therapist", Scope.SCHOOL_PLAN, False, id="plan-therapist"),
        pytest.param("a.school", Scope.SCHOOL_THREAD, True, id="thread-in-force"),
        pytest.param("a.school_thread_only", Scope.SCHOOL_THREAD, True, id="thread-only"),
        pytest.param("a.school_last_day", Scope.SCHOOL_THREAD, False, id="thread-none"),
        pytest.param("b.school", Scope.SCHOOL_THREAD, True, id="thread-teen-rule-teen"),
        pytest.param("b.school_g", Scope.SCHOOL_THREAD, False, id="thread-teen-rule-guardian"),
        pytest.param("a.guardian", Scope.CHECKIN_SUMMARY, True, id="summary-guardian"),
        pytest.param("a.guardian2", Scope.CHECKIN_SUMMARY, True, id="summary-every-guardian"),
        pytest.param("a.restricted", Scope.CHECKIN_SUMMARY, False, id="summary-restricted"),
        pytest.param("a.teen", Scope.CHECKIN_SUMMARY, False, id="summary-not-for-teen"),
        pytest.param("a.school", Scope.CHECKIN_SUMMARY, False, id="summary-not-for-school"),
        pytest.param("a.therapist", Scope.CHECKIN_SUMMARY, False, id="summary-not-therapist"),
        pytest.param("b.guardian", Scope.CHECKIN_SUMMARY, False, id="summary-revoked"),
        pytest.param("c.guardian", Scope.CHECKIN_SUMMARY, True, id="summary-under-age"),
        pytest.param("f.guardian", Scope.CHECKIN_SUMMARY, False, id="summary-rule-unmet"),
    ],
)
def test_in_force(w, who, scope, expected):
    assert in_force(w.m(who), scope) is expected


def test_in_force_is_asked_once_a_request(w, queries):
    counselor = w.m("a.school")
    assert in_force(counselor, Scope.SCHOOL_PLAN) is True
    before = queries.count
    assert in_force(counselor, Scope.SCHOOL_PLAN) is True
    assert queries.count == before


PLAN_TABLE = {
    "a.school": True,
    "a.school_ended": False,
    "a.school_half": False,
    "a.school_restricted": False,
    "b.school": True,
    "b.school_g": False,
    "c.school": True,
    "c.school_t": False,
    "f.school": True,
    "a.guardian": False,
}


def test_prime_in_force_answers_many_members_of_many_teams_in_one_query(w, queries):
    members = [w.m(key) for key in PLAN_TABLE]
    before = queries.count
    prime_in_force(members, Scope.SCHOOL_PLAN)
    assert queries.count == before + 1
    assert {key: in_force(w.m(key), Scope.SCHOOL_PLAN) for key in PLAN_TABLE} == PLAN_TABLE
    assert queries.count == before + 1


def test_prime_in_force_fills_the_cache_it_is_given(w):
    cache: dict = {}
    school, guardian = w.m("a.school"), w.m("a.guardian")
    prime_in_force([school, guardian], Scope.SCHOOL_PLAN, cache)
    assert cache == {(school.id, Scope.SCHOOL_PLAN): True, (guardian.id, Scope.SCHOOL_PLAN): False}


def test_prime_in_force_keeps_what_it_already_knows(w, queries):
    """Members already answered are not asked again, nor is the database for nobody new."""
    none = w.m("a.school_none")
    cache = {(none.id, Scope.SCHOOL_PLAN): True}
    before = queries.count
    prime_in_force([none], Scope.SCHOOL_PLAN, cache)
    assert cache == {(none.id, Scope.SCHOOL_PLAN): True}
    assert queries.count == before


def test_prime_in_force_asks_nothing_for_those_no_consent_can_cover(w, queries):
    therapist, teen = w.m("a.therapist"), w.m("a.teen")
    cache: dict = {}
    before = queries.count
    prime_in_force([therapist, teen], Scope.SCHOOL_THREAD, cache)
    assert queries.count == before
    assert cache == {
        (therapist.id, Scope.SCHOOL_THREAD): False,
        (teen.id, Scope.SCHOOL_THREAD): False,
    }


def test_in_force_outside_an_app_context_caches_nothing_and_answers():
    """A script or a job outside a request: no `g` to cache in, the answer still holds."""
    assert in_force(member(Role.THERAPIST), Scope.SCHOOL_PLAN) is False
    assert in_force(member(G, restricted=True), Scope.CHECKIN_SUMMARY) is False


# -- the statement in_force reads the live consents with ------------------------------------
# Built once at import (app.policy.consents), so it is built afresh here to be tested.

SCHOOL_PLAN_ROWS = {
    # consent: (recipient, teen born, rule, consent age, signer roles)
    "a.school": ("a.school", date(2011, 5, 1), BOTH, 12, {G, T}),
    "a.school_last_day": ("a.school_last_day", date(2011, 5, 1), BOTH, 12, {G, T}),
    "a.school_first_day": ("a.school_first_day", date(2011, 5, 1), BOTH, 12, {G, T}),
    "a.school_half": ("a.school_half", date(2011, 5, 1), BOTH, 12, {G}),
    "a.school_restricted": ("a.school_restricted", date(2011, 5, 1), BOTH, 12, {G, T}),
    "a.school_unsigned": ("a.school_unsigned", date(2011, 5, 1), BOTH, 12, {None}),
    "b.school": ("b.school", date(2010, 6, 1), TEEN, 14, {T}),
}


def _rows(w, statement, params):
    found: dict[str, tuple] = {}
    for consent_id, team_id, recipient_id, born, rule, age, role in db.session.execute(
        statement, {"today": TODAY, **params}
    ):
        name = w.name_of(Consent, consent_id).removeprefix("consent:")
        assert team_id == w.get(f"consent:{name}").team_id
        recipient = w.keys([recipient_id]).pop() if recipient_id else None
        key = (recipient, born, rule, age)
        roles = found.setdefault(name, (*key, set()))[-1]
        roles.add(role)
    return found


def test_the_statement_for_named_counselors(w):
    statement = consents._consents_statement(
        Consent.recipient_membership_id.in_(bindparam("member_ids", expanding=True))
    )
    named = [w.m(key).id for key in SCHOOL_PLAN_ROWS] + [
        w.m(key).id for key in ("a.school_ended", "a.school_tomorrow", "a.school_revoked")
    ]
    params = {
        "team_ids": [w.team("a").id, w.team("b").id],
        "scope": Scope.SCHOOL_PLAN,
        "member_ids": named,
    }
    assert _rows(w, statement, params) == SCHOOL_PLAN_ROWS


SUMMARY_ROWS = {
    "a.summary": (None, date(2011, 5, 1), BOTH, 12, {G, T}),
    "c.summary": (None, date(2014, 3, 11), BOTH, 12, {G}),
    "f.summary": (None, date(2011, 1, 1), GUARDIAN, 12, {T}),
}


@pytest.mark.parametrize(
    ("teams", "expected"),
    [
        pytest.param(("a", "b", "c", "f"), SUMMARY_ROWS, id="every-team-asked"),
        pytest.param(("a",), {"a.summary": SUMMARY_ROWS["a.summary"]}, id="only-the-teams-asked"),
        pytest.param(("b",), {}, id="revoked"),
    ],
)
def test_the_statement_for_every_guardian(w, teams, expected):
    statement = consents._consents_statement(Consent.recipient_membership_id.is_(None))
    params = {"team_ids": [w.team(key).id for key in teams], "scope": Scope.CHECKIN_SUMMARY}
    assert _rows(w, statement, params) == expected
