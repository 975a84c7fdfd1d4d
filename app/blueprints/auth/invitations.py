"""Joining a care team from an emailed invitation link."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.auth import bp
from app.blueprints.auth.forms import JoinExistingAccountForm, JoinNewAccountForm
from app.blueprints.auth.signin import sign_in
from app.blueprints.forms import ActionForm, show_service_error
from app.domain.accounts import commands as accounts
from app.domain.errors import ServiceError
from app.domain.teams import commands as teams
from app.extensions import db, limiter
from app.platform.i18n import select_timezone
from app.web import unit_of_work


def _joined(user, membership):
    sign_in(user, membership)
    flash(_("Welcome to the care team."), "success")
    return redirect(url_for("auth.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def accept_invitation(token: str):
    invitation = teams.usable_invitation(token)
    if invitation is None:
        return render_template("auth/link_expired.html", kind="invitation"), 410
    existing = accounts.find_user(invitation.email)
    if current_user.is_authenticated and current_user.email == invitation.email:
        form, template = ActionForm(), "auth/invite_confirm.html"
    elif current_user.is_authenticated:
        return render_template("auth/invite_other_account.html", invitation=invitation), 409
    elif existing is not None:
        form, template = JoinExistingAccountForm(), "auth/invite_existing.html"
    else:
        form, template = JoinNewAccountForm(), "auth/invite_new.html"

    if form.validate_on_submit():
        try:
            user = _user_for(form, existing, invitation.email)
            membership = teams.accept(invitation, user)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            return _joined(user, membership)
    return render_template(template, form=form, invitation=invitation)


def _user_for(form, existing, email):
    if current_user.is_authenticated:
        return current_user
    if existing is not None:
        user = accounts.authenticate(email, form.password.data, address=request.remote_addr)
        if user is None:
            unit_of_work.keep()  # the failed attempt counts towards the lockout
            raise ServiceError(_("That password does not match this account."), "password")
        return user
    return accounts.create_user(
        email,
        form.name.data,
        form.password.data,
        locale=str(get_locale()),
        timezone=select_timezone(),
    )
