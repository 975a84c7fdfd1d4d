"""Demo consents: the first team's school sees the plan and the school thread; the second
team's consent was withdrawn, so its school sees nothing."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from app.db import utcnow
from app.domain.consent.commands import TEXT_VERSION, consent_text
from app.extensions import db
from app.models import CareTeam, Consent, ConsentSignature, Membership, Role, Scope, User

PURPOSES = {
    "en": "So the school counselor can follow the school part of the plan this semester.",
    "es": "Para que la orientadora pueda seguir la parte escolar del plan este semestre.",
}


def _members(team: CareTeam) -> dict[Role, list[tuple[Membership, User]]]:
    found: dict[Role, list[tuple[Membership, User]]] = {}
    for member, person in db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id == team.id)
        .order_by(Membership.id)
    ):
        found.setdefault(member.role, []).append((member, person))
    return found


def _consent(team, scope, recipient, signers, locale, *, revoked=False) -> None:
    today = date.today()
    starts, ends = today - timedelta(days=30), today + timedelta(days=150)
    recipient_member, recipient_person = recipient if recipient else (None, None)
    with force_locale(locale):
        text = consent_text(
            scope,
            recipient_person.name if recipient_person else "",
            team.teen_name,
            starts,
            ends,
            PURPOSES[locale],
        )
    consent = Consent(
        team_id=team.id,
        scope=scope,
        recipient_membership_id=recipient_member.id if recipient_member else None,
        starts_on=starts,
        ends_on=ends,
        purpose=PURPOSES[locale],
        text_version=TEXT_VERSION,
        text=text,
        started_by_membership_id=signers[0][0].id,
        revoked_at=utcnow() - timedelta(days=3) if revoked else None,
        revoked_by_membership_id=signers[0][0].id if revoked else None,
    )
    consent.created_at = utcnow() - timedelta(days=30)
    db.session.add(consent)
    db.session.flush()
    for member, person in signers:
        signature = ConsentSignature(
            team_id=team.id,
            consent_id=consent.id,
            membership_id=member.id,
            signer_role=member.role,
            typed_name=person.name,
        )
        signature.signed_at = utcnow() - timedelta(days=30)
        db.session.add(signature)


def load_consent_demo(teams: list[CareTeam]) -> None:
    for index, team in enumerate(teams):
        if db.session.scalars(select(Consent).where(Consent.team_id == team.id)).first():
            continue
        members = _members(team)
        counselor = members[Role.SCHOOL][0]
        signers = [members[Role.GUARDIAN][0], members[Role.TEEN][0]]
        locale = "en" if index == 0 else "es"
        if index == 0:
            _consent(team, Scope.SCHOOL_PLAN, counselor, signers, locale)
            _consent(team, Scope.SCHOOL_THREAD, counselor, signers, locale)
            _consent(team, Scope.CHECKIN_SUMMARY, None, signers, locale)
        else:
            _consent(team, Scope.SCHOOL_PLAN, counselor, signers, locale, revoked=True)
    db.session.flush()
