"""The addresses the matrix asks for: each rule's parameters filled with the caller's own
team's records, the other team's, or records that do not exist."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from werkzeug.routing import Rule

from app.models import ThreadKind
from tests.security.access_matrix.expectations import NOT_APPLICABLE, Row
from tests.security.access_matrix.world import TeamWorld, module_for, scenario_step

if TYPE_CHECKING:
    from tests.security.access_matrix.engine import Caller

MISSING_ID = 987_654
# Ids that belong to one team: asking for another team's is the "other team" case.
TEAM_SCOPED = frozenset(
    {
        "team_id",
        "consent_id",
        "invitation_id",
        "alert_id",
        "assignment_id",
        "member_id",
        "membership_id",
        "message_id",
    }
)
# Values no record has, for the parameters that are not ids.
MISSING_VALUES = {
    "number": "99",
    "step": "99",
    "slug": "no-such-lesson",
    "kind": "no-such-thread",
    "audience": "nobody",
    "token": "no-such-token",
}


def fill(rule: Rule, row: Row, caller: Caller, variant: str) -> dict[str, str]:
    given = dict(row.given)
    free = [name for name in rule.arguments if name not in given]
    values = {}
    for name in rule.arguments:
        if name in given:
            values[name] = symbol(name, given[name], caller.world)
        elif variant == "missing" and (name != "team_id" or len(free) == 1):
            values[name] = MISSING_VALUES.get(name, str(MISSING_ID))
        else:
            other_record = name in TEAM_SCOPED and (
                variant == "foreign" or (variant == "mixed" and name != "team_id")
            )
            world = caller.other if other_record else caller.world
            values[name] = str(value_of(name, world, caller, rule.endpoint, given))
    return values


def variants(rule: Rule, row: Row, caller: Caller) -> list[str]:
    """own: the caller's team's records. foreign: the other team's. mixed: the other team's
    record inside the caller's team's address. missing: records that do not exist."""
    free = [name for name in rule.arguments if name not in dict(row.given)]
    scoped = [name for name in free if name in TEAM_SCOPED]
    found = ["own"]
    if caller.anonymous:
        return found + (["missing"] if free and row.answers["anon"] != "login" else [])
    if scoped:
        found.append("foreign")
    if "team_id" in scoped and len(scoped) > 1:
        found.append("mixed")
    if free:
        found.append("missing")
    return found


def row_problems(rule: Rule, row: Row) -> list[str]:
    """A row must say what the other team and a missing record get exactly when its URL
    has such a record (and `—` otherwise)."""
    free = [name for name in rule.arguments if name not in dict(row.given)]
    problems = []
    has_other = any(name in TEAM_SCOPED for name in free)
    if has_other != (row.answers["other team"] != NOT_APPLICABLE):
        problems.append(
            f"{row.id} (line {row.line}): 'other team' must be "
            + ("an answer: the URL names a team's record" if has_other else "—")
        )
    if bool(free) != (row.answers["missing"] != NOT_APPLICABLE):
        problems.append(
            f"{row.id} (line {row.line}): 'missing' must be "
            + ("an answer: the URL names a record" if free else "—")
        )
    for name in free:
        if name not in TEAM_SCOPED and name not in MISSING_VALUES:
            problems.append(f"{row.id}: the matrix has no value for <{name}>; add one")
    return problems


def symbol(name: str, value: str, world: TeamWorld) -> str:
    """A row's own value: `slug=teen` is a lesson written for teens, `alert_id=acknowledged`
    the alert a therapist has acknowledged (with a note)."""
    if name == "slug":
        return module_for(value).slug if value in {"teen", "guardian", "school"} else value
    if name == "alert_id" and value == "acknowledged":
        return str(world.acknowledged_alert_id)
    if name in TEAM_SCOPED:
        raise ValueError(f"no record is called {name}={value}")
    return value


def value_of(name: str, world: TeamWorld, caller: Caller, endpoint: str, given: dict) -> object:
    if name == "membership_id":
        key = {
            "therapist.restrict_member": "guardian",
            "therapist.unrestrict_member": "guardian2",
        }.get(endpoint, caller.member_key)
        return world.people[key].membership_id
    if name == "message_id":
        kind = ThreadKind.from_slug(given.get("kind", "")) or ThreadKind.CARE_TEAM
        return world.message_ids[kind]
    if name == "step":
        slug = given.get("slug", "teen")
        known = slug in {"teen", "guardian", "school"}
        return scenario_step(module_for(slug)) if endpoint == "modules.answer" and known else 1
    if name == "token":
        return world.reset_token if endpoint == "auth.reset_password" else world.invitation_token
    simple = {
        "team_id": world.id,
        "consent_id": world.pending_consent_id,
        "invitation_id": world.invitation_id,
        "alert_id": world.alert_id,
        "assignment_id": world.assignment_id,
        "member_id": world.people["guardian"].membership_id,
        "number": 1,
        "slug": module_for("teen").slug,
        "kind": ThreadKind.CARE_TEAM.slug,
        "audience": "family",
    }
    return simple[name]


def build_url(rule: Rule, values: dict[str, str], row: Row) -> str:
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)
    query = {name: value for name, value in row.given if name not in rule.arguments}
    return path + (f"?{urlencode(query)}" if query else "")
