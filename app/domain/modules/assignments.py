"""The therapist asks members to read modules, and sees how far each got."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.content.modules import library
from app.domain.audit import commands as audit
from app.domain.errors import NotFound, ServiceError
from app.extensions import db
from app.models import Membership, ModuleAssignment, Role, User
from app.platform import outbox
from app.policy import Permission, authorize, get_visible_or_404, visible
from app.policy.audiences import is_module_assignee, module_assignees, module_learner
from app.policy.modules import assigned_to_role, assignees_in_role, may_be_assigned


def _recipients(actor: Membership, member: Membership | None, role: Role) -> list[Membership]:
    query = (
        visible(Membership, actor, Permission.MODULE_ASSIGN)
        .where(module_assignees())
        .options(joinedload(Membership.user))
    )
    if member is not None:
        query = query.where(Membership.id == member.id)
    else:
        query = query.where(assignees_in_role(role))
    return list(db.session.scalars(query.order_by(Membership.id)))


def _already_assigned(actor: Membership, slug: str, member: Membership | None, role: Role) -> bool:
    query = visible(ModuleAssignment, actor, Permission.MODULE_ASSIGN).where(
        ModuleAssignment.module_slug == slug
    )
    if member is not None:
        query = query.where(ModuleAssignment.membership_id == member.id)
    else:
        query = query.where(assigned_to_role(role))
    return db.session.scalars(query.limit(1)).first() is not None


def assign(
    actor: Membership,
    user: User,
    *,
    slug: str,
    member_id: int | None = None,
    role: Role | None = None,
    due_on: date | None = None,
    today: date,
) -> ModuleAssignment:
    """Assigns a module to one member (another team's member is a 404) or to every member
    with a role, and emails each of them a discreet note with a link."""
    authorize(actor, Permission.MODULE_ASSIGN)
    member = (
        get_visible_or_404(Membership, member_id, actor, Permission.MODULE_ASSIGN)
        if member_id is not None
        else None
    )
    module = library().get(slug, "en")
    if module is None:
        raise ServiceError(str(_l("Please choose a lesson from the list.")), "module")
    target_role = member.role if member is not None else role
    if target_role is None or (member is not None and not is_module_assignee(member)):
        raise ServiceError(str(_l("Please choose who should read it.")), "assignee")
    if not may_be_assigned(module, target_role):
        raise ServiceError(
            str(_l("This lesson is written for someone in another role. Please choose again.")),
            "assignee",
        )
    if due_on is not None and due_on < today:
        raise ServiceError(str(_l("The due date cannot be in the past.")), "due_on")
    if _already_assigned(actor, slug, member, target_role):
        raise ServiceError(str(_l("This lesson is already assigned to them.")), "module")
    assignment = ModuleAssignment(
        team_id=actor.team_id,
        module_slug=slug,
        membership_id=member.id if member is not None else None,
        role=None if member is not None else target_role,
        due_on=due_on,
        assigned_by_id=user.id,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record("module.assign", user=user, membership=actor, target=assignment)
    for recipient in _recipients(actor, member, target_role):
        # Discreet: no module name, no topic, no sender role; just a link to the reading list.
        outbox.enqueue(recipient.user.email, "module_assigned", recipient.user.locale)
    return assignment


def unassign(actor: Membership, user: User, assignment_id: int) -> None:
    assignment = get_visible_or_404(
        ModuleAssignment, assignment_id, actor, Permission.MODULE_ASSIGN
    )
    audit.record("module.unassign", user=user, membership=actor, target=assignment)
    db.session.delete(assignment)
    db.session.flush()


def view_member_progress(actor: Membership, user: User, member_id: int) -> Membership:
    """Opens one member's reading and answers; the look is recorded like any record view."""
    member = db.session.scalars(
        visible(Membership, actor, Permission.MODULE_PROGRESS_VIEW)
        .where(Membership.id == member_id, module_learner())
        .options(joinedload(Membership.user))
    ).first()
    if member is None:
        raise NotFound()
    audit.record("module_progress.view", user=user, membership=actor, target=member)
    return member
