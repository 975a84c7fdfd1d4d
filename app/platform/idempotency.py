"""One-time form keys. The first request that carries a key claims it by inserting a row in
its own transaction; the unique index on (user, key) makes a repeat wait for that transaction
and then fail, and a rollback of the first request releases the key with everything else."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.db import utcnow
from app.extensions import db
from app.models import IdempotencyKey

# The hidden field that carries the key.
IDEMPOTENCY_FIELD = "idempotency_key"
# What the forms render (see app.blueprints.forms.new_form_key); anything else is treated as no key.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# A repeat arrives within seconds; a day covers a form left open overnight and resent.
KEEP_FOR = timedelta(days=1)


def well_formed(key: object) -> bool:
    return isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None


def claim(user_id: int, key: str, endpoint: str) -> bool:
    """True when this transaction now holds the key; False when another request's committed
    claim has it. On PostgreSQL the insert waits while a concurrent claim is uncommitted."""
    try:
        # A savepoint, so a lost race leaves the rest of the transaction usable.
        with db.session.begin_nested():
            db.session.add(IdempotencyKey(user_id=user_id, key=key, endpoint=endpoint[:100]))
    except IntegrityError:
        return False
    return True


def find(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalars(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).first()


def record_result(user_id: int, key: str, url: str) -> None:
    """Remembers where the first request led, for any repeat to follow."""
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        .values(result_url=url[:500])
    )


def release(user_id: int, key: str) -> None:
    """Frees a key whose request committed something but did not succeed (a form shown again
    with errors), so the corrected form, which carries the same key, can be sent."""
    db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )


def prune(now=None) -> int:
    """Deletes keys older than a day; returns how many."""
    cutoff = (now or utcnow()) - KEEP_FOR
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return result.rowcount or 0
