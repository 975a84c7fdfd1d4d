"""Asking for the password again before exports and security changes.

A session that signed in or confirmed within the last ten minutes passes straight through;
any other is sent to /account/confirm and then back to where it was going."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.blueprints.account import bp
from app.blueprints.account.security_forms import ConfirmForm
from app.blueprints.auth.signin import failed_attempt, safe_next
from app.blueprints.auth.two_factor import recovery_codes_left_message
from app.blueprints.forms import show_service_error
from app.domain.accounts import reauth, two_factor
from app.domain.errors import ServiceError
from app.extensions import limiter
from app.policy.context import current_session
from app.web import unit_of_work


def recent_auth_required(
    view: Callable | None = None, *, back: str | None = None
) -> Callable[..., Any]:
    """Use bare, or as `recent_auth_required(back="account.sessions_page")` on a POST-only
    view: after confirming, a person goes back to the page of that endpoint, since a GET on
    the POST-only address would answer 405."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            record = current_session()
            if record is not None and reauth.is_recent(record):
                return view(*args, **kwargs)
            if request.method == "GET":
                target = request.full_path.rstrip("?")
            else:
                # What was typed cannot be carried over safely; the person submits again.
                flash(_("Please confirm it's you, then try again."), "info")
                target = url_for(back) if back else request.path
            return redirect(url_for("account.confirm", next=target))

        return wrapped

    return decorate(view) if view is not None else decorate


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=failed_attempt)
@login_required
def confirm():
    form = ConfirmForm(next=request.args.get("next", ""))
    mfa_on = two_factor.is_enabled(current_user)
    if form.validate_on_submit():
        try:
            verified = reauth.confirm(
                current_user,
                current_session(),
                form.password.data,
                form.code.data,
                address=request.remote_addr,
            )
        except ServiceError as error:
            unit_of_work.keep()  # the failed attempt, whatever happens next
            show_service_error(form, error)
        else:
            if verified is not None and verified.by_recovery_code:
                flash(recovery_codes_left_message(verified.recovery_codes_left or 0), "info")
            return redirect(safe_next(form.next.data) or url_for("account.settings"))
    return render_template("account/confirm.html", form=form, mfa_on=mfa_on)
