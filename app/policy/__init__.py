"""The one place that decides access. Views and services ask here; nobody else decides."""

from app.policy.permissions import PORTAL_OF_ROLE, ROLE_PERMISSIONS, Permission, allows
from app.policy.scoping import (
    authorize,
    get_visible_or_404,
    membership_in_team_or_404,
    memberships_of,
    practice_staff_or_404,
    practices_of,
    teams_led_by,
    visible,
)

__all__ = [
    "PORTAL_OF_ROLE",
    "ROLE_PERMISSIONS",
    "Permission",
    "allows",
    "authorize",
    "get_visible_or_404",
    "membership_in_team_or_404",
    "memberships_of",
    "practice_staff_or_404",
    "practices_of",
    "teams_led_by",
    "visible",
]
