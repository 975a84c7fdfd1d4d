"""Property: at every step of any sequence of signing, revoking, time passing and granting
again, the school sees its part exactly when a consent is in force."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.consent import commands as consents
from app.domain.plans import commands as plans
from app.extensions import db
from app.models import Consent, ConsentSignature, Role, Scope
from app.policy import consents as rules
from tests.conftest import log_in
from tests.plans.helpers import save

ROUTES = {
    Scope.SCHOOL_PLAN: [
        "/school/plan",
        "/school/plan/history",
        "/school/plan/versions/1",
        "/school/plan/diff?from=1&to=1",
    ],
    Scope.SCHOOL_THREAD: [
        "/teams/{team}/messages/school",
        "/teams/{team}/messages/care-team",
    ],
}

steps = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.integers(0, 20), st.integers(1, 60)),
        st.tuples(st.just("sign"), st.sampled_from(["teen", "guardian", "guardian2"])),
        st.tuples(st.just("revoke"), st.sampled_from(["teen", "guardian", "guardian2"])),
        st.tuples(st.just("wait"), st.integers(1, 40)),
    ),
    min_size=1,
    max_size=12,
)


class Clock:
    def __init__(self):
        self.today = date.today()

    def __call__(self):
        return self.today


def _expected(open_consents, today) -> bool:
    """The model: a consent in force needs guardian and teen (rule both, the teen is 15)."""
    return any(
        not c["revoked"]
        and c["starts"] <= today <= c["ends"]
        and {"teen", "guardian"} <= c["roles"]
        for c in open_consents
    )


@pytest.mark.parametrize("scope", [Scope.SCHOOL_PLAN, Scope.SCHOOL_THREAD])
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_school_access_equals_a_consent_in_force(app, team, monkeypatch, scope, sequence):
    if plans.plan_of(team.id) is None:  # fixtures live across examples; the plan is made once
        save(team)
    db.session.execute(ConsentSignature.__table__.delete())
    db.session.execute(Consent.__table__.delete())
    db.session.commit()
    clock = Clock()
    monkeypatch.setattr(rules, "_today", clock)
    counselor = app.test_client()
    log_in(counselor, team.school.email)
    model: list[dict] = []
    records: list[Consent] = []
    members = {k: team.memberships[k] for k in ("teen", "guardian", "guardian2")}
    users = {k: team.users[k] for k in members}

    for step in sequence:
        if step[0] == "grant":
            _, offset, length = step
            starts = clock.today + timedelta(days=offset)
            consent = Consent(
                team_id=team.id,
                scope=scope,
                recipient_membership_id=team.memberships["school"].id,
                starts_on=starts,
                ends_on=starts + timedelta(days=length),
                purpose="p",
                text_version=consents.TEXT_VERSION,
                text="t",
            )
            db.session.add(consent)
            db.session.commit()
            records.append(consent)
            model.append(
                {
                    "starts": starts,
                    "ends": consent.ends_on,
                    "roles": set(),
                    "signers": set(),
                    "revoked": False,
                }
            )
        elif step[0] == "sign" and records:
            who = step[1]
            consent, state = records[-1], model[-1]
            role = "teen" if who == "teen" else "guardian"
            allowed = (
                not state["revoked"]
                and clock.today <= state["ends"]
                and who not in state["signers"]
            )
            if allowed:
                db.session.add(
                    ConsentSignature(
                        team_id=team.id,
                        consent_id=consent.id,
                        membership_id=members[who].id,
                        signer_role=Role(role),
                        typed_name=users[who].name,
                    )
                )
                db.session.commit()
                state["roles"].add(role)
                state["signers"].add(who)
        elif step[0] == "revoke" and records:
            who = step[1]
            consent, state = records[-1], model[-1]
            if who in state["signers"] and not state["revoked"]:
                consent.revoked_at = consent.created_at
                db.session.commit()
                state["revoked"] = True
        elif step[0] == "wait":
            clock.today += timedelta(days=step[1])

        expected = _expected(model, clock.today)
        for route in ROUTES[scope]:
            status = counselor.get(route.format(team=team.id)).status_code
            assert status == (200 if expected else 404), (route, step, model, clock.today)
        if scope == Scope.SCHOOL_PLAN:
            dashboard = counselor.get("/school/").text
            assert ("Read the school plan" in dashboard) == expected
        else:
            threads = counselor.get(f"/teams/{team.id}/messages/").text
            assert (f"/teams/{team.id}/messages/school" in threads) == expected
