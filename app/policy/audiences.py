"""Who is told, listed or counted: the audiences of a team's records.

Every email about a record, every "not yet read" list, every member list and count asks here,
so a restricted guardian or a person who has left is dropped everywhere at once:
- an account that was closed (erased) still holds its records, but its person has left: no
  list, count or email of the team includes them;
- a restricted member (a guardian under a court order, say) keeps their team page only: they
  are emailed nothing about the plan, listed as waiting for nothing and assigned nothing;
- a counselor hears about the plan only while a school-plan consent naming them is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard, TypeVar

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Membership, Role, User, UserSession
from app.policy.consents import MemberFacts, Scope, prime_in_force
from app.policy.permissions import ROLE_PERMISSIONS, Permission, allows, is_restricted
from app.policy.plans import may_view_plan


def roles_with(permission: Permission) -> tuple[Role, ...]:
    """The roles a permission is granted to, in the order of the Role enum."""
    return tuple(role for role in Role if permission in ROLE_PERMISSIONS.get(role, frozenset()))


def open_account(user: type[User] = User) -> ColumnElement[bool]:
    """The account has not been closed."""
    return user.deleted_at.is_(None)


def is_open(user: User | None) -> TypeGuard[User]:
    return user is not None and user.deleted_at is None


def live_session() -> ColumnElement[bool]:
    """A sign-in record that nobody has ended (signing out, a password change, expiry)."""
    return UserSession.ended_at.is_(None)


def present_member(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """The membership's person still has an account. An erased account's memberships stay
    for the records they hold (authored plans, check-ins, signatures), but the person has
    left: no list of the team shows them and nobody can act on them."""
    return member.user_id.in_(select(User.id).where(open_account()))


def active_member(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """A present member whose access nobody has restricted."""
    return and_(present_member(member), member.restricted_at.is_(None))


def is_teen_role(role: Role) -> bool:
    """The role of the one member whose plan it is: the teen agrees to it and checks in."""
    return allows(role, Permission.CHECKIN_SUBMIT)


def is_the_teen(membership: Membership) -> bool:
    return is_teen_role(membership.role)


def the_teen(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """The team's teen, as a condition on a membership (aliased or not)."""
    return member.role.in_(roles_with(Permission.CHECKIN_SUBMIT))


def restrictable(membership: Membership) -> bool:
    """Whose access a therapist may restrict: a guardian's (a court order, say)."""
    return membership.role == Role.GUARDIAN


# A membership, or a row with the columns may_view_plan reads.
R = TypeVar("R", bound=MemberFacts)


def plan_reader_roles() -> tuple[Role, ...]:
    """The roles that read the plan rather than write it: they agree to it or acknowledge it."""
    return tuple(
        role
        for role in Role
        if allows(role, Permission.PLAN_AGREE) or allows(role, Permission.PLAN_ACKNOWLEDGE)
    )


def plan_reader(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """A present member of a reading role, before the consent question (see readers_of_plan)."""
    return and_(member.role.in_(plan_reader_roles()), active_member(member))


def readers_of_plan(candidates: list[R]) -> list[R]:
    """Of these plan readers, those who may read the plan today (a counselor only with the
    school-plan consent in force), in a fixed number of queries whatever their number."""
    prime_in_force(candidates, Scope.SCHOOL_PLAN)
    return [m for m in candidates if may_view_plan(m)]


def plan_update_recipients(team_id: int, exclude_user_id: int) -> list[Membership]:
    """Who is emailed that the plan has a new version: every member of a reading role who may
    read it today, but its author (therapists, who write the plan, are not told)."""
    candidates = db.session.scalars(
        select(Membership)
        .where(
            Membership.team_id == team_id,
            plan_reader(),
            Membership.user_id != exclude_user_id,
        )
        .options(joinedload(Membership.user))
        .order_by(Membership.id)
    ).all()
    return readers_of_plan(list(candidates))


def _learner_roles() -> list[Role]:
    return [
        role
        for role in roles_with(Permission.MODULE_READ)
        if not allows(role, Permission.MODULE_PREVIEW)
    ]


def module_learner(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """Members who read modules as learners, their progress followed (therapists preview
    modules instead)."""
    return member.role.in_(_learner_roles())


def is_module_learner(membership: Membership) -> bool:
    return membership.role in _learner_roles()


def is_module_assignee(membership: Membership) -> bool:
    """Whom a therapist may ask to read a module: a learner whose access is not restricted."""
    return is_module_learner(membership) and not is_restricted(membership)


def module_assignees(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """Who may be asked (and emailed) to read a module: learners whose access is not
    restricted, with an account."""
    return and_(module_learner(member), active_member(member))


def consent_recipient(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """Whom a school consent may name: a counselor of the team who is still there."""
    return and_(member.role == Role.SCHOOL, present_member(member))


def opens_safety_plan_for_help(membership: Membership | None) -> bool:
    """Whose "Get help now" opens their own safety plan first: the teen's."""
    return membership is not None and is_the_teen(membership)


def is_former_member(membership_id: int | None, account_closed_at: object | None) -> bool:
    """A record's author or actor has left: their membership is gone or their account was
    closed. Pages then name them "a former member" and show no role."""
    return membership_id is None or account_closed_at is not None


def restricted_since(membership: Membership) -> datetime | None:
    """When a therapist restricted this member's access; None while it is not restricted."""
    return membership.restricted_at


@dataclass(frozen=True)
class MemberAccess:
    """A member as the therapist's team page lists them, with what the policy says of them."""

    member: Membership
    restricted: bool
    restrictable: bool


def member_access(members: list[Membership]) -> list[MemberAccess]:
    return [MemberAccess(m, is_restricted(m), restrictable(m)) for m in members]


def disclosure_recipients(team_id: int, *, to_school: bool) -> Select[Any]:
    """Who is told that a therapist shared an item without a consent (never silently): the
    teen and the guardians, and the counselors when it went to the school."""
    roles = {Role.TEEN, Role.GUARDIAN} | ({Role.SCHOOL} if to_school else set())
    return (
        select(User)
        .join(Membership, User.id == Membership.user_id)
        .where(Membership.team_id == team_id, Membership.role.in_(roles), active_member())
        .order_by(Membership.id)
    )


def consent_reminder_recipients(signers: list[Membership]) -> list[Membership]:
    """Of a consent's signers, those reminded that it ends soon: the ones who can still open
    it (not restricted, account not closed)."""
    return [m for m in signers if not is_restricted(m) and is_open(m.user)]


def thread_notice_candidate(member: type[Membership] = Membership) -> ColumnElement[bool]:
    """Members who may be told of a new message (policy.threads.readers then asks who may
    read the thread): everyone still on the team."""
    return present_member(member)
