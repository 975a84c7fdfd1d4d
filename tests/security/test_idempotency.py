"""A form sent twice, or eight times at once, makes one record: each form that creates one
carries a one-time key, the first request claims it, and every repeat goes where it went."""

from __future__ import annotations

import http.client
import re
import threading
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.db import utcnow
from app.domain.threads import commands as threads
from app.extensions import db
from app.models import CheckIn, IdempotencyKey, Message, OutboxMessage
from app.web import form_keys as glue
from tests.checkins.helpers import form as checkin_form
from tests.checkins.helpers import plan_with_steps, today
from tests.conftest import ON_POSTGRES, log_in, run_at_once
from tests.factories import PASSWORD
from tests.security.creating_forms import CASES, case, thread_url

KEY = re.compile(r'name="idempotency_key" type="hidden" value="([A-Za-z0-9_-]+)"')


def key_on(page: str) -> str:
    match = KEY.search(page)
    assert match, "the form has no idempotency key"
    return match.group(1)


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def say(client, team, body, key=None):
    data = {"body": body} | ({"idempotency_key": key} if key else {})
    return client.post(thread_url(team), data=data)


# -- each form that creates a record -------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_the_same_form_sent_twice_makes_one_record(app, client, team, name):
    c = case(name, app, team)
    log_in(client, team.users[c.who].email)
    page = client.get(c.page)
    assert page.status_code == 200
    key = key_on(page.text)
    assert key != key_on(client.get(c.page).text), "each showing of the form gets a new key"
    before = count(c.model, *c.where)

    first = client.post(c.action, data={**c.data, "idempotency_key": key})
    assert first.status_code == 302, first.text
    assert count(c.model, *c.where) == before + 1
    again = client.post(c.action, data={**c.data, "idempotency_key": key})
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert count(c.model, *c.where) == before + 1
    assert "This was already sent." in client.get(again.headers["Location"]).text
    stored = db.session.scalars(select(IdempotencyKey)).one()
    assert stored.result_url == first.headers["Location"]


def test_a_form_without_a_key_works_as_before(client, team):
    """Old pages still open in a browser, and scripts, send no key: nothing changes for them."""
    log_in(client, team.guardian.email)
    assert say(client, team, "one").status_code == 302
    assert say(client, team, "one").status_code == 302
    assert count(Message) == 2
    assert count(IdempotencyKey) == 0


@pytest.mark.parametrize("key", ["short", "x" * 65, "has spaces in it here", "ключ" * 8, ""])
def test_a_malformed_key_counts_as_no_key(client, team, key):
    log_in(client, team.guardian.email)
    assert say(client, team, "hello", key).status_code == 302
    assert count(IdempotencyKey) == 0


def test_a_refused_form_keeps_its_key_free_for_the_corrected_one(client, team):
    """The thread page commits read markers even when it shows the form again with an error,
    so the key is released explicitly rather than by the rollback."""
    log_in(client, team.guardian.email)
    key = key_on(client.get(thread_url(team)).text)
    refused = say(client, team, "   ", key)
    assert refused.status_code == 400
    assert key_on(refused.text) == key  # the form shown again still carries it
    assert count(IdempotencyKey) == 0
    assert say(client, team, "Now with words", key).status_code == 302
    assert count(Message) == 1
    assert say(client, team, "Now with words", key).status_code == 303
    assert count(Message) == 1


def test_a_request_that_fails_releases_its_key(client, team, monkeypatch):
    log_in(client, team.guardian.email)
    key = key_on(client.get(thread_url(team)).text)
    real_post = threads.post

    def crash(*args, **kwargs):
        real_post(*args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(threads, "post", crash)
    assert say(client, team, "First try", key).status_code == 500
    assert count(Message) == count(IdempotencyKey) == 0
    monkeypatch.setattr(threads, "post", real_post)
    assert say(client, team, "First try", key).status_code == 302
    assert count(Message) == 1


def test_a_savepoint_in_a_refused_request_commits_nothing(client, team, monkeypatch):
    """Services use savepoints (a first check-in of the day, a thread's first message); their
    release is not the request's commit, so nothing of a refused form may be kept."""
    from app.domain.checkins import commands as checkins
    from app.domain.errors import ServiceError

    def half_then_refuse(membership, user, entry):
        checkins._today_row(membership, checkins.local_today(user))  # inside a savepoint
        raise ServiceError("Not today.", field="note")

    plan_with_steps(team)
    log_in(client, team.teen.email)
    key = key_on(client.get("/teen/check-in").text)
    monkeypatch.setattr(checkins, "submit", half_then_refuse)
    refused = client.post(
        "/teen/check-in", data={**checkin_form(today(team)), "idempotency_key": key}
    )
    assert refused.status_code == 400 and "Not today." in refused.text
    assert count(CheckIn) == count(IdempotencyKey) == 0


def test_keys_belong_to_one_person(app, client, team):
    log_in(client, team.guardian.email)
    key = key_on(client.get(thread_url(team)).text)
    assert say(client, team, "From the guardian", key).status_code == 302
    other = app.test_client()
    log_in(other, team.guardian2.email)
    assert say(other, team, "From the other guardian", key).status_code == 302
    assert count(Message) == 2


def test_a_repeat_with_no_known_result_says_it_was_already_sent(client, team, monkeypatch):
    """The first request committed but never said where it led (it died in between)."""
    key = "k" * 32
    db.session.add(IdempotencyKey(user_id=team.guardian.id, key=key, endpoint="messages.post"))
    db.session.commit()
    monkeypatch.setattr(glue, "WAIT_FOR_FIRST", 0.2)
    log_in(client, team.guardian.email)
    response = say(client, team, "hello", key)
    assert response.status_code == 409
    assert "This was already sent" in response.text
    assert f'href="{thread_url(team)}"' in response.text  # back to the form's page
    assert count(Message) == 0


def test_keys_older_than_a_day_are_pruned_by_the_outbox_worker(runner, team):
    now = utcnow()
    for n, age in enumerate((timedelta(hours=25), timedelta(hours=23))):
        db.session.add(
            IdempotencyKey(
                user_id=team.guardian.id, key=f"key{n}" * 8, endpoint="x", created_at=now - age
            )
        )
    db.session.commit()
    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalars(select(IdempotencyKey.key)).all() == ["key1" * 8]


# -- eight at once, through a real server ----------------------------------------------------


class Server:
    """The app behind werkzeug's threaded server: each request on its own thread, its own
    app context and its own database connection, as in production."""

    def __init__(self, app):
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.thread.join(timeout=10)

    def request(self, method, path, data=None, cookie=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request(method, path, body=urlencode(data or {}), headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


def test_eight_identical_posts_at_once_make_one_message(app, team):
    """On PostgreSQL the seven repeats wait on the unique index until the first commits; on
    SQLite they queue for the write lock. Either way: one message, eight answers to it."""
    url, email = thread_url(team), team.guardian.email
    db.session.rollback()  # the test's own transaction would hold SQLite's write lock
    with Server(app) as server:
        signed_in = server.request("POST", "/login", {"email": email, "password": PASSWORD})
        assert signed_in.status == 302
        cookie = signed_in.getheader("Set-Cookie").split(";", 1)[0]
        key = "eight-taps-on-a-slow-phone-0001"
        data = {"body": "Are we still on for Thursday?", "idempotency_key": key}

        def tap():
            answer = server.request("POST", url, data, cookie)
            return answer.status, answer.getheader("Location")

        answers = run_at_once(tap, 8)
    assert sorted(status for status, _ in answers) == [302] + [303] * 7
    [location] = {location for _, location in answers}
    assert location.startswith(url + "#m")
    assert count(Message) == 1
    told = db.session.scalars(select(OutboxMessage.to_email)).all()
    assert told and len(told) == len(set(told))  # each other reader told once
    assert db.session.scalars(select(IdempotencyKey.result_url)).one() == location
    print(f"\n8 concurrent posts on {'PostgreSQL' if ON_POSTGRES else 'SQLite'}: {answers}")
