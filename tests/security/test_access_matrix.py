"""The authorization matrix: every route and method, asked by every kind of caller about their
own team's records, another team's and missing ones, under every consent state that matters,
held to the hand-written access_expectations.md. Every answer is also searched for canaries
planted where only some people may read them, and every email queued is rendered and searched
too. A denied POST must leave the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import g
from sqlalchemy import select

from app import create_app
from app.domain.accounts import passwords
from app.extensions import db
from app.models import OutboxMessage
from tests.conftest import ON_POSTGRES, IsolatedClient, _empty_all_tables, free_port
from tests.security.access_matrix.consent_states import set_consent_state
from tests.security.access_matrix.engine import SEEN, STATS, Matrix, email_leaks
from tests.security.access_matrix.expectations import load, route_path
from tests.security.access_matrix.urls import row_problems
from tests.security.access_matrix.world import add_threads, build, restrict_second_guardian

ROWS = load(Path(__file__).with_name("access_expectations.md"))
UNCHECKED = frozenset({"static"})  # files, the same for everyone


def _config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "m" * 40,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,  # CSRF has tests of its own
        "RATELIMIT_ENABLED": False,  # so are rate limits
        "MFA_REQUIRED_FOR_THERAPISTS": False,
        "BASE_URL": "http://harbor.test",
        "MAIL_CONSOLE": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port(),
        "DEMO": False,
    }


def _rules(app) -> dict[tuple[str, str], object]:
    return {
        (method, route_path(rule.rule)): rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNCHECKED
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


RULES = _rules(create_app(_config("sqlite://")))


def test_every_route_has_a_row_and_every_row_a_route():
    covered = {row.key for row in ROWS}
    unlisted = sorted(f"{method} {path}" for method, path in RULES.keys() - covered)
    gone = sorted(f"{row.id} (line {row.line})" for row in ROWS if row.key not in RULES)
    assert not unlisted, "routes with no row in access_expectations.md: " + "; ".join(unlisted)
    assert not gone, "rows for routes the app no longer has: " + "; ".join(gone)


def test_each_row_answers_for_the_records_its_url_names():
    problems = [p for row in ROWS if row.key in RULES for p in row_problems(RULES[row.key], row)]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, _postgres_url):
    database = tmp_path_factory.mktemp("matrix") / "harbor.sqlite3"
    app = create_app(_config(_postgres_url or f"sqlite:///{database}"))
    app.test_client_class = IsolatedClient
    with pytest.MonkeyPatch.context() as patch, app.app_context():
        # Full-strength hashing costs half a second per new password and proves nothing
        # about who may do what; the hashes the app verifies name their own parameters.
        patch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
        if not ON_POSTGRES:
            db.create_all()
        a, b = build("A"), build("B")
        for world in (a, b):
            set_consent_state(world, "all")
        # The policy keeps its consent answers for the app context, and this one has lasted
        # since the plans were saved, before any consent existed.
        g.pop("_consents_in_force", None)
        for world in (a, b):
            add_threads(world)
        restrict_second_guardian(a)
        set_consent_state(a, "none")
        found = Matrix(app, a, b)
        found.sign_in_everyone()
        yield found
        db.session.remove()
        if ON_POSTGRES:
            _empty_all_tables()
        db.engine.dispose()


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_access(matrix, row):
    rule = RULES.get(row.key)
    if rule is None:
        pytest.fail(f"{row.id}: the app has no such route")
    failures = matrix.run(rule, row)
    assert not failures, f"{len(failures)} wrong answers:\n" + "\n".join(failures)


def test_the_worlds_own_emails_carry_no_canary(matrix):
    """Building the world queued invitations, plan notices, alerts, message notices."""
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert {m.template for m in messages} >= {"invitation", "checkin_alert", "new_message"}
    problems = [p for message in messages for p in email_leaks(message, (matrix.a, matrix.b))]
    db.session.rollback()
    assert not problems, "\n".join(problems)


def test_every_canary_reached_someone_allowed_to_read_it(matrix):
    """Otherwise a canary missing from a page would prove nothing."""
    if STATS["rows"] < len(ROWS):
        pytest.skip("only part of the matrix ran in this process")
    unseen = sorted(
        f"team {world.name}'s {kind}"
        for world in (matrix.a, matrix.b)
        for kind in world.canaries
        if (world.name, kind) not in SEEN
    )
    assert not unseen, "never shown to anyone: " + ", ".join(unseen)
