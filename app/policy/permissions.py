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
    # Psychoeducation modules: members read their own; therapists preview, assign and follow.
    MODULE_READ = "module:read"
    MODULE_PREVIEW = "module:preview"
    MODULE_ASSIGN = "module:assign"
    MODULE_PROGRESS_VIEW = "module_progress:view"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.THERAPIST: frozenset(
        {
            Permission.MODULE_READ,
            Permission.MODULE_PREVIEW,
            Permission.MODULE_ASSIGN,
            Permission.MODULE_PROGRESS_VIEW,
            Permission.TEAM_VIEW,
            Permission.TEAM_MEMBERS_VIEW,
            Permission.INVITATION_MANAGE,
            Permission.PLAN_VIEW,
            Permission.PLAN_EDIT,
            Permission.PLAN_PREVIEW,
        }
    ),
    Role.GUARDIAN: frozenset(
        {
            Permission.MODULE_READ,
            Permission.TEAM_VIEW,
            Permission.TEAM_MEMBERS_VIEW,
            Permission.PLAN_VIEW,
            Permission.PLAN_ACKNOWLEDGE,
        }
    ),
    Role.TEEN: frozenset(
        {
            Permission.MODULE_READ,
            Permission.TEAM_VIEW,
            Permission.TEAM_MEMBERS_VIEW,
            Permission.PLAN_VIEW,
            Permission.PLAN_AGREE,
            Permission.PLAN_PREVIEW,
        }
    ),
    Role.SCHOOL: frozenset(
        {
            Permission.MODULE_READ,
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
