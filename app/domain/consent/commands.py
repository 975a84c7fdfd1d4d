"""Consents: starting, signing and revoking them; reminders before they end."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.db import utcnow
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.extensions import db
from app.models import (
    CareTeam,
    Consent,
    ConsentSignature,
    Membership,
    Organization,
    Scope,
    User,
)
from app.platform import outbox
from app.platform.pagination import Page, paginate
from app.policy import Permission, authorize
from app.policy import consents as rules
from app.policy.audiences import consent_recipient, consent_reminder_recipients

TEXT_VERSION = "2026-11"
MAX_PERIOD = timedelta(days=366)
REMINDER_BEFORE = timedelta(days=14)
HISTORY_PAGE = 20

SCOPE_LABELS = {
    Scope.SCHOOL_PLAN: _l("The school part of the care plan"),
    Scope.SCHOOL_THREAD: _l("The school conversation with the care team"),
    Scope.CHECKIN_SUMMARY: _l("Whether the teen checked in today, and the weekly average urge"),
}


def scope_label(scope: Scope | str) -> str:
    return str(SCOPE_LABELS[Scope(scope)])


def team_and_practice(team_id: int) -> tuple[CareTeam, Organization]:
    team = db.session.get_one(CareTeam, team_id)
    return team, db.session.get_one(Organization, team.practice_id)


def consent_text(
    scope: Scope, recipient: str, teen: str, starts: date, ends: date, purpose: str
) -> str:
    """The words every signer reads and agrees to; stored with the consent, with its version."""
    return str(
        _l(
            "I agree that %(recipient)s may see: %(what)s, about %(teen)s, from %(starts)s to "
            "%(ends)s, for this purpose: %(purpose)s. Only what the care team has marked for "
            "this is shared, never therapy notes. Any signer can withdraw this consent at any "
            "time in Harbor, and it stops at once. Withdrawing does not undo what was already "
            "seen.",
            recipient=recipient,
            what=scope_label(scope),
            teen=teen,
            starts=format_date(starts, "long"),
            ends=format_date(ends, "long"),
            purpose=purpose,
        )
    )


def _check_typed_name(user: User, typed_name: str) -> None:
    if " ".join(typed_name.split()).casefold() != " ".join(user.name.split()).casefold():
        raise ServiceError(
            str(_l("Type your name exactly as it is on your account: %(name)s", name=user.name)),
            "typed_name",
        )


def _check_period(starts_on: date, ends_on: date) -> None:
    if starts_on < rules._today():
        raise ServiceError(str(_l("The consent cannot start in the past.")), "starts_on")
    if ends_on < starts_on:
        raise ServiceError(str(_l("The end date must be on or after the start date.")), "ends_on")
    if ends_on - starts_on >= MAX_PERIOD:
        raise ServiceError(str(_l("A consent can last one year at most.")), "ends_on")


def school_recipients(team_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.team_id == team_id, consent_recipient())
            .options(joinedload(Membership.user))
            .order_by(Membership.id)
        )
    )


def start(
    actor: Membership,
    user: User,
    *,
    scope: Scope,
    recipient_id: int | None,
    starts_on: date,
    ends_on: date,
    purpose: str,
    typed_name: str,
) -> Consent:
    """A guardian or the teen (as the rule says) asks for a consent and signs it first."""
    authorize(actor, Permission.CONSENT_SIGN)
    team, practice = team_and_practice(actor.team_id)
    if not rules.may_start(actor, practice, team):
        raise ServiceError(str(_l("The practice's consent rule does not ask for your signature.")))
    _check_period(starts_on, ends_on)
    _check_typed_name(user, typed_name)
    purpose = " ".join(purpose.split())
    if scope == Scope.CHECKIN_SUMMARY:
        recipient, recipient_name = None, str(_l("the teen's parents or guardians"))
    else:
        recipient = next(
            (m for m in school_recipients(actor.team_id) if m.id == recipient_id), None
        )
        if recipient is None:
            raise ServiceError(str(_l("Choose a school counselor on this care team.")), "recipient")
        recipient_name = recipient.user.name
    consent = Consent(
        team_id=actor.team_id,
        scope=scope,
        recipient_membership_id=recipient.id if recipient else None,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        text_version=TEXT_VERSION,
        text=consent_text(scope, recipient_name, team.teen_name, starts_on, ends_on, purpose),
        started_by_membership_id=actor.id,
    )
    db.session.add(consent)
    db.session.flush()
    audit.record("consent.start", user=user, membership=actor, target=consent, scope=scope.value)
    _sign(actor, user, consent)
    return consent


def _sign(actor: Membership, user: User, consent: Consent) -> None:
    db.session.add(
        ConsentSignature(
            team_id=actor.team_id,
            consent_id=consent.id,
            membership_id=actor.id,
            signer_role=actor.role,
            typed_name=user.name,
        )
    )
    db.session.flush()
    audit.record("consent.sign", user=user, membership=actor, target=consent)


def sign(actor: Membership, user: User, consent: Consent, typed_name: str) -> None:
    authorize(actor, Permission.CONSENT_SIGN, consent)
    team, practice = team_and_practice(actor.team_id)
    if not rules.may_sign(actor, consent, practice, team):
        raise ServiceError(str(_l("This consent cannot be signed by you now.")))
    _check_typed_name(user, typed_name)
    _sign(actor, user, consent)


def revoke(actor: Membership, user: User, consent: Consent) -> None:
    authorize(actor, Permission.CONSENT_SIGN, consent)
    if not rules.may_revoke(actor, consent):
        raise ServiceError(str(_l("Only someone who signed this consent can withdraw it.")))
    consent.revoked_at = utcnow()
    consent.revoked_by_membership_id = actor.id
    audit.record("consent.revoke", user=user, membership=actor, target=consent)


def _team_consents(team_id: int) -> Select[Any]:
    return (
        select(Consent)
        .where(Consent.team_id == team_id)
        .options(
            selectinload(Consent.signatures).joinedload(ConsentSignature.membership),
            joinedload(Consent.recipient).joinedload(Membership.user),
        )
        .order_by(Consent.created_at.desc(), Consent.id.desc())
    )


def team_consents(team_id: int) -> list[Consent]:
    return list(db.session.scalars(_team_consents(team_id)))


def consent_history(team_id: int, number: int) -> Page[Consent]:
    """One page of the team's consents, newest first."""
    return paginate(_team_consents(team_id), number, HISTORY_PAGE)


def with_signatures(consent: Consent) -> Consent:
    """The same consent, with its signatures and recipient loaded for display."""
    return db.session.scalars(
        select(Consent)
        .where(Consent.id == consent.id)
        .options(
            selectinload(Consent.signatures).joinedload(ConsentSignature.membership),
            joinedload(Consent.recipient).joinedload(Membership.user),
        )
        .execution_options(populate_existing=True)
    ).one()


def status(consent: Consent, practice: Organization, team: CareTeam) -> str:
    """One word for the history page: revoked, ended, scheduled, in_force or waiting."""
    today = rules._today()
    if consent.revoked_at is not None:
        return "revoked"
    if consent.ends_on < today:
        return "ended"
    signed = {s.signer_role for s in consent.signatures}
    if not rules.required_roles(practice, team, today) <= signed:
        return "waiting"
    return "scheduled" if consent.starts_on > today else "in_force"


def send_reminders() -> int:
    """Emails every signer of a consent in force that ends within 14 days, once."""
    today = rules._today()
    due = db.session.scalars(
        select(Consent)
        .where(
            Consent.revoked_at.is_(None),
            Consent.reminder_sent_at.is_(None),
            Consent.ends_on >= today,
            Consent.ends_on <= today + REMINDER_BEFORE,
        )
        .options(
            # Every signer's address in the same round trips, however many consents are due.
            selectinload(Consent.signatures)
            .joinedload(ConsentSignature.membership)
            .joinedload(Membership.user)
        )
    ).all()
    sent = 0
    for consent in due:
        team, practice = team_and_practice(consent.team_id)
        if not rules.is_in_force(consent, practice, team, today):
            continue
        signers = [signature.membership for signature in consent.signatures]
        for member in consent_reminder_recipients(signers):
            outbox.enqueue(member.user.email, "consent_ending", member.user.locale)
            sent += 1
        consent.reminder_sent_at = utcnow()
    return sent
