"""When a consent is in force, and who may start, sign or revoke one.

In force = every signature the practice's consent rule asks for is there, today is inside
its period, and nobody has revoked it. It is worked out afresh on every request, so a
revocation takes effect on the very next click.
"""

from __future__ import annotations

from datetime import date

from flask import g, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import CareTeam, Consent, ConsentRule, Membership, Organization, Role, Scope

__all__ = ["Scope", "in_force", "is_in_force", "required_roles", "teen_age"]


def teen_age(team: CareTeam, today: date) -> int:
    born = team.teen_birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def required_roles(practice: Organization, team: CareTeam, today: date) -> frozenset[Role]:
    """Whose signatures the practice's rule asks for. Below the age from which the teen's
    own signature counts, a guardian signs in the teen's place."""
    teen_counts = teen_age(team, today) >= practice.consent_teen_age
    if practice.consent_rule == ConsentRule.GUARDIAN or not teen_counts:
        return frozenset({Role.GUARDIAN})
    if practice.consent_rule == ConsentRule.TEEN:
        return frozenset({Role.TEEN})
    return frozenset({Role.GUARDIAN, Role.TEEN})


def is_in_force(consent: Consent, practice: Organization, team: CareTeam, today: date) -> bool:
    if consent.revoked_at is not None or not consent.starts_on <= today <= consent.ends_on:
        return False
    signed = {signature.signer_role for signature in consent.signatures}
    return required_roles(practice, team, today) <= signed


def _today() -> date:
    return date.today()


def in_force(membership: Membership, scope: Scope) -> bool:
    """True when a consent for `scope` covering this member is in force today: one naming them
    for the school scopes, one for the team's guardians for the check-in summary."""
    cache = g.setdefault("_consents_in_force", {}) if has_app_context() else {}
    key = (membership.id, scope)
    if key not in cache:
        cache[key] = _in_force(membership, scope, _today())
    return cache[key]


def _in_force(membership: Membership, scope: Scope, today: date) -> bool:
    if getattr(membership, "restricted_at", None) is not None:
        return False
    wanted_role = Role.GUARDIAN if scope == Scope.CHECKIN_SUMMARY else Role.SCHOOL
    if membership.role != wanted_role:
        return False
    recipient = (
        Consent.recipient_membership_id.is_(None)
        if scope == Scope.CHECKIN_SUMMARY
        else Consent.recipient_membership_id == membership.id
    )
    candidates = db.session.scalars(
        select(Consent)
        .where(
            Consent.team_id == membership.team_id,
            Consent.scope == scope,
            recipient,
            Consent.revoked_at.is_(None),
            Consent.starts_on <= today,
            Consent.ends_on >= today,
        )
        .options(selectinload(Consent.signatures))
    ).all()
    if not candidates:
        return False
    team = db.session.get_one(CareTeam, membership.team_id)
    practice = db.session.get_one(Organization, team.practice_id)
    return any(is_in_force(consent, practice, team, today) for consent in candidates)


def is_restricted(membership: Membership | None) -> bool:
    return membership is not None and membership.restricted_at is not None


def may_start(membership: Membership, practice: Organization, team: CareTeam) -> bool:
    """Those whose signature the rule asks for start a consent (and sign it as they do)."""
    return not is_restricted(membership) and membership.role in required_roles(
        practice, team, _today()
    )


def may_sign(membership: Membership, consent: Consent, practice, team) -> bool:
    return (
        may_start(membership, practice, team)
        and consent.team_id == membership.team_id
        and consent.revoked_at is None
        and consent.ends_on >= _today()
        and all(s.membership_id != membership.id for s in consent.signatures)
    )


def may_revoke(membership: Membership, consent: Consent) -> bool:
    """Any signer may take their consent back, at any time."""
    return (
        consent.team_id == membership.team_id
        and consent.revoked_at is None
        and any(s.membership_id == membership.id for s in consent.signatures)
    )
