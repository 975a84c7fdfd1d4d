"""Renders outbox rows into discreet, localized emails and delivers them."""

from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Connection, Message

from app.extensions import mail
from app.models import OutboxMessage


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str


def link(path: str) -> str:
    """An absolute link for a path from url_for, which already starts with BASE_URL's own path
    (render() builds it in a request at BASE_URL), so only the scheme and host are added."""
    base = urlsplit(current_app.config["BASE_URL"])
    return f"{base.scheme}://{base.netloc}{path}"


def render(message: OutboxMessage) -> RenderedEmail:
    locale = message.locale if message.locale in current_app.config["LANGUAGES"] else "en"
    # url_for needs a request; a synthetic one at BASE_URL builds the same links the site uses.
    with (
        current_app.test_request_context(base_url=current_app.config["BASE_URL"]),
        force_locale(locale),
    ):
        context = {"link": link, **message.params}
        subject = render_template(f"email/{message.template}.subject.txt", **context).strip()
        body = render_template(f"email/{message.template}.txt", **context)
    return RenderedEmail(subject=subject, body=body)


class _TimeoutConnection(Connection):
    """Flask-Mail's connection with timeouts, so a silent server cannot hang the worker."""

    def configure_host(self):
        timeout = current_app.config["MAIL_TIMEOUT"]
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, timeout=timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host


def send(message: OutboxMessage) -> None:
    """Delivers one email; raises on any failure so the caller can retry later."""
    email = render(message)
    if current_app.config["MAIL_CONSOLE"]:
        print(
            f"--- email to {message.to_email}: {email.subject}\n{email.body}\n---",
            file=sys.stdout,
            flush=True,
        )
        return
    mail_state = current_app.extensions["mail"]
    with _TimeoutConnection(mail_state) as connection:
        connection.send(
            Message(
                subject=email.subject,
                recipients=[message.to_email],
                body=email.body,
                sender=current_app.config["MAIL_DEFAULT_SENDER"],
            )
        )


__all__ = ["RenderedEmail", "link", "mail", "render", "send"]
