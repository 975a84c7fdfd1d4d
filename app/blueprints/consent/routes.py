"""Consents the family controls, and who has seen the teen's records."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.consent import bp
from app.blueprints.consent.forms import SignConsentForm, StartConsentForm, default_period
from app.blueprints.forms import ActionForm, show_service_error
from app.domain.accounts.passwords import verify_password
from app.domain.consent import commands as consents
from app.domain.errors import ServiceError
from app.domain.records import viewers as record_views
from app.models import Consent
from app.platform.pagination import Page, page_number
from app.policy import Permission, get_visible_or_404, membership_in_team_or_404
from app.policy import consents as rules


def _member(team_id: int, permission=Permission.CONSENT_VIEW):
    return membership_in_team_or_404(current_user, team_id, permission)


def _password_ok(form) -> bool:
    if verify_password(current_user.password_hash, form.password.data):
        return True
    form.password.errors.append(_("That is not your password."))
    return False


@bp.route("/consents")
def index(team_id: int):
    membership = _member(team_id)
    team, practice = consents.team_and_practice(team_id)
    history = consents.consent_history(team_id, page_number())
    statuses = {c.id: consents.status(c, practice, team) for c in history}
    return render_template(
        "consent/index.html",
        membership=membership,
        team=team,
        practice=practice,
        consents=history,
        statuses=statuses,
        may_start=rules.may_start(membership, practice, team),
        required=rules.required_roles(practice, team, rules._today()),
    )


@bp.route("/consents/new", methods=["GET", "POST"])
def new(team_id: int):
    membership = _member(team_id, Permission.CONSENT_SIGN)
    team, practice = consents.team_and_practice(team_id)
    if not rules.may_start(membership, practice, team):
        abort(404)
    form = StartConsentForm(consents.school_recipients(team_id), data=default_period())
    if form.validate_on_submit() and _password_ok(form):
        try:
            consent = consents.start(
                membership,
                current_user,
                scope=form.chosen_scope,
                recipient_id=form.recipient.data or None,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                purpose=form.purpose.data,
                typed_name=form.typed_name.data,
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(
                _("Your consent is signed. It is in force once everyone needed has signed."),
                "success",
            )
            return redirect(url_for("consent.show", team_id=team_id, consent_id=consent.id))
    status = 400 if request.method == "POST" else 200  # a POST that lands here was refused
    return render_template("consent/new.html", form=form, team=team), status


def _consent(team_id: int, consent_id: int):
    membership = _member(team_id)
    consent = get_visible_or_404(Consent, consent_id, membership, Permission.CONSENT_VIEW)
    return membership, consents.with_signatures(consent)


@bp.route("/consents/<int:consent_id>", methods=["GET", "POST"])
def show(team_id: int, consent_id: int):
    membership, consent = _consent(team_id, consent_id)
    team, practice = consents.team_and_practice(team_id)
    consent_with_signatures = consent
    form = SignConsentForm()
    may_sign = rules.may_sign(membership, consent_with_signatures, practice, team)
    if request.method == "POST":
        if not may_sign:
            abort(404)
        if form.validate_on_submit() and _password_ok(form):
            try:
                consents.sign(
                    membership, current_user, consent_with_signatures, form.typed_name.data
                )
            except ServiceError as error:
                show_service_error(form, error)
            else:
                flash(_("You signed this consent."), "success")
                return redirect(url_for("consent.show", team_id=team_id, consent_id=consent_id))
    return render_template(
        "consent/show.html",
        consent=consent_with_signatures,
        status=consents.status(consent_with_signatures, practice, team),
        form=form,
        may_sign=may_sign,
        may_revoke=rules.may_revoke(membership, consent_with_signatures),
        action_form=ActionForm(),
        team=team,
    ), 400 if request.method == "POST" else 200


@bp.route("/consents/<int:consent_id>/revoke", methods=["POST"])
def revoke(team_id: int, consent_id: int):
    membership, consent = _consent(team_id, consent_id)
    if not ActionForm().validate_on_submit() or not rules.may_revoke(membership, consent):
        abort(404)
    consents.revoke(membership, current_user, consent)
    flash(_("The consent is withdrawn. It stopped at once."), "success")
    return redirect(url_for("consent.show", team_id=team_id, consent_id=consent_id))


@bp.route("/record-views")
def record_views_page(team_id: int):
    membership = _member(team_id, Permission.RECORD_VIEWS_VIEW)
    number = page_number()
    views, more = record_views.record_views(membership, number)
    return render_template(
        "consent/record_views.html",
        views=Page(views, number, record_views.PAGE_SIZE, more),
        team_id=team_id,
    )
