"""Writes AccessEvents in the caller's transaction. Detail never holds clinical text."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import AccessEvent, Membership, User


def record(
    action: str,
    *,
    user: User | None = None,
    membership: Membership | None = None,
    team_id: int | None = None,
    target: Any = None,
    **detail: Any,
) -> AccessEvent:
    event = AccessEvent(
        action=action,
        user_id=user.id if user else None,
        membership_id=membership.id if membership else None,
        team_id=team_id if team_id is not None else (membership.team_id if membership else None),
        target_type=type(target).__tablename__ if target is not None else None,
        target_id=target.id if target is not None else None,
        detail=detail,
    )
    db.session.add(event)
    return event
