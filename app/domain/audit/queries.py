"""The practice's activity log for its therapists: the audit, scoped by app.policy.audit,
with a translated label for every action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_

from app.domain.labels import person_name
from app.domain.records.viewers import VIEW_LABELS
from app.extensions import db
from app.models import AccessEvent, CareTeam, Membership, Role, User
from app.platform.pagination import Page, cut, window
from app.policy import audit as policy

PAGE_SIZE = 50

ACTION_LABELS = {
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Failed to sign in"),
    "auth.lockout": _l("Sign-in locked after too many failed attempts"),
    "auth.logout": _l("Signed out"),
    "auth.mfa_verified": _l("Entered a two-factor code"),
    "auth.mfa_failed": _l("Entered a wrong two-factor code"),
    "auth.recovery_code_used": _l("Signed in with a recovery code"),
    "auth.reauthenticated": _l("Confirmed their password again"),
    "auth.reauth_failed": _l("Failed to confirm their password"),
    "account.password_change_failed": _l("Gave a wrong current password to change it"),
    "auth.mfa_enabled": _l("Turned on two-factor sign-in"),
    "auth.mfa_disabled": _l("Turned off two-factor sign-in"),
    "auth.recovery_codes_regenerated": _l("Made new recovery codes"),
    "auth.sessions_ended": _l("Signed out other devices"),
    "account.password_changed": _l("Changed their password"),
    "account.password_reset_requested": _l("Asked for a password reset link"),
    "account.password_reset": _l("Reset their password from an emailed link"),
    "account.export": _l("Downloaded their own data"),
    "account.deleted": _l("Deleted their account"),
    "consent.start": _l("Started a consent"),
    "consent.sign": _l("Signed a consent"),
    "consent.revoke": _l("Withdrew a consent"),
    "team.create": _l("Opened the care team"),
    "invitation.create": _l("Invited someone"),
    "invitation.resend": _l("Sent an invitation again"),
    "invitation.revoke": _l("Revoked an invitation"),
    "invitation.accept": _l("Joined the care team"),
    "member.restrict": _l("Restricted a guardian's access"),
    "member.unrestrict": _l("Lifted a guardian's restriction"),
    "plan.save": _l("Saved a version of the care plan"),
    "plan.agreed": _l("Agreed to the care plan"),
    "plan.read": _l("Acknowledged the care plan"),
    "checkin.save": _l("Checked in"),
    "checkin.edit": _l("Changed a check-in"),
    "checkin.thresholds": _l("Changed the check-in alert thresholds"),
    "alert.raise": _l("A check-in raised an alert"),
    "alert.reopen": _l("A check-in raised an alert again"),
    "alert.acknowledge": _l("Acknowledged an alert"),
    "message.post": _l("Sent a message"),
    "message.edit": _l("Changed a message"),
    "message.delete": _l("Deleted a message"),
    "message.hide": _l("Hid a message"),
    "thread.teen_choice": _l("Joined or left the school conversation"),
    "module.assign": _l("Assigned a module"),
    "module.unassign": _l("Removed a module"),
    "module_progress.view": _l("Looked at module progress"),
}

TARGET_LABELS = {
    "care_team": _l("Care team"),
    "consent": _l("Consent"),
    "invitation": _l("Invitation"),
    "membership": _l("Team member"),
    "plan_version": _l("Care plan"),
    "checkin": _l("Check-in"),
    "checkin_settings": _l("Check-in settings"),
    "checkin_alert": _l("Alert"),
    "thread": _l("Conversation"),
    "message": _l("Message"),
    "module_assignment": _l("Module"),
    "safety_disclosure": _l("Safety sharing"),
}

# The filter's kinds: each an exact list of actions, or every action under a prefix.
KINDS = {
    "signin": (
        _l("Signing in and out"),
        (
            "auth.login",
            "auth.login_failed",
            "auth.lockout",
            "auth.logout",
            "auth.mfa_verified",
            "auth.mfa_failed",
            "auth.recovery_code_used",
            "auth.reauthenticated",
            "auth.reauth_failed",
        ),
    ),
    "access": (
        _l("Opening records"),
        ("plan.view", "thread.view", "checkin.view", "module_progress.view", "safety.disclose"),
    ),
    "consent": (_l("Consents"), ("consent.",)),
    "export": (_l("Downloads"), ("checkin.export", "record.export", "account.export")),
    "security": (
        _l("Security changes"),
        (
            "account.password_changed",
            "account.password_change_failed",
            "account.password_reset_requested",
            "account.password_reset",
            "auth.mfa_enabled",
            "auth.mfa_disabled",
            "auth.recovery_codes_regenerated",
            "auth.sessions_ended",
            "account.deleted",
            "member.restrict",
            "member.unrestrict",
        ),
    ),
}


def action_label(event: AccessEvent) -> str:
    page = (event.detail or {}).get("page")
    label = (
        VIEW_LABELS.get((event.action, page))
        or VIEW_LABELS.get((event.action, None))
        or ACTION_LABELS.get(event.action)
    )
    return str(label or _l("Other activity (%(code)s)", code=event.action))


def _of_kind(kind: str) -> ColumnElement[bool]:
    actions = KINDS[kind][1]
    return or_(
        AccessEvent.action.in_([a for a in actions if not a.endswith(".")]),
        *(AccessEvent.action.startswith(a) for a in actions if a.endswith(".")),
    )


@dataclass(frozen=True)
class LogRow:
    at: datetime
    who: str
    role: Role | None
    what: str
    team_id: int | None
    teen_name: str | None
    target_type: str | None
    target_label: str | None
    target_id: int | None
    number: int | None
    # Whether the reader leads this team, and so may open its records.
    openable: bool


def practice_log(user: User, kind: str | None, number: int) -> Page[LogRow]:
    """A page of the practice's events, newest first."""
    query = (
        policy.practice_events(user)
        .add_columns(User, Membership.role, CareTeam.teen_name)
        .outerjoin(User, User.id == AccessEvent.user_id)
        .outerjoin(Membership, Membership.id == AccessEvent.membership_id)
        .outerjoin(CareTeam, CareTeam.id == AccessEvent.team_id)
        .order_by(AccessEvent.at.desc(), AccessEvent.id.desc())
    )
    if kind in KINDS:
        query = query.where(_of_kind(kind))
    rows = db.session.execute(window(query, number, PAGE_SIZE)).all()
    openable = set(db.session.scalars(policy.openable_team_ids(user))) if rows else set()
    log = [
        LogRow(
            at=event.at,
            who=person_name(person, at_start=True),
            role=role,
            what=action_label(event),
            team_id=event.team_id,
            teen_name=teen_name,
            target_type=event.target_type,
            target_label=_target_label(event.target_type),
            target_id=event.target_id,
            number=(event.detail or {}).get("number"),
            openable=event.team_id in openable,
        )
        for event, person, role, teen_name in rows
    ]
    return cut(log, number, PAGE_SIZE)


def _target_label(target_type: str | None) -> str | None:
    if target_type is None:
        return None
    return str(TARGET_LABELS.get(target_type, _l("Record")))
