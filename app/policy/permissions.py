"""What each role on a care team may do. Deny by default: a permission not listed is refused."""

from __future__ import annotations

import enum

from app.models import Role


class Permission(enum.StrEnum):
    TEAM_VIEW = "team:view"
    TEAM_MEMBERS_VIEW = "team_members:view"
    INVITATION_MANAGE = "invitation:manage"
    PLAN_VIEW = "plan:view"
    PLAN_EDIT = "plan:edit"
    PLAN_AGREE = "plan:agree"
    PLAN_ACKNOWLEDGE = "plan:acknowledge"
    PLAN_PREVIEW = "plan:preview"
    CONSENT_VIEW = "consent:view"
    CONSENT_SIGN = "consent:sign"
    RECORD_VIEWS_VIEW = "record_views:view"
    # Downloading the teen's record as this member sees it (app.policy.data_rights).
    RECORD_EXPORT = "record:export"
    SAFETY_DISCLOSE = "safety:disclose"
    MEMBER_RESTRICT = "member:restrict"
    # Psychoeducation modules: members read their own; therapists preview, assign and follow.
    MODULE_READ = "module:read"
    MODULE_PREVIEW = "module:preview"
    MODULE_ASSIGN = "module:assign"
    MODULE_PROGRESS_VIEW = "module_progress:view"
    # Messaging: every role reads and posts; app.policy.threads narrows it to thread kinds.
    THREAD_READ = "thread:read"
    THREAD_POST = "thread:post"
    THREAD_SCHOOL_CHOOSE = "thread_school:choose"  # the teen joins or leaves the school thread
    MESSAGE_HIDE = "message:hide"
    # Daily check-ins: the teen writes them; app.policy.checkins narrows the guardians' summary
    # to a consent in force. School never sees check-ins.
    CHECKIN_SUBMIT = "checkin:submit"
    CHECKIN_VIEW_DETAIL = "checkin:view_detail"
    CHECKIN_SUMMARY_VIEW = "checkin_summary:view"
    CHECKIN_EXPORT = "checkin:export"
    ALERT_VIEW = "alert:view"
    ALERT_ACK = "alert:ack"
    ALERT_SETTINGS = "alert_settings:edit"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.THERAPIST: frozenset(
        {
            Permission.MODULE_READ,
            Permission.THREAD_READ,
            Permission.THREAD_POST,
            Permission.MESSAGE_HIDE,
            Permission.MODULE_PREVIEW,
            Permission.MODULE_ASSIGN,
            Permission.MODULE_PROGRESS_VIEW,
            Permission.TEAM_VIEW,
            Permission.TEAM_MEMBERS_VIEW,
            Permission.INVITATION_MANAGE,
            Permission.PLAN_VIEW,
            Permission.PLAN_EDIT,
            Permission.PLAN_PREVIEW,
            Permission.CONSENT_VIEW,
            Permission.RECORD_VIEWS_VIEW,
            Permission.SAFETY_DISCLOSE,
            Permission.MEMBER_RESTRICT,
            Permission.CHECKIN_VIEW_DETAIL,
            Permission.CHECKIN_SUMMARY_VIEW,
            Permission.CHECKIN_EXPORT,
            Permission.ALERT_VIEW,
            Permission.ALERT_ACK,
            Permission.ALERT_SETTINGS,
        }
    ),
    Role.GUARDIAN: frozenset(
        {
            Permission.MODULE_READ,
            Permission.THREAD_READ,
            Permission.THREAD_POST,
            Permission.TEAM_VIEW,
            Permission.TEAM_MEMBERS_VIEW,
            Permission.PLAN_VIEW,
            Permission.PLAN_ACKNOWLEDGE,
            Permission.CONSENT_VIEW,
            Permission.CONSENT_SIGN,
            Permission.RECORD_VIEWS_VIEW,
            Permission.RECORD_EXPORT,
            Permission.CHECKIN_SUMMARY_VIEW,
        }
    ),
    Role.TEEN: frozenset(
        {
            Permission.MODULE_READ,
            Permission.THREAD_READ,
            Permission.THREAD_POST,
            Permission.THREAD_SCHOOL_CHOOSE,
            Permission.TEAM_VIEW,
            Permission.TEAM_MEMBERS_VIEW,
            Permission.PLAN_VIEW,
            Permission.PLAN_AGREE,
            Permission.PLAN_PREVIEW,
            Permission.CONSENT_VIEW,
            Permission.CONSENT_SIGN,
            Permission.RECORD_VIEWS_VIEW,
            Permission.RECORD_EXPORT,
            Permission.CHECKIN_SUBMIT,
            Permission.CHECKIN_VIEW_DETAIL,
            Permission.CHECKIN_SUMMARY_VIEW,
        }
    ),
    Role.SCHOOL: frozenset(
        {
            Permission.MODULE_READ,
            Permission.THREAD_READ,
            Permission.THREAD_POST,
            Permission.TEAM_VIEW,
            Permission.PLAN_VIEW,
            Permission.PLAN_ACKNOWLEDGE,
        }
    ),
}

# The blueprint each role works in, and the URL prefix it is mounted at.
PORTAL_OF_ROLE: dict[Role, str] = {
    Role.THERAPIST: "therapist",
    Role.GUARDIAN: "family",
    Role.TEEN: "teen",
    Role.SCHOOL: "school",
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def is_restricted(membership: object | None) -> bool:
    """A therapist restricted this member's access (a guardian under a court order, say):
    they keep their own team page and nothing else."""
    return membership is not None and getattr(membership, "restricted_at", None) is not None
