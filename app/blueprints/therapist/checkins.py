"""The therapist's check-in pages: a teen's trends, alerts and their follow-up, thresholds,
and the CSV download."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.account.reauth import recent_auth_required
from app.blueprints.forms import show_service_error
from app.blueprints.therapist import bp
from app.blueprints.therapist.checkin_forms import AcknowledgeForm, ThresholdsForm
from app.domain.checkins import alerts as checkin_alerts
from app.domain.checkins import caseload as checkin_caseload
from app.domain.checkins import export as checkin_export
from app.domain.checkins import queries as checkin_views
from app.domain.checkins.vocabulary import reason_label
from app.domain.errors import ServiceError
from app.platform.pagination import page_number
from app.policy import Permission, membership_in_team_or_404
from app.policy import checkins as policy

bp.add_app_template_filter(reason_label, "alert_reason")


@bp.route("/alerts")
def alerts():
    open_rows, done_rows = checkin_caseload.alert_list(
        current_user, page_number(), page_number("done")
    )
    return render_template("therapist/alerts.html", open_rows=open_rows, done_rows=done_rows)


@bp.route("/teams/<int:team_id>/checkins")
def team_checkins(team_id: int):
    membership = policy.follower_or_404(current_user, team_id)
    days = request.args.get("days", checkin_views.PERIODS[0], type=int)
    return render_template(
        "therapist/checkins.html",
        team=membership.team,
        trends=checkin_views.trends(
            membership, days, checkin_views.team_today(team_id), number=page_number()
        ),
        alerts=checkin_views.team_alerts(membership, page_number("alerts")),
        thresholds=checkin_alerts.thresholds(team_id),
        periods=checkin_views.PERIODS,
    )


@bp.route("/teams/<int:team_id>/checkins.csv")
@recent_auth_required
def export_checkins(team_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.CHECKIN_EXPORT)
    export = checkin_export.export_csv(membership, current_user)
    return Response(
        export.content,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@bp.route("/teams/<int:team_id>/alerts/<int:alert_id>", methods=["GET", "POST"])
def alert(team_id: int, alert_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.ALERT_ACK)
    detail = checkin_caseload.alert_detail(membership, alert_id)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        try:
            checkin_alerts.acknowledge(membership, current_user, detail.alert, form.note.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("The alert is acknowledged. Your note is saved with it."), "success")
            return redirect(url_for("therapist.alerts"))
    return render_template(
        "therapist/alert.html", team=membership.team, detail=detail, form=form
    ), 400 if form.is_submitted() else 200


@bp.route("/teams/<int:team_id>/checkins/settings", methods=["GET", "POST"])
def checkin_settings(team_id: int):
    membership = membership_in_team_or_404(current_user, team_id, Permission.ALERT_SETTINGS)
    current = checkin_alerts.thresholds(team_id)
    form = ThresholdsForm(data={"urge_at": current.urge_at, "thoughts_at": current.thoughts_at})
    if form.validate_on_submit():
        try:
            checkin_alerts.save_thresholds(
                membership,
                current_user,
                urge_at=form.urge_at.data,
                thoughts_at=form.thoughts_at.data,
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("The alert thresholds are saved."), "success")
            return redirect(url_for("therapist.team_checkins", team_id=team_id))
    return render_template(
        "therapist/checkin_settings.html", team=membership.team, form=form
    ), 400 if form.is_submitted() else 200
