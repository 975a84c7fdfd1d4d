"""Reading a module: the list, a module's contents, one page at a time, practice, finishing."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.forms import ActionForm, flash_service_error
from app.blueprints.modules import bp
from app.blueprints.modules.forms import AUDIENCE_HEADINGS, AnswerForm
from app.content.modules import Scenario
from app.domain.errors import ServiceError
from app.domain.modules import progress as module_progress
from app.domain.modules.queries import Entry, reading_list
from app.policy.modules import readable_module_or_404, reader_or_404


def _locale() -> str:
    return str(get_locale())


def _open(slug: str):
    reader = reader_or_404(current_user)
    return reader, readable_module_or_404(reader, slug, _locale())


@bp.route("/modules/")
def index():
    reader = reader_or_404(current_user)
    assigned, others = reading_list(reader, _locale())
    return render_template(
        "modules/index.html",
        assigned=assigned,
        others=others,
        headings=AUDIENCE_HEADINGS,
        preview=not reader.records_progress,
    )


@bp.route("/modules/<slug>/")
def overview(slug: str):
    reader, module = _open(slug)
    entry = Entry(module, module_progress.progress_of(reader.membership, slug))
    return render_template(
        "modules/overview.html", module=module, entry=entry, preview=not reader.records_progress
    )


def _render_step(reader, module, number, form, chosen=None, status=200):
    page = module.step(number)
    if page is None:
        abort(404)
    progress = module_progress.progress_of(reader.membership, module.slug)
    scenario = page if isinstance(page, Scenario) else None
    if scenario is not None and chosen is None and progress is not None:
        chosen = (progress.answers or {}).get(scenario.id)
    if scenario is None or scenario.option(chosen or 0) is None:
        chosen = None
    return render_template(
        "modules/step.html",
        module=module,
        number=number,
        section=None if scenario else page,
        scenario=scenario,
        chosen=chosen,
        form=form,
        action_form=ActionForm(),
        preview=not reader.records_progress,
    ), status


@bp.route("/modules/<slug>/<int:step>")
def step(slug: str, step: int):
    reader, module = _open(slug)
    return _render_step(reader, module, step, AnswerForm(formdata=None))


@bp.route("/modules/<slug>/<int:step>/next", methods=["POST"])
def next_step(slug: str, step: int):
    reader, module = _open(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    module_progress.record_step(reader.membership, module, step)
    return redirect(url_for("modules.step", slug=slug, step=min(step + 1, module.step_count)))


@bp.route("/modules/<slug>/<int:step>/answer", methods=["POST"])
def answer(slug: str, step: int):
    reader, module = _open(slug)
    scenario = module.step(step)
    if not isinstance(scenario, Scenario):
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _render_step(reader, module, step, form, status=400)
    kept = module_progress.answer(reader, module, scenario.id, form.option.data)
    if kept is None:  # a preview keeps nothing: show the feedback on this response
        return _render_step(reader, module, step, form, chosen=form.option.data)
    return redirect(url_for("modules.step", slug=slug, step=step, _anchor="feedback"))


@bp.route("/modules/<slug>/finish", methods=["POST"])
def finish(slug: str):
    reader, module = _open(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        module_progress.complete(reader.membership, module)
    except ServiceError as error:
        flash_service_error(error)
        return redirect(
            url_for("modules.step", slug=slug, step=module.step_of_scenario(error.field))
        )
    flash(_("You finished this lesson. You can come back to it any time."), "success")
    return redirect(url_for("modules.overview", slug=slug))
