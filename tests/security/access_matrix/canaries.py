"""The canaries: texts planted in the records, and who may read each, as DESIGN.md's "Who sees
what" puts it. The matrix fails any answer that shows a canary to anyone else."""

from __future__ import annotations

import secrets

from app.models import Scope

# A reader is a role ("restricted": the guardian whose access the therapist restricted), or a
# role and the consent scope that must be in force for them. Nobody else, and nobody of the
# other team, may ever read a team's canary.
_SCHOOL_PLAN = ("school", Scope.SCHOOL_PLAN)
_SCHOOL_THREAD = ("school", Scope.SCHOOL_THREAD)
READERS: dict[str, tuple] = {
    "TEEN-NAME": ("therapist", "teen", "guardian", "school", "restricted"),
    "CLINICAL": ("therapist",),
    "UNTICKED": ("therapist",),
    "THERAPIST-STEP": ("therapist",),
    "TEEN-ITEM": ("therapist", "teen"),
    "FAMILY-ITEM": ("therapist", "teen", "guardian"),
    "SCHOOL-ITEM": ("therapist", "teen", "guardian", _SCHOOL_PLAN),
    "CHECKIN-NOTE": ("therapist", "teen"),
    "ALERT-NOTE": ("therapist",),
    "THREAD-CARE-TEAM": ("therapist", "teen", "guardian", _SCHOOL_THREAD),
    "THREAD-FAMILY": ("therapist", "teen", "guardian"),
    "THREAD-TEEN": ("therapist", "teen"),
    "THREAD-SCHOOL": ("therapist", "guardian", _SCHOOL_THREAD),
    "HIDDEN-MESSAGE": ("therapist",),
    "HIDDEN-REASON": ("therapist",),
    # Not a canary text but the summary card's sentence ("<teen> checked in today."): the
    # guardian reads it only under the teen's check-in summary consent.
    "CHECKIN-SUMMARY": ("therapist", "teen", ("guardian", Scope.CHECKIN_SUMMARY)),
}


def may_read(kind: str, role: str, in_force: frozenset[Scope]) -> bool:
    for reader in READERS[kind]:
        if reader == role:
            return True
        if isinstance(reader, tuple) and reader[0] == role and reader[1] in in_force:
            return True
    return False


def plant(name: str) -> dict[str, str]:
    """Team `name`'s canaries, unique to this run; the teen's name is one too."""
    tag = secrets.token_hex(4)
    found = {kind: f"CANARY-{name}-{kind}-{tag}" for kind in READERS}
    found["TEEN-NAME"] = f"Teen{name}{tag}"
    found["CHECKIN-SUMMARY"] = f"{found['TEEN-NAME']} checked in today."
    return found
