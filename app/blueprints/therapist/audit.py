"""The practice's activity log: who signed in, opened, shared or changed what."""

from flask import render_template, request, url_for
from flask_login import current_user

from app.blueprints.therapist import bp
from app.blueprints.therapist.audit_forms import LogFilterForm
from app.domain.audit.queries import LogRow, practice_log
from app.platform.pagination import page_number


def record_link(row: LogRow) -> str | None:
    """Where the row's record opens, for a team the reader leads; None elsewhere."""
    if not row.openable or row.team_id is None:
        return None
    team_id, target = row.team_id, row.target_type
    if target == "consent":
        return url_for("consent.show", team_id=team_id, consent_id=row.target_id)
    if target == "checkin_alert":
        return url_for("therapist.alert", team_id=team_id, alert_id=row.target_id)
    if target == "plan_version" and row.number:
        return url_for("therapist.plan_version", team_id=team_id, number=row.number)
    if target in {"message", "thread"}:
        return url_for("messages.index", team_id=team_id)
    if target in {"checkin", "checkin_settings"}:
        return url_for("therapist.team_checkins", team_id=team_id)
    if target == "module_assignment":
        return url_for("modules.team", team_id=team_id)
    return url_for("therapist.team", team_id=team_id)


@bp.route("/audit")
def audit_log():
    form = LogFilterForm(request.args)
    kind = form.kind.data if form.validate() else None
    page = practice_log(current_user, kind, page_number())
    return render_template(
        "therapist/audit.html",
        form=form,
        page=page,
        rows=[(row, record_link(row)) for row in page],
    )
