"""The email outbox: queued in the change's transaction, delivered by a worker that retries
with backoff, never hangs on a silent server, never sends twice, and says nothing clinical."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from app.config import ROOT
from app.db import utcnow
from app.domain.accounts import commands as accounts
from app.extensions import db
from app.models import Invitation, OutboxMessage, OutboxStatus
from app.platform import email, outbox
from app.platform.delivery import deliver_one, deliver_pending
from tests.conftest import ON_POSTGRES, _Collector, link_in, log_in, run_at_once

NEW_PASSWORD = "lantern orchard pebble 42"
URL = re.compile(r"https?://\S+")

# Words that would tell whoever reads a shared phone what the email is about.
REVEALING_WORDS = (
    "therap",
    "terapi",
    "terapeut",
    "self-harm",
    "self harm",
    "autolesi",
    "teen",
    "adolescent",
    "guardian",
    "tutor",
    "parent",
    "padre",
    "madre",
    "famil",
    "school",
    "escuela",
    "colegio",
    "counsel",
    "orientador",
    "consejer",
    "care team",
    "equipo de",
    "care plan",
    "safety plan",
    "plan de",
    "crisis",
    "treatment",
    "tratamiento",
    "mental",
    "check-in",
)


# -- helpers -------------------------------------------------------------------------------


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def row_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def make_everything_due() -> None:
    """Moves every retry time into the past, as if the backoff had elapsed."""
    db.session.execute(
        update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def queue_reset_for(address: str) -> None:
    accounts.request_password_reset(address, "en")
    db.session.commit()


def assert_discreet(subject: str, body: str, *secrets: str) -> None:
    text = f"{subject}\n{body}"
    for word in (*REVEALING_WORDS, *secrets):
        assert word.lower() not in text.lower(), (word, text)
    assert not URL.search(subject), subject
    links = URL.findall(body)
    assert len(links) == 1, body
    assert links[0].startswith("http://harbor.test/"), links


@contextmanager
def silent_smtp_server(port: int, give_up_after: float = 6.0):
    """Accepts connections on `port` and never says a word (never sends the 220 greeting).

    It hangs up by itself after `give_up_after` seconds, so a worker without a timeout makes
    the test fail slowly instead of hanging the suite forever.
    """
    listener = socket.create_server(("127.0.0.1", port))
    listener.settimeout(0.05)
    done = threading.Event()
    accepted: list[socket.socket] = []

    def serve() -> None:
        deadline = time.monotonic() + give_up_after
        while not done.is_set() and time.monotonic() < deadline:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
        for connection in accepted:
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield accepted
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()


# -- delivery ------------------------------------------------------------------------------


def test_password_reset_email_arrives_and_its_link_works(client, team, smtp):
    guardian = team.guardian
    response = client.post("/reset", data={"email": guardian.email.upper()})
    assert response.status_code == 200

    assert deliver_pending() == (1, 0)

    [mail] = smtp.messages
    assert mail.recipients == [guardian.email]
    assert mail.sender == "no-reply@localhost"
    assert mail.subject == "Reset your password"
    assert_discreet(
        mail.subject,
        mail.body,
        guardian.name,
        guardian.email,
        team.team.teen_name,
        team.practice.name,
    )
    [message] = rows()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1

    path = link_in(mail.body)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert log_in(client, guardian.email, NEW_PASSWORD).status_code == 302
    # The link was single-use.
    assert client.get(path).status_code == 410

    # Changing the password queued its own notice, delivered on the next run.
    assert deliver_pending() == (1, 0)
    assert [m.subject for m in smtp.messages] == [
        "Reset your password",
        "Your password was changed",
    ]
    assert smtp.messages[1].recipients == [guardian.email]


def test_reset_for_an_unknown_address_queues_nothing(client, team, smtp):
    response = client.post("/reset", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert row_count() == 0
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []


def test_an_unknown_template_is_refused(app):
    with pytest.raises(ValueError, match="unknown email template"):
        outbox.enqueue("someone@example.org", "weekly_summary", "en")


def test_smtp_down_keeps_the_message_and_backs_off_exponentially(team):
    # Nothing listens on MAIL_PORT: every attempt is refused.
    queue_reset_for(team.guardian.email)
    delays = []
    for attempt in (1, 2, 3):
        before = utcnow()
        assert deliver_pending() == (0, 1)
        after = utcnow()
        [message] = rows()
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == attempt
        assert message.sent_at is None
        assert "Connection" in message.last_error or "refused" in message.last_error.lower()
        assert before < message.next_attempt_at
        delays.append((message.next_attempt_at - before, message.next_attempt_at - after))
        # Not due again yet: a second run right away leaves it alone.
        assert deliver_pending() == (0, 0)
        assert rows()[0].attempts == attempt
        make_everything_due()

    expected = [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    for (upper, lower), wanted in zip(delays, expected, strict=True):
        assert lower <= wanted <= upper, (lower, wanted, upper)


def test_backoff_is_capped_at_six_hours(app, team):
    app.config["OUTBOX_BACKOFF_SECONDS"] = 3 * 3600
    queue_reset_for(team.guardian.email)
    delays = []
    for _ in range(4):
        before = utcnow()
        deliver_one()
        delays.append(rows()[0].next_attempt_at - before)
        make_everything_due()
    hours = [round(d / timedelta(hours=1), 1) for d in delays]
    assert hours == [3.0, 6.0, 6.0, 6.0]


def test_a_message_waits_out_an_outage_and_is_delivered_exactly_once(request, app, team):
    queue_reset_for(team.guardian.email)
    assert deliver_pending() == (0, 1)

    # The mail server comes back on the same port.
    smtp = request.getfixturevalue("smtp")
    # Still inside its backoff: the worker does not hammer the server.
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []

    make_everything_due()
    assert deliver_pending() == (1, 0)
    assert deliver_pending() == (0, 0)
    make_everything_due()
    assert deliver_pending() == (0, 0)

    assert [m.recipients for m in smtp.messages] == [[team.guardian.email]]
    [message] = rows()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error is None


def test_after_the_last_attempt_the_message_is_marked_failed_and_left_alone(
    request, app, team, caplog
):
    assert app.config["OUTBOX_MAX_ATTEMPTS"] == 8
    queue_reset_for(team.guardian.email)
    for attempt in range(1, 9):
        assert deliver_pending() == (0, 1), attempt
        make_everything_due()

    [message] = rows()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 8
    assert message.last_error
    assert message.sent_at is None
    assert f"outbox message {message.id} failed for good" in caplog.text

    # Even with the server back and the row due, a failed message is not retried.
    smtp = request.getfixturevalue("smtp")
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []
    assert rows()[0].attempts == 8


def test_a_refused_recipient_does_not_hold_up_the_others(app, team):
    class RefusesOneAddress(_Collector):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address == "bounce@example.org":
                return "550 5.1.1 no such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    outbox.enqueue("bounce@example.org", "password_changed", "en")
    outbox.enqueue(team.teen.email, "password_changed", "en")
    db.session.commit()

    server = RefusesOneAddress()
    controller = Controller(server, hostname="127.0.0.1", port=app.config["MAIL_PORT"])
    controller.start()
    try:
        assert deliver_pending() == (1, 1)
    finally:
        controller.stop()

    assert [m.recipients for m in server.messages] == [[team.teen.email]]
    bounced, delivered = rows()
    # A 5xx answer is permanent: retrying cannot help, so it is marked failed at once.
    assert bounced.status == OutboxStatus.FAILED
    assert bounced.attempts == 1
    assert "550" in bounced.last_error
    assert delivered.status == OutboxStatus.SENT


def test_a_temporary_refusal_is_retried(app, team):
    class BusyServer(_Collector):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            return "451 4.3.0 try again later"

    outbox.enqueue(team.teen.email, "password_changed", "en")
    db.session.commit()
    controller = Controller(BusyServer(), hostname="127.0.0.1", port=app.config["MAIL_PORT"])
    controller.start()
    try:
        assert deliver_pending() == (0, 1)
    finally:
        controller.stop()
    (row,) = rows()
    assert row.status == OutboxStatus.PENDING
    assert "451" in row.last_error


def test_a_silent_smtp_server_cannot_hang_the_worker(app, team):
    app.config["MAIL_TIMEOUT"] = 0.5
    queue_reset_for(team.guardian.email)

    with silent_smtp_server(app.config["MAIL_PORT"]) as connections:
        started = time.monotonic()
        message = deliver_one()
        elapsed = time.monotonic() - started
        assert connections, "the worker never reached the silent server"

    assert elapsed < 3, f"deliver_one took {elapsed:.1f} s"
    assert message is not None
    [row] = rows()
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.sent_at is None
    assert row.last_error
    assert row.next_attempt_at > utcnow()


# -- only committed changes send email -----------------------------------------------------


@pytest.mark.parametrize("commit", [True, False], ids=["committed", "rolled-back"])
def test_only_a_committed_change_sends_email(team, smtp, commit):
    accounts.request_password_reset(team.guardian.email, "en")
    if commit:
        db.session.commit()
    else:
        db.session.rollback()

    deliver_pending()
    assert len(smtp.messages) == (1 if commit else 0)
    assert row_count() == (1 if commit else 0)


def test_a_refused_invitation_leaves_no_email_behind(client, login_as, team, smtp):
    login_as("therapist")
    url = f"/therapist/teams/{team.id}/invitations"

    # The teen's account must be the teen's: a guardian's email is refused.
    response = client.post(url, data={"email": team.guardian.email, "role": "teen"})
    assert response.status_code == 400
    assert row_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []

    # The same form with an acceptable address does queue one.
    response = client.post(url, data={"email": "new.guardian@example.org", "role": "guardian"})
    assert response.status_code == 302
    assert row_count() == 1
    assert deliver_pending() == (1, 0)
    assert smtp.messages[0].recipients == ["new.guardian@example.org"]


def test_a_request_that_crashes_after_queueing_leaves_no_email(
    monkeypatch, app, client, login_as, team, smtp
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500, as in production
    real_enqueue = outbox.enqueue

    def enqueue_then_crash(*args, **kwargs):
        real_enqueue(*args, **kwargs)
        raise RuntimeError("a later step of the same change failed")

    monkeypatch.setattr(outbox, "enqueue", enqueue_then_crash)
    login_as("therapist")
    response = client.post(
        f"/therapist/teams/{team.id}/invitations",
        data={"email": "new.guardian@example.org", "role": "guardian"},
    )
    assert response.status_code == 500
    assert row_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []


# -- the worker command --------------------------------------------------------------------


def test_cli_delivers_and_prints_counts(runner, team, smtp):
    queue_reset_for(team.guardian.email)
    outbox.enqueue(team.teen.email, "password_changed", "en")
    db.session.commit()

    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "outbox: 2 sent, 0 to retry or failed"
    assert sorted(r for m in smtp.messages for r in m.recipients) == sorted(
        [team.guardian.email, team.teen.email]
    )

    result = runner.invoke(args=["outbox"])
    assert result.output.strip() == "outbox: 0 sent, 0 to retry or failed"
    assert len(smtp.messages) == 2


def test_cli_counts_what_it_could_not_send(runner, team):
    queue_reset_for(team.guardian.email)
    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "outbox: 0 sent, 1 to retry or failed"
    assert rows()[0].status == OutboxStatus.PENDING


def test_cli_console_mode_prints_the_email_instead_of_sending_it(app, runner, team, smtp):
    app.config["MAIL_CONSOLE"] = True
    queue_reset_for(team.guardian.email)

    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    assert f"--- email to {team.guardian.email}: Reset your password" in result.output
    assert re.search(r"http://harbor\.test/reset/\S+", result.output)
    assert "outbox: 1 sent, 0 to retry or failed" in result.output
    assert smtp.messages == []
    assert rows()[0].status == OutboxStatus.SENT


def test_cli_watch_keeps_polling_and_only_speaks_when_there_was_work(
    monkeypatch, runner, team, smtp
):
    class Stop(Exception):
        pass

    real_sleep = time.sleep
    naps: list[float] = []

    def fake_sleep(seconds: float) -> None:
        if threading.current_thread() is not threading.main_thread():
            real_sleep(seconds)  # the SMTP server's thread, if it ever sleeps
            return
        naps.append(seconds)
        if len(naps) == 2:  # between polls, someone asks for a reset
            queue_reset_for(team.teen.email)
        if len(naps) == 3:
            raise Stop

    monkeypatch.setattr(time, "sleep", fake_sleep)
    queue_reset_for(team.guardian.email)

    result = runner.invoke(args=["outbox", "--watch", "--interval", "0.25"])
    assert isinstance(result.exception, Stop), result.output
    assert naps == [0.25, 0.25, 0.25]
    # Three polls: one email, nothing (silent), one email.
    assert result.output.splitlines() == [
        "outbox: 1 sent, 0 to retry or failed",
        "outbox: 1 sent, 0 to retry or failed",
    ]
    assert [m.recipients for m in smtp.messages] == [[team.guardian.email], [team.teen.email]]


# -- discreet emails -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("template", sorted(outbox.TEMPLATES))
def test_every_email_is_discreet(app, team, template, locale):
    params = dict.fromkeys(outbox.TEMPLATES[template], "tok3n-value")
    message = OutboxMessage(
        to_email=team.teen.email, template=template, params=params, locale=locale
    )
    rendered = email.render(message)
    assert rendered.subject
    assert_discreet(
        rendered.subject,
        rendered.body,
        team.team.teen_name,
        team.practice.name,
        team.teen.name,
        team.therapist.name,
        team.teen.email,
    )
    if "token" in params:
        assert "tok3n-value" in URL.search(rendered.body).group()


@pytest.mark.skipif(
    not (ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.mo").exists(),
    reason="no compiled Spanish catalog: run `make translations` first",
)
@pytest.mark.parametrize("template", sorted(outbox.TEMPLATES))
def test_spanish_emails_are_in_spanish(app, template):
    def render(locale):
        message = OutboxMessage(
            to_email="a@example.org", template=template, params={"token": "T"}, locale=locale
        )
        return email.render(message)

    english, spanish = render("en"), render("es")
    assert spanish.subject != english.subject
    assert spanish.body != english.body


def test_an_unsupported_locale_falls_back_to_english(app):
    message = OutboxMessage(
        to_email="a@example.org", template="password_changed", params={}, locale="xx"
    )
    assert email.render(message).subject == "Your password was changed"


def test_an_invitation_as_received_says_nothing_about_the_team(client, login_as, team, smtp):
    login_as("therapist")
    response = client.post(
        f"/therapist/teams/{team.id}/invitations",
        data={"email": "aunt@example.org", "role": "guardian", "relation_label": "Aunt Rosa"},
    )
    assert response.status_code == 302
    assert deliver_pending() == (1, 0)

    [mail] = smtp.messages
    assert mail.recipients == ["aunt@example.org"]
    assert_discreet(
        mail.subject,
        mail.body,
        "Aunt Rosa",
        team.team.teen_name,
        team.practice.name,
        team.therapist.name,
        team.therapist.email,
    )
    assert link_in(mail.body).startswith("/invite/")
    assert client.post("/logout").status_code == 302
    assert client.get(link_in(mail.body)).status_code == 200


def test_links_keep_a_path_prefix_in_base_url(app):
    """Harbor served under a prefix (BASE_URL https://example.org/harbor) links there once."""
    app.config["BASE_URL"] = "https://example.org/harbor"
    message = OutboxMessage(
        to_email="a@example.org", template="password_reset", params={"token": "T"}, locale="en"
    )
    assert URL.findall(email.render(message).body) == ["https://example.org/harbor/reset/T"]


# -- several workers at once ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="concurrent workers rely on FOR UPDATE SKIP LOCKED; set TEST_DATABASE_URL to a "
    "PostgreSQL database to run this test",
)
def test_several_workers_at_once_never_send_a_message_twice(app, smtp):
    addresses = [f"person{n}@example.org" for n in range(30)]
    for address in addresses:
        outbox.enqueue(address, "password_changed", "en")
    db.session.commit()

    def worker() -> tuple[int, int]:
        with app.app_context():  # its own session, as a separate worker process has
            return deliver_pending()

    results = run_at_once(worker, 3, timeout=30)

    received = Counter(r for m in smtp.messages for r in m.recipients)
    assert received == dict.fromkeys(addresses, 1)
    assert sum(sent for sent, _ in results) == 30
    assert sum(failed for _, failed in results) == 0
    db.session.rollback()
    assert {m.status for m in rows()} == {OutboxStatus.SENT}
    assert {m.attempts for m in rows()} == {1}
