"""Queues an email as a row in the current transaction: it is sent only if the change commits."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import OutboxMessage

# Each email template and the parameters it needs: links only, never clinical content.
TEMPLATES: dict[str, frozenset[str]] = {
    "invitation": frozenset({"token"}),
    "password_reset": frozenset({"token"}),
    "password_changed": frozenset(),
    "plan_updated": frozenset(),
    "consent_ending": frozenset(),
    "module_assigned": frozenset(),
    "new_message": frozenset(),
    "checkin_alert": frozenset(),
}


def enqueue(to_email: str, template: str, locale: str | None, **params: Any) -> OutboxMessage:
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    if set(params) != TEMPLATES[template]:
        raise ValueError(
            f"email {template!r} takes {sorted(TEMPLATES[template])}, not {sorted(params)}"
        )
    message = OutboxMessage(
        to_email=to_email, template=template, params=params, locale=locale or "en"
    )
    db.session.add(message)
    return message
