"""When a consent is in force, and who may start, sign or revoke one.

In force = every signature the practice's consent rule asks for is there, today is inside
its period, and nobody has revoked it. It is worked out afresh on every request, so a
revocation takes effect on the very next click.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple, Protocol

from flask import g, has_app_context
from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, select

from app.extensions import db
from app.models import (
    CareTeam,
    Consent,
    ConsentRule,
    ConsentSignature,
    Membership,
    Organization,
    Role,
    Scope,
)
from app.policy.permissions import is_restricted

__all__ = [
    "MemberFacts",
    "Scope",
    "in_force",
    "is_in_force",
    "prime_in_force",
    "required_roles",
    "teen_age",
]


class MemberFacts(Protocol):
    """A membership, or a row with the columns the consent and plan rules read of one (the
    therapist dashboard reads its plan readers as rows)."""

    @property
    def id(self) -> int: ...

    @property
    def team_id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def restricted_at(self) -> datetime | None: ...


class ConsentRuleOf(Protocol):
    """What required_roles reads of a practice: an Organization, or the two columns alone."""

    @property
    def consent_rule(self) -> ConsentRule: ...

    @property
    def consent_teen_age(self) -> int: ...


class TeenOf(Protocol):
    """What teen_age reads of a care team: a CareTeam, or its teen's birth date alone."""

    @property
    def teen_birth_date(self) -> date: ...


# Whether each (membership id, scope) has a consent in force, worked out once per request.
InForceCache = dict[tuple[int, Scope], bool]


def teen_age(team: TeenOf, today: date) -> int:
    born = team.teen_birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def required_roles(practice: ConsentRuleOf, team: TeenOf, today: date) -> frozenset[Role]:
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


def in_force(membership: MemberFacts, scope: Scope) -> bool:
    """True when a consent for `scope` covering this member is in force today: one naming them
    for the school scopes, one for the team's guardians for the check-in summary."""
    cache = _cache()
    if (membership.id, scope) not in cache:
        prime_in_force([membership], scope, cache)
    return cache[membership.id, scope]


def _cache() -> InForceCache:
    cache: InForceCache = g.setdefault("_consents_in_force", {}) if has_app_context() else {}
    return cache


def _consents_statement(
    recipient: ColumnElement[bool],
) -> Select[int, int, int | None, date, ConsentRule, int, Role]:
    today: BindParameter[date] = bindparam("today")
    return (
        select(
            Consent.id,
            Consent.team_id,
            Consent.recipient_membership_id,
            CareTeam.teen_birth_date,
            Organization.consent_rule,
            Organization.consent_teen_age,
            ConsentSignature.signer_role,
        )
        .join(CareTeam, CareTeam.id == Consent.team_id)
        .join(Organization, Organization.id == CareTeam.practice_id)
        .outerjoin(ConsentSignature, ConsentSignature.consent_id == Consent.id)
        .where(
            Consent.team_id.in_(bindparam("team_ids", expanding=True)),
            Consent.scope == bindparam("scope"),
            recipient,
            Consent.revoked_at.is_(None),
            Consent.starts_on <= today,
            Consent.ends_on >= today,
        )
    )


# Built once each, their values bound at execution: pages ask on every request, and building
# the statement cost more than running it. The check-in summary's consents name nobody (they
# cover every guardian); the school scopes' name the counselor.
_CONSENTS_FOR_GUARDIANS = _consents_statement(Consent.recipient_membership_id.is_(None))
_CONSENTS_FOR_MEMBERS = _consents_statement(
    Consent.recipient_membership_id.in_(bindparam("member_ids", expanding=True))
)


def prime_in_force(
    memberships: Iterable[MemberFacts], scope: Scope, cache: InForceCache | None = None
) -> None:
    """Works out in_force for many members at once, in a fixed number of queries, so a page
    that asks about every counselor of every team does not ask the database once each."""
    cache = _cache() if cache is None else cache
    today = _today()
    wanted_role = Role.GUARDIAN if scope == Scope.CHECKIN_SUMMARY else Role.SCHOOL
    asked = [m for m in memberships if (m.id, scope) not in cache]
    for member in asked:
        cache[member.id, scope] = False
    eligible = [m for m in asked if not is_restricted(m) and m.role == wanted_role]
    if not eligible:
        return
    # One statement, a row per signature: the columns the rule reads, not whole consents (a
    # therapist's dashboard asks this for every counselor who has not read a plan).
    summary = scope == Scope.CHECKIN_SUMMARY
    found = db.session.execute(
        _CONSENTS_FOR_GUARDIANS if summary else _CONSENTS_FOR_MEMBERS,
        {
            "team_ids": sorted({m.team_id for m in eligible}),
            "scope": scope,
            "today": today,
            **({} if summary else {"member_ids": [m.id for m in eligible]}),
        },
    )
    # What each live consent has been signed by, and whose signatures its team needs.
    signed: dict[int, set[Role]] = {}
    recipients: dict[int, tuple[int, int | None]] = {}
    needed: dict[int, frozenset[Role]] = {}
    for consent_id, team_id, recipient_id, born, rule, teen_from, role in found:
        signed.setdefault(consent_id, set())
        if role is not None:
            signed[consent_id].add(role)
        recipients[consent_id] = (team_id, recipient_id)
        if team_id not in needed:
            needed[team_id] = required_roles(_Rule(rule, teen_from), _Born(born), today)
    covered = {
        (team_id, recipient_id)
        for consent_id, (team_id, recipient_id) in recipients.items()
        if needed[team_id] <= signed[consent_id]
    }
    for member in eligible:
        # The summary's consents name nobody: they cover every guardian of the team.
        cache[member.id, scope] = (member.team_id, None) in covered or (
            member.team_id,
            member.id,
        ) in covered


class _Rule(NamedTuple):
    """The practice's consent rule, as required_roles reads it from an Organization."""

    consent_rule: ConsentRule
    consent_teen_age: int


class _Born(NamedTuple):
    """The teen's birth date, as required_roles reads it from a CareTeam."""

    teen_birth_date: date


def may_start(membership: Membership, practice: Organization, team: CareTeam) -> bool:
    """Those whose signature the rule asks for start a consent (and sign it as they do)."""
    return not is_restricted(membership) and membership.role in required_roles(
        practice, team, _today()
    )


def may_sign(
    membership: Membership, consent: Consent, practice: Organization, team: CareTeam
) -> bool:
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
