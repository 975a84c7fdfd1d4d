"""Saving plan versions (refusing stale edits), agreeing to them and reading them back."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import BindParameter, Select, bindparam, select, update
from sqlalchemy.orm import aliased, joinedload

from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.domain.rowcount import rowcount
from app.extensions import db
from app.models import (
    AckKind,
    CarePlan,
    Membership,
    PlanAcknowledgement,
    PlanItem,
    PlanVersion,
    Role,
    Section,
    User,
)
from app.models.plans import in_plan_order
from app.platform import outbox
from app.platform.pagination import Page, paginate
from app.policy import Permission, authorize
from app.policy.audiences import plan_update_recipients
from app.policy.plans import agrees_to_plan, is_clinical, item_filter

MAX_ITEM_LENGTH = 500
HISTORY_PAGE = 20


@dataclass(frozen=True)
class ItemInput:
    section: Section
    text: str
    position: int
    key: str | None = None
    phone: str | None = None
    for_teen: bool = False
    for_family: bool = False
    for_school: bool = False


class PlanConflict(Exception):
    """Someone saved a newer version since the editor was opened."""

    def __init__(self, current: PlanVersion | None) -> None:
        super().__init__("plan changed since the editor was opened")
        self.current = current


def plan_of(team_id: int) -> CarePlan | None:
    return db.session.scalars(select(CarePlan).where(CarePlan.team_id == team_id)).first()


def version(team_id: int, number: int | None = None) -> PlanVersion | None:
    """A version by number, or the current one; None when there is no such version."""
    query = (
        select(PlanVersion)
        .join(CarePlan, CarePlan.id == PlanVersion.plan_id)
        .where(PlanVersion.team_id == team_id)
        .options(joinedload(PlanVersion.author))
    )
    if number is None:
        query = query.where(PlanVersion.number == CarePlan.current_number)
    else:
        query = query.where(PlanVersion.number == number)
    return db.session.scalars(query).first()


def _current_and_last_read_statement() -> Select[Any]:
    acked = aliased(PlanVersion)
    latest = (
        select(acked.id, acked.number)
        .join(PlanAcknowledgement, PlanAcknowledgement.version_id == acked.id)
        .where(PlanAcknowledgement.membership_id == bindparam("membership_id"))
        .order_by(acked.number.desc())
        .limit(1)
    )
    team_id: BindParameter[int] = bindparam("team_id")
    return (
        select(
            PlanVersion,
            latest.with_only_columns(acked.id).scalar_subquery(),
            latest.with_only_columns(acked.number).scalar_subquery(),
        )
        .join(CarePlan, CarePlan.id == PlanVersion.plan_id)
        # Also on care_plan, or PostgreSQL reads every team's plan to join them.
        .where(
            PlanVersion.team_id == team_id,
            CarePlan.team_id == team_id,
            PlanVersion.number == CarePlan.current_number,
        )
        .options(joinedload(PlanVersion.author))
    )


# Built once: building it, and its cache key, cost more than running it.
_CURRENT_AND_LAST_READ = _current_and_last_read_statement()


def current_and_last_read(membership: Membership) -> tuple[PlanVersion | None, int | None, int]:
    """The team's current version (with its author), and the id and number of the latest
    version this member agreed to or read (None, 0 when none): one statement, for the pages
    every reader opens."""
    row = db.session.execute(
        _CURRENT_AND_LAST_READ, {"team_id": membership.team_id, "membership_id": membership.id}
    ).first()
    if row is None:
        return None, None, 0
    current, last_id, last_number = row
    return current, last_id, last_number or 0


@cache
def _items_statement(role: Role) -> Select[Any]:
    """Built once for each role: building it cost more than running it."""
    return select(PlanItem).where(
        PlanItem.version_id.in_(bindparam("version_ids", expanding=True)), item_filter(role)
    )


def items_by_version(version_ids: list[int], role: Role) -> dict[int, list[PlanItem]]:
    """The items of each version that `role` may see, in plan order: one statement."""
    found: dict[int, list[PlanItem]] = {version_id: [] for version_id in version_ids}
    if version_ids:
        for item in db.session.scalars(_items_statement(role), {"version_ids": version_ids}):
            found[item.version_id].append(item)
    return {version_id: in_plan_order(items) for version_id, items in found.items()}


def items_for(version: PlanVersion | None, role: Role) -> list[PlanItem]:
    """The items of a version that `role` may see, in section and position order."""
    if version is None:
        return []
    return in_plan_order(
        db.session.scalars(
            select(PlanItem).where(PlanItem.version_id == version.id, item_filter(role))
        )
    )


def _history(team_id: int) -> Select[Any]:
    return (
        select(PlanVersion)
        .where(PlanVersion.team_id == team_id)
        .options(joinedload(PlanVersion.author))
        .order_by(PlanVersion.number.desc())
    )


def history(team_id: int) -> list[PlanVersion]:
    return list(db.session.scalars(_history(team_id)))


def history_page(team_id: int, number: int) -> Page[PlanVersion]:
    """One page of the versions, newest first."""
    return paginate(_history(team_id), number, HISTORY_PAGE)


def _known_keys(team_id: int) -> set[str]:
    return set(db.session.scalars(select(PlanItem.key).where(PlanItem.team_id == team_id)))


def save_version(
    actor: Membership,
    author: User,
    *,
    base_number: int,
    items: list[ItemInput],
    review_due: date,
) -> PlanVersion:
    """Saves the editor's items as the next version, unless someone saved since base_number."""
    authorize(actor, Permission.PLAN_EDIT)
    plan = plan_of(actor.team_id)
    if plan is None:
        plan = CarePlan(team_id=actor.team_id, current_number=0)
        db.session.add(plan)
        db.session.flush()
    if plan.current_number != base_number:
        raise PlanConflict(version(actor.team_id))
    unknown = {item.key for item in items if item.key} - _known_keys(actor.team_id)
    if unknown:
        raise ServiceError(
            str(_l("Some items are not part of this plan. Reload the editor and try again."))
        )
    for item in items:
        if not item.text.strip() or len(item.text) > MAX_ITEM_LENGTH:
            raise ServiceError(str(_l("Each item needs text of at most 500 characters.")))

    number = base_number + 1
    # Compare-and-set: of two saves from the same base, the database lets exactly one through.
    swapped = db.session.execute(
        update(CarePlan)
        .where(CarePlan.id == plan.id, CarePlan.current_number == base_number)
        .values(current_number=number)
        .execution_options(synchronize_session=False)
    )
    if rowcount(swapped) != 1:
        raise PlanConflict(version(actor.team_id))
    plan.current_number = number
    saved = PlanVersion(
        team_id=actor.team_id,
        plan_id=plan.id,
        number=number,
        author_id=author.id,
        review_due=review_due,
    )
    db.session.add(saved)
    db.session.flush()
    for position, item in enumerate(in_plan_order(items)):
        clinical = is_clinical(item.section)
        db.session.add(
            PlanItem(
                team_id=actor.team_id,
                version_id=saved.id,
                key=item.key or secrets.token_hex(8),
                section=item.section,
                position=position,
                text=item.text.strip(),
                phone=item.phone or None,
                # Clinical notes are for therapists only, whatever the form said.
                for_teen=item.for_teen and not clinical,
                for_family=item.for_family and not clinical,
                for_school=item.for_school and not clinical,
            )
        )
    db.session.flush()
    audit.record("plan.save", user=author, membership=actor, target=saved, number=number)
    _notify_new_version(actor.team_id, exclude_user_id=author.id)
    return saved


def _notify_new_version(team_id: int, exclude_user_id: int) -> None:
    """One discreet email per reader per version: teen, guardians, counselors with consent."""
    for member in plan_update_recipients(team_id, exclude_user_id):
        outbox.enqueue(member.user.email, "plan_updated", member.user.locale)


def acknowledge(actor: Membership, user: User, version: PlanVersion) -> PlanAcknowledgement:
    """The teen agrees to a version; guardians and counselors note they have read theirs."""
    kind = AckKind.AGREED if agrees_to_plan(actor) else AckKind.READ
    authorize(
        actor,
        Permission.PLAN_AGREE if kind == AckKind.AGREED else Permission.PLAN_ACKNOWLEDGE,
        version,
    )
    existing = db.session.scalars(
        select(PlanAcknowledgement).where(
            PlanAcknowledgement.version_id == version.id,
            PlanAcknowledgement.membership_id == actor.id,
        )
    ).first()
    if existing is not None:
        return existing
    ack = PlanAcknowledgement(
        team_id=actor.team_id, version_id=version.id, membership_id=actor.id, kind=kind
    )
    db.session.add(ack)
    db.session.flush()
    audit.record(
        f"plan.{kind.value}", user=user, membership=actor, target=version, number=version.number
    )
    return ack


def last_acknowledged(membership: Membership) -> PlanVersion | None:
    return db.session.scalars(
        select(PlanVersion)
        .join(PlanAcknowledgement, PlanAcknowledgement.version_id == PlanVersion.id)
        .where(PlanAcknowledgement.membership_id == membership.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).first()
