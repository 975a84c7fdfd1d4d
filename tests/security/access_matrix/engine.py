"""The engine of the authorization matrix: who asks, with which records in the URL, under
which consents, and what counts as a wrong answer."""

from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from app.models import OutboxMessage, Scope
from app.platform.email import render
from tests.conftest import log_in
from tests.security.access_matrix.canaries import may_read
from tests.security.access_matrix.consent_states import (
    CONSENT_STATES,
    OTHER_TEAM_STATE,
    set_consent_state,
)
from tests.security.access_matrix.expectations import Row, consent_scope
from tests.security.access_matrix.forms import FORMS
from tests.security.access_matrix.snapshots import (
    IGNORED_COLUMNS,
    Snapshot,
    differences,
    restore,
    snapshot,
)
from tests.security.access_matrix.urls import build_url, fill, variants
from tests.security.access_matrix.world import TeamWorld

SESSION_COOKIE = "harbor_session"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ALLOWED = frozenset({"ok", "ok*"})

STATS: Counter[str] = Counter()
# The canaries some allowed reader was shown, (team, kind): proof that the canaries are on
# the pages at all, so that not finding one elsewhere means something.
SEEN: set[tuple[str, str]] = set()


@dataclass
class Caller:
    label: str
    column: str  # the expectations column of their own records
    role: str | None  # who they read canaries as (canaries.READERS); None for anonymous
    member_key: str  # their key in the team's people (the therapist's, for anonymous)
    world: TeamWorld  # whose records are "their own" (team A's for anonymous)
    other: TeamWorld
    client: FlaskClient
    cookie: str | None = None
    named_in_consents: bool = True  # False: no consent on file names them

    @property
    def anonymous(self) -> bool:
        return self.column == "anon"


@dataclass
class Answer:
    variant: str
    url: str
    status: int
    body: str


@dataclass
class Matrix:
    app: Flask
    a: TeamWorld
    b: TeamWorld
    callers: list[Caller] = field(default_factory=list)
    baseline: Snapshot = field(default_factory=dict)
    known: Snapshot | None = None
    state: str = "none"

    # -- setting up --------------------------------------------------------------------

    def sign_in_everyone(self) -> None:
        a, b = self.a, self.b
        client = self.app.test_client
        self.callers = [Caller("anonymous", "anon", None, "therapist", a, b, client())]
        for world, other in ((a, b), (b, a)):
            for key in ("therapist", "teen", "guardian", "school"):
                label = f"{world.name} {key}"
                self.callers.append(Caller(label, key, key, key, world, other, client()))
        # Two more of team A's: a guardian under a restriction, a counselor no consent names.
        restricted = Caller(
            "A restricted guardian", "restricted", "restricted", "guardian2", a, b, client()
        )
        unnamed = Caller("A unnamed counselor", "school", "school", "school2", a, b, client())
        unnamed.named_in_consents = False
        self.callers += [restricted, unnamed]
        for caller in self.callers:
            if not caller.anonymous:
                response = log_in(caller.client, caller.world.people[caller.member_key].email)
                assert response.status_code == 302, (caller.label, response.status_code)
                caller.cookie = caller.client.get_cookie(SESSION_COOKIE).value
        self.baseline = snapshot()
        self.known = self.baseline

    # -- one row of the expectations -----------------------------------------------------

    def run(self, rule: Rule, row: Row) -> list[str]:
        STATS["rows"] += 1
        failures: list[str] = []
        self.reset()
        states = list(CONSENT_STATES) if row.sweeps_consents else ["none"]
        for state in states:
            self.set_state(state)
            for caller in self.callers:
                if state != "none" and (caller.anonymous or caller.world is not self.a):
                    continue
                answers = {}
                for variant in variants(rule, row, caller) if state == "none" else ["own"]:
                    answer, problems = self.ask(rule, row, caller, variant)
                    answers[variant] = answer
                    failures += problems
                failures += same_as_missing(answers, caller)
        self.set_state("none")
        failures += self.reset()
        return failures

    def set_state(self, state: str) -> None:
        if state != self.state:
            set_consent_state(self.a, state)
            self.state = state
            self.known = None

    def reset(self) -> list[str]:
        """Back to the world as built; the emails queued meanwhile are read first."""
        current = snapshot()
        problems = self.emails_between(self.baseline, current)
        restore(self.baseline, current)
        self.known = self.baseline
        return problems

    def ask(self, rule: Rule, row: Row, caller: Caller, variant: str) -> tuple[Answer, list[str]]:
        values = fill(rule, row, caller, variant)
        url = build_url(rule, values, row)
        expected = self.expected(row, caller, variant)
        where = f"{row.method} {url} as {caller.label} ({variant}, consents: {self.state})"
        before = None
        data = None
        if row.method == "POST":
            before = self.known if self.known is not None else snapshot()
            data = {"idempotency_key": secrets.token_urlsafe(24), **self.form(rule, caller)}
        response = caller.client.open(url, method=row.method, data=data)
        STATS["cases"] += 1
        self.forget_session_changes(caller)
        body = response.get_data(as_text=True)
        problems = []
        got = outcome(response)
        if not matches(expected, row.method, response.status_code, got):
            problems.append(f"{where}: expected {expected}, got {got}")
        problems += self.leaks(caller, body + response.headers.get("Location", ""), where)
        if before is not None:
            after = snapshot()
            changed = differences(before, after)
            if changed and expected not in ALLOWED:
                problems.append(f"{where}: answered {got} but changed {', '.join(changed)}")
            problems += self.emails_between(before, after)
            if changed:
                restore(before, after)
            self.known = before
        else:
            self.known = None  # reading a page may write (the audit, read markers)
        return Answer(variant, url, response.status_code, body), problems

    def forget_session_changes(self, caller: Caller) -> None:
        """Each request starts from the sign-in: no flashed messages, language or new
        session carried from one case to the next."""
        if caller.cookie is None:
            caller.client.delete_cookie(SESSION_COOKIE)
        else:
            caller.client.set_cookie(SESSION_COOKIE, caller.cookie)

    def expected(self, row: Row, caller: Caller, variant: str) -> str:
        column = {"own": caller.column, "missing": "missing"}.get(variant, "other team")
        answer = row.answers[column]
        scope = consent_scope(answer)
        if scope is not None:
            return "ok" if scope in self.in_force(caller) else "404"
        return answer

    def in_force(self, caller: Caller) -> frozenset[Scope]:
        if not caller.named_in_consents:
            return frozenset()
        state = self.state if caller.world is self.a else OTHER_TEAM_STATE
        return CONSENT_STATES[state]

    # -- canaries and emails -------------------------------------------------------------

    def leaks(self, caller: Caller, text: str, where: str) -> list[str]:
        found = []
        for world in (self.a, self.b):
            for kind, canary in world.canaries.items():
                if canary not in text:
                    continue
                if self.may_see(caller, world, kind):
                    SEEN.add((world.name, kind))
                else:
                    found.append(f"{where}: shows team {world.name}'s {kind}")
        return found

    def may_see(self, caller: Caller, world: TeamWorld, kind: str) -> bool:
        return (
            caller.role is not None
            and caller.world is world
            and may_read(kind, caller.role, self.in_force(caller))
        )

    def emails_between(self, before: Snapshot, after: Snapshot) -> list[str]:
        """Renders every email queued between two snapshots: none may carry a canary."""
        problems = []
        table = OutboxMessage.__table__
        names = [c.name for c in table.columns if (table.name, c.name) not in IGNORED_COLUMNS]
        for key, row in after[table.name].items():
            if key in before[table.name]:
                continue
            values = dict(zip(names, row, strict=True))
            queued = OutboxMessage(
                to_email=values["to_email"],
                template=values["template"],
                params=values["params"],
                locale=values["locale"],
            )
            problems += email_leaks(queued, (self.a, self.b))
        return problems

    def form(self, rule: Rule, caller: Caller) -> dict[str, str]:
        build = FORMS.get(rule.endpoint)
        return build(caller, caller.world) if build else {}


def outcome(response) -> str:
    if response.status_code in REDIRECTS:
        return "login" if urlsplit(response.location).path == "/login" else "redirect"
    return str(response.status_code)


def matches(expected: str, method: str, status: int, got: str) -> bool:
    if expected in ALLOWED:
        return status == 200 or (method == "POST" and status in REDIRECTS)
    if expected in ("login", "redirect"):
        return got == expected
    return str(status) == expected


def _comparable(body: str) -> str:
    # The page's own address (the language form's "next") and the signed CSRF token differ.
    return re.sub(r'name="(next|csrf_token)" value="[^"]*"', "", body)


def same_as_missing(answers: dict[str, Answer], caller: Caller) -> list[str]:
    """Another team's record must answer exactly like one that does not exist."""
    missing = answers.get("missing")
    problems = []
    for variant in ("foreign", "mixed"):
        answer = answers.get(variant)
        if answer is None or missing is None or not answer.status == missing.status == 404:
            continue
        if _comparable(answer.body) != _comparable(missing.body):
            problems.append(
                f"{answer.url} as {caller.label}: the 404 differs from the missing record's "
                f"({missing.url})"
            )
    return problems


def email_leaks(message: OutboxMessage, worlds) -> list[str]:
    """Renders the email as the outbox worker would; it may carry no canary at all."""
    STATS["emails"] += 1
    email = render(message)
    return [
        f"the {message.template} email to {message.to_email} carries team {world.name}'s {kind}"
        for world in worlds
        for kind, canary in world.canaries.items()
        if canary in email.subject or canary in email.body
    ]
