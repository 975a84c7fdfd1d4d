"""The outbox worker's step: claim one due email, try to send it, record the outcome.

Each email is claimed with FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers can
run at once without sending anything twice.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.models import OutboxMessage, OutboxStatus
from app.platform import email

MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """Waits 30 s, 1 min, 2 min, ... doubling after each failure, capped at six hours."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer (no such mailbox, refused sender) will not change by retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _claim_next() -> OutboxMessage | None:
    return db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def deliver_one() -> OutboxMessage | None:
    """Sends the next due email, if any, and commits its new state."""
    message = _claim_next()
    if message is None:
        db.session.rollback()
        return None
    message.attempts += 1
    try:
        email.send(message)
    except Exception as error:  # any failure means "try again later", unless it is permanent
        message.last_error = f"{type(error).__name__}: {str(error)[:300]}"
        if is_permanent(error) or message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            message.status = OutboxStatus.FAILED
            current_app.logger.error("outbox message %s failed for good", message.id)
        else:
            message.next_attempt_at = utcnow() + backoff(message.attempts)
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = utcnow()
        message.last_error = None
    # A commit outside the unit of work, on purpose: each email is claimed (its row locked),
    # sent and recorded in a transaction of its own, so a crash loses at most this one.
    db.session.commit()
    return message


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Delivers what is due now; returns (sent, not sent this time)."""
    sent = failed = 0
    for _ in range(limit):
        message = deliver_one()
        if message is None:
            break
        if message.status == OutboxStatus.SENT:
            sent += 1
        else:
            failed += 1
    return sent, failed
