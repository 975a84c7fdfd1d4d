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


# The reserved top-level domain that never resolves (RFC 6761): an erased account's address.
UNDELIVERABLE_DOMAIN = "invalid"


def is_undeliverable(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return domain == UNDELIVERABLE_DOMAIN or domain.endswith("." + UNDELIVERABLE_DOMAIN)


def enqueue(
    to_email: str, template: str, locale: str | None, **params: Any
) -> OutboxMessage | None:
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    if set(params) != TEMPLATES[template]:
        raise ValueError(
            f"email {template!r} takes {sorted(TEMPLATES[template])}, not {sorted(params)}"
        )
    if is_undeliverable(to_email):
        # A former member stays on the team's records; nothing is ever sent to them.
        return None
    message = OutboxMessage(
        to_email=to_email, template=template, params=params, locale=locale or "en"
    )
    db.session.add(message)
    return message
