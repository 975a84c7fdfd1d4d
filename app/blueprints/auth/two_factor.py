"""The second step of signing in, for accounts with two-factor on.

After the password, the signed cookie holds only "this account passed its password at this
time"; no session record exists until the code is right."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.blueprints.auth import bp
from app.blueprints.auth.signin import failed_attempt, safe_next, sign_in
from app.blueprints.auth.two_factor_forms import TwoFactorSignInForm
from app.domain.accounts import commands as accounts
from app.domain.accounts import two_factor
from app.extensions import db, limiter
from app.models import User
from app.policy.audiences import is_open
from app.web import unit_of_work

PENDING_KEY = "mfa_pending"
PENDING_SECONDS = 5 * 60
# Wrong codes allowed before the password is asked again.
MAX_TRIES = 5


def begin(user: User, next_url: str | None) -> None:
    session[PENDING_KEY] = {
        "user": user.id,
        "at": int(time.time()),
        "next": safe_next(next_url),
        "tries": 0,
    }


def _pending() -> tuple[User, dict] | None:
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    if time.time() - data.get("at", 0) > PENDING_SECONDS or data.get("tries", 0) >= MAX_TRIES:
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, data["user"])
    if not is_open(user) or not two_factor.is_enabled(user):
        return None
    return user, data


def recovery_codes_left_message(left: int) -> str:
    return ngettext(
        "You used a recovery code. %(num)d recovery code is left.",
        "You used a recovery code. %(num)d recovery codes are left.",
        left,
    )


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=failed_attempt)
def login_two_factor():
    pending = _pending()
    if pending is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    user, data = pending
    form = TwoFactorSignInForm()
    if form.validate_on_submit():
        try:
            verified = two_factor.verify(user, form.code.data, address=request.remote_addr)
            refusal = _("That code does not match. Please try again.")
        except accounts.SignInLocked as locked:
            verified, refusal = None, locked.message
        if verified is None:
            unit_of_work.keep()  # the failed attempt, whatever happens next
            session[PENDING_KEY] = {**data, "tries": data.get("tries", 0) + 1}
            form.code.errors.append(refusal)
        else:
            sign_in(user)
            if verified.by_recovery_code:
                flash(recovery_codes_left_message(verified.recovery_codes_left or 0), "info")
            return redirect(safe_next(data.get("next")) or url_for("auth.index"))
    return render_template("auth/two_factor.html", form=form)
