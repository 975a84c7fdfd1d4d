from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.auth import bp
from app.blueprints.auth import two_factor as two_factor_step
from app.blueprints.auth.forms import LoginForm, NewPasswordForm, ResetRequestForm
from app.blueprints.auth.signin import failed_attempt, safe_next, sign_in, sign_out
from app.blueprints.forms import show_service_error
from app.domain.accounts import commands as accounts
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.extensions import limiter
from app.policy.guard import landing_url
from app.web import unit_of_work


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], deduct_when=failed_attempt)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(landing_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.email.data, form.password.data, address=request.remote_addr
            )
            refusal = _("That email and password do not match an account.")
        except accounts.SignInLocked as locked:
            user, refusal = None, locked.message
        if user is None:
            unit_of_work.keep()  # the failed attempt, whatever happens next
            form.password.errors.append(refusal)
        elif user.mfa_enabled_at is not None:
            # The password alone starts no session; the code page does.
            two_factor_step.begin(user, request.args.get("next"))
            return redirect(url_for("auth.login_two_factor"))
        else:
            sign_in(user)
            return redirect(safe_next(request.args.get("next")) or url_for("auth.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        audit.record("auth.logout", user=current_user, address=request.remote_addr)
    sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data, str(get_locale()))
        return render_template("auth/reset_sent.html")
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token: str):
    if accounts.usable_reset_token(token) is None:
        return render_template("auth/link_expired.html", kind="reset"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data, address=request.remote_addr)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            sign_out()
            flash(_("Your password is changed. Please sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
