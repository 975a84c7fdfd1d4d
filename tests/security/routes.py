"""The route sweeps' shared parts: every rule in app.url_map, a URL for each built from real
records, the role that would use it, and a fingerprint of the whole database."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import event, func, select
from werkzeug.routing import Rule

from app.domain.accounts import commands as accounts
from app.extensions import db
from app.models import (
    Alert,
    Consent,
    Invitation,
    Message,
    ModuleAssignment,
    OutboxMessage,
)
from tests.checkins.helpers import form as checkin_form
from tests.checkins.helpers import today
from tests.conftest import log_in
from tests.consent.helpers import start_form
from tests.factories import PASSWORD, make_user
from tests.modules.helpers import first_module
from tests.plans.helpers import save

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
# Columns that change by reading alone (a session's throttled "last seen").
VOLATILE_COLUMNS = frozenset({"last_seen_at"})


def unsafe_rules(app) -> list[tuple[Rule, str]]:
    """Every (rule, method) that can change something, in a stable order."""
    found = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & UNSAFE_METHODS)
    ]
    return sorted(found, key=lambda pair: (pair[0].rule, pair[1]))


def get_rules(app) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def role_for(rule: Rule) -> str:
    """The member a route is for, read from where it lives (new routes are picked up too)."""
    for prefix, role in (
        ("/therapist", "therapist"),
        ("/teen", "teen"),
        ("/family", "guardian"),
        ("/school", "school"),
    ):
        if rule.rule.startswith(prefix):
            return role
    return "guardian"


@dataclass
class World:
    """A team with one of everything, so a URL's ids name real records."""

    values: dict[str, object]
    # Arguments that differ by route: the invitation's and the reset's tokens.
    by_endpoint: dict[str, dict[str, object]]

    def path(self, app, rule: Rule, method: str = "GET") -> str | None:
        """The URL of `rule` filled with real ids; None when it cannot be built so that it
        reaches this very rule (the sweep then reports it as not covered)."""
        values = {}
        override = self.by_endpoint.get(rule.endpoint, {})
        for name in rule.arguments:
            if name in override:
                values[name] = override[name]
            elif name in self.values:
                values[name] = self.values[name]
            else:
                converter = type(rule._converters[name]).__name__
                values[name] = 1 if "Int" in converter else "x"
        adapter = app.url_map.bind("localhost")
        try:
            path = adapter.build(rule.endpoint, values, method=method)
            endpoint, _args = adapter.match(path.split("?")[0], method=method)
        except Exception:  # noqa: BLE001 - any failure means "not covered"
            return None
        return path if endpoint == rule.endpoint else None


def seed_world(app, team) -> World:
    """Through the app itself, as its people would: a plan, a message, a consent, an
    invitation, an alert and an assignment."""
    save(team)
    guardian, therapist, teen = app.test_client(), app.test_client(), app.test_client()
    log_in(guardian, team.guardian.email)
    log_in(therapist, team.therapist.email)
    log_in(teen, team.teen.email)
    t = team.id
    school = team.memberships["school"].id
    posted = [
        guardian.post(f"/teams/{t}/messages/family", data={"body": "Hello"}),
        guardian.post(
            f"/teams/{t}/consents/new", data=start_form("school_plan", school, team.guardian.name)
        ),
        therapist.post(
            f"/therapist/teams/{t}/invitations",
            data={"email": "aunt@example.org", "role": "guardian"},
        ),
        therapist.post(
            f"/therapist/teams/{t}/modules",
            data={"module": first_module("guardian").slug, "assignee": "role:guardian"},
        ),
        teen.post("/teen/check-in", data=checkin_form(today(team), urge=5)),
    ]
    assert [r.status_code for r in posted] == [302] * len(posted), [r.text for r in posted]
    # Someone outside the team asks for a reset, so using that link signs no one out here.
    accounts.request_password_reset(make_user().email, "en")
    db.session.commit()

    def first_id(model):
        return db.session.scalars(select(model.id).order_by(model.id)).first()

    db.session.rollback()
    values = {
        "team_id": t,
        "membership_id": team.memberships["guardian"].id,
        "member_id": team.memberships["teen"].id,
        "message_id": first_id(Message),
        "consent_id": first_id(Consent),
        "invitation_id": first_id(Invitation),
        "alert_id": first_id(Alert),
        "assignment_id": first_id(ModuleAssignment),
        "number": 1,
        "step": 1,
        "slug": first_module("guardian").slug,
        "kind": "family",
        "token": "x" * 43,
    }
    assert all(v is not None for v in values.values()), values
    by_endpoint = {
        "auth.accept_invitation": {"token": _token_sent("invitation")},
        "auth.reset_password": {"token": _token_sent("password_reset")},
    }
    db.session.rollback()
    return World(values, by_endpoint)


def _token_sent(template: str) -> str:
    params = db.session.scalars(
        select(OutboxMessage.params).where(OutboxMessage.template == template)
    ).first()
    return params["token"]


def csrf_token_on(page: str) -> str:
    match = CSRF_FIELD.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in_with_csrf(client, email: str) -> str:
    """Signs in through the real form, token and all; returns a token of this session."""
    token = csrf_token_on(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.text
    # Every page's footer carries one (the language switch), public or not.
    return csrf_token_on(client.get("/help").text)


def row_counts() -> tuple[int, ...]:
    """Every table's row count, in one statement (cheap enough to take around each request)."""
    db.session.rollback()
    counts = [select(func.count()).select_from(t).scalar_subquery() for t in _tables()]
    result = tuple(db.session.execute(select(*counts)).one())
    db.session.rollback()
    return result


def fingerprint(skip_tables=frozenset(), skip_columns=frozenset()) -> str:
    """A hash of every row of every table, but for columns that reading alone changes."""
    db.session.rollback()
    digest = hashlib.sha256()
    skipped = VOLATILE_COLUMNS | skip_columns
    for table in _tables():
        if table.name in skip_tables:
            continue
        columns = [c for c in table.columns if c.name not in skipped]
        rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns))
        digest.update(table.name.encode())
        for row in rows:
            digest.update(repr(tuple(row)).encode())
    db.session.rollback()
    return digest.hexdigest()


def _tables():
    return db.metadata.sorted_tables


class WriteWatch:
    """Records the writes each transaction on the engine commits: a rejected request must
    commit none (apart from those listed in `allowed`, which record the attempt itself)."""

    DML = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)

    def __init__(self, engine, allowed: tuple[re.Pattern, ...] = ()):
        self.engine, self.allowed = engine, allowed
        self.pending: dict[int, list[str]] = {}
        self.committed: list[str] = []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._commit)
        event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)

    def _statement(self, conn, _cursor, statement, *_args):
        if self.DML.match(statement):
            self.pending.setdefault(id(conn), []).append(" ".join(statement.split())[:200])

    def _commit(self, conn):
        self.committed.extend(self.pending.pop(id(conn), []))

    def _rollback(self, conn):
        self.pending.pop(id(conn), None)

    def start(self) -> None:
        self.committed.clear()

    def unexpected(self) -> list[str]:
        return [s for s in self.committed if not any(p.search(s) for p in self.allowed)]
