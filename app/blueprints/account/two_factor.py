"""Turning two-factor sign-in on and off, recovery codes, and sending therapists who need
it to set it up before anything else."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.blueprints.account import bp
from app.blueprints.account.reauth import recent_auth_required
from app.blueprints.account.security_forms import EnableTwoFactorForm
from app.blueprints.forms import ActionForm, flash_service_error, show_service_error
from app.domain.accounts import two_factor
from app.domain.errors import ServiceError
from app.policy.two_factor import is_demo_exempt, two_factor_required
from app.web import unit_of_work

# What a therapist who still has to enrol may reach: enrolment itself, signing out, the
# crisis lines, and the language switch.
OPEN_BEFORE_ENROLMENT = frozenset(
    {
        "static",
        "health",
        "auth.logout",
        "auth.login",
        "auth.login_two_factor",
        "account.two_factor",
        "account.two_factor_setup",
        "account.confirm",
        "account.language",
    }
)


@bp.before_app_request
def _require_two_factor():
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_BEFORE_ENROLMENT or endpoint.startswith("help."):
        return None
    if not current_user.is_authenticated or two_factor.is_enabled(current_user):
        return None
    if two_factor_required(current_user):
        return redirect(url_for("account.two_factor"))
    return None


@bp.route("/two-factor", endpoint="two_factor")
@login_required
def status():
    return render_template(
        "account/two_factor.html",
        enabled=two_factor.is_enabled(current_user),
        required=two_factor_required(current_user),
        demo_exempt=is_demo_exempt(current_user),
        codes_left=two_factor.recovery_codes_left(current_user),
        form=ActionForm(),
    )


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@recent_auth_required
def two_factor_setup():
    if two_factor.is_enabled(current_user):
        return redirect(url_for("account.two_factor"))
    secret = two_factor.pending_secret(current_user)
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(current_user, form.code.data)
        except ServiceError as error:
            unit_of_work.keep()  # the pending secret and the failed attempt
            show_service_error(form, error)
        else:
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("account/recovery_codes.html", codes=codes)
    return render_template(
        "account/two_factor_setup.html",
        form=form,
        qr=two_factor.qr_data_uri(two_factor.provisioning_uri(current_user, secret)),
        secret=two_factor.grouped(secret),
    )


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@recent_auth_required(back="account.two_factor")
def regenerate_recovery_codes():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("account.two_factor"))
    try:
        codes = two_factor.regenerate_recovery_codes(current_user)
    except ServiceError as error:
        flash_service_error(error)
        return redirect(url_for("account.two_factor"))
    flash(_("New recovery codes are ready. The old ones no longer work."), "success")
    return render_template("account/recovery_codes.html", codes=codes)


@bp.route("/two-factor/disable", methods=["POST"])
@recent_auth_required(back="account.two_factor")
def disable_two_factor():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("account.two_factor"))
    try:
        two_factor.disable(current_user)
    except ServiceError as error:
        flash_service_error(error)
    else:
        flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("account.two_factor"))
