"""What each role on a care team may do. Deny by default: a permission not listed is refused."""

from __future__ import annotations

import enum

from app.models import Role


class Permission(enum.StrEnum):
    TEAM_VIEW = "team:view"
    TEAM_MEMBERS_VIEW = "team_members:view"
    INVITATION_MANAGE = "invitation:manage"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.THERAPIST: frozenset(
        {Permission.TEAM_VIEW, Permission.TEAM_MEMBERS_VIEW, Permission.INVITATION_MANAGE}
    ),
    Role.GUARDIAN: frozenset({Permission.TEAM_VIEW, Permission.TEAM_MEMBERS_VIEW}),
    Role.TEEN: frozenset({Permission.TEAM_VIEW, Permission.TEAM_MEMBERS_VIEW}),
    Role.SCHOOL: frozenset({Permission.TEAM_VIEW}),
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
