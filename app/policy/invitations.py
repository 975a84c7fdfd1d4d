"""Who may be invited to a care team, and who may join through an invitation.

The teen's account is the teen's: an invitation for the teen role cannot go to an email that
belongs to a guardian on the team (or one invited as a guardian), nor a guardian's to the
teen's. A team has one teen. Nobody is on a team twice or invited twice at once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from app.models import Role


class Refusal(enum.Enum):
    GUARDIANS_EMAIL_FOR_TEEN = "guardians_email_for_teen"
    TEAM_HAS_TEEN = "team_has_teen"
    TEENS_EMAIL_FOR_GUARDIAN = "teens_email_for_guardian"
    ALREADY_MEMBER = "already_member"
    ALREADY_INVITED = "already_invited"


def invitation_refusal(
    role: Role,
    email: str,
    members: Iterable[tuple[Role, str]],
    pending: Iterable[tuple[Role, str]],
) -> Refusal | None:
    """Why an invitation of `email` as `role` is refused, given the team's members and its
    live invitations as (role, email) pairs; None when it may go."""
    members, pending = list(members), list(pending)
    everyone = members + pending
    guardians = {address for who, address in everyone if who == Role.GUARDIAN}
    teens = {address for who, address in everyone if who == Role.TEEN}
    if role == Role.TEEN:
        if email in guardians:
            return Refusal.GUARDIANS_EMAIL_FOR_TEEN
        if teens:
            return Refusal.TEAM_HAS_TEEN
    if role == Role.GUARDIAN and email in teens:
        return Refusal.TEENS_EMAIL_FOR_GUARDIAN
    if any(address == email for _, address in members):
        return Refusal.ALREADY_MEMBER
    if any(address == email for _, address in pending):
        return Refusal.ALREADY_INVITED
    return None


def joining_refusal(
    role: Role, user_id: int, members: Iterable[tuple[Role, int]]
) -> Refusal | None:
    """Why a person may not join as `role`, given the team's members as (role, user id)."""
    members = list(members)
    if any(member_id == user_id for _, member_id in members):
        return Refusal.ALREADY_MEMBER
    if role == Role.TEEN and any(who == Role.TEEN for who, _ in members):
        return Refusal.TEAM_HAS_TEEN
    return None
