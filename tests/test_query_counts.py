"""Every GET page costs the same number of SQL statements however much data the team has.

The pages come from app.url_map, so a new page is measured as soon as it exists; one whose
URL needs a value this file does not know fails the test until it is taught here. Each page is
opened by every role (and anonymously); the roles it opens for are measured, before and after
a second batch of every kind of record lands on the same team.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import url_for

from app.domain.accounts import sessions
from tests.conftest import log_in
from tests.query_world import INVITE_TOKEN, RESET_TOKEN, World, add_batch, build_world

ROLES = ("anonymous", "therapist", "teen", "guardian", "school")

# Values for a URL's variables, by name; each may depend on the role opening the page.
VALUES = {
    "team_id": lambda world, role: world.team.id,
    "consent_id": lambda world, role: world.consent_id,
    "alert_id": lambda world, role: world.alert_id,
    "message_id": lambda world, role: world.messages.get(role, world.messages["therapist"]),
    "membership_id": lambda world, role: world.team.memberships["guardian"].id,
    "member_id": lambda world, role: world.team.memberships["guardian"].id,
    "number": lambda world, role: 1,
    "slug": lambda world, role: world.slug(role),
    "step": lambda world, role: 1,
    "audience": lambda world, role: "family",
    "kind": lambda world, role: "care-team",
}
# Where one name means different things on different pages.
VALUES_BY_PAGE = {
    ("auth.accept_invitation", "token"): INVITE_TOKEN,
    ("auth.reset_password", "token"): RESET_TOKEN,
}
# Query strings a page needs to show anything (not a 404).
PORTAL_ROLE = {"therapist": "therapist", "teen": "teen", "family": "guardian", "school": "school"}
QUERIES = {f"{portal}.plan_diff": {"from": 1, "to": 2} for portal in PORTAL_ROLE}
# Later pages of long lists, measured as pages of their own: "endpoint?name" -> query string.
LATER_PAGES = {
    "messages.thread?before": lambda world: {"before": world.messages["therapist"]},
    "messages.thread?after": lambda world: {"after": world.messages["therapist"] - 6},
    "consent.record_views_page?page": lambda world: {"page": 2},
    "therapist.team_checkins?page": lambda world: {"page": 2, "days": 90},
}


def get_pages(app) -> list[str]:
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint != "static"
    }
    return sorted(endpoints | set(LATER_PAGES))


def page_url(app, world: World, page: str, role: str) -> str:
    endpoint = page.partition("?")[0]
    rule = next(r for r in app.url_map.iter_rules(endpoint=endpoint) if "GET" in r.methods)
    values = {}
    for name in rule.arguments:
        if (endpoint, name) in VALUES_BY_PAGE:
            values[name] = VALUES_BY_PAGE[endpoint, name]
        elif name in VALUES:
            values[name] = VALUES[name](world, role)
        else:
            pytest.fail(f"{endpoint}: teach tests/test_query_counts.py a value for <{name}>")
    query = QUERIES.get(endpoint, {}) | (LATER_PAGES[page](world) if page in LATER_PAGES else {})
    with app.test_request_context():
        return url_for(endpoint, **values, **query)


def opens(response) -> bool:
    """The page answered this person: a page, or a redirect that is not "sign in first"."""
    if response.status_code == 200:
        return True
    location = response.headers.get("Location", "")
    return 300 <= response.status_code < 400 and "next=" not in location


Pair = tuple[str, str]  # (page, role)


def measure(app, clients, world, count_queries, pairs) -> tuple[dict, dict[Pair, int]]:
    """(page, role) -> (status, statements) for the pairs that open, and every pair's first
    status. Each page is opened twice and the second visit counted: the first may write what
    is written once (a read marker, a daily audit entry)."""
    found, statuses = {}, {}
    for page, role in pairs:
        url = page_url(app, world, page, role)
        first_visit = clients[role].get(url)
        statuses[page, role] = first_visit.status_code
        if not opens(first_visit):
            continue
        before = count_queries.count
        response = clients[role].get(url)
        found[page, role] = (response.status_code, count_queries.count - before)
    return found, statuses


def table(counts: dict, pages: list[str]) -> str:
    lines = [f"{'page':42}" + "".join(f"{role:>10}" for role in ROLES)]
    for page in pages:
        cells = [counts.get((page, role)) for role in ROLES]
        lines.append(f"{page:42}" + "".join(f"{c[1] if c else '-':>10}" for c in cells))
    return "\n".join(lines)


def test_no_page_costs_more_queries_when_the_data_doubles(app, count_queries, monkeypatch):
    # The session's "last seen" write happens once a minute: keep it out of the counts.
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(days=1))
    world = build_world()
    clients = {role: app.test_client() for role in ROLES}
    for role in ROLES[1:]:
        assert log_in(clients[role], world.team.users[role].email).status_code == 302

    pages = get_pages(app)
    every = [(page, role) for page in pages for role in ROLES]
    first, statuses = measure(app, clients, world, count_queries, every)
    unopened = {
        pair: code
        for pair, code in statuses.items()
        if not any((pair[0], role) in first for role in ROLES)
    }
    # A role's own portal opens for it: else the world is broken and pages go unmeasured.
    shut_out = {
        pair: code
        for pair, code in statuses.items()
        if PORTAL_ROLE.get(pair[0].partition(".")[0]) == pair[1] and pair not in first
    }

    add_batch(world)
    second, _statuses = measure(app, clients, world, count_queries, list(first))
    print(table(second, pages))
    grew = {
        pair: f"{first[pair][1]} -> {second.get(pair, ('gone', '?'))[1]}"
        for pair in first
        if first[pair] != second.get(pair)
    }
    assert not grew, f"pages whose statements (or status) changed with more data: {grew}"
    assert not unopened, f"no role opens these pages; give their URLs values that exist: {unopened}"
    assert not shut_out, f"pages of a role's own portal that turned it away: {shut_out}"
