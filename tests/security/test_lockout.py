"""Progressive lockout of sign-ins, counted in the database (issue #8, item 2)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.db import utcnow
from app.domain.accounts import lockout
from app.extensions import db
from app.models import AccessEvent, LoginFailure, OutboxMessage, UserSession
from tests.conftest import IsolatedClient, log_in
from tests.factories import PASSWORD, make_user

WRONG = "not the password at all"
LOCKED = "Too many attempts to sign in with this email."
NO_MATCH = "That email and password do not match an account."


class Clock:
    """The lockout's idea of now, moved by hand so that delays of a second are exact."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(lockout, "utcnow", clock)
    return clock


def failures(email: str, count: int, at, *, address: str = "192.0.2.7") -> None:
    """`count` failed attempts for `email` at `at`, as the sign-in would have written them."""
    key = lockout.account_key(email)
    db.session.add_all(LoginFailure(account_key=key, address=address, at=at) for _ in range(count))
    db.session.commit()


def failure_count(email: str | None = None) -> int:
    query = select(func.count()).select_from(LoginFailure)
    if email is not None:
        query = query.where(LoginFailure.account_key == lockout.account_key(email))
    return db.session.scalar(query)


def test_delay_is_free_for_a_few_failures_then_doubles_up_to_fifteen_minutes():
    assert [lockout.delay_after(n).total_seconds() for n in range(9)] == [
        0,
        0,
        0,
        0,
        0,
        1,
        2,
        4,
        8,
    ]
    assert lockout.delay_after(14) == timedelta(seconds=512)
    assert lockout.delay_after(15) == timedelta(minutes=15)
    assert lockout.delay_after(99) == timedelta(minutes=15)


def test_after_five_failures_even_the_right_password_waits(client, team, clock):
    email = team.guardian.email
    for _ in range(5):
        response = log_in(client, email, WRONG)
        assert NO_MATCH in response.text
    assert failure_count(email) == 5

    right = log_in(client, email, PASSWORD)
    assert right.status_code == 200
    assert LOCKED in right.text
    assert "1 second" in right.text
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    # A refused attempt is not a guess: it neither counts nor makes the wait longer.
    assert failure_count(email) == 5

    clock.advance(seconds=1, microseconds=1)
    assert log_in(client, email, PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait(client, team, clock):
    email = team.teen.email
    for _ in range(5):
        log_in(client, email, WRONG)
    waits = []
    for _ in range(4):
        until = lockout.locked_until(email)
        waits.append((until - clock.now).total_seconds())
        clock.now = until + timedelta(microseconds=1)
        assert NO_MATCH in log_in(client, email, WRONG).text
    assert waits == [1, 2, 4, 8]


def test_the_wait_never_exceeds_fifteen_minutes(app, team):
    now = utcnow()
    failures(team.teen.email, 40, now - timedelta(minutes=1))
    until = lockout.locked_until(team.teen.email, now=now)
    assert until == now - timedelta(minutes=1) + timedelta(minutes=15)
    # Failures leave the count once they are an hour old.
    assert lockout.locked_until(team.teen.email, now=now + timedelta(hours=1)) is None


def _comparable(html: str, email: str) -> str:
    # What was typed comes back in the form, and CSRF tokens differ per session.
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_locked_response_is_the_same_for_an_email_with_and_without_an_account(app, team, clock):
    known, unknown = team.guardian.email, "nobody-here@example.org"
    pages = {}
    for email in (known, unknown):
        client = app.test_client()
        first = log_in(client, email, WRONG)
        for _ in range(4):
            log_in(client, email, WRONG)
        locked = log_in(client, email, PASSWORD)
        pages[email] = (first, locked)
    assert failure_count(known) == failure_count(unknown) == 5

    (known_first, known_locked), (unknown_first, unknown_locked) = pages[known], pages[unknown]
    assert known_first.status_code == unknown_first.status_code == 200
    assert _comparable(known_first.text, known) == _comparable(unknown_first.text, unknown)
    assert known_locked.status_code == unknown_locked.status_code == 200
    assert LOCKED in known_locked.text
    assert _comparable(known_locked.text, known) == _comparable(unknown_locked.text, unknown)


def test_a_successful_sign_in_resets_the_delay_but_keeps_the_history(client, team, clock):
    email = team.school.email
    for _ in range(5):
        log_in(client, email, WRONG)
    clock.advance(seconds=2)
    assert log_in(client, email, PASSWORD).status_code == 302
    client.post("/logout")

    clock.advance(seconds=1)
    assert NO_MATCH in log_in(client, email, WRONG).text
    assert lockout.locked_until(email) is None  # one failure since the sign-in
    assert failure_count(email) == 6  # the hour's history is all still there


def test_a_hundred_failures_in_an_hour_lock_until_the_hour_moves_on(client, team, clock):
    email = team.guardian2.email
    oldest = clock.now - timedelta(minutes=50)
    failures(email, 1, oldest)
    failures(email, 99, clock.now - timedelta(minutes=10))
    # A sign-in after all of them resets the doubling delay, but not the hourly cap.
    db.session.add(UserSession(user_id=team.guardian2.id, token_hash="x" * 64))
    db.session.commit()

    assert lockout.locked_until(email) == oldest + timedelta(hours=1)
    right = log_in(client, email, PASSWORD)
    assert LOCKED in right.text
    assert "10 minutes" in right.text

    clock.now = oldest + timedelta(hours=1, seconds=1)
    assert log_in(client, email, PASSWORD).status_code == 302


def test_failures_are_stored_by_keyed_hash_and_address_never_the_email(client, team, clock):
    log_in(client, "Someone.Unknown@Example.org ", WRONG)
    row = db.session.scalars(select(LoginFailure)).one()
    assert row.account_key == lockout.account_key("someone.unknown@example.org")
    assert len(row.account_key) == 64
    assert "example" not in row.account_key
    assert row.address == "127.0.0.1"
    # Keyed with the app's secret: a plain hash of the address is not what is stored.
    assert row.account_key != hashlib.sha256(b"someone.unknown@example.org").hexdigest()


def test_the_count_is_shared_by_every_worker(app, app_config, team, clock):
    """Two app instances on one database, standing in for two gunicorn workers."""
    other_worker = create_app(app_config)
    other_worker.test_client_class = IsolatedClient
    email = team.teen.email
    first, second = app.test_client(), other_worker.test_client()
    for client in (first, second, first, second, first):
        assert NO_MATCH in log_in(client, email, WRONG).text
    assert LOCKED in log_in(second, email, PASSWORD).text
    assert LOCKED in log_in(first, email, PASSWORD).text
    with other_worker.app_context():
        db.engine.dispose()


def test_failures_and_locks_are_audited_without_the_email(client, team, clock):
    for _ in range(5):
        log_in(client, "ghost@example.org", WRONG)
    log_in(client, "ghost@example.org", PASSWORD)
    log_in(client, team.teen.email, WRONG)

    events = db.session.scalars(select(AccessEvent).order_by(AccessEvent.id)).all()
    actions = [e.action for e in events]
    failed = "auth.login_failed"
    # Five failures, the lock, one attempt refused while locked; then the teen's failure.
    assert actions == [failed] * 5 + ["auth.lockout", failed] + [failed]
    key = lockout.account_key("ghost@example.org")
    for event in events[:7]:
        assert event.user_id is None
        assert event.detail["account_key"] == key
        assert event.detail["address"] == "127.0.0.1"
        assert "ghost" not in repr(event.detail)
    assert events[6].detail["locked"] is True
    assert events[7].user_id == team.teen.id


def test_old_failures_are_pruned_by_the_outbox_worker(app, runner, team):
    now = utcnow()
    failures("old@example.org", 3, now - timedelta(days=2))
    failures("recent@example.org", 2, now - timedelta(hours=3))
    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert failure_count("old@example.org") == 0
    assert failure_count("recent@example.org") == 2


def test_a_new_failure_drops_that_emails_day_old_rows(app, team):
    failures(team.teen.email, 3, utcnow() - timedelta(days=2))
    lockout.record_failure(team.teen.email, "192.0.2.1")
    db.session.commit()
    assert failure_count(team.teen.email) == 1


def test_a_wrong_password_on_an_invitation_counts_too(client, team, login_as):
    someone = make_user()
    db.session.commit()
    login_as("therapist")
    client.post(
        f"/therapist/teams/{team.id}/invitations",
        data={"email": someone.email, "role": "guardian", "relation_label": ""},
    )
    client.post("/logout")
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "invitation")
    ).one()
    response = client.post(f"/invite/{message.params['token']}", data={"password": WRONG})
    assert response.status_code == 200
    assert "That password does not match this account." in response.text
    assert failure_count(someone.email) == 1
