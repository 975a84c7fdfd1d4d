"""Rate limits per address on sign-in (failures only) and per person on posting messages
(memory storage here; tests/security/test_rate_limits_redis.py runs them on Redis)."""

import pytest

from app.extensions import db
from tests.conftest import log_in
from tests.factories import make_user


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True}


def test_too_many_sign_in_attempts_get_a_429_page(client, team):
    form = {"email": team.guardian.email, "password": "wrong password"}
    statuses = [client.post("/login", data=form).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    assert "Please wait a moment" in client.post("/login", data=form).text


def test_a_whole_class_signs_in_from_one_address_but_failures_are_limited(app, team):
    """60 people signing in from one school address in a minute are never held up: only
    failed attempts count towards the address's limit."""
    students = [make_user() for _ in range(60)]
    db.session.commit()
    for student in students:
        assert log_in(app.test_client(), student.email).status_code == 302

    guesser = app.test_client()
    statuses = [log_in(guesser, team.guardian.email, "wrong").status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]
    # Past the limit the address waits, whoever signs in from it.
    assert log_in(app.test_client(), team.teen.email).status_code == 429


def test_posting_messages_is_limited_per_person(client, team, login_as):
    login_as("therapist")
    path = f"/teams/{team.id}/messages/care-team"
    statuses = [client.post(path, data={"body": f"Note {n}"}).status_code for n in range(21)]
    assert statuses == [302] * 20 + [429]

    # Someone else on the same address is not held up by it.
    other = client.application.test_client()
    log_in(other, team.guardian.email)
    assert other.post(path, data={"body": "Hello"}).status_code == 302
