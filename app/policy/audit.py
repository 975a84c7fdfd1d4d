"""Which audit events a therapist may read: the log of their practices.

A practice is theirs when they are on its staff or lead one of its care teams. They see every
event of that practice's teams, and the personal events (signing in, security changes) of
the people on those teams, which carry no team. Nothing of another practice, and no event
of an email that has no account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, or_, select

from app.models import AccessEvent, CareTeam, Membership, PracticeStaff, Role, User

# Events about a person rather than a team; recorded with no team_id.
PERSONAL_PREFIXES = ("auth.", "account.")


def _practice_ids(user: User) -> list[Select[Any]]:
    return [
        select(PracticeStaff.organization_id).where(PracticeStaff.user_id == user.id),
        select(CareTeam.practice_id)
        .join(Membership, Membership.team_id == CareTeam.id)
        .where(Membership.user_id == user.id, Membership.role == Role.THERAPIST),
    ]


def practice_team_ids(user: User) -> Select[Any]:
    """The ids of every care team of the user's practices."""
    return select(CareTeam.id).where(
        or_(*(CareTeam.practice_id.in_(ids) for ids in _practice_ids(user)))
    )


def practice_events(user: User) -> Select[Any]:
    """The AccessEvents the user may read in the practice log (none for a non-therapist)."""
    teams = practice_team_ids(user)
    members = select(Membership.user_id).where(Membership.team_id.in_(teams))
    return select(AccessEvent).where(
        or_(
            AccessEvent.team_id.in_(teams),
            and_(
                AccessEvent.team_id.is_(None),
                AccessEvent.user_id.in_(members),
                or_(*(AccessEvent.action.startswith(p) for p in PERSONAL_PREFIXES)),
            ),
        )
    )


def openable_team_ids(user: User) -> Select[Any]:
    """Teams whose records the user may open from the log: those they lead. Practice staff
    read the log of every team but open only their own teams' records."""
    return select(Membership.team_id).where(
        Membership.user_id == user.id, Membership.role == Role.THERAPIST
    )
