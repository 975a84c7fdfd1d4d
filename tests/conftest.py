"""Fixtures: an app on its own database per test, a client, log-in helpers, a real SMTP server."""

from __future__ import annotations

import os
import re
import secrets
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text

from app import create_app
from app.extensions import db
from tests.factories import PASSWORD, make_team

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def pytest_report_header(config):
    which = "PostgreSQL" if ON_POSTGRES else "SQLite (set TEST_DATABASE_URL for PostgreSQL)"
    return f"database: {which}"


def run_at_once(task, count: int, *, timeout: float = 60) -> list:
    """Runs `task` in `count` threads released together; returns what each returned, and
    fails the test with the first error any of them raised."""
    start = threading.Barrier(count)
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            results.append(task())
        except BaseException as error:  # reported by the test's own thread below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads)
    if errors:
        raise errors[0]
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _postgres_url():
    """On PostgreSQL the run gets a database of its own, made here and dropped at the end, so
    two runs on one server never meet. Its schema is built once; tests get emptied tables."""
    if not ON_POSTGRES:
        yield None
        return
    server = make_url(TEST_DATABASE_URL)
    name = f"harbor_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_all_tables() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app_config(tmp_path, _postgres_url) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "t" * 40,
        "SQLALCHEMY_DATABASE_URI": _postgres_url or f"sqlite:///{tmp_path / 'harbor.sqlite3'}",
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://harbor.test",
        "MAIL_CONSOLE": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port(),  # nothing listens unless the smtp fixture is used
        "MAIL_TIMEOUT": 2.0,
        "DEMO": False,
    }


class IsolatedClient(FlaskClient):
    """Gives each request its own app context, as a real server does. Without this a request
    would reuse the test's app context: its `g` (the signed-in user) and its database session."""

    def open(self, *args, **kwargs):
        # The test's own session then reads afresh: a transaction it left open would keep
        # showing the database as it was before the request.
        db.session.rollback()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            db.session.rollback()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        if not ON_POSTGRES:
            db.create_all()
        yield app
        db.session.remove()
        if ON_POSTGRES:
            _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def team(app):
    return make_team()


@pytest.fixture
def other_team(app):
    return make_team()


def log_in(client, email: str, password: str = PASSWORD, follow: bool = False):
    return client.post(
        "/login", data={"email": email, "password": password}, follow_redirects=follow
    )


@pytest.fixture
def login_as(client, team):
    """login_as("teen") signs the test client in as that member of `team`."""

    def _login(key: str, on_team=None):
        user = (on_team or team).users[key]
        response = log_in(client, user.email)
        assert response.status_code == 302, response.text
        return user

    return _login


@pytest.fixture
def endings(app):
    """How each transaction on the app's engine ended, in order."""
    seen: list[str] = []
    listeners = {
        "commit": lambda _conn: seen.append("commit"),
        "rollback": lambda _conn: seen.append("rollback"),
    }
    for name, listener in listeners.items():
        event.listen(db.engine, name, listener)
    yield seen
    for name, listener in listeners.items():
        event.remove(db.engine, name, listener)


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run inside the `with` block, leaving savepoints out."""

    @dataclass
    class Counter:
        count: int = 0

    counter = Counter()

    def _on_execute(_conn, _cursor, statement, *_args):
        if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK TO)", statement, re.I):
            counter.count += 1

    event.listen(db.engine, "before_cursor_execute", _on_execute)
    yield counter
    event.remove(db.engine, "before_cursor_execute", _on_execute)


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    subject: str
    body: str


class _Collector:
    def __init__(self):
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        body = parsed.get_body(preferencelist=("plain",)).get_content()
        with self.lock:
            self.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed["subject"], body)
            )
        return "250 OK"


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app's mail settings point at it."""
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=app.config["MAIL_PORT"])
    controller.start()
    yield collector
    controller.stop()


def link_in(body: str) -> str:
    """The path of the Harbor link in an email body."""
    match = re.search(r"http://harbor\.test(/\S+)", body)
    assert match, body
    return match.group(1)
