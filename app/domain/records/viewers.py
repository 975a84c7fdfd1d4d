"""Who has seen the teen's records: read from the audit, for the teen and the guardians."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain.labels import person_name
from app.extensions import db
from app.models import AccessEvent, Membership, Role, User

PAGE_SIZE = 50

# Audit actions that mean someone looked at or received the teen's records.
VIEW_LABELS = {
    ("plan.view", "current"): _l("Read the care plan"),
    ("plan.view", "history"): _l("Looked at the list of plan versions"),
    ("plan.view", "version"): _l("Read an earlier version of the plan"),
    ("plan.view", "diff"): _l("Compared two versions of the plan"),
    ("plan.view", "help_now"): _l("Opened the safety plan"),
    ("thread.view", None): _l("Read a conversation"),
    ("checkin.view", None): _l("Looked at check-ins"),
    ("checkin.export", None): _l("Downloaded check-ins"),
    ("record.export", None): _l("Downloaded the teen's record"),
    ("safety.disclose", None): _l("Shared a plan item for safety, without a consent"),
}
VIEW_ACTIONS = sorted({action for action, _page in VIEW_LABELS})


@dataclass(frozen=True)
class RecordView:
    at: datetime
    name: str
    role: Role | None
    what: str


def _label(event: AccessEvent) -> str:
    page = (event.detail or {}).get("page")
    label = VIEW_LABELS.get((event.action, page)) or VIEW_LABELS.get((event.action, None))
    return str(label or event.action)


def record_views(membership: Membership, page: int = 1) -> tuple[list[RecordView], bool]:
    """Views of the team's records by other people, newest first, and whether more follow."""
    rows = db.session.execute(
        select(AccessEvent, User, Membership.role)
        .outerjoin(User, User.id == AccessEvent.user_id)
        .outerjoin(Membership, Membership.id == AccessEvent.membership_id)
        .where(
            AccessEvent.team_id == membership.team_id,
            AccessEvent.action.in_(VIEW_ACTIONS),
            (AccessEvent.user_id != membership.user_id) | AccessEvent.user_id.is_(None),
        )
        .order_by(AccessEvent.at.desc(), AccessEvent.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    views = [
        RecordView(at=event.at, name=person_name(user), role=role, what=_label(event))
        for event, user, role in rows[:PAGE_SIZE]
    ]
    return views, len(rows) > PAGE_SIZE
