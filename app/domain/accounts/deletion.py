"""Closing an account: the person's own data goes; the clinical record stays with the practice.

Removed: name, email, password, two-factor secret and recovery codes, every session and
reset link, pending invitations to the address, module reading and answers, form keys,
assignments addressed to the person, and their place on practice staff.

Kept, as medical-records retention requires (the practice decides for how long): plan
versions they wrote, the teen's check-ins, consents and their signatures, acknowledgements,
messages (shown as from "a former member") and the audit. The user row and its memberships
stay so those records keep their shape; the erasure time on the account marks the
person as gone."""

from __future__ import annotations

import secrets

from flask_babel import ngettext
from sqlalchemy import delete, select, update

from app.db import utcnow
from app.domain.accounts import sessions
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.domain.teams import revisions as team_revisions
from app.extensions import db
from app.models import (
    IdempotencyKey,
    Invitation,
    Membership,
    ModuleAssignment,
    ModuleProgress,
    PasswordResetToken,
    PracticeStaff,
    RecoveryCode,
    ThreadRead,
    User,
)
from app.platform import outbox
from app.policy.data_rights import teams_needing_handover

# Not an argon2 hash, so no password can ever match it (verification fails on the format).
UNUSABLE_PASSWORD_PREFIX = "!deleted!"  # noqa: S105 - a marker, not a password


def placeholder_email(user: User) -> str:
    """Unique (the id) and never deliverable (the reserved .invalid domain)."""
    return f"deleted-{user.id}@{outbox.UNDELIVERABLE_DOMAIN}"


def refusal(user: User) -> str | None:
    """Why this account cannot be closed now, or None."""
    teams = teams_needing_handover(user)
    if not teams:
        return None
    return str(
        ngettext(
            "You are the only therapist on an active care team. Please hand it over to another "
            "therapist first.",
            "You are the only therapist on %(num)d active care teams. Please hand them over to "
            "other therapists first.",
            len(teams),
        )
    )


def delete_account(user: User) -> None:
    """Erases the person's own data and ends every session, in the caller's transaction."""
    reason = refusal(user)
    if reason is not None:
        raise ServiceError(reason)
    now = utcnow()
    member_ids = select(Membership.id).where(Membership.user_id == user.id)
    waiting = (
        Invitation.email == user.email,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )
    # Outside the unit of work: the dashboards counting these invitations are told here.
    team_revisions.touch(db.session(), select(Invitation.team_id).where(*waiting))
    db.session.execute(
        update(Invitation)
        .where(*waiting)
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    for model, owner in (
        (RecoveryCode, RecoveryCode.user_id == user.id),
        (PasswordResetToken, PasswordResetToken.user_id == user.id),
        (IdempotencyKey, IdempotencyKey.user_id == user.id),
        (PracticeStaff, PracticeStaff.user_id == user.id),
        (ModuleProgress, ModuleProgress.membership_id.in_(member_ids)),
        (ModuleAssignment, ModuleAssignment.membership_id.in_(member_ids)),
        (ThreadRead, ThreadRead.membership_id.in_(member_ids)),
    ):
        db.session.execute(delete(model).where(owner).execution_options(synchronize_session=False))
    sessions.end_all(user)
    user.name = ""
    user.email = placeholder_email(user)
    user.password_hash = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16)
    user.mfa_secret = None
    user.mfa_enabled_at = None
    user.mfa_last_step = None
    user.locale = None
    user.deleted_at = now
    # The time zone stays: it sets the calendar days of the check-ins the practice keeps.
    audit.record("account.deleted", user=user)
    db.session.flush()
