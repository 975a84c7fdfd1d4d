"""The teen's daily check-in, what they see right after it, and their own trends."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.forms import show_service_error
from app.blueprints.plan_pages import viewable
from app.blueprints.teen import bp
from app.blueprints.teen.checkin_forms import FEELING_PREFIX, STEP_PREFIX, CheckInForm
from app.blueprints.teen.routes import safety_plan
from app.domain.checkins import commands as checkins
from app.domain.checkins import queries as checkin_views
from app.domain.checkins.vocabulary import EMOTIONS, STEP_OPTIONS
from app.domain.errors import ServiceError
from app.platform.pagination import page_number
from app.policy import Permission, authorize
from app.policy import checkins as policy
from app.policy.context import current_membership


@bp.route("/check-in", methods=["GET", "POST"])
def checkin():
    membership = policy.authorize_submit(current_membership())
    posted = request.form if request.method == "POST" else None
    # A save needs nothing of the page: it is loaded only when the form is shown.
    page = None if posted is not None else checkin_views.form_page(membership, current_user)
    form = CheckInForm.for_today(page.existing if page else None, posted)
    if form.validate_on_submit():
        try:
            checkins.submit(membership, current_user, form.entry())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            return redirect(url_for("teen.checkin_done"))
    return render_template(
        "teen/checkin.html",
        form=form,
        page=page or checkin_views.form_page(membership, current_user),
        emotions=EMOTIONS,
        step_options=STEP_OPTIONS,
        feeling_prefix=FEELING_PREFIX,
        step_prefix=STEP_PREFIX,
    ), 400 if posted is not None else 200


@bp.route("/check-in/done")
def checkin_done():
    """Thanks; and at once the teen's own Help now steps when the answers were hard ones."""
    membership = policy.authorize_submit(current_membership())
    result = checkin_views.outcome(membership, current_user)
    if result.checkin is None:
        return redirect(url_for("teen.checkin"))
    steps, crisis = [], None
    if result.needs_help_now:
        _version, steps, crisis = safety_plan(viewable(membership))
    return render_template("teen/checkin_done.html", result=result, steps=steps, crisis=crisis)


@bp.route("/trends")
def trends():
    membership = current_membership()
    authorize(membership, Permission.CHECKIN_VIEW_DETAIL)
    days = request.args.get("days", checkin_views.PERIODS[0], type=int)
    shown = checkin_views.trends(
        membership, days, checkins.local_today(current_user), number=page_number()
    )
    return render_template("teen/trends.html", trends=shown, periods=checkin_views.PERIODS)
