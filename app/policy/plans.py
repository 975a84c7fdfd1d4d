"""Who sees which plan items. Each role's view is a query filter, never a template `if`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from app.models import Membership, PlanItem, Role, Section
from app.policy.consents import MemberFacts, Scope, in_force
from app.policy.permissions import Permission, allows, is_restricted


def item_filter(role: Role) -> ColumnElement[bool]:
    """The items a role may see, before any consent question (see may_view_plan)."""
    not_clinical = PlanItem.section != Section.CLINICAL_NOTES  # the SQL form of is_clinical
    if role == Role.THERAPIST:
        return true()
    if role == Role.TEEN:
        return and_(not_clinical, or_(PlanItem.for_teen, PlanItem.for_family, PlanItem.for_school))
    if role == Role.GUARDIAN:
        return and_(not_clinical, or_(PlanItem.for_family, PlanItem.for_school))
    if role == Role.SCHOOL:
        return and_(not_clinical, PlanItem.for_school)
    return false()


def may_view_plan(membership: MemberFacts | None) -> bool:
    if membership is None or not allows(membership.role, Permission.PLAN_VIEW):
        return False
    if is_restricted(membership):
        return False
    if membership.role == Role.SCHOOL:
        return in_force(membership, Scope.SCHOOL_PLAN)
    return True


def previewable_roles(membership: Membership) -> tuple[Role, ...]:
    """Whose view this member may preview: the teen checks what guardians and school will see."""
    if allows(membership.role, Permission.PLAN_PREVIEW):
        return (Role.GUARDIAN, Role.SCHOOL)
    return ()


@dataclass(frozen=True)
class PlanAbilities:
    """What a member may do on the plan pages, decided here so templates only read flags."""

    edit: bool
    agree: bool  # the teen's own plan: agreeing, the preview, the wallet card
    acknowledge: bool
    see_audiences: bool  # who else sees each item


def abilities(membership: Membership) -> PlanAbilities:
    role = membership.role
    return PlanAbilities(
        edit=allows(role, Permission.PLAN_EDIT),
        agree=allows(role, Permission.PLAN_AGREE),
        acknowledge=allows(role, Permission.PLAN_ACKNOWLEDGE),
        see_audiences=allows(role, Permission.PLAN_PREVIEW),
    )


def agrees_to_plan(membership: Membership) -> bool:
    """The teen agrees to their plan; the other readers note that they have read it."""
    return allows(membership.role, Permission.PLAN_AGREE)


def view_is_audited(membership: Membership) -> bool:
    """A look at the plan by anyone but those who write it is in "who has seen my records"."""
    return not allows(membership.role, Permission.PLAN_EDIT)


def is_clinical(section: Section) -> bool:
    """Clinical notes are for therapists only: never shown to another role, never shared by a
    safety override, never exported to them, whatever the item's audience boxes say."""
    return section == Section.CLINICAL_NOTES
