"""The teen's today page shows the plan's number and whether they agreed to it, not its
items: one statement of two columns rather than the plan with its items and author."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import CarePlan, Membership, PlanAcknowledgement, PlanVersion


@dataclass(frozen=True)
class PlanStatus:
    number: int | None  # the current version's; None before the first plan is saved
    acknowledged: bool  # the latest version this member agreed to or read is the current one


def _plan_status_query() -> Select[tuple[int, int | None]]:
    acked = aliased(PlanVersion)
    last_acknowledged = (
        select(func.max(acked.number))
        .join(PlanAcknowledgement, PlanAcknowledgement.version_id == acked.id)
        .where(PlanAcknowledgement.membership_id == bindparam("membership_id"))
        .scalar_subquery()
    )
    team_id = bindparam("team_id")
    return (
        select(PlanVersion.number, last_acknowledged)
        .join(
            CarePlan,
            and_(CarePlan.id == PlanVersion.plan_id, PlanVersion.number == CarePlan.current_number),
        )
        # Also on care_plan, or PostgreSQL reads every team's plan to join them.
        .where(PlanVersion.team_id == team_id, CarePlan.team_id == team_id)
    )


# Built once: making the alias and the max() costs more than running the query.
_PLAN_STATUS = _plan_status_query()


def plan_status(membership: Membership) -> PlanStatus:
    """What plan_views.reader_page says of the current version, in one statement."""
    row = db.session.execute(
        _PLAN_STATUS, {"team_id": membership.team_id, "membership_id": membership.id}
    ).first()
    if row is None:
        return PlanStatus(None, False)
    number, last = row
    return PlanStatus(number, last == number)
