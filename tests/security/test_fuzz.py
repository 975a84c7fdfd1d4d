"""Property-based fuzzing of every form and every route's parameters with hostile values:
never a 500, never an unescaped tag, never a redirect to another site, and a rejected
request (anything but a redirect) commits nothing.

The forms are read from the pages themselves (each role's GET pages, parsed with the
standard library's HTML parser); the routes and their arguments from app.url_map; the
query-string names from the app's source. New forms and routes are fuzzed without a change
here. Deterministic (derandomize), bounded for CI: see EXAMPLES_PER_*.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import ROOT
from app.extensions import db
from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.security.html_forms import Form, forms_on
from tests.security.routes import WriteWatch, get_rules, role_for, seed_world, unsafe_rules

EXAMPLES_PER_FORM = 12
EXAMPLES_PER_ROUTE = 4
ROLES = ("therapist", "teen", "guardian", "school")
MARKER = "<hb-x"  # an element no page has: seen raw in a page, some input went out unescaped
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-2147483649",
    "2147483648",
    "9" * 40,
    "1e309",
    "NaN",
    "0x1F",
    "\x00",
    "nul\x00byte",
    "\r\n\r\nSet-Cookie: x=1",
    "x" * 5000,
    "é" * 20_000,
    "𝕳𝖆𝖗𝖇𝖔𝖗 😀",
    "\u202eevil",
    "zero\u200bwidth",
    f'"><{MARKER[1:]} onmouseover=alert(1)>',
    f"<{MARKER[1:]}>",
    "'; DROP TABLE user_account;--",
    "' OR '1'='1",
    "1) OR (1=1",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "%(x)s %s %n",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "null",
    "[]",
    "2030-02-31",
    "0000-00-00",
    "9999-12-31",
    "-0001-01-01",
]
# Written on purpose even when a form is refused: the audit of who looked at what, read
# markers, failed sign-ins (for the lockout), a session's "last seen", and the pending
# two-factor secret made the first time the setup page is shown, however it is reached.
ALLOWED_WRITES = tuple(
    re.compile(p)
    for p in (
        r"^(INSERT INTO|DELETE FROM) \"?(access_event|thread_read|login_failure)\b",
        r"^UPDATE \"?user_account\"? SET (mfa_secret=)",
        r"^UPDATE \"?user_session\"? SET last_seen_at",
    )
)
# Password fields get the real password, so a form gets past that check and deeper, except
# where a fuzzed success would lock the suite out.
NO_REAL_PASSWORD = {"account.password", "account.delete_account", "account.disable_two_factor"}
SESSION_ENDING = {"auth.logout", "account.end_all_sessions", "account.delete_account"}
PORTALS = {"therapist", "teen", "family", "school"}

text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    text,
    st.integers(-(2**80), 2**80).map(str),
    st.floats(allow_nan=True).map(repr),
)
upload = st.binary(max_size=32).map(lambda b: (io.BytesIO(b), "fuzz.bin"))
value = st.one_of(hostile, hostile, hostile, upload)
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def query_names() -> list[str]:
    """Every query-string name the app reads by a literal name in its source, and the ones
    it reads through helpers (pagination, filters) that a scan would miss."""
    found = {"page", "before", "next", "from", "to", "days", "country", "q"}
    for path in (ROOT / "app").rglob("*.py"):
        source = path.read_text()
        found |= set(re.findall(r'(?:request\.args\.get|query_int)\(\s*"(\w+)"', source))
    return sorted(found)


class Harness:
    """Signed-in clients, one per role, made again whenever a request ended the session."""

    def __init__(self, app, team, world):
        self.app, self.team, self.world = app, team, world
        self.clients: dict = {}
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.watch = WriteWatch(db.engine, ALLOWED_WRITES)

    def client(self, who: str):
        if who not in self.clients:
            client = self.app.test_client()
            if who != "anonymous":
                log_in(client, self.team.users[who].email)
            self.clients[who] = client
        return self.clients[who]

    def endpoint(self, method: str, path: str) -> str | None:
        try:
            return self.app.url_map.bind("localhost").match(urlsplit(path).path, method)[0]
        except Exception:  # noqa: BLE001 - a 404 or 405 route: no endpoint
            return None

    def send(self, who: str, method: str, path: str, **kwargs) -> None:
        client = self.client(who)
        db.session.rollback()
        self.watch.start()
        response = client.open(path, method=method, **kwargs)
        self.requests += 1
        status = response.status_code
        self.statuses[status] += 1
        where = f"{method} {path[:120]!r} as {who}"
        assert status < 500, f"{where}: {status}"
        if response.mimetype == "text/html":
            assert MARKER not in response.get_data(as_text=True), f"{where}: unescaped input"
        if 300 <= status < 400:
            host = urlsplit(response.headers["Location"]).netloc
            assert host in ("", "localhost"), f"{where}: redirects to {host}"
        elif method != "GET" or status >= 400:
            assert self.watch.unexpected() == [], f"{where}: {status} but wrote"
        ending = self.endpoint(method, path) in SESSION_ENDING
        if ending or response.headers.get("Location", "").startswith("/login"):
            self.clients.pop(who, None)


@pytest.fixture
def harness(app, team):
    h = Harness(app, team, seed_world(app, team))
    with h.watch:
        yield h


def portal_role(rule) -> str | None:
    """The role of a portal's route (/therapist/...); None for routes every member shares."""
    return role_for(rule) if rule.rule.split("/")[1] in PORTALS else None


def discover_forms(h: Harness) -> list[Form]:
    """Every distinct form on every page each role (and a visitor) can open."""
    forms: dict[tuple, Form] = {}
    for rule in get_rules(h.app):
        path = h.world.path(h.app, rule)
        assert path is not None, f"no URL for {rule.rule}"
        own = portal_role(rule)
        for who in [own] if own else ["anonymous", *ROLES]:
            response = h.client(who).get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                for form in forms_on(response.get_data(as_text=True), who, path):
                    endpoint = h.endpoint(form.method, form.action)
                    forms.setdefault((form.method, endpoint, tuple(sorted(form.fields))), form)
    return list(forms.values())


def baseline(form: Form, endpoint: str | None) -> dict[str, list]:
    """What a person filling the form in plausibly sends; the fuzzer then spoils parts of it."""
    values: dict[str, list] = {}
    for name, f in form.fields.items():
        offered = [v for v in f.values if v.strip()]
        if name == "csrf_token" or f.kind == "button":
            continue
        if f.kind == "password":
            values[name] = ["not the password" if endpoint in NO_REAL_PASSWORD else PASSWORD]
        elif f.kind == "email":
            values[name] = ["fuzz@example.org"]
        elif f.kind == "date":
            values[name] = offered[:1] or [date.today().isoformat()]
        else:
            values[name] = offered[:1] or ["Fuzz"]
    return values


def spoil(data, form: Form, values: dict[str, list]) -> dict[str, list]:
    names = sorted(form.fields) or ["x"]
    for _ in range(data.draw(st.integers(0, 5), label="mutations")):
        op = data.draw(st.sampled_from(["set", "set", "set", "drop", "repeat", "extra"]))
        name = data.draw(st.sampled_from(names) if op != "extra" else text.filter(bool))
        if op == "drop":
            values.pop(name, None)
        elif op == "repeat":
            values[name] = data.draw(st.lists(value, min_size=2, max_size=3))
        else:
            values[name] = [data.draw(value)]
    return values


def fuzz_form(h: Harness, form: Form):
    endpoint = h.endpoint(form.method, form.action)
    action = form.action.split("#")[0]

    @settings(FUZZ, max_examples=EXAMPLES_PER_FORM)
    @given(data=st.data())
    def fuzz(data):
        empty = data.draw(st.integers(0, 5), label="start empty") == 0
        values = spoil(data, form, {} if empty else baseline(form, endpoint))
        if form.method == "GET":
            fields = {k: v for k, v in values.items() if all(isinstance(x, str) for x in v)}
            h.send(form.role, "GET", f"{action}?{urlencode(fields, doseq=True)}")
        else:
            h.send(form.role, form.method, action, data=values)

    fuzz()


def fuzz_route(h: Harness, rule, method: str, names: list[str]):
    who = portal_role(rule) or "guardian"
    known = {**h.world.values, **h.world.by_endpoint.get(rule.endpoint, {})}

    @settings(FUZZ, max_examples=EXAMPLES_PER_ROUTE)
    @given(data=st.data())
    def fuzz(data):
        spoilt = data.draw(st.sampled_from([None, *sorted(rule.arguments)]), label="spoil")
        path = rule.rule
        for name in rule.arguments:
            raw = data.draw(hostile) if name == spoilt else str(known.get(name, 1))
            path = re.sub(rf"<(?:\w+:)?{name}>", quote(raw, safe="") or "%20", path)
        query = data.draw(st.lists(st.tuples(st.sampled_from(names) | text, hostile), max_size=3))
        if query:
            path += "?" + urlencode(query)
        as_who = data.draw(st.sampled_from([who, who, "anonymous"]), label="as")
        h.send(as_who, method, path, data={} if method != "GET" else None)

    fuzz()


def tally(h: Harness) -> str:
    return "answers " + ", ".join(f"{n}\u00d7{s}" for s, n in sorted(h.statuses.items()))


def test_fuzz_every_form(harness, capsys):
    forms = discover_forms(harness)
    assert len(forms) >= 40, [f.action for f in forms]
    for form in forms:
        fuzz_form(harness, form)
    with capsys.disabled():
        print(f"\nfuzz: {len(forms)} forms, {harness.requests} requests, {tally(harness)}")


def test_fuzz_every_route_parameter(harness, capsys):
    names = query_names()
    rules = [(r, "GET") for r in get_rules(harness.app)] + unsafe_rules(harness.app)
    for rule, method in rules:
        fuzz_route(harness, rule, method, names)
    with capsys.disabled():
        print(f"\nfuzz: {len(rules)} routes, {harness.requests} requests, {tally(harness)}")
