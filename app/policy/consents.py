"""Whether a consent is in force for a disclosure. Consents are not recorded yet, so every
disclosure that needs one is denied: the school sees no plan until the family grants it."""

from __future__ import annotations

import enum

from app.models import Membership


class Scope(enum.StrEnum):
    SCHOOL_PLAN = "school_plan"
    SCHOOL_THREAD = "school_thread"
    CHECKIN_SUMMARY = "checkin_summary"


def in_force(membership: Membership, scope: Scope) -> bool:
    """True when a consent for `scope` naming this membership as recipient is in force."""
    return False
