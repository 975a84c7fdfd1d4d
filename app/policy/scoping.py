"""Scoped reads: every query of team data starts here, so another team's record is a 404."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from flask import abort, g, has_app_context
from sqlalchemy import Select, false, inspect, select
from sqlalchemy.orm import Mapped, joinedload

from app.extensions import db
from app.models import CareTeam, Membership, PracticeStaff, Role, User
from app.policy.audiences import present_member
from app.policy.permissions import Permission, allows, is_restricted


class TeamRecord(Protocol):
    """A model of a team's data: its rows are scoped by their team."""

    id: Mapped[int]
    team_id: Mapped[int]


M = TypeVar("M", bound=TeamRecord)


def _granted(membership: Membership, permission: Permission) -> bool:
    # A restricted member (a guardian under a court order, say) keeps only their own team page.
    if is_restricted(membership) and permission != Permission.TEAM_VIEW:
        return False
    return allows(membership.role, permission)


def visible(model: type[M], membership: Membership, permission: Permission) -> Select[M]:
    """The rows of `model` (which has a team_id) this membership may see for `permission`."""
    query = select(model)
    if not _granted(membership, permission):
        return query.where(false())
    if model is Membership:
        query = query.where(present_member())
    return query.where(model.team_id == membership.team_id)


def get_visible_or_404(
    model: type[M], record_id: int, membership: Membership, permission: Permission
) -> M:
    query = visible(model, membership, permission).where(model.id == record_id)
    record = db.session.scalars(query).first()
    if record is None:
        abort(404)
    return record


def authorize(membership: Membership | None, permission: Permission, record: Any = None) -> None:
    """Refuse (as a 404, like a missing record) unless the membership may act on the record."""
    if membership is None or not _granted(membership, permission):
        abort(404)
    if record is not None and getattr(record, "team_id", membership.team_id) != membership.team_id:
        abort(404)


def membership_in_team_or_404(user: User, team_id: int, permission: Permission) -> Membership:
    """The user's membership of a team, if it grants `permission`; otherwise a 404."""
    # Usually the team the session works in, which the session loader read this request.
    chosen: Membership | None = g.get("membership") if has_app_context() else None
    if (
        chosen is not None
        and inspect(chosen).persistent  # not deleted or let go earlier in this request
        and chosen.user_id == user.id
        and chosen.team_id == team_id
    ):
        membership = chosen
    else:
        membership = db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id, Membership.team_id == team_id)
            .options(joinedload(Membership.team))
        ).first()
    if membership is None:
        abort(404)  # as authorize() would
    authorize(membership, permission)
    return membership


def memberships_of(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(joinedload(Membership.team))
            .order_by(Membership.id)
        )
    )


def has_several_teams(user: User) -> bool:
    """Whether the user may switch teams: asked on every page, so it reads two ids at most
    rather than every membership (a therapist may lead fifty teams), and once a request (the
    session loader answers it for the signed-in person)."""
    cache: dict[int, bool] = g.setdefault("_several_teams", {}) if has_app_context() else {}
    if user.id not in cache:
        ids = db.session.scalars(
            select(Membership.id).where(Membership.user_id == user.id).limit(2)
        )
        cache[user.id] = len(ids.all()) > 1
    return cache[user.id]


def practices_of(user: User) -> list[PracticeStaff]:
    return list(
        db.session.scalars(
            select(PracticeStaff)
            .where(PracticeStaff.user_id == user.id)
            .options(joinedload(PracticeStaff.organization))
            .order_by(PracticeStaff.id)
        )
    )


def practice_staff_or_404(user: User, organization_id: int) -> PracticeStaff:
    staff = db.session.scalars(
        select(PracticeStaff).where(
            PracticeStaff.user_id == user.id, PracticeStaff.organization_id == organization_id
        )
    ).first()
    if staff is None:
        abort(404)
    return staff


def teams_led_by(user: User) -> Select[Any]:
    """The care teams on which the user is a therapist."""
    return (
        select(CareTeam)
        .join(Membership)
        .where(Membership.user_id == user.id, Membership.role == Role.THERAPIST)
    )
