"""Queues an email as a row in the current transaction: it is sent only if the change commits."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import OutboxMessage

TEMPLATES = frozenset({"invitation", "password_reset", "password_changed"})


def enqueue(to_email: str, template: str, locale: str | None, **params: Any) -> OutboxMessage:
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    message = OutboxMessage(
        to_email=to_email, template=template, params=params, locale=locale or "en"
    )
    db.session.add(message)
    return message
