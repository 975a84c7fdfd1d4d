"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and one-time recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from app.db import utcnow
from app.domain.accounts import commands as accounts
from app.domain.accounts import lockout
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.domain.rowcount import rowcount
from app.extensions import db
from app.models import RecoveryCode, User
from app.policy.two_factor import two_factor_required

ISSUER = "Harbor"
# 160 bits, the length RFC 4226 recommends; 32 base32 characters.
SECRET_BYTES = 20
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
# One step either side absorbs a phone clock that is up to 30 seconds off.
VALID_WINDOW = 1
_STEP_EVENT = "auth.mfa_verified"


@dataclass(frozen=True)
class Verified:
    by_recovery_code: bool
    recovery_codes_left: int | None = None


# -- keys and storage --------------------------------------------------------------------


@lru_cache(maxsize=8)
def _derive(secret_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret_key.encode()
    )


def _key(purpose: bytes) -> bytes:
    # Changing MFA_SECRET_KEY leaves every stored secret and recovery code unreadable, so it
    # has a setting of its own and SECRET_KEY can rotate freely.
    return _derive(current_app.config["MFA_SECRET_KEY"], b"harbor/" + purpose)


def _seal(user: User, secret: str) -> str:
    """AES-GCM with the user's id as associated data, so a ciphertext copied onto another
    account does not open. 12 nonce + 20 secret + 16 tag bytes: 64 characters, the column."""
    nonce = secrets.token_bytes(12)
    raw = base64.b32decode(secret)
    sealed = AESGCM(_key(b"mfa-secret")).encrypt(nonce, raw, _aad(user))
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _open(user: User) -> str | None:
    if not user.mfa_secret:
        return None
    try:
        blob = base64.urlsafe_b64decode(user.mfa_secret)
        raw = AESGCM(_key(b"mfa-secret")).decrypt(blob[:12], blob[12:], _aad(user))
    except (InvalidTag, ValueError):
        current_app.logger.warning("two-factor secret of user %s does not open", user.id)
        return None
    return base64.b32encode(raw).decode()


def _aad(user: User) -> bytes:
    return f"user:{user.id}".encode()


def _recovery_hash(user: User, code: str) -> str:
    message = f"{user.id}:{code}".encode()
    return hmac.new(_key(b"recovery-code"), message, hashlib.sha256).hexdigest()


# -- enrolment ---------------------------------------------------------------------------


def is_enabled(user: User) -> bool:
    return user.mfa_enabled_at is not None


def pending_secret(user: User) -> str:
    """The secret being enrolled: the same one on every visit until it is confirmed, so a
    reload does not invalidate what the person already scanned."""
    if is_enabled(user):
        raise ServiceError(str(_l("Two-factor sign-in is already on.")))
    secret = _open(user)
    if secret is None:
        secret = base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode()
        user.mfa_secret = _seal(user, secret)
        db.session.flush()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI. segno writes only attributes, which the CSP (no inline
    styles) allows; nothing leaves the server."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it in by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enable(user: User, code: str) -> list[str]:
    """Turns two-factor on once `code` proves the authenticator works; returns the recovery
    codes, which exist in clear only in this return value."""
    secret = _open(user)
    if is_enabled(user) or secret is None:
        raise ServiceError(str(_l("Please start again: reload this page.")))
    if _accepted_step(user, secret, code) is None:
        audit.record("auth.mfa_failed", user=user, during="enrolment")
        raise ServiceError(str(_l("That code does not match. Please try the current one.")), "code")
    user.mfa_enabled_at = utcnow()
    codes = _replace_recovery_codes(user)
    audit.record("auth.mfa_enabled", user=user)
    return codes


def disable(user: User) -> None:
    if two_factor_required(user):
        raise ServiceError(str(_l("Therapists need two-factor sign-in, so it stays on.")))
    user.mfa_secret = None
    user.mfa_enabled_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("auth.mfa_disabled", user=user)


def regenerate_recovery_codes(user: User) -> list[str]:
    if not is_enabled(user):
        raise ServiceError(str(_l("Two-factor sign-in is off.")))
    codes = _replace_recovery_codes(user)
    audit.record("auth.recovery_codes_regenerated", user=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, code)) for code in codes
    )
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


# -- verification ------------------------------------------------------------------------


def verify(user: User, code: str, *, address: str | None = None) -> Verified | None:
    """Checks a code from the app, or else a recovery code (used up by this call). A wrong
    code counts towards the sign-in lockout like a wrong password; None tells the caller to
    refuse. Raises SignInLocked, without looking at the code, while the account is locked."""
    until = lockout.locked_until(user.email)
    if until is not None:
        audit.record("auth.mfa_failed", user=user, locked=True)
        raise accounts.SignInLocked(until)
    secret = _open(user)
    if not is_enabled(user) or secret is None:
        return None
    if _accepted_step(user, secret, code) is not None:
        return Verified(by_recovery_code=False)
    recovery = _use_recovery_code(user, code)
    if recovery is not None:
        return recovery
    lockout.record_failure(user.email, address)
    where: accounts.Where = {"address": address} if address else {}
    audit.record("auth.mfa_failed", user=user, **where)
    return None


def _accepted_step(user: User, secret: str, code: str) -> int | None:
    """The time step `code` belongs to, when it is within the window and newer than the last
    step accepted for this account: a code seen over a shoulder cannot be used again."""
    digits = re.sub(r"[\s-]", "", code or "")
    if not re.fullmatch(r"[0-9]{6}", digits):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step if _claim_step(user, step) else None
    return None


def _use_recovery_code(user: User, code: str) -> Verified | None:
    cleaned = re.sub(r"[\s-]", "", (code or "").lower())
    if len(cleaned) != _RECOVERY_LENGTH:
        return None
    row = db.session.scalars(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user, cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .with_for_update()
    ).first()
    if row is None:
        return None
    row.used_at = utcnow()
    db.session.flush()
    left = recovery_codes_left(user)
    audit.record("auth.recovery_code_used", user=user, left=left)
    return Verified(by_recovery_code=True, recovery_codes_left=left)


def _claim_step(user: User, step: int) -> bool:
    """Records `step` as the account's last accepted one unless it is not newer. One
    conditional UPDATE, so two requests racing with the same code cannot both win."""
    claimed = rowcount(
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .where(or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
            .values(mfa_last_step=step)
            .execution_options(synchronize_session=False)
        )
    )
    if claimed:
        user.mfa_last_step = step
        # When the account last proved its second factor; the step is a clock reading.
        audit.record(_STEP_EVENT, user=user, step=step)
        db.session.flush()
    return bool(claimed)
