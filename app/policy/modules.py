"""Who reads which psychoeducation module, and whose reading is recorded.

Members read the modules written for their role; their progress is kept. Therapists may open
every module to preview it; a preview records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, select

from app.content.modules import Audience, Module, library
from app.models import Membership, ModuleAssignment, ModuleProgress, Role, User
from app.policy.audiences import module_assignees
from app.policy.context import current_membership
from app.policy.guard import is_therapist
from app.policy.permissions import Permission, allows
from app.policy.scoping import authorize, visible

AUDIENCE_ROLE: dict[Audience, Role] = {
    Audience.GUARDIAN: Role.GUARDIAN,
    Audience.TEEN: Role.TEEN,
    Audience.SCHOOL: Role.SCHOOL,
}
ROLE_AUDIENCE: dict[Role, Audience] = {role: audience for audience, role in AUDIENCE_ROLE.items()}
EVERY_AUDIENCE = frozenset(Audience)


@dataclass(frozen=True)
class Reader:
    """The person reading, as the policy sees them on this request."""

    membership: Membership | None
    audiences: frozenset[Audience]
    # True when reading is recorded (a member reading for their own role); False in preview.
    records_progress: bool


def reader_or_404(user: User) -> Reader:
    membership = current_membership()
    if membership is None:
        if is_therapist(user):
            return Reader(None, EVERY_AUDIENCE, records_progress=False)
        abort(404)
    if allows(membership.role, Permission.MODULE_PREVIEW):
        return Reader(membership, EVERY_AUDIENCE, records_progress=False)
    # A member reads the modules written for their role; a restricted member reads none.
    authorize(membership, Permission.MODULE_READ)
    audience = ROLE_AUDIENCE.get(membership.role)
    if audience is None:
        abort(404)
    return Reader(membership, frozenset({audience}), records_progress=True)


def readable_module_or_404(reader: Reader, slug: str, locale: str) -> Module:
    """A module the reader may open, in their language; unknown or not theirs is a 404."""
    module = library().get(slug, locale)
    if module is None or module.audience not in reader.audiences:
        abort(404)
    return module


def readable_modules(reader: Reader, locale: str) -> list[Module]:
    return library().for_audiences(reader.audiences, locale)


def authorize_progress(membership: Membership | None, module: Module) -> Membership:
    """Progress is kept only on a module written for the member's own role; else a 404."""
    authorize(membership, Permission.MODULE_READ)
    if membership is None or AUDIENCE_ROLE[module.audience] != membership.role:
        abort(404)
    return membership


def may_be_assigned(module: Module, role: Role) -> bool:
    """A module goes to the people it was written for."""
    return AUDIENCE_ROLE[module.audience] == role


def own_progress(membership: Membership) -> Select[Any]:
    """A member's own reading: nobody else on the team reads it here (progress is `own`)."""
    return select(ModuleProgress).where(
        ModuleProgress.team_id == membership.team_id,
        ModuleProgress.membership_id == membership.id,
    )


def own_assignments(membership: Membership) -> Select[Any]:
    """What the therapist asked this member to read: by name, or by their role on the team."""
    return visible(ModuleAssignment, membership, Permission.MODULE_READ).where(
        (ModuleAssignment.membership_id == membership.id) | assigned_to_role(membership.role)
    )


def team_progress(membership: Membership) -> Select[Any]:
    """Everyone's reading on the team, for those who follow it (the therapists)."""
    return visible(ModuleProgress, membership, Permission.MODULE_PROGRESS_VIEW)


def assignees_in_role(role: Role) -> ColumnElement[bool]:
    """The members a module assigned to everyone in `role` goes to."""
    return and_(Membership.role == role, module_assignees())


def assigned_to_role(role: Role) -> ColumnElement[bool]:
    """An assignment made to everyone in `role` rather than to one person."""
    return and_(ModuleAssignment.membership_id.is_(None), ModuleAssignment.role == role)
