"""Rate limits kept in Redis are shared by every worker (issue #8, item 2).

Each test gets its own key prefix and deletes its keys afterwards, so runs on one Redis never
meet. Set TEST_REDIS_URL to use another server or database number."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from app import create_app
from app.extensions import db, limiter
from tests.conftest import IsolatedClient, log_in

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_keys(monkeypatch):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({type(error).__name__})")
    prefix = f"harbor-test-{uuid.uuid4().hex}"
    # Flask-Limiter keeps the first key prefix it was configured with for the whole process;
    # clearing it lets this test's app configuration set its own.
    monkeypatch.setattr(limiter, "_key_prefix", "")
    yield server, prefix
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)
    server.close()


@pytest.fixture
def app_config(app_config, redis_keys):
    _server, prefix = redis_keys
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }


@pytest.fixture
def start_worker(app_config):
    """Starts another instance of the app, standing in for another gunicorn worker. Starting
    one gives the (process-wide) limiter a new storage connection: with memory storage every
    count made before would be forgotten, so only a shared store passes these tests."""
    workers = []

    def start():
        worker = create_app(app_config)
        worker.test_client_class = IsolatedClient
        workers.append(worker)
        return worker.test_client()

    yield start
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()


def test_two_workers_share_the_failed_sign_in_count(app, start_worker, team, redis_keys):
    server, prefix = redis_keys
    first = app.test_client()
    wrong = {"email": team.guardian.email, "password": "wrong password"}
    assert [first.post("/login", data=wrong).status_code for _ in range(15)] == [200] * 15
    second = start_worker()
    # Signing in that works counts nowhere, on either worker.
    for worker in (first, second):
        assert log_in(worker, team.teen.email).status_code == 302
    assert [second.post("/login", data=wrong).status_code for _ in range(15)] == [200] * 15

    assert second.post("/login", data=wrong).status_code == 429
    assert first.post("/login", data=wrong).status_code == 429
    assert list(server.scan_iter(match=f"*{prefix}*")), "the count should live in Redis"


def test_two_workers_share_a_persons_message_count(app, start_worker, team):
    path = f"/teams/{team.id}/messages/care-team"
    first = app.test_client()
    log_in(first, team.therapist.email)
    assert [first.post(path, data={"body": f"A{n}"}).status_code for n in range(10)] == [302] * 10
    second = start_worker()
    log_in(second, team.therapist.email)
    assert [second.post(path, data={"body": f"B{n}"}).status_code for n in range(10)] == [302] * 10
    assert second.post(path, data={"body": "one too many"}).status_code == 429
    assert first.post(path, data={"body": "one too many"}).status_code == 429
