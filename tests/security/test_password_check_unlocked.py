"""The slow password check (argon2, a third of a second) runs with no transaction open.

On SQLite every transaction begins IMMEDIATE and so holds the write lock (app.db): a check
made inside one made every other sign-in wait its turn, and under load fail with "database
is locked". Here the check itself tries to take the write lock from a second connection,
which only succeeds when the request holds no transaction."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from app.domain.accounts import commands as accounts
from app.domain.accounts import passwords as password_module
from app.extensions import db
from app.models import AccessEvent, LoginFailure
from tests.conftest import ON_POSTGRES, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the write lock is SQLite's")


@pytest.fixture
def checks(app, monkeypatch):
    """Each password check first takes and releases the write lock from another connection;
    records whether it could."""
    outcomes: list[bool] = []
    verify = password_module.verify_password

    def verify_while_locking(password_hash, password):
        outcomes.append(_write_lock_free())
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", verify_while_locking)
    return outcomes


def _write_lock_free() -> bool:
    """Whether another connection can take SQLite's write lock right now, without waiting."""
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def _actions(user_id=None) -> list[str]:
    query = select(AccessEvent.action)
    if user_id is not None:
        query = query.where(AccessEvent.user_id == user_id)
    return list(db.session.scalars(query))


def test_signing_in_checks_the_password_without_the_write_lock(client, team, checks):
    response = log_in(client, team.teen.email)
    assert response.status_code == 302
    assert checks == [True]
    assert "auth.login" in _actions(team.teen.id)


def test_a_wrong_password_is_checked_unlocked_and_still_recorded(client, team, checks):
    response = log_in(client, team.teen.email, "not the password at all")
    assert response.status_code == 200
    assert checks == [True]
    assert len(db.session.scalars(select(LoginFailure)).all()) == 1
    assert "auth.login_failed" in _actions(team.teen.id)


def test_an_unknown_email_is_checked_too_unlocked(client, team, checks):
    # The dummy check that equalises the time of a miss still runs, also unlocked.
    response = log_in(client, "nobody@example.org", PASSWORD)
    assert response.status_code == 200
    assert checks == [True]
    assert len(db.session.scalars(select(LoginFailure)).all()) == 1


def test_signing_in_again_while_signed_in_is_checked_unlocked(client, team, checks):
    assert log_in(client, team.guardian.email).status_code == 302
    # The session record is read (and may be touched) before the form is handled.
    assert log_in(client, team.guardian.email, "not the password at all").status_code == 200
    assert log_in(client, team.guardian.email).status_code == 302
    assert checks == [True, True, True]


def test_confirming_the_password_checks_it_without_the_write_lock(client, team, checks):
    assert log_in(client, team.therapist.email).status_code == 302
    wrong = client.post("/account/confirm", data={"password": "not it", "next": "/"})
    assert "That is not your password." in wrong.text
    right = client.post("/account/confirm", data={"password": PASSWORD, "next": "/"})
    assert right.status_code == 302
    assert checks == [True, True, True]
    assert "auth.reauthenticated" in _actions(team.therapist.id)


def test_changing_the_password_checks_and_hashes_without_the_write_lock(
    client, team, checks, monkeypatch
):
    hashing = []
    hash_password = accounts.hash_password

    def hash_while_locking(password):
        hashing.append(_write_lock_free())
        return hash_password(password)

    monkeypatch.setattr(accounts, "hash_password", hash_while_locking)
    assert log_in(client, team.guardian.email).status_code == 302
    new = "a brand new passphrase for harbor"
    form = {"current": "not it", "password": new, "confirm": new}
    wrong = client.post("/account/password", data=form)
    assert "That is not your current password." in wrong.text
    # A wrong current password counts towards the lockout, like any other password guess.
    assert len(db.session.scalars(select(LoginFailure)).all()) == 1
    assert "account.password_change_failed" in _actions(team.guardian.id)
    right = client.post("/account/password", data=dict(form, current=PASSWORD))
    assert right.status_code == 302
    assert checks == [True, True, True]  # signing in, the wrong one, the right one
    assert hashing == [True]
    assert "account.password_changed" in _actions(team.guardian.id)


def test_pending_changes_are_never_dropped_by_the_check(app, team):
    team.teen.name = "Changed but not saved"
    with pytest.raises(RuntimeError):
        accounts.end_read_transaction()
    db.session.rollback()
