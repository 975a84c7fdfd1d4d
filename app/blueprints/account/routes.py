from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.blueprints.account import bp
from app.blueprints.account.forms import ChangePasswordForm, LanguageForm, SettingsForm
from app.blueprints.account.reauth import recent_auth_required
from app.blueprints.auth.signin import safe_next, sign_in
from app.blueprints.forms import ActionForm, show_service_error
from app.domain.accounts import commands as accounts
from app.domain.accounts import sessions
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.domain.teams.queries import memberships_page
from app.platform.i18n import SESSION_LOCALE_KEY
from app.platform.pagination import page_number
from app.policy import memberships_of
from app.policy.context import current_membership, current_session
from app.web import unit_of_work


@bp.route("/teams")
@login_required
def teams():
    return render_template(
        "account/teams.html",
        memberships=memberships_page(current_user, page_number()),
        form=ActionForm(),
    )


@bp.route("/teams/<int:membership_id>", methods=["POST"])
@login_required
def switch_team(membership_id: int):
    form = ActionForm()
    chosen = next((m for m in memberships_of(current_user) if m.id == membership_id), None)
    if chosen is None or not form.validate_on_submit():
        abort(404)
    sessions.switch_membership(current_session(), chosen)
    return redirect(url_for("auth.index"))


@bp.route("/language", methods=["POST"])
def language():
    """Open to everyone, so the sign-in page itself can be read in Spanish."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.locale = form.language.data
        session[SESSION_LOCALE_KEY] = form.language.data
    return redirect(safe_next(request.form.get("next")) or url_for("auth.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user, language=current_user.locale or "en")
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.locale = form.language.data
        current_user.timezone = form.timezone.data
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@recent_auth_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            matches = accounts.password_matches(
                current_user,
                form.current.data,
                failure_action="account.password_change_failed",
                address=request.remote_addr,
            )
        except accounts.SignInLocked as locked:
            matches, refusal = False, locked.message
        else:
            refusal = _("That is not your current password.")
        if not matches:
            unit_of_work.keep()  # the failed attempt, whatever happens next
            form.current.errors.append(refusal)
        else:
            try:
                accounts.change_password(
                    current_user, form.password.data, address=request.remote_addr
                )
            except ServiceError as error:
                show_service_error(form, error)
            else:
                # Every other session ended with the change; this browser starts a new one.
                sign_in(current_user, current_membership())
                flash(_("Your password is changed. Other devices have been signed out."), "success")
                return redirect(url_for("auth.index"))
    return render_template("account/password.html", form=form)


@bp.route("/sessions")
@login_required
def sessions_page():
    return render_template(
        "account/sessions.html",
        records=sessions.active(current_user, page_number()),
        current=current_session(),
        form=ActionForm(),
    )


@bp.route("/sessions/end-others", methods=["POST"])
@recent_auth_required(back="account.sessions_page")
def end_other_sessions():
    if not ActionForm().validate_on_submit():
        abort(400)
    sessions.end_all(current_user, keep=current_session())
    audit.record("auth.sessions_ended", user=current_user)
    flash(_("You are signed out on every other device."), "success")
    return redirect(url_for("account.sessions_page"))


@bp.route("/sessions/end-all", methods=["POST"])
@recent_auth_required(back="account.sessions_page")
def end_all_sessions():
    if not ActionForm().validate_on_submit():
        abort(400)
    sessions.end_all(current_user)
    audit.record("auth.sessions_ended", user=current_user)
    session.clear()
    flash(_("You are signed out everywhere, including here."), "success")
    return redirect(url_for("auth.login"))
