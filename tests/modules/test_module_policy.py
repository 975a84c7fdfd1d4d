"""Module permissions, written out by hand rather than read from the policy module."""

import pytest

from app.models import Role
from app.policy import Permission, allows

EXPECTED = {
    #              read   preview assign progress
    Role.THERAPIST: (True, True, True, True),
    Role.GUARDIAN: (True, False, False, False),
    Role.TEEN: (True, False, False, False),
    Role.SCHOOL: (True, False, False, False),
}
PERMISSIONS = (
    Permission.MODULE_READ,
    Permission.MODULE_PREVIEW,
    Permission.MODULE_ASSIGN,
    Permission.MODULE_PROGRESS_VIEW,
)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_module_permissions_by_role(role):
    assert tuple(allows(role, p) for p in PERMISSIONS) == EXPECTED[role]
