"""The consents of team A that the matrix sweeps through, and those of team B."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from app.db import utcnow
from app.extensions import db
from app.models import Consent, ConsentSignature, Scope

if TYPE_CHECKING:
    from tests.security.access_matrix.world import TeamWorld

SWEEP_PURPOSE = "Consent state of the authorization matrix."

# Each consent state of team A, and the scopes in force in it.
CONSENT_STATES: dict[str, frozenset[Scope]] = {
    "none": frozenset(),
    "school_plan": frozenset({Scope.SCHOOL_PLAN}),
    "school_thread": frozenset({Scope.SCHOOL_THREAD}),
    "checkin_summary": frozenset({Scope.CHECKIN_SUMMARY}),
    "all": frozenset(Scope),
    "revoked": frozenset(),
    "expired": frozenset(),
}
# Team B keeps every consent in force, so that nothing of B's can open A's records.
OTHER_TEAM_STATE = "all"


def add_consent(
    world: TeamWorld,
    scope: Scope,
    *,
    signers,
    purpose=SWEEP_PURPOSE,
    starts=None,
    ends=None,
    revoked=False,
) -> None:
    today = date.today()
    recipient = None if scope == Scope.CHECKIN_SUMMARY else world.member("school").id
    consent = Consent(
        team_id=world.id,
        scope=scope,
        recipient_membership_id=recipient,
        starts_on=starts or today - timedelta(days=10),
        ends_on=ends or today + timedelta(days=90),
        purpose=purpose,
        text_version="1",
        text=f"Consent for {scope.value}.",
        started_by_membership_id=world.member(signers[0]).id,
        revoked_at=utcnow() if revoked else None,
        revoked_by_membership_id=world.member(signers[0]).id if revoked else None,
    )
    db.session.add(consent)
    db.session.flush()
    for key in signers:
        db.session.add(
            ConsentSignature(
                team_id=world.id,
                consent_id=consent.id,
                membership_id=world.member(key).id,
                signer_role=world.member(key).role,
                typed_name=world.team.users[key].name,
            )
        )


def set_consent_state(world: TeamWorld, state: str) -> None:
    """Replaces the team's sweep consents with those of `state` (the pending one stays)."""
    sweep = select(Consent.id).where(Consent.team_id == world.id, Consent.purpose == SWEEP_PURPOSE)
    db.session.execute(delete(ConsentSignature).where(ConsentSignature.consent_id.in_(sweep)))
    db.session.execute(
        delete(Consent).where(Consent.team_id == world.id, Consent.purpose == SWEEP_PURPOSE)
    )
    both = ("guardian", "teen")
    today = date.today()
    every_scope = state in ("all", "revoked", "expired")
    for scope in Scope if every_scope else CONSENT_STATES[state]:
        if state == "expired":
            add_consent(
                world,
                scope,
                signers=both,
                starts=today - timedelta(days=100),
                ends=today - timedelta(days=1),
            )
        else:
            add_consent(world, scope, signers=both, revoked=state == "revoked")
    db.session.commit()
