"""Thin views: the member comes from the URL's team, the policy finds the thread (404 when it
may not be read), one service call does the work, the view commits once."""

from babel.lists import format_list
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.blueprints.forms import ActionForm, flash_service_error, show_service_error
from app.blueprints.messages import bp
from app.blueprints.messages.forms import (
    READER_LABELS,
    THREAD_TITLES,
    HideForm,
    MessageForm,
    SchoolChoiceForm,
)
from app.blueprints.messages.times import MessageTimes
from app.db import utcnow
from app.domain.errors import ServiceError
from app.domain.labels import role_label
from app.domain.threads import commands as threads
from app.domain.threads.queries import ThreadPage, inbox, thread_page
from app.extensions import limiter
from app.models import Membership, Role, Thread, ThreadKind
from app.platform.pagination import MAX_ID
from app.policy import Permission, membership_in_team_or_404
from app.policy import threads as policy
from app.policy.audiences import is_teen_role


def _member(team_id: int) -> Membership:
    return membership_in_team_or_404(current_user, team_id, Permission.THREAD_READ)


def _to_thread(team_id: int, kind: str, **kwargs):
    return redirect(url_for("messages.thread", team_id=team_id, kind=kind, **kwargs))


def _readers(page: ThreadPage, teen_name: str) -> str:
    # The teen is named; everyone else by their role.
    names = [teen_name if is_teen_role(role) else str(READER_LABELS[role]) for role in page.readers]
    return format_list(names, locale=get_locale())


@bp.route("/")
def index(team_id: int):
    membership = _member(team_id)
    return render_template(
        "messages/index.html",
        team=membership.team,
        inbox=inbox(membership),
        titles=THREAD_TITLES,
    )


def _message_id(name: str) -> int | None:
    """A page key from the query string; one no message could have is a 404."""
    value = request.args.get(name, type=int)
    if value is not None and not 0 < value <= MAX_ID:
        abort(404)
    return value


def _render_thread(membership: Membership, thread: Thread, form: MessageForm, status=200):
    page = thread_page(membership, thread, utcnow(), _message_id("before"), _message_id("after"))
    html = render_template(
        "messages/thread.html",
        team=membership.team,
        page=page,
        title=THREAD_TITLES[thread.kind],
        readers=_readers(page, membership.team.teen_name),
        slug=thread.kind.slug,
        form=form,
        # Only the reader's own recent messages have a delete button to carry its token.
        action_form=ActionForm() if any(m.may_change for m in page.messages) else None,
        # Worked out once per page, or kept from an earlier page, not once per message.
        message_time=MessageTimes("short"),
        role_labels={role: role_label(role) for role in Role},
    )
    threads.record_view(membership, current_user, thread, "latest" if page.latest else "earlier")
    if page.has_unread:
        threads.mark_read(membership, thread, page.newest_id)
    return html, status


@bp.route("/<kind>")
def thread(team_id: int, kind: str):
    membership = _member(team_id)
    found = policy.readable_thread_or_404(membership, kind)
    return _render_thread(membership, found, MessageForm(formdata=None))


def _poster() -> str:
    # Per person, not per address: a family or a whole school may share one address.
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


@bp.route("/<kind>", methods=["POST"])
@limiter.limit("20 per minute;200 per hour", key_func=_poster)
def post(team_id: int, kind: str):
    membership = _member(team_id)
    found = policy.readable_thread_or_404(membership, kind)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = threads.post(membership, current_user, found, form.body.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("Your message was sent."), "success")
            return _to_thread(team_id, kind, _anchor=f"m{message.id}")
    return _render_thread(membership, found, form, 400)


def _message_page(template: str, membership: Membership, thread: Thread, message, form):
    """The page of a form about one message (edit, hide); 400 when a submission was refused."""
    html = render_template(
        template,
        team=membership.team,
        slug=thread.kind.slug,
        form=form,
        message=message,
        title=THREAD_TITLES[thread.kind],
    )
    return html, 400 if form.is_submitted() else 200


@bp.route("/<kind>/<int:message_id>/edit", methods=["GET", "POST"])
def edit(team_id: int, kind: str, message_id: int):
    membership = _member(team_id)
    found = policy.readable_thread_or_404(membership, kind)
    message = policy.message_or_404(membership, found, message_id)
    form = MessageForm(data={"body": message.body})
    try:
        threads.check_changeable(membership, message)
        if form.validate_on_submit():
            threads.edit(membership, current_user, message, form.body.data)
            flash(_("Your message was changed."), "success")
            return _to_thread(team_id, kind, _anchor=f"m{message.id}")
    except ServiceError as error:
        if error.field is None:
            flash_service_error(error)
            return _to_thread(team_id, kind)
        show_service_error(form, error)
    return _message_page("messages/edit.html", membership, found, message, form)


@bp.route("/<kind>/<int:message_id>/delete", methods=["POST"])
def delete(team_id: int, kind: str, message_id: int):
    membership = _member(team_id)
    found = policy.readable_thread_or_404(membership, kind)
    message = policy.message_or_404(membership, found, message_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        threads.delete(membership, current_user, message)
    except ServiceError as error:
        flash_service_error(error)
    else:
        flash(_("Your message was deleted."), "success")
    return _to_thread(team_id, kind)


@bp.route("/<kind>/<int:message_id>/hide", methods=["GET", "POST"])
def hide(team_id: int, kind: str, message_id: int):
    membership = _member(team_id)
    found = policy.readable_thread_or_404(membership, kind)
    message = policy.message_or_404(membership, found, message_id)
    if not policy.may_hide(membership, found):
        abort(404)
    form = HideForm()
    if form.validate_on_submit():
        try:
            threads.hide(membership, current_user, message, form.reason.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("The message is hidden from everyone but the therapists."), "success")
            return _to_thread(team_id, kind, _anchor=f"m{message.id}")
    return _message_page("messages/hide.html", membership, found, message, form)


@bp.route("/school/teen", methods=["POST"])
def school_choice(team_id: int):
    membership = _member(team_id)
    form = SchoolChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    school = policy.thread_of_kind(membership, ThreadKind.SCHOOL.slug)
    included = form.include.data == "1"
    threads.set_teen_included(membership, current_user, school, included)
    if included:
        flash(_("You are in the school thread now. You can leave it any time."), "success")
        return _to_thread(team_id, ThreadKind.SCHOOL.slug)
    flash(_("You left the school thread. You can join again any time."), "success")
    return redirect(url_for("messages.index", team_id=team_id))
