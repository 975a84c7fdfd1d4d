"""Care teams: opening one, inviting people, and joining through an invitation."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from app.db import utcnow
from app.domain.accounts.commands import find_user, normalize_email
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.extensions import db
from app.models import (
    CareTeam,
    Invitation,
    Membership,
    Organization,
    OrgKind,
    PracticeStaff,
    Role,
    User,
)
from app.platform import outbox
from app.platform.tokens import hash_token, new_token
from app.policy import Permission, authorize
from app.policy.invitations import Refusal, invitation_refusal, joining_refusal

INVITATION_LIFETIME = timedelta(days=7)


def _school_named(name: str, country: str) -> Organization | None:
    name = " ".join(name.split())
    if not name:
        return None
    school = db.session.scalars(
        select(Organization).where(
            Organization.kind == OrgKind.SCHOOL,
            Organization.country == country,
            Organization.name == name,
        )
    ).first()
    if school is None:
        school = Organization(name=name, kind=OrgKind.SCHOOL, country=country)
        db.session.add(school)
    return school


def create_team(
    staff: PracticeStaff, user: User, *, teen_name: str, teen_birth_date: date, school_name: str
) -> tuple[CareTeam, Membership]:
    """Opens a team in the therapist's practice, with the therapist as its first member."""
    practice = db.session.get_one(Organization, staff.organization_id)
    team = CareTeam(
        practice_id=practice.id,
        school=_school_named(school_name, practice.country),
        teen_name=" ".join(teen_name.split()),
        teen_birth_date=teen_birth_date,
        created_by_id=user.id,
    )
    db.session.add(team)
    db.session.flush()
    membership = Membership(user_id=user.id, team_id=team.id, role=Role.THERAPIST)
    db.session.add(membership)
    db.session.flush()
    audit.record("team.create", user=user, membership=membership, target=team)
    return team, membership


def _pending_invitations(team_id: int) -> list[Invitation]:
    now = utcnow()
    return list(
        db.session.scalars(
            select(Invitation).where(
                Invitation.team_id == team_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
        )
    )


def _team_members(team_id: int) -> list[tuple[Membership, User]]:
    return list(
        db.session.execute(select(Membership, User).join(User).where(Membership.team_id == team_id))
    )


# What each refusal says, next to the field it is about.
_INVITATION_REFUSALS: dict[Refusal, tuple[LazyString, str]] = {
    # A teen account that is really a parent's is how portals leak a teen's confidences.
    Refusal.GUARDIANS_EMAIL_FOR_TEEN: (
        _l(
            "This email belongs to a guardian on this team. The teen needs an "
            "email address of their own."
        ),
        "email",
    ),
    Refusal.TEAM_HAS_TEEN: (_l("This care team already has a teen."), "role"),
    Refusal.TEENS_EMAIL_FOR_GUARDIAN: (
        _l("This email belongs to the teen on this team. Guardians need their own."),
        "email",
    ),
    Refusal.ALREADY_MEMBER: (_l("This person is already on the care team."), "email"),
    Refusal.ALREADY_INVITED: (
        _l("An invitation to this email is already waiting. You can resend it."),
        "email",
    ),
}


def _check_invitation_allowed(team_id: int, email: str, role: Role) -> None:
    refusal = invitation_refusal(
        role,
        email,
        [(m.role, u.email) for m, u in _team_members(team_id)],
        [(inv.role, inv.email) for inv in _pending_invitations(team_id)],
    )
    if refusal is not None:
        message, field = _INVITATION_REFUSALS[refusal]
        raise ServiceError(str(message), field)


def invite(
    actor: Membership,
    inviter: User,
    *,
    email: str,
    role: Role,
    relation_label: str = "",
    locale: str | None = None,
) -> Invitation:
    authorize(actor, Permission.INVITATION_MANAGE)
    email = normalize_email(email)
    _check_invitation_allowed(actor.team_id, email, role)
    token, digest = new_token()
    invitation = Invitation(
        team_id=actor.team_id,
        email=email,
        role=role,
        relation_label=relation_label.strip() or None,
        token_hash=digest,
        expires_at=utcnow() + INVITATION_LIFETIME,
        invited_by_id=inviter.id,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.create", user=inviter, membership=actor, target=invitation)
    existing = find_user(email)
    outbox.enqueue(email, "invitation", existing.locale if existing else locale, token=token)
    return invitation


def resend(actor: Membership, inviter: User, invitation: Invitation) -> None:
    """A fresh link and seven more days; the old link stops working."""
    authorize(actor, Permission.INVITATION_MANAGE, invitation)
    if not invitation.is_pending:
        raise ServiceError(str(_l("This invitation was already accepted or revoked.")))
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.expires_at = utcnow() + INVITATION_LIFETIME
    invitation.last_sent_at = utcnow()
    audit.record("invitation.resend", user=inviter, membership=actor, target=invitation)
    existing = find_user(invitation.email)
    outbox.enqueue(
        invitation.email, "invitation", existing.locale if existing else None, token=token
    )


def revoke(actor: Membership, inviter: User, invitation: Invitation) -> None:
    authorize(actor, Permission.INVITATION_MANAGE, invitation)
    if not invitation.is_pending:
        raise ServiceError(str(_l("This invitation was already accepted or revoked.")))
    invitation.revoked_at = utcnow()
    audit.record("invitation.revoke", user=inviter, membership=actor, target=invitation)


def usable_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).first()
    if invitation is None or not invitation.is_pending or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept(invitation: Invitation, user: User) -> Membership:
    """Adds the user to the team; the invitation is used up whatever happens next."""
    if user.email != invitation.email:
        raise ServiceError(str(_l("This invitation was sent to a different email address.")))
    _check_not_conflicting(invitation, user)
    membership = Membership(
        user_id=user.id,
        team_id=invitation.team_id,
        role=invitation.role,
        relation_label=invitation.relation_label,
    )
    db.session.add(membership)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    audit.record("invitation.accept", user=user, membership=membership, target=invitation)
    return membership


def _check_not_conflicting(invitation: Invitation, user: User) -> None:
    members = [(m.role, m.user_id) for m, _ in _team_members(invitation.team_id)]
    refusal = joining_refusal(invitation.role, user.id, members)
    if refusal == Refusal.ALREADY_MEMBER:
        raise ServiceError(str(_l("You are already on this care team.")))
    if refusal is not None:
        raise ServiceError(str(_l("This care team already has a teen.")))
