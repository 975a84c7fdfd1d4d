"""Acting without a consent: sharing one item for safety, restricting a guardian."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from app.blueprints.forms import ActionForm, IdempotentForm, plain_text, show_service_error, strip
from app.blueprints.therapist import bp
from app.domain.consent import safety
from app.domain.errors import ServiceError
from app.domain.plans import commands as plans
from app.extensions import db
from app.models import DisclosureAudience, Membership, Role, Section, User
from app.platform.pagination import page_number
from app.policy import Permission, get_visible_or_404, membership_in_team_or_404
from app.policy.audiences import restrictable, restricted_since


def reason_field(label):
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            InputRequired(message=_l("Please write the reason.")),
            Length(max=1000, message=_l("Use at most %(max)d characters.")),
            plain_text,
        ],
        render_kw={"rows": 3},
    )


class DisclosureForm(IdempotentForm):
    item = SelectField(_l("Item to share"), validators=[InputRequired()])
    audience = SelectField(
        _l("Share with"),
        choices=[
            SelectChoice(DisclosureAudience.FAMILY.value, _l("The parents or guardians")),
            SelectChoice(DisclosureAudience.SCHOOL.value, _l("The school counselor")),
        ],
        validators=[InputRequired()],
    )
    reason = reason_field(_l("Why the risk is serious and imminent"))


class RestrictForm(FlaskForm):
    reason = reason_field(_l("Reason for restricting access"))


@bp.route("/teams/<int:team_id>/safety-share", methods=["GET", "POST"])
def safety_share(team_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.SAFETY_DISCLOSE)
    items = [
        i
        for i in plans.items_for(plans.version(team_id), Role.THERAPIST)
        if i.section != Section.CLINICAL_NOTES
    ]
    form = DisclosureForm()
    form.item.choices = [SelectChoice(i.key, i.text[:120]) for i in items]
    if form.validate_on_submit():
        try:
            safety.disclose(
                membership,
                current_user,
                item_key=form.item.data,
                audience=DisclosureAudience(form.audience.data),
                reason=form.reason.data,
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("Shared. The teen and the guardians are told, with the reason."), "success")
            return redirect(url_for("therapist.team", team_id=team_id))
    return render_template(
        "therapist/safety_share.html",
        form=form,
        team=membership.team,
        shared=safety.disclosures_page(team_id, page_number("shared")),
    ), 400 if request.method == "POST" else 200


def _guardian(team_id: int, membership_id: int):
    actor = membership_in_team_or_404(current_user, team_id, Permission.MEMBER_RESTRICT)
    guardian = get_visible_or_404(Membership, membership_id, actor, Permission.MEMBER_RESTRICT)
    if not restrictable(guardian):
        abort(404)
    return actor, guardian


@bp.route("/teams/<int:team_id>/members/<int:membership_id>/restrict", methods=["GET", "POST"])
def restrict_member(team_id: int, membership_id: int):
    actor, guardian = _guardian(team_id, membership_id)
    form = RestrictForm()
    if form.validate_on_submit():
        try:
            safety.restrict(actor, current_user, guardian, form.reason.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("Access restricted. The reason is recorded."), "success")
            return redirect(url_for("therapist.team", team_id=team_id))
    return render_template(
        "therapist/restrict.html",
        form=form,
        guardian=guardian,
        restricted_since=restricted_since(guardian),
        person=db.session.get_one(User, guardian.user_id),
        team=actor.team,
        action_form=ActionForm(),
    ), 400 if request.method == "POST" else 200


@bp.route("/teams/<int:team_id>/members/<int:membership_id>/unrestrict", methods=["POST"])
def unrestrict_member(team_id: int, membership_id: int):
    actor, guardian = _guardian(team_id, membership_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    safety.lift_restriction(actor, current_user, guardian)
    flash(_("The restriction is lifted."), "success")
    return redirect(url_for("therapist.team", team_id=team_id))
