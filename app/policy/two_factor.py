"""Who must sign in with a second factor."""

from __future__ import annotations

from flask import current_app

from app.models import User
from app.policy.guard import is_therapist


def is_demo_exempt(user: User) -> bool:
    """The published demo accounts skip two-factor, only while the app runs as a demo: a
    production deployment has no demo and exempts nobody."""
    config = current_app.config
    return (
        bool(config["DEMO"])
        and config["ENV_NAME"] != "production"
        and user.email in config["DEMO_EMAILS"]
    )


def two_factor_required(user: User) -> bool:
    """Therapists see every teen's records on their teams, so their accounts need more than a
    password (when the deployment asks for it, which production always does)."""
    if not current_app.config["MFA_REQUIRED_FOR_THERAPISTS"] or is_demo_exempt(user):
        return False
    return is_therapist(user)
