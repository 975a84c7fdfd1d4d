"""What a therapist may do without a consent: share one item when risk is serious and
imminent, and restrict a guardian's access. Both are recorded with their reasons."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from app.db import utcnow
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.domain.plans import commands as plans
from app.extensions import db
from app.models import (
    DisclosureAudience,
    Membership,
    Role,
    SafetyDisclosure,
    User,
)
from app.platform import outbox
from app.platform.pagination import Page, paginate
from app.policy import Permission, authorize
from app.policy.audiences import disclosure_recipients, restrictable
from app.policy.plans import is_clinical

MIN_REASON = 10
DISCLOSURES_PAGE = 10


def _check_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ServiceError(str(_l("Write the reason in a full sentence.")), "reason")
    return reason


def disclose(
    actor: Membership, user: User, *, item_key: str, audience: DisclosureAudience, reason: str
) -> SafetyDisclosure:
    authorize(actor, Permission.SAFETY_DISCLOSE)
    reason = _check_reason(reason)
    current = plans.version(actor.team_id)
    item = next(
        (
            i
            for i in plans.items_for(current, Role.THERAPIST)
            if i.key == item_key and not is_clinical(i.section)
        ),
        None,
    )
    if item is None:
        raise ServiceError(str(_l("Choose an item of the current plan.")), "item")
    disclosure = SafetyDisclosure(
        team_id=actor.team_id,
        audience=audience,
        item_key=item.key,
        text=item.text,
        phone=item.phone,
        reason=reason,
        created_by_membership_id=actor.id,
    )
    db.session.add(disclosure)
    db.session.flush()
    audit.record(
        "safety.disclose", user=user, membership=actor, target=disclosure, audience=audience.value
    )
    # Never silent: the recipients, the teen and the guardians all get a discreet notice.
    to_school = audience == DisclosureAudience.SCHOOL
    for person in db.session.scalars(disclosure_recipients(actor.team_id, to_school=to_school)):
        outbox.enqueue(person.email, "plan_updated", person.locale)
    return disclosure


def _disclosures(team_id: int, audience: DisclosureAudience | None) -> Select[Any]:
    query = select(SafetyDisclosure).where(SafetyDisclosure.team_id == team_id)
    if audience is not None:
        query = query.where(SafetyDisclosure.audience == audience)
    return query.order_by(SafetyDisclosure.created_at.desc(), SafetyDisclosure.id.desc())


def disclosures(team_id: int, audience: DisclosureAudience | None = None) -> list[SafetyDisclosure]:
    return list(db.session.scalars(_disclosures(team_id, audience)))


def disclosures_page(
    team_id: int, number: int, audience: DisclosureAudience | None = None
) -> Page[SafetyDisclosure]:
    """A page of what was shared for safety, newest first (page key `shared`: it shares a
    dashboard with other lists)."""
    return paginate(
        _disclosures(team_id, audience),
        number,
        DISCLOSURES_PAGE,
        param="shared",
        anchor="shared-heading",
    )


def restrict(actor: Membership, user: User, guardian: Membership, reason: str) -> None:
    authorize(actor, Permission.MEMBER_RESTRICT, guardian)
    if not restrictable(guardian):
        raise ServiceError(str(_l("Only a guardian's access can be restricted.")))
    guardian.restricted_reason = _check_reason(reason)
    guardian.restricted_at = utcnow()
    guardian.restricted_by_membership_id = actor.id
    audit.record("member.restrict", user=user, membership=actor, target=guardian)


def lift_restriction(actor: Membership, user: User, guardian: Membership) -> None:
    authorize(actor, Permission.MEMBER_RESTRICT, guardian)
    guardian.restricted_at = None
    guardian.restricted_by_membership_id = None
    audit.record("member.unrestrict", user=user, membership=actor, target=guardian)
