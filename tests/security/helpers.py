"""Shared steps for the security tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp

from app.domain.accounts import two_factor
from app.extensions import db
from app.models import User


def code_at(secret: str, offset: int = 0) -> str:
    """The app's code `offset` time steps from now."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + offset)


def turn_on_two_factor(user: User) -> tuple[str, list[str]]:
    """Enrols `user` straight through the service; returns the secret and recovery codes.
    It uses the previous step's code, so a test can still use the current one without it
    counting as a replay."""
    user = db.session.get_one(User, user.id)
    secret = two_factor.pending_secret(user)
    codes = two_factor.enable(user, code_at(secret, -1))
    db.session.commit()
    return secret, codes
