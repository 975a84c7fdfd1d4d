"""Every route that accepts POST (PUT, PATCH, DELETE) refuses a request without a valid CSRF
token: enumerated from app.url_map, so a route added tomorrow is swept tomorrow."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from tests.factories import PASSWORD
from tests.security.routes import (
    World,
    fingerprint,
    log_in_with_csrf,
    role_for,
    row_counts,
    seed_world,
    unsafe_rules,
)

CSRF_PAGE = "The form was open too long or came from somewhere else"
# What a real form of that route might carry: if the check were missing, the view would
# have something to save.
FORM = {
    "body": "csrf probe",
    "note": "csrf probe",
    "reason": "csrf probe",
    "email": "probe@example.org",
    "role": "guardian",
    "typed_name": "Probe",
    "password": PASSWORD,
    "new_password": "lantern orchard pebble 42",
    "urge": "1",
    "thoughts": "1",
    "acted": "no",
    "locale": "es",
}


@dataclass
class Signed:
    world: World
    clients: dict
    tokens: dict


@pytest.fixture
def signed_in(app, team):
    """One of everything (made with CSRF off, as the other tests do), then CSRF on and each
    role signed in through the real form."""
    world = seed_world(app, team)
    app.config["WTF_CSRF_ENABLED"] = True
    clients, tokens = {"anonymous": app.test_client()}, {}
    for role in ("therapist", "teen", "guardian", "school"):
        clients[role] = app.test_client()
        tokens[role] = log_in_with_csrf(clients[role], team.users[role].email)
    yield Signed(world, clients, tokens)
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_unsafe_route_refuses_a_request_without_a_valid_token(app, signed_in, capsys):
    world, clients = signed_in.world, signed_in.clients
    foreign = signed_in.tokens["therapist"]  # valid, but for someone else's session

    rules = unsafe_rules(app)
    uncovered, failures, requests = [], [], 0
    before_all = fingerprint()
    for rule, method in rules:
        path = world.path(app, rule, method)
        if path is None:
            uncovered.append(rule.rule)
            continue
        role = role_for(rule)
        for who in (role, "anonymous"):
            for label, token in (("none", None), ("garbage", "x" * 40), ("foreign", foreign)):
                if who == "therapist" and label == "foreign":
                    continue  # that one is the therapist's own, hence valid
                data = dict(FORM) | ({"csrf_token": token} if token else {})
                counts = row_counts()
                response = clients[who].open(path, method=method, data=data)
                requests += 1
                where = f"{method} {path} as {who}, token {label}"
                if response.status_code != 400 or CSRF_PAGE not in response.text:
                    failures.append(f"{where}: {response.status_code}")
                elif row_counts() != counts:
                    failures.append(f"{where}: the database changed")
    db.session.rollback()
    assert uncovered == [], f"no URL could be built for {uncovered}: add a sample value"
    assert failures == [], "\n".join(failures)
    assert fingerprint() == before_all
    covered = len(rules) - len(uncovered)
    assert covered == len(rules) and covered >= 40
    with capsys.disabled():
        print(f"\nCSRF sweep: {covered} unsafe routes, {requests} requests, all refused")


def test_the_same_requests_with_a_valid_token_reach_the_views(app, signed_in):
    """The sweep's refusals are the CSRF check's doing, not a broken URL: with the session's
    own token none of these answers with the CSRF page."""
    world, clients, tokens = signed_in.world, signed_in.clients, signed_in.tokens
    refused = []
    for rule, method in unsafe_rules(app):
        if rule.endpoint in {"auth.logout", "account.end_all_sessions", "account.delete_account"}:
            continue  # these end the session the rest of the sweep needs
        path = world.path(app, rule, method)
        role = role_for(rule)
        data = dict(FORM) | {"csrf_token": tokens[role]}
        response = clients[role].open(path, method=method, data=data)
        if CSRF_PAGE in response.text:
            refused.append(f"{method} {path}")
    assert refused == []
